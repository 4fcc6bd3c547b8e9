"""Reading an imported file back, bounded before anything is loaded.

The upload itself is capped by ``settings.UPLOAD_MAX_BYTES`` (see
``flemingsberg.uploads``). Then a workbook's declared unpacked size, and the
rows and columns of any file, are checked before the rows are kept; every
refusal is a ``ValidationError`` that names the row or column and states the
limits.
"""

import csv
import io
import zipfile

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

# At most this many rows (the bundled plans have 5 to 21 items; a preview
# takes ~20 ms a row) and columns, and a workbook that unpacks to at most this
# many bytes.
MAX_IMPORT_ROWS = 1_000
MAX_IMPORT_COLUMNS = 50
MAX_IMPORT_UNPACKED_BYTES = 25 * 1024 * 1024
EXCEL_MAX_ROWS = 1_048_576
CSV_DELIMITERS = (";", ",", "\t")


class ImportFileTooLarge(ValueError):
    """A file over the import limits; the message says which and what they are."""


def limits_text():
    return _(
        "At most %(rows)s rows and %(columns)s columns can be imported; split "
        "the file into several."
    ) % {
        "rows": formats.number_format(MAX_IMPORT_ROWS, force_grouping=True),
        "columns": MAX_IMPORT_COLUMNS,
    }


def _too_many_rows():
    return ImportFileTooLarge(
        _("The file has more than %(rows)s rows below the heading row.")
        % {"rows": formats.number_format(MAX_IMPORT_ROWS, force_grouping=True)}
        + " "
        + limits_text()
    )


def _too_many_columns(row=None):
    if row is None:
        message = _("The file has more than %(columns)s columns.")
    else:
        message = _("Row %(row)s has more than %(columns)s columns.")
    return ImportFileTooLarge(
        message % {"row": row, "columns": MAX_IMPORT_COLUMNS} + " " + limits_text()
    )


def csv_delimiter(text):
    """The separator a CSV file uses: the one its first line has most of."""
    first_line = text.split("\n", 1)[0]
    return max(CSV_DELIMITERS, key=first_line.count)


def check_csv_size(text, delimiter):
    """Count the rows and columns of CSV text, up to the limits, keeping none."""
    rows = 0
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter)):
        if len(row) > MAX_IMPORT_COLUMNS:
            raise _too_many_columns(number + 1)
        if row:
            rows += 1
            if rows > MAX_IMPORT_ROWS + 1:
                raise _too_many_rows()


def check_archive(data):
    """Refuse a workbook whose parts declare more unpacked bytes than allowed.

    Python's zipfile never unpacks more of an entry than it declares (it
    stops there, and the checksum fails), so the declared sizes bound the
    memory and time it takes to read the workbook.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not an archive: reading it says so
    if unpacked > MAX_IMPORT_UNPACKED_BYTES:
        raise ImportFileTooLarge(
            _(
                "The workbook unpacks to %(size)s MB; at most %(limit)s MB can be "
                "imported."
            )
            % {
                "size": formats.number_format(unpacked / 1024 / 1024, 1),
                "limit": MAX_IMPORT_UNPACKED_BYTES // 1024 // 1024,
            }
            + " "
            + limits_text()
        )


def read_workbook(data):
    """The first worksheet of a workbook as a Dataset, within the limits.

    A few bytes can place a cell in column XFD or a row at number 1 048 576,
    and openpyxl fills in the gaps: columns are read only to one past the
    limit, and rows only while there are no more than the limit with values.
    """
    check_archive(data)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.active
        if (sheet.max_column or 0) > MAX_IMPORT_COLUMNS:
            raise _too_many_columns()
        kept = []
        rows = sheet.iter_rows(
            max_row=EXCEL_MAX_ROWS, max_col=MAX_IMPORT_COLUMNS + 1, values_only=True
        )
        for number, row in enumerate(rows, start=1):
            if kept and row.count(None) == len(row):
                continue  # an empty or emptied row
            if row[-1] is not None:
                raise _too_many_columns(number)
            if len(kept) > MAX_IMPORT_ROWS:
                raise _too_many_rows()
            kept.append(row[:-1])
    finally:
        book.close()
    if not kept:
        raise StopIteration  # an empty workbook
    width = max(
        (i + 1 for row in kept for i, value in enumerate(row) if value is not None),
        default=0,
    )
    dataset = tablib.Dataset(headers=list(kept[0][:width]))
    for row in kept[1:]:
        dataset.append(list(row[:width]))
    return dataset


def read_import_file(format_class, resource_class, data):
    """The dataset in ``data`` (the bytes of a file in ``format_class``), or a
    ValidationError naming the row or column: the file is over the limits,
    empty, not UTF-8 (CSV), not a workbook (XLSX), or its heading row is not
    the resource's."""
    if format_class().is_binary():
        dataset = _read_workbook(format_class, data)
    else:
        dataset = _read_text(format_class, data)
    problems = resource_class().heading_problems(dataset.headers)
    if problems:
        raise ValidationError([ValidationError(p) for p in problems])
    if not dataset.height:
        raise ValidationError(
            _("The file has no rows below the heading row: nothing to import.")
        )
    return dataset


def _read_text(format_class, data):
    if not data.strip():
        raise ValidationError(_("The file is empty."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ValidationError(
            _(
                "Row %(row)s, character %(column)s: the file is not in UTF-8. "
                "Save it from Excel as “CSV UTF-8 (comma delimited)” and try again."
            )
            % {"row": line, "column": column}
        ) from None
    try:
        return format_class(encoding="utf-8-sig").create_dataset(text)
    except ImportFileTooLarge as error:
        raise ValidationError(str(error)) from None
    except Exception as error:
        raise ValidationError(
            _("The file could not be read as CSV: %(error)s") % {"error": error}
        ) from None


def _read_workbook(format_class, data):
    try:
        return format_class().create_dataset(data)
    except StopIteration:
        raise ValidationError(_("The file is empty.")) from None
    except ImportFileTooLarge as error:
        raise ValidationError(str(error)) from None
    except Exception:
        raise ValidationError(
            _(
                "The file is not an Excel workbook (XLSX). Choose the format "
                "that matches the file."
            )
        ) from None
