"""Which language a person reads the portal in.

The browser's Accept-Language is the first guess (Django's LocaleMiddleware). A choice made
with the switcher wins over it: before signing in it is kept in a cookie on that device; once
signed in it is kept on the account, so it follows the person to every device, and the cookie
of each device is brought in line with it. A choice made on the sign-in page is carried onto
the account at sign-in.
"""

from django.conf import settings
from django.contrib.auth import user_logged_in
from django.contrib.auth.decorators import login_not_required
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

_CHOSEN_BEFORE_SIGN_IN = "language_chosen"


def is_known(code: str | None) -> bool:
    return code in dict(settings.LANGUAGES)


def _set_cookie(response: HttpResponse, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class AccountLanguageMiddleware:
    """After authentication: a signed-in user's stored language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        stored = user.language if user is not None and user.is_authenticated else ""
        if is_known(stored) and stored != request.LANGUAGE_CODE:
            translation.activate(stored)
            request.LANGUAGE_CODE = stored
        response = self.get_response(request)
        if is_known(stored) and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != stored:
            _set_cookie(response, stored)
        return response


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The switcher's form: keep the choice (account or cookie) and go back where it was made."""
    code = request.POST.get("language")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if not is_known(code):
        return response
    if request.user.is_authenticated:
        request.user.language = code
        request.user.save(update_fields=["language"])
    else:
        request.session[_CHOSEN_BEFORE_SIGN_IN] = code
    _set_cookie(response, code)
    return response


@receiver(user_logged_in)
def _carry_choice_onto_account(sender, request: HttpRequest | None, user, **kwargs) -> None:
    chosen = request.session.pop(_CHOSEN_BEFORE_SIGN_IN, None) if request is not None else None
    if is_known(chosen) and chosen != user.language:
        user.language = chosen
        user.save(update_fields=["language"])
