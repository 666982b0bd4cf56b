"""The founding case of the seed article, as records: what `load_demo` loads.

Afghanistan and Kazakhstan, the first session of their Joint Intergovernmental Working
Committee in Kabul, the protocol signed there with one pledge per commitment announced at the
press conference, a few follow-up updates, and the demo logins. Rows refer to each other by
the keys used here (a party's country code, an organisation's or member's key, a login's
username, an agenda item's position, a pledge's key); committee/agreements/demo/loader.py
turns the keys into rows.
"""

# The record texts are multilingual on purpose: Cyrillic, Arabic script and en dashes.

import dataclasses
import datetime
from decimal import Decimal

from committee.agreements.models import Agreement, Pledge
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes
from committee.members.models import Member, Organization

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

# Every party above sits on the committee, which was established on the first day of the
# session.
COMMITTEE = {
    "short_name": "AF-KZ JIWC",
    "name": "Afghanistan–Kazakhstan Joint Intergovernmental Working Committee",
    "mandate": (
        "To strengthen bilateral ties between Afghanistan and Kazakhstan and to follow up the "
        "implementation of the agreements reached during the visit of the Kazakh delegation to "
        "Kabul, in trade, mining, transport, telecommunications, agriculture, railways, "
        "aviation and banking."
    ),
}

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


@dataclasses.dataclass(frozen=True)
class Login:
    """A demo login: the user, the member it signs in as (if any), and what it is for."""

    first_name: str
    last_name: str
    staff: bool  # staff and superuser
    member: str | None
    purpose: str


USERS = {
    "secretariat": Login(
        "Committee", "Secretariat", True, None, "secretariat staff, may do everything"
    ),
    "azizi": Login("Nooruddin", "Azizi", False, "azizi", "Afghan official, co-chair"),
    "torebayev": Login("Kairat", "Torebayev", False, "torebayev", "Kazakh official"),
    "observer": Login("Observer", "", False, "observer", "observer, read only"),
}

# The session was held this many days before the day of first loading, over two days, from
# 9:00 on the first day to 16:30 on the second, Kabul time.
MEETING_DAYS_AGO = 42
MEETING = {
    "number": 1,
    "title": "First session of the Joint Intergovernmental Working Committee",
    "starts": datetime.time(9),
    "ends": datetime.time(16, 30),
    "time_zone": "Asia/Kabul",
    "city": "Kabul",
    "host_party": "AF",
    "format": Meeting.Format.IN_PERSON,
    "status": Meeting.Status.HELD,
}

ATTENDANCE = {
    "azizi": Attendance.Status.PRESENT,
    "dpm": Attendance.Status.PRESENT,
    "torebayev": Attendance.Status.PRESENT,
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

AUTHENTIC_LANGUAGES = ["fa", "kk", "ru", "en"]

# Done at the end of the session, in two originals; the next session is the last item's
# decision.
MINUTES = {
    "status": Minutes.Status.DRAFT,
    "next_session": AGENDA[-1]["decision_en"],
    "done_at": "Kabul",
    "original_count": 2,
    "authentic_languages": AUTHENTIC_LANGUAGES,
    "prevailing_language": "en",
}

# Signed, and in force, on the last day of the session, by both parties; the co-chairs sign.
AGREEMENT = {
    "reference": "AF-KZ/JIWC/1",
    "kind": Agreement.Kind.PROTOCOL,
    "title_en": (
        "Protocol of the first session of the Afghanistan–Kazakhstan Joint Intergovernmental "
        "Working Committee"
    ),
    "title_ru": (
        "Протокол первого заседания Афгано-казахстанского совместного межправительственного "
        "рабочего комитета"
    ),
    "summary_en": (
        "Outcome of the visit to Kabul of the Kazakh delegation led by the Deputy Prime "
        "Minister of the Republic of Kazakhstan: the Parties agreed to expand annual trade from "
        "USD 1 billion to USD 3 billion, Afghan exports to Kazakhstan, space for Afghan goods "
        "at the Khorgos port, a Joint Intergovernmental Working Committee, streamlined visas "
        "for Afghan traders and drivers, the resumption of direct Kabul–Almaty flights, Kazakh "
        "assistance in digitising Afghan mining and agriculture and in training Afghan railway "
        "personnel, and stronger banking relations."
    ),
    "signed_at": "Kabul",
    "authentic_languages": AUTHENTIC_LANGUAGES,
    "signatories": ["azizi", "dpm"],
}

# The focal point and the counterpart's focal point of a pledge, by the responsible party
# (None: joint).
FOCAL_POINTS = {
    "AF": ("azizi", "torebayev"),
    "KZ": ("torebayev", "azizi"),
    None: ("azizi", "torebayev"),
}

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

# Follow-up updates, oldest first, posted as officials post them. An update is found again
# by pledge, author and note, so notes must not depend on the date. The pledge's status,
# progress and latest value are those of its last update. "period": "last_12_months" is the
# twelve calendar months before the month of loading.
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
