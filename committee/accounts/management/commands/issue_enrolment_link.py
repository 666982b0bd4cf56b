"""`python manage.py issue_enrolment_link USERNAME`: an enrolment link from the server.

For the first staff member of a new installation, whom no colleague can issue a link for in the
admin, and for when no staff member who can sign in is left. Shell access to the server is
already the highest trust there is, so the operator may; the link is logged like one issued in
the admin (channel "command", with the operator's login on the server). Any other time, a
colleague issues it on the user's page in the admin.
"""

import getpass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from committee.accounts import enrolment


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (some containers)
        return ""


class Command(BaseCommand):
    help = (
        "Issue a one-time enrolment link for a staff account to set up its authenticator app "
        "(the first staff member of a new installation). Prints the link; any earlier link "
        "of the account stops working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the staff account's username")

    def handle(self, *args, username: str, **options):
        model = get_user_model()
        try:
            user = model._default_manager.get_by_natural_key(username)
        except model.DoesNotExist:
            raise CommandError(f"There is no account named {username!r}.") from None
        if not user.is_active or not (user.is_staff or user.is_superuser):
            raise CommandError(
                f"{username!r} is not an active staff account: only staff pass the second "
                "factor. Make it staff first (createsuperuser, or the admin)."
            )
        raw = enrolment.issue_link(user, operator=_operator())
        url = f"{settings.PORTAL_URL}{reverse('otp_enrol_link', args=[raw])}"
        hours = int(settings.ENROLMENT_LINK_VALID_FOR.total_seconds() // 3600)
        self.stdout.write(
            f"Enrolment link for {username} (works once, for {hours} hours; shown only now):\n"
            f"\n  {url}\n\n"
            f"Give it to {username} by a channel you trust. They open it, sign in with their "
            "password and set up their authenticator app; the page then shows their recovery "
            "codes once. Any earlier link of this account no longer works."
        )
