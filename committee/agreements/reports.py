"""The implementation matrix: every pledge the user may read, with its owner, lead organization,
deadline, status, progress and latest update (its note as the remarks), grouped by agreement
(pledges arising from a session under that session) or by sector — on screen, in print and as
a PDF. It is headed by the committee it reports on, as the minutes are.

The tracker's filters apply (PledgeFilter, same parameters), so the report holds exactly the
pledges the tracker lists for the same query; inside each group the rows follow the tracker's
sort order (by default the due date, earliest first). It is written in the reader's language,
or in any content language asked for (?original=), optionally with a second language beside
(?lang=): every heading then carries both, and each pledge's title stands in both, a title
missing in a language shown in English, marked untranslated.

The PDF is made on the worker (committee/core/renderings.py): the report's button asks for
it (a POST), a page follows its making and offers the file, to whoever may read every
committee the PDF covers (rules.can_read_all_of). The same report asked for again within
FRESH_FOR is the PDF already made.
"""

import datetime
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import Case, Count, F, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods

from committee.agreements.filters import PledgeFilter, sort_expressions
from committee.agreements.models import Pledge, overdue_condition
from committee.agreements.tasks import render_implementation_report
from committee.core.downloads import stored_pdf_response
from committee.core.models import Rendering
from committee.core.pagination import KeysFirstPaginator
from committee.core.pdf import render_pdf_parts
from committee.core.renderings import Made, NotNeeded, request_rendering, status_payload
from committee.core.text import direction
from committee.core.translations import (
    chosen_languages,
    is_rtl,
    language_choices,
    localized,
    text_in,
)
from committee.members import rules

logger = logging.getLogger(__name__)

GROUPINGS = [
    ("agreement", gettext_lazy("Agreement or session")),
    ("sector", gettext_lazy("Sector")),
]
# The columns, named when the report is rendered, in each of its languages. The lead
# organization stands under the responsible party and the date of the latest update under its
# note, so that the pledge's title keeps the widest column.
COLUMNS = [
    ("ref", gettext_lazy("Ref.")),
    ("pledge", gettext_lazy("Pledge")),
    ("party", gettext_lazy("Responsible")),
    ("sector", gettext_lazy("Sector")),
    ("due", gettext_lazy("Due")),
    ("status", gettext_lazy("Status")),
    ("number", gettext_lazy("Progress")),
    ("remarks", gettext_lazy("Remarks")),
]
SOURCE_COLUMN = gettext_lazy("Source")
# A PDF of this many pledges or more is laid out compactly (a line or two a pledge; the
# remarks shortened): the full layout takes about five pledges a page, and WeasyPrint's time
# goes with every cell and line it sets, so ten thousand pledges took 1,888 pages and
# minutes. The compact one has three cells a pledge (WeasyPrint's cost goes with the cells
# and inline elements more than with the text: the five cells a row it had before cost
# about 1.7 times these) and holds about twenty-five pledges a page.
COMPACT_FROM = 300
COMPACT_COLUMNS = [
    ("ref", [gettext_lazy("Ref.")]),
    ("pledge", [gettext_lazy("Pledge")]),
    (
        "details",
        [
            gettext_lazy("Responsible"),
            gettext_lazy("Due, status, progress"),
            gettext_lazy("Latest update"),
        ],
    ),
]
# Pledges a page of the report lists on screen, as many as a page of the tracker; the PDF
# lists them all.
PAGE_SIZE = 50
# A compact PDF is laid out in parts of at least this many pledges, one part a core at the
# same time, and the parts' pages joined (pdf.render_pdf_parts): WeasyPrint keeps to one
# core, and ten thousand pledges are over a minute of it.
PART_AT_LEAST = 500
# Pledges equal by the sort order keep the order of their agreement or agenda.
TIE_BREAK = ("agreement__reference", "agenda_item__position", "number", "pk")


@dataclass
class Group:
    title: str
    subtitle: str
    pledges: list
    overdue: int = 0
    # The group's count of pledges, also where a part of the PDF lists only some of them.
    size: int = 0


def _by_agreement(pledge) -> tuple[tuple, str, str]:
    committee = pledge.committee.short_name
    if pledge.agreement_id:
        agreement = pledge.agreement
        return (
            (0, committee, agreement.reference, agreement.title, agreement.pk),
            str(agreement),
            committee,
        )
    if pledge.agenda_item_id:
        meeting = pledge.agenda_item.meeting
        title = _("Decisions of session %(number)s") % {"number": meeting.number}
        return (1, committee, meeting.number, meeting.pk), title, committee
    return (2, committee), _("Other pledges"), committee


def _by_sector(pledge) -> tuple[tuple, str, str]:
    return (pledge.sector.name, pledge.sector_id), pledge.sector.name, ""


def group_pledges(
    pledges, grouping: str, today: datetime.date, *, presorted: bool = False
) -> list[Group]:
    """Groups in a stable order, with how many of their pledges are overdue; inside each, the
    pledges keep the query's order. `presorted`: the query put them in group_order() already,
    and the groups keep the order they come in."""
    key_of = _by_sector if grouping == "sector" else _by_agreement
    groups: dict[tuple, Group] = {}
    for pledge in pledges:
        key, title, subtitle = key_of(pledge)
        group = groups.setdefault(key, Group(title, subtitle, []))
        group.pledges.append(pledge)
        group.overdue += pledge.is_overdue(today)
    for group in groups.values():
        group.size = len(group.pledges)
    return list(groups.values()) if presorted else [groups[key] for key in sorted(groups)]


def group_order(grouping: str) -> list:
    """The order of the groups in SQL, as _by_agreement() and _by_sector() key them: a page of
    the report then holds whole groups, or the start or end of one."""
    if grouping == "sector":
        return [localized("sector__name").asc(), "sector_id"]
    kind = Case(
        When(agreement__isnull=False, then=Value(0)),
        When(agenda_item__isnull=False, then=Value(1)),
        default=Value(2),
    )
    return [
        kind,
        "committee__short_name",
        F("agreement__reference").asc(nulls_first=True),
        F("agreement__title").asc(nulls_first=True),
        F("agreement_id").asc(nulls_first=True),
        F("agenda_item__meeting__number").asc(nulls_first=True),
        F("agenda_item__meeting_id").asc(nulls_first=True),
    ]


def split_groups(groups: list[Group], parts: int) -> list[list[Group]]:
    """The groups in `parts` runs of about as many pledges each, in order (fewer runs when
    there are fewer pledges). A run ends where a group ends if one ends near enough to its
    share; otherwise the group is split, and its rest opens the next run under the same
    heading and counts."""
    total = sum(len(group.pledges) for group in groups)
    parts = max(1, min(parts, total))
    if parts == 1:
        return [groups]
    share = -(-total // parts)
    slack = max(share // 20, 1)
    runs: list[list[Group]] = [[]]
    room = share
    for group in groups:
        pledges = group.pledges
        while pledges:
            last = len(runs) == parts
            if last or len(pledges) <= room + slack:
                taken, pledges = pledges, []
            elif room <= slack and runs[-1]:
                runs.append([])
                room = share
                continue
            else:
                taken, pledges = pledges[:room], pledges[room:]
            runs[-1].append(Group(group.title, group.subtitle, taken, group.overdue, group.size))
            room -= len(taken)
            if room <= 0 and not last:
                runs.append([])
                room = share
    return [run for run in runs if run]


def sort_order(pledge_filter) -> list:
    """The rows' order: the tracker's sort order in effect (PledgeFilter.sorted_by(): the one
    chosen, by default the due date, earliest first), what is empty (no due date, a joint
    pledge's party) last whichever the direction, then the agreement's or agenda's order."""
    return [*sort_expressions(pledge_filter.sorted_by()), *TIE_BREAK]


def committees_reported(pledge_filter, user) -> list:
    """The committees the report is of: the one filtered by, else all the user reads."""
    chosen = pledge_filter.form.cleaned_data.get("committee") if pledge_filter.is_bound else None
    return [chosen] if chosen else list(rules.committees_visible_to(user))


def report_title(committees, language: str) -> str:
    """ "Implementation matrix — Afghanistan–Kazakhstan Joint Intergovernmental Working
    Committee", in the active language, the committees' names in `language`."""
    names = "; ".join(text_in(committee, "name", language).value for committee in committees)
    if not names:
        return _("Implementation matrix")
    return pgettext(
        "the implementation matrix's title on one line: its title, then the committee's name",
        "%(title)s — %(committee)s",
    ) % {"title": _("Implementation matrix"), "committee": names}


def _active_filters(pledge_filter) -> list[tuple[str, str]]:
    """What the report was filtered by, in words, for the printed copy."""
    if not pledge_filter.is_bound or not pledge_filter.form.is_valid():
        return []
    statuses = dict(Pledge.Status.choices)
    described = []
    for name, value in pledge_filter.form.cleaned_data.items():
        if value in (None, "", [], ()) or name == "ordering":
            continue
        field = pledge_filter.form.fields[name]
        if name == "status":
            value = ", ".join(str(statuses.get(v, v)) for v in value)
        elif not isinstance(field, forms.ModelChoiceField) and hasattr(field, "choices"):
            # A choice in words: "Due within 30 days", "Afghanistan only".
            value = dict(field.choices).get(value, value)
        described.append((str(field.label), str(value)))
    return described


def report_languages(params: QueryDict) -> tuple[str, str | None]:
    """The language the report is written in (the reader's unless asked), and the one beside
    it (or None)."""
    return chosen_languages(params.get("original"), params.get("lang"), translation.get_language())


def _report_context(params: QueryDict, user, *, paged: bool = False) -> dict:
    """The report for `user`, as the query `params` (the tracker's filters, the grouping and
    the languages) asks. `paged`: the page of ?page= alone (PAGE_SIZE pledges, in whole
    groups or parts of one), the counts still of them all; else every pledge (the PDF)."""
    original, second = report_languages(params)
    grouping = params.get("group")
    grouping = grouping if grouping in dict(GROUPINGS) else "agreement"
    languages = [code for code in (original, second) if code]
    pledges = Pledge.objects.visible_to(user).for_listing().with_latest_update()
    pledge_filter = PledgeFilter(params or None, queryset=pledges, user=user)
    today = pledge_filter.today
    page = None
    if paged:
        ordered = pledge_filter.qs.order_by(*group_order(grouping), *sort_order(pledge_filter))
        counts = pledge_filter.qs.order_by().aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=overdue_condition(today)),
            completed=Count("pk", filter=Q(status=Pledge.Status.COMPLETED)),
        )
        paginator = KeysFirstPaginator(ordered, PAGE_SIZE)
        paginator.count = counts["total"]  # counted with the others
        page = paginator.get_page(params.get("page"))
        listed = list(page.object_list)
    else:
        listed = list(pledge_filter.qs.order_by(*sort_order(pledge_filter)))
        counts = {
            "total": len(listed),
            "overdue": sum(1 for pledge in listed if pledge.is_overdue(today)),
            "completed": sum(1 for pledge in listed if pledge.status == Pledge.Status.COMPLETED),
        }
    for pledge in listed:
        pledge.titles = [text_in(pledge, "title", code) for code in languages]
        # A note is in whichever language its author wrote it.
        pledge.note_dir = direction(pledge.latest_note or "")
    committees = committees_reported(pledge_filter, user)
    query = params.copy()
    query.pop("page", None)
    return {
        "filter": pledge_filter,
        "committee_names": [
            [text_in(committee, "name", code) for code in languages] for committee in committees
        ],
        "report_title": report_title(committees, original),
        "committee_short_names": ", ".join(committee.short_name for committee in committees),
        "groups": group_pledges(listed, grouping, today, presorted=paged),
        "grouping": grouping,
        "groupings": GROUPINGS,
        "page": page,
        **counts,
        "active_filters": _active_filters(pledge_filter),
        "query": query.urlencode(),
        "today": today,
        "generated_at": timezone.now(),
        "original": original,
        "second_language": second,
        "second_dir": "rtl" if second and is_rtl(second) else "ltr",
        "language_choices": language_choices(),
        "columns": [
            (css, SOURCE_COLUMN if css == "sector" and grouping == "sector" else label)
            for css, label in COLUMNS
        ],
    }


@require_GET
def implementation_report(request: HttpRequest) -> HttpResponse:
    original, _second = report_languages(request.GET)
    with translation.override(original):
        return render(
            request,
            "agreements/implementation_report.html",
            {**_report_context(request.GET, request.user, paged=True), "layout": "base.html"},
        )


# --- The PDF, made on the worker ---------------------------------------------------------------

# A PDF of the report made this recently is handed to whoever asks for the same report (same
# query, languages, day and reach) instead of being made again; the page offers a fresh one.
FRESH_FOR = datetime.timedelta(minutes=10)
REPORT = Rendering.Kind.IMPLEMENTATION_REPORT


def render_report_pdf(params: QueryDict, user, language: str, second: str | None) -> Made:
    """The report as PDF/A, in `language` (active) with `second` beside it."""
    context = _report_context(params, user)
    compact = context["total"] >= COMPACT_FROM
    page = {
        **context,
        "layout": "print_base.html",
        "for_pdf": True,
        "compact": compact,
        "compact_columns": COMPACT_COLUMNS,
        "document_lang": language,
        "document_dir": "rtl" if translation.get_language_bidi() else "ltr",
    }
    if compact:
        runs = split_groups(context["groups"], _parts(context["total"]))
        parts = [
            render_to_string(
                "agreements/implementation_report.html",
                {**page, "groups": run, "continued": index > 0},
            )
            for index, run in enumerate(runs)
        ]
    else:
        parts = [render_to_string("agreements/implementation_report.html", page)]
    pdf = render_pdf_parts(
        parts,
        title=f"{context['report_title']}, {context['today']:%Y-%m-%d}",
        authors=[_("Joint Committee Portal")],
        subject=_("%(count)s pledges with owner, deadline, status and progress")
        % {"count": context["total"]},
        keywords=[_("implementation"), _("pledges")],
        created=context["generated_at"],
        lang=language,
    )
    name = f"implementation-report-{context['today']:%Y-%m-%d}"
    if second or language != settings.LANGUAGE_CODE:
        name += "-" + "-".join(code for code in (language, second) if code)
    return Made(content=pdf, filename=f"{name}.pdf")


def _parts(total: int) -> int:
    """How many processes lay out a compact PDF of `total` pledges: one a core this process
    may use, each with PART_AT_LEAST pledges or more."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, total // PART_AT_LEAST))


def _reach(user) -> list[int] | None:
    """The committees whose pledges the report holds for `user` (None: every committee)."""
    ids = rules.visible_committee_ids(user)
    return None if ids is None else sorted(ids)


def report_params(params: QueryDict, user) -> dict:
    """What a PDF of the report is made of: the query (filters, grouping, sorting) in a
    canonical order, the languages, the day it is as of, and the committees it covers. Two
    people with the same reach asking for the same report get the same PDF."""
    original, second = report_languages(params)
    query = params.copy()
    for name in ("page", "original", "lang"):
        query.pop(name, None)
    pairs = sorted((name, value) for name, values in query.lists() for value in values)
    return {
        "query": urlencode(pairs),
        "original": original,
        "second": second or "",
        "today": timezone.localdate().isoformat(),
        "committees": _reach(user),
    }


def report_key(params: dict) -> str:
    encoded = json.dumps(params, sort_keys=True, separators=(",", ":"))
    return "implementation-report/" + hashlib.sha256(encoded.encode()).hexdigest()


def make_report(rendering: Rendering) -> Made:
    """On the worker: the PDF a rendering names, for the person who asked, as long as they
    still read what it covers."""
    params, user = rendering.params, rendering.requested_by
    if user is None or not user.is_active:
        raise NotNeeded(_("The person who asked for it can no longer sign in."))
    if _reach(user) != params["committees"]:
        raise NotNeeded(_("What this person may read changed since they asked: ask again."))
    original, second = params["original"], params["second"] or None
    query = QueryDict(_query_of(rendering), mutable=True)
    with translation.override(original):
        return render_report_pdf(query, user, original, second)


def _query_of(rendering: Rendering) -> str:
    """The report's address query for a rendering: its filters and its languages."""
    params = rendering.params
    query = QueryDict(params["query"], mutable=True)
    query["original"] = params["original"]
    if params["second"]:
        query["lang"] = params["second"]
    return query.urlencode()


@require_http_methods(["GET", "POST"])
def implementation_report_pdf(request: HttpRequest) -> HttpResponse:
    """POST (the report's button): the PDF of the report as filtered is asked of the worker,
    or one made a moment ago for the same report is reused; the person follows it on its
    page. GET (an old link): back to the report, whose button asks for it."""
    if request.method == "GET":
        query = request.GET.urlencode()
        return redirect(reverse("reports:implementation") + (f"?{query}" if query else ""))
    params = report_params(request.GET, request.user)
    rendering, queued = request_rendering(
        kind=REPORT,
        key=report_key(params),
        task=render_implementation_report,
        params=params,
        requested_by=request.user,
        fresh_after=timezone.now() - FRESH_FOR,
        again=request.POST.get("again") == "1",
    )
    logger.info("implementation report pdf asked rendering=%s queued=%s", rendering.pk, queued)
    return redirect("reports:implementation_pdf_status", pk=rendering.pk)


def _get_report_rendering_for_user(request: HttpRequest, pk) -> Rendering:
    """A PDF of the report, to whoever may read every committee it covers; 404 otherwise."""
    rendering = get_object_or_404(Rendering, pk=pk, kind=REPORT)
    if not rules.can_read_all_of(request.user, rendering.params.get("committees")):
        raise Http404
    return rendering


@require_GET
def implementation_report_pdf_status(request: HttpRequest, pk) -> HttpResponse:
    """How the making of the PDF goes; the file once it is ready."""
    rendering = _get_report_rendering_for_user(request, pk)
    names = dict(language_choices())
    response = render(
        request,
        "agreements/implementation_report_pdf.html",
        {
            "rendering": rendering,
            "as_of": datetime.date.fromisoformat(rendering.params["today"]),
            "query": _query_of(rendering),
            "languages": [
                names.get(code, code)
                for code in (rendering.params["original"], rendering.params["second"])
                if code
            ],
            "may_edit": rules.can_edit_records(request.user),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def implementation_report_pdf_progress(request: HttpRequest, pk) -> JsonResponse:
    """The same, for rendering.js."""
    response = JsonResponse(status_payload(_get_report_rendering_for_user(request, pk)))
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def implementation_report_pdf_file(request: HttpRequest, pk) -> HttpResponse:
    rendering = _get_report_rendering_for_user(request, pk)
    if not rendering.is_ready:
        return redirect("reports:implementation_pdf_status", pk=rendering.pk)
    return stored_pdf_response(
        request, rendering.file, sha256=rendering.sha256, filename=rendering.filename
    )
