"""`python manage.py load_demo`: the founding case of the seed article as demo data.

Afghanistan and Kazakhstan, the first session of their Joint Intergovernmental Working
Committee in Kabul, the protocol signed there with one pledge per commitment announced at the
press conference, a few follow-up updates, and the demo logins. The records are in
committee/agreements/demo/data.py, the loading in committee/agreements/demo/loader.py.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation

from committee.agreements.demo import credentials
from committee.agreements.demo.loader import DemoLoader
from committee.agreements.demo.rows import Rows


class Command(BaseCommand):
    help = (
        "Load the founding case of the seed article as demo data: Afghanistan and Kazakhstan, "
        "the first session of their Joint Intergovernmental Working Committee in Kabul, the "
        "protocol signed there with its pledges, follow-up updates, and the demo logins "
        "secretariat, azizi, torebayev and observer. Idempotent: every row is looked up by its "
        "natural key and created only when it is missing; rows that exist are left as they are "
        "(edits made in the admin survive), except that the demo logins keep their staff flags, "
        "their link to their member and the demo password, and that record texts missing in a "
        "language (English, Dari, Pashto, Russian, Kazakh) are filled in. Dates are relative to "
        "the day a row is first created (the session a few weeks before, pledges overdue, due "
        "within 30 days and due later) and are never moved by a later run; for fresh dates, "
        "load into an empty database. The password is $DEMO_PASSWORD when set, else the one "
        "kept in VAR_DIR/demo-password, else a new one written there (mode 0600). The "
        "secretariat login's second factor is a TOTP key: $DEMO_TOTP_KEY (base32) when set, "
        "else the one kept in VAR_DIR/demo-totp-key, else a new one written there."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Both secrets are settled before anything is written: a refused one leaves the
        # database as it was.
        password = credentials.demo_password()
        totp_key = credentials.demo_totp_key()
        rows = Rows()
        with transaction.atomic(), translation.override("en"):
            DemoLoader(rows, today=timezone.localdate(), password=password.value).load()
            device = credentials.ensure_totp_device(rows, totp_key.value)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Demo data loaded: {rows.created} rows created, {rows.updated} updated.\n"
            )
            credentials.print_logins(self.stdout.write, password)
            credentials.print_totp(self.stdout.write, device, totp_key)
