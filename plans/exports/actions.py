"""Action items as CSV, XLSX and JSON: the action browser's export
(``/actions/?export=``) and the open data (``/open-data/<slug>/actions.<fmt>``).

One list of columns serves all three formats: CSV and XLSX carry translated
headings (the eight columns of a Söderort-style table among them), JSON the
columns' stable English keys, so programs can rely on them in any language.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from flemingsberg.permissions import sees_internal
from plans.exports.files import Column, Table, download, file_format
from plans.models import ActionItem


def _field_heading(name):
    return capfirst(ActionItem._meta.get_field(name).verbose_name)


def _text_column(name, width):
    return Column(name, _field_heading(name), lambda i: getattr(i, name), width)


def columns(request):
    """The exported columns; internal ones only for users who see internal data.

    An item a row refers to ("see above") is named only if the visitor may
    see it: a public row of a published plan can refer to an internal one.
    """
    internal = sees_internal(request.user)

    def url(item):
        return request.build_absolute_uri(item.get_absolute_url())

    def refers_to(item):
        target = item.see_above
        if target is None:
            return ""
        if internal or (target.is_public and target.plan.is_published):
            return target.code
        return ""

    result = [
        Column("code", _("Code"), lambda i: i.code, 8),
        Column("plan", _("Plan"), lambda i: i.plan.title, 30),
        Column("plan_slug", _("Plan (identifier)"), lambda i: i.plan.slug, 20),
        Column(
            "focus_area",
            _("Focus area"),
            lambda i: i.focus_area.title if i.focus_area else "",
            30,
        ),
        Column(
            "strategy",
            _("Strategy"),
            lambda i: i.strategy.title if i.strategy else "",
            30,
        ),
        # The eight columns of a Söderort-style action table, in their order.
        _text_column("title", 40),
        _text_column("assignment", 50),
        _text_column("commissioned_by", 30),
        _text_column("expected_result", 50),
        _text_column("schedule", 30),
        _text_column("responsible_body", 30),
        _text_column("responsible_officer", 25),
        _text_column("coordinator", 25),
        # Follow-up.
        Column("status", _("Status"), lambda i: i.status, 12),
        Column(
            "status_label", _("Status (text)"), lambda i: i.get_status_display(), 14
        ),
        Column("progress", _("Progress (%)"), lambda i: i.progress, 10),
        _text_column("progress_note", 30),
        Column("start_date", _("Start date"), lambda i: i.start_date, 12),
        Column("due_date", _("Due date"), lambda i: i.due_date, 12),
        Column("area", _("Area or place"), lambda i: i.area, 20),
        Column(
            "responsible_organisation",
            _("Responsible organisation"),
            lambda i: (
                i.responsible_organisation.name if i.responsible_organisation else ""
            ),
            30,
        ),
        Column("refers_to", _("Refers to (code)"), refers_to, 10),
        Column("url", _("Web address"), url, 45),
    ]
    if internal:
        result += [
            Column("is_public", _("Public"), lambda i: i.is_public, 8),
            Column("internal_note", _("Internal note"), lambda i: i.internal_note, 40),
        ]
    return result


def export_queryset(items):
    """The items with everything the columns read, in one query.

    ``defer(None)`` loads every column, also of a QuerySet narrowed with
    ``only()`` for a page (the action browser's).
    """
    return items.defer(None).select_related(
        "plan",
        "focus_area",
        "strategy",
        "responsible_organisation",
        "see_above__plan",
    )


def action_items_table(items, request, title=""):
    return Table.of(export_queryset(items), columns(request), title)


def action_items_download(items, extension, request, name, sheet_title=""):
    """The items as a file (``extension`` one of ``FORMATS``) named ``name``."""
    table = action_items_table(items, request, title=sheet_title or name)
    return download(table, file_format(extension), name)
