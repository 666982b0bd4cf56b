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
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from committee.core import calendars
from committee.core.pdf import page_footer, render_pdf, w3c_datetime
from committee.core.translations import (
    Text,
    chosen_languages,
    is_rtl,
    language_choices,
    language_names,
    text_in,
)
from committee.meetings import record
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes, MinutesApproval
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
# Language names as the closing formula lists the languages of the originals ("in the Dari,
# Russian and English languages"): some languages decline them there.
LANGUAGES_OF_ORIGINALS = {
    "en": pgettext_lazy("languages of the originals", "English"),
    "fa": pgettext_lazy("languages of the originals", "Dari"),
    "ps": pgettext_lazy("languages of the originals", "Pashto"),
    "ru": pgettext_lazy("languages of the originals", "Russian"),
    "kk": pgettext_lazy("languages of the originals", "Kazakh"),
}


def ordinal(number: int) -> str:
    """ "first" … "twentieth" in words, beyond that in figures, as the active language writes
    an ordinal number."""
    if 1 <= number <= len(ORDINALS):
        return str(ORDINALS[number - 1])
    if translation.get_language() == "en":
        suffix = (
            "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        )
        return f"{number}{suffix}"
    return pgettext("ordinal number beyond the twentieth", "%(number)sth") % {"number": number}


def count_in_words(number: int) -> str:
    return str(COUNT_WORDS[number - 1]) if 1 <= number <= len(COUNT_WORDS) else str(number)


def record_language() -> str:
    """The language the minutes are kept in: the original printed unless another is asked."""
    return settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Person:
    name: Text
    position: Text
    status: str = ""


@dataclass
class Paragraph:
    number: str
    text: Text


@dataclass
class PrintedPledge:
    reference: str
    title: Text
    party: Text | None  # None: joint
    organization: Text | None
    focal_points: list[Text]
    due_on: str


@dataclass
class PrintedReview:
    reference: str
    title: Text
    party: Text | None
    status: str
    due_on: str
    remarks: Text
    as_of: str = ""  # the day its state was taken, where it is not the review's (later rows)


@dataclass
class PrintedItem:
    position: int
    title: Text
    presenter: str
    paragraphs: list[Paragraph]
    pledges: list[PrintedPledge]
    reviews: list[PrintedReview] = field(default_factory=list)
    reviewed_on: str = ""  # "Status as of …": the day the review's state was taken


@dataclass
class Delegation:
    name: Text
    heads: list[Person]
    attendance: list[Person]


@dataclass(frozen=True)
class SignatureBlock:
    """One head of delegation's block on the signature page (one per party, as a rule), each
    column printing its own side by side: "For the Government of …" (the party's formal
    name), a line to sign on, the signatory's name — or, where the record names only the
    position, a blank line to write the name in by hand — the position, and a blank line for
    the date and place of signature. `approval`, when given, is printed under the block
    ("Approved in the portal on 12 March 2026", "Signed at Kabul on …")."""

    party: Text  # the party's formal name, completing "For …"
    name: Text  # empty: a blank line for the name
    position: Text
    approval: str = ""


@dataclass
class Column:
    """The whole record in one language: a single-language original prints one column,
    a bilingual one two, side by side, each with its own headings, dates and direction."""

    lang: str
    name: str
    heading: str
    protocol_title: str
    status_label: str
    committee_name: Text
    venue: Text
    city: Text
    dates: str
    host: Text | None
    format_label: str
    delegations: list[Delegation]
    observers: list[Person]
    items: list[PrintedItem]
    next_session: Text
    closing: str
    signatures: list[SignatureBlock]
    page_footer: str

    @property
    def dir(self) -> str:
        return "rtl" if is_rtl(self.lang) else "ltr"

    @property
    def approvals(self) -> bool:
        """Whether any signature block carries an approval note (a row of its own)."""
        return any(block.approval for block in self.signatures)

    def missing(self) -> list[str]:
        """What this language version lacks (the English text stands in for it), in words."""
        found = []

        def check(text: Text | None, what: str) -> None:
            if text is not None and text.untranslated:
                found.append(what)

        check(self.committee_name, gettext("name of the committee"))
        check(self.venue, gettext("venue"))
        check(self.city, gettext("city"))
        for delegation in self.delegations:
            check(delegation.name, delegation.name.value)
            for person in [*delegation.heads, *delegation.attendance]:
                check(person.name, person.name.value)
                check(person.position, person.position.value)
        for person in self.observers:
            check(person.name, person.name.value)
            check(person.position, person.position.value)
        for item in self.items:
            label = gettext("item %(number)s") % {"number": item.position}
            check(item.title, label)
            for paragraph in item.paragraphs:
                check(
                    paragraph.text, gettext("paragraph %(number)s") % {"number": paragraph.number}
                )
            for pledge in item.pledges:
                check(pledge.title, pledge.reference)
            for review in item.reviews:
                check(review.title, review.reference)
                check(review.remarks, review.reference)
        check(self.next_session, gettext("next session"))
        for block in self.signatures:
            check(block.party, block.party.value)
        return list(dict.fromkeys(found))


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
            "minutes__approvals",
            queryset=MinutesApproval.objects.filter(withdrawn_at__isnull=True).select_related(
                "minutes__meeting", "signatory"
            ),
            to_attr="active_approvals",
        ),
        Prefetch(
            "committee__parties", queryset=Party.objects.order_by("name"), to_attr="party_list"
        ),
        Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("member__organization", "member__party"),
            to_attr="attendance_list",
        ),
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("presenter", "sector")
            .prefetch_related(
                Prefetch(
                    "pledges",
                    queryset=pledge_model.objects.select_related(
                        "responsible_party",
                        "lead_organization",
                        "agreement",
                        "focal_point",
                        "counterpart_focal_point",
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


# Where one sentence of a decision ends and the next begins: after a full stop, question or
# exclamation mark (Latin, Arabic or Urdu-style) and a space.
SENTENCE_BREAK = re.compile(r"(?<=[.!?؟۔])\s+")


def speaks_for_itself(decision: str, parties: Sequence[Party] = (), code: str = "en") -> bool:
    """Whether a decision recorded in `code` already says who acts, so that no "The Parties
    agreed:" goes before it. It does when a sentence of it begins with the Parties (it has its
    own lead-in, which is not to be repeated, wherever it stands), or when it begins with a
    side: a party of the committee by its name ("Kazakhstan will …", "قزاقستان … خواهد داد"),
    or the word for a side among its first three words ("The Kazakh side will …",
    "Казахстанская сторона …", "جانب قزاقستان …", "قزاقستاني اړخ به …").

    The words are the catalogs' (active language: `code`) and the parties' names in `code`; a
    text of several sentences none of which speaks so takes the lead-in before them all."""
    text = decision.strip().casefold()
    the_parties = gettext("The Parties").casefold()
    if any(sentence.startswith(the_parties) for sentence in SENTENCE_BREAK.split(text)):
        return True
    for party in parties:
        for field_name in ("name", "short_name"):
            name = text_in(party, field_name, code).value.casefold()
            if name and re.match(rf"{re.escape(name)}(?!\w)", text):
                return True
    # Translators: one party to the minutes, as in "the Kazakh side will …". A decision with
    # this word among its first three words is printed without "The Parties agreed:" before
    # it; give the form such a decision begins with, or its stem (e.g. "тарап", not "тарапы").
    side = pgettext("one party, as in 'the Kazakh side'", "side").casefold()
    return any(word.startswith(side) for word in text.split()[:3])


def decision_text(item: AgendaItem, code: str, parties: Sequence[Party] = ()) -> str:
    """The decision as the minutes state it: "The Parties agreed: …" before a text that does
    not say who acts (see speaks_for_itself; `parties` are the committee's), the text alone
    where it does, so that no lead-in stands twice."""
    decision = (getattr(item, f"decision_{code}", "") or "").strip()
    with translation.override(code):
        message = OUTCOME_PHRASES.get(item.outcome, "")
        phrase = gettext(message) if message else ""
        if code != record_language() and phrase == message:
            phrase = ""  # not translated into this language
        if not decision:
            return f"{phrase}." if phrase and item.outcome in STANDALONE_OUTCOMES else ""
        if not phrase or speaks_for_itself(decision, parties, code):
            return decision
        return gettext("%(phrase)s: %(decision)s") % {"phrase": phrase, "decision": decision}


def _decision(item: AgendaItem, language: str, parties: Sequence[Party]) -> Text:
    """The decision in `language`; where only another language recorded it (a stock phrase
    for a deferred item is no stand-in for it), that one, marked untranslated."""
    if (getattr(item, f"decision_{language}", "") or "").strip():
        return Text(language, decision_text(item, language, parties))
    source = text_in(item, "decision", language)
    if source.untranslated:
        return Text(source.lang, decision_text(item, source.lang, parties), wanted=language)
    return Text(language, decision_text(item, language, parties))


def _person(member: Member, language: str, status: str = "") -> Person:
    honorific = text_in(member, "honorific", language)
    full_name = text_in(member, "full_name", language)
    name = " ".join(part for part in (honorific.value, full_name.value) if part)
    return Person(
        name=Text(full_name.lang, name, full_name.wanted),
        position=text_in(member, "position", language),
        status=status,
    )


def _name(obj: Party | None, language: str) -> Text | None:
    """A party's or organization's name in `language`; None where there is none (a joint
    pledge, no lead organization)."""
    return text_in(obj, "name", language) if obj is not None else None


def _percent_kept_whole(text: str) -> str:
    """A number and the percent sign after it never parted by a line break ("15 %")."""
    return re.sub(r"(\d)[ \u202f]+([%٪])", "\\1\u00a0\\2", text)


def _same_text(first: Text, second: Text) -> bool:
    return " ".join(first.value.split()) == " ".join(second.value.split())


def _printed_item(
    item: AgendaItem, language: str, meeting: Meeting, next_session: Text | None = None
) -> PrintedItem:
    """One agenda item of `meeting` in `language`; `next_session`, what the minutes record on
    the next session, for the item about it: its decision, printed once (not again where the
    item's own decision already says it)."""
    parties = meeting.committee.party_list
    texts = [text_in(item, "discussion", language), _decision(item, language, parties)]
    if next_session is not None and not _same_text(
        next_session, text_in(item, "decision", language)
    ):
        texts.append(next_session)
    paragraphs = []
    for text in texts:
        if text.value:
            paragraphs.append(Paragraph(f"{item.position}.{len(paragraphs) + 1}", text))
    # The day each reviewed pledge's state was taken, in the venue's zone; the review's is the
    # first, and a pledge added to it on a later day says so.
    taken_on = {
        review.pk: local_date(review.taken_at, meeting) if review.taken_at else None
        for review in item.review_list
    }
    reviewed_on = min(filter(None, taken_on.values()), default=None)
    return PrintedItem(
        position=item.position,
        title=text_in(item, "title", language),
        presenter=str(item.presenter) if item.presenter_id else "",
        paragraphs=paragraphs,
        pledges=[
            PrintedPledge(
                reference=pledge.reference,
                title=text_in(pledge, "title", language),
                party=_name(pledge.responsible_party, language),
                organization=_name(pledge.lead_organization, language),
                focal_points=[
                    _person(member, language).name
                    for member in (pledge.focal_point, pledge.counterpart_focal_point)
                    if member is not None
                ],
                # As the session agreed it: a deadline moved since is not the record's.
                due_on=calendars.date_html(pledge.due_on_as_of(meeting.ends_at), short=True),
            )
            for pledge in item.pledge_list
        ],
        reviews=[
            PrintedReview(
                reference=review.pledge.reference,
                title=text_in(review.pledge, "title", language),
                party=_name(review.pledge.responsible_party, language),
                status=_percent_kept_whole(
                    gettext("%(status)s, %(progress)s %%")
                    % {"status": review.get_status_display(), "progress": review.progress}
                ),
                due_on=calendars.date_html(review.due_on, short=True),
                remarks=text_in(review, "remarks", language),
                as_of=calendars.date_html(taken_on[review.pk], short=True)
                if taken_on[review.pk] != reviewed_on
                else "",
            )
            for review in item.review_list
        ],
        reviewed_on=calendars.long_date(reviewed_on),
    )


def _heads(meeting: Meeting, party: Party) -> list[Member]:
    """The head of `party`'s delegation at `meeting`, named at the top of the minutes and
    signing them, who approves them (record.heads_of_delegation decides, here from the
    attendance minutes_queryset() read with the meeting)."""
    head = record.heads_of_delegation(meeting, meeting.attendance_list).get(party.pk)
    return [head] if head is not None else []


def _approval_note(approval) -> str:
    """Under a signature block, in the active language: how the head of delegation approved."""
    if approval is None:
        return ""
    if approval.method == approval.Method.PAPER:
        return gettext("Signed at %(place)s on %(date)s.") % {
            # Isolated: a place typed in one script inside a sentence of another.
            "place": f"\u2068{approval.signed_at}\u2069",
            "date": calendars.long_date(approval.signed_on),
        }
    return gettext("Approved in the portal on %(date)s.") % {
        "date": calendars.long_date(local_date(approval.approved_at, approval.minutes.meeting))
    }


def _attendance(meeting: Meeting) -> list[Attendance]:
    return sorted(
        meeting.attendance_list,
        key=lambda row: (ROLE_RANK.get(row.member.role, 99), row.member.full_name, row.member.pk),
    )


def _attendee(row: Attendance, language: str) -> Person:
    status = "" if row.status == Attendance.Status.PRESENT else row.get_status_display().lower()
    return _person(row.member, language, status)


def _observers(meeting: Meeting, language: str) -> list[Person]:
    """Observers attend the session, not as members of a delegation: listed on their own."""
    return [
        _attendee(row, language)
        for row in _attendance(meeting)
        if row.member.role == Member.Role.OBSERVER
    ]


def _delegations(meeting: Meeting, language: str) -> list[Delegation]:
    attendance = [row for row in _attendance(meeting) if row.member.role != Member.Role.OBSERVER]
    delegations = []
    for party in meeting.committee.party_list:
        delegations.append(
            Delegation(
                name=text_in(party, "name", language),
                heads=[_person(member, language) for member in _heads(meeting, party)],
                attendance=[
                    _attendee(row, language)
                    for row in attendance
                    if row.member.party_id == party.pk
                ],
            )
        )
    return delegations


def _signature_blocks(meeting: Meeting, language: str) -> list[SignatureBlock]:
    """A block per head of each party's delegation, in the parties' order; a party whose head
    is not recorded still gets one, with blank lines for name and position."""
    blocks = []
    approvals = {approval.party_id: approval for approval in meeting.minutes.active_approvals}
    for party in meeting.committee.party_list:
        formal = text_in(party, "government_name", language)
        if not formal.value:
            formal = text_in(party, "name", language)
        approval = approvals.get(party.pk)
        # Who approved signs, even were the session's head changed since (which the digest
        # of the circulated version refuses before approval).
        signatories = [approval.signatory] if approval else _heads(meeting, party)
        heads = [_person(member, language) for member in signatories]
        blocks += [
            SignatureBlock(
                party=formal,
                name=head.name,
                position=head.position,
                approval=_approval_note(approval),
            )
            for head in heads or [Person(name=Text(language, ""), position=Text(language, ""))]
        ]
    return blocks


def local_date(moment: datetime.datetime, meeting: Meeting) -> datetime.date:
    return moment.astimezone(meeting.zone).date()


def date_range(meeting: Meeting) -> str:
    """ "12 March 2026", "12–13 March 2026" (in English), in the venue's zone; in other
    languages each day written out in full."""
    start, end = local_date(meeting.starts_at, meeting), local_date(meeting.ends_at, meeting)
    if start == end:
        return calendars.long_date(start)
    if translation.get_language() == "en":
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{calendars.long_date(end)}"
        if start.year == end.year:
            return f"{dateformat.format(start, 'j F')} – {calendars.long_date(end)}"
    return f"{calendars.long_date(start)} – {calendars.long_date(end)}"


def closing_formula(meeting: Meeting, minutes: Minutes, language: str | None = None) -> str:
    """ "Done at Kabul on 13 March 2026 in two originals, in the Dari, … and English languages,
    all texts being equally authentic. In case of divergence, the English text shall prevail."
    Whole sentences per case, so that each language can order them its own way."""
    language = language or translation.get_language()
    place = text_in(minutes, "done_at", language).value or text_in(meeting, "city", language).value
    day = minutes.done_on or local_date(meeting.ends_at, meeting)
    count = minutes.original_count
    values = {"place": place, "date": calendars.long_date(day), "count": count_in_words(count)}
    languages = [
        str(LANGUAGES_OF_ORIGINALS[code])
        for code in minutes.authentic_languages
        if code in LANGUAGES_OF_ORIGINALS
    ]
    if len(languages) > 1:
        values["languages"] = text_list(languages, gettext("and"), language)
        sentence = ngettext(
            "Done at %(place)s on %(date)s in %(count)s original, in the %(languages)s "
            "languages, all texts being equally authentic.",
            "Done at %(place)s on %(date)s in %(count)s originals, in the %(languages)s "
            "languages, all texts being equally authentic.",
            count,
        )
    elif languages:
        values["language"] = languages[0]
        sentence = ngettext(
            "Done at %(place)s on %(date)s in %(count)s original, in the %(language)s language.",
            "Done at %(place)s on %(date)s in %(count)s originals, in the %(language)s language.",
            count,
        )
    else:
        sentence = ngettext(
            "Done at %(place)s on %(date)s in %(count)s original.",
            "Done at %(place)s on %(date)s in %(count)s originals.",
            count,
        )
    sentence %= values
    if len(languages) > 1 and minutes.prevailing_language in LANGUAGES_OF_ORIGINALS:
        sentence += " " + gettext("In case of divergence, the %(language)s text shall prevail.") % {
            "language": LANGUAGES_OF_ORIGINALS[minutes.prevailing_language]
        }
    return sentence


def text_list(items: list[str], last_word: str, language: str) -> str:
    """ "a, b and c", with the comma the language writes (Arabic script: "،")."""
    if len(items) < 2:
        return "".join(items)
    comma = "، " if is_rtl(language) else ", "
    return f"{comma.join(items[:-1])} {last_word} {items[-1]}"


# The title of the minutes is printed in two lines, as a letterhead and a title:
#
#     Afghanistan–Kazakhstan Joint Intergovernmental Working Committee
#     Protocol of the first session
#
# The committee's name is free text, kept in the nominative; a sentence that named it inside
# ("Protocol of the first meeting of the …") would need its genitive in Russian, Kazakh and
# Pashto, which no program can make of free text. Standing on its own line, as the issuing
# body, it reads right in every language ("Афгано-казахстанский … комитет" / "Протокол
# первого заседания", "… жұмыс комитеті" / "Бірінші отырыстың хаттамасы", "… کمیتهٔ کاری …" /
# "پروتوکول جلسهٔ اول"), and the title names the session alone. Where the title must be one
# line (the document's title, the PDF's metadata, the running header), heading() puts the
# two side by side, in an order and with punctuation each catalog chooses.


def protocol_title(meeting: Meeting) -> str:
    """ "Protocol of the first session", in the active language."""
    # Translators: the ordinal is one of "first" … "twentieth" above, in the form given there.
    return gettext("Protocol of the %(ordinal)s session") % {"ordinal": ordinal(meeting.number)}


def heading(meeting: Meeting, language: str | None = None) -> str:
    """The title on one line: "Protocol of the first session — Afghanistan–Kazakhstan Joint
    Intergovernmental Working Committee", in the active language, the committee's name in
    `language` (the active one unless given)."""
    language = language or translation.get_language()
    return pgettext(
        "the minutes' title on one line: the protocol's title, then the committee's name",
        "%(title)s — %(committee)s",
    ) % {
        "title": protocol_title(meeting),
        "committee": text_in(meeting.committee, "name", language).value,
    }


def seal_reason(meeting: Meeting) -> str:
    """What the seal on the approved PDF says it vouches for (PDF readers show it beside the
    signature), in the record language like the PDF itself."""
    language = record_language()
    with translation.override(language):
        return gettext("Approved minutes: %(heading)s") % {"heading": heading(meeting, language)}


def status_label(minutes: Minutes, meeting: Meeting) -> str:
    if minutes.is_draft:
        return gettext("Draft — not for circulation")
    if minutes.is_circulated:
        return gettext("Circulated for comment — not yet approved")
    if minutes.approved_at:
        return gettext("Approved on %(date)s") % {
            "date": calendars.long_date(local_date(minutes.approved_at, meeting))
        }
    return gettext("Approved")


def column(meeting: Meeting, language: str) -> Column:
    """The minutes of `meeting` in one language (from minutes_queryset())."""
    minutes = meeting.minutes
    next_session = text_in(minutes, "next_session", language)
    # The next session is a section of its own after the agenda, unless an item of the agenda
    # is about it: then it is printed under the (first) such item, and only there.
    next_session_item = next(
        (item for item in meeting.item_list if item.kind == AgendaItem.Kind.NEXT_SESSION), None
    )
    with translation.override(language):
        return Column(
            lang=language,
            name=language_names().get(language, language),
            heading=heading(meeting, language),
            protocol_title=protocol_title(meeting),
            status_label=status_label(minutes, meeting),
            committee_name=text_in(meeting.committee, "name", language),
            venue=text_in(meeting, "venue", language),
            city=text_in(meeting, "city", language),
            dates=date_range(meeting),
            host=_name(meeting.host_party, language),
            format_label=""
            if meeting.format == Meeting.Format.IN_PERSON
            else str(meeting.get_format_display()),
            delegations=_delegations(meeting, language),
            observers=_observers(meeting, language),
            items=[
                _printed_item(
                    item, language, meeting, next_session if item is next_session_item else None
                )
                for item in meeting.item_list
            ],
            next_session=Text(language, "") if next_session_item else next_session,
            closing=closing_formula(meeting, minutes, language),
            signatures=_signature_blocks(meeting, language),
            page_footer=page_footer(),
        )


def minutes_filename(
    meeting: Meeting, second_language: str | None = None, original: str | None = None
) -> str:
    parts = ["minutes", slugify(meeting.committee.short_name) or "committee"]
    parts += ["session", str(meeting.number)]
    original = original or record_language()
    if second_language:
        parts += [original, second_language]
    elif original != record_language():
        parts.append(original)
    if meeting.minutes.is_draft:
        parts.append("draft")
    return "-".join(parts) + ".pdf"


def minutes_context(
    meeting: Meeting,
    *,
    original: str | None = None,
    second_language: str | None = None,
    for_pdf: bool = False,
) -> dict:
    """What templates/meetings/minutes.html prints: the record in the language of the
    `original` (the record language unless asked), and the `second_language` beside it."""
    minutes = meeting.minutes
    original, second_language = chosen_languages(original, second_language, record_language())
    columns = [column(meeting, original)]
    if second_language:
        columns.append(column(meeting, second_language))
    first = columns[0]
    return {
        "meeting": meeting,
        "minutes": minutes,
        "committee": meeting.committee,
        "columns": columns,
        "first": first,
        # Each agenda item as a row: (column, the item in its language), one per column.
        "item_rows": [
            list(zip(columns, items, strict=True))
            for items in zip(*(c.items for c in columns), strict=True)
        ],
        "missing": [(c.name, missing) for c in columns if (missing := c.missing())],
        "is_draft": minutes.is_draft,
        "original": original,
        "second_language": second_language,
        "language_choices": language_choices(),
        "document_lang": original,
        "document_dir": first.dir,
        "created": w3c_datetime(minutes.approved_at or timezone.now()),
        "for_pdf": for_pdf,
        # An edition other than the stored record (another original, a second language):
        # it says where the sealed record is, so that nobody takes it for the record.
        "record_elsewhere": minutes.is_approved
        and bool(minutes.pdf_sha256)
        and (second_language is not None or original != record_language()),
        "record_language_name": dict(settings.CONTENT_LANGUAGES)[record_language()],
    }


def render_minutes_html(
    meeting: Meeting,
    *,
    original: str | None = None,
    second_language: str | None = None,
    for_pdf: bool = False,
    request: HttpRequest | None = None,
    toolbar: dict | None = None,
) -> str:
    """The page, or (`for_pdf`) the PDF's HTML. `toolbar`: what the page's toolbar needs
    besides, e.g. how the making of approved minutes' sealed PDF goes while it is awaited."""
    context = minutes_context(
        meeting, original=original, second_language=second_language, for_pdf=for_pdf
    )
    return render_to_string(
        "meetings/minutes.html", {**(toolbar or {}), **context}, request=request
    )


def render_minutes_pdf(
    meeting: Meeting, *, original: str | None = None, second_language: str | None = None
) -> bytes:
    """The minutes of `meeting` as PDF/A-3b: what approval stores (the record language, alone)
    and what /minutes.pdf serves."""
    if not hasattr(meeting, "item_list"):
        meeting = minutes_queryset().get(pk=meeting.pk)
    minutes = meeting.minutes
    original, second_language = chosen_languages(original, second_language, record_language())
    html = render_minutes_html(
        meeting, original=original, second_language=second_language, for_pdf=True
    )
    with translation.override(original):
        title = heading(meeting, original)
        subject = pgettext(
            "subject of the minutes' PDF",
            "%(title)s, %(dates)s, %(city)s (%(status)s)",
        ) % {
            "title": protocol_title(meeting),
            "dates": date_range(meeting),
            "city": text_in(meeting, "city", original).value,
            "status": minutes.get_status_display(),
        }
        keywords = [gettext("minutes"), meeting.committee.short_name, f"S{meeting.number}"]
    return render_pdf(
        html,
        title=title,
        authors=[text_in(meeting.committee, "name", original).value],
        subject=subject,
        keywords=keywords,
        created=minutes.approved_at or timezone.now(),
        lang=original,
    )
