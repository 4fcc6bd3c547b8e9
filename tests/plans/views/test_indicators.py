"""Indicators: /indicators/ and /indicators/<pk>/ (the simple tables)."""

import datetime
import html
import io
import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from tests import factories
from tests.pdfs import get_rendered
from tests.spreadsheets import formulas_when_split

pytestmark = pytest.mark.django_db

NBSP = "\N{NO-BREAK SPACE}"


def page_text(response):
    """The visible text of a page: tags removed, entities and spaces normalised."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text.replace(NBSP, " "))


@pytest.fixture(params=["anonymous", "reader", "editor"])
def any_user(request):
    if request.param == "anonymous":
        return None
    return request.getfixturevalue(request.param)


@pytest.fixture
def employment(db):
    """An indicator with three targets and two measured values, one internal."""
    indicator = factories.IndicatorFactory(
        name="Andel förvärvsarbetande", unit="%", baseline_value=78, baseline_year=2008
    )
    for year, value, label in [(2015, 82, "delmål"), (2020, 85, "delmål")]:
        factories.IndicatorTargetFactory(
            indicator=indicator, year=year, value=value, label=label
        )
    factories.IndicatorTargetFactory(indicator=indicator, year=2030, value=90)
    factories.IndicatorValueFactory(
        indicator=indicator, date=datetime.date(2024, 12, 31), value=80.5
    )
    factories.IndicatorValueFactory(
        indicator=indicator,
        date=datetime.date(2025, 12, 31),
        value=81.25,
        is_public=False,
        note="Preliminärt",
    )
    return indicator


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_pages_render_for_every_role_and_language(client, any_user, employment, prefix):
    if any_user is not None:
        client.force_login(any_user)
    for url in ["/indicators/", employment.get_absolute_url()]:
        response = client.get(prefix + url)
        assert response.status_code == 200
        assert "Andel förvärvsarbetande" in response.content.decode()


class TestIndicatorList:
    def test_shows_unit_targets_and_latest_public_value(self, client, employment):
        text = page_text(client.get("/en/indicators/"))
        assert "Andel förvärvsarbetande %" in text
        assert "82 % by 2015 (delmål)" in text
        assert "85 % by 2020 (delmål)" in text
        assert "90 % by 2030" in text
        assert "80.5 %" in text  # the latest value an anonymous visitor may see
        assert "81.25" not in text

    def test_numbers_use_swedish_format(self, client, employment):
        factories.IndicatorValueFactory(
            indicator=factories.IndicatorFactory(name="Studenter", unit="studenter"),
            value=15000,
        )
        content = client.get("/indicators/").content.decode()
        assert "80,5 %" in content
        assert f"15{NBSP}000 studenter" in content

    def test_a_reader_sees_the_internal_latest_value(self, client, reader, employment):
        client.force_login(reader)
        text = page_text(client.get("/en/indicators/"))
        assert "81.25 %" in text

    def test_internal_indicators_are_hidden_from_anonymous_visitors(
        self, client, reader
    ):
        factories.IndicatorFactory(name="Hemlig indikator", is_public=False)
        assert "Hemlig indikator" not in client.get("/indicators/").content.decode()
        client.force_login(reader)
        assert "Hemlig indikator" in client.get("/indicators/").content.decode()

    def test_indicator_without_targets_or_values_says_so(self, client):
        factories.IndicatorFactory(name="Ny indikator")
        text = page_text(client.get("/en/indicators/"))
        assert "no target" in text
        assert "not measured yet" in text

    def test_no_indicators_shows_an_empty_state(self, client):
        text = page_text(client.get("/en/indicators/"))
        assert "No indicators have been published yet." in text

    def test_query_count_does_not_grow_with_indicators(self, client, reader):
        def add(count):
            for _ in range(count):
                indicator = factories.IndicatorFactory()
                factories.IndicatorTargetFactory(indicator=indicator)
                factories.IndicatorValueFactory(indicator=indicator)

        client.force_login(reader)
        add(3)
        client.get("/indicators/")
        with CaptureQueriesContext(connection) as few:
            client.get("/indicators/")
        add(30)
        with CaptureQueriesContext(connection) as many:
            client.get("/indicators/")
        assert len(many) == len(few)


class TestIndicatorDetail:
    def test_shows_every_target_and_public_value(self, client, employment):
        text = page_text(client.get("/en" + employment.get_absolute_url()))
        assert "2015 82 % delmål" in text
        assert "2020 85 % delmål" in text
        assert "2030 90 %" in text
        assert "2024-12-31 80.5 %" in text
        assert "Preliminärt" not in text
        assert "Baseline 78 % (2008)" in text

    def test_a_reader_sees_internal_values(self, client, reader, employment):
        client.force_login(reader)
        text = page_text(client.get("/en" + employment.get_absolute_url()))
        assert "2025-12-31 81.25 %" in text
        assert "Preliminärt" in text

    def test_a_value_range_is_shown_as_a_range(self, client):
        indicator = factories.IndicatorFactory(unit="kr/år")
        factories.IndicatorValueFactory(
            indicator=indicator, value=8_000_000_000, value_high=9_000_000_000
        )
        content = client.get(indicator.get_absolute_url()).content.decode()
        billions = f"{NBSP}000{NBSP}000{NBSP}000"
        assert f"8{billions}–9{billions} kr/år" in content

    def test_a_target_without_a_year_is_shown(self, client):
        indicator = factories.IndicatorFactory(unit="arbetsplatser")
        factories.IndicatorTargetFactory(indicator=indicator, year=None, value=2500)
        text = page_text(client.get("/en" + indicator.get_absolute_url()))
        assert "no year given 2 500 arbetsplatser" in text.replace(",", " ")

    def test_internal_indicator_is_404_for_anonymous_visitors(self, client, reader):
        indicator = factories.IndicatorFactory(is_public=False)
        assert client.get(indicator.get_absolute_url()).status_code == 404
        client.force_login(reader)
        assert client.get(indicator.get_absolute_url()).status_code == 200

    def test_lists_only_the_plans_the_visitor_may_see(self, client, employment):
        published = factories.PlanFactory(title="Publik plan")
        draft = factories.PlanFactory(title="Utkastplan", status="draft")
        employment.plans.add(published, draft)
        content = client.get(employment.get_absolute_url()).content.decode()
        assert "Publik plan" in content
        assert "Utkastplan" not in content


# ---------------------------------------------------------------------------
# Status, chart and the rule
# ---------------------------------------------------------------------------


def en(indicator):
    """The English page of an indicator (whatever language is active)."""
    return f"/en/indicators/{indicator.pk}/"


@pytest.fixture
def on_track(db):
    """Baseline 78 % 2010, target 90 % 2030; 81 % measured at the end of 2015."""
    indicator = factories.IndicatorFactory(
        name="Sysselsättning", unit="%", baseline_year=2010, baseline_value=78
    )
    factories.IndicatorTargetFactory(indicator=indicator, year=2030, value=90)
    factories.IndicatorValueFactory(
        indicator=indicator, date=datetime.date(2015, 12, 31), value=81
    )
    return indicator


class TestStatus:
    def test_list_shows_each_status_and_the_rule(self, client, on_track):
        factories.IndicatorFactory(name="Utan mål")
        text = page_text(client.get("/en/indicators/"))
        assert "How the status is set: The latest measured value is compared" in text
        assert "Sysselsättning % 90 % by 2030 81 % 2015-12-31 On track" in text
        assert "expected 81 %" in text
        assert "Utan mål % no target not measured yet No target" in text

    def test_detail_shows_status_notes_and_the_rule(self, client, on_track):
        text = page_text(client.get(en(on_track)))
        assert "Status On track Measured 81 % on 2015-12-31; the trajectory " in text
        assert "expects 81 %." in text
        assert "within 2 % of it is on track" in text

    def test_an_internal_value_does_not_move_the_public_status(
        self, client, reader, on_track
    ):
        factories.IndicatorValueFactory(
            indicator=on_track,
            date=datetime.date(2020, 12, 31),
            value=70,
            is_public=False,
        )
        assert "On track" in page_text(client.get(en(on_track)))
        client.force_login(reader)
        assert "Behind" in page_text(client.get(en(on_track)))

    def test_a_value_entered_in_the_admin_moves_the_status(
        self, client, superuser, on_track
    ):
        url = en(on_track)
        assert "Status On track" in page_text(client.get(url))
        client.force_login(superuser)
        response = client.post(
            "/admin/plans/indicatorvalue/add/",
            {
                "indicator": on_track.pk,
                "date": "2020-12-31",
                "value": "80",
                "value_high": "",
                "source": "SCB",
                "note": "",
                "is_public": "on",
                "_save": "Save",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        client.logout()
        text = page_text(client.get(url))
        assert "Status Behind Measured 80 % on 2020-12-31" in text
        client.force_login(superuser)
        client.post(
            "/admin/plans/indicatorvalue/add/",
            {
                "indicator": on_track.pk,
                "date": "2021-12-31",
                "value": "88",
                "value_high": "",
                "source": "SCB",
                "note": "",
                "is_public": "on",
                "_save": "Save",
            },
        )
        client.logout()
        assert "Status Ahead" in page_text(client.get(url))


WIDE_CHART = 'class="indicator-chart chart chart--wide"'
KEY_FIGURES = 'class="key-figure-box"'


class TestChart:
    def test_detail_has_the_chart_with_its_data_table(self, client, employment):
        factories.IndicatorValueFactory(
            indicator=employment, date=datetime.date(2023, 12, 31), value=80
        )
        content = client.get(en(employment)).content.decode()
        assert WIDE_CHART in content
        assert KEY_FIGURES not in content
        assert 'role="img"' in content
        assert 'aria-labelledby="indikator-diagram-title indikator-diagram-desc"' in (
            content
        )
        text = page_text(client.get(en(employment)))
        assert "The figures of the chart" in text
        assert "2015 Target (delmål) 82 % –" in text
        assert "2024-12-31 Measured value 87 % 80.5 %" in text

    def test_under_two_measured_values_the_detail_has_key_figures(
        self, client, employment
    ):
        # An anonymous visitor sees one of the two values.
        content = client.get(en(employment)).content.decode()
        assert "indicator-chart" not in content
        assert KEY_FIGURES in content
        text = page_text(client.get(en(employment)))
        assert "Latest value 80.5 % 31 December 2024" in text
        assert "Targets 82 % by 2015 85 % by 2020 90 % by 2030" in text

    def test_every_bundled_indicator_has_a_chart_or_key_figures(
        self, client, bundled_plans
    ):
        from plans.models import Indicator

        assert Indicator.objects.count() == 6
        for indicator in Indicator.objects.all():
            content = client.get(indicator.get_absolute_url()).content.decode()
            # None has two measured values yet.
            assert KEY_FIGURES in content, indicator.name
            assert "indicator-chart" not in content, indicator.name

    def test_detail_lists_the_goals_it_measures(self, client, bundled_plans):
        from plans.models import Indicator

        indicator = Indicator.objects.get(name="Nya företag per år i Flemingsberg")
        text = page_text(client.get(en(indicator)))
        assert "Strategy S2 Stimulera innovation och entreprenörskap" in text
        assert "Target statement Innovationssystemet" in text
        soderort = Indicator.objects.get(name__startswith="Andel förvärvsarbetande")
        text = page_text(client.get(en(soderort)))
        assert "Action item 2 Fler arbetsplatser" in text

    def test_detail_query_count_does_not_grow_with_values(self, client, employment):
        url = employment.get_absolute_url()
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for day in range(1, 29):
            factories.IndicatorValueFactory(
                indicator=employment, date=datetime.date(2023, 2, day), value=80
            )
            factories.IndicatorTargetFactory(
                indicator=employment, year=2031 + day, value=90
            )
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many) == len(few)


# ---------------------------------------------------------------------------
# Series as CSV and JSON
# ---------------------------------------------------------------------------


def series(client, indicator, export_format):
    return client.get(
        f"/indicators/{indicator.pk}/series.{export_format}",
    )


class TestSeries:
    def test_csv_has_baseline_targets_and_public_values(self, client, employment):
        response = series(client, employment, "csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.startswith(b"\xef\xbb\xbf")
        lines = response.content.decode("utf-8-sig").splitlines()
        assert lines[0] == "kind;date;year;value;value_high;expected;label;source;note"
        assert "baseline;;2008;78;;;;;" in lines
        assert "target;;2015;82;;;delmål;;" in lines
        assert "target;;2030;90;;;;;" in lines
        assert any(line.startswith("value;2024-12-31;2024;80.5;;87") for line in lines)
        assert not any("81.25" in line for line in lines)

    def test_json_has_the_indicator_its_status_and_series(self, client, employment):
        response = series(client, employment, "json")
        assert response.status_code == 200
        data = response.json()
        assert data["indicator"]["name"] == "Andel förvärvsarbetande"
        assert data["indicator"]["unit"] == "%"
        assert data["status"]["status"] == "behind"
        assert data["status"]["expected"] == "87"
        kinds = [row["kind"] for row in data["series"]]
        assert kinds == ["baseline", "target", "target", "target", "value"]

    def test_a_reader_gets_internal_values(self, client, reader, employment):
        client.force_login(reader)
        data = series(client, employment, "json").json()
        assert [row["value"] for row in data["series"] if row["kind"] == "value"] == [
            "80.5",
            "81.25",
        ]

    def test_a_range_has_its_upper_value(self, client):
        indicator = factories.IndicatorFactory(unit="kr/år")
        factories.IndicatorValueFactory(
            indicator=indicator, value=8_000_000_000, value_high=9_000_000_000
        )
        (row,) = series(client, indicator, "json").json()["series"]
        assert (row["value"], row["value_high"]) == ("8000000000", "9000000000")

    def test_formulas_in_sources_are_made_inert(self, client):
        indicator = factories.IndicatorFactory()
        factories.IndicatorValueFactory(indicator=indicator, source="=cmd()")
        assert ";'=cmd();" in series(client, indicator, "csv").content.decode()

    def test_a_formula_after_a_comma_in_a_source_is_made_inert(self, client):
        indicator = factories.IndicatorFactory()
        factories.IndicatorValueFactory(
            indicator=indicator, source="SCB,=2+5,", note="a\n-1+1"
        )
        content = series(client, indicator, "csv").content.decode("utf-8-sig")
        assert formulas_when_split(content) == []
        assert "SCB,'=2+5," in content

    def test_an_internal_indicator_is_404_for_anonymous_visitors(self, client):
        indicator = factories.IndicatorFactory(is_public=False)
        assert series(client, indicator, "csv").status_code == 404

    def test_an_unknown_format_is_404(self, client, employment):
        assert series(client, employment, "xml").status_code == 404

    def test_detail_links_to_the_series(self, client, employment):
        content = client.get(employment.get_absolute_url()).content.decode()
        assert f'href="/indicators/{employment.pk}/series.csv"' in content
        assert f'href="/indicators/{employment.pk}/series.json"' in content


# ---------------------------------------------------------------------------
# Indicators in the plan documents and their PDFs
# ---------------------------------------------------------------------------


def chapter_html(content, kind):
    return content.split(f'class="chapter chapter--{kind}"')[1].split("</section>\n")[0]


class TestInPlanDocuments:
    def test_soderort_indicators_are_in_the_action_table_chapter(
        self, client, bundled_plans
    ):
        content = client.get("/plans/soderort-2030/").content.decode()
        chapter = content.split('class="chapter chapter--action_table"')[1]
        assert "Andel förvärvsarbetande dagbefolkning i Söderort" in chapter
        assert "Ytterligare arbetsplatser vid Telefonplan" in chapter
        assert chapter.count(KEY_FIGURES) == 2
        # After the table of action items, not before it.
        assert chapter.index("doc-action-table") < chapter.index("doc-indicators")

    def test_new_companies_follow_the_target_state_it_measures(
        self, client, bundled_plans
    ):
        content = client.get("/plans/verksamhetsplan-2009-2011/").content.decode()
        target_state = content.split('class="chapter chapter--target_state"')[1]
        target_state = target_state.split('class="chapter ')[0]
        assert "Nya företag per år i Flemingsberg" in target_state
        assert target_state.index("doc-targets") < target_state.index("doc-indicators")
        strategies = content.split('class="chapter chapter--strategies"')[1]
        strategies = strategies.split('class="chapter ')[0]
        for name in ("Studenter i Flemingsberg", "Omsättning hos akademiska"):
            assert name in strategies

    def test_internal_indicators_are_left_out_for_anonymous_visitors(
        self, client, reader, bundled_plans
    ):
        from plans.models import Indicator

        Indicator.objects.filter(name__startswith="Ytterligare").update(is_public=False)
        content = client.get("/plans/soderort-2030/").content.decode()
        assert "Ytterligare arbetsplatser vid Telefonplan" not in content
        client.force_login(reader)
        content = client.get("/plans/soderort-2030/").content.decode()
        assert "Ytterligare arbetsplatser vid Telefonplan" in content

    def test_document_queries_do_not_grow_with_indicators(self, client):
        def plan_with(count):
            plan = factories.PlanFactory()
            factories.SectionFactory(plan=plan, kind="target_state")
            factories.SectionFactory(plan=plan, kind="strategies")
            statement = factories.TargetStatementFactory(plan=plan)
            strategy = factories.StrategyFactory(plan=plan)
            for n in range(count):
                indicator = factories.IndicatorFactory()
                indicator.plans.add(plan)
                (indicator.target_statements if n % 2 else indicator.strategies).add(
                    statement if n % 2 else strategy
                )
                factories.IndicatorTargetFactory(indicator=indicator)
                factories.IndicatorValueFactory(indicator=indicator)
                factories.IndicatorValueFactory(
                    indicator=indicator, date=datetime.date(2026, 12, 31)
                )
            return plan

        few, many = plan_with(2), plan_with(20)
        client.get(few.get_absolute_url())
        with CaptureQueriesContext(connection) as small:
            client.get(few.get_absolute_url())
        with CaptureQueriesContext(connection) as large:
            response = client.get(many.get_absolute_url())
        assert response.content.decode().count(WIDE_CHART) == 20
        assert len(large) == len(small)


def soderort_pdf_pages(client):
    """The Söderort PDF: its pages as text (spaces normalised) and as pypdf pages."""
    from django.core.cache import cache

    cache.clear()
    response = get_rendered(client, "/plans/soderort-2030/pdf/")
    assert response.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    pages = [" ".join(page.replace(NBSP, " ").split()) for page in text.split("\f")]
    return pages, PdfReader(io.BytesIO(response.content)).pages


def is_portrait(page):
    return page.mediabox.width < page.mediabox.height


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_soderort_indicators_print_as_key_figures_on_a_portrait_page(
    client, bundled_plans
):
    pages, pdf_pages = soderort_pdf_pages(client)
    (number,) = [
        n
        for n, page in enumerate(pages)
        if "Andel förvärvsarbetande dagbefolkning i Söderort" in page
        and "INDIKATOR" in page
    ]
    page = pages[number]
    # Both indicators, under two measured values each: a key-figure box each.
    assert "Ytterligare arbetsplatser vid Telefonplan" in page
    assert page.count("Senaste värde".upper()) == 2
    assert "82 % till 2015" in page and "90 % till 2030" in page
    assert "2 500 arbetsplatser (inget år angivet)" in page
    # The action table before them stays landscape; the indicators do not.
    assert is_portrait(pdf_pages[number])
    table = next(n for n, text in enumerate(pages) if "Ansvarig nämnd" in text)
    assert not is_portrait(pdf_pages[table])


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_indicator_chart_renders_in_the_pdf(client, bundled_plans):
    from plans.models import Indicator

    indicator = Indicator.objects.get(name__startswith="Andel förvärvsarbetande")
    for year, value in [(2012, "79.5"), (2014, "80.25")]:
        factories.IndicatorValueFactory(
            indicator=indicator, date=datetime.date(year, 12, 31), value=value
        )
    pages, pdf_pages = soderort_pdf_pages(client)
    # The chart's own text: its legend and its axes (years and percentages),
    # once: the narrow drawing for phones is not printed.
    (number,) = [n for n, page in enumerate(pages) if "2015 2020 2025 2030" in page]
    page = pages[number]
    assert page.count("2015 2020 2025 2030") == 1
    assert "Andel förvärvsarbetande" in page
    assert "Målbana" in page and "Mätvärde" in page
    assert "82 %" in page and "90 %" in page
    assert is_portrait(pdf_pages[number])
