"""The director's weekly round in a real Chromium: sign in, open the admin
start page, find the items whose update is overdue, update five of them on the
bulk page in one save, and see each item's log entry and the public page change.

Interactions of the round, counted from the start page (a click, or filling
one field, counts one; a select counts one):
  1  “Uppdatera dem på en sida” under “Lägesuppdatering försenad”
  15 five rows × (status, progress, this week's text)
  1  “Spara alla”
  = 17 (the round took ~55 through the change forms before). The director is
signed in (a session, as in the other browser tests).
"""

import datetime
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import ActionItem, ActionUpdate
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")

WEEK = [
    ("1.1", "delayed", "45", "Upphandlingen överklagades; nytt beslut i mars."),
    ("1.2", "ongoing", "60", "Workshop med KI och KTH genomförd."),
    ("1.3", "ongoing", "30", "Projektledare rekryterad."),
    ("1.4", "paused", "20", "Pausat i väntan på finansiering."),
    ("1.5", "done", "100", "Rapporten antagen av ledningsgruppen."),
]


class Counter:
    """Counts the director's interactions: clicks, fields filled, selects."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)

    def select(self, locator, value):
        self.count += 1
        locator.select_option(value)


@pytest.fixture
def overdue_items(editor):
    plan = factories.PlanFactory(
        title="Handlingsplan 2026", slug="handlingsplan-2026", update_interval_days=30
    )
    items = []
    for number, (code, *_rest) in enumerate(WEEK):
        item = factories.ActionItemFactory(
            plan=plan, code=code, order=number, title=f"Åtgärd {code}", progress=10
        )
        created = timezone.now() - datetime.timedelta(days=40 + 10 * number)
        ActionItem.objects.filter(pk=item.pk).update(created_at=created)
        items.append(item)
    factories.ActionItemFactory(plan=plan, code="2.1", title="Nyss uppdaterad")
    return items


def _shoot(page, name):
    if SCREENSHOTS:
        for width in (1280, 768):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def test_the_weekly_round_of_five_updates(new_page, live_server, editor, overdue_items):
    page = new_page(width=1280, user=editor)
    page.goto(live_server.url + reverse("admin:index"))
    _shoot(page, "admin-start")

    counter = Counter()
    overdue = page.locator(".work-queue-overdue")
    assert "Lägesuppdatering försenad (5)" in overdue.inner_text()
    # Longest overdue first.
    listed = overdue.locator("li a").all_inner_texts()
    assert listed[0].startswith("1.5") and listed[-1].startswith("1.1")
    counter.click(overdue.get_by_role("link", name="Uppdatera dem på en sida"))
    page.wait_for_url("**/admin/plans/actionitem/bulk-update/?update_overdue=yes")
    _shoot(page, "bulk-update")

    for code, status, progress, text in WEEK:
        row = page.locator("tr.bulk-row", has_text=f"{code} Åtgärd {code}")
        counter.select(row.locator("select[name$=-status]"), status)
        counter.fill(row.locator("input[name$=-progress]"), progress)
        counter.fill(row.locator("textarea[name$=-update_text]"), text)
    counter.click(page.get_by_role("button", name="Spara alla"))
    page.wait_for_load_state()
    message = page.locator(".messagelist").inner_text()
    assert "5 åtgärder uppdaterade" in message
    # Saved: none of them is overdue any more.
    assert page.locator("tr.bulk-row").count() == 0

    assert counter.count == 17
    print(f"\nInteractions for the weekly round of five updates: {counter.count}")

    for item, (_code, status, progress, text) in zip(overdue_items, WEEK, strict=True):
        item.refresh_from_db()
        assert (item.status, item.progress) == (status, int(progress))
        log = ActionUpdate.objects.get(item=item)
        assert (log.text, log.status, log.previous_status) == (text, status, "ongoing")
        assert log.author.username == "redaktor"
        # The item's log in the admin and its public page show the update.
        page.goto(
            live_server.url + reverse("admin:plans_actionitem_change", args=[item.pk])
        )
        assert text in page.locator(".inline-group").inner_text()
        public = new_page(width=1280)
        public.goto(live_server.url + item.get_absolute_url())
        content = public.locator("main").inner_text()
        assert text in content
        assert f"{progress} %" in content or f"{progress}\u00a0%" in content
