"""The co-funding ledger of a plan: what each partner plans, decides and pays.

``FundingLedger.from_contributions`` arranges a plan's contributions per partner
and year with the planned, decided and paid amounts, each partner's share of the
planned total, and totals per year and for the whole period. The plan document
shows it, and ``plans.exports.funding`` writes it as CSV or XLSX.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from plans.formatting import format_number


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
