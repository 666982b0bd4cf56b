"""Security events, one JSON object per line on the logger "portal.security".

Every line carries `ts` (UTC, ISO 8601), `level`, `event`, `user` and `ip`, then the event's
own fields. The events:

| event | when |
| --- | --- |
| `login.success`, `login.failure`, `logout` | Django's auth signals, whichever form signed in |
| `login.lockout` | a sign-in paused by a limit (`limit`: `account`, `address` or `site`) |
| `password_reset.refused` | a password reset refused for its address (accounts app) |
| `password_reset.limited` | a password reset answered without a mail (accounts app) |
| `otp.verified`, `otp.failure`, `otp.enrolled` | the staff's second factor (two_factor.py) |
| `otp.recovery_code_used`, `otp.recovery_codes.made` | recovery codes (accounts/enrolment.py) |
| `otp.enrolment_link.issued`, `.replaced`, `.expired`, `.used`, `.refused` | enrolment.py |
| `otp.enrolment_link.issue_refused` | the admin refused to issue one (members/admin.py) |
| `permission.denied` | any 403 from PermissionDenied (handler403: permission_denied below) |
| `minutes.approved`, `minutes.reopened` | the minutes workflow (meetings/services.py) |
| `minutes.record_stored` | the worker kept approved minutes' sealed PDF (meetings/tasks.py) |
| `file.download` | evidence files of pledge updates (agreements/views.py) |
| `pdf.fetch_refused` | a PDF asked for a URL other than our static files (core/pdf.py) |
| `record.verified`, `record.verify_refused` | a PDF checked or refused at /verify/ |

Never a password, code, token or key: fields named like one are replaced by "[removed]", and
a failed sign-in records the username tried, not what was typed as the password. JSON keeps
each event on one line whatever a username contains.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import json
import logging
from typing import TYPE_CHECKING, Any

from django.views import defaults

from committee.core.http import client_ip

if TYPE_CHECKING:
    from django.http import HttpRequest

LOGGER_NAME = "portal.security"
logger = logging.getLogger(LOGGER_NAME)

_SENSITIVE = ("password", "token", "secret", "code", "key")
_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "security_log_request", default=None
)


def log_event(
    event: str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    level: int = logging.INFO,
    **fields: Any,
) -> None:
    """Log one security event. Without `request`, the address is the current request's (set by
    RequestContextMiddleware), so services called from a view need not pass it along. `user`
    is a user or a username; without it, the request's signed-in user."""
    request = request if request is not None else _current_request.get()
    if user is None and request is not None:
        signed_in = getattr(request, "user", None)
        if signed_in is not None and signed_in.is_authenticated:
            user = signed_in
    if user is not None and not isinstance(user, str):
        user = user.get_username()
    data = {"event": event, "user": user, "ip": client_ip(request) if request else None}
    for name, value in fields.items():
        sensitive = any(word in name.lower() for word in _SENSITIVE)
        data[name] = "[removed]" if sensitive else value
    logger.log(
        level, "%s user=%s ip=%s", event, data["user"], data["ip"], extra={"security_event": data}
    )


class JsonFormatter(logging.Formatter):
    """One JSON object per record; records logged without log_event keep their message."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        payload = {
            "ts": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
        }
        event = getattr(record, "security_event", None)
        if isinstance(event, dict):
            payload.update(event)
        else:
            payload.update(event="message", logger=record.name, message=record.getMessage())
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


class OtherThanSecurity(logging.Filter):
    """Keeps security events off the plain console handler: they have their own."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == LOGGER_NAME or record.name.startswith(LOGGER_NAME + "."))


class ExpectedRefusals(logging.Filter):
    """On django.request: a refusal the portal expects is one line, not a traceback. A 403 is
    the security log's (permission.denied, with who and what); a 404 keeps Django's one line
    ("Not Found: /path"), without the Http404 behind it."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status == 403:
            return False
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


@contextlib.contextmanager
def request_context(request: HttpRequest):
    """Within it, log_event takes the address (and user) of `request` when not given one."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def request_context_middleware(get_response):
    """Makes the current request known to log_event for the length of the request."""

    def middleware(request):
        with request_context(request):
            return get_response(request)

    return middleware


def permission_denied(request, exception):
    """handler403 (portal/urls.py): log who was refused what, then Django's own 403 page."""
    log_event(
        "permission.denied",
        request=request,
        level=logging.WARNING,
        method=request.method,
        path=request.path[:300],
    )
    return defaults.permission_denied(request, exception)


# Receivers of the auth signals, connected once by MembersConfig.ready().


def _logged_in(sender, request, user, **kwargs):
    log_event("login.success", request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the username is kept.
    username = str(credentials.get("username") or "")[:150] or None
    log_event("login.failure", request=request, user=username, level=logging.WARNING)


def _logged_out(sender, request, user, **kwargs):
    log_event("logout", request=request, user=user)


def _locked_out(sender, request, username, ip_address, **kwargs):
    # Which limit paused the sign-in, as the throttling handler of the accounts app left it on
    # the request: django-axes' own (a username from an address) unless it says otherwise.
    limit = getattr(request, "sign_in_pause", "account")
    log_event("login.lockout", request=request, user=username, level=logging.WARNING, limit=limit)


def connect() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth import signals

    signals.user_logged_in.connect(_logged_in, dispatch_uid="portal.security.login")
    signals.user_login_failed.connect(_login_failed, dispatch_uid="portal.security.failure")
    signals.user_logged_out.connect(_logged_out, dispatch_uid="portal.security.logout")
    user_locked_out.connect(_locked_out, dispatch_uid="portal.security.lockout")
