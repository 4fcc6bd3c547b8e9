"""The file conventions of every download and of the admin import, once.

A download is a ``Table`` (a tablib ``Dataset`` whose columns also carry a
stable key, a width and a number format) written by one of the formats below,
which are django-import-export formats, so that the admin's import and export
use them too:

- CSV: UTF-8 with a byte order mark, separated by ``;`` (what Excel expects in
  Swedish locales). Text that a spreadsheet could run as a formula is made
  inert with an apostrophe, both at the start of a cell and after each ``,``,
  ``;``, tab or line break inside it, because a tool that splits the file on
  another separator sees a new cell there. The admin import removes exactly
  those apostrophes again, so an exported file reads back unchanged.
- XLSX: bold heading row, frozen and filtered; column widths; text is always a
  text cell (never a formula), numbers, dates and booleans are real cells; the
  characters a workbook cannot hold are left out.
- JSON: UTF-8, stable keys (the columns' keys, the same in every language).

File names go through ``content_disposition_header``, so that åäö survive.
Reading a file back (``plans.exports.reading``) is bounded before anything is
loaded.
"""

import csv
import datetime
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import openpyxl
import tablib
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from import_export.formats import base_formats
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from plans.exports.reading import (
    check_csv_size,
    csv_delimiter,
    read_workbook,
)
from plans.formatting import trimmed

CSV_DELIMITER = ";"
# What makes a spreadsheet read a cell as a formula (a tab or carriage return
# in front of one too).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Where a tool that splits lines on another separator than ours starts a cell.
CELL_SEPARATORS = ",;\t\r\n"

# A formula character, possibly behind spaces, quotes or apostrophes.
_FORMULA_AHEAD = re.compile(r"[ \"']*[=+\-@\t\r]")
_NEUTRALISED_FORMULA_AHEAD = re.compile(r"'[ \"']*[=+\-@\t\r]")

# What a workbook (XML 1.0) cannot hold: most control characters and the
# non-characters U+FFFE and U+FFFF. openpyxl refuses the first (the whole
# export fails) and writes the others into a file Excel cannot open.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

DATE_FORMAT = "yyyy-mm-dd"
SEK_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a download.

    ``heading`` is what CSV and XLSX show (translated); ``key`` is the stable
    name JSON uses. ``value`` reads the cell from an object. A ``percent``
    column holds a share (0–1): a percentage cell in XLSX, the number of
    percent (40, 33.3) in CSV and JSON. ``width`` is in characters; without
    one, the width follows the contents.
    """

    key: str
    heading: Any
    value: Callable | None = None
    width: int | None = None
    number_format: str = ""
    percent: bool = False


class Table(tablib.Dataset):
    """Rows under ``columns``: a tablib ``Dataset`` that knows its columns."""

    def __init__(self, columns, rows=(), title=""):
        self.columns = list(columns)
        super().__init__(
            headers=[str(column.heading) for column in self.columns],
            title=str(title),
        )
        for row in rows:
            self.append(list(row))

    @classmethod
    def of(cls, objects, columns, title=""):
        """One row per object, each cell read by its column's ``value``."""
        return cls(
            columns,
            ([column.value(obj) for column in columns] for obj in objects),
            title,
        )

    def records(self):
        """The rows as dictionaries under the columns' keys (for JSON)."""
        return [
            {
                column.key: _json_value(value, column)
                for column, value in zip(self.columns, row, strict=True)
            }
            for row in self
        ]


def columns_of(dataset):
    """The columns of a Table, or plain ones named after a Dataset's headers."""
    columns = getattr(dataset, "columns", None)
    if columns is not None:
        return columns
    return [Column(str(h or ""), str(h or "")) for h in dataset.headers or []]


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------


def _cell_starts(text):
    """The positions where a cell can start: 0 and after each separator."""
    return [0] + [i + 1 for i, c in enumerate(text) if c in CELL_SEPARATORS]


def inert(text):
    """CSV text that no spreadsheet runs as a formula, however it splits it.

    An apostrophe goes in front of a formula character (and of any spaces,
    quotes or apostrophes before it) at the start of the text and after each
    comma, semicolon, tab or line break, because a tool that splits at one of
    those sees a cell starting there. ``restored`` undoes it exactly.
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


def _percent_number(share):
    """A share (0–1) as a number of percent with at most one decimal."""
    if share is None:
        return None
    number = Decimal(share) * 100
    return trimmed(number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def csv_cell(value, column=None):
    """A value as the text of a CSV cell."""
    if column is not None and column.percent:
        value = _percent_number(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(trimmed(value))
    if isinstance(value, (int, float)):
        return str(value)
    return inert(str(value))


def _json_value(value, column):
    if column.percent:
        value = _percent_number(value)
    return value


def _json_default(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(trimmed(value))
    return str(value)  # lazy translations


def xlsx_text(value):
    """Text without the characters a workbook cannot hold."""
    return NOT_IN_XML.sub("", value)


def sheet_title(title):
    """A worksheet name: at most 31 characters, none of ``[]:*?/\\``."""
    title = xlsx_text(SHEET_TITLE_FORBIDDEN.sub("", str(title))).strip("'")[:31]
    return title or "Sheet"


def _xlsx_value(value, column):
    if isinstance(value, str):
        return xlsx_text(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _auto_width(heading, values):
    longest = max(
        (len(line) for v in values[:200] for line in str(v or "").splitlines()),
        default=0,
    )
    return min(max(len(heading), longest, 6) + 2, 60)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def csv_text(dataset):
    """The dataset as CSV text (without the byte order mark)."""
    columns = columns_of(dataset)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
    writer.writerow([inert(str(h or "")) for h in dataset.headers or []])
    for row in dataset:
        writer.writerow(
            [
                csv_cell(value, column)
                for column, value in zip(columns, row, strict=True)
            ]
        )
    return buffer.getvalue()


def json_text(data):
    """Any JSON-able data (dates and decimals as text), UTF-8, indented."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


def write_sheet(sheet, dataset):
    """Fill a worksheet with a dataset's heading row and rows."""
    columns = columns_of(dataset)
    headings = [str(h or "") for h in dataset.headers or []]
    bold = Font(bold=True)
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=index, value=xlsx_text(heading))
        cell.data_type = "s"
        cell.font = bold
    for row_number, row in enumerate(dataset, start=2):
        for index, (column, value) in enumerate(
            zip(columns, row, strict=True), start=1
        ):
            value = _xlsx_value(value, column)
            if value is None or value == "":
                continue  # an empty cell, not an empty text
            cell = sheet.cell(row=row_number, column=index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            elif isinstance(value, (datetime.date, datetime.datetime)):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, bool):
                pass
            elif column.percent:
                cell.number_format = PERCENT_FORMAT
            elif column.number_format:
                cell.number_format = column.number_format
    for index, (column, heading) in enumerate(
        zip(columns, headings, strict=True), start=1
    ):
        width = column.width or _auto_width(heading, dataset.get_col(index - 1))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if headings:
        sheet.auto_filter.ref = sheet.dimensions


def workbook_bytes(datasets):
    """A workbook with one worksheet per dataset, named after its title."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for dataset in datasets:
        write_sheet(workbook.create_sheet(sheet_title(dataset.title or "")), dataset)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Formats (django-import-export)
# ---------------------------------------------------------------------------


class CSV(base_formats.CSV):
    """CSV separated by ``;``; an import takes what the file uses (``;``, ``,``
    or tab) and restores the cells ``inert`` changed."""

    CONTENT_TYPE = "text/csv; charset=utf-8"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        delimiter = csv_delimiter(in_stream)
        check_csv_size(in_stream, delimiter)
        dataset = tablib.import_set(in_stream, format="csv", delimiter=delimiter)
        restored_dataset = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            restored_dataset.append(
                [restored(v) if isinstance(v, str) else v for v in row]
            )
        return restored_dataset

    def export_data(self, dataset, **kwargs):
        return csv_text(dataset)


class XLSX(base_formats.XLSX):
    """An Excel workbook; an import reads its first worksheet."""

    def create_dataset(self, in_stream):
        return read_workbook(in_stream)

    def export_data(self, dataset, **kwargs):
        return workbook_bytes([dataset])


class JSON(base_formats.JSON):
    """A list of objects under the columns' keys (downloads only)."""

    CONTENT_TYPE = "application/json"

    def export_data(self, dataset, **kwargs):
        return json_text(dataset.records() if isinstance(dataset, Table) else dataset)

    def can_import(self):
        return False


DOWNLOAD_FORMATS = {"xlsx": XLSX, "csv": CSV, "json": JSON}
# Shown in the browser rather than saved: what a program reads.
INLINE_FORMATS = {"json"}


def file_format(extension):
    """The format of a file extension (``KeyError`` if there is none)."""
    return DOWNLOAD_FORMATS[extension]()


def content(data, fmt):
    """The bytes of a Table (or of JSON-able data, for JSON) in a format.

    Text formats are UTF-8; CSV begins with a byte order mark, which Excel
    needs to read UTF-8.
    """
    text = fmt.export_data(data)
    if isinstance(text, bytes):
        return text
    if isinstance(fmt, CSV):
        return ("\ufeff" + text).encode("utf-8")
    return text.encode("utf-8")


# Characters no file name may hold on some system (and control characters).
NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def file_name(name):
    """A name any system can save: "Program/vision" becomes "Program-vision"."""
    return NOT_IN_FILE_NAMES.sub("-", str(name)).strip(" .") or "export"


def download(data, fmt, name):
    """An HTTP response with ``data`` as the file ``name`` in format ``fmt``.

    ``data`` is a Table, bytes already in the format, or (JSON) any JSON-able
    data; ``name`` is without the extension and may contain åäö.
    """
    body = data if isinstance(data, bytes) else content(data, fmt)
    extension = fmt.get_extension()
    response = HttpResponse(body, content_type=fmt.get_content_type())
    response["Content-Disposition"] = content_disposition_header(
        extension not in INLINE_FORMATS, f"{file_name(name)}.{extension}"
    )
    return response
