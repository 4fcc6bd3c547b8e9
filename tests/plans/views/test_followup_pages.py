"""The follow-up on the pages: "Per strategi" on the dashboard, the plan
pages and the progress report (page and PDF), the links to the reports, the
update log's from → to, the unnumbered plan documents, and page costs that do
not grow with the number of items."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from plans.models import ActionItem, FocusArea, Plan
from plans.services.pdf import report_pdf_html
from tests import factories
from tests.admin_posts import change_form_data
from tests.pdfs import get_rendered

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FIVE_STRATEGIES = [
    "Dra fördel av forskning och högre utbildning",
    "Stimulera innovation och entreprenörskap",
    "Förbättra lägesförutsättningarna",
    "Öka statsdelens attraktivitet",
    "Stärk begreppet Flemingsberg",
]


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def section(html, marker, end="</section>"):
    start = html.index(marker)
    return html[start : html.index(end, start)]


def rollup_cells(html, title):
    """The cells of the row of ``title`` in the page's "Per strategi" table:
    six statuses, total, past end date, update overdue, health."""
    table = section(html, 'class="rollup-table', "</table>")
    row = table[table.index(f"{title}</th>") :]
    row = row[: row.index("</tr>")]
    return [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def pdf_text(content):
    reader = PdfReader(io.BytesIO(bytes(content)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def plans(bundled_plans):
    return (
        Plan.objects.get(slug="verksamhetsplan-2009-2011"),
        Plan.objects.get(slug="handlingsplan-2009"),
        Plan.objects.get(slug="soderort-2030"),
    )


# ---------------------------------------------------------------------------
# The dashboard
# ---------------------------------------------------------------------------


def test_the_dashboard_names_the_five_strategies_first_after_the_key_figures(
    client, plans
):
    content = client.get(reverse("plans:dashboard")).content.decode()
    rollup = section(content, 'aria-labelledby="rollup-title"')
    assert ">Per strategi</h2>" in rollup
    positions = [rollup.index(title) for title in FIVE_STRATEGIES]
    assert positions == sorted(positions)
    # First after the key figures: before the plans' overview.
    assert content.index("key-figures") < content.index('id="rollup-title"')
    assert content.index('id="rollup-title"') < content.index('id="plans-title"')


def test_before_any_follow_up_the_dashboard_says_so_instead_of_zeros(
    client, plans, editor
):
    content = client.get(reverse("plans:dashboard")).content.decode()
    rollup = section(content, 'aria-labelledby="rollup-title"')
    assert "Uppföljningen har inte startat" in rollup
    assert "rollup-table" not in rollup
    assert "Inte kopplade till en strategi: " in text_of(rollup)
    assert "15 åtgärder" in text_of(rollup)
    admin_link = reverse("admin:plans_actionitem_changelist")
    assert admin_link not in rollup
    client.force_login(editor)
    rollup = section(
        client.get(reverse("plans:dashboard")).content.decode(),
        'aria-labelledby="rollup-title"',
    )
    assert admin_link in rollup


def test_the_partner_plan_is_counted_only_when_chosen(client, plans):
    _business, _action, partner = plans
    own = text_of(
        section(
            client.get(reverse("plans:dashboard")).content.decode(),
            'aria-labelledby="rollup-title"',
        )
    )
    chosen = client.get(reverse("plans:dashboard"), {"scope": "partner"})
    assert chosen.status_code == 200
    rollup = section(chosen.content.decode(), 'aria-labelledby="rollup-title"')
    public = partner.action_items.public().count()
    assert f"{public} åtgärder" in text_of(rollup)
    assert f"{public} åtgärder" not in own
    assert 'value="partner" selected' in rollup
    for title in FIVE_STRATEGIES:
        assert title not in rollup


def test_an_unknown_scope_is_a_form_error_and_our_plans_are_shown(client, plans):
    response = client.get(reverse("plans:dashboard"), {"scope": "alla"})
    assert response.status_code == 200
    rollup = section(response.content.decode(), 'aria-labelledby="rollup-title"')
    assert 'class="errorlist" id="rollup-scope-errors"' in rollup
    assert "alla finns inte bland tillgängliga alternativ" in rollup
    assert 'aria-invalid="true"' in rollup
    assert 'value="own" selected' in rollup
    assert FIVE_STRATEGIES[0] in rollup


def test_rollup_numbers_link_to_the_items_they_count(client, plans):
    business, action, _partner = plans
    strategy = business.strategies.order_by("order")[1]
    area = action.focus_areas.order_by("order").first()
    area.strategy = strategy
    area.save()
    item = area.action_items.order_by("order").first()
    item.status, item.progress = ActionItem.Status.ONGOING, 10
    item.save()
    content = client.get(reverse("plans:dashboard")).content.decode()
    table = section(content, 'class="rollup-table', "</table>")
    links = re.findall(r'href="([^"]+)"', table)
    assert links
    in_area = area.action_items.count()
    for url in links:
        listed = client.get(url.replace("&amp;", "&"))
        assert listed.status_code == 200
        assert not listed.context["filter"].form.errors
    total = f"/actions/?scope=own&amp;strategy={strategy.pk}"
    assert f'<a href="{total}">{in_area}</a>' in table
    listed = client.get(total.replace("&amp;", "&"))
    assert listed.context["table"].paginator.count == in_area
    unlinked = client.get("/actions/", {"scope": "own", "strategy": "none"})
    assert (
        unlinked.context["table"].paginator.count
        == action.action_items.count() - in_area
    )


# ---------------------------------------------------------------------------
# Through the admin: a strategy's counts and health change on every page
# ---------------------------------------------------------------------------


def test_an_editor_links_a_focus_area_and_sets_statuses_in_the_admin(
    client, plans, editor
):
    business, action, _partner = plans
    strategy = business.strategies.get(title=FIVE_STRATEGIES[1])
    area = action.focus_areas.order_by("order").first()
    first, second = area.action_items.order_by("order")

    dashboard_url = reverse("plans:dashboard")
    before = client.get(dashboard_url).content.decode()
    assert "Uppföljningen har inte startat" in before
    assert "Ur kurs" not in before

    editor_client = client.__class__()
    editor_client.force_login(editor)
    response = editor_client.post(
        reverse("admin:plans_focusarea_change", args=[area.pk]),
        {
            "plan": action.pk,
            "code": area.code,
            "order": area.order,
            "title": area.title,
            "strategy": strategy.pk,
            "description": area.description,
            "loaded_version": area.version,
            "_save": "Spara",
        },
    )
    assert response.status_code == 302
    for item, status, progress in (
        (first, ActionItem.Status.ONGOING, 30),
        (second, ActionItem.Status.DELAYED, 10),
    ):
        response = editor_client.post(
            reverse("admin:plans_actionitem_change", args=[item.pk]),
            change_form_data(item, status=status, progress=progress),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert FocusArea.objects.get(pk=area.pk).strategy == strategy

    # not started, ongoing, done, delayed, paused, cancelled, carried over;
    # total; past end date; update overdue; health (a delayed item of two open
    # ones: off track).
    expected = ["0", "1", "0", "1", "0", "0", "0", "2", "0", "0", "Ur kurs"]
    after = client.get(dashboard_url).content.decode()
    assert "Uppföljningen har inte startat" not in after
    assert rollup_cells(after, strategy.title) == expected
    for plan in (business, action):
        page = client.get(plan.get_absolute_url()).content.decode()
        assert rollup_cells(page, strategy.title) == expected, plan.slug
    report_url = reverse("plans:plan-report", kwargs={"slug": business.slug})
    report = client.get(report_url).content.decode()
    assert rollup_cells(report, strategy.title) == expected
    assert "Läge: ej startat så länge" in report
    pdf = get_rendered(
        client, reverse("plans:plan-report-pdf", kwargs={"slug": business.slug})
    )
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert "Per strategi" in text
    row = text[text.index(strategy.title) :]
    assert re.match(rf"{re.escape(strategy.title)} {' '.join(expected)}", row), row[
        :200
    ]


# ---------------------------------------------------------------------------
# Reports: found and complete
# ---------------------------------------------------------------------------


def test_the_business_plans_report_counts_its_appendix_items(client, plans):
    business, action, _partner = plans
    assert action.action_items.count() == 15
    assert business.action_items.count() == 0
    report = client.get(reverse("plans:plan-report", kwargs={"slug": business.slug}))
    assert report.context["report"].total == 15
    assert "Planen har 15 åtgärder" in text_of(report.content.decode())
    html = report_pdf_html(business, None)
    assert "Planen har 15 åtgärder" in text_of(html)


def test_every_plan_page_links_its_report(client, plans):
    for plan in plans:
        content = client.get(plan.get_absolute_url()).content.decode()
        url = reverse("plans:plan-report", kwargs={"slug": plan.slug})
        assert content.count(f'href="{url}"') >= 2, plan.slug  # header, follow-up


def test_the_dashboards_plan_rows_link_their_reports(client, plans):
    content = client.get(reverse("plans:dashboard")).content.decode()
    rows = section(content, 'class="plan-overview', "</table>")
    for plan in plans[1:]:  # the plans with items of their own have a row
        url = reverse("plans:plan-report", kwargs={"slug": plan.slug})
        assert f'class="plan-overview__report" href="{url}"' in rows


def test_a_meeting_page_links_the_reports_since_the_meeting(client):
    body = factories.GoverningBodyFactory(name="Styrgruppen")
    plan = factories.PlanFactory(slug="hp-m", status=Plan.Status.ADOPTED)
    plan.governing_bodies.add(body)
    meeting = factories.MeetingFactory(body=body, date=TODAY - datetime.timedelta(7))
    url = reverse("plans:plan-report", kwargs={"slug": plan.slug})
    since = f"{url}?since={meeting.date.isoformat()}"
    for page in ("plans:meeting-detail", "plans:meeting-changes"):
        content = client.get(reverse(page, args=[meeting.pk])).content.decode()
        assert f'href="{since}"' in content, page
    report = client.get(since)
    assert report.status_code == 200


# ---------------------------------------------------------------------------
# The update log and the plan documents
# ---------------------------------------------------------------------------


def test_the_update_log_shows_status_and_progress_from_and_to(client):
    item = factories.ActionItemFactory(status="ongoing", progress=10)
    item.status, item.progress = ActionItem.Status.PAUSED, 40
    item.note_update("Väntar på beslut.")
    item.save()
    content = client.get(item.get_absolute_url()).content.decode()
    log = section(content, 'aria-labelledby="item-log-heading"')
    text = text_of(log)
    assert ">Uppdateringslogg</h2>" in log
    assert "Status: från Pågående → till Pausad" in text
    assert "Förlopp 10 % → till 40 %" in text
    assert "Väntar på beslut." in text


def test_plan_documents_show_strategies_and_activities_unnumbered(client, plans):
    business, action, _partner = plans
    page = client.get(business.get_absolute_url()).content.decode()
    strategies = section(page, 'class="doc-strategies"', "</ul>\n")
    assert "doc-strategy__code" not in strategies
    for strategy in business.strategies.all():
        assert f">{strategy.title}</h3>" in page
        assert f">{strategy.code} " not in strategies
    page = client.get(action.get_absolute_url()).content.decode()
    assert '<ol class="doc-actions">' not in page
    assert "doc-action__code" not in page
    pdf = get_rendered(
        client, reverse("plans:plan-pdf", kwargs={"slug": business.slug})
    )
    text = pdf_text(pdf.content)
    assert f"{FIVE_STRATEGIES[0]}" in text
    assert f"S1 {FIVE_STRATEGIES[0]}" not in text


# ---------------------------------------------------------------------------
# Page costs do not grow with the number of items
# ---------------------------------------------------------------------------


def followed_up_plans(number):
    """A business plan with five strategies and an appendix of ``number``
    items under focus areas that serve them, some late, some updated."""
    body = factories.GoverningBodyFactory()
    business = factories.PlanFactory(
        slug="vp-q",
        kind=Plan.Kind.BUSINESS_PLAN,
        status=Plan.Status.ADOPTED,
        is_public=True,
    )
    business.governing_bodies.add(body)
    action = factories.PlanFactory(
        slug="hp-q",
        parent=business,
        status=Plan.Status.ADOPTED,
        is_public=True,
    )
    strategies = [
        factories.StrategyFactory(plan=business, code=f"S{n}", order=n)
        for n in range(5)
    ]
    areas = [
        factories.FocusAreaFactory(
            plan=action, code=str(n), order=n, strategy=strategies[n]
        )
        for n in range(4)
    ]
    statuses = list(ActionItem.Status)
    for n in range(number):
        status = statuses[n % len(statuses)]
        item = factories.ActionItemFactory(
            plan=action,
            focus_area=areas[n % 4],
            strategy=strategies[4] if n % 7 == 0 else None,
            code=str(n),
            order=n,
            status=status,
            progress={"not_started": 0, "done": 100}.get(status, 50),
            due_date=TODAY - datetime.timedelta(days=n % 3 - 1),
        )
        if n % 2:
            factories.ActionUpdateFactory(item=item, text=f"Uppdatering {n}")
    meeting = factories.MeetingFactory(body=body, date=TODAY - datetime.timedelta(3))
    return business, action, meeting


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(captured)


PAGES = [
    ("dashboard", lambda business, action, meeting: (reverse("plans:dashboard"), {})),
    (
        "dashboard, partner plans",
        lambda b, a, m: (reverse("plans:dashboard"), {"scope": "partner"}),
    ),
    ("business plan", lambda b, a, m: (b.get_absolute_url(), {})),
    ("action plan", lambda b, a, m: (a.get_absolute_url(), {})),
    (
        "report",
        lambda b, a, m: (reverse("plans:plan-report", kwargs={"slug": b.slug}), {}),
    ),
    ("meeting", lambda b, a, m: (reverse("plans:meeting-detail", args=[m.pk]), {})),
    (
        "meeting changes",
        lambda b, a, m: (reverse("plans:meeting-changes", args=[m.pk]), {}),
    ),
    (
        "action list by strategy",
        lambda b, a, m: (
            reverse("plans:actionitem-list"),
            {"within": b.slug, "strategy": b.strategies.first().pk},
        ),
    ),
    (
        "action item",
        lambda b, a, m: (
            a.action_items.order_by("order").last().get_absolute_url(),
            {},
        ),
    ),
]


@pytest.mark.parametrize("user", ["anonymous", "reader"])
def test_page_costs_do_not_grow_with_the_items(client, reader, user):
    if user == "reader":
        client.force_login(reader)
    business, action, meeting = followed_up_plans(10)
    viewer = reader if user == "reader" else None
    report_pdf_html(business, viewer)  # the viewer's permissions, read once
    few = {}
    for name, page in PAGES:
        url, params = page(business, action, meeting)
        few[name] = queries(client, url, **params)
    with CaptureQueriesContext(connection) as captured:
        report_pdf_html(business, viewer)
    few["report PDF"] = len(captured)

    for n in range(10, 60):
        factories.ActionItemFactory(
            plan=action,
            focus_area=action.focus_areas.get(code=str(n % 4)),
            code=str(n),
            order=n,
            status=list(ActionItem.Status)[n % 6],
            progress=0 if n % 6 == 0 else 100 if n % 6 == 2 else 50,
            due_date=TODAY - datetime.timedelta(days=n % 3 - 1),
        )
    many = {}
    for name, page in PAGES:
        url, params = page(business, action, meeting)
        many[name] = queries(client, url, **params)
    with CaptureQueriesContext(connection) as captured:
        report_pdf_html(business, viewer)
    many["report PDF"] = len(captured)
    assert action.action_items.count() == 60
    assert many == few


def test_an_item_page_names_the_strategy_its_focus_area_serves(client, plans):
    business, action, _partner = plans
    strategy = business.strategies.order_by("order").first()
    area = action.focus_areas.order_by("order").first()
    area.strategy = strategy
    area.save()
    item = area.action_items.first()
    facts = section(
        client.get(item.get_absolute_url()).content.decode(), 'class="facts"', "</dl>"
    )
    assert f">{strategy.title}</a>" in facts
