"""The co-funding ledger: totals and shares, its pages and its exports."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import FundingContribution, Plan
from plans.services.funding import FundingLedger, percent
from stakeholders.models import Organisation
from tests import factories
from tests.spreadsheets import formulas_when_split

pytestmark = pytest.mark.django_db

D = Decimal
NBSP = "\N{NO-BREAK SPACE}"
SLUG = "verksamhetsplan-2009-2011"


def bundled_ledger():
    return FundingLedger.from_contributions(
        FundingContribution.objects.filter(plan__slug=SLUG).select_related(
            "organisation"
        )
    )


def flat(content):
    text = re.sub(r"<[^>]+>", " ", content)
    return re.sub(r"\s+", " ", text.replace(NBSP, " ").replace("&nbsp;", " "))


# ---------------------------------------------------------------------------
# The ledger
# ---------------------------------------------------------------------------


class TestBundledLedger:
    def test_2_500_000_per_year_and_7_500_000_for_the_period(self, bundled_plans):
        ledger = bundled_ledger()
        assert [(year.year, year.total.planned) for year in ledger.years] == [
            (2009, D(2_500_000)),
            (2010, D(2_500_000)),
            (2011, D(2_500_000)),
        ]
        assert ledger.total.planned == D(7_500_000)
        assert ledger.period == "2009–2011"

    def test_shares_are_40_40_and_20_percent(self, bundled_plans):
        ledger = bundled_ledger()
        assert [
            (p.organisation.short_name, p.total.planned, p.share)
            for p in ledger.partners
        ] == [
            ("SLL", D(3_000_000), D("0.4")),
            ("Huddinge", D(3_000_000), D("0.4")),
            ("Botkyrka", D(1_500_000), D("0.2")),
        ]
        assert [p.share_percent for p in ledger.partners] == [
            f"40{NBSP}%",
            f"40{NBSP}%",
            f"20{NBSP}%",
        ]

    def test_each_year_has_the_same_shares(self, bundled_plans):
        for year in bundled_ledger().years:
            assert [entry.share for entry in year.entries] == [
                D("0.4"),
                D("0.4"),
                D("0.2"),
            ]

    def test_nothing_decided_or_paid_is_none_not_zero(self, bundled_plans):
        ledger = bundled_ledger()
        assert ledger.total.decided is None and ledger.total.paid is None
        assert not ledger.has_decided


class TestLedger:
    def test_decided_and_paid_are_summed_where_entered(self):
        plan = factories.PlanFactory()
        a, b = factories.OrganisationFactory(), factories.OrganisationFactory()
        factories.FundingContributionFactory(
            plan=plan,
            organisation=a,
            year=2026,
            amount=600,
            decided_amount=600,
            paid_amount=300,
        )
        factories.FundingContributionFactory(
            plan=plan, organisation=b, year=2026, amount=400, decided_amount=350
        )
        factories.FundingContributionFactory(
            plan=plan, organisation=a, year=2027, amount=600
        )
        ledger = FundingLedger.from_contributions(plan.funding.all())
        y2026, y2027 = ledger.years
        assert (y2026.total.planned, y2026.total.decided, y2026.total.paid) == (
            D(1000),
            D(950),
            D(300),
        )
        assert (y2027.total.planned, y2027.total.decided, y2027.total.paid) == (
            D(600),
            None,
            None,
        )
        assert ledger.total.planned == D(1600)
        assert ledger.total.decided == D(950)
        assert ledger.total.paid == D(300)
        first, second = ledger.partners
        assert first.share == D(1200) / D(1600)
        assert first.share_percent == f"75{NBSP}%"
        assert second.share_percent == f"25{NBSP}%"
        # A partner without a contribution in a year has an empty cell there.
        assert second.entries[1] is None

    def test_an_empty_ledger(self):
        ledger = FundingLedger.from_contributions([])
        assert ledger.years == [] and ledger.partners == []
        assert ledger.total.planned is None
        assert ledger.period == ""

    def test_a_third_is_shown_with_one_decimal(self):
        assert percent(D(1) / D(3)) == f"33,3{NBSP}%"
        assert percent(None) == ""


# ---------------------------------------------------------------------------
# The plan page, the PDF and the organisation page
# ---------------------------------------------------------------------------


class TestPlanPage:
    def test_the_funding_chapter_shows_shares_and_the_ledger(
        self, client, bundled_plans
    ):
        content = client.get(reverse("plans:plan-detail", args=[SLUG])).content
        chapter = content.decode().split('class="chapter chapter--funding"')[1]
        chapter = flat(chapter.split("</section>")[0])
        assert (
            "Stockholms läns landsting 1 000 000 kr 1 000 000 kr 1 000 000 kr "
            "3 000 000 kr 40 %"
        ) in chapter
        assert "Botkyrka kommun 500 000 kr 500 000 kr 500 000 kr 1 500 000 kr 20 %" in (
            chapter
        )
        assert "2 500 000 kr 2 500 000 kr 2 500 000 kr 7 500 000 kr 100 %" in chapter
        # The ledger: every partner per year, a total per year and the period.
        # Nothing is decided or paid yet: those cells are empty.
        assert chapter.count("2009 SLL 1 000 000 kr 40 %") == 1
        assert chapter.count("2011 Botkyrka 500 000 kr 20 %") == 1
        assert chapter.count("2 500 000 kr 100 %") == 3
        assert content.decode().count('class="num is-empty"') == 2 * (9 + 3 + 1) + 1
        assert "2009–2011 7 500 000 kr" in chapter

    def test_decided_and_paid_amounts_are_shown(self, client, bundled_plans):
        contribution = FundingContribution.objects.get(
            plan__slug=SLUG, organisation__short_name="SLL", year=2009
        )
        contribution.decided_amount = 1_000_000
        contribution.paid_amount = 250_000
        contribution.save()
        content = client.get(reverse("plans:plan-detail", args=[SLUG])).content
        text = flat(content.decode())
        assert "2009 SLL 1 000 000 kr 1 000 000 kr 250 000 kr 40 %" in text

    def test_links_to_the_ledger_downloads(self, client, bundled_plans):
        content = client.get(reverse("plans:plan-detail", args=[SLUG])).content
        assert f'href="/plans/{SLUG}/funding.xlsx"' in content.decode()
        assert f'href="/plans/{SLUG}/funding.csv"' in content.decode()

    def test_a_plan_without_funding_shows_the_empty_state(self, client):
        plan = factories.PlanFactory()
        factories.SectionFactory(plan=plan, kind="funding", heading="Finansiering")
        response = client.get("/en" + plan.get_absolute_url())
        assert "No funding has been entered for this plan." in response.content.decode()


class TestOrganisationPage:
    def test_shows_planned_decided_and_paid_per_plan_and_year(
        self, client, bundled_plans
    ):
        contribution = FundingContribution.objects.get(
            plan__slug=SLUG, organisation__short_name="Huddinge", year=2010
        )
        contribution.decided_amount = 900_000
        contribution.paid_amount = 450_000
        contribution.save()
        huddinge = Organisation.objects.get(short_name="Huddinge")
        text = flat(client.get(huddinge.get_absolute_url()).content.decode())
        assert "2009 1 000 000 kr – –" in text
        assert "2010 1 000 000 kr 900 000 kr 450 000 kr" in text
        assert "3 000 000 kr 900 000 kr 450 000 kr" in text  # the totals

    def test_shows_the_share_of_each_plan(self, client, bundled_plans):
        botkyrka = Organisation.objects.get(short_name="Botkyrka")
        text = flat(client.get("/en" + botkyrka.get_absolute_url()).content.decode())
        assert (
            "20 % of the funding of Verksamhetsplan 2009–2011: "
            "1,500,000 kr of 7,500,000 kr planned."
        ) in text


# ---------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------


def export(client, export_format, slug=SLUG):
    return client.get(
        reverse(
            "plans:plan-funding-data", kwargs={"slug": slug, "format": export_format}
        )
    )


class TestExport:
    def test_csv_has_a_bom_semicolons_and_a_row_per_partner_and_year(
        self, client, bundled_plans
    ):
        response = export(client, "csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        assert f"{SLUG}-" in response["Content-Disposition"]
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(
            csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        )
        assert len(rows) == 1 + 9
        body = rows[1:]
        assert [row[2:5] for row in body[:3]] == [
            ["2009", "Stockholms läns landsting", "1000000"],
            ["2009", "Huddinge kommun", "1000000"],
            ["2009", "Botkyrka kommun", "500000"],
        ]
        assert [row[7] for row in body[:3]] == ["40", "40", "20"]
        assert sum(D(row[4]) for row in body) == D(7_500_000)

    def test_csv_makes_formulas_inert(self, client):
        plan = factories.PlanFactory()
        factories.FundingContributionFactory(plan=plan, note="=HYPERLINK(1)")
        rows = list(
            csv.reader(
                io.StringIO(
                    export(client, "csv", plan.slug).content.decode("utf-8-sig")
                ),
                delimiter=";",
            )
        )
        assert rows[1][-1] == "'=HYPERLINK(1)"

    def test_csv_makes_a_formula_after_a_comma_inert(self, client):
        plan = factories.PlanFactory()
        factories.FundingContributionFactory(plan=plan, note="Beslut,=2+5,")
        content = export(client, "csv", plan.slug).content.decode("utf-8-sig")
        assert formulas_when_split(content) == []
        assert "Beslut,'=2+5," in content

    def test_xlsx_has_the_ledger_and_the_totals(self, client, bundled_plans):
        response = export(client, "xlsx")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument"
        )
        workbook = load_workbook(io.BytesIO(response.content))
        ledger, totals = workbook.worksheets
        assert ledger.max_row == 1 + 9
        assert ledger["E2"].value == 1_000_000
        assert ledger["H2"].value == pytest.approx(0.4)
        rows = list(totals.iter_rows(min_row=2, values_only=True))
        assert [row[1] for row in rows[:3]] == [2_500_000] * 3
        assert rows[3][1] == 7_500_000 and rows[3][4] == 1
        assert [row[4] for row in rows[4:]] == pytest.approx([0.4, 0.4, 0.2])

    def test_unknown_format_is_404(self, client, bundled_plans):
        assert export(client, "pdf").status_code == 404

    def test_a_draft_plan_is_404_for_anonymous_visitors(self, client, reader):
        draft = factories.PlanFactory(status=Plan.Status.DRAFT)
        factories.FundingContributionFactory(plan=draft)
        assert export(client, "csv", draft.slug).status_code == 404
        client.force_login(reader)
        assert export(client, "csv", draft.slug).status_code == 200
