"""Follow-up that answers the steering group: strategies across plans, the
roll-up and its health rule, and a complete update log whatever the path of a
change."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plans.models import ActionItem, ActionUpdate, FocusArea, Plan, Strategy
from plans.services.followup import (
    Health,
    StatusCounts,
    strategy_rollup,
    with_served_strategy,
)
from tests import factories
from tests.admin_posts import change_form_data, changelist_post, post_revert_to_first

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CHANGELIST = "admin:plans_actionitem_changelist"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def change_url(obj):
    return reverse(f"admin:plans_{obj._meta.model_name}_change", args=[obj.pk])


# ---------------------------------------------------------------------------
# Strategies across plans
# ---------------------------------------------------------------------------


@pytest.fixture
def plans(bundled_plans):
    return (
        Plan.objects.get(slug="verksamhetsplan-2009-2011"),
        Plan.objects.get(slug="handlingsplan-2009"),
        Plan.objects.get(slug="soderort-2030"),
    )


def test_a_handlingsplan_may_serve_the_strategies_of_its_verksamhetsplan(plans):
    business, action, partner = plans
    assert set(action.strategy_plan_ids()) == {action.pk, business.pk}
    assert partner.strategy_plan_ids() == [partner.pk]


def test_an_item_of_the_handlingsplan_is_linked_to_a_strategy_in_the_admin(
    editor_client, plans
):
    business, action, _partner = plans
    item = action.action_items.order_by("order").first()
    strategy = business.strategies.get(code="S2")
    response = editor_client.post(
        change_url(item), change_form_data(item, strategy=strategy.pk)
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.strategy == strategy


def test_a_strategy_of_an_unrelated_plan_is_refused_with_a_message(
    editor_client, plans
):
    _business, action, _partner = plans
    item = action.action_items.order_by("order").first()
    other = factories.StrategyFactory(code="X1")
    response = editor_client.post(
        change_url(item), change_form_data(item, strategy=other.pk)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["strategy"]
    assert errors
    item.refresh_from_db()
    assert item.strategy is None


def test_the_strategy_select_is_grouped_by_plan(editor_client, plans):
    business, action, _partner = plans
    item = action.action_items.order_by("order").first()
    content = editor_client.get(change_url(item)).content.decode()
    assert f'<optgroup label="{business.title}">' in content
    for strategy in business.strategies.all():
        assert strategy.title in content


def test_a_focus_area_serves_a_strategy_and_its_items_inherit_it(editor_client, plans):
    business, action, _partner = plans
    area = action.focus_areas.order_by("order").first()
    strategy = business.strategies.get(code="S1")
    data = {
        "plan": action.pk,
        "code": area.code,
        "order": area.order,
        "title": area.title,
        "strategy": strategy.pk,
        "description": area.description,
        "loaded_version": area.version,
        "_save": "Spara",
    }
    assert editor_client.post(change_url(area), data).status_code == 302
    area.refresh_from_db()
    assert area.strategy == strategy
    item = area.action_items.first()
    assert item.strategy is None
    assert item.served_strategy == strategy
    annotated = with_served_strategy(ActionItem.objects.filter(pk=item.pk)).get()
    assert annotated.served_strategy_id == strategy.pk


def test_a_focus_area_cannot_serve_an_unrelated_plans_strategy(plans):
    _business, action, _partner = plans
    area = action.focus_areas.first()
    area.strategy = factories.StrategyFactory()
    with pytest.raises(Exception, match="strategy"):
        area.full_clean()


# ---------------------------------------------------------------------------
# The roll-up and its health rule
# ---------------------------------------------------------------------------


def counts(**by_status):
    result = StatusCounts()
    for status, number in by_status.items():
        result.by_status[status] = number
    return result


def test_health_is_not_started_while_nothing_has_started():
    assert counts().health == Health.NOT_STARTED
    assert counts(not_started=4).health == Health.NOT_STARTED


def test_health_is_on_track_without_trouble():
    assert counts(ongoing=3, done=1).health == Health.ON_TRACK


def test_one_troubled_open_item_puts_the_group_at_risk():
    group = counts(ongoing=5, delayed=1)
    group.troubled = 1
    assert group.health == Health.AT_RISK


def test_a_third_of_the_open_items_troubled_is_off_track():
    group = counts(ongoing=4, delayed=2)
    group.troubled = 2
    assert group.health == Health.OFF_TRACK


def test_a_third_of_the_open_items_with_an_overdue_update_is_at_risk():
    group = counts(ongoing=6)
    group.overdue = 2
    assert group.health == Health.AT_RISK
    group.overdue = 1
    assert group.health == Health.ON_TRACK


def test_the_rollup_counts_the_items_serving_each_strategy(plans):
    business, action, _partner = plans
    strategies = list(business.strategies.order_by("order"))
    area = action.focus_areas.order_by("order").first()
    area.strategy = strategies[0]
    area.save()
    first, second = action.action_items.filter(focus_area=area).order_by("order")[:2]
    first.status, first.progress = ActionItem.Status.ONGOING, 20
    first.save()
    second.strategy = strategies[1]
    second.due_date = TODAY - datetime.timedelta(days=3)
    second.status, second.progress = ActionItem.Status.ONGOING, 10
    second.save()
    items = ActionItem.objects.filter(plan__in=[business, action])
    rows = strategy_rollup(items, None, TODAY, strategies)
    by_strategy = {row.strategy: row for row in rows}
    in_area = action.action_items.filter(focus_area=area).count()
    assert by_strategy[strategies[0]].counts.total == in_area - 1
    assert by_strategy[strategies[0]].counts.ongoing == 1
    assert by_strategy[strategies[1]].counts.total == 1
    assert by_strategy[strategies[1]].counts.late == 1
    assert by_strategy[strategies[1]].health == Health.OFF_TRACK
    unlinked = by_strategy[None].counts
    assert unlinked.total == action.action_items.count() - in_area
    # Every strategy has a row, with or without items.
    assert [row.strategy for row in rows[: len(strategies)]] == strategies


# ---------------------------------------------------------------------------
# A complete update log: one entry per change, whatever the path
# ---------------------------------------------------------------------------


def entries(item):
    return list(
        ActionUpdate.objects.filter(item=item)
        .order_by("pk")
        .values_list(
            "previous_status", "status", "previous_progress", "progress", "author"
        )
    )


def test_the_change_form_logs_a_change_of_status_without_a_text(editor_client, editor):
    item = factories.ActionItemFactory(status="ongoing", progress=40)
    response = editor_client.post(
        change_url(item), change_form_data(item, status="paused")
    )
    assert response.status_code == 302
    assert entries(item) == [("ongoing", "paused", 40, 40, editor.pk)]


def test_the_change_form_saves_item_and_update_in_one_save(editor_client, editor):
    item = factories.ActionItemFactory(status="ongoing", progress=40)
    response = editor_client.post(
        change_url(item),
        change_form_data(
            item, progress=60, update_text="Halvvägs.", update_is_public=False
        ),
    )
    assert response.status_code == 302
    (update,) = ActionUpdate.objects.filter(item=item)
    assert (update.progress, update.previous_progress) == (60, 40)
    assert (update.text, update.is_public, update.author) == (
        "Halvvägs.",
        False,
        editor,
    )


def test_list_editing_logs_each_changed_row(editor_client, editor):
    first = factories.ActionItemFactory(status="ongoing", progress=10)
    second = factories.ActionItemFactory(status="ongoing", progress=10)
    data = changelist_post([first, second], {first.pk: {"progress": 30}})
    assert editor_client.post(reverse(CHANGELIST), data).status_code == 302
    assert entries(first) == [("ongoing", "ongoing", 10, 30, editor.pk)]
    assert entries(second) == []


def test_the_bulk_status_action_logs_each_item(editor_client, editor):
    items = factories.ActionItemFactory.create_batch(3, status="ongoing", progress=50)
    response = editor_client.post(
        reverse(CHANGELIST),
        {
            "action": "set_status_done",
            "_selected_action": [item.pk for item in items],
        },
    )
    assert response.status_code == 302
    for item in items:
        assert entries(item) == [("ongoing", "done", 50, 100, editor.pk)]


def test_an_import_logs_each_changed_item(editor_client, editor):
    plan = factories.PlanFactory(slug="import-plan")
    item = factories.ActionItemFactory(plan=plan, code="1", status="ongoing")
    export = editor_client.get(
        reverse("admin:plans_actionitem_export_plan", args=[plan.slug, "xlsx"])
    )
    book = openpyxl.load_workbook(__import__("io").BytesIO(export.content))
    sheet = book.active
    headings = [cell.value for cell in sheet[1]]
    paused = str(ActionItem.Status.PAUSED.label)  # in the active language
    sheet.cell(row=2, column=headings.index("Status") + 1, value=paused)
    out = __import__("io").BytesIO()
    book.save(out)
    preview = editor_client.post(
        reverse("admin:plans_actionitem_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("a.xlsx", out.getvalue()),
        },
    )
    form = preview.context["confirm_form"]
    done = editor_client.post(
        reverse("admin:plans_actionitem_process_import"), {**form.initial}
    )
    assert done.status_code == 302
    assert entries(item) == [("ongoing", "paused", 40, 40, editor.pk)]


def test_a_revert_logs_the_change_back(editor_client, editor):
    item = factories.ActionItemFactory(status="ongoing", progress=10)
    item.status, item.progress = "delayed", 70
    item.save()
    response = post_revert_to_first(editor_client, item, status="ongoing", progress=10)
    assert response.status_code == 302
    assert entries(item)[-1] == ("delayed", "ongoing", 70, 10, editor.pk)
    assert len(entries(item)) == 2


def test_a_save_that_changes_neither_status_nor_progress_logs_nothing():
    item = factories.ActionItemFactory()
    item.title = "Ny rubrik"
    item.save()
    assert entries(item) == []


def test_progress_above_zero_needs_a_started_item(editor_client):
    item = factories.ActionItemFactory(status="ongoing", progress=40)
    response = editor_client.post(
        change_url(item), change_form_data(item, status="not_started")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["progress"]
    item.refresh_from_db()
    assert item.status == "ongoing"
    assert entries(item) == []


# ---------------------------------------------------------------------------
# The bundled data
# ---------------------------------------------------------------------------


def test_bundled_items_are_as_old_as_their_plan(plans):
    _business, action, partner = plans
    for item in action.action_items.all():
        assert timezone.localdate(item.created_at) == action.adopted_on
    for item in partner.action_items.all():
        assert timezone.localdate(item.created_at) == datetime.date(2010, 4, 15)


def test_the_partner_plan_is_marked_and_left_out_of_own_plans(plans):
    business, action, partner = plans
    assert partner.is_partner_plan
    assert set(Plan.objects.own()) == {business, action}
    assert set(Plan.objects.live()) == {business, action, partner}


def test_the_communication_group_has_no_cadence_of_its_own(plans):
    from stakeholders.models import GoverningBody

    group = GoverningBody.objects.get(slug="kommunikationsgrupp")
    assert group.meetings_per_year is None
    assert group.cadence == ""


def test_strategies_and_focus_areas_are_linked_only_where_the_sources_say(plans):
    business, _action, _partner = plans
    assert not FocusArea.objects.filter(strategy__isnull=False).exists()
    assert not ActionItem.objects.filter(strategy__isnull=False).exists()
    assert Strategy.objects.filter(plan=business).count() == 5


def _imported(editor_client, plan, status_label, file_format):
    """Export the plan, change its one item's status to ``status_label`` in
    the file (XLSX or CSV), import the file and confirm the preview."""
    export = editor_client.get(
        reverse("admin:plans_actionitem_export_plan", args=[plan.slug, "xlsx"])
    )
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    sheet = book.active
    headings = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headings.index("Status") + 1, value=status_label)
    if file_format == "xlsx":
        out = io.BytesIO()
        book.save(out)
        upload, index = out.getvalue(), "0"
    else:
        rows = [
            ["" if value is None else str(value) for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        upload, index = text.getvalue().encode(), "1"
    preview = editor_client.post(
        reverse("admin:plans_actionitem_import"),
        {
            "resource": "0",
            "format": index,
            "import_file": SimpleUploadedFile(f"a.{file_format}", upload),
        },
    )
    form = preview.context["confirm_form"]
    return editor_client.post(
        reverse("admin:plans_actionitem_process_import"), {**form.initial}
    )


def test_every_path_writes_exactly_one_entry_per_change(editor_client, editor):
    """One item changed by each path in turn: change form, list editing, the
    bulk action, an XLSX and a CSV import and a revert in the history. Each
    change adds one entry with its from → to, by the editor."""
    plan = factories.PlanFactory(slug="every-path")
    item = factories.ActionItemFactory(
        plan=plan, code="1", status="not_started", progress=0
    )

    def fresh():
        return ActionItem.objects.get(pk=item.pk)

    def changed_to(status, progress, before):
        log = entries(item)
        assert len(log) == before + 1, log
        assert (log[-1][1], log[-1][3], log[-1][4]) == (status, progress, editor.pk)
        return len(log)

    count = 0
    # 1. the change form
    response = editor_client.post(
        change_url(item), change_form_data(fresh(), status="ongoing", progress=20)
    )
    assert response.status_code == 302
    count = changed_to("ongoing", 20, count)
    # 2. list editing
    data = changelist_post([fresh()], {item.pk: {"progress": 35}})
    assert editor_client.post(reverse(CHANGELIST), data).status_code == 302
    count = changed_to("ongoing", 35, count)
    # 3. the bulk action
    response = editor_client.post(
        reverse(CHANGELIST),
        {"action": "set_status_paused", "_selected_action": [item.pk]},
    )
    assert response.status_code == 302
    count = changed_to("paused", 35, count)
    # 4. and 5. imports of an XLSX and a CSV file
    ongoing = str(ActionItem.Status.ONGOING.label)  # in the active language
    assert _imported(editor_client, plan, ongoing, "xlsx").status_code == 302
    count = changed_to("ongoing", 35, count)
    delayed = str(ActionItem.Status.DELAYED.label)
    assert _imported(editor_client, plan, delayed, "csv").status_code == 302
    count = changed_to("delayed", 35, count)
    # 6. a revert to the version after the change form
    version = (
        fresh()
        .history.filter(status="ongoing", progress=20)
        .order_by("history_date", "history_id")
        .first()
    )
    url = reverse("admin:plans_actionitem_simple_history", args=[item.pk, version.pk])
    form = editor_client.get(url).context["adminform"].form
    data = change_form_data(
        fresh(),
        status="ongoing",
        progress=20,
        loaded_version=form.initial["loaded_version"],
    )
    assert editor_client.post(url, data).status_code == 302
    count = changed_to("ongoing", 20, count)
    assert count == 6
    # From → to, in order, each from where the one before left it.
    log = entries(item)
    assert [(old, new) for old, new, *_rest in log] == [
        ("not_started", "ongoing"),
        ("ongoing", "ongoing"),
        ("ongoing", "paused"),
        ("paused", "ongoing"),
        ("ongoing", "delayed"),
        ("delayed", "ongoing"),
    ]
