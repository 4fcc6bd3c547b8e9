"""Every response carries the security headers, and no page needs inline code.

The pages are enumerated from the URL map (a test fails when a named public URL
is added without being listed here) and requested with real objects from the
bundled plans, in Swedish and English; the back office is requested as the
editor, who uses it every week.
"""

import hashlib
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone, translation

from plans.models import ActionItem, Indicator, Plan
from stakeholders.models import GoverningBody, Organisation
from tests import factories
from tests.pdfs import get_rendered

pytestmark = pytest.mark.django_db

# The exact values: a change here is a change of the site's security policy.
# django-csp writes the directives in no fixed order, so the CSP is compared as
# a set of directives.
CONTENT_SECURITY_POLICY = {
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), "
    "display-capture=(), encrypted-media=(), gamepad=(), geolocation=(), "
    "gyroscope=(), hid=(), identity-credentials-get=(), idle-detection=(), "
    "interest-cohort=(), local-fonts=(), magnetometer=(), microphone=(), midi=(), "
    "otp-credentials=(), payment=(), picture-in-picture=(), "
    "publickey-credentials-create=(), publickey-credentials-get=(), "
    "screen-wake-lock=(), serial=(), storage-access=(), usb=(), "
    "window-management=(), xr-spatial-tracking=()"
)
EXPECTED_HEADERS = {
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Named URLs that are not public pages of their own.
NOT_PAGES = {"set_language", "logout", "favicon"}


# ---------------------------------------------------------------------------
# Checking one response
# ---------------------------------------------------------------------------


class InlineCodeFinder(HTMLParser):
    """Collects everything a strict CSP (no 'unsafe-inline') would block."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        where = f"<{tag} {self.getpos()[0]}:{self.getpos()[1]}>"
        if tag == "script" and not attributes.get("src"):
            self.problems.append(f"inline <script> at {where}")
        if tag == "style":
            self.problems.append(f"<style> element at {where}")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style attribute {value!r} at {where}")
            elif name.startswith("on"):
                self.problems.append(f"event handler {name}= at {where}")
            elif name in {"href", "src", "action"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL at {where}")

    handle_startendtag = handle_starttag


def inline_code(html):
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def csp_directives(response):
    header = response.headers.get("Content-Security-Policy", "")
    return {directive.strip() for directive in header.split(";") if directive.strip()}


def header_problems(response):
    problems = [
        f"{name}: {response.headers.get(name)!r}"
        for name, value in EXPECTED_HEADERS.items()
        if response.headers.get(name) != value
    ]
    if csp_directives(response) != CONTENT_SECURITY_POLICY:
        problems.append(f"CSP: {response.headers.get('Content-Security-Policy')!r}")
    if "unsafe-" in response.headers.get("Content-Security-Policy", ""):
        problems.append("the CSP allows inline code or eval")
    return problems


def response_problems(response):
    """Every problem of one response: wrong headers and inline code in HTML."""
    problems = header_problems(response)
    if response.headers.get("Content-Type", "").startswith("text/html"):
        content = b"".join(response) if response.streaming else response.content
        problems += inline_code(content.decode())
    return problems


def fetch_all(client, urls, expected_status=(200,)):
    """Request every URL; the problems by URL (an empty dict when all is well)."""
    found = {}
    for url in urls:
        response = get_rendered(client, url)
        problems = response_problems(response)
        if response.status_code not in expected_status:
            problems.append(f"status {response.status_code}")
        if problems:
            found[url] = problems
    return found


# ---------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------


@pytest.fixture
def site(bundled_plans):
    """Bundled plans plus what they lack: an update, a meeting, a board pack."""
    item = ActionItem.objects.public().filter(plan__slug="handlingsplan-2009").first()
    factories.ActionUpdateFactory(item=item, is_public=True)
    body = GoverningBody.objects.order_by("pk").first()
    meeting = factories.MeetingFactory(body=body, is_public=True)
    pdf = b"%PDF-1.4\n%%EOF\n"
    pack = factories.BoardPackFactory(
        meeting=meeting,
        closed_at=timezone.now(),
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        members_html="<p>Medlemsutgåva</p>",
        members_pdf=pdf,
        members_pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    return {"item": item, "meeting": meeting, "body": body, "pack": pack}


def public_urls(site):
    """(URL name, URL) of every public page, in the active language."""
    plan = Plan.objects.get(slug="handlingsplan-2009")
    indicator = Indicator.objects.order_by("pk").first()
    organisation = Organisation.objects.order_by("pk").first()
    meeting = site["meeting"]
    pages = [
        ("healthz", reverse("healthz")),
        ("plans:home", reverse("plans:home")),
        ("plans:dashboard", reverse("plans:dashboard")),
        ("accessibility", reverse("accessibility")),
        ("login", reverse("login")),
        ("password_reset", reverse("password_reset")),
        ("password_reset_done", reverse("password_reset_done")),
        (
            "password_reset_confirm",
            reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "x-y"}),
        ),
        ("password_reset_complete", reverse("password_reset_complete")),
        ("plans:plan-list", reverse("plans:plan-list")),
        ("plans:actionitem-list", reverse("plans:actionitem-list")),
        ("plans:indicator-list", reverse("plans:indicator-list")),
        ("plans:open-data", reverse("plans:open-data")),
        ("plans:meeting-list", reverse("plans:meeting-list")),
        ("plans:organisation-list", reverse("plans:organisation-list")),
        ("plans:governingbody-list", reverse("plans:governingbody-list")),
        (
            "plans:organisation-detail",
            organisation.get_absolute_url(),
        ),
        (
            "plans:governingbody-detail",
            site["body"].get_absolute_url(),
        ),
        ("plans:actionitem-detail", site["item"].get_absolute_url()),
        ("plans:indicator-detail", indicator.get_absolute_url()),
        ("plans:meeting-detail", reverse("plans:meeting-detail", args=[meeting.pk])),
        (
            "plans:meeting-changes",
            reverse("plans:meeting-changes", args=[meeting.pk]),
        ),
    ]
    for slug in ["verksamhetsplan-2009-2011", "handlingsplan-2009", "soderort-2030"]:
        pages.append(("plans:plan-detail", reverse("plans:plan-detail", args=[slug])))
    pages += [
        ("plans:plan-report", reverse("plans:plan-report", args=[plan.slug])),
        ("plans:search", reverse("plans:search") + "?q=arbetsplatser"),
        (
            "plans:actionitem-list",
            reverse("plans:actionitem-list") + f"?plan={plan.slug}&status=ongoing",
        ),
    ]
    return pages


def download_urls(site):
    """(URL name, URL) of the PDFs and data files (the same in both languages)."""
    plan = Plan.objects.get(slug="handlingsplan-2009")
    indicator = Indicator.objects.order_by("pk").first()
    downloads = [
        ("plans:plan-pdf", reverse("plans:plan-pdf", args=[plan.slug])),
        (
            "plans:plan-adopted-pdf",
            reverse("plans:plan-adopted-pdf", args=["verksamhetsplan-2009-2011"]),
        ),
        ("plans:plan-report-pdf", reverse("plans:plan-report-pdf", args=[plan.slug])),
        (
            "plans:meeting-pack-pdf",
            reverse("plans:meeting-pack-pdf", args=[site["meeting"].pk]),
        ),
        (
            "plans:boardpack-pdf",
            reverse(
                "plans:boardpack-pdf",
                args=[site["meeting"].pk, site["pack"].pk, "public"],
            ),
        ),
    ]
    for data_format in ["csv", "xlsx", "json"]:
        downloads += [
            (
                "plans:actionitem-list",
                reverse("plans:actionitem-list") + f"?export={data_format}",
            ),
            (
                "plans:plan-action-data",
                reverse("plans:plan-action-data", args=[plan.slug, data_format]),
            ),
        ]
    for data_format in ["csv", "json"]:
        downloads.append(
            (
                "plans:indicator-series",
                reverse("plans:indicator-series", args=[indicator.pk, data_format]),
            )
        )
    for data_format in ["csv", "xlsx"]:
        downloads.append(
            (
                "plans:plan-funding-data",
                reverse("plans:plan-funding-data", args=[plan.slug, data_format]),
            )
        )
    return downloads


def member_download_urls(site):
    """(URL name, URL) of the downloads for signed-in members only."""
    return [
        (
            "plans:meeting-pack-members-pdf",
            reverse("plans:meeting-pack-members-pdf", args=[site["meeting"].pk]),
        ),
    ]


def named_routes(patterns, namespace=""):
    """The names of every URL pattern outside the admin."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            prefix = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from named_routes(pattern.url_patterns, namespace + prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_the_list_of_pages_covers_the_url_map(site):
    urls = public_urls(site) + download_urls(site) + member_download_urls(site)
    listed = {name for name, _ in urls}
    routes = set(named_routes(get_resolver().url_patterns)) - NOT_PAGES
    assert routes - listed == set(), "public URLs without a headers test"
    # and each listed URL really is the route it claims to be
    for name, url in urls:
        match = resolve(url.split("?")[0])
        assert match.view_name == name, url


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_public_page_sends_the_headers_and_no_inline_code(client, site, language):
    with translation.override(language):
        urls = [url for _, url in public_urls(site)]
    if language == "en":
        assert all(url.startswith("/en/") for url in urls if url != "/healthz")
    assert fetch_all(client, urls) == {}


def test_every_download_sends_the_headers(client, site):
    urls = [url for _, url in download_urls(site)]
    assert fetch_all(client, urls) == {}


def test_signed_in_members_see_the_same_headers(client, site, reader):
    client.force_login(reader)
    urls = [url for name, url in public_urls(site) if name != "login"]
    assert fetch_all(client, urls) == {}
    members_only = [url for _, url in member_download_urls(site)]
    assert fetch_all(client, members_only) == {}
    # the sign-in page sends a signed-in member on
    assert fetch_all(client, [reverse("login")], expected_status=(302,)) == {}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/finns-inte/", 404),
        ("/en/finns-inte/", 404),
        ("/plans/finns-inte/", 404),
        ("/plans", 301),  # APPEND_SLASH
        ("/admin/", 302),  # to the sign-in page
        ("/actions/?export=pdf", 404),
    ],
)
def test_redirects_and_errors_send_the_headers(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response_problems(response) == []


def test_a_post_response_sends_the_headers(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert header_problems(response) == []


def test_static_files_from_whitenoise_send_the_headers(settings):
    settings.WHITENOISE_USE_FINDERS = True  # read when the middleware starts
    client = Client()
    for path in ["css/site.css", "admin/js/core.js", "fonts/Lato-Regular.ttf"]:
        response = client.get(settings.STATIC_URL + path)
        assert response.status_code == 200, path
        assert header_problems(response) == [], path


# ---------------------------------------------------------------------------
# The back office
# ---------------------------------------------------------------------------


def admin_urls(user):
    """Changelist, add and change page of every model the user may see."""
    request = type("Request", (), {"user": user})()
    urls = [reverse("admin:index"), reverse("admin:jsi18n")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        if not model_admin.has_view_permission(request):
            continue
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    return urls


def test_back_office_pages_send_the_headers_and_no_inline_code(
    client, site, one_of_each, editor
):
    client.force_login(editor)
    item = site["item"]
    item.title += " (ändrad)"
    item.save()  # a second version, for the history pages
    version = item.history.order_by("history_id").first()
    urls = [
        *admin_urls(editor),
        reverse("admin:plans_actionitem_changelist") + "?q=stad&status__exact=ongoing",
        reverse("admin:plans_actionitem_import"),
        reverse("admin:plans_actionitem_export"),
        reverse("admin:plans_actionitem_simple_history", args=[item.pk, version.pk]),
        reverse("admin:password_change"),
    ]
    assert fetch_all(client, urls) == {}


def test_user_administration_pages_send_the_headers_and_no_inline_code(
    client, editor, superuser
):
    """The pages only a superuser sees: users, groups, sign-in lockouts."""
    client.force_login(superuser)
    urls = sorted(set(admin_urls(superuser)) - set(admin_urls(editor)))
    assert reverse("admin:auth_user_changelist") in urls
    urls.append(reverse("admin:auth_user_password_change", args=[editor.pk]))
    assert fetch_all(client, urls) == {}


def test_admin_sign_in_page_sends_the_headers_and_no_inline_code(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert response_problems(response) == []


# ---------------------------------------------------------------------------
# The checker itself
# ---------------------------------------------------------------------------


def test_the_checker_finds_inline_code():
    html = (
        '<p style="color:red">x</p><script>alert(1)</script>'
        '<script src="/static/x.js"></script><style>p{}</style>'
        '<a href="javascript:void(0)" onclick="x()">y</a><br style="">'
    )
    problems = inline_code(html)
    assert len(problems) == 6, problems
