"""What the benchmark measures, by the names issue 15 gives them, on the seeded data.

Pages are read as a seeded official, the Afghan official who sits on every committee (so
every pledge is theirs to read, as in the issue's numbers), or as a seeded secretariat login
(the admin, the draft minutes). The pledge page is one of the official's delegation's pledges
with 50 updates; the meeting is the official's latest session, the one with the most agenda
items, whose minutes are still a draft (the secretariat's to print); the approved minutes are
those of the official's session with the most agenda items among those approved.
"""

import dataclasses
from urllib.parse import urlencode

from django.core.management.base import CommandError
from django.db.models import Count

from committee.agreements.models import Pledge
from committee.meetings.models import Meeting, Minutes, Sector
from committee.members import rules
from committee.members.models import User
from portal.bench_urls import BARE_PATH

OFFICIAL = "official"
STAFF = "staff"

# Every name, in the order of the table and the JSON.
NAMES = (
    "bare",
    "trivial",
    "dashboard",
    "tracker",
    "tracker_filtered",
    "tracker_page_100",
    "pledge",
    "meeting",
    "minutes_page",
    "minutes_pdf",
    "minutes_pdf_bare_weasyprint",
    "minutes_pdf_stored",
    "report",
    "report_pdf",
    "export_csv",
    "export_xlsx",
    "admin_changelist",
)
# Served by the app server under load, each against the others in turn.
THROUGHPUT = ("bare", "trivial", "tracker", "pledge", "admin_changelist")
# Measured for the worker's peak memory while the app server makes them.
MEMORY = ("export_csv", "export_xlsx")
# Measured at a smaller data set too, for how their time grows.
GROWTH = ("tracker", "dashboard")
# The lightest page a signed-in person opens: the PDF check's form, which asks the database
# for nothing but the session and the user's memberships.
TRIVIAL_PATH = "/verify/"


@dataclasses.dataclass(frozen=True)
class Page:
    name: str
    path: str  # the address, or "" for what is not a request (a PDF on the worker)
    who: str | None  # OFFICIAL, STAFF, or None: not signed in


@dataclasses.dataclass
class Subjects:
    """The seeded records the pages are about."""

    official: User
    staff: User
    pledge: Pledge
    meeting: Meeting
    approved: Meeting  # a session whose minutes are approved: their PDF is a stored file

    def pages(self) -> dict[str, Page]:
        delegation = rules.memberships(self.official)[self.meeting.committee_id].party_id
        sector = Sector.objects.order_by("slug").values_list("pk", flat=True).first()
        filtered = urlencode(
            [
                ("responsible_party", delegation),
                ("status", Pledge.Status.IN_PROGRESS),
                ("status", Pledge.Status.AT_RISK),
                ("sector", sector),
                ("ordering", "-progress"),
            ]
        )
        meeting = self.meeting.pk
        pages = [
            Page("bare", f"/{BARE_PATH}", None),
            Page("trivial", TRIVIAL_PATH, OFFICIAL),
            Page("dashboard", "/", OFFICIAL),
            Page("tracker", "/pledges/", OFFICIAL),
            Page("tracker_filtered", f"/pledges/?{filtered}", OFFICIAL),
            Page("tracker_page_100", "/pledges/?page=100", OFFICIAL),
            Page("pledge", f"/pledges/{self.pledge.pk}/", OFFICIAL),
            Page("meeting", f"/meetings/{meeting}/", OFFICIAL),
            Page("minutes_page", f"/meetings/{meeting}/minutes/", STAFF),
            Page("minutes_pdf", f"/meetings/{meeting}/minutes.pdf", STAFF),
            Page("minutes_pdf_bare_weasyprint", "", STAFF),
            Page("minutes_pdf_stored", f"/meetings/{self.approved.pk}/minutes.pdf", OFFICIAL),
            Page("report", "/reports/implementation/", OFFICIAL),
            Page("report_pdf", "", OFFICIAL),
            Page("export_csv", "/pledges/export.csv", OFFICIAL),
            Page("export_xlsx", "/pledges/export.xlsx", OFFICIAL),
            Page("admin_changelist", "/admin/agreements/pledge/", STAFF),
        ]
        return {page.name: page for page in pages}


def find_subjects(official: str, staff: str) -> Subjects:
    """The seeded logins and records, or a CommandError that says to seed first."""
    users = {user.username: user for user in User.objects.filter(username__in=[official, staff])}
    missing = [name for name in (official, staff) if name not in users]
    if missing:
        raise CommandError(
            f"No login {', '.join(missing)} in this database: fill it with "
            "`manage.py seed_bulk` first (or name the logins with --official and --staff)."
        )
    official_user, staff_user = users[official], users[staff]
    if not staff_user.is_staff:
        raise CommandError(f"{staff} is not a secretariat (staff) login.")
    memberships = rules.memberships(official_user)
    if not memberships:
        raise CommandError(f"{official} is not a member of any committee.")
    parties = {member.party_id for member in memberships.values()}
    pledges = (
        Pledge.objects.filter(committee__in=memberships, responsible_party__in=parties)
        .annotate(update_count=Count("updates"))
        .order_by("-update_count", "pk")
    )
    pledge = pledges.filter(update_count=50).first() or pledges.first()
    sessions = (
        Meeting.objects.filter(committee__in=memberships)
        .annotate(item_count=Count("agenda_items"))
        .order_by("-item_count", "pk")
    )
    meeting = sessions.filter(minutes__status=Minutes.Status.DRAFT).first()
    approved = sessions.filter(minutes__status=Minutes.Status.APPROVED).first()
    if pledge is None or meeting is None or approved is None:
        raise CommandError(
            f"{official}'s committees have no pledge of their delegation, no session with "
            "draft minutes or none with approved minutes: seed the database with "
            "`manage.py seed_bulk`."
        )
    return Subjects(official_user, staff_user, pledge, meeting, approved)


def stored_record(meeting: Meeting) -> None:
    """The approved minutes' PDF, made and stored as the worker makes it after the last
    approval (sealed where a seal is configured), if it is not stored yet: seed_bulk approves
    minutes without making their PDFs. The benchmark then measures serving the stored file."""
    from committee.meetings import tasks

    minutes = Minutes.objects.get(meeting=meeting)
    if minutes.record_pending:
        rendering = tasks.queue_record(minutes, None)
        tasks.render_minutes_record.call(str(rendering.pk))
