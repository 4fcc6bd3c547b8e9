"""The action-item file format of the back office: export and import (XLSX, CSV).

One row per action item: code, plan identifier (slug), focus-area code, the eight
columns of a Söderort-style action table, the responsible organisation, status,
progress, start and due dates and the public flag. Headings follow the language of
the admin; an import accepts the headings in Swedish or English. Rows are matched
by plan and code; unchanged rows are skipped, so importing an export unchanged
writes nothing. Values are checked per cell, with a message naming the column.

The files follow the conventions of ``plans.exports.files`` (CSV with a byte
order mark and ``;``, formulas made inert and restored on import; XLSX with
text cells that are never formulas); an import also accepts ``,`` and tabs.
"""

import datetime
import re

import tablib
from django.conf import settings
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from openpyxl.utils import get_column_letter

from plans.exports.files import CSV, XLSX, Column, Table
from plans.models import ActionItem, FocusArea, Plan
from stakeholders.models import Organisation

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
        return value  # a number cell in a workbook


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

    def export(self, queryset=None, **kwargs):
        """A Table (the rows with their columns) for the formats to write."""
        dataset = super().export(queryset, **kwargs)
        export_fields = self.get_export_fields(kwargs.get("export_fields"))
        columns = [
            Column(self.get_field_name(field), field.column_name)
            for field in export_fields
        ]
        return Table(columns, dataset, title=self.get_display_name())

    def export_for_plan(self, plan):
        """A plan's action items, one row each."""
        queryset = ActionItem.objects.for_plan(plan).select_related(
            "plan", "focus_area", "responsible_organisation"
        )
        return self.export(queryset)

    def template_dataset(self):
        """No rows under the heading row: the template for an import."""
        return tablib.Dataset(headers=self.headings())

    def template(self, file_format):
        """The template in a format (text or bytes)."""
        return file_format.export_data(self.template_dataset())


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


def export_name(plan=None, date=None):
    """The name of an export from the back office, without the extension:
    the plan and the date ("Handlingsplan 2009 – åtgärder 2026-12-06"), or
    only the date for the items of several plans."""
    date = (date or timezone.localdate()).isoformat()
    if plan is None:
        return _("Action items %(date)s") % {"date": date}
    title = Truncator(plan.title).chars(100)  # a file name has ~255 bytes
    return _("%(plan)s – action items %(date)s") % {"plan": title, "date": date}
