"""A plan's co-funding ledger as CSV or XLSX (``/plans/<slug>/funding.<fmt>``).

One row per partner and year with the planned, decided and paid amounts and
the partner's share of the year; the workbook adds a sheet of totals per year
and per partner.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plans.exports.files import (
    SEK_FORMAT,
    Column,
    Table,
    download,
    file_format,
    workbook_bytes,
)

LEDGER_FORMATS = ("csv", "xlsx")


def ledger_columns(plan):
    def money(key, heading, read):
        return Column(key, heading, read, 16, number_format=SEK_FORMAT)

    return [
        Column("plan", _("Plan"), lambda e: plan.title, 30),
        Column("plan_slug", _("Plan (identifier)"), lambda e: plan.slug, 20),
        Column("year", _("Year"), lambda e: e.year, 8),
        Column("organisation", _("Organisation"), lambda e: e.organisation.name, 30),
        money("planned", _("Planned (SEK)"), lambda e: e.amounts.planned),
        money("decided", _("Decided (SEK)"), lambda e: e.amounts.decided),
        money("paid", _("Paid (SEK)"), lambda e: e.amounts.paid),
        Column(
            "share", _("Share of the year (%)"), lambda e: e.share, 12, percent=True
        ),
        Column("note", _("Note"), lambda e: e.note, 30),
    ]


def ledger_table(plan, ledger):
    """One row per partner and year."""
    return Table.of(ledger.entries(), ledger_columns(plan), title=_("Ledger"))


def totals_table(ledger):
    """The totals of each year, of the period and of each partner."""
    columns = [
        Column("label", _("Year or partner"), width=30),
        Column("planned", _("Planned (SEK)"), width=16, number_format=SEK_FORMAT),
        Column("decided", _("Decided (SEK)"), width=16, number_format=SEK_FORMAT),
        Column("paid", _("Paid (SEK)"), width=16, number_format=SEK_FORMAT),
        Column("share", _("Share of the period"), width=14, percent=True),
    ]
    rows = [
        [str(year.year), year.total.planned, year.total.decided, year.total.paid, None]
        for year in ledger.years
    ]
    rows.append(
        [
            gettext("Total %(period)s") % {"period": ledger.period},
            ledger.total.planned,
            ledger.total.decided,
            ledger.total.paid,
            1 if ledger.total.planned else None,
        ]
    )
    rows += [
        [
            partner.organisation.name,
            partner.total.planned,
            partner.total.decided,
            partner.total.paid,
            partner.share,
        ]
        for partner in ledger.partners
    ]
    return Table(columns, rows, title=_("Totals"))


def ledger_download(plan, ledger, extension):
    """The ledger of ``plan`` as a CSV file (the rows) or a workbook (the rows
    and the totals)."""
    rows = ledger_table(plan, ledger)
    data = workbook_bytes([rows, totals_table(ledger)]) if extension == "xlsx" else rows
    name = "{slug}-{name}".format(slug=plan.slug, name=gettext("funding"))
    return download(data, file_format(extension), name)
