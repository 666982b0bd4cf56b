"""Which mails a user gets: the settings page, and the link in every mail that opens it
without signing in (signed, expiring, for that user only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from committee.core.security_log import log_event
from committee.members.models import User
from committee.notifications.forms import MailSettingsForm
from committee.notifications.mails import language_of, read_settings_token
from committee.notifications.models import MailSettings, Topic


def _settings_of(user: User) -> MailSettings:
    return MailSettings.objects.filter(user=user).first() or MailSettings(user=user)


def _edit(request: HttpRequest, user: User, *, topic: str | None, signed_in: bool):
    form = MailSettingsForm(request.POST or None, instance=_settings_of(user))
    if request.method == "POST" and form.is_valid():
        form.save()
        log_event("mail_settings.changed", request=request, user=user, by_link=not signed_in)
        messages.success(request, _("Your mail settings are saved."))
        return redirect(request.path)
    return render(
        request,
        "notifications/mail_settings.html",
        {
            "form": form,
            "owner": user,
            "topic": Topic(topic).label if topic in Topic.values else "",
            "signed_in": signed_in,
            "page_title": _("Mail settings"),
            "submit_label": _("Save"),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def mail_settings(request: HttpRequest) -> HttpResponse:
    return _edit(request, request.user, topic=None, signed_in=True)


def _from_link(token: str) -> tuple[User, str] | None:
    try:
        user_id, topic = read_settings_token(token)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, topic) if user else None


@never_cache
@login_not_required
@require_http_methods(["GET", "POST"])
def settings_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link at the foot of every mail. Opening it changes nothing (mail scanners open
    links); the form saves."""
    found = _from_link(token)
    if found is None:
        log_event("mail_settings.bad_link", request=request)
        return render(request, "notifications/mail_settings_expired.html", status=400)
    user, topic = found
    # The page speaks its owner's language, on whatever device the mail was opened.
    with translation.override(language_of(user)):
        return _edit(request, user, topic=topic, signed_in=False)


@csrf_exempt  # a mail program's one-click POST (RFC 8058) carries the signed link instead
@never_cache
@login_not_required
@require_POST
def one_click_off(request: HttpRequest, token: str) -> HttpResponse:
    """List-Unsubscribe-Post: the mail program turns off the topic the mail belongs to."""
    found = _from_link(token)
    if found is None or found[1] not in Topic.values:
        return HttpResponse(status=400)
    user, topic = found
    MailSettings.objects.update_or_create(user=user, defaults={topic: False})
    log_event("mail_settings.changed", request=request, user=user, by_link=True, off=topic)
    with translation.override(language_of(user)):
        answer = _("You will no longer get these mails.")
    return HttpResponse(answer, content_type="text/plain; charset=utf-8")
