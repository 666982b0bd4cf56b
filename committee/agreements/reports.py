"""The implementation matrix: every pledge the user may read, with its owner, lead organization,
deadline, status, progress and latest update, grouped by agreement (pledges arising from a
session under that session) or by sector — on screen, in print and as a PDF.

The tracker's filters apply (PledgeFilter, same parameters), so the report holds exactly the
pledges the tracker lists for the same query. It is written in the reader's language, or in
any content language asked for (?original=), optionally with a second language beside
(?lang=): every heading then carries both, and each pledge's title stands in both, a title
missing in a language shown in English, marked untranslated.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from committee.agreements.filters import PledgeFilter
from committee.agreements.models import DueWindow, Pledge
from committee.core.pdf import PDFRenderError, pdf_unavailable_response, render_pdf
from committee.core.translations import chosen_languages, is_rtl, language_choices, text_in

logger = logging.getLogger(__name__)

GROUPINGS = [
    ("agreement", gettext_lazy("Agreement or session")),
    ("sector", gettext_lazy("Sector")),
]
# The columns, named when the report is rendered, in each of its languages.
COLUMNS = [
    ("ref", gettext_lazy("Ref.")),
    ("pledge", gettext_lazy("Pledge")),
    ("party", gettext_lazy("Responsible")),
    ("organization", gettext_lazy("Lead organization")),
    ("sector", gettext_lazy("Sector")),
    ("date", gettext_lazy("Due")),
    ("status", gettext_lazy("Status")),
    ("number", gettext_lazy("Progress")),
    ("date", gettext_lazy("Latest update")),
]
SOURCE_COLUMN = gettext_lazy("Source")
# Without a sort order chosen, pledges keep the order of their agreement or agenda.
DEFAULT_ORDER = ("agreement__reference", "agenda_item__position", "number", "pk")


@dataclass
class Group:
    title: str
    subtitle: str
    pledges: list


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


def group_pledges(pledges, grouping: str) -> list[Group]:
    """Groups in a stable order; inside each, the pledges keep the query's order."""
    key_of = _by_sector if grouping == "sector" else _by_agreement
    groups: dict[tuple, Group] = {}
    for pledge in pledges:
        key, title, subtitle = key_of(pledge)
        groups.setdefault(key, Group(title, subtitle, [])).pledges.append(pledge)
    return [groups[key] for key in sorted(groups)]


def _active_filters(pledge_filter) -> list[tuple[str, str]]:
    """What the report was filtered by, in words, for the printed copy."""
    if not pledge_filter.is_bound or not pledge_filter.form.is_valid():
        return []
    statuses = dict(Pledge.Status.choices)
    windows = dict(DueWindow.choices)
    described = []
    for name, value in pledge_filter.form.cleaned_data.items():
        if value in (None, "", [], ()) or name == "ordering":
            continue
        label = str(pledge_filter.form.fields[name].label)
        if name == "status":
            value = ", ".join(str(statuses.get(v, v)) for v in value)
        elif name == "due":
            value = windows.get(value, value)
        described.append((label, str(value)))
    return described


def report_languages(request: HttpRequest) -> tuple[str, str | None]:
    """The language the report is written in (the reader's unless asked), and the one beside
    it (or None)."""
    return chosen_languages(
        request.GET.get("original"), request.GET.get("lang"), translation.get_language()
    )


def _report_context(request: HttpRequest) -> dict:
    original, second = report_languages(request)
    grouping = request.GET.get("group")
    grouping = grouping if grouping in dict(GROUPINGS) else "agreement"
    pledges = Pledge.objects.visible_to(request.user).for_listing().order_by(*DEFAULT_ORDER)
    pledge_filter = PledgeFilter(request.GET or None, queryset=pledges, user=request.user)
    listed = list(pledge_filter.qs)
    for pledge in listed:
        pledge.titles = [
            text_in(pledge, "title", code) for code in filter(None, (original, second))
        ]
    today = pledge_filter.today
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": pledge_filter,
        "groups": group_pledges(listed, grouping),
        "grouping": grouping,
        "groupings": GROUPINGS,
        "total": len(listed),
        "overdue": sum(1 for pledge in listed if pledge.is_overdue(today)),
        "completed": sum(1 for pledge in listed if pledge.status == Pledge.Status.COMPLETED),
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
    original, _second = report_languages(request)
    with translation.override(original):
        return render(
            request,
            "agreements/implementation_report.html",
            {**_report_context(request), "layout": "base.html"},
        )


@require_GET
def implementation_report_pdf(request: HttpRequest) -> HttpResponse:
    original, second = report_languages(request)
    with translation.override(original):
        return _report_pdf(request, original, second)


def _report_pdf(request: HttpRequest, language: str, second: str | None) -> HttpResponse:
    context = _report_context(request)
    html = render_to_string(
        "agreements/implementation_report.html",
        {
            **context,
            "layout": "print_base.html",
            "for_pdf": True,
            "document_lang": language,
            "document_dir": "rtl" if translation.get_language_bidi() else "ltr",
        },
        request=request,
    )
    title = _("Implementation matrix")
    try:
        pdf = render_pdf(
            html,
            title=f"{title}, {context['today']:%Y-%m-%d}",
            authors=[_("Joint Committee Portal")],
            subject=_("%(count)s pledges with owner, deadline, status and progress")
            % {"count": context["total"]},
            keywords=[_("implementation"), _("pledges")],
            created=context["generated_at"],
            lang=language,
        )
    except PDFRenderError:
        logger.exception("implementation report pdf failed")
        return pdf_unavailable_response()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"implementation-report-{context['today']:%Y-%m-%d}"
    if second or language != settings.LANGUAGE_CODE:
        name += "-" + "-".join(code for code in (language, second) if code)
    response["Content-Disposition"] = content_disposition_header(False, f"{name}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
