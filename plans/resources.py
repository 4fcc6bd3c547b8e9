"""The action-item file format of the back office: export and import (XLSX, CSV).

One row per action item: code, plan identifier (slug), focus-area code, the eight
columns of a Söderort-style action table, the responsible organisation, status,
progress, start and due dates and the public flag. Headings follow the language of
the admin; an import accepts the headings in Swedish or English. Rows are matched
by plan and code; unchanged rows are skipped, so importing an export unchanged
writes nothing. Values are checked per cell, with a message naming the column.

CSV is UTF-8 (with a byte order mark on export) and semicolon-separated, which is
what Excel expects in Swedish locales; an import also accepts commas. Text that a
spreadsheet would run as a formula stays text in both formats (see CSV, XLSX).
"""

import csv
import datetime
import io
import re
import zipfile

import openpyxl
import tablib
from django.conf import settings
from django.db.models import Max
from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from plans.exports import inert, restored, xlsx_text
from plans.models import ActionItem, FocusArea, Plan
from stakeholders.models import Organisation

# ---------------------------------------------------------------------------
# Reading a file: bounded before anything is loaded
# ---------------------------------------------------------------------------

MAX_IMPORT_ROWS = 1_000
MAX_IMPORT_COLUMNS = 50
MAX_IMPORT_UNPACKED_BYTES = 25 * 1024 * 1024
EXCEL_MAX_ROWS = 1_048_576


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
    return max(CSV.DELIMITERS, key=first_line.count)


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


# ---------------------------------------------------------------------------
# File formats
# ---------------------------------------------------------------------------


class CSV(base_formats.CSV):
    """CSV separated by semicolons on export; on import, by what the file uses.

    Text that a spreadsheet would run as a formula is exported with an
    apostrophe in front of it (``plans.exports.inert``), which an import
    removes again: the file is safe to open and the round trip is exact.
    """

    DELIMITERS = (";", ",", "\t")

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes) and self.encoding:
            in_stream = in_stream.decode(self.encoding)
        delimiter = csv_delimiter(in_stream)
        check_csv_size(in_stream, delimiter)
        dataset = tablib.import_set(in_stream, format="csv", delimiter=delimiter)
        return _map_cells(dataset, _unquoted)

    def export_data(self, dataset, **kwargs):
        return _map_cells(dataset, _quoted).export("csv", delimiter=";", **kwargs)


class XLSX(base_formats.XLSX):
    """Excel workbook, first sheet. Text is always a text cell, never a
    formula, and is exported as it is (django-import-export would drop a
    leading "=" instead). An import reads the first worksheet, within the
    limits (``read_workbook``)."""

    def create_dataset(self, in_stream):
        return read_workbook(in_stream)

    def export_data(self, dataset, **kwargs):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        bold = Font(bold=True)
        for index, heading in enumerate(dataset.headers or [], start=1):
            sheet.cell(row=1, column=index, value=str(heading)).font = bold
        for row_number, row in enumerate(dataset, start=2):
            for index, value in enumerate(row, start=1):
                if isinstance(value, str):
                    value = xlsx_text(value)
                cell = sheet.cell(row=row_number, column=index, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _quoted(value):
    return inert(value) if isinstance(value, str) else value


def _unquoted(value):
    return restored(value) if isinstance(value, str) else value


def _map_cells(dataset, function):
    mapped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        mapped.append([function(value) for value in row])
    return mapped


FORMATS = [XLSX, CSV]

# ---------------------------------------------------------------------------
# Cell conversions (widgets): a ValueError becomes a message for the cell
# ---------------------------------------------------------------------------

YES_WORDS = {"ja", "yes", "j", "y", "x", "true", "sant", "1"}
NO_WORDS = {"nej", "no", "n", "false", "falskt", "0"}


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class PlanWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Plan, field="slug")

    def clean(self, value, row=None, **kwargs):
        slug = _text(value)
        if not slug:
            raise ValueError(_("Enter the plan's identifier, e.g. “soderort-2030”."))
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            raise ValueError(_("Unknown plan “%(value)s”.") % {"value": slug})
        return plan


class FocusAreaWidget(widgets.ForeignKeyWidget):
    """A focus area by its code within the row's plan."""

    plan_column = None

    def __init__(self):
        super().__init__(FocusArea, field="code")

    def clean(self, value, row=None, **kwargs):
        code = _text(value)
        if not code:
            return None
        slug = _text((row or {}).get(self.plan_column))
        area = FocusArea.objects.filter(plan__slug=slug, code=code).first()
        if area is None and not Plan.objects.filter(slug=slug).exists():
            return None  # the unknown plan is reported in its own column
        if area is None:
            raise ValueError(
                _("Unknown focus area “%(value)s” in plan “%(plan)s”.")
                % {"value": code, "plan": slug}
            )
        return area


class OrganisationWidget(widgets.ForeignKeyWidget):
    """An organisation by its name or short name."""

    def __init__(self):
        super().__init__(Organisation, field="name")

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            return None
        organisation = (
            Organisation.objects.filter(name__iexact=name).first()
            or Organisation.objects.filter(short_name__iexact=name).first()
        )
        if organisation is None:
            raise ValueError(
                _(
                    "Unknown organisation “%(value)s”. Use the name or the short "
                    "name of an organisation in the admin."
                )
                % {"value": name}
            )
        return organisation


class StatusWidget(widgets.Widget):
    """Status by its name in Swedish or English (or its code)."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value).casefold()
        if not text:
            raise ValueError(
                _("Enter a status: %(choices)s.") % {"choices": _status_names()}
            )
        for code, label in ActionItem.Status.choices:
            names = {code.casefold()}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    names.add(str(label).casefold())
            if text in names:
                return code
        raise ValueError(
            _("Unknown status “%(value)s”. Use one of: %(choices)s.")
            % {"value": _text(value), "choices": _status_names()}
        )

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return str(ActionItem.Status(value).label)


def _status_names():
    return ", ".join(str(label) for _code, label in ActionItem.Status.choices)


class ProgressWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value).rstrip("%").strip()
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(
                _(
                    "Enter the progress as a whole number from 0 to 100, "
                    "not “%(value)s”."
                )
                % {"value": _text(value)}
            )
        progress = int(text)
        if not 0 <= progress <= 100:
            raise ValueError(_("Progress must be between 0 and 100."))
        return progress

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IsoDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                _(
                    "“%(value)s” is not a date. Write dates as YYYY-MM-DD, "
                    "e.g. 2026-03-31."
                )
                % {"value": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _text(value).casefold()
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
        raise ValueError(
            _("Write “%(yes)s” or “%(no)s”, not “%(value)s”.")
            % {"yes": _("yes"), "no": _("no"), "value": _text(value)}
        )

    def render(self, value, obj=None, **kwargs):
        return _("yes") if value else _("no")


# ---------------------------------------------------------------------------
# The resource
# ---------------------------------------------------------------------------

TEXT_COLUMNS = [
    "title",
    "assignment",
    "commissioned_by",
    "expected_result",
    "schedule",
    "responsible_body",
    "responsible_officer",
    "coordinator",
]


def _text_field(name):
    return fields.Field(
        attribute=name,
        column_name=ActionItem._meta.get_field(name).verbose_name,
        widget=widgets.CharWidget(),
    )


class ActionItemResource(resources.ModelResource):
    """Action items of one or more plans, one row each."""

    code = fields.Field(
        attribute="code", column_name=gettext_lazy("Code"), widget=widgets.CharWidget()
    )
    plan = fields.Field(
        attribute="plan",
        column_name=gettext_lazy("Plan (identifier)"),
        widget=PlanWidget(),
    )
    focus_area = fields.Field(
        attribute="focus_area",
        column_name=gettext_lazy("Focus area (code)"),
        widget=FocusAreaWidget(),
    )
    title = _text_field("title")
    assignment = _text_field("assignment")
    commissioned_by = _text_field("commissioned_by")
    expected_result = _text_field("expected_result")
    schedule = _text_field("schedule")
    responsible_body = _text_field("responsible_body")
    responsible_officer = _text_field("responsible_officer")
    coordinator = _text_field("coordinator")
    responsible_organisation = fields.Field(
        attribute="responsible_organisation",
        column_name=ActionItem._meta.get_field("responsible_organisation").verbose_name,
        widget=OrganisationWidget(),
    )
    status = fields.Field(
        attribute="status",
        column_name=ActionItem._meta.get_field("status").verbose_name,
        widget=StatusWidget(),
    )
    progress = fields.Field(
        attribute="progress",
        column_name=ActionItem._meta.get_field("progress").verbose_name,
        widget=ProgressWidget(),
    )
    start_date = fields.Field(
        attribute="start_date",
        column_name=ActionItem._meta.get_field("start_date").verbose_name,
        widget=IsoDateWidget(),
    )
    due_date = fields.Field(
        attribute="due_date",
        column_name=ActionItem._meta.get_field("due_date").verbose_name,
        widget=IsoDateWidget(),
    )
    is_public = fields.Field(
        attribute="is_public",
        column_name=ActionItem._meta.get_field("is_public").verbose_name,
        widget=YesNoWidget(),
    )

    class Meta:
        model = ActionItem
        name = gettext_lazy("Action items")
        fields = (
            "code",
            "plan",
            "focus_area",
            *TEXT_COLUMNS,
            "responsible_organisation",
            "status",
            "progress",
            "start_date",
            "due_date",
            "is_public",
        )
        export_order = fields
        import_id_fields = ("plan", "code")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Headings in the language of this request, as plain strings.
        for field in self.fields.values():
            field.column_name = str(capfirst(field.column_name))
        self.fields["focus_area"].widget.plan_column = self.fields["plan"].column_name

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.name)

    # -- headings ------------------------------------------------------------

    def headings(self):
        return [self.fields[name].column_name for name in self._meta.fields]

    def heading_aliases(self):
        """Every accepted spelling of each heading → the field name."""
        aliases = {}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for name, field in type(self).fields.items():
                    aliases[str(capfirst(field.column_name)).casefold()] = name
        for name in self._meta.fields:
            aliases[name.casefold()] = name
        return aliases

    def heading_problems(self, headers):
        """What is wrong with a file's heading row, as messages naming columns."""
        aliases = self.heading_aliases()
        problems, seen = [], {}
        for index, header in enumerate(headers or [], start=1):
            text = _text(header)
            if not text:
                continue
            letter = get_column_letter(index)
            name = aliases.get(text.casefold())
            if name is None:
                problems.append(
                    _("Column %(letter)s, “%(heading)s”: not a column of this format.")
                    % {"letter": letter, "heading": text}
                )
            elif name in seen:
                problems.append(
                    _("Column %(letter)s, “%(heading)s”: the column appears twice.")
                    % {"letter": letter, "heading": text}
                )
            else:
                seen[name] = letter
        for name in self._meta.fields:
            if name not in seen:
                problems.append(
                    _("The column “%(heading)s” is missing.")
                    % {"heading": self.fields[name].column_name}
                )
        return problems

    def before_import(self, dataset, **kwargs):
        """Rename the headings to this request's language."""
        aliases = self.heading_aliases()
        renamed = []
        for header in dataset.headers or []:
            name = aliases.get(_text(header).casefold())
            renamed.append(self.fields[name].column_name if name else header)
        dataset.headers = renamed

    # -- rows ----------------------------------------------------------------

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # An unknown plan: reported for its cell by import_instance().
            return None

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None and not instance.order:
            last = ActionItem.objects.filter(plan=instance.plan).aggregate(
                last=Max("order")
            )["last"]
            instance.order = (last or 0) + 1

    def export_for_plan(self, plan, file_format):
        """The bytes or text of a plan's action items in a format."""
        queryset = ActionItem.objects.for_plan(plan).select_related(
            "plan", "focus_area", "responsible_organisation"
        )
        return file_format.export_data(self.export(queryset))

    def template(self, file_format):
        """An empty file with the heading row: the template for an import."""
        return file_format.export_data(tablib.Dataset(headers=self.headings()))


def import_report(result):
    """The import preview in the admin's words: counts of new, changed and
    unchanged rows, the changed cells of each row, and every problem by row
    and column. Row numbers are the spreadsheet's (the heading row is row 1)."""
    headers = [str(h) for h in result.diff_headers]
    resource_fields = ActionItemResource().fields
    column_of = {name: f.column_name for name, f in resource_fields.items()}

    def letter_of(column):
        return get_column_letter(headers.index(column) + 1) if column in headers else ""

    problems = [
        {"row": None, "column": "", "letter": "", "message": str(error.error)}
        for error in result.base_errors
    ]
    for row in result.invalid_rows:
        for field, field_messages in row.error_dict.items():
            column = column_of.get(field, "")
            for message in field_messages:
                problems.append(
                    {
                        "row": row.number + 1,
                        "column": column,
                        "letter": letter_of(column),
                        "message": message,
                    }
                )
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(
                {
                    "row": number + 1,
                    "column": "",
                    "letter": "",
                    "message": str(error.error),
                }
            )
    problems.sort(key=lambda p: p["row"] or 0)

    preview = []
    for number, row in enumerate(result.rows, start=2):
        if row.import_type not in ("new", "update"):
            continue
        cells = list(zip(headers, row.diff or [], strict=False))
        if row.import_type == "update":
            cells = [(h, d) for h, d in cells if "<ins" in d or "<del" in d]
        preview.append(
            {
                "row": number,
                "kind": row.import_type,
                "label": row.object_repr,
                "cells": cells,
            }
        )
    totals = result.totals
    return {
        "import_problems": problems,
        "import_preview": preview,
        "import_counts": {
            "new": totals["new"],
            "update": totals["update"],
            "skip": totals["skip"],
            "invalid": totals["invalid"] + totals["error"],
        },
    }
