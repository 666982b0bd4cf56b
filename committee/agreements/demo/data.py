"""The founding case of the seed article, as records: what `load_demo` loads.

Afghanistan and Kazakhstan, the first session of their Joint Intergovernmental Working
Committee in Kabul, the protocol signed there with one pledge per commitment announced at the
press conference, a few follow-up updates, and the demo logins. Rows refer to each other by
the keys used here (a party's country code, an organisation's or member's key, a login's
username, an agenda item's position, a pledge's key); committee/agreements/demo/loader.py
turns the keys into rows.

Every record text (a field registered in committee/*/translation.py) is given in the five
content languages with texts(): English, Dari (Afghan usage), Pashto (Afghan), Russian and
Kazakh, as an official of each side would write them. Personal names are transliterated as
each language writes them; numbers, references and acronyms (USD) stay as they are.
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


def texts(*, en: str, fa: str, ps: str, ru: str, kk: str) -> dict[str, str]:
    """One record text in every content language, by language code."""
    return {"en": en, "fa": fa, "ps": ps, "ru": ru, "kk": kk}


# A text the record does not have, in any language (an unnamed member, no venue).
NO_TEXT = texts(en="", fa="", ps="", ru="", kk="")
KABUL = texts(en="Kabul", fa="کابل", ps="کابل", ru="Кабул", kk="Кабул")

SECTORS = {
    "trade": texts(en="Trade", fa="تجارت", ps="سوداګري", ru="Торговля", kk="Сауда"),
    "mining": texts(
        en="Mining",
        fa="معادن",
        ps="کان کیندنه",
        ru="Горнодобывающая отрасль",
        kk="Тау-кен өнеркәсібі",
    ),
    "transport": texts(en="Transport", fa="ترانسپورت", ps="ټرانسپورټ", ru="Транспорт", kk="Көлік"),
    "telecommunications": texts(
        en="Telecommunications",
        fa="مخابرات",
        ps="مخابرات",
        ru="Телекоммуникации",
        kk="Телекоммуникациялар",
    ),
    "agriculture": texts(
        en="Agriculture", fa="زراعت", ps="کرنه", ru="Сельское хозяйство", kk="Ауыл шаруашылығы"
    ),
    "railways": texts(
        en="Railways", fa="خط آهن", ps="د اورګاډي پټلۍ", ru="Железные дороги", kk="Темір жол"
    ),
    "aviation": texts(en="Aviation", fa="هوانوردی", ps="هوايي چلند", ru="Авиация", kk="Авиация"),
    "banking": texts(
        en="Banking", fa="بانکداری", ps="بانکداري", ru="Банковское дело", kk="Банк ісі"
    ),
    "migration-visas": texts(
        en="Migration and visas",
        fa="مهاجرت و ویزه",
        ps="کډوالي او ویزې",
        ru="Миграция и визы",
        kk="Көші-қон және визалар",
    ),
    "institutional": texts(
        en="Institutional cooperation",
        fa="همکاری‌های نهادی",
        ps="بنسټیزه همکاري",
        ru="Институциональное сотрудничество",
        kk="Институционалдық ынтымақтастық",
    ),
}

# "government_name" is the party's formal name in the signature blocks of the minutes,
# completing "For %(name)s" in each language's catalog: "За …" (ru, the accusative, which
# for "Правительство" is the nominative), "… үшін" (kk), "از جانب …" (fa), "د … له خوا" (ps,
# hence no leading "د" of its own). Both parties have one, so the blocks stand parallel.
PARTIES = {
    # The article (Bakhtar News Agency) speaks of "Afghanistan" throughout, naming no form of
    # state; so does the demo, in the formal name of the signature block too ("the Government
    # of Afghanistan"), taking no side on the state's name. An installation types its own.
    "AF": {
        "short_name": texts(
            en="Afghanistan", fa="افغانستان", ps="افغانستان", ru="Афганистан", kk="Ауғанстан"
        ),
        "name": texts(
            en="Afghanistan", fa="افغانستان", ps="افغانستان", ru="Афганистан", kk="Ауғанстан"
        ),
        "government_name": texts(
            en="the Government of Afghanistan",
            fa="حکومت افغانستان",
            ps="افغانستان د حکومت",
            ru="Правительство Афганистана",
            kk="Ауғанстан Үкіметі",
        ),
    },
    "KZ": {
        "short_name": texts(
            en="Kazakhstan", fa="قزاقستان", ps="قزاقستان", ru="Казахстан", kk="Қазақстан"
        ),
        "name": texts(
            en="Kazakhstan", fa="قزاقستان", ps="قزاقستان", ru="Казахстан", kk="Қазақстан"
        ),
        "government_name": texts(
            en="the Government of the Republic of Kazakhstan",
            fa="حکومت جمهوری قزاقستان",
            ps="قزاقستان جمهوریت د حکومت",
            ru="Правительство Республики Казахстан",
            kk="Қазақстан Республикасының Үкіметі",
        ),
    },
}

# Every party above sits on the committee, which was established on the first day of the
# session.
COMMITTEE = {
    "short_name": "AF-KZ JIWC",
    # No telephone: a made-up number could ring someone's phone.
    "secretariat_email": "secretariat@demo.example.org",
    "name": texts(
        en="Afghanistan–Kazakhstan Joint Intergovernmental Working Committee",
        fa="کمیتهٔ کاری مشترک بین‌الدولتی افغانستان و قزاقستان",
        ps="افغانستان–قزاقستان ګډه بین‌الحکومتي کاري کمېټه",
        ru="Афгано-казахстанский совместный межправительственный рабочий комитет",
        kk="Ауғанстан–Қазақстан бірлескен үкіметаралық жұмыс комитеті",
    ),
    "mandate": texts(
        en=(
            "To strengthen bilateral ties between Afghanistan and Kazakhstan and to follow up "
            "the implementation of the agreements reached during the visit of the Kazakh "
            "delegation to Kabul, in trade, mining, transport, telecommunications, agriculture, "
            "railways, aviation and banking."
        ),
        fa=(
            "تقویت روابط دوجانبه میان افغانستان و قزاقستان و پیگیری تطبیق توافقات حاصل‌شده در "
            "جریان سفر هیئت قزاقستان به کابل، در عرصه‌های تجارت، معادن، ترانسپورت، مخابرات، "
            "زراعت، خط آهن، هوانوردی و بانکداری."
        ),
        ps=(
            "د افغانستان او قزاقستان ترمنځ د دوه اړخیزو اړیکو پیاوړتیا او کابل ته د قزاقستان "
            "د پلاوي د سفر پر مهال د شویو هوکړو د پلي کېدو څارنه، د سوداګرۍ، کان کیندنې، "
            "ټرانسپورټ، مخابراتو، کرنې، د اورګاډي پټلۍ، هوايي چلند او بانکدارۍ په برخو کې."
        ),
        ru=(
            "Укрепление двусторонних связей между Афганистаном и Казахстаном и контроль за "
            "выполнением договорённостей, достигнутых в ходе визита казахстанской делегации в "
            "Кабул, в сферах торговли, горнодобывающей промышленности, транспорта, "
            "телекоммуникаций, сельского хозяйства, железных дорог, авиации и банковского дела."
        ),
        kk=(
            "Ауғанстан мен Қазақстан арасындағы екіжақты байланыстарды нығайту және "
            "қазақстандық делегацияның Кабулға сапары барысында сауда, тау-кен өнеркәсібі, "
            "көлік, телекоммуникациялар, ауыл шаруашылығы, темір жол, авиация және банк ісі "
            "салаларында қол жеткізілген уағдаластықтардың орындалуын қадағалау."
        ),
    ),
}

ORGANIZATIONS = {
    "af-moic": {
        "party": "AF",
        "name": texts(
            en="Ministry of Industry and Commerce",
            fa="وزارت صنعت و تجارت",
            ps="د صنعت او سوداګرۍ وزارت",
            ru="Министерство промышленности и торговли",
            kk="Өнеркәсіп және сауда министрлігі",
        ),
        "acronym": "MoIC",
        "kind": OrgKind.MINISTRY,
    },
    "af-momp": {
        "party": "AF",
        "name": texts(
            en="Ministry of Mines and Petroleum",
            fa="وزارت معادن و پترولیم",
            ps="د کانونو او پټرولیم وزارت",
            ru="Министерство горнодобывающей промышленности и нефти",
            kk="Тау-кен және мұнай министрлігі",
        ),
        "acronym": "MoMP",
        "kind": OrgKind.MINISTRY,
    },
    "af-motca": {
        "party": "AF",
        "name": texts(
            en="Ministry of Transport and Civil Aviation",
            fa="وزارت ترانسپورت و هوانوردی ملکی",
            ps="د ټرانسپورټ او ملکي هوايي چلند وزارت",
            ru="Министерство транспорта и гражданской авиации",
            kk="Көлік және азаматтық авиация министрлігі",
        ),
        "acronym": "MoTCA",
        "kind": OrgKind.MINISTRY,
    },
    "af-mcit": {
        "party": "AF",
        "name": texts(
            en="Ministry of Communications and Information Technology",
            fa="وزارت مخابرات و تکنالوژی معلوماتی",
            ps="د مخابراتو او معلوماتي ټکنالوژۍ وزارت",
            ru="Министерство связи и информационных технологий",
            kk="Байланыс және ақпараттық технологиялар министрлігі",
        ),
        "acronym": "MCIT",
        "kind": OrgKind.MINISTRY,
    },
    "af-mail": {
        "party": "AF",
        "name": texts(
            en="Ministry of Agriculture, Irrigation and Livestock",
            fa="وزارت زراعت، آبیاری و مالداری",
            ps="د کرنې، اوبو لګولو او مالدارۍ وزارت",
            ru="Министерство сельского хозяйства, ирригации и животноводства",
            kk="Ауыл шаруашылығы, ирригация және мал шаруашылығы министрлігі",
        ),
        "acronym": "MAIL",
        "kind": OrgKind.MINISTRY,
    },
    "af-ara": {
        "party": "AF",
        "name": texts(
            en="Afghanistan Railway Authority",
            fa="ادارهٔ خط آهن افغانستان",
            ps="د افغانستان د اورګاډي د پټلۍ اداره",
            ru="Управление железных дорог Афганистана",
            kk="Ауғанстан темір жол басқармасы",
        ),
        "acronym": "ARA",
        "kind": OrgKind.AGENCY,
    },
    "af-gmic": {
        "party": "AF",
        "name": texts(
            en="Government Media and Information Center",
            fa="مرکز رسانه‌ها و اطلاعات حکومت",
            ps="د حکومت د رسنیو او معلوماتو مرکز",
            ru="Правительственный центр СМИ и информации",
            kk="Үкіметтік БАҚ және ақпарат орталығы",
        ),
        "acronym": "GMIC",
        "kind": OrgKind.AGENCY,
    },
    "af-dab": {
        "party": "AF",
        "name": texts(
            en="Da Afghanistan Bank",
            fa="د افغانستان بانک",
            ps="د افغانستان بانک",
            ru="Да Афганистан Банк",
            kk="Да Афганистан Банк",
        ),
        "acronym": "DAB",
        "kind": OrgKind.AGENCY,
    },
    "kz-mti": {
        "party": "KZ",
        "name": texts(
            en="Ministry of Trade and Integration",
            fa="وزارت تجارت و همگرایی",
            ps="د سوداګرۍ او ادغام وزارت",
            ru="Министерство торговли и интеграции",
            kk="Сауда және интеграция министрлігі",
        ),
        "acronym": "",
        "kind": OrgKind.MINISTRY,
    },
    "kz-mfa": {
        "party": "KZ",
        "name": texts(
            en="Ministry of Foreign Affairs",
            fa="وزارت امور خارجه",
            ps="د بهرنیو چارو وزارت",
            ru="Министерство иностранных дел",
            kk="Сыртқы істер министрлігі",
        ),
        "acronym": "MFA",
        "kind": OrgKind.MINISTRY,
    },
    "kz-mot": {
        "party": "KZ",
        "name": texts(
            en="Ministry of Transport",
            fa="وزارت ترانسپورت",
            ps="د ټرانسپورټ وزارت",
            ru="Министерство транспорта",
            kk="Көлік министрлігі",
        ),
        "acronym": "",
        "kind": OrgKind.MINISTRY,
    },
    "kz-mdd": {
        "party": "KZ",
        "name": texts(
            en="Ministry of Digital Development, Innovation and Aerospace Industry",
            fa="وزارت انکشاف دیجیتال، نوآوری و صنایع هوایی و فضایی",
            ps="د ډیجیټلي پراختیا، نوښت او هوايي او فضايي صنعت وزارت",
            ru="Министерство цифрового развития, инноваций и аэрокосмической промышленности",
            kk="Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі",
        ),
        "acronym": "",
        "kind": OrgKind.MINISTRY,
    },
    "kz-nbk": {
        "party": "KZ",
        "name": texts(
            en="National Bank of Kazakhstan",
            fa="بانک ملی قزاقستان",
            ps="د قزاقستان ملي بانک",
            ru="Национальный Банк Казахстана",
            kk="Қазақстан Ұлттық Банкі",
        ),
        "acronym": "NBK",
        "kind": OrgKind.AGENCY,
    },
    "kz-ktz": {
        "party": "KZ",
        "name": texts(
            en="Kazakhstan Temir Zholy",
            fa="قزاقستان تمیر ژولی",
            ps="قزاقستان تمیر ژولي",
            ru="Казахстан темир жолы",
            kk="Қазақстан темір жолы",
        ),
        "acronym": "KTZ",
        "kind": OrgKind.STATE_COMPANY,
    },
}

# Only the people the article names, the unnamed head of the Kazakh delegation (the article
# gives his office, not his name) and the member behind the observer login. A member is found
# again by the English column of their name, or of their office when they have no name.
MEMBERS = {
    "azizi": {
        "party": "AF",
        "organization": "af-moic",
        "honorific": texts(en="Alhaj", fa="الحاج", ps="الحاج", ru="Альхадж", kk="Әлхаж"),
        "full_name": texts(
            en="Nooruddin Azizi",
            fa="نورالدین عزیزی",
            ps="نورالدین عزیزي",
            ru="Нуриддин Азизи",
            kk="Нуриддин Азизи",
        ),
        "position": texts(
            en="Acting Minister of Industry and Commerce",
            fa="سرپرست وزارت صنعت و تجارت",
            ps="د صنعت او سوداګرۍ د وزارت سرپرست",
            ru="Исполняющий обязанности министра промышленности и торговли",
            kk="Өнеркәсіп және сауда министрінің міндетін атқарушы",
        ),
        "role": Role.CO_CHAIR,
    },
    "dpm": {
        "party": "KZ",
        "organization": None,
        "honorific": NO_TEXT,
        "full_name": NO_TEXT,
        "position": texts(
            en="Deputy Prime Minister of the Republic of Kazakhstan, head of delegation",
            fa="معاون صدراعظم جمهوری قزاقستان، رئیس هیئت",
            ps="د قزاقستان جمهوریت د صدراعظم مرستیال، د پلاوي مشر",
            ru="Заместитель Премьер-Министра Республики Казахстан, глава делегации",
            kk="Қазақстан Республикасы Премьер-Министрінің орынбасары, делегация басшысы",
        ),
        "role": Role.CO_CHAIR,
    },
    "torebayev": {
        "party": "KZ",
        "organization": "kz-mti",
        "honorific": NO_TEXT,
        "full_name": texts(
            en="Kairat Torebayev",
            fa="قایرات توره‌بایف",
            ps="قایرات توره‌بایف",
            ru="Кайрат Торебаев",
            kk="Қайрат Төребаев",
        ),
        "position": texts(
            en="Deputy Minister of Trade and Integration of the Republic of Kazakhstan",
            fa="معین وزارت تجارت و همگرایی جمهوری قزاقستان",
            ps="د قزاقستان جمهوریت د سوداګرۍ او ادغام وزارت معین",
            ru="Вице-министр торговли и интеграции Республики Казахстан",
            kk="Қазақстан Республикасының Сауда және интеграция вице-министрі",
        ),
        "role": Role.MEMBER,
    },
    "observer": {
        "party": "KZ",
        "organization": None,
        "honorific": NO_TEXT,
        "full_name": texts(
            en="Observer (demo account)",
            fa="ناظر (حساب نمایشی)",
            ps="څارونکی (نمایشي حساب)",
            ru="Наблюдатель (демонстрационная учётная запись)",
            kk="Байқаушы (демонстрациялық тіркелгі)",
        ),
        "position": texts(en="Observer", fa="ناظر", ps="څارونکی", ru="Наблюдатель", kk="Байқаушы"),
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
    # The language of the pages and mails (empty: the browser's). Set when the login is made:
    # a language the person chose later is kept.
    language: str = ""

    @property
    def email(self) -> str:
        # example.org is reserved for examples (RFC 2606): no demo mail reaches a real person.
        return f"{self.member or 'secretariat'}@demo.example.org"


USERS = {
    "secretariat": Login(
        "Committee", "Secretariat", True, None, "secretariat staff, may do everything"
    ),
    "azizi": Login("Nooruddin", "Azizi", False, "azizi", "Afghan official, co-chair", "fa"),
    "torebayev": Login("Kairat", "Torebayev", False, "torebayev", "Kazakh official", "ru"),
    # The article gives the Kazakh head of delegation's office, not his name.
    "dpm": Login("", "", False, "dpm", "Kazakh head of delegation, co-chair", "kk"),
    "observer": Login("Observer", "", False, "observer", "observer, read only"),
}

# The session was held this many days before the day of first loading, over two days, from
# 9:00 on the first day to 16:30 on the second, Kabul time.
MEETING_DAYS_AGO = 42
MEETING = {
    "number": 1,
    "title": texts(
        en="First session of the Joint Intergovernmental Working Committee",
        fa="نخستین جلسهٔ کمیتهٔ کاری مشترک بین‌الدولتی",
        ps="د ګډې بین‌الحکومتي کاري کمېټې لومړۍ غونډه",
        ru="Первое заседание Совместного межправительственного рабочего комитета",
        kk="Бірлескен үкіметаралық жұмыс комитетінің бірінші отырысы",
    ),
    # The article names the city only.
    "venue": NO_TEXT,
    "city": KABUL,
    "starts": datetime.time(9),
    "ends": datetime.time(16, 30),
    "time_zone": "Asia/Kabul",
    "host_party": "AF",
    "format": Meeting.Format.IN_PERSON,
    "status": Meeting.Status.HELD,
}

ATTENDANCE = {
    "azizi": Attendance.Status.PRESENT,
    "dpm": Attendance.Status.PRESENT,
    "torebayev": Attendance.Status.PRESENT,
}
# Who led each delegation, co-chaired the session and approves its minutes.
HEADS_OF_DELEGATION = {"azizi", "dpm"}

AGENDA = [
    {
        "position": 1,
        "presenter": "azizi",
        "sector": None,
        "outcome": Outcome.AGREED,
        "title": texts(
            en="Opening of the session and adoption of the agenda",
            fa="افتتاح جلسه و تصویب اجندا",
            ps="د غونډې پرانیستل او د اجنډا تصویب",
            ru="Открытие заседания и утверждение повестки дня",
            kk="Отырысты ашу және күн тәртібін бекіту",
        ),
        "discussion": texts(
            en=(
                "Alhaj Nooruddin Azizi, Acting Minister of Industry and Commerce, welcomed the "
                "Kazakh delegation led by the Deputy Prime Minister of the Republic of "
                "Kazakhstan, comprising some 40 government officials and business "
                "representatives. During the visit the delegation met the Ministries of "
                "Industry and Commerce, Mines and Petroleum, Transport, Telecommunications and "
                "Agriculture, the Afghanistan Railway Authority and private enterprises."
            ),
            fa=(
                "الحاج نورالدین عزیزی، سرپرست وزارت صنعت و تجارت، از هیئت قزاقستان به ریاست "
                "معاون صدراعظم جمهوری قزاقستان که متشکل از حدود 40 تن از مقامات حکومتی و "
                "نمایندگان بخش خصوصی بود، استقبال نمود. هیئت در جریان این سفر با وزارت‌های صنعت "
                "و تجارت، معادن و پترولیم، ترانسپورت، مخابرات و زراعت، ادارهٔ خط آهن افغانستان "
                "و شرکت‌های خصوصی دیدار نمود."
            ),
            ps=(
                "الحاج نورالدین عزیزي، د صنعت او سوداګرۍ د وزارت سرپرست، د قزاقستان جمهوریت د "
                "صدراعظم د مرستیال په مشرۍ د قزاقستان پلاوي ته ښه راغلاست ووایه چې نږدې 40 "
                "تنه حکومتي چارواکي او د سوداګرۍ استازي پکې شامل وو. پلاوي د سفر پر مهال د "
                "صنعت او سوداګرۍ، کانونو او پټرولیم، ټرانسپورټ، مخابراتو او کرنې له وزارتونو، "
                "د افغانستان د اورګاډي د پټلۍ له ادارې او خصوصي شرکتونو سره وکتل."
            ),
            ru=(
                "Исполняющий обязанности министра промышленности и торговли Альхадж Нуриддин "
                "Азизи приветствовал казахстанскую делегацию во главе с Заместителем "
                "Премьер-Министра Республики Казахстан в составе около 40 представителей "
                "государственных органов и деловых кругов. В ходе визита делегация провела "
                "встречи в министерствах промышленности и торговли, горнодобывающей "
                "промышленности и нефти, транспорта, связи и сельского хозяйства, в Управлении "
                "железных дорог Афганистана, а также с частными предприятиями."
            ),
            kk=(
                "Өнеркәсіп және сауда министрінің міндетін атқарушы Әлхаж Нуриддин Азизи "
                "Қазақстан Республикасы Премьер-Министрінің орынбасары бастаған, 40-қа жуық "
                "мемлекеттік қызметші мен бизнес өкілінен тұратын қазақстандық делегацияны "
                "қарсы алды. Сапар барысында делегация Өнеркәсіп және сауда, Тау-кен және мұнай, "
                "Көлік, Байланыс және Ауыл шаруашылығы министрліктерімен, Ауғанстан темір жол "
                "басқармасымен және жеке кәсіпорындармен кездесті."
            ),
        ),
        "decision": texts(
            en="The Parties adopted the agenda.",
            fa="طرفین اجندا را تصویب نمودند.",
            ps="اړخونو اجنډا تصویب کړه.",
            ru="Стороны утвердили повестку дня.",
            kk="Тараптар күн тәртібін бекітті.",
        ),
    },
    {
        "position": 2,
        "presenter": "azizi",
        "sector": "institutional",
        "outcome": Outcome.AGREED,
        "title": texts(
            en="Establishment of the Joint Intergovernmental Working Committee",
            fa="تأسیس کمیتهٔ کاری مشترک بین‌الدولتی",
            ps="د ګډې بین‌الحکومتي کاري کمېټې جوړول",
            ru="Создание Совместного межправительственного рабочего комитета",
            kk="Бірлескен үкіметаралық жұмыс комитетін құру",
        ),
        "discussion": texts(
            en=(
                "The Parties noted that a standing joint body is needed to strengthen bilateral "
                "ties and to follow up the agreements reached during the visit."
            ),
            fa=(
                "طرفین خاطرنشان ساختند که برای تقویت روابط دوجانبه و پیگیری توافقات حاصل‌شده در "
                "جریان سفر، به یک نهاد مشترک دایمی نیاز است."
            ),
            ps=(
                "اړخونو یادونه وکړه چې د دوه اړخیزو اړیکو د پیاوړتیا او د سفر پر مهال د شویو "
                "هوکړو د تعقیب لپاره یو دایمي ګډ بنسټ ته اړتیا ده."
            ),
            ru=(
                "Стороны отметили необходимость постоянного совместного органа для укрепления "
                "двусторонних связей и контроля за выполнением договорённостей, достигнутых в "
                "ходе визита."
            ),
            kk=(
                "Тараптар екіжақты байланыстарды нығайту және сапар барысында қол жеткізілген "
                "уағдаластықтардың орындалуын қадағалау үшін тұрақты бірлескен орган қажет "
                "екенін атап өтті."
            ),
        ),
        "decision": texts(
            en=(
                "The Parties agreed to establish the Afghanistan–Kazakhstan Joint "
                "Intergovernmental Working Committee."
            ),
            fa=(
                "طرفین موافقه نمودند کمیتهٔ کاری مشترک بین‌الدولتی افغانستان و قزاقستان را "
                "تأسیس نمایند."
            ),
            ps="اړخونو موافقه وکړه چې افغانستان–قزاقستان ګډه بین‌الحکومتي کاري کمېټه جوړه کړي.",
            ru=(
                "Стороны согласились создать Афгано-казахстанский совместный "
                "межправительственный рабочий комитет."
            ),
            kk=(
                "Тараптар Ауғанстан–Қазақстан бірлескен үкіметаралық жұмыс комитетін құруға "
                "келісті."
            ),
        ),
    },
    {
        "position": 3,
        "presenter": "azizi",
        "sector": "trade",
        "outcome": Outcome.AGREED,
        "title": texts(
            en="Bilateral trade and Afghan exports to Kazakhstan",
            fa="تجارت دوجانبه و صادرات افغانستان به قزاقستان",
            ps="دوه اړخیزه سوداګري او قزاقستان ته د افغانستان صادرات",
            ru="Двусторонняя торговля и афганский экспорт в Казахстан",
            kk="Екіжақты сауда және Ауғанстанның Қазақстанға экспорты",
        ),
        "discussion": texts(
            en=(
                "The Afghan side reported on the progress of trade relations with Kazakhstan "
                "and noted that Afghanistan's trade ports are fully operational. The Kazakh "
                "side affirmed its readiness to cooperate in trade, mining, transportation, "
                "telecommunications and agriculture."
            ),
            fa=(
                "جانب افغان در مورد پیشرفت روابط تجارتی با قزاقستان گزارش داد و خاطرنشان ساخت "
                "که بنادر تجارتی افغانستان به‌طور کامل فعال اند. جانب قزاقستان آمادگی خود را "
                "برای همکاری در عرصه‌های تجارت، معادن، ترانسپورت، مخابرات و زراعت ابراز نمود."
            ),
            ps=(
                "افغان اړخ له قزاقستان سره د سوداګریزو اړیکو د پرمختګ په اړه راپور ورکړ او "
                "یادونه یې وکړه چې د افغانستان سوداګریز بندرونه په بشپړه توګه فعال دي. "
                "قزاقستاني اړخ د سوداګرۍ، کان کیندنې، ټرانسپورټ، مخابراتو او کرنې په برخو کې "
                "همکارۍ ته خپل چمتووالی څرګند کړ."
            ),
            ru=(
                "Афганская сторона проинформировала о развитии торговых отношений с "
                "Казахстаном и отметила, что торговые порты Афганистана полностью "
                "функционируют. Казахстанская сторона подтвердила готовность к сотрудничеству "
                "в сферах торговли, горнодобывающей промышленности, транспорта, "
                "телекоммуникаций и сельского хозяйства."
            ),
            kk=(
                "Ауған тарапы Қазақстанмен сауда қатынастарының дамуы туралы хабарлап, "
                "Ауғанстанның сауда порттары толық жұмыс істеп тұрғанын атап өтті. Қазақстан "
                "тарапы сауда, тау-кен өнеркәсібі, көлік, телекоммуникациялар және ауыл "
                "шаруашылығы салаларында ынтымақтастыққа дайын екенін растады."
            ),
        ),
        "decision": texts(
            en=(
                "The Parties agreed to expand annual bilateral trade from USD 1 billion to USD 3 "
                "billion. Afghanistan will begin exporting precious and semi-precious stones, "
                "minerals, cotton, beverages, and fresh and dried fruits to Kazakhstan."
            ),
            fa=(
                "طرفین موافقه نمودند حجم سالانهٔ تجارت دوجانبه را از 1 میلیارد USD به 3 "
                "میلیارد USD افزایش دهند. افغانستان صادرات سنگ‌های قیمتی و نیمه‌قیمتی، مواد "
                "معدنی، پخته، نوشابه‌ها و میوه‌های تازه و خشک را به قزاقستان آغاز خواهد نمود."
            ),
            ps=(
                "اړخونو موافقه وکړه چې د دوه اړخیزې سوداګرۍ کلنی حجم له 1 میلیارد USD څخه 3 "
                "میلیارد USD ته لوړ کړي. افغانستان به قزاقستان ته د قیمتي او نیمه قیمتي "
                "ډبرو، منرالونو، پنبې، څښاکونو او تازه او وچو مېوو صادرول پیل کړي."
            ),
            ru=(
                "Стороны согласились увеличить годовой объём двусторонней торговли с 1 млрд USD "
                "до 3 млрд USD. Афганистан начнёт экспорт в Казахстан драгоценных и "
                "полудрагоценных камней, минерального сырья, хлопка, напитков, а также свежих и "
                "сушёных фруктов."
            ),
            kk=(
                "Тараптар жылдық екіжақты сауда көлемін 1 млрд USD деңгейінен 3 млрд USD "
                "деңгейіне дейін ұлғайтуға келісті. Ауғанстан Қазақстанға асыл және жартылай "
                "асыл тастарды, минералдарды, мақтаны, сусындарды, сондай-ақ балғын және "
                "кептірілген жемістерді экспорттауды бастайды."
            ),
        ),
    },
    {
        "position": 4,
        "presenter": "torebayev",
        "sector": "transport",
        "outcome": Outcome.AGREED,
        "title": texts(
            en="Transit through Khorgos port",
            fa="ترانزیت از طریق بندر خورگوس",
            ps="د خورګوس بندر له لارې ترانزیټ",
            ru="Транзит через порт Хоргос",
            kk="Қорғас порты арқылы транзит",
        ),
        "discussion": texts(
            en=(
                "The Parties discussed how to make the transit of Afghan goods through "
                "Kazakhstan more efficient."
            ),
            fa=(
                "طرفین در مورد راه‌های مؤثرتر ساختن ترانزیت اموال تجارتی افغانستان از طریق "
                "قزاقستان بحث نمودند."
            ),
            ps=(
                "اړخونو د قزاقستان له لارې د افغاني توکو د ترانزیټ د لا اغېزمن کولو په لارو "
                "چارو خبرې وکړې."
            ),
            ru=(
                "Стороны обсудили пути повышения эффективности транзита афганских грузов через "
                "территорию Казахстана."
            ),
            kk=(
                "Тараптар ауған жүктерінің Қазақстан арқылы транзитін тиімдірек ету жолдарын "
                "талқылады."
            ),
        ),
        "decision": texts(
            en="Kazakhstan will allocate space at the Khorgos port for Afghan goods.",
            fa="قزاقستان در بندر خورگوس برای اموال تجارتی افغانستان ساحه اختصاص خواهد داد.",
            ps="قزاقستان به د خورګوس په بندر کې د افغاني توکو لپاره ځای ځانګړی کړي.",
            ru="Казахстан выделит площади в порту Хоргос для афганских грузов.",
            kk="Қазақстан Қорғас портында ауған жүктері үшін алаң бөледі.",
        ),
    },
    {
        "position": 5,
        "presenter": "azizi",
        "sector": "migration-visas",
        "outcome": Outcome.INSTRUCTED,
        "title": texts(
            en="Visa procedures for traders and drivers",
            fa="طرزالعمل‌های ویزه برای تاجران و دریوران",
            ps="د سوداګرو او ډرېورانو لپاره د ویزې طرزالعملونه",
            ru="Визовые процедуры для предпринимателей и водителей",
            kk="Кәсіпкерлер мен жүргізушілерге арналған визалық рәсімдер",
        ),
        "discussion": texts(
            en=(
                "The Afghan side requested streamlined visa procedures for its traders and drivers."
            ),
            fa="جانب افغان خواستار ساده‌سازی طرزالعمل‌های ویزه برای تاجران و دریوران خود شد.",
            ps=(
                "افغان اړخ د خپلو سوداګرو او ډرېورانو لپاره د ویزې د طرزالعملونو د اسانولو "
                "غوښتنه وکړه."
            ),
            ru=(
                "Афганская сторона обратилась с просьбой упростить визовые процедуры для своих "
                "предпринимателей и водителей."
            ),
            kk=(
                "Ауған тарапы өз кәсіпкерлері мен жүргізушілері үшін визалық рәсімдерді "
                "жеңілдетуді сұрады."
            ),
        ),
        "decision": texts(
            en=(
                "The Kazakh side will streamline visa procedures for Afghan traders and "
                "drivers. The Parties instructed the Ministry of Industry and Commerce of "
                "Afghanistan to send the Kazakh side the list of traders and transport "
                "companies concerned."
            ),
            fa=(
                "جانب قزاقستان طرزالعمل‌های ویزه را برای تاجران و دریوران افغان ساده خواهد "
                "ساخت. طرفین به وزارت صنعت و تجارت افغانستان هدایت دادند تا لست تاجران و "
                "شرکت‌های ترانسپورتی مربوط را به جانب قزاقستان ارسال نماید."
            ),
            ps=(
                "قزاقستاني اړخ به د افغان سوداګرو او ډرېورانو لپاره د ویزې طرزالعملونه اسانه "
                "کړي. اړخونو د افغانستان د صنعت او سوداګرۍ وزارت ته دنده وسپارله چې د اړوندو "
                "سوداګرو او ټرانسپورټي شرکتونو لست قزاقستاني اړخ ته ولېږي."
            ),
            ru=(
                "Казахстанская сторона упростит визовые процедуры для афганских "
                "предпринимателей и водителей. Стороны поручили Министерству промышленности и "
                "торговли Афганистана направить казахстанской стороне список соответствующих "
                "предпринимателей и транспортных компаний."
            ),
            kk=(
                "Қазақстан тарапы ауған кәсіпкерлері мен жүргізушілері үшін визалық рәсімдерді "
                "жеңілдетеді. Тараптар Ауғанстанның Өнеркәсіп және сауда министрлігіне тиісті "
                "кәсіпкерлер мен көлік компанияларының тізімін Қазақстан тарапына жіберуді "
                "тапсырды."
            ),
        ),
    },
    {
        "position": 6,
        "presenter": "azizi",
        "sector": "aviation",
        "outcome": Outcome.AGREED,
        "title": texts(
            en="Direct air service between Kabul and Almaty",
            fa="پروازهای مستقیم میان کابل و الماتی",
            ps="د کابل او الماتي ترمنځ مستقیمې الوتنې",
            ru="Прямое авиасообщение между Кабулом и Алматы",
            kk="Кабул мен Алматы арасындағы тікелей әуе қатынасы",
        ),
        "discussion": texts(
            en="The Parties discussed the resumption of direct flights.",
            fa="طرفین در مورد ازسرگیری پروازهای مستقیم بحث نمودند.",
            ps="اړخونو د مستقیمو الوتنو د بیا پیلولو په اړه خبرې وکړې.",
            ru="Стороны обсудили возобновление прямого авиасообщения.",
            kk="Тараптар тікелей әуе рейстерін қайта бастау мәселесін талқылады.",
        ),
        "decision": texts(
            en="The Parties agreed to resume direct Kabul–Almaty flights in the near future.",
            fa="طرفین موافقه نمودند پروازهای مستقیم کابل–الماتی را در آیندهٔ نزدیک از سر گیرند.",
            ps=(
                "اړخونو موافقه وکړه چې په نږدې راتلونکي کې د کابل–الماتي مستقیمې الوتنې بیا "
                "پیل کړي."
            ),
            ru=(
                "Стороны согласились в ближайшее время возобновить прямое авиасообщение "
                "Кабул — Алматы."
            ),
            kk="Тараптар жақын арада Кабул–Алматы тікелей әуе рейстерін қайта бастауға келісті.",
        ),
    },
    {
        "position": 7,
        "presenter": "torebayev",
        "sector": "railways",
        "outcome": Outcome.INSTRUCTED,
        "title": texts(
            en="Railway cooperation and training of railway personnel",
            fa="همکاری در عرصهٔ خط آهن و آموزش کارمندان خط آهن",
            ps="د اورګاډي د پټلۍ په برخه کې همکاري او د اورګاډي د پټلۍ د کارکوونکو روزنه",
            ru="Железнодорожное сотрудничество и подготовка железнодорожных кадров",
            kk="Темір жол саласындағы ынтымақтастық және темір жол мамандарын даярлау",
        ),
        "discussion": texts(
            en=(
                "The Parties discussed cooperation between the Afghanistan Railway Authority "
                "and the Kazakh railways."
            ),
            fa=("طرفین در مورد همکاری میان ادارهٔ خط آهن افغانستان و خطوط آهن قزاقستان بحث نمودند."),
            ps=(
                "اړخونو د افغانستان د اورګاډي د پټلۍ د ادارې او د قزاقستان د اورګاډي د پټلیو "
                "ترمنځ د همکارۍ په اړه خبرې وکړې."
            ),
            ru=(
                "Стороны обсудили сотрудничество между Управлением железных дорог Афганистана "
                "и железными дорогами Казахстана."
            ),
            kk=(
                "Тараптар Ауғанстан темір жол басқармасы мен Қазақстан темір жолдары "
                "арасындағы ынтымақтастықты талқылады."
            ),
        ),
        "decision": texts(
            en=(
                "Kazakhstan will train Afghan railway personnel. The Parties instructed the "
                "Afghanistan Railway Authority to nominate the personnel to be trained."
            ),
            fa=(
                "قزاقستان کارمندان خط آهن افغانستان را آموزش خواهد داد. طرفین به ادارهٔ خط آهن "
                "افغانستان هدایت دادند تا کارمندانی را که آموزش می‌بینند، معرفی نماید."
            ),
            ps=(
                "قزاقستان به د افغانستان د اورګاډي د پټلۍ کارکوونکي وروزي. اړخونو د افغانستان "
                "د اورګاډي د پټلۍ ادارې ته دنده وسپارله چې هغه کارکوونکي ونوموي چې روزل کېږي."
            ),
            ru=(
                "Казахстан обеспечит подготовку афганских железнодорожных кадров. Стороны "
                "поручили Управлению железных дорог Афганистана выдвинуть кандидатуры "
                "сотрудников для обучения."
            ),
            kk=(
                "Қазақстан ауған темір жол мамандарын даярлайды. Тараптар Ауғанстан темір жол "
                "басқармасына оқытуға жіберілетін мамандардың кандидатураларын ұсынуды "
                "тапсырды."
            ),
        ),
    },
    {
        "position": 8,
        "presenter": "torebayev",
        "sector": "telecommunications",
        "outcome": Outcome.AGREED,
        "title": texts(
            en="Digitisation of mining and agriculture",
            fa="دیجیتالی‌سازی سکتورهای معادن و زراعت",
            ps="د کان کیندنې او کرنې ډیجیټلي کول",
            ru="Цифровизация горнодобывающей отрасли и сельского хозяйства",
            kk="Тау-кен өнеркәсібі мен ауыл шаруашылығын цифрландыру",
        ),
        "discussion": texts(
            en="The Parties discussed Kazakhstan's experience in digitising public systems.",
            fa="طرفین در مورد تجارب قزاقستان در دیجیتالی‌سازی سیستم‌های عامه بحث نمودند.",
            ps=(
                "اړخونو د عامه سیستمونو د ډیجیټلي کولو په برخه کې د قزاقستان د تجربو په اړه "
                "خبرې وکړې."
            ),
            ru="Стороны обсудили опыт Казахстана в цифровизации государственных систем.",
            kk="Тараптар Қазақстанның мемлекеттік жүйелерді цифрландыру тәжірибесін талқылады.",
        ),
        "decision": texts(
            en=(
                "Kazakhstan will provide assistance in digitising Afghanistan's mining and "
                "agricultural systems."
            ),
            fa="قزاقستان در دیجیتالی‌سازی سیستم‌های معادن و زراعت افغانستان همکاری خواهد نمود.",
            ps=(
                "قزاقستان به د افغانستان د کان کیندنې او کرنې د سیستمونو په ډیجیټلي کولو کې "
                "مرسته وکړي."
            ),
            ru=(
                "Казахстан окажет содействие в цифровизации систем горнодобывающей отрасли и "
                "сельского хозяйства Афганистана."
            ),
            kk=(
                "Қазақстан Ауғанстанның тау-кен және ауыл шаруашылығы жүйелерін цифрландыруға "
                "жәрдем көрсетеді."
            ),
        ),
    },
    {
        "position": 9,
        "presenter": "azizi",
        "sector": "banking",
        "outcome": Outcome.AGREED,
        "title": texts(
            en="Banking relations",
            fa="روابط بانکی",
            ps="بانکي اړیکې",
            ru="Банковское сотрудничество",
            kk="Банктік қатынастар",
        ),
        "discussion": texts(
            en=(
                "The Parties noted that banking relations are needed to support trade and "
                "economic cooperation."
            ),
            fa=(
                "طرفین خاطرنشان ساختند که برای حمایت از تجارت و همکاری‌های اقتصادی، روابط بانکی "
                "ضروری است."
            ),
            ps=(
                "اړخونو یادونه وکړه چې د سوداګرۍ او اقتصادي همکاریو د ملاتړ لپاره بانکي اړیکو "
                "ته اړتیا ده."
            ),
            ru=(
                "Стороны отметили, что для поддержки торгово-экономического сотрудничества "
                "необходимы банковские связи."
            ),
            kk=(
                "Тараптар сауда-экономикалық ынтымақтастықты қолдау үшін банктік байланыстар "
                "қажет екенін атап өтті."
            ),
        ),
        "decision": texts(
            en="The Parties will strengthen banking relations between the two countries.",
            fa="طرفین روابط بانکی میان دو کشور را تقویت خواهند نمود.",
            # "اړخونو …", as the printed minutes expect a decision of the Parties to begin.
            ps="اړخونو موافقه وکړه چې د دواړو هېوادونو ترمنځ بانکي اړیکې پیاوړې کړي.",
            ru="Стороны укрепят банковские связи между двумя странами.",
            kk="Тараптар екі ел арасындағы банктік байланыстарды нығайтады.",
        ),
    },
    {
        "position": 10,
        # The minutes print what they record on the next session under this item.
        "kind": AgendaItem.Kind.NEXT_SESSION,
        "presenter": None,
        "sector": None,
        "outcome": Outcome.AGREED,
        "title": texts(
            en="Date and venue of the next session",
            fa="تاریخ و محل برگزاری جلسهٔ بعدی",
            ps="د راتلونکې غونډې نېټه او ځای",
            ru="Дата и место проведения следующего заседания",
            kk="Келесі отырыстың өтетін күні мен орны",
        ),
        "discussion": NO_TEXT,
        "decision": texts(
            en=(
                "The Parties agreed to hold the second session in the Republic of Kazakhstan on "
                "dates to be agreed through diplomatic channels."
            ),
            fa=(
                "طرفین موافقه نمودند جلسهٔ دوم را در جمهوری قزاقستان در تاریخی که از طریق مجاری "
                "دیپلوماتیک توافق خواهد شد، برگزار نمایند."
            ),
            ps=(
                "اړخونو موافقه وکړه چې دویمه غونډه د قزاقستان په جمهوریت کې په هغو نېټو جوړه "
                "کړي چې د ډیپلوماتیکو مجراوو له لارې به پرې هوکړه کېږي."
            ),
            ru=(
                "Стороны согласились провести второе заседание в Республике Казахстан в сроки, "
                "которые будут согласованы по дипломатическим каналам."
            ),
            kk=(
                "Тараптар екінші отырысты Қазақстан Республикасында дипломатиялық арналар "
                "арқылы келісілетін мерзімде өткізуге келісті."
            ),
        ),
    },
]

AUTHENTIC_LANGUAGES = ["fa", "kk", "ru", "en"]

# Done at the end of the session, in two originals; the next session is the last item's
# decision (printed once, under that item).
MINUTES = {
    "status": Minutes.Status.DRAFT,
    "next_session": AGENDA[-1]["decision"],
    "done_at": KABUL,
    "original_count": 2,
    "authentic_languages": AUTHENTIC_LANGUAGES,
    "prevailing_language": "en",
}

# Signed, and in force, on the last day of the session, by both parties; the co-chairs sign.
AGREEMENT = {
    "reference": "AF-KZ/JIWC/1",
    "kind": Agreement.Kind.PROTOCOL,
    "title": texts(
        en=(
            "Protocol of the first session of the Afghanistan–Kazakhstan Joint "
            "Intergovernmental Working Committee"
        ),
        fa="پروتوکول نخستین جلسهٔ کمیتهٔ کاری مشترک بین‌الدولتی افغانستان و قزاقستان",
        ps="د افغانستان–قزاقستان ګډې بین‌الحکومتي کاري کمېټې د لومړۍ غونډې پروتوکول",
        ru=(
            "Протокол первого заседания Афгано-казахстанского совместного "
            "межправительственного рабочего комитета"
        ),
        kk=(
            "Ауғанстан–Қазақстан бірлескен үкіметаралық жұмыс комитетінің бірінші отырысының "
            "хаттамасы"
        ),
    ),
    "summary": texts(
        en=(
            "Outcome of the visit to Kabul of the Kazakh delegation led by the Deputy Prime "
            "Minister of the Republic of Kazakhstan: the Parties agreed to expand annual trade "
            "from USD 1 billion to USD 3 billion, Afghan exports to Kazakhstan, space for Afghan "
            "goods at the Khorgos port, a Joint Intergovernmental Working Committee, streamlined "
            "visas for Afghan traders and drivers, the resumption of direct Kabul–Almaty "
            "flights, Kazakh assistance in digitising Afghan mining and agriculture and in "
            "training Afghan railway personnel, and stronger banking relations."
        ),
        fa=(
            "نتیجهٔ سفر هیئت قزاقستان به ریاست معاون صدراعظم جمهوری قزاقستان به کابل: طرفین "
            "در مورد افزایش حجم سالانهٔ تجارت از 1 میلیارد USD به 3 میلیارد USD، صادرات "
            "افغانستان به قزاقستان، اختصاص ساحه برای اموال تجارتی افغانستان در بندر خورگوس، "
            "تأسیس کمیتهٔ کاری مشترک بین‌الدولتی، ساده‌سازی ویزه برای تاجران و دریوران افغان، "
            "ازسرگیری پروازهای مستقیم کابل–الماتی، همکاری قزاقستان در دیجیتالی‌سازی سکتورهای "
            "معادن و زراعت افغانستان و آموزش کارمندان خط آهن افغانستان، و تقویت روابط بانکی "
            "موافقه نمودند."
        ),
        ps=(
            "کابل ته د قزاقستان جمهوریت د صدراعظم د مرستیال په مشرۍ د قزاقستان د پلاوي د سفر "
            "پایله: اړخونو د سوداګرۍ د کلني حجم له 1 میلیارد USD څخه 3 میلیارد USD ته د "
            "لوړولو، قزاقستان ته د افغانستان د صادراتو، د خورګوس په بندر کې د افغاني توکو "
            "لپاره د ځای د ځانګړي کولو، د ګډې بین‌الحکومتي کاري کمېټې د جوړولو، د افغان "
            "سوداګرو او ډرېورانو لپاره د ویزو د اسانتیا، د کابل–الماتي مستقیمو الوتنو د بیا "
            "پیلولو، د افغانستان د کان کیندنې او کرنې په ډیجیټلي کولو او د افغان اورګاډي د "
            "پټلۍ د کارکوونکو په روزنه کې د قزاقستان د مرستې، او د بانکي اړیکو د پیاوړتیا په "
            "اړه موافقه وکړه."
        ),
        ru=(
            "Итоги визита в Кабул казахстанской делегации во главе с Заместителем "
            "Премьер-Министра Республики Казахстан: Стороны договорились об увеличении годового "
            "товарооборота с 1 млрд USD до 3 млрд USD, об афганском экспорте в Казахстан, о "
            "выделении площадей для афганских грузов в порту Хоргос, о создании Совместного "
            "межправительственного рабочего комитета, об упрощении визовых процедур для "
            "афганских предпринимателей и водителей, о возобновлении прямого авиасообщения "
            "Кабул — Алматы, о содействии Казахстана в цифровизации горнодобывающей отрасли и "
            "сельского хозяйства Афганистана и в подготовке афганских железнодорожных кадров, а "
            "также об укреплении банковских связей."
        ),
        kk=(
            "Қазақстан Республикасы Премьер-Министрінің орынбасары бастаған қазақстандық "
            "делегацияның Кабулға сапарының қорытындысы: Тараптар жылдық тауар айналымын 1 млрд "
            "USD деңгейінен 3 млрд USD деңгейіне дейін ұлғайтуға, Ауғанстаннан Қазақстанға "
            "экспорт жеткізуге, Қорғас портында ауған жүктері үшін алаң бөлуге, Бірлескен "
            "үкіметаралық жұмыс комитетін құруға, ауған кәсіпкерлері мен жүргізушілері үшін "
            "визалық рәсімдерді жеңілдетуге, Кабул–Алматы тікелей әуе рейстерін қайта бастауға, "
            "Ауғанстанның тау-кен өнеркәсібі мен ауыл шаруашылығын цифрландыруға және ауған "
            "темір жол мамандарын даярлауға Қазақстанның жәрдем көрсетуіне, сондай-ақ банктік "
            "байланыстарды нығайтуға келісті."
        ),
    ),
    "signed_at": KABUL,
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
# within 30 days and due later. "first_due" and "moved_because": a deadline the session
# moved, from the first to "due". "agreement": False marks a follow-up action that arises from
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
        "title": texts(
            en="Expand annual bilateral trade from USD 1 billion to USD 3 billion",
            fa="افزایش حجم سالانهٔ تجارت دوجانبه از 1 میلیارد USD به 3 میلیارد USD",
            ps="د دوه اړخیزې سوداګرۍ د کلني حجم له 1 میلیارد USD څخه 3 میلیارد USD ته لوړول",
            ru="Увеличение годового объёма двусторонней торговли с 1 млрд USD до 3 млрд USD",
            kk=(
                "Жылдық екіжақты сауда көлемін 1 млрд USD деңгейінен 3 млрд USD деңгейіне "
                "дейін ұлғайту"
            ),
        ),
        "description": texts(
            en=(
                "The two countries committed to expanding their annual trade volume from USD 1 "
                "billion to USD 3 billion."
            ),
            fa=(
                "دو کشور تعهد نمودند حجم سالانهٔ تجارت خود را از 1 میلیارد USD به 3 میلیارد "
                "USD افزایش دهند."
            ),
            ps=(
                "دواړو هېوادونو ژمنه وکړه چې د خپلې سوداګرۍ کلنی حجم له 1 میلیارد USD څخه 3 "
                "میلیارد USD ته لوړ کړي."
            ),
            ru=(
                "Обе страны взяли на себя обязательство увеличить годовой объём взаимной "
                "торговли с 1 млрд USD до 3 млрд USD."
            ),
            kk=(
                "Екі ел жылдық сауда көлемін 1 млрд USD деңгейінен 3 млрд USD деңгейіне дейін "
                "ұлғайтуға міндеттеме алды."
            ),
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
        "title": texts(
            en="Begin exporting Afghan goods to Kazakhstan",
            fa="آغاز صادرات اموال تجارتی افغانستان به قزاقستان",
            ps="قزاقستان ته د افغاني توکو د صادرولو پیل",
            ru="Начало экспорта афганских товаров в Казахстан",
            kk="Ауған тауарларын Қазақстанға экспорттауды бастау",
        ),
        "description": texts(
            en=(
                "Afghanistan will begin exporting precious and semi-precious stones, minerals, "
                "cotton, beverages, and fresh and dried fruits to Kazakhstan."
            ),
            fa=(
                "افغانستان صادرات سنگ‌های قیمتی و نیمه‌قیمتی، مواد معدنی، پخته، نوشابه‌ها و "
                "میوه‌های تازه و خشک را به قزاقستان آغاز خواهد نمود."
            ),
            ps=(
                "افغانستان به قزاقستان ته د قیمتي او نیمه قیمتي ډبرو، منرالونو، پنبې، څښاکونو "
                "او تازه او وچو مېوو صادرول پیل کړي."
            ),
            ru=(
                "Афганистан начнёт экспорт в Казахстан драгоценных и полудрагоценных камней, "
                "минерального сырья, хлопка, напитков, а также свежих и сушёных фруктов."
            ),
            kk=(
                "Ауғанстан Қазақстанға асыл және жартылай асыл тастарды, минералдарды, "
                "мақтаны, сусындарды, сондай-ақ балғын және кептірілген жемістерді "
                "экспорттауды бастайды."
            ),
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
        "title": texts(
            en="Allocate space at Khorgos port for Afghan goods",
            fa="اختصاص ساحه در بندر خورگوس برای اموال تجارتی افغانستان",
            ps="د خورګوس په بندر کې د افغاني توکو لپاره د ځای ځانګړی کول",
            ru="Выделение площадей в порту Хоргос для афганских грузов",
            kk="Қорғас портында ауған жүктері үшін алаң бөлу",
        ),
        "description": texts(
            en=(
                "Kazakhstan will allocate space at its Khorgos port for Afghan goods, to make "
                "trade more efficient."
            ),
            fa=(
                "قزاقستان به منظور مؤثرتر ساختن تجارت، در بندر خورگوس خود برای اموال تجارتی "
                "افغانستان ساحه اختصاص خواهد داد."
            ),
            ps=(
                "قزاقستان به د سوداګرۍ د لا اغېزمنتیا لپاره د خپل خورګوس په بندر کې د افغاني "
                "توکو لپاره ځای ځانګړی کړي."
            ),
            ru=(
                "Казахстан выделит площади в своём порту Хоргос для афганских грузов в целях "
                "повышения эффективности торговли."
            ),
            kk=(
                "Қазақстан сауданы тиімдірек ету мақсатында өзінің Қорғас портында ауған "
                "жүктері үшін алаң бөледі."
            ),
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
        "title": texts(
            en="Establish the Joint Intergovernmental Working Committee",
            fa="تأسیس کمیتهٔ کاری مشترک بین‌الدولتی",
            ps="د ګډې بین‌الحکومتي کاري کمېټې جوړول",
            ru="Создание Совместного межправительственного рабочего комитета",
            kk="Бірлескен үкіметаралық жұмыс комитетін құру",
        ),
        "description": texts(
            en=(
                "The two countries establish a joint intergovernmental working committee to "
                "strengthen bilateral ties."
            ),
            fa=(
                "دو کشور به منظور تقویت روابط دوجانبه، کمیتهٔ کاری مشترک بین‌الدولتی را تأسیس "
                "می‌نمایند."
            ),
            ps=(
                "دواړه هېوادونه د دوه اړخیزو اړیکو د پیاوړتیا لپاره ګډه بین‌الحکومتي کاري کمېټه "
                "جوړوي."
            ),
            ru=(
                "Обе страны создают совместный межправительственный рабочий комитет для "
                "укрепления двусторонних связей."
            ),
            kk=(
                "Екі ел екіжақты байланыстарды нығайту үшін бірлескен үкіметаралық жұмыс "
                "комитетін құрады."
            ),
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
        "title": texts(
            en="Streamline visa procedures for Afghan traders and drivers",
            fa="ساده‌سازی طرزالعمل‌های ویزه برای تاجران و دریوران افغان",
            ps="د افغان سوداګرو او ډرېورانو لپاره د ویزې د طرزالعملونو اسانول",
            ru="Упрощение визовых процедур для афганских предпринимателей и водителей",
            kk="Ауған кәсіпкерлері мен жүргізушілері үшін визалық рәсімдерді жеңілдету",
        ),
        "description": texts(
            en=(
                "At the request of Afghanistan, Kazakhstan will streamline visa procedures for "
                "Afghan traders and drivers."
            ),
            fa=(
                "قزاقستان به درخواست افغانستان، طرزالعمل‌های ویزه را برای تاجران و دریوران "
                "افغان ساده خواهد ساخت."
            ),
            ps=(
                "قزاقستان به د افغانستان په غوښتنه د افغان سوداګرو او ډرېورانو لپاره د ویزې "
                "طرزالعملونه اسانه کړي."
            ),
            ru=(
                "По просьбе Афганистана Казахстан упростит визовые процедуры для афганских "
                "предпринимателей и водителей."
            ),
            kk=(
                "Ауғанстанның өтініші бойынша Қазақстан ауған кәсіпкерлері мен жүргізушілері "
                "үшін визалық рәсімдерді жеңілдетеді."
            ),
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
        "title": texts(
            en="Resume direct Kabul–Almaty flights",
            fa="ازسرگیری پروازهای مستقیم کابل–الماتی",
            ps="د کابل–الماتي مستقیمو الوتنو بیا پیلول",
            ru="Возобновление прямого авиасообщения Кабул — Алматы",
            kk="Кабул–Алматы тікелей әуе рейстерін қайта бастау",
        ),
        "description": texts(
            en=(
                "Both countries agreed to resume direct flights between Kabul and Almaty in the "
                "near future."
            ),
            fa=(
                "هر دو کشور موافقه نمودند پروازهای مستقیم میان کابل و الماتی را در آیندهٔ "
                "نزدیک از سر گیرند."
            ),
            ps=(
                "دواړو هېوادونو موافقه وکړه چې په نږدې راتلونکي کې د کابل او الماتي ترمنځ "
                "مستقیمې الوتنې بیا پیل کړي."
            ),
            ru=(
                "Обе страны договорились в ближайшее время возобновить прямое авиасообщение "
                "между Кабулом и Алматы."
            ),
            kk=(
                "Екі ел жақын арада Кабул мен Алматы арасындағы тікелей әуе рейстерін қайта "
                "бастауға келісті."
            ),
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
        "title": texts(
            en="Assist in digitising Afghanistan's mining and agricultural systems",
            fa="همکاری در دیجیتالی‌سازی سیستم‌های معادن و زراعت افغانستان",
            ps="د افغانستان د کان کیندنې او کرنې د سیستمونو په ډیجیټلي کولو کې مرسته",
            ru=(
                "Содействие в цифровизации горнодобывающей отрасли и сельского хозяйства "
                "Афганистана"
            ),
            kk="Ауғанстанның тау-кен және ауыл шаруашылығы жүйелерін цифрландыруға жәрдемдесу",
        ),
        "description": texts(
            en=(
                "Kazakhstan will provide assistance in digitising the systems of Afghanistan's "
                "Ministry of Mines and Petroleum and Ministry of Agriculture, Irrigation and "
                "Livestock."
            ),
            fa=(
                "قزاقستان در دیجیتالی‌سازی سیستم‌های وزارت معادن و پترولیم و وزارت زراعت، "
                "آبیاری و مالداری افغانستان همکاری خواهد نمود."
            ),
            ps=(
                "قزاقستان به د افغانستان د کانونو او پټرولیم وزارت او د کرنې، اوبو لګولو او "
                "مالدارۍ وزارت د سیستمونو په ډیجیټلي کولو کې مرسته وکړي."
            ),
            ru=(
                "Казахстан окажет содействие в цифровизации систем Министерства "
                "горнодобывающей промышленности и нефти и Министерства сельского хозяйства, "
                "ирригации и животноводства Афганистана."
            ),
            kk=(
                "Қазақстан Ауғанстанның Тау-кен және мұнай министрлігі мен Ауыл шаруашылығы, "
                "ирригация және мал шаруашылығы министрлігінің жүйелерін цифрландыруға жәрдем "
                "көрсетеді."
            ),
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
        "first_due": -10,
        "moved_because": (
            "Extended by the co-chairs to follow the training plan agreed under item 7."
        ),
        "status": Status.NOT_STARTED,
        "progress": 0,
        "title": texts(
            en="Train Afghan railway personnel",
            fa="آموزش کارمندان خط آهن افغانستان",
            ps="د افغانستان د اورګاډي د پټلۍ د کارکوونکو روزنه",
            ru="Подготовка железнодорожных кадров Афганистана",
            kk="Ауған темір жол мамандарын даярлау",
        ),
        "description": texts(
            en="Kazakhstan will train Afghan railway personnel.",
            fa="قزاقستان کارمندان خط آهن افغانستان را آموزش خواهد داد.",
            ps="قزاقستان به د افغانستان د اورګاډي د پټلۍ کارکوونکي وروزي.",
            ru="Казахстан обеспечит подготовку железнодорожных кадров Афганистана.",
            kk="Қазақстан ауған темір жол мамандарын даярлайды.",
        ),
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
        "title": texts(
            en="Strengthen banking relations to support trade",
            fa="تقویت روابط بانکی به منظور حمایت از تجارت",
            ps="د سوداګرۍ د ملاتړ لپاره د بانکي اړیکو پیاوړتیا",
            ru="Укрепление банковского сотрудничества в поддержку торговли",
            kk="Сауданы қолдау үшін банктік байланыстарды нығайту",
        ),
        "description": texts(
            en=(
                "The two countries will bolster banking relations to support trade and economic "
                "cooperation."
            ),
            fa=(
                "دو کشور به منظور حمایت از تجارت و همکاری‌های اقتصادی، روابط بانکی را تقویت "
                "خواهند نمود."
            ),
            ps=(
                "دواړه هېوادونه به د سوداګرۍ او اقتصادي همکاریو د ملاتړ لپاره بانکي اړیکې "
                "پیاوړې کړي."
            ),
            ru=(
                "Обе страны укрепят банковские связи в целях поддержки торгово-экономического "
                "сотрудничества."
            ),
            kk=(
                "Екі ел сауда-экономикалық ынтымақтастықты қолдау үшін банктік байланыстарды "
                "нығайтады."
            ),
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
        "title": texts(
            en="Send the Kazakh side the list of traders and transport companies",
            fa="ارسال لست تاجران و شرکت‌های ترانسپورتی به جانب قزاقستان",
            ps="قزاقستاني اړخ ته د سوداګرو او ټرانسپورټي شرکتونو د لست لېږل",
            ru=(
                "Направление казахстанской стороне списка предпринимателей и транспортных компаний"
            ),
            kk="Қазақстан тарапына кәсіпкерлер мен көлік компанияларының тізімін жіберу",
        ),
        "description": texts(
            en=(
                "The Ministry of Industry and Commerce sends the Kazakh side the list of Afghan "
                "traders and transport companies whose traders and drivers are to benefit from "
                "the streamlined visa procedures."
            ),
            fa=(
                "وزارت صنعت و تجارت لست تاجران و شرکت‌های ترانسپورتی افغان را که تاجران و "
                "دریوران آن‌ها از طرزالعمل‌های سادهٔ ویزه مستفید می‌شوند، به جانب قزاقستان "
                "ارسال می‌نماید."
            ),
            ps=(
                "د صنعت او سوداګرۍ وزارت قزاقستاني اړخ ته د هغو افغان سوداګرو او ټرانسپورټي "
                "شرکتونو لست لېږي چې سوداګر او ډرېوران یې د ویزې له اسانه شویو طرزالعملونو څخه "
                "ګټه اخلي."
            ),
            ru=(
                "Министерство промышленности и торговли направляет казахстанской стороне "
                "список афганских предпринимателей и транспортных компаний, на предпринимателей "
                "и водителей которых распространяются упрощённые визовые процедуры."
            ),
            kk=(
                "Өнеркәсіп және сауда министрлігі Қазақстан тарапына ауған кәсіпкерлері мен "
                "көлік компанияларының тізімін жібереді; олардың кәсіпкерлері мен "
                "жүргізушілеріне жеңілдетілген визалық рәсімдер қолданылады."
            ),
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
        "title": texts(
            en="Nominate the Afghan railway personnel to be trained in Kazakhstan",
            fa="معرفی کارمندان خط آهن افغانستان برای آموزش در قزاقستان",
            ps="په قزاقستان کې د روزنې لپاره د افغان اورګاډي د پټلۍ د کارکوونکو نومول",
            ru="Выдвижение кандидатов из числа афганских железнодорожников на обучение",
            kk="Қазақстанда оқытылатын ауған темір жол мамандарының кандидатураларын ұсыну",
        ),
        "description": texts(
            en=(
                "The Afghanistan Railway Authority nominates the railway personnel to be "
                "trained by Kazakhstan."
            ),
            fa=(
                "ادارهٔ خط آهن افغانستان کارمندان خط آهن را که توسط قزاقستان آموزش داده "
                "می‌شوند، معرفی می‌نماید."
            ),
            ps=(
                "د افغانستان د اورګاډي د پټلۍ اداره د اورګاډي د پټلۍ هغه کارکوونکي نوموي چې "
                "قزاقستان به یې روزي."
            ),
            ru=(
                "Управление железных дорог Афганистана выдвигает кандидатуры железнодорожников, "
                "подготовку которых обеспечит Казахстан."
            ),
            kk=(
                "Ауғанстан темір жол басқармасы Қазақстан даярлайтын темір жол мамандарының "
                "кандидатураларын ұсынады."
            ),
        ),
    },
]

TRADE_INDICATOR = {
    "baseline_value": Decimal("1.00"),
    "target_value": Decimal("3.00"),
}
TRADE_INDICATOR_TEXTS = {
    "indicator": texts(
        en="Annual bilateral trade volume",
        fa="حجم سالانهٔ تجارت دوجانبه",
        ps="د دوه اړخیزې سوداګرۍ کلنی حجم",
        ru="Годовой объём двусторонней торговли",
        kk="Екіжақты сауданың жылдық көлемі",
    ),
    "indicator_unit": texts(
        en="USD billion",
        fa="میلیارد دالر امریکایی",
        ps="میلیارده امریکايي ډالر",
        ru="млрд долларов США",
        kk="млрд АҚШ доллары",
    ),
}
# Pledges measured by no indicator name none, in any language.
NO_INDICATOR_TEXTS = {"indicator": NO_TEXT, "indicator_unit": NO_TEXT}

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
