"""Home, dashboard (Lägesbild), accessibility statement, sign in and error pages."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.views.defaults import server_error

from plans.models import ActionItem, Plan
from plans.services import dashboard as dashboard_service
from tests import factories

pytestmark = pytest.mark.django_db

NBSP = "\N{NO-BREAK SPACE}"
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
LONG_AGO = timezone.now() - datetime.timedelta(days=200)


def page_text(response):
    """The visible text of a page: tags removed, entities and spaces normalised."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    text = re.sub(r"\s+", " ", text.replace(NBSP, " "))
    # Undo the space the tag removal leaves before punctuation.
    return re.sub(r" ([,.:)])", r"\1", text)


def hrefs(response):
    """Every link target of a page, unescaped."""
    return [
        html.unescape(href)
        for href in re.findall(r'href="([^"]*)"', response.content.decode())
    ]


def link_for(response, url):
    """The text of the first link to ``url`` that shows a number."""
    content = response.content.decode()
    pattern = rf'<a href="{re.escape(html.escape(url))}"[^>]*>(.*?)</a>'
    texts = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
        for text in re.findall(pattern, content, re.S)
    ]
    numbers = [text for text in texts if re.match(r"\d", text)]
    assert numbers, f"no number links to {url}: {texts}"
    return numbers[0]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def login(client, user):
    if user is not None:
        client.force_login(user)


@pytest.fixture(params=["anonymous", "reader", "editor"])
def any_user(request):
    """Each role in turn: None for an anonymous visitor."""
    if request.param == "anonymous":
        return None
    return request.getfixturevalue(request.param)


@pytest.fixture
def small_plan(db):
    """A published action plan: 2 done, 3 ongoing, 1 late (6 visible items).

    Beside it: an internal item, and a draft plan with items, neither of which
    an anonymous visitor may count.
    """
    plan = factories.PlanFactory(title="Handlingsplan Testby", slug="testby")
    first = factories.FocusAreaFactory(plan=plan, title="Näringsliv", order=1)
    second = factories.FocusAreaFactory(plan=plan, title="Boende", order=2)
    strategy = factories.StrategyFactory(plan=plan, title="Locka företag")
    done = ActionItem.Status.DONE
    ongoing = ActionItem.Status.ONGOING
    factories.ActionItemFactory.create_batch(
        2, plan=plan, focus_area=first, status=done, strategy=strategy
    )
    factories.ActionItemFactory.create_batch(
        2, plan=plan, focus_area=first, status=ongoing
    )
    factories.ActionItemFactory(plan=plan, focus_area=second, status=ongoing)
    factories.ActionItemFactory(
        plan=plan,
        focus_area=second,
        status=ActionItem.Status.NOT_STARTED,
        due_date=TODAY - datetime.timedelta(days=10),
        title="Sen åtgärd",
    )
    factories.ActionItemFactory(
        plan=plan, focus_area=first, status=done, is_public=False, title="Hemlig"
    )
    draft = factories.PlanFactory(
        title="Utkastplan", slug="utkast", status=Plan.Status.DRAFT
    )
    factories.ActionItemFactory.create_batch(3, plan=draft, status=done)
    return plan


# ---------------------------------------------------------------------------
# Every page, every role, both languages
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize(
    ("url", "key_content"),
    [
        ("/", "Handlingsplan Testby"),
        ("/dashboard/", "Handlingsplan Testby"),
        ("/accessibility/", "tina.karrbom@flemingsberg.se"),
    ],
)
def test_page_renders_for_every_role_and_language(
    client, any_user, small_plan, prefix, url, key_content
):
    login(client, any_user)
    response = client.get(prefix + url)
    assert response.status_code == 200
    assert key_content in response.content.decode()
    expected_language = "en" if prefix else "sv"
    assert f'<html lang="{expected_language}">' in response.content.decode()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_login_page_renders_in_both_languages(client, prefix):
    response = client.get(prefix + "/accounts/login/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<label for="id_username">' in content
    assert '<label for="id_password">' in content


# ---------------------------------------------------------------------------
# Home
# ---------------------------------------------------------------------------


class TestHome:
    def test_key_figures_count_visible_items_by_status(self, client, small_plan):
        response = client.get("/")
        figures = [value for value, _label, _url in response.context["key_figures"]]
        assert figures == [6, 2, 3, 1]

    def test_each_key_figure_links_to_the_filtered_action_list(
        self, client, small_plan
    ):
        response = client.get("/")
        assert link_for(response, "/actions/?status=done").startswith("2 ")
        assert link_for(response, "/actions/?status=ongoing").startswith("3 ")
        assert link_for(response, "/actions/?late=true").startswith("1 ")
        assert link_for(response, "/actions/").startswith("6 ")

    def test_a_reader_counts_internal_items_and_drafts(
        self, client, reader, small_plan
    ):
        client.force_login(reader)
        response = client.get("/")
        figures = [value for value, _label, _url in response.context["key_figures"]]
        assert figures == [10, 6, 3, 1]

    def test_english_key_figures_link_under_en(self, client, small_plan):
        response = client.get("/en/")
        assert link_for(response, "/en/actions/?status=done") == "2 done"

    def test_vision_and_strategies_of_the_business_plan_are_shown(self, client):
        plan = factories.PlanFactory(
            kind=Plan.Kind.BUSINESS_PLAN, title="Verksamhetsplan Testby"
        )
        factories.VisionStatementFactory(plan=plan, text="Testby blomstrar 2030.")
        for title in ["Forska", "Starta", "Bygga", "Locka", "Berätta"]:
            factories.StrategyFactory(plan=plan, title=title)
        response = client.get("/en/")
        text = page_text(response)
        assert "Vision 2030" in text
        assert "Testby blomstrar 2030." in text
        assert "The 5 strategies" in text
        for title in ["Forska", "Starta", "Bygga", "Locka", "Berätta"]:
            assert title in text

    def test_vision_of_a_draft_business_plan_is_hidden_from_anonymous_visitors(
        self, client
    ):
        plan = factories.PlanFactory(
            kind=Plan.Kind.BUSINESS_PLAN, status=Plan.Status.DRAFT
        )
        factories.VisionStatementFactory(plan=plan, text="Hemlig vision.")
        response = client.get("/")
        assert "Hemlig vision." not in response.content.decode()

    def test_funding_per_year_is_summed_in_swedish_format(self, client):
        plan = factories.PlanFactory(title="Verksamhetsplan Testby")
        factories.FundingContributionFactory(plan=plan, year=2009, amount=1000000)
        factories.FundingContributionFactory(plan=plan, year=2009, amount=500000)
        factories.FundingContributionFactory(plan=plan, year=2010, amount=1000000)
        response = client.get("/")
        content = response.content.decode()
        assert f"1{NBSP}500{NBSP}000 kr" in content
        assert f"1{NBSP}000{NBSP}000 kr" in content
        assert f"2{NBSP}500{NBSP}000 kr" in content  # the total

    def test_funding_of_a_draft_plan_is_not_shown(self, client, reader):
        draft = factories.PlanFactory(status=Plan.Status.DRAFT)
        factories.FundingContributionFactory(plan=draft, amount=7777777)
        client.force_login(reader)
        response = client.get("/")
        assert f"7{NBSP}777{NBSP}777" not in response.content.decode()

    def test_latest_public_updates_are_listed(self, client, small_plan):
        item = small_plan.action_items.filter(is_public=True).first()
        factories.ActionUpdateFactory(item=item, text="Workshop genomförd.")
        factories.ActionUpdateFactory(
            item=item, text="Intern avstämning.", is_public=False
        )
        response = client.get("/")
        content = response.content.decode()
        assert "Workshop genomförd." in content
        assert "Intern avstämning." not in content
        assert item.get_absolute_url() in content

    def test_a_reader_sees_internal_updates(self, client, reader, small_plan):
        item = small_plan.action_items.first()
        factories.ActionUpdateFactory(
            item=item, text="Intern avstämning.", is_public=False
        )
        client.force_login(reader)
        assert "Intern avstämning." in client.get("/").content.decode()

    def test_updates_of_internal_items_are_hidden_from_anonymous_visitors(
        self, client, small_plan
    ):
        hidden = small_plan.action_items.get(title="Hemlig")
        factories.ActionUpdateFactory(item=hidden, text="Om det hemliga.")
        assert "Om det hemliga." not in client.get("/").content.decode()

    def test_plans_link_to_their_documents_and_drafts_stay_hidden(
        self, client, small_plan
    ):
        response = client.get("/")
        assert small_plan.get_absolute_url() in hrefs(response)
        assert "Utkastplan" not in response.content.decode()
        assert reverse("plans:dashboard") in hrefs(response)

    def test_empty_site_shows_empty_states(self, client):
        response = client.get("/en/")
        assert response.status_code == 200
        text = page_text(response)
        assert "No plans are published yet." in text
        assert "No progress updates have been published yet." in text


# ---------------------------------------------------------------------------
# Dashboard
# ---------------------------------------------------------------------------


class TestDashboard:
    def test_plan_counts_per_status(self, client, small_plan):
        response = client.get("/dashboard/")
        (section,) = response.context["sections"]
        counts = section["summary"].counts
        assert section["plan"] == small_plan
        assert counts.total == 6
        assert counts.done == 2
        assert counts.ongoing == 3
        assert counts.late == 1
        assert counts.share_done == 33
        (row,) = response.context["plan_rows"]
        assert row.plan == small_plan
        assert row.group.counts.by_status == counts.by_status

    def test_focus_area_rows_count_their_own_items(self, client, small_plan):
        response = client.get("/dashboard/")
        groups = response.context["sections"][0]["breakdowns"][0].groups
        assert [(group.label, group.counts.total) for group in groups[1:]] == [
            ("Näringsliv", 4),
            ("Boende", 2),
        ]
        assert groups[0].counts.total == 6

    def test_strategy_rows_count_their_items(self, client, small_plan):
        response = client.get("/dashboard/")
        by_strategy = response.context["sections"][0]["breakdowns"][1]
        (group,) = by_strategy.groups
        assert group.label == "Locka företag"
        assert group.counts.done == 2

    def test_each_number_links_to_the_filtered_action_list(self, client, small_plan):
        response = client.get("/en/dashboard/")
        first = small_plan.focus_areas.get(title="Näringsliv")
        second = small_plan.focus_areas.get(title="Boende")
        strategy = small_plan.strategies.get()
        actions = "/en/actions/?plan=testby"
        assert link_for(response, actions) == "6 action items"
        assert link_for(response, f"{actions}&late=true") == "1"
        expected = {
            f"{actions}&status=done": "2",
            f"{actions}&focus_area={first.pk}": "4",
            f"{actions}&focus_area={first.pk}&status=done": "2",
            f"{actions}&focus_area={first.pk}&status=ongoing": "2",
            f"{actions}&focus_area={second.pk}&status=ongoing": "1",
            f"{actions}&focus_area={second.pk}&status=not_started": "1",
            f"{actions}&focus_area={second.pk}&late=true": "1",
            f"{actions}&strategy={strategy.pk}&status=done": "2",
        }
        for url, number in expected.items():
            assert link_for(response, url) == number, url
        # The plan's row names each status beside its number.
        content = response.content.decode()
        assert f'<a href="{html.escape(actions)}&amp;status=ongoing">Ongoing' in content

    def test_overall_figures_link_to_the_action_list(self, client, small_plan):
        response = client.get("/en/dashboard/")
        assert link_for(response, "/en/actions/?status=done").startswith("2 done")
        assert link_for(response, "/en/actions/?status=ongoing").startswith("3 ")
        assert link_for(response, "/en/actions/?late=true").startswith("1 ")
        assert link_for(response, "/en/actions/?overdue=true").startswith("0 ")

    def test_zero_counts_are_not_links(self, client, small_plan):
        second = small_plan.focus_areas.get(title="Boende")
        response = client.get("/dashboard/")
        links = hrefs(response)
        assert f"/actions/?plan=testby&focus_area={second.pk}&status=done" not in links
        assert "/actions/?plan=testby&overdue=true" not in links

    def test_anonymous_visitors_do_not_see_drafts_or_internal_items(
        self, client, small_plan
    ):
        response = client.get("/dashboard/")
        content = response.content.decode()
        assert "Utkastplan" not in content
        assert response.context["overall"].counts.total == 6

    def test_a_reader_sees_drafts_and_internal_items(self, client, reader, small_plan):
        client.force_login(reader)
        response = client.get("/dashboard/")
        assert "Utkastplan" in response.content.decode()
        assert response.context["overall"].counts.total == 10
        assert response.context["sections"][-1]["summary"].counts.done == 3

    def test_each_chart_is_an_accessible_image_with_a_table(self, client, small_plan):
        response = client.get("/dashboard/")
        content = response.content.decode()
        svgs = re.findall(r"<svg\b.*?</svg>", content, re.S)
        charts_ = [svg for svg in svgs if 'role="img"' in svg]
        assert len(charts_) == 2  # by focus area and by strategy
        for svg in charts_:
            labelledby = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
            title_id, desc_id = labelledby.split()
            assert re.search(rf'<title id="{title_id}">[^<]+</title>', svg)
            assert f'<desc id="{desc_id}">' in svg
        # The plan's status strip is decoration beside the same numbers.
        strips = [svg for svg in svgs if 'class="status-strip"' in svg]
        assert len(strips) == 1
        assert 'aria-hidden="true"' in strips[0]
        assert content.count('<table class="dashboard-table">') == 2
        assert content.count("<caption>") >= 3

    def test_recently_updated_items_are_ordered_by_latest_update(
        self, client, small_plan
    ):
        older, newer = small_plan.action_items.filter(is_public=True)[:2]
        factories.ActionUpdateFactory(item=older, date=TODAY - datetime.timedelta(5))
        factories.ActionUpdateFactory(item=older, date=TODAY - datetime.timedelta(9))
        factories.ActionUpdateFactory(item=newer, date=TODAY - datetime.timedelta(1))
        response = client.get("/dashboard/")
        shown = list(response.context["recently_updated"])
        assert shown == [newer, older]
        assert shown[1].latest_update_on == TODAY - datetime.timedelta(5)

    def test_at_most_ten_recently_updated_items_newest_first(self, client, small_plan):
        plan_items = list(small_plan.action_items.filter(is_public=True))
        items = plan_items + factories.ActionItemFactory.create_batch(
            6, plan=small_plan
        )
        for days, item in enumerate(items):
            factories.ActionUpdateFactory(item=item, date=TODAY - days * DAY)
        shown = list(client.get("/dashboard/").context["recently_updated"])
        assert shown == items[:10]

    def test_recent_items_come_from_the_newest_updates_each_once(
        self, client, small_plan, monkeypatch
    ):
        """Only the newest updates are read (100 at full size, 6 here): an item
        with several of them is listed once, with its latest visible date."""
        monkeypatch.setattr(dashboard_service, "RECENT_UPDATES_READ", 6)
        items = list(small_plan.action_items.filter(is_public=True))
        for days, item in enumerate(items):
            factories.ActionUpdateFactory(item=item, date=TODAY - days * DAY)
            factories.ActionUpdateFactory(item=item, date=TODAY - (days + 2) * DAY)
        # The 6 newest are 0, 1, 2, 2, 3 and 3 days old: the first 4 items'.
        shown = list(client.get("/dashboard/").context["recently_updated"])
        assert shown == items[:4]
        assert [item.latest_update_on for item in shown] == [
            TODAY - days * DAY for days in range(4)
        ]

    def test_an_internal_update_does_not_count_as_recent_for_anonymous_visitors(
        self, client, reader, small_plan
    ):
        item = small_plan.action_items.filter(is_public=True).first()
        factories.ActionUpdateFactory(item=item, is_public=False)
        assert list(client.get("/dashboard/").context["recently_updated"]) == []
        client.force_login(reader)
        assert list(client.get("/dashboard/").context["recently_updated"]) == [item]

    def test_a_plan_without_visible_items_is_left_out(self, client, small_plan):
        factories.PlanFactory(title="Tom plan")
        assert "Tom plan" not in client.get("/dashboard/").content.decode()

    def test_no_items_shows_an_empty_state(self, client):
        response = client.get("/en/dashboard/")
        assert "There are no action items to show yet." in page_text(response)


def backdate(items, days):
    """Created at local noon ``days`` days ago (whole days, DST-safe)."""
    noon = datetime.datetime.combine(
        TODAY - datetime.timedelta(days=days), datetime.time(12)
    )
    ActionItem.objects.filter(pk__in=[item.pk for item in items]).update(
        created_at=timezone.make_aware(noon)
    )


class TestOverdueUpdatesOnTheDashboard:
    """One rule: an open item's update is overdue its plan's interval after its
    latest visible update, or after it was added; never in an archived plan."""

    @pytest.fixture
    def overdue(self, small_plan):
        monthly = factories.PlanFactory(
            title="Månadsplan", slug="manad", update_interval_days=30
        )
        archived = factories.PlanFactory(
            title="Arkiverad plan", slug="arkiv", status=Plan.Status.ARCHIVED
        )
        items = {
            "quiet": small_plan.action_items.get(title="Sen åtgärd"),
            "updated": factories.ActionItemFactory(plan=small_plan, title="Uppdaterad"),
            "internal": factories.ActionItemFactory(plan=small_plan, title="Intern"),
            "monthly": factories.ActionItemFactory(plan=monthly, title="Månatlig"),
            "done": factories.ActionItemFactory(
                plan=monthly, title="Avklarad", status=ActionItem.Status.DONE
            ),
            "archived": factories.ActionItemFactory(plan=archived, title="Gammal"),
        }
        backdate(items.values(), 200)
        # 45 days: within the default 60, past the monthly plan's 30.
        factories.ActionUpdateFactory(item=items["updated"], date=TODAY - 45 * DAY)
        factories.ActionUpdateFactory(item=items["monthly"], date=TODAY - 45 * DAY)
        factories.ActionUpdateFactory(
            item=items["internal"], date=TODAY - 45 * DAY, is_public=False
        )
        return items

    def test_counts_and_list_follow_each_plans_interval(self, client, overdue):
        response = client.get("/dashboard/")
        shown = response.context["overdue_updates"]
        assert set(shown) == {overdue["quiet"], overdue["internal"], overdue["monthly"]}
        assert response.context["overall"].counts.overdue == 3
        assert response.context["overdue_update_count"] == 3
        rows = response.context["plan_rows"]
        overdue_per_plan = {row.plan.slug: row.group.counts.overdue for row in rows}
        assert overdue_per_plan == {"testby": 2, "manad": 1, "arkiv": 0}
        # Longest overdue first: the due date counts, not the last update.
        assert shown[-1] == overdue["monthly"]
        assert shown[-1].next_update_due == TODAY - 15 * DAY
        assert shown[0].latest_update_on is None

    def test_an_internal_update_counts_for_members_only(self, client, reader, overdue):
        client.force_login(reader)
        response = client.get("/dashboard/")
        assert overdue["internal"] not in response.context["overdue_updates"]
        assert response.context["overall"].counts.overdue == 2

    def test_new_items_are_not_overdue(self, client, small_plan):
        response = client.get("/en/dashboard/")
        assert response.context["overall"].counts.overdue == 0
        assert response.context["overdue_updates"] == []
        assert "No progress update is overdue." in page_text(response)

    def test_the_numbers_link_to_the_same_items_in_the_action_list(
        self, client, overdue
    ):
        response = client.get("/en/dashboard/")
        assert link_for(response, "/en/actions/?plan=testby&overdue=true") == "2"
        assert link_for(response, "/en/actions/?overdue=true").startswith("3 ")
        listed = client.get("/en/actions/", {"plan": "testby", "overdue": "true"})
        titles = {row.record.title for row in listed.context["table"].paginated_rows}
        assert titles == {"Sen åtgärd", "Intern"}

    def test_the_list_shows_25_and_says_how_many_there_are(self, client, small_plan):
        items = factories.ActionItemFactory.create_batch(30, plan=small_plan)
        backdate(items, 100)
        response = client.get("/en/dashboard/")
        assert len(response.context["overdue_updates"]) == 25
        text = page_text(response)
        assert "30 open action items with an overdue progress update" in text
        assert "Showing 25 of 30." in text
        assert "/en/actions/?overdue=true" in hrefs(response)


@pytest.fixture
def five_plans(db):
    """Five published plans with items in two focus areas and a strategy each."""
    plans = []
    for number in range(5):
        plan = factories.PlanFactory(
            title=f"Plan {number}", slug=f"plan-{number}", start_year=2020 + number
        )
        area = factories.FocusAreaFactory(plan=plan, title=f"Område {number}")
        other = factories.FocusAreaFactory(plan=plan, title=f"Annat {number}")
        strategy = factories.StrategyFactory(plan=plan, title=f"Strategi {number}")
        factories.ActionItemFactory(plan=plan, focus_area=area, strategy=strategy)
        factories.ActionItemFactory(plan=plan, focus_area=other)
        plans.append(plan)
    return plans


def chart_titles(response):
    return re.findall(
        r'<title id="chart-[^"]+">([^<]+)</title>', response.content.decode()
    )


class TestManyPlans:
    """More than three plans: a row each; charts and tables for one at a time."""

    def test_every_plan_has_a_row_and_the_newest_its_breakdown(
        self, client, five_plans
    ):
        response = client.get("/en/dashboard/")
        rows = [row.plan.slug for row in response.context["plan_rows"]]
        assert rows == ["plan-4", "plan-3", "plan-2", "plan-1", "plan-0"]
        assert [s["plan"].slug for s in response.context["sections"]] == ["plan-4"]
        assert chart_titles(response) == [
            "Action items of Plan 4 by status and focus area",
            "Action items of Plan 4 by status and strategy",
        ]
        # The other plans' breakdowns are a link (or the form) away.
        assert "?plan=plan-2#plan-plan-2" in hrefs(response)
        content = response.content.decode()
        assert '<option value="plan-4" selected>Plan 4</option>' in content
        assert '<select id="dashboard-plan" name="plan">' in content

    def test_a_chosen_plan_shows_its_breakdown(self, client, five_plans):
        response = client.get("/en/dashboard/", {"plan": "plan-1"})
        assert [s["plan"].slug for s in response.context["sections"]] == ["plan-1"]
        assert "Område 1" in page_text(response)
        assert "Område 4" not in page_text(response)
        assert '<option value="plan-1" selected>' in response.content.decode()

    @pytest.mark.parametrize(
        "value", ["no-such-plan", "utkast", "x" * 3000, "<b>plan</b>", "plan-1\x00"]
    )
    def test_an_unknown_plan_is_a_form_error_and_the_default_view(
        self, client, five_plans, value
    ):
        response = client.get("/en/dashboard/", {"plan": value})
        assert response.status_code == 200
        content = response.content.decode()
        assert 'aria-invalid="true" aria-describedby="dashboard-plan-error"' in content
        assert 'id="dashboard-plan-error"' in content
        assert [s["plan"].slug for s in response.context["sections"]] == ["plan-4"]
        assert "<b>plan</b>" not in content

    def test_a_draft_plan_is_unknown_to_visitors_but_not_to_members(
        self, client, reader, five_plans
    ):
        draft = factories.PlanFactory(slug="utkast-2", status=Plan.Status.DRAFT)
        factories.ActionItemFactory(plan=draft)
        response = client.get("/dashboard/", {"plan": "utkast-2"})
        assert response.context["plan_choice"].error
        client.force_login(reader)
        response = client.get("/dashboard/", {"plan": "utkast-2"})
        assert not response.context["plan_choice"].error
        assert [s["plan"] for s in response.context["sections"]] == [draft]

    def test_three_plans_show_every_breakdown(self, client, five_plans):
        Plan.objects.filter(slug__in=["plan-0", "plan-1"]).delete()
        response = client.get("/en/dashboard/")
        assert len(response.context["sections"]) == 3
        assert len(chart_titles(response)) == 6
        assert (
            '<option value="" selected>All plans</option>' in response.content.decode()
        )
        # One of them can still be chosen.
        response = client.get("/en/dashboard/", {"plan": "plan-3"})
        assert len(chart_titles(response)) == 2

    def test_the_same_queries_by_default_with_a_choice_and_with_more_plans(
        self, client, five_plans
    ):
        default = count_queries(client, "/dashboard/")
        assert count_queries(client, "/dashboard/?plan=plan-2") == default
        assert count_queries(client, "/dashboard/?plan=nonsense") == default
        for number in range(5, 12):
            plan = factories.PlanFactory(slug=f"plan-{number}")
            factories.ActionItemFactory.create_batch(3, plan=plan)
        assert count_queries(client, "/dashboard/") == default


# ---------------------------------------------------------------------------
# Query counts do not grow with the number of items
# ---------------------------------------------------------------------------


def add_items(plan, count):
    areas = list(plan.focus_areas.all())
    for index in range(count):
        item = factories.ActionItemFactory(
            plan=plan,
            focus_area=areas[index % len(areas)],
            status=ActionItem.Status.values[index % len(ActionItem.Status.values)],
            due_date=TODAY - datetime.timedelta(days=index % 3),
        )
        if index % 4 == 0:
            factories.ActionUpdateFactory(item=item)
    # Old enough for an overdue progress update when not updated.
    plan.action_items.update(created_at=LONG_AGO)


@pytest.mark.parametrize("url", ["/", "/dashboard/"])
@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_query_count_is_the_same_with_10_and_300_items(client, request, url, role):
    if role == "reader":
        client.force_login(request.getfixturevalue("reader"))
    plan = factories.PlanFactory(kind=Plan.Kind.BUSINESS_PLAN)
    factories.FocusAreaFactory.create_batch(3, plan=plan)
    factories.VisionStatementFactory(plan=plan)
    factories.StrategyFactory(plan=plan)
    factories.FundingContributionFactory(plan=plan)
    add_items(plan, 10)
    client.get(url)  # warm up session and permission caches
    with_10 = count_queries(client, url)
    add_items(plan, 290)
    assert count_queries(client, url) == with_10


# ---------------------------------------------------------------------------
# Accessibility statement, sign in, errors
# ---------------------------------------------------------------------------


class TestAccessibilityStatement:
    def test_follows_the_digg_structure(self, client):
        text = page_text(client.get("/en/accessibility/"))
        for heading in [
            "How accessible is the website?",
            "What can you do if you cannot use parts of the website?",
            "Report shortcomings in the accessibility of the website",
            "Supervision",
            "Technical information about the accessibility of the website",
            "Content that is not accessible",
            "How we tested the website",
        ]:
            assert heading in text

    def test_states_partial_compliance_and_the_known_shortcomings(self, client):
        text = page_text(client.get("/en/accessibility/"))
        assert "partially compliant" in text
        assert "PDF/UA" in text
        assert "axe-core" in text
        assert "keyboard" in text

    def test_names_contact_supervisor_and_date(self, client):
        response = client.get("/accessibility/")
        content = response.content.decode()
        assert "mailto:tina.karrbom@flemingsberg.se" in content
        assert "https://www.digg.se/" in content
        assert "Myndigheten för digital förvaltning" in content
        assert 'datetime="2026-11-23"' in content


class TestLogin:
    def test_wrong_password_shows_an_error(self, client, reader):
        response = client.post(
            "/en/accounts/login/", {"username": "lasare", "password": "fel"}
        )
        assert response.status_code == 200
        text = page_text(response)
        assert "You could not be signed in" in text
        assert "Please enter a correct username and password" in text

    def test_explains_that_accounts_are_given_not_registered(self, client):
        text = page_text(client.get("/en/accounts/login/"))
        assert "you cannot register yourself" in text
        assert "tina.karrbom@flemingsberg.se" in text

    def test_signing_in_goes_to_the_next_page(self, client, reader):
        response = client.post(
            "/accounts/login/",
            {
                "username": "lasare",
                "password": "a-long-test-passphrase",
                "next": "/dashboard/",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == "/dashboard/"


class TestErrorPages:
    @pytest.mark.parametrize("prefix", ["", "/en"])
    def test_404_helps_the_visitor_on(self, client, prefix):
        response = client.get(prefix + "/finns-inte/")
        assert response.status_code == 404
        content = response.content.decode()
        links = hrefs(response)
        for name in [
            "plans:home",
            "plans:plan-list",
            "plans:actionitem-list",
            "plans:dashboard",
        ]:
            with translation.override("sv"):
                assert prefix + reverse(name) in links
        assert f'action="{prefix}/actions/"' in content
        assert 'name="q"' in content
        assert content.count("<h1") == 1

    def test_404_for_an_unpublished_plan_uses_the_same_page(self, client):
        draft = factories.PlanFactory(status=Plan.Status.DRAFT)
        response = client.get(draft.get_absolute_url())
        assert response.status_code == 404
        assert 'name="q"' in response.content.decode()

    def test_404_english_text(self, client):
        text = page_text(client.get("/en/finns-inte/"))
        assert "We cannot find that page" in text

    def test_500_page_needs_no_database(self, django_assert_num_queries):
        request = RequestFactory().get("/")
        with django_assert_num_queries(0):
            response = server_error(request)
        assert response.status_code == 500
        content = response.content.decode()
        assert "Något gick fel" in content
        assert "Something went wrong" in content
        assert "{%" not in content
