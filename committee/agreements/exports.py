"""CSV and XLSX exports of a pledge list, safe to open in a spreadsheet."""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from committee.agreements.models import Pledge

# A cell starting with one of these is a formula to a spreadsheet (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_value(value: object) -> object:
    """A spreadsheet cell refuses control characters (openpyxl raises): a title typed in the
    admin or an older note may hold one, so drop them rather than fail the export."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)


def pledge_rows(pledges: Iterable[Pledge], today: datetime.date) -> Iterator[list]:
    yield [
        _("Reference"),
        _("Title"),
        _("Committee"),
        _("Agreement"),
        _("Responsible party"),
        _("Lead organization"),
        _("Sector"),
        _("Due date"),
        _("Original due date"),
        _("Status"),
        _("Overdue"),
        _("Progress (%)"),
        _("Indicator"),
        _("Unit"),
        _("Baseline"),
        _("Target"),
        _("Latest value"),
        _("Last update"),
        _("Last update note"),
    ]
    for pledge in pledges:
        yield [
            pledge.reference,
            pledge.title,
            pledge.committee.short_name,
            str(pledge.agreement) if pledge.agreement_id else "",
            pledge.responsible_party.name if pledge.responsible_party_id else _("Joint"),
            pledge.lead_organization.name if pledge.lead_organization_id else "",
            pledge.sector.name,
            pledge.due_on,
            pledge.original_due_on,
            pledge.get_status_display(),
            _("yes") if pledge.is_overdue(today) else "",
            pledge.progress,
            pledge.indicator,
            pledge.indicator_unit,
            pledge.baseline_value,
            pledge.target_value,
            pledge.current_value,
            timezone.localtime(pledge.last_update_at).date() if pledge.last_update_at else None,
            pledge.latest_note or "",
        ]


def _filename(extension: str) -> str:
    return f"pledges-{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(pledges: Iterable[Pledge], today: datetime.date) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in pledge_rows(pledges, today):
        writer.writerow(["" if v is None else neutralise(str(v)) for v in row])
    # The byte-order mark makes spreadsheet programs read the file as UTF-8 (Dari, Kazakh…).
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(pledges: Iterable[Pledge], today: datetime.date) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Pledges"))
    for row in pledge_rows(pledges, today):
        sheet.append([xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
