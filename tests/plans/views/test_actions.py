"""The action browser, the action detail page and the open-data addresses."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.models import ActionItem, ActionUpdate, Plan, Section
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = "/actions/"
EN_LIST_URL = "/en/actions/"
BUNDLED_SLUGS = ["verksamhetsplan-2009-2011", "handlingsplan-2009", "soderort-2030"]


def _rows(response):
    """The codes of the table rows on the page, in order."""
    table = response.context["table"]
    return [row.record.code for row in table.paginated_rows]


def _query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def plan():
    return factories.PlanFactory(slug="handlingsplan-test", title="Handlingsplan Test")


@pytest.fixture
def hidden(plan):
    """Things anonymous visitors must never see, next to public ones."""
    public = factories.ActionItemFactory(
        plan=plan,
        code="P1",
        title="Offentlig åtgärd",
        internal_note="Hemlig anteckning om budgeten",
    )
    factories.ActionUpdateFactory(item=public, text="Offentlig lägesrapport")
    factories.ActionUpdateFactory(
        item=public, text="Intern lägesrapport om resurser", is_public=False
    )
    internal = factories.ActionItemFactory(
        plan=plan, code="I1", title="Intern åtgärd", is_public=False
    )
    draft = factories.PlanFactory(slug="utkast", status=Plan.Status.DRAFT)
    draft_item = factories.ActionItemFactory(
        plan=draft, code="D1", title="Åtgärd i utkast"
    )
    unpublished = factories.PlanFactory(slug="ej-publik", is_public=False)
    unpublished_item = factories.ActionItemFactory(
        plan=unpublished, code="U1", title="Åtgärd i opublicerad plan"
    )
    return {
        "public": public,
        "internal": internal,
        "draft": draft_item,
        "unpublished": unpublished_item,
    }


# ---------------------------------------------------------------------------
# /actions/
# ---------------------------------------------------------------------------


class TestActionList:
    def test_state_filters_offer_late_and_overdue_checkboxes(self, client, plan):
        html = client.get(LIST_URL + "?overdue=true").content.decode()
        assert 'type="checkbox" name="late"' in html
        assert 'type="checkbox" name="overdue"' in html
        assert 'name="overdue" id="id_overdue" checked' in html

    def test_lists_items_with_their_columns(self, client, plan):
        focus_area = factories.FocusAreaFactory(plan=plan, title="Öka näringslivsfokus")
        organisation = factories.OrganisationFactory(name="Stockholm Business Region")
        item = factories.ActionItemFactory(
            plan=plan,
            code="2.1",
            title="Fler arbetsplatser i Söderort",
            focus_area=focus_area,
            status="ongoing",
            progress=60,
            due_date=datetime.date(2026, 6, 30),
            responsible_organisation=organisation,
        )
        factories.ActionUpdateFactory(item=item, date=datetime.date(2026, 3, 14))
        response = client.get(LIST_URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Fler arbetsplatser i Söderort" in html
        assert item.get_absolute_url() in html
        assert "Handlingsplan Test" in html
        assert "Öka näringslivsfokus" in html
        assert 'class="badge badge--ongoing"' in html
        assert "progress__fill--60" in html
        assert '<time datetime="2026-06-30">2026-06-30</time>' in html
        assert "Stockholm Business Region" in html
        assert '<time datetime="2026-03-14">2026-03-14</time>' in html

    def test_english_page_counts_the_items(self, client, plan):
        factories.ActionItemFactory.create_batch(3, plan=plan)
        response = client.get(EN_LIST_URL)
        assert response.status_code == 200
        assert "3 action items" in response.content.decode()

    def test_filtering_narrows_the_table_and_the_count(self, client, plan):
        factories.ActionItemFactory(plan=plan, code="A", status="paused")
        factories.ActionItemFactory(plan=plan, code="B", status="ongoing")
        response = client.get(EN_LIST_URL, {"status": "paused"})
        assert _rows(response) == ["A"]
        assert "1 action item" in response.content.decode()
        assert "Clear filters" in response.content.decode()

    def test_empty_state_when_nothing_matches(self, client, plan):
        factories.ActionItemFactory(plan=plan, area="Farsta")
        response = client.get(EN_LIST_URL, {"area": "Skärholmen"})
        html = response.content.decode()
        assert "No action items match the filters." in html
        assert "<table" not in html

    def test_empty_state_without_any_items(self, client):
        response = client.get(EN_LIST_URL)
        assert "There are no action items to show yet." in response.content.decode()

    def test_filter_form_works_without_javascript(self, client, plan):
        factories.ActionItemFactory(plan=plan)
        html = client.get(EN_LIST_URL).content.decode()
        assert re.search(r'<form id="action-filters" method="get"', html)
        assert '<button type="submit" class="button">Show results</button>' in html
        for name in ("q", "plan", "focus_area", "strategy", "due_year", "area"):
            assert f'<label for="id_{name}">' in html
        assert "<legend>Status</legend>" in html

    def test_dashboard_style_links_work(self, client, plan):
        past = timezone.localdate() - datetime.timedelta(days=3)
        factories.ActionItemFactory(plan=plan, code="A", due_date=past)
        factories.ActionItemFactory(plan=plan, code="B")
        response = client.get(LIST_URL, {"plan": plan.slug, "late": "1"})
        assert _rows(response) == ["A"]


class TestInvalidParametersNeverFail:
    @pytest.mark.parametrize(
        "params",
        [
            {"plan": "no-such-plan"},
            {"status": "finished"},
            {"due_year": "next"},
            {"per_page": "7"},
            {"per_page": "-1"},
            {"focus_area": "'; drop table"},
            {"plan": "x", "status": "y", "due_year": "z", "per_page": "w"},
        ],
    )
    def test_bad_filter_values_show_errors_with_status_200(self, client, plan, params):
        factories.ActionItemFactory(plan=plan)
        response = client.get(EN_LIST_URL, params)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Some filter values could not be used" in html
        assert 'class="errorlist"' in html
        assert response.context["filter"].errors

    @pytest.mark.parametrize(
        "params",
        [
            {"sort": "no_such_column"},
            {"sort": "-"},
            {"page": "abc"},
            {"page": "0"},
            {"page": "9999"},
            {"late": "banana"},
            {"q": '"unbalanced (quotes & | ! <b>'},
        ],
    )
    def test_odd_parameters_render_the_list(self, client, plan, params):
        factories.ActionItemFactory(plan=plan)
        assert client.get(LIST_URL, params).status_code == 200

    def test_invalid_filter_is_ignored_but_shown(self, client, plan):
        factories.ActionItemFactory(plan=plan, code="A", area="Farsta")
        factories.ActionItemFactory(plan=plan, code="B", area="Skärholmen")
        response = client.get(EN_LIST_URL, {"area": "Farsta", "due_year": "next"})
        assert _rows(response) == ["A"]
        assert 'id="id_due_year-errors"' in response.content.decode()

    def test_unknown_export_format_is_not_found(self, client, plan):
        factories.ActionItemFactory(plan=plan)
        assert client.get(LIST_URL, {"export": "pdf"}).status_code == 404


class TestPagination:
    @pytest.fixture
    def items(self, plan):
        return factories.ActionItemFactory.create_batch(60, plan=plan)

    def test_25_rows_per_page_by_default(self, client, items):
        response = client.get(LIST_URL)
        assert len(_rows(response)) == 25
        assert response.context["table"].paginator.num_pages == 3

    def test_last_page_has_the_rest(self, client, items):
        response = client.get(LIST_URL, {"page": 3})
        assert len(_rows(response)) == 10

    @pytest.mark.parametrize(("per_page", "rows"), [("50", 50), ("100", 60)])
    def test_per_page_choice(self, client, items, per_page, rows):
        response = client.get(LIST_URL, {"per_page": per_page})
        assert len(_rows(response)) == rows

    def test_invalid_per_page_falls_back_to_25(self, client, items):
        response = client.get(LIST_URL, {"per_page": "7"})
        assert response.status_code == 200
        assert len(_rows(response)) == 25

    def test_pagination_is_a_labelled_navigation_with_the_current_page(
        self, client, items
    ):
        html = client.get(EN_LIST_URL, {"page": 2, "status": "ongoing"}).content
        html = html.decode()
        assert '<nav class="pagination-nav" aria-label="Pagination">' in html
        assert re.search(r'href="\?[^"]*page=2[^"]*" aria-current="page"', html)
        # Page links keep the filters.
        assert re.search(r'href="\?[^"]*status=ongoing[^"]*page=3', html) or re.search(
            r'href="\?[^"]*page=3[^"]*status=ongoing', html
        )

    def test_filtering_again_starts_at_page_one(self, client, items):
        html = client.get(EN_LIST_URL, {"page": 2}).content.decode()
        form = html.split('<form id="action-filters"')[1].split("</form>")[0]
        assert 'name="page"' not in form


class TestSorting:
    @pytest.fixture
    def items(self, plan):
        factories.ActionItemFactory(
            plan=plan, code="A", due_date=datetime.date(2027, 1, 1), status="paused"
        )
        factories.ActionItemFactory(
            plan=plan, code="B", due_date=datetime.date(2025, 1, 1), status="ongoing"
        )
        factories.ActionItemFactory(
            plan=plan, code="C", due_date=None, status="not_started"
        )

    def test_sort_by_due_date_keeps_undated_items_last(self, client, items):
        assert _rows(client.get(LIST_URL, {"sort": "due_date"})) == ["B", "A", "C"]
        assert _rows(client.get(LIST_URL, {"sort": "-due_date"})) == ["A", "B", "C"]

    def test_sort_by_status_follows_the_workflow(self, client, items):
        assert _rows(client.get(LIST_URL, {"sort": "status"})) == ["C", "B", "A"]

    def test_sort_by_title(self, client, plan):
        factories.ActionItemFactory(plan=plan, code="1", title="Öresund")
        factories.ActionItemFactory(plan=plan, code="2", title="Arena")
        assert _rows(client.get(LIST_URL, {"sort": "-title"})) == ["1", "2"]
        assert _rows(client.get(LIST_URL, {"sort": "title"})) == ["2", "1"]

    def test_a_delayed_item_past_its_end_date_shows_status_and_flag(self, client, plan):
        past = timezone.localdate() - datetime.timedelta(days=1)
        factories.ActionItemFactory(plan=plan, status="delayed", due_date=past)
        factories.ActionItemFactory(plan=plan, status="ongoing", due_date=past)
        html = client.get(LIST_URL).content.decode()
        assert html.count("badge--delayed") == 1
        # "Försenad" is the status; the date flag is "Passerat slutdatum".
        assert html.count("badge--late") == 2
        assert html.count("Passerat slutdatum <time") == 2

    def test_delayed_item_page_shows_the_date_flag_when_late(self, client, plan):
        past = timezone.localdate() - datetime.timedelta(days=1)
        delayed = factories.ActionItemFactory(
            plan=plan, status="delayed", due_date=past
        )
        ongoing = factories.ActionItemFactory(
            plan=plan, status="ongoing", due_date=past
        )
        html = client.get(delayed.get_absolute_url()).content.decode()
        assert "badge--delayed" in html
        assert "badge--late" in html
        assert "badge--late" in client.get(ongoing.get_absolute_url()).content.decode()

    def test_sorted_column_has_aria_sort(self, client, items):
        html = client.get(LIST_URL, {"sort": "-due_date"}).content.decode()
        assert len(re.findall(r"aria-sort=", html)) == 1
        assert 'aria-sort="descending"' in html

    def test_default_order_marks_only_the_plan_column(self, client, items):
        html = client.get(LIST_URL).content.decode()
        assert len(re.findall(r"aria-sort=", html)) == 1
        assert re.search(
            r'aria-sort="ascending">\s*<a class="sort-link" href="\?sort=-plan"', html
        )

    def test_table_has_caption_and_header_scopes(self, client, items):
        html = client.get(EN_LIST_URL).content.decode()
        assert "<caption>Action items</caption>" in html
        assert html.count('<th scope="col"') == 9
        assert html.count('<th scope="row"') == 3

    def test_plan_column_is_left_out_when_one_plan_is_shown(self, client, items, plan):
        response = client.get(EN_LIST_URL, {"plan": plan.slug})
        html = response.content.decode()
        assert html.count('<th scope="col"') == 8
        assert "?sort=plan" not in html
        response = client.get(EN_LIST_URL, {"plan": plan.slug, "due_year": "x"})
        assert response.content.decode().count('<th scope="col"') == 8

    def test_filter_form_keeps_the_sort_order(self, client, items):
        html = client.get(LIST_URL, {"sort": "-due_date"}).content.decode()
        assert '<input type="hidden" name="sort" value="-due_date">' in html


class TestListVisibility:
    def test_anonymous_visitor_sees_public_items_only(self, client, hidden):
        response = client.get(LIST_URL, {"per_page": 100})
        assert _rows(response) == ["P1"]
        html = response.content.decode()
        for name in ("internal", "draft", "unpublished"):
            assert hidden[name].title not in html

    def test_anonymous_counts_exclude_hidden_items(self, client, hidden):
        response = client.get(EN_LIST_URL)
        assert response.context["result_count"] == 1
        assert re.search(r">\s*1 action item\s*<", response.content.decode())

    def test_anonymous_cannot_filter_their_way_to_hidden_items(self, client, hidden):
        response = client.get(LIST_URL, {"plan": "utkast"})
        assert "D1" not in _rows(response)
        response = client.get(LIST_URL, {"q": "Intern"})
        assert _rows(response) == []

    def test_reader_sees_every_item(self, client, reader, hidden):
        client.force_login(reader)
        response = client.get(LIST_URL)
        assert sorted(_rows(response)) == ["D1", "I1", "P1", "U1"]

    def test_latest_update_date_ignores_internal_updates_for_anonymous(
        self, client, plan
    ):
        item = factories.ActionItemFactory(plan=plan)
        factories.ActionUpdateFactory(item=item, date=datetime.date(2026, 1, 1))
        factories.ActionUpdateFactory(
            item=item, date=datetime.date(2026, 2, 2), is_public=False
        )
        html = client.get(LIST_URL).content.decode()
        assert "2026-01-01" in html
        assert "2026-02-02" not in html


# ---------------------------------------------------------------------------
# /actions/<pk>/
# ---------------------------------------------------------------------------


class TestActionDetail:
    def test_shows_the_eight_columns_of_a_soderort_row(self, client, bundled_plans):
        item = ActionItem.objects.get(plan__slug="soderort-2030", code="1")
        response = client.get(f"/en{item.get_absolute_url()}")
        assert response.status_code == 200
        html = response.content.decode()
        for label in (
            "Heading",
            "Assignment",
            "Commissioned by",
            "Expected result",
            "Schedule",
            "Responsible committee",
            "Responsible officer",
            "Coordinator (SLK)",
        ):
            assert f"<dt>{label}</dt>" in html
        assert "Prioritera insatser för att öka antalet arbetsplatser" in html
        assert "Kommunfullmäktige i budget för 2010" in html
        assert "Strategi för arbetsplatsutveckling i Söderort" in html
        assert "Strategi klar hösten 2010" in html
        assert "Stockholm Business Region" in html

    def test_se_ovan_row_links_to_the_row_it_refers_to_and_back(
        self, client, bundled_plans
    ):
        item = ActionItem.objects.get(plan__slug="soderort-2030", code="16")
        referenced = item.see_above
        html = client.get(item.get_absolute_url()).content.decode()
        assert f'href="{referenced.get_absolute_url()}"' in html
        back = client.get(referenced.get_absolute_url()).content.decode()
        assert f'href="{item.get_absolute_url()}"' in back

    def test_links_to_the_action_section_of_its_plan(self, client, bundled_plans):
        item = ActionItem.objects.get(plan__slug="handlingsplan-2009", code="1.2")
        section = Section.objects.get(
            plan__slug="handlingsplan-2009", kind=Section.Kind.ACTION_ITEMS
        )
        html = client.get(item.get_absolute_url()).content.decode()
        assert f'href="/plans/handlingsplan-2009/#{section.anchor}"' in html

    def test_links_to_its_strategy_in_the_business_plan(self, client, plan):
        business_plan = factories.PlanFactory(slug="vp")
        factories.SectionFactory(
            plan=business_plan, order=4, kind=Section.Kind.STRATEGIES
        )
        strategy = factories.StrategyFactory(plan=business_plan, title="Attraktivitet")
        item = factories.ActionItemFactory(plan=plan, strategy=strategy)
        html = client.get(item.get_absolute_url()).content.decode()
        assert '<a href="/plans/vp/#kapitel-4">Attraktivitet</a>' in html

    def test_strategy_of_a_draft_plan_is_hidden_from_anonymous(self, client, plan):
        draft = factories.PlanFactory(status=Plan.Status.DRAFT)
        strategy = factories.StrategyFactory(plan=draft, title="Hemlig strategi")
        item = factories.ActionItemFactory(plan=plan, strategy=strategy)
        assert (
            "Hemlig strategi"
            not in client.get(item.get_absolute_url()).content.decode()
        )

    def test_shows_status_progress_dates_and_responsibles(self, client, plan):
        person = factories.PersonFactory(name="Anna Andersson", title="Utredare")
        item = factories.ActionItemFactory(
            plan=plan,
            status="delayed",
            progress=35,
            start_date=datetime.date(2009, 1, 1),
            due_date=datetime.date(2009, 10, 22),
            responsible_person=person,
            responsible_organisation=person.organisation,
        )
        html = client.get(item.get_absolute_url()).content.decode()
        assert "badge--delayed" in html
        assert "progress__fill--35" in html
        assert "22 oktober 2009" in html
        assert "1 januari 2009" in html
        assert "Anna Andersson, Utredare" in html
        assert person.organisation.get_absolute_url() in html

    def test_empty_progress_log_has_an_empty_state(self, client, plan):
        item = factories.ActionItemFactory(plan=plan)
        html = client.get(f"/en{item.get_absolute_url()}").content.decode()
        assert "No progress has been reported yet." in html


class TestDetailVisibility:
    def test_anonymous_sees_public_updates_but_no_internal_ones(self, client, hidden):
        html = client.get(hidden["public"].get_absolute_url()).content.decode()
        assert "Offentlig lägesrapport" in html
        assert "Intern lägesrapport om resurser" not in html
        assert "Hemlig anteckning om budgeten" not in html

    def test_reader_sees_internal_updates_marked_and_the_internal_note(
        self, client, reader, hidden
    ):
        client.force_login(reader)
        html = client.get(f"/en{hidden['public'].get_absolute_url()}").content.decode()
        assert "Intern lägesrapport om resurser" in html
        assert "update--internal" in html
        assert "Internal – not shown to the public" in html
        assert "Hemlig anteckning om budgeten" in html

    @pytest.mark.parametrize("name", ["internal", "draft", "unpublished"])
    def test_hidden_items_are_not_found_for_anonymous(self, client, hidden, name):
        assert client.get(hidden[name].get_absolute_url()).status_code == 404

    @pytest.mark.parametrize("name", ["internal", "draft", "unpublished"])
    def test_reader_sees_hidden_items(self, client, reader, hidden, name):
        client.force_login(reader)
        assert client.get(hidden[name].get_absolute_url()).status_code == 200

    def test_unknown_item_is_not_found(self, client):
        assert (
            client.get(reverse("plans:actionitem-detail", args=[999999])).status_code
            == 404
        )

    def test_internal_row_referred_to_is_not_linked_for_anonymous(self, client, plan):
        internal = factories.ActionItemFactory(
            plan=plan, title="Intern rad", is_public=False
        )
        item = factories.ActionItemFactory(
            plan=plan, assignment="Se ovan", see_above=internal
        )
        html = client.get(item.get_absolute_url()).content.decode()
        assert internal.get_absolute_url() not in html
        assert "Intern rad" not in html

    def test_internal_rows_referring_here_are_not_listed_for_anonymous(
        self, client, plan
    ):
        item = factories.ActionItemFactory(plan=plan)
        factories.ActionItemFactory(
            plan=plan, title="Intern hänvisning", see_above=item, is_public=False
        )
        assert (
            "Intern hänvisning"
            not in client.get(item.get_absolute_url()).content.decode()
        )


# ---------------------------------------------------------------------------
# /open-data/
# ---------------------------------------------------------------------------


class TestOpenData:
    def test_page_lists_stable_addresses_of_every_bundled_plan(
        self, client, bundled_plans
    ):
        response = client.get("/open-data/")
        assert response.status_code == 200
        html = response.content.decode()
        for slug in BUNDLED_SLUGS:
            for export_format in ("csv", "xlsx", "json"):
                assert f"/open-data/{slug}/actions.{export_format}" in html

    def test_page_does_not_list_drafts(self, client, bundled_plans):
        factories.PlanFactory(slug="utkast", title="Utkast", status=Plan.Status.DRAFT)
        assert "/open-data/utkast/" not in client.get("/open-data/").content.decode()

    def test_page_states_the_csv_format_and_publisher(self, client, bundled_plans):
        html = client.get("/en/open-data/").content.decode()
        assert "UTF-8 with a byte order mark" in html
        assert "semicolons (;)" in html
        assert "published by the plan’s owner" in html
        assert "Published by Stockholms stad" in html

    def test_empty_state(self, client):
        html = client.get("/en/open-data/").content.decode()
        assert "No plan has been published yet." in html

    @pytest.mark.parametrize("slug", BUNDLED_SLUGS)
    def test_every_bundled_plan_has_its_files(self, client, bundled_plans, slug):
        content_types = {
            "csv": "text/csv; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "json": "application/json",
        }
        for export_format, content_type in content_types.items():
            response = client.get(f"/open-data/{slug}/actions.{export_format}")
            assert response.status_code == 200
            assert response["Content-Type"] == content_type

    @pytest.mark.parametrize("export_format", ["pdf", "xml", "CSV", "csv.bak"])
    def test_unknown_format_is_not_found(self, client, bundled_plans, export_format):
        response = client.get(f"/open-data/soderort-2030/actions.{export_format}")
        assert response.status_code == 404

    def test_unknown_plan_is_not_found(self, client):
        assert client.get("/open-data/no-such-plan/actions.csv").status_code == 404

    @pytest.mark.parametrize("export_format", ["csv", "xlsx", "json"])
    def test_draft_plan_is_not_found_for_anonymous(self, client, export_format):
        factories.PlanFactory(slug="utkast", status=Plan.Status.DRAFT)
        response = client.get(f"/open-data/utkast/actions.{export_format}")
        assert response.status_code == 404

    def test_unpublished_plan_is_not_found_for_anonymous(self, client):
        factories.PlanFactory(slug="ej-publik", is_public=False)
        assert client.get("/open-data/ej-publik/actions.json").status_code == 404

    def test_reader_can_download_a_draft(self, client, reader):
        plan = factories.PlanFactory(slug="utkast", status=Plan.Status.DRAFT)
        factories.ActionItemFactory(plan=plan, title="Utkaståtgärd")
        client.force_login(reader)
        response = client.get("/open-data/utkast/actions.json")
        assert response.status_code == 200
        assert "Utkaståtgärd" in response.content.decode()

    def test_english_addresses_exist_too(self, client, bundled_plans):
        response = client.get("/en/open-data/soderort-2030/actions.csv")
        assert response.status_code == 200


# ---------------------------------------------------------------------------
# Query counts: the same with 10 and with 300 action items
# ---------------------------------------------------------------------------


def _grow(plan, total, focus_area, strategy, organisation, person):
    """Bring the plan to `total` items, each with one public update (bulk: fast)."""
    existing = plan.action_items.count()
    items = ActionItem.objects.bulk_create(
        ActionItem(
            plan=plan,
            code=f"G{number}",
            order=number,
            title=f"Åtgärd {number}",
            focus_area=focus_area,
            strategy=strategy,
            responsible_organisation=organisation,
            responsible_person=person,
            status=ActionItem.Status.ONGOING,
            progress=40,
            due_date=datetime.date(2026, 6, 30),
        )
        for number in range(existing, total)
    )
    ActionUpdate.objects.bulk_create(
        ActionUpdate(item=item, status=item.status, progress=50, text="Enligt plan.")
        for item in items
    )


@pytest.fixture
def many(plan):
    focus_area = factories.FocusAreaFactory(plan=plan)
    strategy = factories.StrategyFactory(plan=plan)
    person = factories.PersonFactory()
    organisation = person.organisation

    def grow(total):
        _grow(plan, total, focus_area, strategy, organisation, person)

    return grow


class TestQueryCounts:
    @pytest.mark.parametrize(
        "url",
        [
            LIST_URL,
            LIST_URL + "?per_page=100&sort=-due_date",
            LIST_URL + "?sort=status&status=ongoing&q=Åtgärd",
            LIST_URL + "?export=csv",
            LIST_URL + "?export=xlsx",
            LIST_URL + "?export=json",
            "/open-data/",
            "/open-data/handlingsplan-test/actions.csv",
            "/open-data/handlingsplan-test/actions.xlsx",
            "/open-data/handlingsplan-test/actions.json",
        ],
    )
    @pytest.mark.parametrize("signed_in", [False, True])
    def test_list_exports_and_open_data(self, client, reader, many, url, signed_in):
        if signed_in:
            client.force_login(reader)
        many(10)
        with_10 = _query_count(client, url)
        many(300)
        assert _query_count(client, url) == with_10

    @pytest.mark.parametrize("signed_in", [False, True])
    def test_detail_page_with_many_updates_and_references(
        self, client, reader, plan, signed_in
    ):
        if signed_in:
            client.force_login(reader)
        item = factories.ActionItemFactory(
            plan=plan, responsible_person=factories.PersonFactory()
        )
        indicator = factories.IndicatorFactory()

        def grow(total):
            while item.updates.count() < total:
                factories.ActionUpdateFactory(item=item, author=reader)
                factories.ActionItemFactory(plan=plan, see_above=item)
                indicator_item = factories.IndicatorFactory()
                indicator_item.action_items.add(item)

        indicator.action_items.add(item)
        grow(10)
        with_10 = _query_count(client, item.get_absolute_url())
        grow(300)
        assert _query_count(client, item.get_absolute_url()) == with_10
