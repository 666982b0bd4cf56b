"""Printed minutes and archival PDFs.

`render_pdf` turns a page of our own HTML into PDF/A-3b with WeasyPrint, under two rules:

- **Nothing but our static files is fetched.** The document is laid out against a base URL
  that names no real host (`PRINT_BASE_URL`); `fetch_static` serves URLs under STATIC_URL on
  that base from the staticfiles finders (or STATIC_ROOT once collected) and refuses the
  rest — file:, http(s): to any host (ours included), data:, ftp: — with ValueError. Our
  templates need nothing else, and record texts are escaped, so a refused URL means a bug or
  an attempt; it is logged.
- **Rendering has a time limit** (settings.PDF_RENDER_TIMEOUT seconds, 60 by default, read at
  each call). WeasyPrint cannot be interrupted, and a thread that misses its deadline keeps
  burning a core until it is done, so each document is laid out in a child process that is
  killed at the deadline (PDFRenderTimeout). Children fork from a forkserver that has
  WeasyPrint loaded (`pdf_worker`), which is safe under threaded servers and costs ~10 ms per
  document after the first. The child opens nothing itself: it asks this process for each
  URL over the pipe, and `fetch_static` answers.

The minutes (`render_minutes_html`, `render_minutes_pdf`) follow the settled form of an
intergovernmental protocol: heads of delegation, attendance, numbered paragraphs per agenda
item with "the Parties noted / agreed / instructed", pledges arising, next session, closing
formula and one signature column per party. They are printed in the record language
(settings.LANGUAGE_CODE), optionally with a second content language side by side.
"""

from __future__ import annotations

import datetime
import logging
import mimetypes
import multiprocessing
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.text import get_text_list, slugify
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from committee.meetings import pdf_worker
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes
from committee.members.models import Member, Party

logger = logging.getLogger(__name__)
security_log = logging.getLogger("portal.security")

PRINT_BASE_URL = "https://print.portal.invalid/"  # .invalid never resolves (RFC 6761)
PDF_VARIANT = "pdf/a-3b"
DEFAULT_RENDER_TIMEOUT = 60


class PDFRenderError(Exception):
    """The PDF could not be produced."""


class PDFRenderTimeout(PDFRenderError):
    """Rendering took longer than settings.PDF_RENDER_TIMEOUT; the renderer was stopped."""


# --- Fetching: our static files, nothing else ------------------------------------------------


def fetch_static(url: str, *, base_url: str = PRINT_BASE_URL) -> tuple[bytes, str]:
    """The bytes and content type of one of our static files, addressed under `base_url`.

    Raises ValueError for every other URL: other schemes, other hosts, paths outside
    STATIC_URL, `..` segments, files that do not exist.
    """
    static_prefix = urljoin(base_url, settings.STATIC_URL)
    if not url.startswith(static_prefix):
        raise ValueError(f"Refused to fetch {url!r}: only the portal's static files are fetched.")
    name = unquote(urlsplit(url[len(static_prefix) :]).path)
    parts = PurePosixPath(name).parts
    if not name or name.startswith("/") or "\\" in name or "\x00" in name or ".." in parts:
        raise ValueError(f"Refused to fetch {url!r}: not a static file name.")
    path = _find_static_file(name)
    if path is None:
        raise ValueError(f"No static file {name!r}.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return path.read_bytes(), content_type


def _find_static_file(name: str) -> Path | None:
    # The finders hold the sources (development, tests); STATIC_ROOT holds what collectstatic
    # wrote, including the hashed names that {% static %} gives under manifest storage.
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        if staticfiles_storage.exists(name):
            path = Path(staticfiles_storage.path(name))
            return path if path.is_file() else None
    except (NotImplementedError, SuspiciousFileOperation):
        pass
    return None


def _answer_fetch(url: str, base_url: str) -> tuple:
    try:
        body, content_type = fetch_static(url, base_url=base_url)
    except (ValueError, OSError) as error:
        security_log.warning("pdf render refused to fetch url=%r reason=%s", url[:300], error)
        return ("refused", str(error))
    return ("ok", body, content_type)


# --- Rendering in a child process with a deadline ---------------------------------------------

_context_lock = threading.Lock()
_context = None


def _process_context():
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([pdf_worker.__name__])
            _context = context
        return _context


def render_timeout() -> float:
    return float(getattr(settings, "PDF_RENDER_TIMEOUT", DEFAULT_RENDER_TIMEOUT))


def render_pdf(
    html: str,
    *,
    base_url: str = PRINT_BASE_URL,
    title: str | None = None,
    authors: list[str] | tuple[str, ...] = (),
    subject: str | None = None,
    keywords: list[str] | tuple[str, ...] = (),
    created: datetime.datetime | None = None,
    lang: str | None = None,
    timeout: float | None = None,
) -> bytes:
    """PDF/A-3b bytes of `html`. The keyword metadata override the HTML head's <title> and
    <meta name="author|description|keywords|dcterms.created">.

    Raises PDFRenderTimeout after `timeout` (default settings.PDF_RENDER_TIMEOUT) seconds and
    PDFRenderError when WeasyPrint fails.
    """
    metadata = {
        key: value
        for key, value in {
            "title": title,
            "authors": list(authors) or None,
            "description": subject,
            "keywords": list(keywords) or None,
            "created": _w3c(created),
            "modified": _w3c(created),
            "lang": lang,
        }.items()
        if value
    }
    limit = render_timeout() if timeout is None else timeout
    deadline = time.monotonic() + limit
    context = _process_context()
    ours, theirs = context.Pipe()
    process = context.Process(
        target=pdf_worker.render,
        args=(theirs, html, base_url, metadata, {"pdf_variant": PDF_VARIANT}),
        daemon=True,
    )
    started = time.monotonic()
    process.start()
    theirs.close()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not ours.poll(remaining):
                raise PDFRenderTimeout(
                    gettext("The PDF took longer than %(seconds)s seconds to produce.")
                    % {"seconds": f"{limit:g}"}
                )
            try:
                message = ours.recv()
            except EOFError:
                raise PDFRenderError("The PDF renderer stopped without an answer.") from None
            if message[0] == "fetch":
                ours.send(_answer_fetch(message[1], base_url))
            elif message[0] == "done":
                logger.info(
                    "pdf rendered bytes=%s seconds=%.2f",
                    len(message[1]),
                    time.monotonic() - started,
                )
                return message[1]
            else:
                raise PDFRenderError(message[1])
    finally:
        ours.close()
        if process.is_alive():
            process.kill()
        process.join()


def _w3c(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat()


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
        "created": _w3c(minutes.approved_at or timezone.now()),
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
