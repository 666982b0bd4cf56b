"""`python manage.py seed_bulk [--pledges N]`: the data set of a large committee, for measuring.

At the default of 10,000 pledges: 3 committees, 60 sessions, 3,000 agenda items, 300
agreements, 100,000 updates and 600 members with logins, every record text in the five
languages (committee/agreements/bulk/). Every count follows N. The history triggers stay on:
each row is recorded as if it had been typed in.

Why it is fast, and why its time grows in proportion to N. Django declares foreign keys
DEFERRABLE INITIALLY DEFERRED, so in one transaction every inserted row queues its foreign-key
checks until the commit. The history trigger of each row calls pghistory's
_pgh_attach_context(), whose EXCEPTION block is a subtransaction, and outside a request it
ends by rolling back (no context is set). At every such rollback PostgreSQL walks the
transaction's whole list of queued deferred checks (AfterTriggerEndSubXact), so the n-th
row costs time in proportion to n: loading the data set row by row, or in batches in one
transaction, took 203 s at 10,000 pledges and four times as long at twice the size.
`SET CONSTRAINTS ALL IMMEDIATE` checks each statement's foreign keys when it ends, so the
list stays empty and every batch costs the same; and COPY (copying.py) takes the rows in
without a statement per row. The whole data set is one transaction: it is there entirely or
not at all.
"""

import os
import secrets
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import translation
from django_otp.util import random_hex

from committee.accounts.totp import base32_from_hex, hex_from_base32
from committee.agreements.bulk.plan import DEFAULT_PLEDGES, Plan
from committee.agreements.bulk.seed import BulkSeeder, Part, vacuum_analyze
from committee.agreements.models import Pledge
from committee.meetings.models import Meeting
from committee.members.models import Committee, User

PASSWORD_ENV = "SEED_BULK_PASSWORD"  # noqa: S105 (the name of the variable)
TOTP_KEY_ENV = "SEED_BULK_TOTP_KEY"


class Command(BaseCommand):
    help = (
        "Fill an empty database with the data set of a large committee, for the benchmark "
        "(manage.py bench): by default 3 committees, 60 sessions, 3,000 agenda items, 300 "
        "agreements, 10,000 pledges with 100,000 updates and 600 members with logins, texts "
        "in every language; --pledges scales all of it. The history triggers stay on. Every "
        "login has the password given by --password or $SEED_BULK_PASSWORD (else a new one, "
        "printed); the secretariat logins' second factor is the TOTP key of --totp-key or "
        "$SEED_BULK_TOTP_KEY (base32; else a new one, printed). Refuses a database that "
        "holds data, unless --flush (delete everything first) or --force (add beside it)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--pledges",
            type=int,
            default=DEFAULT_PLEDGES,
            help=f"How many pledges (default {DEFAULT_PLEDGES:,}); everything else follows.",
        )
        parser.add_argument("--password", help=f"The logins' password (or ${PASSWORD_ENV}).")
        parser.add_argument(
            "--totp-key", help=f"The staff's TOTP key, base32 (or ${TOTP_KEY_ENV})."
        )
        what = parser.add_mutually_exclusive_group()
        what.add_argument(
            "--flush",
            action="store_true",
            help="Delete every row of the database first (manage.py flush).",
        )
        what.add_argument(
            "--force",
            action="store_true",
            help="Add the data set beside the data there, under new names.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["pledges"] < 1:
            raise CommandError("--pledges must be at least 1.")
        plan = Plan(options["pledges"])
        held = _data_held()
        if held and not (options["flush"] or options["force"]):
            raise CommandError(
                f"The database {connection.settings_dict['NAME']!r} already holds data ("
                + ", ".join(f"{count:,} {name}" for name, count in held.items())
                + "). seed_bulk fills an empty database: add --flush to delete everything in "
                "it first, or --force to add the data set beside what is there."
            )
        password, password_source = self._password(options["password"])
        totp_key, totp_source = self._totp_key(options["totp_key"])
        parts: list[Part] = []
        started = time.perf_counter()
        if options["flush"] and held:
            step = time.perf_counter()
            call_command("flush", interactive=False, verbosity=0)
            parts.append(Part("flush", 0, time.perf_counter() - step))
        tag = _free_tag() if options["force"] and held else ""

        step = time.perf_counter()
        password_hash = make_password(password)  # once: one hash for every login
        parts.append(Part("password hash", 1, time.perf_counter() - step))

        seeder = BulkSeeder(plan, password_hash=password_hash, totp_key=totp_key, tag=tag)
        with translation.override("en"):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # Foreign keys checked at each statement's end: see the module docstring.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                seeder.run()
                parts.extend(seeder.parts)
                step = time.perf_counter()
            parts.append(Part("commit", 0, time.perf_counter() - step))
        if not connection.in_atomic_block:  # a caller's transaction (a test) cannot vacuum
            step = time.perf_counter()
            vacuum_analyze()
            parts.append(Part("vacuum and analyze", 0, time.perf_counter() - step))
        total = time.perf_counter() - started

        if options["verbosity"] >= 1:
            self._report(
                plan, parts, total, seeder, password, password_source, totp_key, totp_source
            )

    def _password(self, given: str | None) -> tuple[str, str]:
        password = given or os.environ.get(PASSWORD_ENV, "")
        source = "from --password" if given else f"from ${PASSWORD_ENV}"
        if not password:
            password, source = secrets.token_urlsafe(12), "generated"
        try:
            validate_password(password, User(username="af-official", first_name="Habibullah"))
        except ValidationError as error:
            raise CommandError(
                f"The password ({source}) is refused: " + " ".join(error.messages)
            ) from None
        return password, source

    def _totp_key(self, given: str | None) -> tuple[str, str]:
        key = (given or os.environ.get(TOTP_KEY_ENV, "")).strip()
        source = "from --totp-key" if given else f"from ${TOTP_KEY_ENV}"
        if not key:
            return random_hex(20), "generated"
        try:
            return hex_from_base32(key), source
        except ValueError as error:
            raise CommandError(f"The TOTP key ({source}) is {error}.") from None

    def _report(self, plan, parts, total, seeder, password, password_source, key, key_source):
        write = self.stdout.write
        width = max(len(part.name) for part in parts)
        write(f"{'part':<{width}}  {'rows':>9}  {'seconds':>8}  {'rows/s':>9}")
        for part in parts:
            rate = f"{part.rows / part.seconds:9,.0f}" if part.rows and part.seconds else ""
            write(f"{part.name:<{width}}  {part.rows:>9,}  {part.seconds:8.2f}  {rate:>9}")
        write(f"{'total':<{width}}  {'':>9}  {total:8.2f}")
        write(
            "Seeded: "
            + ", ".join(f"{count:,} {name}" for name, count in plan.counts().items())
            + "."
        )
        prefix = seeder.prefix
        write(
            f"Logins: {prefix}af-official (an Afghan official on every committee), "
            f"{prefix}af-1-001 … {prefix}kz-3-NNN (members), {prefix}secretariat-1 … 3 (staff)."
        )
        write(f"Password of every login: {password}  ({password_source})")
        write(f"Staff TOTP key (base32): {base32_from_hex(key)}  ({key_source})")


def _data_held() -> dict[str, int]:
    """What the database holds that seed_bulk would add to, by kind (empty when nothing)."""
    counts = {
        "logins": User.objects.count(),
        "committees": Committee.objects.count(),
        "sessions": Meeting.objects.count(),
        "pledges": Pledge.objects.count(),
    }
    return {name: count for name, count in counts.items() if count}


def _free_tag() -> str:
    """A number no earlier data set's logins carry ("2" for b2-af-official, …)."""
    number = 2
    while User.objects.filter(username__startswith=f"b{number}-").exists():
        number += 1
    return str(number)
