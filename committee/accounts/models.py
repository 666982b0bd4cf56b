"""What signing in keeps in the database of its own.

- The password-reset requests of the last PASSWORD_RESET_WINDOW, which limit how many are
  answered (password_reset.py). Failed sign-ins are django-axes' (throttling.py).
- Enrolment links, which let a staff member set up an authenticator app (enrolment.py). A
  password alone never binds an authenticator: the link, issued by another staff member (or by
  the operator on the server for the very first one), is the second thing. Only a SHA-256 of
  its secret is stored, as for calendar feeds; each issue, use, expiry and refusal is an event
  row, read in the admin, besides its line in the security log.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordResetRequest(models.Model):
    """One password-reset form sent: from which address, for which e-mail address, and whether
    a link was sent for it. Rows older than the window are deleted at the next request."""

    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("address"), null=True)
    # Lower-cased, as the reset form matches it.
    email = models.EmailField(_("e-mail address"), max_length=254)
    # False when the e-mail address had its mails for the window already.
    mailed = models.BooleanField(_("link sent"))

    class Meta:
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")
        indexes = [
            models.Index(fields=["requested_at"], name="reset_request_time"),
            models.Index(fields=["ip_address", "requested_at"], name="reset_request_address"),
            models.Index(fields=["email", "requested_at"], name="reset_request_email"),
        ]

    def __str__(self):
        return f"{self.email} from {self.ip_address} at {self.requested_at:%Y-%m-%d %H:%M}"


class EnrolmentLink(models.Model):
    """A one-time link for `user` to set up an authenticator app: valid until it is used, a
    newer one is issued, or `expires_at` passes, whichever comes first."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting to be used")
        USED = "used", _("Used")
        REPLACED = "replaced", _("Replaced by a newer link")
        EXPIRED = "expired", _("Expired")

    class Channel(models.TextChoices):
        ADMIN = "admin", _("Administration")
        COMMAND = "command", _("Command line on the server")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolment_links",
        verbose_name=_("staff member"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolment_links_issued",
        verbose_name=_("issued by"),
        help_text=_("Empty: the operator, on the server's command line."),
    )
    channel = models.CharField(
        _("issued in"), max_length=16, choices=Channel, default=Channel.ADMIN
    )
    # unique already gives the index links are looked up by.
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.WAITING)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment link")
        verbose_name_plural = _("enrolment links")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 (a pattern)
                name="enrolment_link_hash_sha256_hex",
                violation_error_message=_(
                    "The token hash must be 64 lowercase hexadecimal digits."
                ),
            ),
            models.CheckConstraint(
                condition=Q(issued_by__isnull=True) | ~Q(issued_by=F("user")),
                name="enrolment_link_not_for_oneself",
                violation_error_message=_(
                    "Nobody issues an enrolment link for their own account: another member "
                    "of the secretariat does."
                ),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="enrolment_link_expires_after_issue",
                violation_error_message=_("An enrolment link must expire after it is issued."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["waiting", "used", "replaced", "expired"]),
                name="enrolment_link_state_known",
                violation_error_message=_("Unknown state of an enrolment link."),
            ),
            models.CheckConstraint(
                condition=Q(state="waiting", ended_at__isnull=True)
                | (~Q(state="waiting") & Q(ended_at__isnull=False)),
                name="enrolment_link_ended_unless_waiting",
                violation_error_message=_(
                    "An enrolment link has an end time once it is used, replaced or expired, "
                    "and only then."
                ),
            ),
            # A new link retires the one before: never two that work at once.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state="waiting"),
                name="enrolment_link_one_waiting_per_user",
                violation_error_message=_("This person already has an enrolment link waiting."),
            ),
        ]

    def __str__(self):
        return _("Enrolment link for %(user)s, issued %(when)s") % {
            "user": self.user,
            "when": timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M"),
        }

    @staticmethod
    def hash_token(raw: str) -> str:
        # The secret has 256 random bits: an unsalted fast hash leaves nothing to guess.
        return hashlib.sha256(raw.encode()).hexdigest()

    def has_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def state_now(self) -> str:
        """The state as it is now: a waiting link past its time is expired, even before the
        portal has noticed and written it down."""
        if self.state == self.State.WAITING and self.has_expired():
            return self.State.EXPIRED
        return self.state


class EnrolmentLinkEvent(models.Model):
    """One thing that happened to an enrolment link, written once: issued, replaced, expired,
    used, or refused (a link that no longer works, or someone else's)."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REPLACED = "replaced", _("Replaced by a newer link")
        EXPIRED = "expired", _("Expired")
        USED = "used", _("Used: authenticator app set up")
        REFUSED = "refused", _("Refused")

    class Reason(models.TextChoices):
        UNKNOWN = "unknown", _("Not an enrolment link of this portal")
        OTHER_ACCOUNT = "other_account", _("Opened while signed in as someone else")
        USED = "used", _("Used already")
        REPLACED = "replaced", _("Replaced by a newer link")
        EXPIRED = "expired", _("Expired")

    at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("event"), max_length=16, choices=Kind)
    link = models.ForeignKey(
        EnrolmentLink,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("enrolment link"),
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolment_link_events",
        verbose_name=_("staff member"),
        help_text=_("The account whose second factor this is about."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
        help_text=_("Empty: the operator on the server, or the portal itself."),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment link event")
        verbose_name_plural = _("enrolment link events")
        ordering = ("-at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["issued", "replaced", "expired", "used", "refused"]),
                name="enrolment_link_event_kind_known",
                violation_error_message=_("Unknown kind of enrolment link event."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind="refused",
                    reason__in=["unknown", "other_account", "used", "replaced", "expired"],
                )
                | (~Q(kind="refused") & Q(reason="")),
                name="enrolment_link_event_reason_for_refusals",
                violation_error_message=_("A refusal says why; nothing else has a reason."),
            ),
            # Only a refusal can be of no link at all (a made-up or mistyped one).
            models.CheckConstraint(
                condition=Q(kind="refused") | Q(link__isnull=False),
                name="enrolment_link_event_has_link",
                violation_error_message=_("This event needs the link it is about."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.account}"
