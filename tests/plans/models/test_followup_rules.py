"""The follow-up rules of action items, defined on ``ActionItem`` and its
QuerySet: the update rule in Python and in SQL agree."""

import datetime

import pytest
from django.utils import timezone

from plans.models import ActionItem, Plan
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def plan():
    return factories.PlanFactory(title="Handlingsplan Test", slug="hp-test")


def created(item, days_ago):
    """Backdate an item to local noon ``days_ago`` days before today: whole days,
    whatever the time of day or a daylight-saving change in between."""
    noon = datetime.datetime.combine(TODAY - days_ago * DAY, datetime.time(12))
    ActionItem.objects.filter(pk=item.pk).update(created_at=timezone.make_aware(noon))
    item.refresh_from_db()
    return item


class TestStaleness:
    def test_due_interval_after_the_latest_update(self, plan):
        item = created(factories.ActionItemFactory(plan=plan), 200)
        factories.ActionUpdateFactory(item=item, date=TODAY - 70 * DAY)
        factories.ActionUpdateFactory(item=item, date=TODAY - 10 * DAY)
        assert item.next_update_due_on() == TODAY + 50 * DAY

    def test_without_an_update_due_from_the_day_it_was_created(self, plan):
        item = created(factories.ActionItemFactory(plan=plan), 61)
        assert item.next_update_due_on() == TODAY - DAY
        state = item.update_state()
        assert state.latest_update_on is None
        assert state.is_overdue and state.days_overdue == 1

    def test_the_plan_sets_the_interval(self):
        plan = factories.PlanFactory(update_interval_days=30)
        item = created(factories.ActionItemFactory(plan=plan), 31)
        assert item.update_state().is_overdue

    def test_done_and_cancelled_items_are_never_due(self, plan):
        for status in (ActionItem.Status.DONE, ActionItem.Status.CANCELLED):
            item = created(factories.ActionItemFactory(plan=plan, status=status), 400)
            assert item.next_update_due_on() is None
            assert not item.update_state().is_due

    def test_items_of_an_archived_plan_are_never_due(self):
        archived = factories.PlanFactory(status=Plan.Status.ARCHIVED)
        item = created(factories.ActionItemFactory(plan=archived), 400)
        assert item.next_update_due_on() is None
        assert not item.update_state().is_overdue
        assert item not in ActionItem.objects.update_overdue(internal=True)
        assert item not in ActionItem.objects.update_due()

    def test_annotation_agrees_with_the_python_rule(self, plan):
        weekly = factories.PlanFactory(update_interval_days=7)
        cases = {
            "never, old": (created(factories.ActionItemFactory(plan=plan), 61), True),
            "never, new": (created(factories.ActionItemFactory(plan=plan), 59), False),
            "due today": (created(factories.ActionItemFactory(plan=plan), 60), False),
            "weekly": (created(factories.ActionItemFactory(plan=weekly), 8), True),
            "done": (
                created(
                    factories.ActionItemFactory(
                        plan=plan, status=ActionItem.Status.DONE
                    ),
                    300,
                ),
                False,
            ),
        }
        updated = created(factories.ActionItemFactory(plan=plan), 300)
        factories.ActionUpdateFactory(item=updated, date=TODAY - 30 * DAY)
        cases["updated lately"] = (updated, False)
        annotated = {
            item.pk: item
            for item in ActionItem.objects.with_update_state(internal=True)
        }
        for name, (item, overdue) in cases.items():
            assert annotated[item.pk].update_overdue is overdue, name
            assert item.update_state().is_overdue is overdue, name
        assert annotated[updated.pk].latest_update_on == TODAY - 30 * DAY

    def test_update_due_includes_items_due_today(self, plan):
        today = created(factories.ActionItemFactory(plan=plan), 60)
        tomorrow = created(factories.ActionItemFactory(plan=plan), 59)
        assert list(ActionItem.objects.update_due()) == [today]
        assert tomorrow not in ActionItem.objects.update_overdue(internal=True)

    def test_an_internal_update_counts_for_members_only(self, plan, reader):
        item = created(factories.ActionItemFactory(plan=plan), 100)
        factories.ActionUpdateFactory(item=item, date=TODAY, is_public=False)
        assert item in ActionItem.objects.update_overdue()  # anonymous
        assert item not in ActionItem.objects.update_overdue(reader)
