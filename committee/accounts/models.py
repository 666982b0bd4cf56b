"""What signing in keeps in the database of its own: the password-reset requests of the last
PASSWORD_RESET_WINDOW, which limit how many are answered (password_reset.py). Failed sign-ins
are django-axes' (throttling.py)."""

from django.db import models
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
