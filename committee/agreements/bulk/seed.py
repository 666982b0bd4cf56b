"""The bulk data set of `manage.py seed_bulk`: what a large committee holds, built in seconds.

Rows go in with COPY (copying.py), with every trigger and constraint of the tables in force:
the history records each row (django-pghistory), the session lock and the one head per
delegation are checked, and so are the foreign keys, statement by statement (the command sets
SET CONSTRAINTS ALL IMMEDIATE; see its docstring for why). What the database cannot check is
kept by construction, as the models' clean() asks: a member's party and organization, a
pledge's committee, agreement or agenda item, lead organization and focal points all belong
together; a pledge's status, progress and latest value are those of its last update, whose
author is an official of the pledge's delegation (or the secretariat); due dates fall between
1900 and 2100; an approved session's rows are all written before its minutes are approved.

The choices are random but fixed by the number of pledges: the same command gives the same
data set.
"""

import dataclasses
import datetime
import random
import time
import zoneinfo
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.agreements.bulk import texts
from committee.agreements.bulk.copying import copy_rows, new_ids
from committee.agreements.bulk.plan import Plan, spread, weighted
from committee.agreements.demo import data as demo
from committee.agreements.models import Agreement, Pledge, PledgeUpdate
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes, Sector
from committee.members.models import Committee, Member, Organization, Party, User

LANGUAGES = settings.MODELTRANSLATION_LANGUAGES
SPAN = datetime.timedelta(days=20 * 365)  # the committee has met for twenty years
Status = Pledge.Status
# Updates per pledge, ten pledges at a time: on average ten, a tenth of the pledges with 50.
UPDATE_PATTERN = (0, 1, 2, 4, 6, 8, 10, 12, 7, 50)
INDICATORS = [
    (demo.TRADE_INDICATOR_TEXTS, Decimal("1.00"), Decimal("3.00")),
    (
        {
            "indicator": demo.texts(
                en="Cargo in transit",
                fa="محموله‌های ترانزیتی",
                ps="ترانزیټي بار",
                ru="Объём транзитных грузов",
                kk="Транзиттік жүк көлемі",
            ),
            "indicator_unit": demo.texts(
                en="thousand tonnes", fa="هزار تن", ps="زره ټنه", ru="тыс. тонн", kk="мың тонна"
            ),
        },
        Decimal("120.00"),
        Decimal("450.00"),
    ),
    (
        {
            "indicator": demo.texts(
                en="Railway staff trained",
                fa="کارمندان آموزش‌دیدهٔ خط آهن",
                ps="روزل شوي د اورګاډي کارکوونکي",
                ru="Подготовлено железнодорожников",
                kk="Даярланған теміржолшылар",
            ),
            "indicator_unit": demo.texts(en="people", fa="نفر", ps="تنه", ru="человек", kk="адам"),
        },
        Decimal("0.00"),
        Decimal("300.00"),
    ),
]


def translated(field: str, text: dict[str, str]) -> dict[str, str]:
    """A record text's columns: one per language, and the field's own column in English (as
    modeltranslation writes it when English is active)."""
    columns = {f"{field}_{code}": text[code] for code in LANGUAGES}
    columns[field] = text[settings.MODELTRANSLATION_DEFAULT_LANGUAGE]
    return columns


def numbered(text: dict[str, str], number: int) -> dict[str, str]:
    return {code: f"{value} ({number})" for code, value in text.items()}


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


@dataclasses.dataclass
class Part:
    """One part of the data set as it was written: what, how many rows, how long."""

    name: str
    rows: int
    seconds: float


@dataclasses.dataclass
class Delegation:
    """One party on one committee: its members, who leads it, who may report."""

    party: Party
    co_chair: int = 0  # member id
    members: list[int] = dataclasses.field(default_factory=list)
    # (member id, user id) of the officials with a login who report on pledges (not observers)
    officials: list[tuple[int, int]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Session:
    id: int
    committee: int
    number: int
    state: str  # "approved", "draft" or "planned"
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    city: dict
    items: list[tuple[int, str]] = dataclasses.field(default_factory=list)  # (id, kind)


@dataclasses.dataclass
class UpdatePlan:
    """What a pledge's updates say, decided with the pledge, written after it."""

    pledge_id: int
    committee: int
    party: int | None  # responsible party, None: joint
    count: int
    status: str
    progress: int
    start: datetime.datetime
    end: datetime.datetime
    indicator: tuple[Decimal, Decimal] | None  # baseline and target


class BulkSeeder:
    """Writes the data set of `plan`, part by part, in the caller's transaction.

    `tag` tells this data set's unique names (committees, logins) from those of an earlier
    one in the same database; it is empty for an empty database.
    """

    def __init__(self, plan: Plan, *, password_hash: str, totp_key: str, tag: str = ""):
        self.plan = plan
        self.password_hash = password_hash
        self.totp_key = totp_key
        self.tag = tag
        self.prefix = f"b{tag}-" if tag else ""
        # Made-up data, the same for the same plan: no secret comes from it.
        self.rng = random.Random(plan.pledges)  # noqa: S311
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        self.parts: list[Part] = []

    # --- Running ----------------------------------------------------------------------------

    def run(self) -> list[Part]:
        for name, step in [
            ("sectors, parties, committees, organizations", self.reference),
            ("logins and members", self.people),
            ("sessions", self.meetings),
            ("agenda items", self.agenda),
            ("attendance", self.attendance),
            ("minutes", self.minutes),
            ("agreements", self.agreements),
            ("pledges", self.pledges),
            ("updates", self.updates),
        ]:
            started = time.perf_counter()
            rows = step()
            self.parts.append(Part(name, rows, time.perf_counter() - started))
        return self.parts

    # --- Reference data ---------------------------------------------------------------------

    def reference(self) -> int:
        rows = 0
        self.sector_by_slug = {}
        for slug, name in demo.SECTORS.items():
            sector, created = Sector.objects.get_or_create(
                slug=slug, defaults=translated("name", name)
            )
            self.sector_by_slug[slug] = sector.pk
            rows += created
        self.sectors = list(self.sector_by_slug.values())
        self.parties = {}
        for code, spec in demo.PARTIES.items():
            party, created = Party.objects.get_or_create(
                country_code=code,
                defaults={
                    "kind": Party.Kind.STATE,
                    **{
                        column: value
                        for field in ("name", "short_name", "government_name")
                        for column, value in translated(field, spec[field]).items()
                    },
                },
            )
            self.parties[code] = party
            rows += created
        specs = [
            {
                "short_name": demo.COMMITTEE["short_name"],
                "name": demo.COMMITTEE["name"],
                "mandate": demo.COMMITTEE["mandate"],
            },
            *texts.SUB_COMMITTEES,
        ]
        suffix = f" {self.tag}" if self.tag else ""
        self.committees = []
        for spec in specs:
            committee = Committee.objects.create(
                short_name=spec["short_name"] + suffix,
                established_on=self.today - SPAN,
                secretariat_email="secretariat@bulk.example.org",
                **translated("name", {code: text + suffix for code, text in spec["name"].items()}),
                **translated("mandate", spec["mandate"]),
            )
            committee.parties.set(self.parties.values())
            self.committees.append(committee.pk)
            rows += 1 + len(self.parties)
        self.organizations = defaultdict(list)
        for spec in demo.ORGANIZATIONS.values():
            party = self.parties[spec["party"]]
            organization, created = Organization.objects.get_or_create(
                party=party,
                name_en=spec["name"]["en"],
                defaults={
                    "acronym": spec["acronym"],
                    "kind": spec["kind"],
                    **translated("name", spec["name"]),
                },
            )
            self.organizations[party.pk].append(organization.pk)
            rows += created
        return rows

    # --- People -----------------------------------------------------------------------------

    def people(self) -> int:
        """Members of each delegation on each committee, each with a login, but one: the Afghan
        official who sits on every committee signs in once (`<prefix>af-official`). The
        secretariat of each committee is a staff login with a second factor."""
        parties = list(self.parties.values())
        sizes = spread(self.plan.members, len(self.committees) * len(parties))
        member_ids = iter(new_ids(Member, self.plan.members))
        # One login per member, but one for the official on every committee.
        user_count = self.plan.members - (len(self.committees) - 1)
        user_ids = iter(new_ids(User, user_count + len(self.committees)))
        users, members = [], []
        self.delegations: dict[tuple[int, int], Delegation] = {}
        self.staff = {}
        shared_official = None
        for c_index, committee in enumerate(self.committees):
            staff_id = next(user_ids)
            users.append(self._user(staff_id, f"secretariat-{c_index + 1}", staff=True))
            self.staff[committee] = staff_id
            for p_index, party in enumerate(parties):
                delegation = Delegation(party)
                self.delegations[committee, party.pk] = delegation
                for index in range(sizes[c_index * len(parties) + p_index]):
                    member_id = next(member_ids)
                    role, position = self._role(index)
                    if index == 1 and party.country_code == "AF":
                        if shared_official is None:
                            shared_official = next(user_ids)
                            users.append(
                                self._user(shared_official, "af-official", party=party, name=(7, 7))
                            )
                        user_id, name = shared_official, (7, 7)
                    else:
                        user_id = next(user_ids)
                        name = (self.rng.randrange(100), self.rng.randrange(100))
                        login = f"{party.country_code.lower()}-{c_index + 1}-{index + 1:03d}"
                        users.append(self._user(user_id, login, party=party, name=name))
                    members.append(
                        self._member(member_id, committee, party, role, position, user_id, name)
                    )
                    delegation.members.append(member_id)
                    if role == Member.Role.CO_CHAIR:
                        delegation.co_chair = member_id
                    if role != Member.Role.OBSERVER:
                        delegation.officials.append((member_id, user_id))
        rows = copy_rows(User, users) + copy_rows(Member, members)
        TOTPDevice.objects.bulk_create(
            TOTPDevice(user_id=user_id, name="Authenticator app", key=self.totp_key, confirmed=True)
            for user_id in self.staff.values()
        )
        return rows + len(self.staff)

    def _role(self, index: int) -> tuple[str, dict]:
        if index == 0:
            return Member.Role.CO_CHAIR, texts.POSITIONS[1]
        if index == 1:
            return Member.Role.MEMBER, texts.POSITIONS[0]
        if index == 2:
            return Member.Role.DEPUTY_CO_CHAIR, texts.POSITIONS[0]
        if index == 3:
            return Member.Role.SECRETARY, texts.SECRETARY
        draw = self.rng.random()
        position = self.rng.choice(texts.POSITIONS[2:])
        if draw < 0.05:
            return Member.Role.OBSERVER, position
        if draw < 0.25:
            return Member.Role.EXPERT, position
        return Member.Role.MEMBER, position

    def _name(self, party: Party, name: tuple[int, int]) -> tuple[dict, dict]:
        given_pool = texts.GIVEN_NAMES[party.country_code]
        family_pool = texts.FAMILY_NAMES[party.country_code]
        given = given_pool[name[0] % len(given_pool)]
        family = family_pool[name[1] % len(family_pool)]
        if party.country_code == "KZ" and given["en"] in texts.WOMEN:
            family = {code: text + texts.FEMININE[code] for code, text in family.items()}
        return given, family

    def _user(self, pk, login, *, staff=False, party=None, name=(0, 0)) -> dict:
        if staff:
            first, last, language = "Secretariat", login.rsplit("-", 1)[1], "en"
        else:
            given, family = self._name(party, name)
            first, last = given["en"], family["en"]
            language = self.rng.choice(texts.USER_LANGUAGES[party.country_code])
            if login == "af-official":
                # The benchmark's official reads the pages in the default language.
                language = ""
        username = self.prefix + login
        return {
            "id": pk,
            "username": username,
            "password": self.password_hash,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@bulk.example.org",
            "is_staff": staff,
            "is_superuser": staff,
            "is_active": True,
            "date_joined": self.now,
            "language": language,
        }

    def _member(self, pk, committee, party, role, position, user_id, name) -> dict:
        given, family = self._name(party, name)
        honorific = texts.DOCTOR if self.rng.random() < 0.15 else demo.NO_TEXT
        organizations = self.organizations[party.pk]
        return {
            "id": pk,
            "committee_id": committee,
            "party_id": party.pk,
            "organization_id": self.rng.choice(organizations) if self.rng.random() < 0.9 else None,
            "role": role,
            "email": f"member{pk}@bulk.example.org",
            "user_id": user_id,
            "is_active": True,
            **translated("honorific", honorific),
            **translated(
                "full_name", {code: f"{given[code]} {family[code]}" for code in LANGUAGES}
            ),
            **translated("position", position),
        }

    # --- Sessions ---------------------------------------------------------------------------

    def meetings(self) -> int:
        """Per committee: sessions about once a year for twenty years, minutes approved; the
        latest, a few weeks ago, with draft minutes; the next one planned."""
        counts = spread(self.plan.meetings, len(self.committees))
        ids = iter(new_ids(Meeting, self.plan.meetings))
        parties = list(self.parties)
        self.sessions: list[Session] = []
        rows = []
        for c_index, (committee, count) in enumerate(zip(self.committees, counts, strict=True)):
            held = count - 1
            latest = self.today - datetime.timedelta(days=25 + 5 * c_index)
            first = self.today - SPAN + datetime.timedelta(days=10 * c_index)
            step = (latest - first) / max(1, held - 1)
            for number in range(1, count + 1):
                if number <= held:
                    day = first + step * (number - 1) if number < held else latest
                    state = "draft" if number == held else "approved"
                else:
                    day = self.today + datetime.timedelta(days=40 + 10 * c_index)
                    state = "planned"
                host = parties[(number + c_index) % len(parties)]
                city, zone_name = texts.CITIES[host][number % len(texts.CITIES[host])]
                zone = zoneinfo.ZoneInfo(zone_name)
                starts = datetime.datetime.combine(day, datetime.time(9), tzinfo=zone)
                ends = datetime.datetime.combine(
                    day + datetime.timedelta(days=1), datetime.time(16, 30), tzinfo=zone
                )
                session = Session(next(ids), committee, number, state, starts, ends, city)
                self.sessions.append(session)
                rows.append(
                    {
                        "id": session.id,
                        "committee_id": committee,
                        "number": number,
                        "starts_at": starts,
                        "ends_at": ends,
                        "time_zone": zone_name,
                        "host_party_id": self.parties[host].pk,
                        "format": Meeting.Format.IN_PERSON,
                        "status": Meeting.Status.PLANNED
                        if state == "planned"
                        else Meeting.Status.HELD,
                        "version": 1,
                        **translated("title", texts.session_title(number)),
                        **translated("venue", demo.NO_TEXT),
                        **translated("city", city),
                    }
                )
        return copy_rows(Meeting, rows)

    def agenda(self) -> int:
        """Items in proportion: twice as many for the latest session (the one whose minutes
        the benchmark prints), a few for the planned one; the last is the next session."""
        weight = {"approved": 1.0, "draft": 2.0, "planned": 0.2}
        counts = weighted(self.plan.agenda_items, [weight[s.state] for s in self.sessions], least=2)
        ids = iter(new_ids(AgendaItem, self.plan.agenda_items))
        regular, closing = demo.AGENDA[:-1], demo.AGENDA[-1]
        rows = []
        for session, count in zip(self.sessions, counts, strict=True):
            held = session.state != "planned"
            members = self._committee_members(session.committee, officials_only=True)
            for position in range(1, count + 1):
                last = position == count
                spec = closing if last else regular[(position - 1) % len(regular)]
                kind = AgendaItem.Kind.NEXT_SESSION if last else AgendaItem.Kind.REGULAR
                item_id = next(ids)
                session.items.append((item_id, kind))
                if last:
                    sector = None
                elif spec["sector"]:
                    sector = self.sector_by_slug[spec["sector"]]
                else:
                    sector = self.rng.choice(self.sectors)
                rows.append(
                    {
                        "id": item_id,
                        "meeting_id": session.id,
                        "kind": kind,
                        "position": position,
                        "presenter_id": self.rng.choice(members)
                        if self.rng.random() < 0.8
                        else None,
                        "sector_id": sector,
                        "outcome": spec["outcome"] if held else AgendaItem.Outcome.PENDING,
                        "version": 1,
                        **translated("title", spec["title"]),
                        **translated("discussion", spec["discussion"] if held else demo.NO_TEXT),
                        **translated("decision", spec["decision"] if held else demo.NO_TEXT),
                    }
                )
        return copy_rows(AgendaItem, rows)

    def _committee_members(self, committee: int, *, officials_only: bool = False) -> list[int]:
        found = []
        for (c, _party), delegation in self.delegations.items():
            if c == committee:
                found += (
                    [member for member, _user in delegation.officials]
                    if officials_only
                    else delegation.members
                )
        return found

    def attendance(self) -> int:
        """Each held session: both co-chairs, heading their delegations, and up to 18 more."""
        rows = []
        statuses = [
            (Attendance.Status.PRESENT, 0.85),
            (Attendance.Status.REMOTE, 0.08),
            (Attendance.Status.EXCUSED, 0.05),
            (Attendance.Status.ABSENT, 0.02),
        ]
        for session in self.sessions:
            if session.state == "planned":
                continue
            heads = [
                delegation.co_chair
                for (c, _party), delegation in self.delegations.items()
                if c == session.committee
            ]
            others = [m for m in self._committee_members(session.committee) if m not in heads]
            chosen = self.rng.sample(others, min(18, len(others)))
            for member in heads:
                rows.append(
                    {
                        "meeting_id": session.id,
                        "member_id": member,
                        "status": Attendance.Status.PRESENT,
                        "heads_delegation": True,
                    }
                )
            for member in chosen:
                status = self.rng.choices(
                    [s for s, _w in statuses], weights=[w for _s, w in statuses]
                )[0]
                rows.append(
                    {
                        "meeting_id": session.id,
                        "member_id": member,
                        "status": status,
                        "heads_delegation": False,
                    }
                )
        return copy_rows(Attendance, rows)

    def minutes(self) -> int:
        """Approved for every held session but the latest, whose minutes are a draft. Written
        last of a session's rows: approved minutes lock their session."""
        rows = []
        for session in self.sessions:
            if session.state == "planned":
                continue
            approved = session.state == "approved"
            ended = session.ends_at
            rows.append(
                {
                    "meeting_id": session.id,
                    "status": Minutes.Status.APPROVED if approved else Minutes.Status.DRAFT,
                    "done_on": ended.date(),
                    "original_count": 2,
                    "authentic_languages": demo.AUTHENTIC_LANGUAGES,
                    "prevailing_language": "en",
                    "circulated_at": ended + datetime.timedelta(days=7) if approved else None,
                    "comment_deadline": ended + datetime.timedelta(days=21) if approved else None,
                    "approved_at": ended + datetime.timedelta(days=30) if approved else None,
                    "approved_by_id": self.staff[session.committee] if approved else None,
                    "version": 1,
                    **translated("next_session", demo.AGENDA[-1]["decision"]),
                    **translated("done_at", session.city),
                }
            )
        return copy_rows(Minutes, rows)

    # --- Agreements and pledges -------------------------------------------------------------

    def agreements(self) -> int:
        ids = new_ids(Agreement, self.plan.agreements)
        kinds = list(texts.KINDS_OF_INSTRUMENT)
        sector_names = dict(zip(self.sectors, demo.SECTORS.values(), strict=True))
        short_names = dict(Committee.objects.values_list("pk", "short_name"))
        self.agreement_list = []  # (id, committee, signed_on)
        rows, parties, signatories = [], [], []
        earliest = self.today - SPAN
        days = (self.today - datetime.timedelta(days=30) - earliest).days
        for index, pk in enumerate(ids):
            committee = self.committees[index % len(self.committees)]
            signed = earliest + datetime.timedelta(days=self.rng.randrange(days))
            kind = kinds[index % len(kinds)]
            sector = sector_names[self.rng.choice(self.sectors)]
            title = {
                code: f"{texts.KINDS_OF_INSTRUMENT[kind][code]}: {sector[code]}, {signed.year}"
                for code in LANGUAGES
            }
            city = self.rng.choice(texts.CITIES["AF"] + texts.CITIES["KZ"])[0]
            rows.append(
                {
                    "id": pk,
                    "committee_id": committee,
                    "kind": kind,
                    "reference": f"{short_names[committee]}/{signed.year}/{index + 1}",
                    "signed_on": signed,
                    "entry_into_force_on": signed + datetime.timedelta(days=self.rng.randrange(60)),
                    "expires_on": signed + datetime.timedelta(days=3650)
                    if index % 4 == 0
                    else None,
                    "authentic_languages": demo.AUTHENTIC_LANGUAGES,
                    **translated("title", title),
                    **translated("summary", texts.agreement_summary(sector)),
                    **translated("signed_at", city),
                }
            )
            self.agreement_list.append((pk, committee, signed))
            for party in self.parties.values():
                parties.append({"agreement_id": pk, "party_id": party.pk})
                delegation = self.delegations[committee, party.pk]
                signatories.append({"agreement_id": pk, "member_id": delegation.co_chair})
        return (
            copy_rows(Agreement, rows)
            + copy_rows(Agreement.parties.through, parties)
            + copy_rows(Agreement.signatories.through, signatories)
        )

    def pledges(self) -> int:
        plan = self.plan
        counts = [UPDATE_PATTERN[index % len(UPDATE_PATTERN)] for index in range(plan.pledges)]
        self.rng.shuffle(counts)
        counts[-1] += plan.updates - sum(counts)
        ids = new_ids(Pledge, plan.pledges)
        origins = []  # (committee, created, due window in days, agreement, item, number)
        agreements = self.agreement_list
        for index in range(plan.pledges_of_agreements):
            pk, committee, signed = agreements[index % len(agreements)]
            origins.append(
                (committee, noon(signed), (180, 1460), pk, None, index // len(agreements) + 1)
            )
        items = [
            (item_id, session)
            for session in self.sessions
            if session.state != "planned"
            for item_id, kind in session.items
            if kind == AgendaItem.Kind.REGULAR
        ]
        for index in range(plan.pledges_of_agenda_items):
            item_id, session = items[index % len(items)]
            origins.append(
                (
                    session.committee,
                    session.ends_at,
                    (90, 1095),
                    None,
                    item_id,
                    index // len(items) + 1,
                )
            )
        parties = [party.pk for party in self.parties.values()]
        self.update_plans = []
        rows = []
        for index, (pk, origin, count) in enumerate(zip(ids, origins, counts, strict=True)):
            committee, created, window, agreement, item, number = origin
            party = self.rng.choice([*parties, None])  # a third are joint
            owner = party or parties[0]
            other = next(p for p in parties if p != owner)
            due = (
                None
                if self.rng.random() < 0.015
                else created.date() + datetime.timedelta(days=self.rng.randint(*window))
            )
            status, progress = self._outcome(count, due)
            start = created + datetime.timedelta(days=1)
            end = self.now - datetime.timedelta(hours=1)
            if due and status in Pledge.CLOSED_STATUSES:
                end = min(end, noon(due) + datetime.timedelta(days=self.rng.randrange(120)))
            end = max(end, start + datetime.timedelta(hours=1))
            measured = self.rng.random() < 0.1
            indicator_texts, baseline, target = self.rng.choice(INDICATORS)
            spec = demo.PLEDGES[index % len(demo.PLEDGES)]
            row = {
                "id": pk,
                "committee_id": committee,
                "agreement_id": agreement,
                "agenda_item_id": item,
                "number": number,
                "responsible_party_id": party,
                "lead_organization_id": self.rng.choice(self.organizations[owner]),
                "counterpart_organization_id": self.rng.choice(self.organizations[other]),
                "focal_point_id": self.rng.choice(self.delegations[committee, owner].officials)[0],
                "counterpart_focal_point_id": self.rng.choice(
                    self.delegations[committee, other].officials
                )[0],
                "sector_id": self.rng.choice(self.sectors),
                "due_on": due,
                "status": status,
                "progress": progress,
                "created_at": created,
                "updated_at": end if count else created,
                "version": 1,
                **translated("title", numbered(spec["title"], index + 1)),
                **translated("description", spec["description"]),
                **translated(
                    "indicator", indicator_texts["indicator"] if measured else demo.NO_TEXT
                ),
                **translated(
                    "indicator_unit",
                    indicator_texts["indicator_unit"] if measured else demo.NO_TEXT,
                ),
            }
            if measured:
                row.update(
                    baseline_value=baseline,
                    baseline_year=created.year,
                    target_value=target,
                    target_on=due,
                    current_value=self._value(baseline, target, progress) if count else None,
                )
            if due and self.rng.random() < 0.03:
                row.update(
                    original_due_on=due - datetime.timedelta(days=self.rng.randint(60, 365)),
                    due_moved_at=created + datetime.timedelta(days=5),
                    due_moved_by_id=self.staff[committee],
                    due_moved_reason="Extended by the Committee at its next session.",
                )
            rows.append(row)
            self.update_plans.append(
                UpdatePlan(
                    pk,
                    committee,
                    party,
                    count,
                    status,
                    progress,
                    start,
                    end,
                    (baseline, target) if measured else None,
                )
            )
        return copy_rows(Pledge, rows)

    def _outcome(self, count: int, due: datetime.date | None) -> tuple[str, int]:
        """The pledge's status and progress after its last update. Pledges long past their
        due date are mostly closed; an open one past it is overdue, and often at risk."""
        if count == 0:
            return Status.NOT_STARTED, 0
        past = due is not None and due < self.today
        if self.rng.random() < (0.85 if past else 0.12):
            if self.rng.random() < 0.8:
                return Status.COMPLETED, 100
            return Status.CANCELLED, self.rng.randint(0, 60)
        if self.rng.random() < (0.35 if past else 0.15):
            return Status.AT_RISK, self.rng.randint(5, 60)
        return Status.IN_PROGRESS, self.rng.randint(10, 90)

    @staticmethod
    def _value(baseline: Decimal, target: Decimal, progress: int) -> Decimal:
        return (baseline + (target - baseline) * progress / 100).quantize(Decimal("0.01"))

    def updates(self) -> int:
        return copy_rows(PledgeUpdate, self._update_rows())

    def _update_rows(self):
        """Each pledge's updates, oldest first, the last one giving the pledge's state."""
        staff = self.staff
        party_ids = [party.pk for party in self.parties.values()]
        codes = {party.pk: party.country_code for party in self.parties.values()}
        for plan in self.update_plans:
            span = plan.end - plan.start
            for index in range(plan.count):
                last = index == plan.count - 1
                at = plan.start + span * (index + 1) / (plan.count + 1)
                if last:
                    status, progress = plan.status, plan.progress
                else:
                    status = Status.AT_RISK if self.rng.random() < 0.15 else Status.IN_PROGRESS
                    progress = min(plan.progress, round(plan.progress * (index + 1) / plan.count))
                if self.rng.random() < 0.1:
                    author, author_party = staff[plan.committee], None
                else:
                    author_party = plan.party or self.rng.choice(party_ids)
                    author = self.rng.choice(
                        self.delegations[plan.committee, author_party].officials
                    )[1]
                language = self.rng.choice(texts.NOTE_LANGUAGES[codes.get(author_party)])
                notes = texts.NOTES[language]
                if index == 0:
                    note = notes[0]
                elif last and status == Status.COMPLETED:
                    note = notes[4]
                elif status == Status.AT_RISK:
                    note = notes[3]
                else:
                    note = notes[1 + index % 2]
                row = {
                    "pledge_id": plan.pledge_id,
                    "author_id": author,
                    "author_party_id": author_party,
                    "created_at": at,
                    "status": status,
                    "progress": progress,
                    "note": note,
                }
                if plan.indicator:
                    month = at.date().replace(day=1)
                    row.update(
                        indicator_value=self._value(*plan.indicator, progress),
                        period_start=month.replace(year=month.year - 1),
                        period_end=month - datetime.timedelta(days=1),
                    )
                yield row


def vacuum_analyze() -> None:
    """Statistics for the planner and the visibility map for index-only scans, as autovacuum
    would leave them some minutes later: a benchmark run right after sees what a live
    database has. Outside any transaction."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
