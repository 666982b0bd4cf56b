"""Put the demo records (committee/agreements/demo/data.py) in the database, part by part.

Every row is looked up by its natural key and created only when it is missing (Rows.ensure);
rows that exist are left as they are, except that the demo logins keep their staff flags,
their link to their member and the demo password, and that a record text missing in a
language is filled in (a text someone edited is kept). Dates are relative to the day a row is
first created and are never moved by a later run.

Record texts are written column by column (title_en, title_fa, …), never through the field
itself, which modeltranslation maps to the active language's column; for the same reason rows
are looked up by their English column.
"""

import datetime
import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from committee.agreements.demo import credentials, data
from committee.agreements.demo.rows import Rows
from committee.agreements.models import Agreement, Pledge, PledgeUpdate
from committee.agreements.services import pledge_update_post
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes, Sector
from committee.members.models import Committee, Member, Organization, Party, User

# The namespace of the demo updates' submission keys, uuid5 of the update's natural key. The key
# is the same on every run: were the lookup by natural key ever to miss a demo update, the
# service would refuse it as a double submission instead of recording it a second time.
UPDATE_KEYS = uuid.UUID("e164e447-ce79-4126-b571-4a393430a50c")


class DemoLoader:
    """Loads the founding case into the database, one method per part, in dependency order.

    Each part returns its rows by the keys data.py uses, for the parts after it to refer to.
    """

    def __init__(self, rows: Rows, *, today: datetime.date, password: str) -> None:
        self.rows = rows
        self.today = today
        self.password = password

    def load(self) -> None:
        self.sectors = self.load_sectors()
        self.parties = self.load_parties()
        self.committee = self.load_committee()
        self.organizations = self.load_organizations()
        self.users = self.load_users()
        self.members = self.load_members()
        self.session_locked = self._session_locked()
        self.meeting = self.load_meeting()
        # From the meeting as stored, not from today: a later run must not move it.
        self.signed_on = self.meeting.ends_at.astimezone(self.meeting.zone).date()
        self.agenda_items = self.load_agenda()
        self.load_attendance()
        self.load_minutes()
        self.agreement = self.load_agreement()
        self.pledges = self.load_pledges()
        self.load_updates()

    def load_sectors(self) -> dict[str, Sector]:
        return {
            slug: self.rows.ensure(
                Sector, {"slug": slug}, fill=translated_columns(Sector, {"name": name})
            )[0]
            for slug, name in data.SECTORS.items()
        }

    def load_parties(self) -> dict[str, Party]:
        return {
            code: self.rows.ensure(
                Party,
                {"country_code": code},
                {"short_name": spec["short_name"]["en"], "kind": Party.Kind.STATE},
                fill=translated_columns(Party, spec),
            )[0]
            for code, spec in data.PARTIES.items()
        }

    def load_committee(self) -> Committee:
        spec = data.COMMITTEE
        committee, created = self.rows.ensure(
            Committee,
            {"short_name": spec["short_name"]},
            {"established_on": self._session_start()},
            fill={
                **translated_columns(Committee, spec),
                "secretariat_email": spec["secretariat_email"],
            },
        )
        missing = [
            party
            for party in self.parties.values()
            if not committee.parties.filter(pk=party.pk).exists()
        ]
        if missing:
            committee.parties.add(*missing)
            # Adding the parties is part of creating a committee, a change to one found.
            if not created:
                self.rows.updated += 1
        return committee

    def load_organizations(self) -> dict[str, Organization]:
        return {
            key: self.rows.ensure(
                Organization,
                {"party": self.parties[spec["party"]], "name_en": spec["name"]["en"]},
                {"acronym": spec["acronym"], "kind": spec["kind"]},
                fill=translated_columns(Organization, spec),
            )[0]
            for key, spec in data.ORGANIZATIONS.items()
        }

    def load_users(self) -> dict[str, User]:
        return {username: self._ensure_user(username) for username in data.USERS}

    def load_members(self) -> dict[str, Member]:
        logins = {login.member: username for username, login in data.USERS.items() if login.member}
        members = {}
        for key, spec in data.MEMBERS.items():
            lookup = {
                "committee": self.committee,
                "party": self.parties[spec["party"]],
                "full_name_en": spec["full_name"]["en"],
            }
            # The head of the Kazakh delegation has no name in the article: his office is
            # what tells him apart.
            if not spec["full_name"]["en"]:
                lookup["position_en"] = spec["position"]["en"]
            create = {
                "organization": self.organizations.get(spec["organization"]),
                "role": spec["role"],
            }
            sync = {"user": self.users[logins[key]]} if key in logins else None
            members[key] = self.rows.ensure(
                Member, lookup, create, sync, fill=translated_columns(Member, spec)
            )[0]
        return members

    def load_meeting(self) -> Meeting:
        spec = data.MEETING
        zone = zoneinfo.ZoneInfo(spec["time_zone"])
        start_day = self._session_start()
        end_day = start_day + datetime.timedelta(days=1)
        return self.rows.ensure(
            Meeting,
            {"committee": self.committee, "number": spec["number"]},
            {
                "starts_at": datetime.datetime.combine(start_day, spec["starts"], zone),
                "ends_at": datetime.datetime.combine(end_day, spec["ends"], zone),
                "time_zone": spec["time_zone"],
                "host_party": self.parties[spec["host_party"]],
                "format": spec["format"],
                "status": spec["status"],
            },
            fill=self._session_texts(Meeting, spec),
        )[0]

    def load_agenda(self) -> dict[int, AgendaItem]:
        return {
            spec["position"]: self.rows.ensure(
                AgendaItem,
                {"meeting": self.meeting, "position": spec["position"]},
                {
                    "kind": spec.get("kind", AgendaItem.Kind.REGULAR),
                    "presenter": self.members.get(spec["presenter"]),
                    "sector": self.sectors.get(spec["sector"]),
                    "outcome": spec["outcome"],
                },
                fill=self._session_texts(AgendaItem, spec),
            )[0]
            for spec in data.AGENDA
        }

    def load_attendance(self) -> None:
        for key, status in data.ATTENDANCE.items():
            self.rows.ensure(
                Attendance,
                {"meeting": self.meeting, "member": self.members[key]},
                {"status": status},
                fill={"heads_delegation": key in data.HEADS_OF_DELEGATION},
            )

    def load_minutes(self) -> None:
        spec = data.MINUTES
        self.rows.ensure(
            Minutes,
            {"meeting": self.meeting},
            {
                "status": spec["status"],
                "done_on": self.signed_on,
                "original_count": spec["original_count"],
                "authentic_languages": spec["authentic_languages"],
                "prevailing_language": spec["prevailing_language"],
            },
            fill=self._session_texts(Minutes, spec),
        )

    def load_agreement(self) -> Agreement:
        spec = data.AGREEMENT
        agreement, created = self.rows.ensure(
            Agreement,
            {"committee": self.committee, "reference": spec["reference"]},
            {
                "kind": spec["kind"],
                "meeting": self.meeting,
                "signed_on": self.signed_on,
                "entry_into_force_on": self.signed_on,
                "authentic_languages": spec["authentic_languages"],
            },
            fill=translated_columns(Agreement, spec),
        )
        # Only on creation: parties and signatories changed in the admin since are kept.
        if created:
            agreement.parties.set(self.parties.values())
            agreement.signatories.set([self.members[key] for key in spec["signatories"]])
        return agreement

    def load_pledges(self) -> dict[str, Pledge]:
        target_on = datetime.date(self.signed_on.year + 2, 12, 31)
        # A pledge is created as its last update leaves it, so that posting its updates just
        # after changes nothing its history records (only its version is counted up).
        last_update = {update["pledge"]: update for update in data.UPDATES}
        pledges = {}
        for spec in data.PLEDGES:
            item = self.agenda_items[spec["item"]]
            if spec.get("agreement", True):
                lookup = {"agreement": self.agreement, "number": spec["number"]}
                create = {"agenda_item": item}
            else:
                lookup = {"agreement": None, "agenda_item": item, "number": spec["number"]}
                create = {}
            focal, counterpart_focal = data.FOCAL_POINTS[spec["party"]]
            latest = last_update.get(spec["key"], spec)
            create.update(
                committee=self.committee,
                responsible_party=self.parties[spec["party"]] if spec["party"] else None,
                lead_organization=self.organizations[spec["lead"]],
                counterpart_organization=self.organizations[spec["counterpart"]],
                focal_point=self.members[focal],
                counterpart_focal_point=self.members[counterpart_focal],
                sector=self.sectors[spec["sector"]],
                # A rescheduled pledge is created on its first deadline, then moved below.
                due_on=self._due_on(spec.get("first_due", spec["due"]), target_on),
                status=latest["status"],
                progress=latest["progress"],
                current_value=latest.get("indicator_value"),
            )
            if spec.get("indicator"):
                create.update(
                    data.TRADE_INDICATOR,
                    indicator=data.TRADE_INDICATOR_TEXTS["indicator"]["en"],
                    indicator_unit=data.TRADE_INDICATOR_TEXTS["indicator_unit"]["en"],
                    baseline_year=self.signed_on.year - 1,
                    target_on=target_on,
                )
            measured = (
                data.TRADE_INDICATOR_TEXTS if spec.get("indicator") else data.NO_INDICATOR_TEXTS
            )
            pledge, created = self.rows.ensure(
                Pledge, lookup, create, fill=translated_columns(Pledge, {**spec, **measured})
            )
            if created and "first_due" in spec:
                self._reschedule(pledge, spec)
            pledges[spec["key"]] = pledge
        return pledges

    def _reschedule(self, pledge: Pledge, spec: dict) -> None:
        """Moved by the secretariat, as the session decided, keeping the first deadline."""
        pledge.due_on = self._due_on(spec["due"], pledge.target_on)
        pledge.due_moved_by = self.users[credentials.TOTP_USERNAME]
        pledge.due_moved_reason = spec["moved_because"]
        # As the admin's form validates: the rest of the rescheduling is written on save.
        pledge.full_clean(exclude=["original_due_on", "due_moved_at", "due_moved_by"])
        pledge.save()

    def load_updates(self) -> None:
        for spec in data.UPDATES:
            self._post_update(spec)

    # Helpers --------------------------------------------------------------------------------

    def _session_locked(self) -> bool:
        """Whether the demo session's minutes are approved (in the admin, since loading)."""
        return Minutes.objects.filter(
            meeting__committee=self.committee,
            meeting__number=data.MEETING["number"],
            status=Minutes.Status.APPROVED,
        ).exists()

    def _session_texts(self, model: type[models.Model], spec: dict) -> dict[str, str] | None:
        """The texts to fill in on the session's meeting, agenda and minutes: none once the
        minutes are approved, which lock those rows (a trigger refuses any change) and their
        text as approved. A row missing from a locked session cannot be added either (the
        same lock refuses it), so leaving the texts out changes no creation."""
        return None if self.session_locked else translated_columns(model, spec)

    def _session_start(self) -> datetime.date:
        return self.today - datetime.timedelta(days=data.MEETING_DAYS_AGO)

    def _due_on(self, due: int | str, target_on: datetime.date) -> datetime.date:
        if due == "target":
            return target_on
        if due == "signed":
            return self.signed_on
        return self.today + datetime.timedelta(days=due)

    def _ensure_user(self, username: str) -> User:
        login = data.USERS[username]
        user_model = get_user_model()
        user = user_model._default_manager.filter(username=username).first()
        if user is None:
            user = user_model(
                username=username,
                first_name=login.first_name,
                last_name=login.last_name,
                is_staff=login.staff,
                is_superuser=login.staff,
                email=login.email,
                language=login.language,
            )
            user.set_password(self.password)
            user.full_clean()
            user.save()
            self.rows.created += 1
            return user
        changed = False
        for name, value in (
            ("is_staff", login.staff),
            ("is_superuser", login.staff),
            ("is_active", True),
            ("email", user.email or login.email),
        ):
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed = True
        if not user.check_password(self.password):
            user.set_password(self.password)
            changed = True
        if changed:
            user.save()
            self.rows.updated += 1
        return user

    def _post_update(self, spec: dict) -> None:
        """Post the update through the service officials' updates go through, unless it is
        there already (found by pledge, author and note: rows loaded before the updates had
        submission keys have none)."""
        pledge = self.pledges[spec["pledge"]]
        author = self.users[spec["author"]]
        if PledgeUpdate.objects.filter(pledge=pledge, author=author, note=spec["note"]).exists():
            return
        period_start = period_end = None
        if spec.get("period") == "last_12_months":
            first_of_month = self.today.replace(day=1)
            period_start = first_of_month.replace(year=first_of_month.year - 1)
            period_end = first_of_month - datetime.timedelta(days=1)
        before = _pledge_state(pledge)
        # Posted now, like any update: the demo's updates have always been dated the day they
        # were loaded, so there is no historic timestamp to set afterwards.
        update = pledge_update_post(
            pledge=pledge,
            author=author,
            status=spec["status"],
            progress=spec["progress"],
            indicator_value=spec.get("indicator_value"),
            period_start=period_start,
            period_end=period_end,
            note=spec["note"],
            submission_key=uuid.uuid5(UPDATE_KEYS, f"{pledge.pk}/{author.pk}/{spec['note']}"),
        )
        # The service saved the pledge it locked: later parts go on from that copy.
        self.pledges[spec["pledge"]] = update.pledge
        self.rows.created += 1
        if _pledge_state(pledge) != before:
            self.rows.updated += 1


def translated_columns(model: type[models.Model], spec: dict) -> dict[str, str]:
    """The language columns of every text `model` keeps in each language (its fields in
    committee/*/translation.py), from the texts in `spec` by field name:
    {"title": texts(en=…, fa=…, …)} gives {"title_en": …, "title_fa": …, …}. A field the
    spec lacks, or a language a text lacks, is a KeyError: no text is left out unnoticed."""
    return {
        build_localized_fieldname(name, language): spec[name][language]
        for name in translator.get_options_for_model(model).fields
        for language in settings.MODELTRANSLATION_LANGUAGES
    }


def _pledge_state(pledge: Pledge) -> dict:
    """The pledge's fields as stored, but for what every save changes (the service always
    saves the pledge): what the summary counts as a change, as its history does."""
    fields = [
        field.attname
        for field in Pledge._meta.concrete_fields
        if field.attname not in {"version", "updated_at"}
    ]
    return Pledge.objects.filter(pk=pledge.pk).values(*fields).get()
