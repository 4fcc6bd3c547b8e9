"""The progress report: summary, late items, and what changed since a date."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from plans.models import ActionItem
from plans.services.reports import build_progress_report, parse_since
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def plan():
    return factories.PlanFactory(title="Handlingsplan 2026")


def _backdate(item, when):
    """Pretend the item and its history were written at ``when``."""
    moment = timezone.make_aware(datetime.datetime.combine(when, datetime.time(12)))
    ActionItem.objects.filter(pk=item.pk).update(created_at=moment)
    item.history.update(history_date=moment)
    item.created_at = moment


def test_parse_since_accepts_iso_dates_and_rejects_others():
    assert parse_since("2026-05-01") == datetime.date(2026, 5, 1)
    assert parse_since("") is None
    with pytest.raises(ValueError, match=r"(YYYY|ÅÅÅÅ)-MM-DD"):
        parse_since("1 maj")


def test_summary_counts_every_status_and_the_done_share(plan):
    factories.ActionItemFactory.create_batch(2, plan=plan, status="done", progress=100)
    factories.ActionItemFactory.create_batch(3, plan=plan, status="ongoing")
    report = build_progress_report(plan, AnonymousUser(), today=TODAY)
    counts = {row["status"]: row["count"] for row in report.summary}
    assert counts == {
        "not_started": 0,
        "ongoing": 3,
        "done": 2,
        "delayed": 0,
        "paused": 0,
        "cancelled": 0,
    }
    assert report.total == 5
    assert report.done_share == 40


def test_late_items_are_past_due_and_open(plan):
    late = factories.ActionItemFactory(plan=plan, due_date=datetime.date(2026, 6, 1))
    factories.ActionItemFactory(
        plan=plan, due_date=datetime.date(2026, 6, 1), status="done", progress=100
    )
    factories.ActionItemFactory(plan=plan, due_date=datetime.date(2026, 7, 1))
    report = build_progress_report(plan, AnonymousUser(), today=TODAY)
    assert report.late == [late]


def test_items_are_grouped_by_focus_area_in_order(plan):
    first = factories.FocusAreaFactory(plan=plan, order=1, title="Första")
    second = factories.FocusAreaFactory(plan=plan, order=2, title="Andra")
    factories.ActionItemFactory(plan=plan, focus_area=second)
    factories.ActionItemFactory(plan=plan, focus_area=first)
    report = build_progress_report(plan, AnonymousUser(), today=TODAY)
    assert [g.title for g in report.groups] == ["Första", "Andra"]


def test_latest_update_respects_visibility(plan, reader):
    item = factories.ActionItemFactory(plan=plan)
    factories.ActionUpdateFactory(
        item=item, date=datetime.date(2026, 5, 1), text="Öppen"
    )
    factories.ActionUpdateFactory(
        item=item, date=datetime.date(2026, 6, 1), text="Intern", is_public=False
    )
    anon = build_progress_report(plan, AnonymousUser(), today=TODAY)
    member = build_progress_report(plan, reader, today=TODAY)
    assert anon.groups[0].items[0].latest_update.text == "Öppen"
    assert member.groups[0].items[0].latest_update.text == "Intern"


def test_internal_items_are_not_in_the_public_report(plan, reader):
    factories.ActionItemFactory(plan=plan)
    factories.ActionItemFactory(plan=plan, is_public=False)
    assert build_progress_report(plan, AnonymousUser()).total == 1
    assert build_progress_report(plan, reader).total == 2


class TestChangesSince:
    def test_each_kind_of_change_is_listed(self, plan):
        moved = factories.ActionItemFactory(plan=plan, status="ongoing", progress=20)
        closed = factories.ActionItemFactory(plan=plan, status="ongoing", progress=80)
        nudged = factories.ActionItemFactory(plan=plan, status="ongoing", progress=10)
        still = factories.ActionItemFactory(plan=plan, status="ongoing", progress=50)
        for item in (moved, closed, nudged, still):
            _backdate(item, datetime.date(2026, 1, 10))

        moved.status = "delayed"
        moved.save()
        closed.status, closed.progress = "done", 100
        closed.save()
        nudged.progress = 35
        nudged.save()
        added = factories.ActionItemFactory(plan=plan, title="Ny åtgärd")
        update = factories.ActionUpdateFactory(
            item=still, date=datetime.date(2026, 3, 1), text="Nytt läge"
        )
        factories.ActionUpdateFactory(
            item=still, date=datetime.date(2026, 1, 5), text="Gammalt"
        )

        changes = build_progress_report(
            plan, AnonymousUser(), since=datetime.date(2026, 2, 1), today=TODAY
        ).changes
        assert changes.added == [added]
        assert changes.closed == [closed]
        assert [(m.item, m.old_status, m.new_status) for m in changes.status_moves] == [
            (moved, "ongoing", "delayed"),
            (closed, "ongoing", "done"),
        ]
        assert [
            (m.item, m.old_progress, m.new_progress) for m in changes.progress_changes
        ] == [(nudged, 10, 35)]
        assert changes.updates == [update]
        assert not changes.is_empty

    def test_nothing_changed(self, plan):
        item = factories.ActionItemFactory(plan=plan)
        _backdate(item, datetime.date(2026, 1, 10))
        changes = build_progress_report(
            plan, AnonymousUser(), since=datetime.date(2026, 2, 1)
        ).changes
        assert changes.is_empty


def _report_queries(client, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = factories.PlanFactory()
    area = factories.FocusAreaFactory(plan=plan)
    for n in range(count):
        item = factories.ActionItemFactory(
            plan=plan, focus_area=area, due_date=datetime.date(2020, 1, 1)
        )
        if n % 3 == 0:
            factories.ActionUpdateFactory(item=item, date=datetime.date(2026, 3, 1))
    url = f"/plans/{plan.slug}/report/?since=2026-01-01"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_report_page_queries_do_not_grow_with_items(client):
    assert _report_queries(client, 10) == _report_queries(client, 300)
