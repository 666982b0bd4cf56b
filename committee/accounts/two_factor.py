"""The second factor of staff: a code from an authenticator app (TOTP, django-otp), or one of
their single-use recovery codes (django-otp's static device).

Staff pass it after their password and before any page but signing out; officials and
observers are never asked. A staff member sets up an app only with an enrolment link another
member of the secretariat issued (enrolment.py): the page shows a QR code and the key, a code
from the app confirms it, and the recovery codes are shown once. Without an app and without a
link that works, the page says whom to ask, never the key.

django-otp's TOTPDevice refuses a code from the same or an earlier time step than the last one
accepted (no replay), and makes each wrong code wait twice as long as the one before; a
recovery code is deleted when used, and wrong ones wait the same way.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.accounts import enrolment
from committee.accounts.models import EnrolmentLinkEvent
from committee.accounts.totp import base32_from_hex
from committee.core.security_log import log_event
from committee.core.text import OneLineFormField

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

ENROLLED_DEVICE_NAME = "Authenticator app"
# After a recovery code, the page links to new ones when this many or fewer are left.
RECOVERY_CODES_RUNNING_LOW = 3


def needs_second_factor(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def second_factor_exempt(view):
    """Marks a view that staff reach before passing the second factor."""
    view.second_factor_exempt = True
    return view


class SecondFactorMiddleware(MiddlewareMixin):
    """Sends staff who have not passed the second factor to /accounts/verify/ (which sends them
    on to /accounts/enrol/ when they have neither an app nor recovery codes). Pages open to
    everyone (login_not_required) and signing out stay reachable. Comes after OTPMiddleware
    and LoginRequiredMiddleware."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "second_factor_exempt", False):
            return None
        user = request.user
        if not needs_second_factor(user) or user.is_verified():
            return None
        if request.resolver_match and request.resolver_match.view_name == "logout":
            return None
        return redirect_to_login(request.get_full_path(), reverse("otp_verify"))


class CodeForm(forms.Form):
    code = OneLineFormField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
        help_text=_("Six digits. A new code appears every 30 seconds; each code works once."),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the six digits the app shows."))
        return code


class RecoveryCodeForm(forms.Form):
    code = OneLineFormField(
        label=_("Recovery code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autofocus": True, "spellcheck": "false"}
        ),
        help_text=_(
            "One of the codes you printed or copied when you set up the app, e.g. "
            "abcd-efgh. Each works once."
        ),
    )

    def clean_code(self) -> str:
        code = enrolment.normalise_recovery_code(self.cleaned_data["code"])
        if not (code.isascii() and code.isalnum() and len(code) == 8):
            raise forms.ValidationError(_("A recovery code has eight letters and digits."))
        return code


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _check_code(request: HttpRequest, form: CodeForm, devices, wrong: str, **log_fields):
    """The device that accepts the form's code, or None with the reason added to the form.

    After each wrong code django-otp makes the next wait twice as long (1, 2, 4 … seconds);
    a code sent before then is not even checked, and the form says until when to wait."""
    waits = [device.verify_is_allowed() for device in devices]
    if not any(allowed for allowed, _data in waits):
        until = max(data["locked_until"] for _allowed, data in waits)
        form.add_error(
            "code",
            _("Too many wrong codes in a row: wait until %(time)s UTC, then try again.")
            % {"time": until.astimezone(datetime.UTC).strftime("%H:%M:%S")},
        )
        return None
    for device in devices:
        verified = django_otp.verify_token(
            request.user, device.persistent_id, form.cleaned_data["code"]
        )
        if verified is not None:
            return verified
    log_event("otp.failure", request=request, level=logging.WARNING, **log_fields)
    form.add_error("code", wrong)
    return None


def _pass(request: HttpRequest, device, event: str) -> None:
    # A new session key for the raised privilege, as for the password step.
    request.session.cycle_key()
    django_otp.login(request, device)
    log_event(event, request=request, device=device.name)


@second_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask staff for a code from their app, or one of their recovery codes (`?with=recovery`,
    and always when they have no app); with neither, send them to enrol."""
    user = request.user
    next_url = _next_url(request)
    if not needs_second_factor(user) or user.is_verified():
        return redirect(next_url)
    apps = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    recovery = enrolment.recovery_devices(user)
    if not apps and not recovery:
        return redirect(_with_next("otp_enrol", next_url))
    with_recovery = bool(recovery) and (
        not apps or (request.POST or request.GET).get("with") == "recovery"
    )

    form = (RecoveryCodeForm if with_recovery else CodeForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if with_recovery:
            wrong = _("This recovery code is not right, or it was used already.")
            verified = _check_code(request, form, recovery, wrong, recovery=True)
        else:
            wrong = _("This code is not right, or it was used already: enter the next one.")
            verified = _check_code(request, form, apps, wrong)
        if verified is not None:
            _pass(request, verified, "otp.verified")
            if with_recovery:
                _recovery_code_used(request)
            return redirect(next_url)
    return render(
        request,
        "registration/otp_verify.html",
        {
            "form": form,
            "next": next_url,
            "with_recovery": with_recovery,
            "has_app": bool(apps),
            "has_recovery_codes": bool(recovery),
            "before_second_factor": True,
        },
    )


def _recovery_code_used(request: HttpRequest) -> None:
    left = enrolment.recovery_codes_left(request.user)
    log_event("otp.recovery_code_used", request=request, remaining=left)
    message = ngettext(
        "You signed in with a recovery code, which no longer works: %(count)d is left.",
        "You signed in with a recovery code, which no longer works: %(count)d are left.",
        left,
    ) % {"count": left}
    if left <= RECOVERY_CODES_RUNNING_LOW:
        message = format_html(
            '{} <a href="{}">{}</a>',
            message,
            reverse("otp_recovery_codes"),
            _("Make new recovery codes"),
        )
    messages.warning(request, message)


@login_not_required
@second_factor_exempt
@never_cache
@require_http_methods(["GET"])
def enrol_link(request: HttpRequest, token: str) -> HttpResponse:
    """An enrolment link opened in the browser: kept in the session, checked on the enrolment
    page, after signing in where need be. The secret leaves the address bar at once."""
    enrolment.open_link(request, token)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("otp_enrol"))
    return redirect("otp_enrol")


@second_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: add the key to it, confirm with a code.

    Only with an enrolment link from another member of the secretariat (enrolment.py), opened
    while signed in as the link's own user: a password alone never binds an app. The app set
    up replaces any earlier one, and new recovery codes are shown once."""
    user = request.user
    next_url = _next_url(request)
    if not needs_second_factor(user):
        request.session.pop(enrolment.SESSION_KEY, None)
        return redirect(next_url)
    token_hash = request.session.get(enrolment.SESSION_KEY)
    if token_hash is None:
        if user.is_verified():
            return redirect(next_url)
        if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
            return redirect(_with_next("otp_verify", next_url))
        enrolment.notice_expiry(user, request=request)
        return _link_needed(request, next_url)
    try:
        link = enrolment.check_link(user, token_hash, request=request)
    except enrolment.LinkRefused as refusal:
        request.session.pop(enrolment.SESSION_KEY, None)
        return _link_needed(request, next_url, refusal.reason)

    # The key stays the same across reloads until a code confirms it (a new link drops it).
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=ENROLLED_DEVICE_NAME, confirmed=False)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wrong = _("This code is not right. Check the key in the app and enter the next code.")
        verified = _check_code(request, form, [device], wrong, enrolling=True)
        if verified is not None:
            try:
                codes = enrolment.complete_enrolment(link, verified, request=request)
            except enrolment.LinkRefused as refusal:
                request.session.pop(enrolment.SESSION_KEY, None)
                return _link_needed(request, next_url, refusal.reason)
            request.session.pop(enrolment.SESSION_KEY, None)
            _pass(request, verified, "otp.enrolled")
            return _show_recovery_codes(request, codes, next_url, first=True)
    key = base32_from_hex(device.key)
    return render(
        request,
        "registration/otp_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": qr_svg(device.config_url),
            "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
            "issuer": settings.OTP_TOTP_ISSUER,
            "before_second_factor": not user.is_verified(),
        },
    )


REFUSALS = {
    EnrolmentLinkEvent.Reason.UNKNOWN: _(
        "This enrolment link is not one of this portal's: check that it was copied whole."
    ),
    EnrolmentLinkEvent.Reason.OTHER_ACCOUNT: _(
        "This enrolment link is for another account. Sign out, then sign in with the account "
        "it was issued for and open the link again."
    ),
    EnrolmentLinkEvent.Reason.USED: _("This enrolment link was used already: each works once."),
    EnrolmentLinkEvent.Reason.REPLACED: _(
        "This enrolment link no longer works: a newer one was issued for your account."
    ),
    EnrolmentLinkEvent.Reason.EXPIRED: _("This enrolment link has expired."),
}


def _link_needed(request: HttpRequest, next_url: str, reason: str | None = None):
    """Staff without an app, and without a link that works: whom to ask. Never the key."""
    user = request.user
    return render(
        request,
        "registration/otp_link_needed.html",
        {
            "refusal": REFUSALS.get(reason),
            "next": next_url,
            "has_recovery_codes": not user.is_verified() and bool(enrolment.recovery_devices(user)),
            "valid_hours": int(settings.ENROLMENT_LINK_VALID_FOR.total_seconds() // 3600),
            "before_second_factor": not user.is_verified(),
        },
        status=403,
    )


def _show_recovery_codes(request, codes: list[str], next_url: str, *, first: bool):
    return render(
        request,
        "registration/otp_recovery_codes_new.html",
        {
            "codes": [enrolment.show_recovery_code(code) for code in codes],
            "next": next_url,
            "first": first,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left; new ones, shown once, in place of the old. Staff reach
    it only after the second factor (SecondFactorMiddleware)."""
    user = request.user
    if not needs_second_factor(user):
        raise Http404
    if request.method == "POST":
        codes = enrolment.make_recovery_codes(user, request=request)
        return _show_recovery_codes(request, codes, reverse("admin:index"), first=False)
    return render(
        request,
        "registration/otp_recovery_codes.html",
        {"left": enrolment.recovery_codes_left(user), "count": enrolment.RECOVERY_CODE_COUNT},
    )


def qr_svg(data: str) -> SafeString:
    """A QR code as inline SVG: one path with presentation attributes (fill, stroke), no style
    attribute and no script, so the Content-Security-Policy lets it through unchanged."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage)
    # Generated by qrcode from path data only; `data` itself does not appear in it.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308
