"""The second factor of staff: a code from an authenticator app (TOTP, django-otp).

Staff pass it after their password and before any page but signing out; officials and
observers are never asked. A staff member without a confirmed device enrols one at first
sign-in: the page shows a QR code and the key, and a code from the app confirms it. A lost
device is deleted in the admin (or from the shell), and its owner enrols again.

django-otp's TOTPDevice refuses a code from the same or an earlier time step than the last one
accepted (no replay), and makes each wrong code wait twice as long as the one before.
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
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.accounts.totp import base32_from_hex
from committee.core.security_log import log_event
from committee.core.text import OneLineFormField

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

ENROLLED_DEVICE_NAME = "Authenticator app"


def needs_second_factor(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def second_factor_exempt(view):
    """Marks a view that staff reach before passing the second factor."""
    view.second_factor_exempt = True
    return view


class SecondFactorMiddleware(MiddlewareMixin):
    """Sends staff who have not passed the second factor to /accounts/verify/ (which sends them
    on to /accounts/enrol/ when they have no device yet). Pages open to everyone
    (login_not_required) and signing out stay reachable. Comes after OTPMiddleware and
    LoginRequiredMiddleware."""

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


def _pass(request: HttpRequest, device: TOTPDevice, event: str) -> None:
    # A new session key for the raised privilege, as for the password step.
    request.session.cycle_key()
    django_otp.login(request, device)
    log_event(event, request=request, device=device.name)


@second_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask staff for a code from their app; without a confirmed device, send them to enrol."""
    user = request.user
    next_url = _next_url(request)
    if not needs_second_factor(user) or user.is_verified():
        return redirect(next_url)
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if not devices:
        return redirect(_with_next("otp_enrol", next_url))

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wrong = _("This code is not right, or it was used already: enter the next one.")
        verified = _check_code(request, form, devices, wrong)
        if verified is not None:
            _pass(request, verified, "otp.verified")
            return redirect(next_url)
    return render(
        request,
        "registration/otp_verify.html",
        {"form": form, "next": next_url, "before_second_factor": True},
    )


@second_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in of staff: add the key to an authenticator app, confirm with a code.

    Only for staff without a confirmed device: anyone holding just the password of a staff
    member who has enrolled cannot add a device of their own here."""
    user = request.user
    next_url = _next_url(request)
    if not needs_second_factor(user) or user.is_verified():
        return redirect(next_url)
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return redirect(_with_next("otp_verify", next_url))
    # The key stays the same across reloads until a code confirms it.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=ENROLLED_DEVICE_NAME, confirmed=False)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wrong = _("This code is not right. Check the key in the app and enter the next code.")
        verified = _check_code(request, form, [device], wrong, enrolling=True)
        if verified is not None:
            verified.confirmed = True
            verified.save(update_fields=["confirmed"])
            _pass(request, verified, "otp.enrolled")
            return redirect(next_url)
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
            "before_second_factor": True,
        },
    )


def qr_svg(data: str) -> SafeString:
    """A QR code as inline SVG: one path with presentation attributes (fill, stroke), no style
    attribute and no script, so the Content-Security-Policy lets it through unchanged."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage)
    # Generated by qrcode from path data only; `data` itself does not appear in it.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308
