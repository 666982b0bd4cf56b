"""Printed minutes: what the protocol of a session says, and in which order.

The minutes (`render_minutes_html`, `render_minutes_pdf`) follow the settled form of an
intergovernmental protocol: heads of delegation, attendance, numbered paragraphs per agenda
item with "the Parties noted / agreed / instructed", pledges arising, next session, closing
formula and one signature column per party. They are printed in the record language
(settings.LANGUAGE_CODE), optionally with a second content language side by side. The PDF
comes from the shared sandbox (committee/core/pdf.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.text import get_text_list, slugify
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from committee.core.pdf import render_pdf, w3c_datetime
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes
from committee.members.models import Member, Party

# --- Minutes: what they show ------------------------------------------------------------------

ORDINALS = [
    _("first"),
    _("second"),
    _("third"),
    _("fourth"),
    _("fifth"),
    _("sixth"),
    _("seventh"),
    _("eighth"),
    _("ninth"),
    _("tenth"),
    _("eleventh"),
    _("twelfth"),
    _("thirteenth"),
    _("fourteenth"),
    _("fifteenth"),
    _("sixteenth"),
    _("seventeenth"),
    _("eighteenth"),
    _("nineteenth"),
    _("twentieth"),
]
COUNT_WORDS = [
    _("one"),
    _("two"),
    _("three"),
    _("four"),
    _("five"),
    _("six"),
    _("seven"),
    _("eight"),
    _("nine"),
    _("ten"),
]
# Message ids, translated when used: a second-language column uses a phrase only where a
# translation exists, rather than mixing English into a Dari or Russian text.
OUTCOME_PHRASES = {
    AgendaItem.Outcome.NOTED: gettext_noop("The Parties noted"),
    AgendaItem.Outcome.AGREED: gettext_noop("The Parties agreed"),
    AgendaItem.Outcome.INSTRUCTED: gettext_noop("The Parties instructed"),
    AgendaItem.Outcome.DEFERRED: gettext_noop("The Parties agreed to defer this item"),
    AgendaItem.Outcome.WITHDRAWN: gettext_noop("The item was withdrawn"),
}
# Outcomes that make a sentence of their own when no decision text was recorded.
STANDALONE_OUTCOMES = {AgendaItem.Outcome.DEFERRED, AgendaItem.Outcome.WITHDRAWN}
ROLE_RANK = {role: rank for rank, role in enumerate(Member.Role.values)}


def ordinal(number: int) -> str:
    if 1 <= number <= len(ORDINALS):
        return str(ORDINALS[number - 1])
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def count_in_words(number: int) -> str:
    return str(COUNT_WORDS[number - 1]) if 1 <= number <= len(COUNT_WORDS) else str(number)


def record_language() -> str:
    """The language the minutes are kept and printed in (the first column)."""
    return settings.LANGUAGE_CODE


def is_rtl(code: str) -> bool:
    return code.split("-")[0] in {*settings.LANGUAGES_BIDI, "ps"}


def language_names() -> dict[str, str]:
    return {code: str(name) for code, name in settings.CONTENT_LANGUAGES}


def second_language_choices() -> list[tuple[str, str]]:
    names = language_names()
    return [(code, name) for code, name in names.items() if code != record_language()]


def parse_second_language(value: str | None) -> str | None:
    """A content language to print beside the record language, or None."""
    return value if value in dict(second_language_choices()) else None


@dataclass(frozen=True)
class Text:
    """One language version of a text, with what the markup needs to set it right."""

    lang: str
    value: str

    @property
    def dir(self) -> str:
        return "rtl" if is_rtl(self.lang) else "ltr"


@dataclass
class Paragraph:
    number: str
    texts: list[Text]


@dataclass
class PrintedItem:
    item: AgendaItem
    titles: list[Text]
    paragraphs: list[Paragraph]
    pledges: list[tuple[object, list[Text]]]
    reviews: list = field(default_factory=list)


@dataclass
class Delegation:
    party: Party
    heads: list[Member]
    attendance: list[Attendance]


def _related_model(name: str):
    """Pledges and reviews are read through AgendaItem's reverse relations, so this app does
    not import the agreements app (dependencies run agreements → meetings)."""
    return AgendaItem._meta.get_field(name).related_model


def minutes_queryset(queryset: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """Meetings with everything their minutes print, in a fixed number of queries."""
    pledge_model = _related_model("pledges")
    review_model = _related_model("pledge_reviews")
    queryset = Meeting.objects.all() if queryset is None else queryset
    return queryset.select_related("committee", "host_party", "minutes").prefetch_related(
        Prefetch(
            "committee__parties", queryset=Party.objects.order_by("name"), to_attr="party_list"
        ),
        Prefetch(
            "committee__members",
            queryset=Member.objects.active()
            .filter(role=Member.Role.CO_CHAIR)
            .select_related("organization")
            .order_by("full_name", "pk"),
            to_attr="co_chairs",
        ),
        Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("member__organization"),
            to_attr="attendance_list",
        ),
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("presenter", "sector")
            .prefetch_related(
                Prefetch(
                    "pledges",
                    queryset=pledge_model.objects.select_related(
                        "responsible_party", "lead_organization", "agreement"
                    ).order_by("number", "pk"),
                    to_attr="pledge_list",
                ),
                Prefetch(
                    "pledge_reviews",
                    queryset=review_model.objects.select_related(
                        "pledge__responsible_party",
                        "pledge__lead_organization",
                        "pledge__agreement",
                        "pledge__agenda_item__meeting",
                    ).order_by("position"),
                    to_attr="review_list",
                ),
            )
            .order_by("position"),
            to_attr="item_list",
        ),
    )


def _texts(obj, name: str, languages: list[str]) -> list[Text]:
    return [Text(code, (getattr(obj, f"{name}_{code}", "") or "").strip()) for code in languages]


def decision_text(item: AgendaItem, code: str) -> str:
    """The decision as the minutes state it: "The Parties agreed: …" unless the recorded text
    already speaks for the Parties."""
    decision = (getattr(item, f"decision_{code}", "") or "").strip()
    with translation.override(code):
        message = OUTCOME_PHRASES.get(item.outcome, "")
        phrase = gettext(message) if message else ""
        if code != record_language() and phrase == message:
            phrase = ""  # not translated into this language
        if not decision:
            return f"{phrase}." if phrase and item.outcome in STANDALONE_OUTCOMES else ""
        if not phrase or decision.startswith(gettext("The Parties")):
            return decision
        return gettext("%(phrase)s: %(decision)s") % {"phrase": phrase, "decision": decision}


def _printed_item(item: AgendaItem, languages: list[str]) -> PrintedItem:
    paragraphs = []
    for texts in (
        _texts(item, "discussion", languages),
        [Text(code, decision_text(item, code)) for code in languages],
    ):
        if any(text.value for text in texts):
            paragraphs.append(Paragraph(f"{item.position}.{len(paragraphs) + 1}", texts))
    return PrintedItem(
        item=item,
        titles=_texts(item, "title", languages),
        paragraphs=paragraphs,
        pledges=[(pledge, _texts(pledge, "title", languages)) for pledge in item.pledge_list],
        reviews=item.review_list,
    )


def _delegations(meeting: Meeting) -> list[Delegation]:
    attendance = sorted(
        meeting.attendance_list,
        key=lambda row: (ROLE_RANK.get(row.member.role, 99), row.member.full_name, row.member.pk),
    )
    return [
        Delegation(
            party=party,
            heads=[m for m in meeting.committee.co_chairs if m.party_id == party.pk],
            attendance=[row for row in attendance if row.member.party_id == party.pk],
        )
        for party in meeting.committee.party_list
    ]


def local_date(moment: datetime.datetime, meeting: Meeting) -> datetime.date:
    return moment.astimezone(meeting.zone).date()


def format_date(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


def date_range(meeting: Meeting) -> str:
    """ "12 March 2026", "12–13 March 2026" or "30 March – 2 April 2026", in the venue's zone."""
    start, end = local_date(meeting.starts_at, meeting), local_date(meeting.ends_at, meeting)
    if start == end:
        return format_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end)}"
    if start.year == end.year:
        return f"{dateformat.format(start, 'j F')} – {format_date(end)}"
    return f"{format_date(start)} – {format_date(end)}"


def closing_formula(meeting: Meeting, minutes: Minutes) -> str:
    """ "Done at Kabul on 13 March 2026 in two originals, in the Dari, … and English languages,
    all texts being equally authentic. In case of divergence, the English text shall prevail.\""""
    names = language_names()
    place = minutes.done_at or meeting.city
    day = minutes.done_on or local_date(meeting.ends_at, meeting)
    count = minutes.original_count
    sentence = ngettext(
        "Done at %(place)s on %(date)s in %(count)s original",
        "Done at %(place)s on %(date)s in %(count)s originals",
        count,
    ) % {"place": place, "date": format_date(day), "count": count_in_words(count)}
    languages = [names[code] for code in minutes.authentic_languages if code in names]
    if len(languages) > 1:
        sentence += gettext(
            ", in the %(languages)s languages, all texts being equally authentic"
        ) % {"languages": get_text_list(languages, gettext("and"))}
    elif languages:
        sentence += gettext(", in the %(language)s language") % {"language": languages[0]}
    sentence += "."
    if len(languages) > 1 and minutes.prevailing_language in names:
        sentence += " " + gettext("In case of divergence, the %(language)s text shall prevail.") % {
            "language": names[minutes.prevailing_language]
        }
    return sentence


def heading(meeting: Meeting) -> str:
    return gettext("Protocol of the %(ordinal)s meeting of the %(committee)s") % {
        "ordinal": ordinal(meeting.number),
        "committee": meeting.committee.name,
    }


def status_label(minutes: Minutes, meeting: Meeting) -> str:
    if minutes.status == Minutes.Status.DRAFT:
        return gettext("Draft — not for circulation")
    if minutes.status == Minutes.Status.CIRCULATED:
        return gettext("Circulated for comment — not yet approved")
    if minutes.approved_at:
        return gettext("Approved on %(date)s") % {
            "date": format_date(local_date(minutes.approved_at, meeting))
        }
    return gettext("Approved")


def minutes_filename(meeting: Meeting, second_language: str | None = None) -> str:
    parts = ["minutes", slugify(meeting.committee.short_name) or "committee"]
    parts += ["session", str(meeting.number)]
    if second_language:
        parts += [record_language(), second_language]
    if meeting.minutes.status == Minutes.Status.DRAFT:
        parts.append("draft")
    return "-".join(parts) + ".pdf"


def minutes_context(
    meeting: Meeting, *, second_language: str | None = None, for_pdf: bool = False
) -> dict:
    """What templates/meetings/minutes.html prints. `meeting` comes from minutes_queryset()."""
    minutes = meeting.minutes
    second_language = parse_second_language(second_language)
    languages = [record_language()] + ([second_language] if second_language else [])
    names = language_names()
    return {
        "meeting": meeting,
        "minutes": minutes,
        "committee": meeting.committee,
        "heading": heading(meeting),
        "session_label": gettext("Session %(number)s") % {"number": meeting.number},
        "dates": date_range(meeting),
        "status_label": status_label(minutes, meeting),
        "is_draft": minutes.status == Minutes.Status.DRAFT,
        "delegations": _delegations(meeting),
        "items": [_printed_item(item, languages) for item in meeting.item_list],
        "closing": closing_formula(meeting, minutes),
        "languages": [Text(code, names.get(code, code)) for code in languages],
        "second_language": second_language,
        "second_language_choices": second_language_choices(),
        "document_lang": record_language(),
        "created": w3c_datetime(minutes.approved_at or timezone.now()),
        "for_pdf": for_pdf,
    }


def render_minutes_html(
    meeting: Meeting, *, second_language: str | None = None, for_pdf: bool = False, request=None
) -> str:
    with translation.override(record_language()):
        context = minutes_context(meeting, second_language=second_language, for_pdf=for_pdf)
        return render_to_string("meetings/minutes.html", context, request=request)


def render_minutes_pdf(meeting: Meeting, *, second_language: str | None = None) -> bytes:
    """The minutes of `meeting` as PDF/A-3b: what approval stores and /minutes.pdf serves."""
    if not hasattr(meeting, "item_list"):
        meeting = minutes_queryset().get(pk=meeting.pk)
    minutes = meeting.minutes
    html = render_minutes_html(meeting, second_language=second_language, for_pdf=True)
    with translation.override(record_language()):
        title = heading(meeting)
        subject = gettext("Minutes of session %(number)s, %(dates)s, %(city)s (%(status)s)") % {
            "number": meeting.number,
            "dates": date_range(meeting),
            "city": meeting.city,
            "status": minutes.get_status_display(),
        }
        keywords = [gettext("minutes"), meeting.committee.short_name, f"S{meeting.number}"]
    return render_pdf(
        html,
        title=title,
        authors=[meeting.committee.name],
        subject=subject,
        keywords=keywords,
        created=minutes.approved_at or timezone.now(),
        lang=record_language(),
    )
