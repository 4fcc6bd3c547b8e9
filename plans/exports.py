"""Action items as CSV, XLSX and JSON: the browser's export and the open data.

One list of columns serves all three formats. CSV and XLSX carry translated
headings (the eight columns of a Söderort-style table among them); JSON uses
stable English keys, so programs can rely on them in any language.

CSV is UTF-8 with a byte order mark and semicolon-separated, which is what
Excel expects in Swedish locales. Cells that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-`` or ``@``) are prefixed with an
apostrophe in CSV; XLSX stores every text as a string, so nothing is changed.
"""

import csv
import datetime
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from flemingsberg.permissions import sees_internal

CSV_DELIMITER = ";"
# What makes a spreadsheet read a cell as a formula (a tab or carriage return
# in front of one too).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Where a tool that splits a line on another separator than ours (a comma,
# a tab, a line break) starts a cell of its own.
CELL_SEPARATORS = ",;\t\r\n"
# A formula character, possibly behind spaces, quotes or apostrophes.
_FORMULA_AHEAD = re.compile(r"[ \"']*[=+\-@\t\r]")
_NEUTRALISED_FORMULA_AHEAD = re.compile(r"'[ \"']*[=+\-@\t\r]")


def _cell_starts(text):
    """The positions where a cell can start: 0 and after each separator."""
    return [0] + [i + 1 for i, c in enumerate(text) if c in CELL_SEPARATORS]


def inert(text):
    """CSV text that no spreadsheet runs as a formula, however it splits it.

    An apostrophe goes in front of a formula character at the start of the
    text and after each comma, semicolon, tab or line break, because a tool
    that splits on one of those sees a cell starting there. ``restored``
    undoes it exactly, so an import reads back what an export wrote.
    """
    parts, start = [], 0
    for position in _cell_starts(text):
        if _FORMULA_AHEAD.match(text, position):
            parts += [text[start:position], "'"]
            start = position
    return "".join([*parts, text[start:]]) if parts else text


def restored(text):
    """The text ``inert`` was given: its apostrophes taken out again."""
    parts, start = [], 0
    for position in _cell_starts(text):
        if _NEUTRALISED_FORMULA_AHEAD.match(text, position):
            parts.append(text[start:position])
            start = position + 1
    return "".join([*parts, text[start:]]) if parts else text


@dataclass(frozen=True)
class ExportColumn:
    key: str
    heading: Any
    value: Callable
    width: int = 20


def _field_heading(name):
    from plans.models import ActionItem

    return capfirst(ActionItem._meta.get_field(name).verbose_name)


def _columns(request):
    """The exported columns; internal ones only for users who see internal data."""

    internal = sees_internal(request.user)

    def url(item):
        return request.build_absolute_uri(item.get_absolute_url())

    def refers_to(item):
        """The code of the item a row refers to, if the visitor may see it (a
        public row of a published plan can refer to an internal one)."""
        target = item.see_above
        if target is None:
            return ""
        if internal or (target.is_public and target.plan.is_published):
            return target.code
        return ""

    columns = [
        ExportColumn("code", _("Code"), lambda i: i.code, 8),
        ExportColumn("plan", _("Plan"), lambda i: i.plan.title, 30),
        ExportColumn("plan_slug", _("Plan (identifier)"), lambda i: i.plan.slug, 20),
        ExportColumn(
            "focus_area",
            _("Focus area"),
            lambda i: i.focus_area.title if i.focus_area else "",
            30,
        ),
        ExportColumn(
            "strategy",
            _("Strategy"),
            lambda i: i.strategy.title if i.strategy else "",
            30,
        ),
        # The eight columns of a Söderort-style action table, in their order.
        ExportColumn("title", _field_heading("title"), lambda i: i.title, 40),
        ExportColumn(
            "assignment", _field_heading("assignment"), lambda i: i.assignment, 50
        ),
        ExportColumn(
            "commissioned_by",
            _field_heading("commissioned_by"),
            lambda i: i.commissioned_by,
            30,
        ),
        ExportColumn(
            "expected_result",
            _field_heading("expected_result"),
            lambda i: i.expected_result,
            50,
        ),
        ExportColumn("schedule", _field_heading("schedule"), lambda i: i.schedule, 30),
        ExportColumn(
            "responsible_body",
            _field_heading("responsible_body"),
            lambda i: i.responsible_body,
            30,
        ),
        ExportColumn(
            "responsible_officer",
            _field_heading("responsible_officer"),
            lambda i: i.responsible_officer,
            25,
        ),
        ExportColumn(
            "coordinator", _field_heading("coordinator"), lambda i: i.coordinator, 25
        ),
        # Follow-up.
        ExportColumn("status", _("Status"), lambda i: i.status, 12),
        ExportColumn(
            "status_label", _("Status (text)"), lambda i: i.get_status_display(), 14
        ),
        ExportColumn("progress", _("Progress (%)"), lambda i: i.progress, 10),
        ExportColumn(
            "progress_note",
            _field_heading("progress_note"),
            lambda i: i.progress_note,
            30,
        ),
        ExportColumn("start_date", _("Start date"), lambda i: i.start_date, 12),
        ExportColumn("due_date", _("Due date"), lambda i: i.due_date, 12),
        ExportColumn("area", _("Area or place"), lambda i: i.area, 20),
        ExportColumn(
            "responsible_organisation",
            _("Responsible organisation"),
            lambda i: (
                i.responsible_organisation.name if i.responsible_organisation else ""
            ),
            30,
        ),
        ExportColumn(
            "refers_to",
            _("Refers to (code)"),
            refers_to,
            10,
        ),
        ExportColumn("url", _("Web address"), url, 45),
    ]
    if internal:
        columns += [
            ExportColumn("is_public", _("Public"), lambda i: i.is_public, 8),
            ExportColumn(
                "internal_note", _("Internal note"), lambda i: i.internal_note, 40
            ),
        ]
    return columns


def export_queryset(items):
    """The items with everything the columns read, in one query.

    ``defer(None)`` loads every column, also of a QuerySet narrowed with
    ``only()`` for a page (the action browser's).
    """
    return items.defer(None).select_related(
        "plan", "focus_area", "strategy", "responsible_organisation", "see_above__plan"
    )


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return inert(value)
    return value


def write_csv(items, columns):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
    writer.writerow([inert(str(column.heading)) for column in columns])
    for item in items:
        writer.writerow([_csv_cell(column.value(item)) for column in columns])
    return buffer.getvalue().encode("utf-8")


# What a workbook (XML 1.0) cannot hold: most control characters and the
# non-characters U+FFFE and U+FFFF.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xlsx_text(value):
    """Text without the characters a workbook cannot hold: openpyxl refused
    the whole export for a control character (a server error), and wrote one
    that Excel cannot open for U+FFFE or U+FFFF."""
    return NOT_IN_XML.sub("", value)


def write_xlsx(items, columns, sheet_title):
    workbook = Workbook()
    sheet = workbook.active
    # Sheet names: at most 31 characters, none of []:*?/\
    sheet.title = xlsx_text(
        "".join(c for c in str(sheet_title) if c not in "[]:*?/\\")[:31]
    )
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.heading))
        cell.font = bold
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for row, item in enumerate(items, start=2):
        for index, column in enumerate(columns, start=1):
            value = column.value(item)
            if isinstance(value, str):
                value = xlsx_text(value)
            cell = sheet.cell(row=row, column=index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def write_json(items, columns):
    rows = [
        {column.key: _json_value(column.value(item)) for column in columns}
        for item in items
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")


FORMATS = {
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        True,
    ),
    "csv": ("text/csv; charset=utf-8", True),
    "json": ("application/json", False),
}


def export_response(items, export_format, request, filename, sheet_title=""):
    """An HTTP response with the items in the format; the name may contain åäö."""
    content_type, as_attachment = FORMATS[export_format]
    columns = _columns(request)
    items = export_queryset(items)
    if export_format == "csv":
        content = write_csv(items, columns)
    elif export_format == "xlsx":
        content = write_xlsx(items, columns, sheet_title or filename)
    else:
        content = write_json(items, columns)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment, f"{filename}.{export_format}"
    )
    return response
