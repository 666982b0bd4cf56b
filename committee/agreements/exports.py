"""CSV and XLSX exports of a pledge list, safe to open in a spreadsheet.

A committee's list runs to ten thousand pledges and more, so an export is read and written in
constant memory: the rows come from the database as plain values through a server-side cursor
(`iterator()`, never model instances, whose related objects cost more than the row), the CSV is
streamed to the client as it is written, and the XLSX is written row by row into a temporary
file that is then streamed. The query count is the same for ten pledges as for ten thousand.

Everything that depends on the request (the reader's language, the column headings, the words
for a status) is settled before the response is returned: a streamed body is written after the
view and its middleware are done.
"""

import csv
import datetime
import io
import re
import tempfile
from collections.abc import Iterable, Iterator

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from modeltranslation.utils import get_language, resolution_order

from committee.agreements.models import Pledge, PledgeQuerySet, past_due, pledge_reference

# A cell starting with one of these is a formula to a spreadsheet (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Rows read from the server-side cursor at a time, and written to the CSV per chunk sent.
CHUNK_SIZE = 2000
CSV_ROWS_PER_CHUNK = 500
# What XML 1.0 cannot hold, tab, line feed and carriage return aside.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Texts kept in every content language (committee/*/translation.py): read in the reader's
# language, else the next in modeltranslation's fallback order, as the model's attribute would.
TRANSLATED = (
    "title",
    "indicator",
    "indicator_unit",
    "agreement__title",
    "responsible_party__name",
    "lead_organization__name",
    "sector__name",
)
PLAIN = (
    "number",
    "committee__short_name",
    "agreement_id",
    "agreement__reference",
    "agenda_item__position",
    "agenda_item__meeting__number",
    "responsible_party_id",
    "due_on",
    "original_due_on",
    "status",
    "progress",
    "baseline_value",
    "target_value",
    "current_value",
    # PledgeQuerySet.with_latest_update()
    "latest_update_at",
    "latest_note",
)


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_text(value: str) -> str:
    """A text as a spreadsheet cell holds it: without control characters, which XML cannot
    carry (a title typed in the admin or an older note may hold one), and not as a formula."""
    return neutralise(CONTROL_CHARACTERS.sub("", value))


def headings() -> list[str]:
    return [
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


class PledgeRows:
    """The rows of an export: a heading row, then one row per pledge of `pledges` (a
    PledgeQuerySet, filtered, ordered and with_latest_update()), in the language active when
    it is made: everything that depends on the request is read here, since the rows are
    written after the view has returned."""

    def __init__(self, pledges: PledgeQuerySet, today: datetime.date):
        self.pledges = pledges
        self.today = today
        self.languages = resolution_order(get_language())
        self.headings = headings()
        self.statuses = {value: str(label) for value, label in Pledge.Status.choices}
        self.joint, self.yes = _("Joint"), _("yes")
        self.zone = timezone.get_current_timezone()

    def __iter__(self) -> Iterator[list]:
        yield self.headings
        columns = {path: [f"{path}_{code}" for code in self.languages] for path in TRANSLATED}
        fields = [*PLAIN, *(name for names in columns.values() for name in names)]
        rows = self.pledges.values(*fields).iterator(chunk_size=CHUNK_SIZE)
        statuses, zone, today = self.statuses, self.zone, self.today

        def text(row: dict, path: str) -> str:
            # The first language that has the text, as modeltranslation reads a field.
            for name in columns[path]:
                if value := row[name]:
                    return value
            return ""

        for row in rows:
            position = row["agenda_item__position"]
            agreement_reference = row["agreement__reference"]
            agreement_title = text(row, "agreement__title")
            latest = row["latest_update_at"]
            yield [
                pledge_reference(
                    row["number"],
                    agreement_reference=agreement_reference,
                    session=(row["agenda_item__meeting__number"], position)
                    if position is not None
                    else None,
                ),
                text(row, "title"),
                row["committee__short_name"],
                # str(agreement)
                ""
                if row["agreement_id"] is None
                else f"{agreement_reference} {agreement_title}"
                if agreement_reference
                else agreement_title,
                text(row, "responsible_party__name")
                if row["responsible_party_id"] is not None
                else self.joint,
                text(row, "lead_organization__name"),
                text(row, "sector__name"),
                row["due_on"],
                row["original_due_on"],
                statuses.get(row["status"], row["status"]),
                self.yes if past_due(row["due_on"], row["status"], today) else "",
                row["progress"],
                text(row, "indicator"),
                text(row, "indicator_unit"),
                row["baseline_value"],
                row["target_value"],
                row["current_value"],
                latest.astimezone(zone).date() if latest else None,
                row["latest_note"] or "",
            ]


def _filename(extension: str) -> str:
    return f"pledges-{timezone.localdate():%Y-%m-%d}.{extension}"


def _csv_chunks(rows: Iterable[list]) -> Iterator[bytes]:
    # The byte-order mark makes spreadsheet programs read the file as UTF-8 (Dari, Kazakh…).
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for count, row in enumerate(rows, start=1):
        writer.writerow(["" if v is None else neutralise(str(v)) for v in row])
        if count % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def csv_response(pledges: PledgeQuerySet, today: datetime.date) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_chunks(PledgeRows(pledges, today)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, _filename("csv"))
    return response


def xlsx_response(pledges: PledgeQuerySet, today: datetime.date) -> FileResponse:
    """Written by XlsxWriter in its constant-memory mode (each row leaves memory once the next
    begins) into a temporary file, then streamed from it; the file goes when the response is
    closed. Texts stay texts: nothing is read as a formula, a link or a number."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the response)
    workbook = xlsxwriter.Workbook(
        file,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    sheet = workbook.add_worksheet(_("Pledges"))
    # Each value by its type, without XlsxWriter's guessing from the text.
    write_text, write_number, write_date = (
        sheet.write_string,
        sheet.write_number,
        sheet.write_datetime,
    )
    for number, row in enumerate(PledgeRows(pledges, today)):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue  # an empty cell is left out (half the cells of a row, often)
            if isinstance(value, str):
                write_text(number, column, xlsx_text(value))
            elif isinstance(value, datetime.date):
                write_date(number, column, value)
            else:
                write_number(number, column, value)
    workbook.close()
    file.seek(0)
    return FileResponse(
        file, as_attachment=True, filename=_filename("xlsx"), content_type=XLSX_CONTENT_TYPE
    )
