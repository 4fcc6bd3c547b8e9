"""The page cache (plans.caching): anonymous public pages are kept whole under
the data generation; members' pages, pages with a CSRF token, answers other
than 200 and pages of another query string, language or date never come from
a kept page. For members, the part below the header of the action list, the
dashboard and a plan page is kept as a fragment under the generation and
what the member may see (plans.caching.cached_fragment).

Changes written with ``QuerySet.update()`` send no signal and so leave the
generation as it was: a page that still shows the old value came from the
cache, one that shows the new value was rendered.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.utils import timezone

from plans.caching import is_shareable
from plans.models import ActionItem, Plan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The page cache on, as in production (test settings turn it off)."""
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def item():
    return factories.ActionItemFactory(title="Cykelbana till campus")


def retitle_without_signal(item, title):
    ActionItem.objects.filter(pk=item.pk).update(title=title)


def test_an_anonymous_page_is_kept_until_the_data_changes(item):
    url = item.get_absolute_url()
    first = Client().get(url)
    assert first.status_code == 200
    assert "no-cache" in first["Cache-Control"]
    assert "Cookie" in first["Vary"]

    retitle_without_signal(item, "Gångbro över spåren")
    kept = Client().get(url)
    assert kept.content == first.content

    item.refresh_from_db()
    item.title = "Gångbro över spåren"
    item.save()  # the signal moves the generation on
    assert "Gångbro över spåren" in Client().get(url).content.decode()


def test_a_kept_page_answers_304_to_its_etag(item):
    url = item.get_absolute_url()
    first = Client().get(url)
    again = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_members_never_get_the_kept_anonymous_page(item, reader):
    url = item.get_absolute_url()
    Client().get(url)
    retitle_without_signal(item, "Gångbro över spåren")

    member = Client()
    member.force_login(reader)
    response = member.get(url)
    page = response.content.decode()
    assert "Gångbro över spåren" in page
    assert reader.get_username() in page
    assert "private" in response["Cache-Control"]
    # ... and the member's visit did not replace the anonymous page.
    assert "Cykelbana till campus" in Client().get(url).content.decode()


def test_anonymous_visitors_never_get_a_members_page(item, reader):
    internal = factories.ActionItemFactory(
        plan=item.plan, title="Intern förhandling", is_public=False
    )
    member = Client()
    member.force_login(reader)
    assert "Intern förhandling" in member.get("/actions/").content.decode()
    assert member.get(internal.get_absolute_url()).status_code == 200

    for _ in range(2):
        page = Client().get("/actions/").content.decode()
        assert "Intern förhandling" not in page
        assert reader.get_username() not in page
        assert "csrfmiddlewaretoken" not in page
        assert Client().get(internal.get_absolute_url()).status_code == 404


def test_the_sign_in_page_is_never_kept(db):
    first, second = Client().get("/accounts/login/"), Client().get("/accounts/login/")
    assert "csrftoken" in first.cookies and "csrftoken" in second.cookies
    assert first.content != second.content  # each with its own token


def test_a_page_that_asked_for_a_csrf_token_or_set_a_cookie_is_not_kept(rf):
    request = rf.get("/actions/")
    request.user = AnonymousUser()
    assert is_shareable(request, HttpResponse("<p>ok</p>"))
    with_cookie = HttpResponse("<p>ok</p>")
    with_cookie.set_cookie("seen", "1")
    assert not is_shareable(request, with_cookie)
    get_token(request)
    assert not is_shareable(request, HttpResponse("<p>ok</p>"))


def test_an_answer_other_than_200_is_not_kept(item):
    ActionItem.objects.filter(pk=item.pk).update(is_public=False)
    assert Client().get(item.get_absolute_url()).status_code == 404
    ActionItem.objects.filter(pk=item.pk).update(is_public=True)
    assert Client().get(item.get_absolute_url()).status_code == 200


def test_the_query_string_and_the_language_are_in_the_key(item):
    factories.ActionItemFactory(plan=item.plan, title="Ny pendeltågsentré")
    cykel = Client().get("/actions/?q=Cykelbana").content.decode()
    entre = Client().get("/actions/?q=pendeltågsentré").content.decode()
    assert "Cykelbana till campus" in cykel and "Ny pendeltågsentré" not in cykel
    assert "Ny pendeltågsentré" in entre and "Cykelbana till campus" not in entre

    swedish = Client().get(item.get_absolute_url())
    english = Client().get(f"/en{item.get_absolute_url()}")
    assert swedish["Content-Language"] == "sv"
    assert english["Content-Language"] == "en"
    assert 'lang="en"' in english.content.decode()[:200]


def test_the_local_date_is_in_the_key(item, monkeypatch):
    """An item due today is late tomorrow, though no data changed."""
    today = timezone.localdate()
    item.due_date = today
    item.save()
    url = item.get_absolute_url()
    assert "badge--late" not in Client().get(url).content.decode()

    real = timezone.localdate

    def tomorrow(value=None, timezone=None):
        if value is not None:
            return real(value, timezone)
        return today + datetime.timedelta(days=1)

    monkeypatch.setattr("django.utils.timezone.localdate", tomorrow)
    assert "badge--late" in Client().get(url).content.decode()


def test_a_visitor_with_pending_messages_gets_the_page_rendered(item):
    """Messages wait in a cookie (or the session): a kept page would not show
    them, and the page that shows them is that visitor's alone."""
    url = item.get_absolute_url()
    Client().get(url)
    retitle_without_signal(item, "Gångbro över spåren")
    visitor = Client()
    visitor.cookies["messages"] = "pending"
    assert "Gångbro över spåren" in visitor.get(url).content.decode()


@pytest.mark.parametrize("page", ["/", "/actions/", "/dashboard/", "plan", "item"])
def test_a_members_page_keeps_its_figures_until_the_data_changes(item, reader, page):
    """The part below the header of the home page, the action list, the
    dashboard, a plan page and an item page is kept for members too
    (plans.caching.cached_fragment)."""
    plan = item.plan
    url = {"plan": plan.get_absolute_url(), "item": item.get_absolute_url()}.get(
        page, page
    )
    first, second = Client(), Client()
    first.force_login(reader)
    second.force_login(reader)
    assert plan.title in first.get(url).content.decode()

    Plan.objects.filter(pk=plan.pk).update(title="Omdöpt plan")  # no signal
    response = second.get(url)
    page_html = response.content.decode()
    kept = main_of(page_html)
    assert plan.title in kept and "Omdöpt plan" not in kept
    assert reader.get_username() in page_html  # in this member's own page
    assert "private" in response["Cache-Control"]

    plan.refresh_from_db()
    plan.save()  # the signal moves the generation on
    assert "Omdöpt plan" in main_of(first.get(url).content.decode())


def main_of(page):
    """The page's <main> (the page title in <head> is read afresh)."""
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_members_action_list_fragment_follows_the_filters_and_the_language(
    item, reader
):
    factories.ActionItemFactory(plan=item.plan, title="Ny pendeltågsentré")
    member = Client()
    member.force_login(reader)
    cykel = member.get("/actions/?q=Cykelbana").content.decode()
    entre = member.get("/actions/?q=pendeltågsentré").content.decode()
    assert "Cykelbana till campus" in cykel and "Ny pendeltågsentré" not in cykel
    assert "Ny pendeltågsentré" in entre and "Cykelbana till campus" not in entre

    assert "Filtrera åtgärder" in member.get("/actions/").content.decode()
    assert "Filter action items" in member.get("/en/actions/").content.decode()
