"""Indicators: /indicators/ and /indicators/<pk>/ (the simple tables)."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

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
