"""The record texts of the bulk data set, in the five content languages.

Most come from the demo (committee/agreements/demo/data.py): its sectors, parties,
ministries, agenda items and pledges, cycled and numbered. What the demo has only once is
here in pools: the sub-committees, people's names as each language writes them, positions,
cities, kinds of instrument and the notes of follow-up updates (a note is written in its
author's language, so each pool is of one language).
"""

# The record texts are multilingual on purpose: Cyrillic, Arabic script and en dashes.

from committee.agreements.demo.data import texts

SUB_COMMITTEES = [
    {
        "short_name": "AF-KZ TIC",
        "name": texts(
            en="Afghanistan–Kazakhstan Sub-committee on Trade and Investment",
            fa="کمیتهٔ فرعی تجارت و سرمایه‌گذاری افغانستان و قزاقستان",
            ps="د افغانستان او قزاقستان د سوداګرۍ او پانګونې فرعي کمېټه",
            ru="Афгано-казахстанский подкомитет по торговле и инвестициям",
            kk="Ауғанстан–Қазақстан сауда және инвестициялар жөніндегі кіші комитеті",
        ),
        "mandate": texts(
            en="To follow up the Parties' pledges on trade, investment and banking.",
            fa="پیگیری تعهدات طرفین در عرصه‌های تجارت، سرمایه‌گذاری و بانکداری.",
            ps="د سوداګرۍ، پانګونې او بانکدارۍ په برخو کې د اړخونو د ژمنو څارنه.",
            ru="Контроль за выполнением обязательств Сторон в сфере торговли, инвестиций и "
            "банковского дела.",
            kk="Тараптардың сауда, инвестиция және банк ісі саласындағы міндеттемелерінің "
            "орындалуын қадағалау.",
        ),
    },
    {
        "short_name": "AF-KZ TTC",
        "name": texts(
            en="Afghanistan–Kazakhstan Sub-committee on Transport and Transit",
            fa="کمیتهٔ فرعی ترانسپورت و ترانزیت افغانستان و قزاقستان",
            ps="د افغانستان او قزاقستان د ټرانسپورټ او ترانزیټ فرعي کمېټه",
            ru="Афгано-казахстанский подкомитет по транспорту и транзиту",
            kk="Ауғанстан–Қазақстан көлік және транзит жөніндегі кіші комитеті",
        ),
        "mandate": texts(
            en="To follow up the Parties' pledges on railways, roads, aviation and transit.",
            fa="پیگیری تعهدات طرفین در عرصه‌های خط آهن، سرک‌ها، هوانوردی و ترانزیت.",
            ps="د اورګاډي پټلۍ، سړکونو، هوايي چلند او ترانزیټ په برخو کې د اړخونو د ژمنو څارنه.",
            ru="Контроль за выполнением обязательств Сторон в сфере железных дорог, "
            "автодорог, авиации и транзита.",
            kk="Тараптардың темір жол, автожол, авиация және транзит саласындағы "
            "міндеттемелерінің орындалуын қадағалау.",
        ),
    },
]

# Given names and family names by party; Kazakh family names take -a for women in Latin and
# Cyrillic, and ا in Arabic script.
GIVEN_NAMES = {
    "AF": [
        texts(en="Ahmad", fa="احمد", ps="احمد", ru="Ахмад", kk="Ахмад"),
        texts(en="Mohammad", fa="محمد", ps="محمد", ru="Мухаммад", kk="Мұхаммад"),
        texts(en="Abdul Rahim", fa="عبدالرحیم", ps="عبدالرحیم", ru="Абдул Рахим", kk="Абдул Рахим"),
        texts(en="Farid", fa="فرید", ps="فرید", ru="Фарид", kk="Фарид"),
        texts(en="Nasir", fa="ناصر", ps="ناصر", ru="Насир", kk="Насир"),
        texts(en="Hamid", fa="حمید", ps="حمید", ru="Хамид", kk="Хамид"),
        texts(en="Mariam", fa="مریم", ps="مریم", ru="Мариам", kk="Мариам"),
        texts(en="Habibullah", fa="حبیب‌الله", ps="حبیب‌الله", ru="Хабибулла", kk="Хабибулла"),
        texts(en="Fatima", fa="فاطمه", ps="فاطمه", ru="Фатима", kk="Фатима"),
        texts(en="Karim", fa="کریم", ps="کریم", ru="Карим", kk="Кәрім"),
        texts(en="Wahid", fa="وحید", ps="وحید", ru="Вахид", kk="Уахид"),
    ],
    "KZ": [
        texts(en="Askar", fa="عسکر", ps="عسکر", ru="Аскар", kk="Асқар"),
        texts(en="Yerlan", fa="یرلان", ps="یرلان", ru="Ерлан", kk="Ерлан"),
        texts(en="Nurlan", fa="نورلان", ps="نورلان", ru="Нурлан", kk="Нұрлан"),
        texts(en="Dauren", fa="داورن", ps="داورن", ru="Даурен", kk="Дәурен"),
        texts(en="Aigerim", fa="آیگریم", ps="آیګریم", ru="Айгерим", kk="Айгерім"),
        texts(en="Marat", fa="مرات", ps="مرات", ru="Марат", kk="Марат"),
        texts(en="Gulnara", fa="گلناره", ps="ګلناره", ru="Гульнара", kk="Гүлнара"),
        texts(en="Bolat", fa="بولات", ps="بولات", ru="Болат", kk="Болат"),
        texts(en="Saule", fa="ساوله", ps="ساوله", ru="Сауле", kk="Сәуле"),
        texts(en="Timur", fa="تیمور", ps="تیمور", ru="Тимур", kk="Тимур"),
    ],
}
WOMEN = {"Mariam", "Fatima", "Aigerim", "Gulnara", "Saule"}
FAMILY_NAMES = {
    "AF": [
        texts(en="Ahmadi", fa="احمدی", ps="احمدي", ru="Ахмади", kk="Ахмади"),
        texts(en="Karimi", fa="کریمی", ps="کریمي", ru="Карими", kk="Карими"),
        texts(en="Rahimi", fa="رحیمی", ps="رحیمي", ru="Рахими", kk="Рахими"),
        texts(en="Popal", fa="پوپل", ps="پوپل", ru="Попал", kk="Попал"),
        texts(en="Wardak", fa="وردک", ps="وردک", ru="Вардак", kk="Вардак"),
        texts(en="Noori", fa="نوری", ps="نوري", ru="Нури", kk="Нури"),
        texts(en="Sultani", fa="سلطانی", ps="سلطاني", ru="Султани", kk="Сұлтани"),
        texts(en="Hakimi", fa="حکیمی", ps="حکیمي", ru="Хакими", kk="Хакими"),
        texts(en="Amiri", fa="امیری", ps="امیري", ru="Амири", kk="Әмири"),
    ],
    "KZ": [
        texts(en="Akhmetov", fa="احمدوف", ps="احمدوف", ru="Ахметов", kk="Ахметов"),
        texts(en="Nurpeisov", fa="نورپیسوف", ps="نورپیسوف", ru="Нурпеисов", kk="Нұрпейісов"),
        texts(en="Suleimenov", fa="سلیمانوف", ps="سلیمانوف", ru="Сулейменов", kk="Сүлейменов"),
        texts(en="Omarov", fa="عمروف", ps="عمروف", ru="Омаров", kk="Омаров"),
        texts(en="Bekov", fa="بیکوف", ps="بېکوف", ru="Беков", kk="Беков"),
        texts(en="Iskakov", fa="اسحاقوف", ps="اسحاقوف", ru="Искаков", kk="Ысқақов"),
        texts(en="Abenov", fa="آبنوف", ps="آبنوف", ru="Абенов", kk="Әбенов"),
        texts(en="Zhaksybekov", fa="ژاکسی‌بیکوف", ps="ژاکسي‌بېکوف", ru="Жаксыбеков", kk="Жақсыбеков"),
    ],
}
FEMININE = {"en": "a", "fa": "ا", "ps": "ا", "ru": "а", "kk": "а"}

DOCTOR = texts(en="Dr.", fa="داکتر", ps="ډاکټر", ru="Д-р", kk="Д-р")
POSITIONS = [
    texts(
        en="Director of Department",
        fa="رئیس ریاست",
        ps="د ریاست رئیس",
        ru="Директор департамента",
        kk="Департамент директоры",
    ),
    texts(
        en="Deputy Minister",
        fa="معین وزارت",
        ps="د وزارت معین",
        ru="Заместитель министра",
        kk="Вице-министр",
    ),
    texts(en="Adviser", fa="مشاور", ps="سلاکار", ru="Советник", kk="Кеңесші"),
    texts(
        en="Head of Division",
        fa="آمر بخش",
        ps="د څانګې آمر",
        ru="Начальник отдела",
        kk="Бөлім бастығы",
    ),
    texts(
        en="Senior Expert",
        fa="کارشناس ارشد",
        ps="لوړپوړی کارپوه",
        ru="Главный эксперт",
        kk="Бас сарапшы",
    ),
    texts(en="Expert", fa="کارشناس", ps="کارپوه", ru="Эксперт", kk="Сарапшы"),
]
SECRETARY = texts(
    en="Secretary of the delegation",
    fa="منشی هیئت",
    ps="د پلاوي منشي",
    ru="Секретарь делегации",
    kk="Делегация хатшысы",
)
HEAD_OF_DELEGATION = texts(
    en="Head of delegation",
    fa="رئیس هیئت",
    ps="د پلاوي مشر",
    ru="Глава делегации",
    kk="Делегация басшысы",
)

# Where sessions are held, in each party's turn, and the zone of each city.
CITIES = {
    "AF": [
        (texts(en="Kabul", fa="کابل", ps="کابل", ru="Кабул", kk="Кабул"), "Asia/Kabul"),
        (texts(en="Herat", fa="هرات", ps="هرات", ru="Герат", kk="Герат"), "Asia/Kabul"),
        (
            texts(
                en="Mazar-i-Sharif",
                fa="مزار شریف",
                ps="مزار شریف",
                ru="Мазари-Шариф",
                kk="Мазари-Шариф",
            ),
            "Asia/Kabul",
        ),
    ],
    "KZ": [
        (texts(en="Astana", fa="آستانه", ps="آستانه", ru="Астана", kk="Астана"), "Asia/Almaty"),
        (texts(en="Almaty", fa="الماتی", ps="الماتا", ru="Алматы", kk="Алматы"), "Asia/Almaty"),
    ],
}


def session_title(number: int) -> dict[str, str]:
    return texts(
        en=f"Session {number}",
        fa=f"جلسهٔ {number}",
        ps=f"{number} غونډه",
        ru=f"Заседание {number}",
        kk=f"{number}-отырыс",
    )


KINDS_OF_INSTRUMENT = {
    "mou": texts(
        en="Memorandum of understanding",
        fa="تفاهم‌نامه",
        ps="تفاهم‌لیک",
        ru="Меморандум о взаимопонимании",
        kk="Өзара түсіністік туралы меморандум",
    ),
    "protocol": texts(en="Protocol", fa="پروتوکول", ps="پروتوکول", ru="Протокол", kk="Хаттама"),
    "agreement": texts(en="Agreement", fa="موافقتنامه", ps="تړون", ru="Соглашение", kk="Келісім"),
    "joint_statement": texts(
        en="Joint statement",
        fa="اعلامیهٔ مشترک",
        ps="ګډه اعلامیه",
        ru="Совместное заявление",
        kk="Бірлескен мәлімдеме",
    ),
    "meeting_decision": texts(
        en="Decision of the session",
        fa="تصمیم جلسه",
        ps="د غونډې پرېکړه",
        ru="Решение заседания",
        kk="Отырыс шешімі",
    ),
}

# Notes of follow-up updates, each in the language its author wrote it: the first note of a
# pool opens the work, the last one closes it.
NOTES = {
    "en": [
        "Work has started; the lead ministry has named its team.",
        "Work is proceeding as planned.",
        "The working group met and agreed the next steps.",
        "Funding has been requested; the deadline is at risk.",
        "Completed: the final report was submitted to the secretariat.",
    ],
    "fa": [
        "کار آغاز شد؛ وزارت مسئول تیم خود را معرفی کرد.",
        "کار مطابق پلان پیش می‌رود.",
        "گروپ کاری جلسه نمود و گام‌های بعدی را توافق کرد.",
        "بودجه درخواست شده است؛ مهلت در خطر است.",
        "تکمیل شد: گزارش نهایی به دارالانشاء سپرده شد.",
    ],
    "ps": [
        "کار پیل شو؛ مسؤل وزارت خپله ډله معرفي کړه.",
        "کار د پلان سره سم پرمخ ځي.",
        "کاري ډلې غونډه وکړه او په راتلونکو ګامونو یې موافقه وکړه.",
        "بودیجه غوښتل شوې؛ نېټه له خطر سره مخ ده.",
        "بشپړ شو: وروستی راپور دارالانشاء ته وسپارل شو.",
    ],
    "ru": [
        "Работа начата; ведущее министерство назначило рабочую группу.",
        "Работа идёт по плану.",
        "Рабочая группа провела заседание и согласовала дальнейшие шаги.",
        "Запрошено финансирование; срок под угрозой.",
        "Выполнено: итоговый отчёт направлен в секретариат.",
    ],
    "kk": [
        "Жұмыс басталды; жетекші министрлік жұмыс тобын тағайындады.",
        "Жұмыс жоспар бойынша жүріп жатыр.",
        "Жұмыс тобы отырыс өткізіп, келесі қадамдарды келісті.",
        "Қаржыландыру сұратылды; мерзім қауіп астында.",
        "Орындалды: қорытынды есеп хатшылыққа жіберілді.",
    ],
}
# The languages each side writes its notes in; the secretariat writes in English.
NOTE_LANGUAGES = {"AF": ["fa", "ps", "en"], "KZ": ["ru", "kk", "en"], None: ["en"]}
# The languages each side's officials read the portal in (empty: the browser's).
USER_LANGUAGES = {"AF": ["fa", "ps", "", "en"], "KZ": ["ru", "kk", "", "en"]}


def agreement_summary(sector: dict[str, str]) -> dict[str, str]:
    return texts(
        en=f"Cooperation in {sector['en'].lower()}: the Parties' commitments and deadlines.",
        fa=f"همکاری در عرصهٔ {sector['fa']}: تعهدات طرفین و مهلت‌های آن.",
        ps=f"د {sector['ps']} په برخه کې همکاري: د اړخونو ژمنې او مهال‌وېشونه.",
        ru=f"Сотрудничество в сфере «{sector['ru']}»: обязательства Сторон и сроки их выполнения.",
        kk=(
            f"«{sector['kk']}» саласындағы ынтымақтастық: Тараптардың міндеттемелері мен "
            "мерзімдері."
        ),
    )
