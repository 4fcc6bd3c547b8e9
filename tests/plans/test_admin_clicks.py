"""The weekly task in a real browser: from the admin index, add a progress update
to an action item and change its status, in under five clicks.

Counted clicks: (1) “Åtgärder” on the admin index, (2) the item in the list,
(3) the new status (a radio button), (4) “Spara”. The update's text needs no
click: the new update's text box has the focus when the page opens, so it is
typed first.
"""

import os
import shutil

import pytest
from django.contrib.auth.models import Group, Permission

from flemingsberg.permissions import EDITOR_GROUP
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


@pytest.fixture
def browser_page():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context
        context.close()
        browser.close()


@pytest.fixture
def director(db):
    """The development director, in the editor group (rebuilt here, as a
    transactional test may run after another one has emptied the tables)."""
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["plans", "stakeholders"])
    )
    user = factories.UserFactory(username="tina", first_name="Tina", is_staff=True)
    user.groups.add(group)
    return user


class ClickCounter:
    def __init__(self, page):
        self.page, self.clicks = page, 0

    def click(self, locator):
        self.clicks += 1
        locator.click()


def test_editor_adds_an_update_and_changes_status_in_under_five_clicks(
    live_server, browser_page, director, client
):
    plan = factories.PlanFactory(slug="handlingsplan-test")
    item = factories.ActionItemFactory(
        plan=plan, code="2.3", title="Fokusera på medicinsk teknik", progress=40
    )
    factories.ActionItemFactory.create_batch(5, plan=plan)

    page = browser_page.new_page()
    browser_page.add_cookies(
        [
            {
                "name": "sessionid",
                "value": _session_for(client, director),
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/admin/")
    counter = ClickCounter(page)

    counter.click(page.locator("#content-main th a[href='/admin/plans/actionitem/']"))
    page.wait_for_url("**/admin/plans/actionitem/")
    counter.click(page.locator("#result_list a", has_text="2.3").first)
    page.wait_for_url(f"**/admin/plans/actionitem/{item.pk}/change/")
    # No click needed to write: the new update's text box has the focus.
    assert page.evaluate("document.activeElement.name") == "updates-2-0-text"
    page.keyboard.type("Försenat: upphandlingen överklagades.")
    counter.click(page.locator("input[name=status][value=delayed]"))
    counter.click(page.locator("input[name=_save]").last)
    page.wait_for_url("**/admin/plans/actionitem/")

    assert counter.clicks == 4
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DELAYED
    update = ActionUpdate.objects.get(item=item)
    assert update.text == "Försenat: upphandlingen överklagades."
    assert update.author == director
    assert update.status == ActionItem.Status.DELAYED

    public = browser_page.new_page()
    public.goto(f"{live_server.url}{item.get_absolute_url()}")
    assert "Försenat: upphandlingen överklagades." in public.content()


def _session_for(client, user):
    """A signed-in session without typing a password (sign-in throttling is
    tested on its own)."""
    client.force_login(user)
    return client.cookies["sessionid"].value
