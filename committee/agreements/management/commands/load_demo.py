"""`python manage.py load_demo`: the founding case of the seed article as demo data.

Afghanistan and Kazakhstan, the first session of their Joint Intergovernmental Working
Committee in Kabul, the protocol signed there with one pledge per commitment announced at the
press conference, a few follow-up updates, and the demo logins.
"""

# The record texts are multilingual on purpose: Cyrillic, Arabic script and en dashes.

import datetime
import os
import secrets
import zoneinfo
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from committee.accounts.totp import base32_from_hex, hex_from_base32
from committee.agreements.models import Agreement, Pledge, PledgeUpdate
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes, Sector
from committee.members.models import Committee, Member, Organization, Party

SITE_URL = "http://127.0.0.1:8000/"
PASSWORD_ENV = "DEMO_PASSWORD"  # noqa: S105 (the name of the variable)
PASSWORD_FILE = "demo-password"  # noqa: S105 (a file name)
# The second factor of the staff login: a TOTP key in base32, as authenticator apps take it.
TOTP_KEY_ENV = "DEMO_TOTP_KEY"
TOTP_KEY_FILE = "demo-totp-key"
TOTP_USERNAME = "secretariat"
TOTP_DEVICE_NAME = "Demo authenticator"
KABUL = zoneinfo.ZoneInfo("Asia/Kabul")

# The session was held this many days before the day of first loading, over two days.
MEETING_DAYS_AGO = 42

Status = Pledge.Status
Outcome = AgendaItem.Outcome
Role = Member.Role
OrgKind = Organization.Kind

SECTORS = [
    ("trade", "Trade"),
    ("mining", "Mining"),
    ("transport", "Transport"),
    ("telecommunications", "Telecommunications"),
    ("agriculture", "Agriculture"),
    ("railways", "Railways"),
    ("aviation", "Aviation"),
    ("banking", "Banking"),
    ("migration-visas", "Migration and visas"),
    ("institutional", "Institutional cooperation"),
]

PARTIES = {
    # The article (Bakhtar News Agency) speaks of "Afghanistan" throughout; so do we.
    "AF": {"name": "Afghanistan", "short_name": "Afghanistan", "government_name": "Afghanistan"},
    "KZ": {
        "name": "Kazakhstan",
        "short_name": "Kazakhstan",
        "government_name": "the Government of the Republic of Kazakhstan",
    },
}

COMMITTEE_SHORT_NAME = "AF-KZ JIWC"
COMMITTEE_NAME = "Afghanistan–Kazakhstan Joint Intergovernmental Working Committee"
COMMITTEE_MANDATE = (
    "To strengthen bilateral ties between Afghanistan and Kazakhstan and to follow up the "
    "implementation of the agreements reached during the visit of the Kazakh delegation to "
    "Kabul, in trade, mining, transport, telecommunications, agriculture, railways, aviation "
    "and banking."
)

# key: (party, name, acronym, kind)
ORGANIZATIONS = {
    "af-moic": ("AF", "Ministry of Industry and Commerce", "MoIC", OrgKind.MINISTRY),
    "af-momp": ("AF", "Ministry of Mines and Petroleum", "MoMP", OrgKind.MINISTRY),
    "af-motca": ("AF", "Ministry of Transport and Civil Aviation", "MoTCA", OrgKind.MINISTRY),
    "af-mcit": (
        "AF",
        "Ministry of Communications and Information Technology",
        "MCIT",
        OrgKind.MINISTRY,
    ),
    "af-mail": (
        "AF",
        "Ministry of Agriculture, Irrigation and Livestock",
        "MAIL",
        OrgKind.MINISTRY,
    ),
    "af-ara": ("AF", "Afghanistan Railway Authority", "ARA", OrgKind.AGENCY),
    "af-gmic": ("AF", "Government Media and Information Center", "GMIC", OrgKind.AGENCY),
    "af-dab": ("AF", "Da Afghanistan Bank", "DAB", OrgKind.AGENCY),
    "kz-mti": ("KZ", "Ministry of Trade and Integration", "", OrgKind.MINISTRY),
    "kz-mfa": ("KZ", "Ministry of Foreign Affairs", "MFA", OrgKind.MINISTRY),
    "kz-mot": ("KZ", "Ministry of Transport", "", OrgKind.MINISTRY),
    "kz-mdd": (
        "KZ",
        "Ministry of Digital Development, Innovation and Aerospace Industry",
        "",
        OrgKind.MINISTRY,
    ),
    "kz-nbk": ("KZ", "National Bank of Kazakhstan", "NBK", OrgKind.AGENCY),
    "kz-ktz": ("KZ", "Kazakhstan Temir Zholy", "KTZ", OrgKind.STATE_COMPANY),
}

# Only the people the article names, the unnamed head of the Kazakh delegation (the article
# gives his office, not his name) and the member behind the observer login.
DPM_POSITION = "Deputy Prime Minister of the Republic of Kazakhstan, head of delegation"
MEMBERS = {
    "azizi": {
        "party": "AF",
        "organization": "af-moic",
        "honorific": "Alhaj",
        "full_name": "Nooruddin Azizi",
        "position": "Acting Minister of Industry and Commerce",
        "role": Role.CO_CHAIR,
    },
    "dpm": {
        "party": "KZ",
        "organization": None,
        "honorific": "",
        "full_name": "",
        "position": DPM_POSITION,
        "role": Role.CO_CHAIR,
    },
    "torebayev": {
        "party": "KZ",
        "organization": "kz-mti",
        "honorific": "",
        "full_name": "Kairat Torebayev",
        "position": "Deputy Minister of Trade and Integration of the Republic of Kazakhstan",
        "role": Role.MEMBER,
    },
    "observer": {
        "party": "KZ",
        "organization": None,
        "honorific": "",
        "full_name": "Observer (demo account)",
        "position": "Observer",
        "role": Role.OBSERVER,
    },
}

# username: (first name, last name, staff and superuser, member key, what the login is for)
USERS = {
    "secretariat": ("Committee", "Secretariat", True, None, "secretariat staff, may do everything"),
    "azizi": ("Nooruddin", "Azizi", False, "azizi", "Afghan official, co-chair"),
    "torebayev": ("Kairat", "Torebayev", False, "torebayev", "Kazakh official"),
    "observer": ("Observer", "", False, "observer", "observer, read only"),
}

AGENDA = [
    {
        "position": 1,
        "title_en": "Opening of the session and adoption of the agenda",
        "title_ru": "Открытие заседания и утверждение повестки дня",
        "title_fa": "افتتاح جلسه و تصویب اجندا",
        "presenter": "azizi",
        "sector": None,
        "outcome": Outcome.AGREED,
        "discussion_en": (
            "Alhaj Nooruddin Azizi, Acting Minister of Industry and Commerce, welcomed the "
            "Kazakh delegation led by the Deputy Prime Minister of the Republic of Kazakhstan, "
            "comprising some 40 government officials and business representatives. During the "
            "visit the delegation met the Ministries of Industry and Commerce, Mines and "
            "Petroleum, Transport, Telecommunications and Agriculture, the Afghanistan Railway "
            "Authority and private enterprises."
        ),
        "decision_en": "The Parties adopted the agenda.",
    },
    {
        "position": 2,
        "title_en": "Establishment of the Joint Intergovernmental Working Committee",
        "title_ru": "Создание Совместного межправительственного рабочего комитета",
        "presenter": "azizi",
        "sector": "institutional",
        "outcome": Outcome.AGREED,
        "discussion_en": (
            "The Parties noted that a standing joint body is needed to strengthen bilateral "
            "ties and to follow up the agreements reached during the visit."
        ),
        "decision_en": (
            "The Parties agreed to establish the Afghanistan–Kazakhstan Joint "
            "Intergovernmental Working Committee."
        ),
    },
    {
        "position": 3,
        "title_en": "Bilateral trade and Afghan exports to Kazakhstan",
        "title_ru": "Двусторонняя торговля и афганский экспорт в Казахстан",
        "presenter": "azizi",
        "sector": "trade",
        "outcome": Outcome.AGREED,
        "discussion_en": (
            "The Afghan side reported on the progress of trade relations with Kazakhstan and "
            "noted that Afghanistan's trade ports are fully operational. The Kazakh side "
            "affirmed its readiness to cooperate in trade, mining, transportation, "
            "telecommunications and agriculture."
        ),
        "decision_en": (
            "The Parties agreed to expand annual bilateral trade from USD 1 billion to USD 3 "
            "billion. Afghanistan will begin exporting precious and semi-precious stones, "
            "minerals, cotton, beverages, and fresh and dried fruits to Kazakhstan."
        ),
    },
    {
        "position": 4,
        "title_en": "Transit through Khorgos port",
        "title_ru": "Транзит через порт Хоргос",
        "presenter": "torebayev",
        "sector": "transport",
        "outcome": Outcome.AGREED,
        "discussion_en": (
            "The Parties discussed how to make the transit of Afghan goods through Kazakhstan "
            "more efficient."
        ),
        "decision_en": "Kazakhstan will allocate space at the Khorgos port for Afghan goods.",
    },
    {
        "position": 5,
        "title_en": "Visa procedures for traders and drivers",
        "title_ru": "Визовые процедуры для предпринимателей и водителей",
        "presenter": "azizi",
        "sector": "migration-visas",
        "outcome": Outcome.INSTRUCTED,
        "discussion_en": (
            "The Afghan side requested streamlined visa procedures for its traders and drivers."
        ),
        "decision_en": (
            "The Kazakh side will streamline visa procedures for Afghan traders and drivers. "
            "The Parties instructed the Ministry of Industry and Commerce of Afghanistan to "
            "send the Kazakh side the list of traders and transport companies concerned."
        ),
    },
    {
        "position": 6,
        "title_en": "Direct air service between Kabul and Almaty",
        "title_ru": "Прямое авиасообщение между Кабулом и Алматы",
        "presenter": "azizi",
        "sector": "aviation",
        "outcome": Outcome.AGREED,
        "discussion_en": "The Parties discussed the resumption of direct flights.",
        "decision_en": (
            "The Parties agreed to resume direct Kabul–Almaty flights in the near future."
        ),
    },
    {
        "position": 7,
        "title_en": "Railway cooperation and training of railway personnel",
        "title_ru": "Железнодорожное сотрудничество и подготовка железнодорожных кадров",
        "presenter": "torebayev",
        "sector": "railways",
        "outcome": Outcome.INSTRUCTED,
        "discussion_en": (
            "The Parties discussed cooperation between the Afghanistan Railway Authority and "
            "the Kazakh railways."
        ),
        "decision_en": (
            "Kazakhstan will train Afghan railway personnel. The Parties instructed the "
            "Afghanistan Railway Authority to nominate the personnel to be trained."
        ),
    },
    {
        "position": 8,
        "title_en": "Digitisation of mining and agriculture",
        "title_ru": "Цифровизация горнодобывающей отрасли и сельского хозяйства",
        "presenter": "torebayev",
        "sector": "telecommunications",
        "outcome": Outcome.AGREED,
        "discussion_en": (
            "The Parties discussed Kazakhstan's experience in digitising public systems."
        ),
        "decision_en": (
            "Kazakhstan will provide assistance in digitising Afghanistan's mining and "
            "agricultural systems."
        ),
    },
    {
        "position": 9,
        "title_en": "Banking relations",
        "title_ru": "Банковское сотрудничество",
        "presenter": "azizi",
        "sector": "banking",
        "outcome": Outcome.AGREED,
        "discussion_en": (
            "The Parties noted that banking relations are needed to support trade and "
            "economic cooperation."
        ),
        "decision_en": "The Parties will strengthen banking relations between the two countries.",
    },
    {
        "position": 10,
        "title_en": "Date and venue of the next session",
        "title_ru": "Дата и место проведения следующего заседания",
        "title_fa": "تاریخ و محل برگزاری جلسهٔ بعدی",
        "presenter": None,
        "sector": None,
        "outcome": Outcome.AGREED,
        "discussion_en": "",
        "decision_en": (
            "The Parties agreed to hold the second session in the Republic of Kazakhstan on "
            "dates to be agreed through diplomatic channels."
        ),
    },
]

AGREEMENT_REFERENCE = "AF-KZ/JIWC/1"
AGREEMENT_TITLE_EN = (
    "Protocol of the first session of the Afghanistan–Kazakhstan Joint Intergovernmental "
    "Working Committee"
)
AGREEMENT_TITLE_RU = (
    "Протокол первого заседания Афгано-казахстанского совместного межправительственного "
    "рабочего комитета"
)
AGREEMENT_SUMMARY_EN = (
    "Outcome of the visit to Kabul of the Kazakh delegation led by the Deputy Prime Minister "
    "of the Republic of Kazakhstan: the Parties agreed to expand annual trade from USD 1 "
    "billion to USD 3 billion, Afghan exports to Kazakhstan, space for Afghan goods at the "
    "Khorgos port, a Joint Intergovernmental Working Committee, streamlined visas for Afghan "
    "traders and drivers, the resumption of direct Kabul–Almaty flights, Kazakh assistance in "
    "digitising Afghan mining and agriculture and in training Afghan railway personnel, and "
    "stronger banking relations."
)
AUTHENTIC_LANGUAGES = ["fa", "kk", "ru", "en"]
PREVAILING_LANGUAGE = "en"

# "due": days from the day of first loading, or "signed" (the signature date) or "target"
# (the indicator's target date). The mix gives each delegation pledges that are overdue, due
# within 30 days and due later. "agreement": False marks a follow-up action that arises from
# an agenda item only (numbered within the item).
PLEDGES = [
    {
        "key": "P1",
        "number": 1,
        "item": 3,
        "party": None,
        "sector": "trade",
        "lead": "af-moic",
        "counterpart": "kz-mti",
        "due": "target",
        "status": Status.IN_PROGRESS,
        "progress": 8,
        "title_en": "Expand annual bilateral trade from USD 1 billion to USD 3 billion",
        "title_ru": "Увеличение годового объёма двусторонней торговли с 1 до 3 млрд долларов США",
        "title_fa": "افزایش حجم سالانهٔ تجارت دوجانبه از یک میلیارد دالر به سه میلیارد دالر",
        "description_en": (
            "The two countries committed to expanding their annual trade volume from USD 1 "
            "billion to USD 3 billion."
        ),
        "indicator": True,
    },
    {
        "key": "P2",
        "number": 2,
        "item": 3,
        "party": "AF",
        "sector": "trade",
        "lead": "af-moic",
        "counterpart": "kz-mti",
        "due": 90,
        "status": Status.IN_PROGRESS,
        "progress": 20,
        "title_en": "Begin exporting Afghan goods to Kazakhstan",
        "title_ru": "Начало экспорта афганских товаров в Казахстан",
        "description_en": (
            "Afghanistan will begin exporting precious and semi-precious stones, minerals, "
            "cotton, beverages, and fresh and dried fruits to Kazakhstan."
        ),
    },
    {
        "key": "P3",
        "number": 3,
        "item": 4,
        "party": "KZ",
        "sector": "transport",
        "lead": "kz-mti",
        "counterpart": "af-moic",
        "due": -5,
        "status": Status.IN_PROGRESS,
        "progress": 60,
        "title_en": "Allocate space at Khorgos port for Afghan goods",
        "title_ru": "Выделение площадей в порту Хоргос для афганских грузов",
        "title_fa": "اختصاص فضا در بندر خورگوس برای کالاهای افغانی",
        "description_en": (
            "Kazakhstan will allocate space at its Khorgos port for Afghan goods, to make "
            "trade more efficient."
        ),
    },
    {
        "key": "P4",
        "number": 4,
        "item": 2,
        "party": None,
        "sector": "institutional",
        "lead": "af-moic",
        "counterpart": "kz-mti",
        "due": "signed",
        "status": Status.COMPLETED,
        "progress": 100,
        "title_en": "Establish the Joint Intergovernmental Working Committee",
        "title_ru": "Создание Совместного межправительственного рабочего комитета",
        "description_en": (
            "The two countries establish a joint intergovernmental working committee to "
            "strengthen bilateral ties."
        ),
    },
    {
        "key": "P5",
        "number": 5,
        "item": 5,
        "party": "KZ",
        "sector": "migration-visas",
        "lead": "kz-mfa",
        "counterpart": "af-moic",
        "due": 12,
        "status": Status.IN_PROGRESS,
        "progress": 30,
        "title_en": "Streamline visa procedures for Afghan traders and drivers",
        "title_ru": "Упрощение визовых процедур для афганских предпринимателей и водителей",
        "description_en": (
            "At the request of Afghanistan, Kazakhstan will streamline visa procedures for "
            "Afghan traders and drivers."
        ),
    },
    {
        "key": "P6",
        "number": 6,
        "item": 6,
        "party": None,
        "sector": "aviation",
        "lead": "af-motca",
        "counterpart": "kz-mot",
        "due": 25,
        "status": Status.NOT_STARTED,
        "progress": 0,
        "title_en": "Resume direct Kabul–Almaty flights",
        "title_ru": "Возобновление прямого авиасообщения Кабул — Алматы",
        "title_fa": "ازسرگیری پروازهای مستقیم کابل–الماتی",
        "description_en": (
            "Both countries agreed to resume direct flights between Kabul and Almaty in the "
            "near future."
        ),
    },
    {
        "key": "P7",
        "number": 7,
        "item": 8,
        "party": "KZ",
        "sector": "telecommunications",
        "lead": "kz-mdd",
        "counterpart": "af-mcit",
        "due": 200,
        "status": Status.NOT_STARTED,
        "progress": 0,
        "title_en": "Assist in digitising Afghanistan's mining and agricultural systems",
        "title_ru": (
            "Содействие в цифровизации горнодобывающей отрасли и сельского хозяйства Афганистана"
        ),
        "description_en": (
            "Kazakhstan will provide assistance in digitising the systems of Afghanistan's "
            "Ministry of Mines and Petroleum and Ministry of Agriculture, Irrigation and "
            "Livestock."
        ),
    },
    {
        "key": "P8",
        "number": 8,
        "item": 7,
        "party": "KZ",
        "sector": "railways",
        "lead": "kz-ktz",
        "counterpart": "af-ara",
        "due": 120,
        "status": Status.NOT_STARTED,
        "progress": 0,
        "title_en": "Train Afghan railway personnel",
        "title_ru": "Подготовка железнодорожных кадров Афганистана",
        "description_en": "Kazakhstan will train Afghan railway personnel.",
    },
    {
        "key": "P9",
        "number": 9,
        "item": 9,
        "party": None,
        "sector": "banking",
        "lead": "af-dab",
        "counterpart": "kz-nbk",
        "due": -20,
        "status": Status.AT_RISK,
        "progress": 15,
        "title_en": "Strengthen banking relations to support trade",
        "title_ru": "Укрепление банковского сотрудничества в поддержку торговли",
        "description_en": (
            "The two countries will bolster banking relations to support trade and economic "
            "cooperation."
        ),
    },
    {
        "key": "I5.1",
        "agreement": False,
        "number": 1,
        "item": 5,
        "party": "AF",
        "sector": "migration-visas",
        "lead": "af-moic",
        "counterpart": "kz-mfa",
        "due": -12,
        "status": Status.NOT_STARTED,
        "progress": 0,
        "title_en": "Send the Kazakh side the list of traders and transport companies",
        "title_ru": (
            "Направление казахстанской стороне списка предпринимателей и транспортных компаний"
        ),
        "description_en": (
            "The Ministry of Industry and Commerce sends the Kazakh side the list of Afghan "
            "traders and transport companies whose traders and drivers are to benefit from "
            "the streamlined visa procedures."
        ),
    },
    {
        "key": "I7.1",
        "agreement": False,
        "number": 1,
        "item": 7,
        "party": "AF",
        "sector": "railways",
        "lead": "af-ara",
        "counterpart": "kz-ktz",
        "due": 7,
        "status": Status.IN_PROGRESS,
        "progress": 40,
        "title_en": "Nominate the Afghan railway personnel to be trained in Kazakhstan",
        "title_ru": "Выдвижение кандидатов из числа афганских железнодорожников на обучение",
        "description_en": (
            "The Afghanistan Railway Authority nominates the railway personnel to be trained "
            "by Kazakhstan."
        ),
    },
]

TRADE_INDICATOR = {
    "indicator": "Annual bilateral trade volume",
    "indicator_unit": "USD billion",
    "baseline_value": Decimal("1.00"),
    "target_value": Decimal("3.00"),
}

# Follow-up updates, oldest first. An update is found again by pledge, author and note, so
# notes must not depend on the date. The pledge's status, progress and latest value are those
# of its last update.
UPDATES = [
    {
        "pledge": "P4",
        "author": "secretariat",
        "status": Status.COMPLETED,
        "progress": 100,
        "note": "The Committee was established and held its first session in Kabul.",
    },
    {
        "pledge": "P1",
        "author": "azizi",
        "status": Status.IN_PROGRESS,
        "progress": 8,
        "indicator_value": Decimal("1.15"),
        "period": "last_12_months",
        "note": (
            "Provisional customs figure for the last twelve months: bilateral trade of about "
            "USD 1.15 billion."
        ),
    },
    {
        "pledge": "P3",
        "author": "torebayev",
        "status": Status.IN_PROGRESS,
        "progress": 60,
        "note": (
            "A site for Afghan goods has been identified at the Khorgos Gateway dry port; the "
            "terms of use are being agreed with the operator."
        ),
    },
    {
        "pledge": "P5",
        "author": "torebayev",
        "status": Status.IN_PROGRESS,
        "progress": 30,
        "note": (
            "Proposals to simplify visa procedures for Afghan traders and drivers are under "
            "interagency review."
        ),
    },
    {
        "pledge": "P9",
        "author": "azizi",
        "status": Status.AT_RISK,
        "progress": 15,
        "note": (
            "Correspondent banking arrangements are still under discussion; the deadline is "
            "at risk."
        ),
    },
    {
        "pledge": "I7.1",
        "author": "azizi",
        "status": Status.IN_PROGRESS,
        "progress": 40,
        "note": "The Afghanistan Railway Authority is compiling the list of candidates.",
    },
]


class Command(BaseCommand):
    help = (
        "Load the founding case of the seed article as demo data: Afghanistan and Kazakhstan, "
        "the first session of their Joint Intergovernmental Working Committee in Kabul, the "
        "protocol signed there with its pledges, follow-up updates, and the demo logins "
        "secretariat, azizi, torebayev and observer. Idempotent: every row is looked up by "
        "its natural key and created only when it is missing; rows that exist are left as "
        "they are (edits made in the admin survive), except that the demo logins keep their "
        "staff flags, their link to their member and the demo password. Dates are relative "
        "to the day a row is first created (the session a few weeks before, pledges overdue, "
        "due within 30 days and due later) and are never moved by a later run; for fresh "
        "dates, load into an empty database. The password is $DEMO_PASSWORD when set, else "
        "the one kept in VAR_DIR/demo-password, else a new one written there (mode 0600). "
        "The secretariat login's second factor is a TOTP key: $DEMO_TOTP_KEY (base32) when "
        "set, else the one kept in VAR_DIR/demo-totp-key, else a new one written there."
    )

    def handle(self, *args, **options):
        password, source = self.demo_password()
        totp_key, totp_source = self.demo_totp_key()
        self.created = 0
        self.updated = 0
        with transaction.atomic(), translation.override("en"):
            self.load(timezone.localdate(), password)
            device = self.ensure_totp_device(totp_key)
        if options["verbosity"] >= 1:
            self.report(password, source)
            self.report_totp(device, totp_source)

    # Password -------------------------------------------------------------------------------

    def demo_password(self) -> tuple[str, str]:
        password = os.environ.get(PASSWORD_ENV, "")
        if password:
            source = f"from ${PASSWORD_ENV}"
        else:
            path = Path(settings.VAR_DIR) / PASSWORD_FILE
            if path.exists():
                password = path.read_text(encoding="utf-8").strip()
            if password:
                source = f"kept in {path}"
            else:
                password = secrets.token_urlsafe(12)
                _write_private(path, password)
                source = f"generated, kept in {path}"
        user_model = get_user_model()
        for username, (first_name, last_name, *_rest) in USERS.items():
            try:
                validate_password(
                    password,
                    user_model(username=username, first_name=first_name, last_name=last_name),
                )
            except ValidationError as error:
                raise CommandError(
                    f"The demo password ({source}) is not accepted for {username}: "
                    + " ".join(error.messages)
                ) from None
        return password, source

    def report(self, password: str, source: str) -> None:
        self.stdout.write(
            f"Demo data loaded: {self.created} rows created, {self.updated} updated.\n"
        )
        self.stdout.write(f"Open {SITE_URL} and sign in as:")
        width = max(len(username) for username in USERS)
        for username, (*_names, _staff, _member, role) in USERS.items():
            self.stdout.write(f"  {username:<{width}}  {role}")
        self.stdout.write(f"Password for all of them: {password}  ({source})")

    # Second factor of the staff login ------------------------------------------------------

    def demo_totp_key(self) -> tuple[str, str]:
        """The hex key (as django-otp stores it) and where it came from."""
        key = os.environ.get(TOTP_KEY_ENV, "").strip()
        source = f"from ${TOTP_KEY_ENV}"
        if not key:
            path = Path(settings.VAR_DIR) / TOTP_KEY_FILE
            key = path.read_text(encoding="utf-8").strip() if path.exists() else ""
            source = f"kept in {path}"
            if not key:
                key = base32_from_hex(random_hex(20))
                _write_private(path, key)
                source = f"generated, kept in {path}"
        try:
            return hex_from_base32(key), source
        except ValueError as error:
            raise CommandError(f"The demo TOTP key ({source}) is {error}.") from None

    def ensure_totp_device(self, key: str) -> TOTPDevice:
        user = get_user_model()._default_manager.get(username=TOTP_USERNAME)
        return self.ensure(
            TOTPDevice,
            {"user": user, "name": TOTP_DEVICE_NAME},
            sync={"key": key, "confirmed": True},
        )[0]

    def report_totp(self, device: TOTPDevice, source: str) -> None:
        key = base32_from_hex(device.key)
        self.stdout.write(
            f"{TOTP_USERNAME} (staff) also needs a code after the password. Add this key to an\n"
            "authenticator app (FreeOTP, Aegis, Google or Microsoft Authenticator; time-based):"
        )
        self.stdout.write(f"  key  {key}  ({source})")
        self.stdout.write(f"  or   {device.config_url}")
        self.stdout.write(
            f"  No app at hand? .venv/bin/python -m committee.accounts.totp {key} "
            "prints the current code."
        )

    # Rows -----------------------------------------------------------------------------------

    def ensure(self, model, lookup: dict, create: dict | None = None, sync: dict | None = None):
        """The row matching `lookup`: created with `create` and `sync` when missing; an existing
        row only gets the `sync` values, and is saved only when one of them differs."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**{**(create or {}), **(sync or {}), **lookup})
            obj.full_clean()
            obj.save()
            self.created += 1
            return obj, True
        changed = {
            name: value for name, value in (sync or {}).items() if getattr(obj, name) != value
        }
        if changed:
            for name, value in changed.items():
                setattr(obj, name, value)
            obj.full_clean()
            obj.save()
            self.updated += 1
        return obj, False

    def load(self, today: datetime.date, password: str) -> None:
        sectors = {
            slug: self.ensure(Sector, {"slug": slug}, {"name": name})[0] for slug, name in SECTORS
        }
        parties = {}
        for code, fields in PARTIES.items():
            create = {**fields, "kind": Party.Kind.STATE}
            parties[code] = self.ensure(Party, {"country_code": code}, create)[0]

        start_day = today - datetime.timedelta(days=MEETING_DAYS_AGO)
        end_day = start_day + datetime.timedelta(days=1)

        committee, committee_created = self.ensure(
            Committee,
            {"short_name": COMMITTEE_SHORT_NAME},
            {"name": COMMITTEE_NAME, "established_on": start_day, "mandate": COMMITTEE_MANDATE},
        )
        missing = [p for p in parties.values() if not committee.parties.filter(pk=p.pk).exists()]
        if missing:
            committee.parties.add(*missing)
            self.updated += 0 if committee_created else 1

        organizations = {
            key: self.ensure(
                Organization,
                {"party": parties[code], "name": name},
                {"acronym": acronym, "kind": kind},
            )[0]
            for key, (code, name, acronym, kind) in ORGANIZATIONS.items()
        }

        users = {username: self.ensure_user(username, password) for username in USERS}

        logins = {member: username for username, (*_, member, _role) in USERS.items() if member}
        members = {}
        for key, spec in MEMBERS.items():
            lookup = {"committee": committee, "party": parties[spec["party"]]}
            lookup["full_name"] = spec["full_name"]
            if not spec["full_name"]:
                lookup["position"] = spec["position"]
            create = {
                "organization": organizations.get(spec["organization"]),
                "honorific": spec["honorific"],
                "position": spec["position"],
                "role": spec["role"],
            }
            sync = {"user": users[logins[key]]} if key in logins else None
            members[key] = self.ensure(Member, lookup, create, sync)[0]

        meeting, _ = self.ensure(
            Meeting,
            {"committee": committee, "number": 1},
            {
                "title": "First session of the Joint Intergovernmental Working Committee",
                "starts_at": datetime.datetime.combine(start_day, datetime.time(9), KABUL),
                "ends_at": datetime.datetime.combine(end_day, datetime.time(16, 30), KABUL),
                "time_zone": "Asia/Kabul",
                "city": "Kabul",
                "host_party": parties["AF"],
                "format": Meeting.Format.IN_PERSON,
                "status": Meeting.Status.HELD,
            },
        )
        signed_on = meeting.ends_at.astimezone(meeting.zone).date()

        items = {}
        for spec in AGENDA:
            items[spec["position"]] = self.ensure(
                AgendaItem,
                {"meeting": meeting, "position": spec["position"]},
                {
                    "title_en": spec["title_en"],
                    "title_ru": spec.get("title_ru"),
                    "title_fa": spec.get("title_fa"),
                    "presenter": members.get(spec["presenter"]),
                    "sector": sectors.get(spec["sector"]),
                    "discussion_en": spec["discussion_en"],
                    "decision_en": spec["decision_en"],
                    "outcome": spec["outcome"],
                },
            )[0]

        for key in ("azizi", "dpm", "torebayev"):
            self.ensure(
                Attendance,
                {"meeting": meeting, "member": members[key]},
                {"status": Attendance.Status.PRESENT},
            )

        self.ensure(
            Minutes,
            {"meeting": meeting},
            {
                "status": Minutes.Status.DRAFT,
                "next_session": AGENDA[-1]["decision_en"],
                "done_at": "Kabul",
                "done_on": signed_on,
                "original_count": 2,
                "authentic_languages": AUTHENTIC_LANGUAGES,
                "prevailing_language": PREVAILING_LANGUAGE,
            },
        )

        agreement, created = self.ensure(
            Agreement,
            {"committee": committee, "reference": AGREEMENT_REFERENCE},
            {
                "kind": Agreement.Kind.PROTOCOL,
                "title_en": AGREEMENT_TITLE_EN,
                "title_ru": AGREEMENT_TITLE_RU,
                "summary_en": AGREEMENT_SUMMARY_EN,
                "meeting": meeting,
                "signed_on": signed_on,
                "signed_at": "Kabul",
                "entry_into_force_on": signed_on,
                "authentic_languages": AUTHENTIC_LANGUAGES,
            },
        )
        if created:
            agreement.parties.set(parties.values())
            agreement.signatories.set([members["azizi"], members["dpm"]])

        target_on = datetime.date(signed_on.year + 2, 12, 31)
        last_update = {update["pledge"]: update for update in UPDATES}
        pledges = {}
        for spec in PLEDGES:
            item = items[spec["item"]]
            if spec.get("agreement", True):
                lookup = {"agreement": agreement, "number": spec["number"]}
                create = {"agenda_item": item}
            else:
                lookup = {"agreement": None, "agenda_item": item, "number": spec["number"]}
                create = {}
            due = spec["due"]
            if due == "target":
                due_on = target_on
            elif due == "signed":
                due_on = signed_on
            else:
                due_on = today + datetime.timedelta(days=due)
            party = parties[spec["party"]] if spec["party"] else None
            focal, counterpart_focal = (
                ("torebayev", "azizi") if spec["party"] == "KZ" else ("azizi", "torebayev")
            )
            latest = last_update.get(spec["key"], spec)
            create.update(
                committee=committee,
                title_en=spec["title_en"],
                title_ru=spec.get("title_ru"),
                title_fa=spec.get("title_fa"),
                description_en=spec["description_en"],
                responsible_party=party,
                lead_organization=organizations[spec["lead"]],
                counterpart_organization=organizations[spec["counterpart"]],
                focal_point=members[focal],
                counterpart_focal_point=members[counterpart_focal],
                sector=sectors[spec["sector"]],
                due_on=due_on,
                status=latest["status"],
                progress=latest["progress"],
                current_value=latest.get("indicator_value"),
            )
            if spec.get("indicator"):
                create.update(
                    TRADE_INDICATOR, baseline_year=signed_on.year - 1, target_on=target_on
                )
            pledges[spec["key"]] = self.ensure(Pledge, lookup, create)[0]

        for spec in UPDATES:
            self.ensure_update(pledges[spec["pledge"]], spec, users, parties, today)

    def ensure_user(self, username: str, password: str):
        first_name, last_name, staff, _member, _role = USERS[username]
        user_model = get_user_model()
        user = user_model._default_manager.filter(username=username).first()
        if user is None:
            user = user_model(
                username=username,
                first_name=first_name,
                last_name=last_name,
                is_staff=staff,
                is_superuser=staff,
            )
            user.set_password(password)
            user.full_clean()
            user.save()
            self.created += 1
            return user
        changed = False
        for name, value in (("is_staff", staff), ("is_superuser", staff), ("is_active", True)):
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed = True
        if not user.check_password(password):
            user.set_password(password)
            changed = True
        if changed:
            user.save()
            self.updated += 1
        return user

    def ensure_update(self, pledge, spec, users, parties, today) -> None:
        author = users[spec["author"]]
        member = MEMBERS.get(USERS[spec["author"]][3])
        create = {
            "author_party": parties[member["party"]] if member else None,
            "status": spec["status"],
            "progress": spec["progress"],
            "indicator_value": spec.get("indicator_value"),
        }
        if spec.get("period") == "last_12_months":
            first_of_month = today.replace(day=1)
            create["period_start"] = first_of_month.replace(year=first_of_month.year - 1)
            create["period_end"] = first_of_month - datetime.timedelta(days=1)
        update, created = self.ensure(
            PledgeUpdate, {"pledge": pledge, "author": author, "note": spec["note"]}, create
        )
        if not created:
            return
        # A new update on a pledge that existed already carries the pledge forward, as
        # posting it through the portal would.
        latest = {"status": update.status, "progress": update.progress}
        if update.indicator_value is not None:
            latest["current_value"] = update.indicator_value
        changed = {name: value for name, value in latest.items() if getattr(pledge, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(pledge, name, value)
            pledge.full_clean()
            pledge.save()
            self.updated += 1


def _write_private(path: Path, text: str) -> None:
    """Write a new file only its owner can read (mode 0600 from the start, never wider)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text + "\n")
