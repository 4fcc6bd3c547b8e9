"""The action item admin: the list the director works in every week."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.admin.actions import ActionItemAdmin
from plans.models import ActionItem, ActionUpdate
from tests import factories
from tests.admin_posts import change_form_data, changelist_post

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:plans_actionitem_changelist"


def _change_url(item):
    return reverse("admin:plans_actionitem_change", args=[item.pk])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def two_plans():
    """Two plans with focus areas, strategies and items that differ in every
    dimension a filter can look at."""
    today = timezone.localdate()
    soderort = factories.PlanFactory(slug="soderort-test", title="Söderort test")
    other = factories.PlanFactory(slug="annan-plan", title="Annan plan")
    area_a = factories.FocusAreaFactory(plan=soderort, code="NA", title="Näringsliv")
    area_b = factories.FocusAreaFactory(plan=other, code="F2", title="Fokus två")
    strategy = factories.StrategyFactory(plan=other, code="S1", title="Strategi ett")
    late = factories.ActionItemFactory(
        plan=soderort,
        focus_area=area_a,
        code="1",
        title="Fler arbetsplatser",
        responsible_body="Stockholm Business Region",
        due_date=today - datetime.timedelta(days=10),
        status=ActionItem.Status.ONGOING,
    )
    fresh = factories.ActionItemFactory(
        plan=other,
        focus_area=area_b,
        strategy=strategy,
        code="2.1",
        title="Samverkan med högskolor",
        responsible_body="Utbildningsnämnden",
        due_date=today + datetime.timedelta(days=30),
        status=ActionItem.Status.DONE,
        progress=100,
    )
    factories.ActionUpdateFactory(item=fresh, date=today - datetime.timedelta(days=5))
    factories.ActionUpdateFactory(item=late, date=today - datetime.timedelta(days=200))
    return {"late": late, "fresh": fresh, "area_a": area_a, "strategy": strategy}


def _listed(response):
    return {item.pk for item in response.context["cl"].result_list}


# -- columns, search, query count ---------------------------------------------


def test_changelist_shows_the_weekly_columns(editor_client, two_plans):
    response = editor_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        "Fler arbetsplatser",
        "soderort-test",
        "NA",
        "Stockholm Business Region",
        'name="form-0-status"',
        'name="form-0-progress"',
        'name="form-0-loaded_version"',
    ):
        assert text in content
    late = two_plans["late"]
    update_day = timezone.localdate() - datetime.timedelta(days=200)
    assert late.due_date.isoformat() in content
    assert update_day.isoformat() in content


def test_changelist_query_count_does_not_grow_with_rows(editor_client):
    plan = factories.PlanFactory()
    area = factories.FocusAreaFactory(plan=plan)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(reverse(CHANGELIST))
        assert response.status_code == 200
        return len(queries)

    for _ in range(5):
        item = factories.ActionItemFactory(plan=plan, focus_area=area)
        factories.ActionUpdateFactory(item=item)
    few = count_queries()
    for _ in range(40):
        item = factories.ActionItemFactory(plan=plan, focus_area=area)
        factories.ActionUpdateFactory(item=item)
    many = count_queries()
    assert many == few


@pytest.mark.parametrize(
    ("query", "expected"), [("2.1", "fresh"), ("arbetsplatser", "late")]
)
def test_search_finds_by_code_and_heading(editor_client, two_plans, query, expected):
    response = editor_client.get(reverse(CHANGELIST), {"q": query})
    assert _listed(response) == {two_plans[expected].pk}


# -- filters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda d: {"plan__id__exact": d["late"].plan_id}, "late"),
        (lambda d: {"focus_area": d["area_a"].pk}, "late"),
        (lambda d: {"strategy": d["strategy"].pk}, "fresh"),
        (lambda d: {"status__exact": "done"}, "fresh"),
        (lambda d: {"responsible_body": "Utbildningsnämnden"}, "fresh"),
        (lambda d: {"late": "yes"}, "late"),
        (lambda d: {"late": "no"}, "fresh"),
        (lambda d: {"update_overdue": "yes"}, "late"),
        (lambda d: {"update_overdue": "no"}, "fresh"),
    ],
    ids=[
        "plan",
        "focus-area",
        "strategy",
        "status",
        "responsible-body",
        "late",
        "not-late",
        "update-overdue",
        "update-not-overdue",
    ],
)
def test_each_list_filter_narrows_the_list(editor_client, two_plans, params, expected):
    everything = _listed(editor_client.get(reverse(CHANGELIST)))
    assert everything == {two_plans["late"].pk, two_plans["fresh"].pk}
    response = editor_client.get(reverse(CHANGELIST), params(two_plans))
    assert response.status_code == 200
    assert _listed(response) == {two_plans[expected].pk}


def test_item_without_any_update_is_overdue_an_interval_after_it_was_added(
    editor_client,
):
    new = factories.ActionItemFactory()
    old = factories.ActionItemFactory()
    ActionItem.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=61)
    )
    response = editor_client.get(reverse(CHANGELIST), {"update_overdue": "yes"})
    assert _listed(response) == {old.pk}
    response = editor_client.get(reverse(CHANGELIST), {"update_overdue": "no"})
    assert _listed(response) == {new.pk}


def test_focus_area_filter_offers_only_the_chosen_plans_areas(editor_client, two_plans):
    plan = two_plans["late"].plan
    response = editor_client.get(reverse(CHANGELIST), {"plan__id__exact": plan.pk})
    content = response.content.decode()
    assert "Näringsliv" in content
    assert "Fokus två" not in content


def test_a_nonsense_filter_value_shows_nothing_rather_than_failing(
    editor_client, two_plans
):
    response = editor_client.get(reverse(CHANGELIST), {"focus_area": "abc"})
    assert response.status_code == 200
    assert _listed(response) == set()


# -- list_editable ---------------------------------------------------------------


def test_list_editable_saves_status_and_progress_and_moves_the_version(
    editor_client, editor
):
    item = factories.ActionItemFactory(progress=10)
    data = changelist_post([item], {item.pk: {"status": "delayed", "progress": 20}})
    response = editor_client.post(reverse(CHANGELIST), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress, item.version) == ("delayed", 20, 2)
    assert item.history.first().history_user == editor


def test_list_editable_applies_the_done_rule(editor_client):
    item = factories.ActionItemFactory(progress=10)
    data = changelist_post([item], {item.pk: {"status": "done"}})
    response = editor_client.post(reverse(CHANGELIST), data)
    assert response.status_code == 200
    assert "100" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ActionItem.Status.ONGOING


# -- actions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    # "Carried over" is set by the rollover only (services/test_rollover.py).
    [s for s in ActionItem.Status if s != ActionItem.Status.CARRIED_OVER],
)
def test_bulk_action_sets_the_status_of_the_chosen_items(editor_client, editor, status):
    chosen = [factories.ActionItemFactory(status="not_started") for _ in range(2)]
    if status == ActionItem.Status.NOT_STARTED:
        for item in chosen:
            item.status = ActionItem.Status.PAUSED
            item.save()
    other = factories.ActionItemFactory(status="not_started")
    response = editor_client.post(
        reverse(CHANGELIST),
        {
            "action": f"set_status_{status.value}",
            "_selected_action": [item.pk for item in chosen],
        },
    )
    assert response.status_code == 302
    for item in chosen:
        before = item.version
        item.refresh_from_db()
        assert item.status == status
        assert item.version == before + 1
        assert item.history.first().history_user == editor
    other.refresh_from_db()
    assert other.status == ActionItem.Status.NOT_STARTED


def test_marking_done_in_bulk_sets_progress_to_100(editor_client):
    item = factories.ActionItemFactory(progress=60)
    editor_client.post(
        reverse(CHANGELIST),
        {"action": "set_status_done", "_selected_action": [item.pk]},
    )
    item.refresh_from_db()
    assert (item.status, item.progress) == ("done", 100)


def test_marking_done_keeps_a_lower_progress_that_is_explained(editor_client):
    item = factories.ActionItemFactory(progress=60, progress_note="Delvis avbrutet")
    editor_client.post(
        reverse(CHANGELIST),
        {"action": "set_status_done", "_selected_action": [item.pk]},
    )
    item.refresh_from_db()
    assert (item.status, item.progress) == ("done", 60)


# -- the change page: progress update inline -----------------------------------------


def test_change_page_offers_a_new_update_with_today_and_the_focus_on_its_text(
    editor_client,
):
    item = factories.ActionItemFactory()
    response = editor_client.get(_change_url(item))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="update_text"' in content
    assert "autofocus" in content
    assert f'value="{timezone.localdate().isoformat()}"' in content
    assert 'name="loaded_version" value="1"' in content
    assert 'type="radio" name="status"' in content


def test_this_weeks_update_is_saved_with_the_author_and_the_items_new_status(
    editor_client, editor, client
):
    item = factories.ActionItemFactory(progress=40)
    response = editor_client.post(
        _change_url(item),
        change_form_data(
            item,
            status="delayed",
            progress=45,
            update_text="Försenat i väntan på beslut.",
        ),
    )
    assert response.status_code == 302
    update = ActionUpdate.objects.get(item=item)
    assert update.author == editor
    assert update.date == timezone.localdate()
    assert (update.status, update.progress) == ("delayed", 45)
    item.refresh_from_db()
    assert (item.status, item.progress, item.version) == ("delayed", 45, 2)

    public = client.get(item.get_absolute_url())
    assert public.status_code == 200
    assert "Försenat i väntan på beslut." in public.content.decode()


def test_saving_without_writing_an_update_adds_none(editor_client):
    item = factories.ActionItemFactory()
    response = editor_client.post(_change_url(item), change_form_data(item))
    assert response.status_code == 302
    assert not ActionUpdate.objects.filter(item=item).exists()


def test_change_page_links_to_the_public_page(editor_client):
    item = factories.ActionItemFactory()
    response = editor_client.get(_change_url(item))
    view_on_site = reverse(
        "admin:view_on_site", args=[response.context["content_type_id"], item.pk]
    )
    assert view_on_site in response.content.decode()
    assert editor_client.get(view_on_site).url.endswith(item.get_absolute_url())


# -- autocomplete ----------------------------------------------------------------------


def test_every_foreign_key_uses_autocomplete_but_the_strategy():
    """The strategy is a short select grouped by plan instead."""
    foreign_keys = {
        f.name for f in ActionItem._meta.fields if f.many_to_one and f.editable
    }
    assert set(ActionItemAdmin.autocomplete_fields) == foreign_keys - {"strategy"}


@pytest.mark.parametrize(
    "field",
    [
        "plan",
        "focus_area",
        "responsible_organisation",
        "responsible_person",
        "see_above",
    ],
)
def test_autocomplete_answers_for_every_foreign_key(editor_client, field):
    factories.ActionItemFactory(
        focus_area=factories.FocusAreaFactory(),
        strategy=factories.StrategyFactory(),
        responsible_organisation=factories.OrganisationFactory(),
        responsible_person=factories.PersonFactory(),
    )
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "plans", "model_name": "actionitem", "field_name": field},
    )
    assert response.status_code == 200
    assert response.json()["results"]
