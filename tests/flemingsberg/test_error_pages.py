"""Error pages: in the site's layout, in the visitor's language, with a way on.

None shows what went wrong inside (no traceback, no exception text). The 500 page
is requested through a view that raises, from this module's own URLconf.
"""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from flemingsberg.urls import handler500
from flemingsberg.urls import urlpatterns as site_urlpatterns
from plans.models import Plan
from tests import factories
from tests.flemingsberg.test_security_headers import response_problems

pytestmark = pytest.mark.django_db

SECRET = "db-password-in-the-exception-9c1f"


def boom(request):
    raise RuntimeError(f"exploded with {SECRET}")


def forbidden(request):
    raise PermissionDenied(f"not for you: {SECRET}")


# This module is also a URLconf: the site's pages plus two views that fail.
urlpatterns = [
    *site_urlpatterns,
    path("test-boom/", boom),
    path("en/test-boom/", boom),
    path("test-forbidden/", forbidden),
    path("en/test-forbidden/", forbidden),
]
__all__ = ["handler500", "urlpatterns"]


@pytest.fixture
def failing_views(settings):
    """This module's URLs. Set through pytest-django's ``settings`` (not a
    decorator) so that tests that also change settings restore all in order:
    a decorator undone before the fixture left ROOT_URLCONF pointing here."""
    settings.ROOT_URLCONF = __name__


with_failing_views = pytest.mark.usefixtures("failing_views")

LEAKS = ["Traceback", 'File "', SECRET, "RuntimeError", "PermissionDenied", "Http404"]


def content(response):
    return response.content.decode()


def assert_site_error_page(response, status, texts):
    """The status, the site's layout and stylesheet, the texts, and no leaks."""
    assert response.status_code == status
    page = content(response)
    assert 'rel="stylesheet" href="/static/css/site.css"' in page
    assert 'class="site-header"' in page
    assert 'id="footer-contact"' in page
    assert page.count("<h1") == 1
    for text in texts:
        assert text in page, text
    for leak in LEAKS:
        assert leak not in page, leak
    assert response_problems(response) == []
    if status != 500:  # the whole layout, main navigation included
        assert 'class="site-nav__list"' in page
        assert page.count('href="/plans/"') + page.count('href="/en/plans/"') >= 2


def search_form(prefix=""):
    return f'<form class="search-form" action="{prefix}/actions/" method="get"'


# ---------------------------------------------------------------------------
# 404
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/finns-inte/", "Vi hittar inte sidan"),
        ("/en/does-not-exist/", "We cannot find that page"),
        ("/plans/finns-inte/", "Vi hittar inte sidan"),
        ("/en/plans/does-not-exist/", "We cannot find that page"),
        ("/actions/999999/", "Vi hittar inte sidan"),
        ("/en/actions/999999/", "We cannot find that page"),
    ],
)
def test_404_for_an_unknown_address_or_object(client, url, heading):
    response = client.get(url)
    prefix = "/en" if url.startswith("/en/") else ""
    assert_site_error_page(response, 404, [heading, search_form(prefix)])
    page = content(response)
    assert f'href="{prefix}/"' in page
    assert 'href="#footer-contact"' in page
    assert f'lang="{"en" if prefix else "sv"}"' in page


def test_404_does_not_show_the_lookup_that_failed(client):
    draft = factories.PlanFactory(status=Plan.Status.DRAFT, title="Hemligt utkast")
    response = client.get(draft.get_absolute_url())
    assert_site_error_page(response, 404, ["Vi hittar inte sidan"])
    assert "Hemligt utkast" not in content(response)
    assert "matches the given query" not in content(response)


# ---------------------------------------------------------------------------
# 400
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "texts"),
    [
        ("/", ["Fel 400", "Vi kunde inte tolka begäran"]),
        ("/en/", ["Error 400", "We could not understand the request"]),
    ],
)
def test_400_for_a_host_the_site_does_not_serve(client, url, texts):
    response = client.get(url, HTTP_HOST="planportal.evil.example")
    assert_site_error_page(response, 400, texts)
    assert "evil.example" not in content(response)


def test_400_for_too_many_query_parameters(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    query = "&".join(f"status={n}" for n in range(20))
    response = client.get(f"/en/actions/?{query}")
    assert_site_error_page(response, 400, ["We could not understand the request"])


# ---------------------------------------------------------------------------
# 403
# ---------------------------------------------------------------------------


@with_failing_views
def test_403_offers_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/test-forbidden/")
    assert_site_error_page(response, 403, ["Du har inte behörighet till sidan"])
    assert 'href="/accounts/login/?next=/test-forbidden/"' in content(response)


@with_failing_views
def test_403_tells_a_signed_in_member_whom_to_ask(client, reader):
    client.force_login(reader)
    response = client.get("/en/test-forbidden/")
    assert_site_error_page(
        response, 403, ["You are signed in as lasare", "development director"]
    )


@pytest.mark.parametrize(
    ("url", "heading", "language"),
    [
        ("/accounts/login/", "Formuläret kunde inte skickas", "sv"),
        ("/en/accounts/login/", "The form could not be sent", "en"),
    ],
)
def test_403_for_a_form_without_the_csrf_cookie(url, heading, language):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, {"username": "x", "password": "y"})
    cookie_text = {
        "sv": "Din webbläsare skickade inte webbplatsens kaka",
        "en": "Your browser did not send the website",
    }[language]
    assert_site_error_page(response, 403, [heading, cookie_text])
    assert "CSRF" not in content(response)


def test_403_for_a_form_with_a_stale_token_does_not_blame_cookies():
    client = Client(enforce_csrf_checks=True)
    client.get("/en/accounts/login/")  # sets the CSRF cookie
    response = client.post(
        "/en/accounts/login/",
        {"username": "x", "password": "y", "csrfmiddlewaretoken": "x" * 64},
    )
    assert_site_error_page(
        response, 403, ["The form could not be sent", "Nothing has been saved"]
    )
    assert "cookie" not in content(response).split("<main")[1].split("</main>")[0]


def test_a_refused_form_has_not_saved_anything(editor, one_of_each):
    """The CSRF check runs before the admin view: the change is not made."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    plan = Plan.objects.first()
    response = client.post(
        f"/admin/plans/plan/{plan.pk}/change/", {"title": "Ändrad utan token"}
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.title != "Ändrad utan token"


# ---------------------------------------------------------------------------
# 500
# ---------------------------------------------------------------------------


@with_failing_views
def test_500_in_swedish_with_english_below(django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-boom/")
    assert_site_error_page(
        response, 500, ["Något gick fel", "Fel 500", "Something went wrong"]
    )
    page = content(response)
    assert '<html lang="sv">' in page
    assert page.index("Något gick fel") < page.index("Something went wrong")
    assert search_form() in page
    assert 'href="/en/"' in page  # the English text leads to the English site


@with_failing_views
def test_500_in_english_under_en():
    client = Client(raise_request_exception=False)
    response = client.get("/en/test-boom/")
    assert_site_error_page(response, 500, ["Something went wrong", "Error 500"])
    page = content(response)
    assert '<html lang="en">' in page
    assert page.index("Something went wrong") < page.index("Något gick fel")
    assert search_form("/en") in page


@with_failing_views
def test_500_for_a_signed_in_editor_does_not_touch_the_session(editor):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    response = client.get("/test-boom/")
    assert_site_error_page(response, 500, ["Något gick fel"])
    assert editor.username not in content(response)


@with_failing_views
def test_500_page_renders_when_the_static_manifest_is_missing(settings, tmp_path):
    """collectstatic not run: every page fails, and the 500 page must not."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/")
    assert_site_error_page(response, 500, ["Något gick fel"])


@with_failing_views
def test_500_page_uses_the_hashed_stylesheet_when_there_is_a_manifest(
    settings, tmp_path
):
    paths = {"css/site.css": "css/site.0123abcd.css", "css/pages.css": "css/p.1.css"}
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": paths, "version": "1.1", "hash": "x"})
    )
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/")
    assert response.status_code == 500
    assert 'href="/static/css/site.0123abcd.css"' in content(response)
