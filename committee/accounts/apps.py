from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in: throttling and its lockout page, the second factor of staff (TOTP) and the
    admin site that asks for it.

    The user model stays in committee.members (AUTH_USER_MODEL = "members.User"): moving a
    swapped-in user model between apps rewrites every foreign key to it and the tables of
    django-otp, django-axes and pghistory, for no gain to a reader.
    """

    name = "committee.accounts"
    label = "accounts"
    verbose_name = _("Sign-in")

    def ready(self):
        # A language chosen on the sign-in page is carried onto the account at sign-in.
        from committee.accounts import language  # noqa: F401
