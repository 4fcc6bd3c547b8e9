"""The co-funding ledger of a plan: what each partner plans, decides and pays.

``FundingLedger.from_contributions`` arranges a plan's contributions per partner
and year with the planned, decided and paid amounts, each partner's share of the
planned total, and totals per year and for the whole period. The plan document
shows it, and ``ledger_response`` exports it as CSV or XLSX with the project's
conventions (see ``plans/exports.py``): UTF-8 with a byte order mark and ``;``
in CSV, names with åäö through ``content_disposition_header``.
"""

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from plans.exports import ExportColumn, write_csv, xlsx_text
from plans.formatting import format_number

SEK_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"


@dataclass
class Amounts:
    """Planned, decided and paid: None where nothing has been entered."""

    planned: Decimal | None = None
    decided: Decimal | None = None
    paid: Decimal | None = None

    def add(self, other):
        """Sum into this one; a None stays None only if both are None."""
        for name in ("planned", "decided", "paid"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is not None:
                setattr(self, name, (mine or Decimal(0)) + theirs)
        return self


@dataclass
class LedgerEntry:
    """One partner's contribution in one year."""

    organisation: object
    year: int
    amounts: Amounts
    share: Decimal | None = None  # of the year's planned total, 0–1
    note: str = ""

    @property
    def share_percent(self):
        return percent(self.share)


@dataclass
class LedgerPartner:
    """A partner over the whole period."""

    organisation: object
    entries: list = field(default_factory=list)  # LedgerEntry per year, or None
    total: Amounts = field(default_factory=Amounts)
    share: Decimal | None = None  # of the period's planned total, 0–1

    @property
    def share_percent(self):
        return percent(self.share)


@dataclass
class LedgerYear:
    """One year: each partner's entry and the year's total."""

    year: int
    entries: list = field(default_factory=list)
    total: Amounts = field(default_factory=Amounts)


@dataclass
class FundingLedger:
    """A plan's co-funding: partners, years and totals of the period."""

    years: list = field(default_factory=list)  # LedgerYear
    partners: list = field(default_factory=list)  # LedgerPartner
    total: Amounts = field(default_factory=Amounts)

    @classmethod
    def from_contributions(cls, contributions, table=None):
        """Arrange contributions (with ``organisation`` loaded) into the ledger.

        Partners keep the order the plan lists them in (the order of entry).
        The rows of a ``FundingTable`` passed as ``table`` (the plan document's
        table of planned amounts) get their partner's ``share_percent``.
        """
        contributions = sorted(contributions, key=lambda c: c.pk or 0)
        partners = {}
        years = {}
        for c in contributions:
            amounts = Amounts(c.amount, c.decided_amount, c.paid_amount)
            entry = LedgerEntry(c.organisation, c.year, amounts, note=c.note)
            partner = partners.setdefault(
                c.organisation_id, LedgerPartner(organisation=c.organisation)
            )
            partner.entries.append(entry)
            partner.total.add(amounts)
            years.setdefault(c.year, LedgerYear(year=c.year)).entries.append(entry)
        ledger = cls(
            years=[years[year] for year in sorted(years)],
            partners=list(partners.values()),
        )
        for year in ledger.years:
            for entry in year.entries:
                year.total.add(entry.amounts)
            for entry in year.entries:
                entry.share = share_of(entry.amounts.planned, year.total.planned)
            ledger.total.add(year.total)
        for partner in ledger.partners:
            partner.share = share_of(partner.total.planned, ledger.total.planned)
            by_year = {entry.year: entry for entry in partner.entries}
            partner.entries = [by_year.get(year.year) for year in ledger.years]
        if table is not None:
            shares = {p.organisation.pk: p.share_percent for p in ledger.partners}
            for row in table.rows:
                row.share_percent = shares.get(row.organisation.pk, "")
        return ledger

    @property
    def period(self):
        if not self.years:
            return ""
        first, last = self.years[0].year, self.years[-1].year
        return str(first) if first == last else f"{first}–{last}"

    @property
    def has_decided(self):
        return self.total.decided is not None

    @property
    def has_paid(self):
        return self.total.paid is not None

    def entries(self):
        """Every entry, year by year in the partners' order."""
        return [entry for year in self.years for entry in year.entries]


def share_of(part, whole):
    if part is None or not whole:
        return None
    return part / whole


def percent(share):
    """A share (0–1) as the active language writes a percentage: "40 %"."""
    if share is None:
        return ""
    number = (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{format_number(number.normalize())}\N{NO-BREAK SPACE}%"


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------


def _share_number(share):
    """A share as a percentage with at most one decimal, for CSV (40, 33.3)."""
    if share is None:
        return None
    return _plain((share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _plain(amount):
    """An amount without trailing zeros: 1000000.00 → 1000000."""
    if amount is None:
        return None
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal(1))
    return amount.normalize()


def ledger_columns(plan):
    return [
        ExportColumn("plan", _("Plan"), lambda e: plan.title, 30),
        ExportColumn("plan_slug", _("Plan (identifier)"), lambda e: plan.slug, 20),
        ExportColumn("year", _("Year"), lambda e: e.year, 8),
        ExportColumn(
            "organisation", _("Organisation"), lambda e: e.organisation.name, 30
        ),
        ExportColumn(
            "planned", _("Planned (SEK)"), lambda e: _plain(e.amounts.planned), 16
        ),
        ExportColumn(
            "decided", _("Decided (SEK)"), lambda e: _plain(e.amounts.decided), 16
        ),
        ExportColumn("paid", _("Paid (SEK)"), lambda e: _plain(e.amounts.paid), 16),
        ExportColumn(
            "share",
            _("Share of the year (%)"),
            lambda e: _share_number(e.share),
            12,
        ),
        ExportColumn("note", _("Note"), lambda e: e.note, 30),
    ]


def _write_sheet(sheet, headings, rows, widths, money_columns=(), share_columns=()):
    bold = Font(bold=True)
    for index, (heading, width) in enumerate(zip(headings, widths, strict=True), 1):
        cell = sheet.cell(row=1, column=index, value=str(heading))
        cell.font = bold
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row_number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            if isinstance(value, Decimal):
                value = float(value)
            elif isinstance(value, str):
                value = xlsx_text(value)
            cell = sheet.cell(row=row_number, column=index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            elif index in money_columns:
                cell.number_format = SEK_FORMAT
            elif index in share_columns:
                cell.number_format = PERCENT_FORMAT
    sheet.freeze_panes = "A2"


def write_ledger_xlsx(plan, ledger):
    """The ledger as a workbook: one row per partner and year, then the totals."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Ledger"))[:31]
    columns = ledger_columns(plan)
    rows = [
        [
            entry.share if column.key == "share" else column.value(entry)
            for column in columns
        ]
        for entry in ledger.entries()
    ]
    _write_sheet(
        sheet,
        [column.heading for column in columns],
        rows,
        [column.width for column in columns],
        money_columns=(5, 6, 7),
        share_columns=(8,),
    )
    sheet.auto_filter.ref = sheet.dimensions

    totals = workbook.create_sheet(str(_("Totals"))[:31])
    total_rows = []
    for year in ledger.years:
        total_rows.append(
            [
                str(year.year),
                year.total.planned,
                year.total.decided,
                year.total.paid,
                None,
            ]
        )
    total_rows.append(
        [
            str(_("Total %(period)s") % {"period": ledger.period}),
            ledger.total.planned,
            ledger.total.decided,
            ledger.total.paid,
            1 if ledger.total.planned else None,
        ]
    )
    for partner in ledger.partners:
        total_rows.append(
            [
                partner.organisation.name,
                partner.total.planned,
                partner.total.decided,
                partner.total.paid,
                partner.share,
            ]
        )
    _write_sheet(
        totals,
        [
            _("Year or partner"),
            _("Planned (SEK)"),
            _("Decided (SEK)"),
            _("Paid (SEK)"),
            _("Share of the period"),
        ],
        total_rows,
        [30, 16, 16, 16, 14],
        money_columns=(2, 3, 4),
        share_columns=(5,),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


LEDGER_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def ledger_response(plan, ledger, export_format):
    """The ledger of ``plan`` as a CSV or XLSX download."""
    if export_format == "csv":
        content = write_csv(ledger.entries(), ledger_columns(plan))
    else:
        content = write_ledger_xlsx(plan, ledger)
    response = HttpResponse(content, content_type=LEDGER_FORMATS[export_format])
    name = _("funding")
    filename = f"{plan.slug}-{name}.{export_format}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
