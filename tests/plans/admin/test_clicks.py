"""The weekly task in a real browser: from the admin index, add a progress update
to an action item and change its status, in under five clicks.

Counted clicks: (1) “Åtgärder” on the admin index, (2) the item in the list,
(3) the new status (a radio button), (4) “Spara”. The update's text needs no
click: the new update's text box has the focus when the page opens, so it is
typed first.
"""

import os
import shutil
import threading

import pytest

from plans.models import ActionItem, ActionUpdate
from tests import factories

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def in_own_thread(walk):
    """Run a Playwright walk in a thread of its own: the sync API refuses to
    start in a thread where another suite's browser keeps an event loop."""
    outcome = {}

    def run():
        try:
            outcome["value"] = walk()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def open_browser(playwright):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class ClickCounter:
    def __init__(self):
        self.clicks = 0

    def click(self, locator):
        self.clicks += 1
        locator.click()


def test_editor_adds_an_update_and_changes_status_in_under_five_clicks(
    live_server, editor, client
):
    plan = factories.PlanFactory(slug="handlingsplan-test")
    item = factories.ActionItemFactory(
        plan=plan, code="2.3", title="Fokusera på medicinsk teknik", progress=40
    )
    factories.ActionItemFactory.create_batch(5, plan=plan)
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    text = "Försenat: upphandlingen överklagades."

    def walk():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = open_browser(playwright)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies(
                [{"name": "sessionid", "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            page.goto(f"{live_server.url}/admin/")
            counter = ClickCounter()
            counter.click(
                page.locator("#content-main th a[href='/admin/plans/actionitem/']")
            )
            page.wait_for_url("**/admin/plans/actionitem/")
            counter.click(page.locator("#result_list a", has_text="2.3").first)
            page.wait_for_url(f"**/admin/plans/actionitem/{item.pk}/change/")
            # No click needed to write: the new update's text box has the focus.
            focused = page.evaluate("document.activeElement.name")
            page.keyboard.type(text)
            counter.click(page.locator("input[name=status][value=delayed]"))
            counter.click(page.locator("input[name=_save]").last)
            page.wait_for_url("**/admin/plans/actionitem/")
            public = context.new_page()
            public.goto(f"{live_server.url}{item.get_absolute_url()}")
            public_content = public.content()
            browser.close()
        return counter.clicks, focused, public_content

    clicks, focused, public_content = in_own_thread(walk)

    assert focused == "update_text"
    assert clicks == 4
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DELAYED
    update = ActionUpdate.objects.get(item=item)
    assert update.text == text
    assert update.author == editor
    assert update.status == ActionItem.Status.DELAYED
    assert text in public_content
