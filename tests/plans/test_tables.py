"""The action browser's rows, written in one pass (ActionItemTable.body_html),
are the same HTML as django-tables2's generic per-cell rendering."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django_tables2 import RequestConfig

from plans.models import ActionItem
from plans.tables import ActionItemTable
from plans.views.actions import browse_queryset
from tests import factories

pytestmark = pytest.mark.django_db


def _tbody(html):
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return re.sub(r">\s+<", "><", body).strip()


@pytest.fixture
def varied_items(reader):
    plan = factories.PlanFactory(title="Plan <A> & B")
    area = factories.FocusAreaFactory(plan=plan, title='Område "1" <b>')
    organisation = factories.OrganisationFactory(name="Huddinge & co")
    today = datetime.date.today()
    factories.ActionItemFactory(
        plan=plan,
        focus_area=area,
        code="1.1",
        title="<script>alert(1)</script> Åtgärd",
        status=ActionItem.Status.ONGOING,
        progress=35,
        due_date=today - datetime.timedelta(days=10),  # late
        responsible_body="Kommunstyrelsen",
    )
    factories.ActionItemFactory(
        plan=plan,
        code="",  # an empty cell shows the column's default
        status=ActionItem.Status.DELAYED,
        progress=0,
        due_date=today - datetime.timedelta(days=10),  # late and delayed: one badge
        responsible_organisation=organisation,
    )
    item = factories.ActionItemFactory(
        plan=plan,
        status=ActionItem.Status.DONE,
        progress=100,
        due_date=None,
        is_public=False,
    )
    factories.ActionUpdateFactory(item=item, date=today)
    return reader


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("sort", ["", "-latest_update_on", "status"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_lean_rows_match_generic_rendering(varied_items, language, sort, signed_in):
    user = varied_items if signed_in else AnonymousUser()
    request = RequestFactory().get("/actions/", {"sort": sort} if sort else {})
    request.user = user
    rendered = {}
    with translation.override(language):
        for template in ("plans/includes/actionitem_table.html", "includes/table.html"):
            table = ActionItemTable(browse_queryset(user))
            RequestConfig(request, paginate={"per_page": 25}).configure(table)
            context = {"table": table, "request": request}
            rendered[template] = render_to_string(template, context)
    assert table.template_name == "plans/includes/actionitem_table.html"
    lean = rendered[table.template_name]
    generic = rendered["includes/table.html"]
    assert _tbody(lean).split("<tr") == _tbody(generic).split("<tr")
    assert lean.count("<tr class=") == (3 if signed_in else 2)
    assert "<script>" not in lean
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Åtgärd" in lean


def test_lean_rows_show_the_empty_text(db):
    request = RequestFactory().get("/actions/")
    request.user = AnonymousUser()
    table = ActionItemTable(browse_queryset(request.user))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    html = render_to_string(table.template_name, {"table": table, "request": request})
    assert str(table.empty_text) in html
    assert 'colspan="9"' in html


def test_browse_queryset_loads_one_query_per_page(
    varied_items, django_assert_num_queries
):
    """The narrowed QuerySet reads every cell without a query per row."""
    request = RequestFactory().get("/actions/")
    request.user = varied_items
    table = ActionItemTable(browse_queryset(varied_items))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    with django_assert_num_queries(1):  # the page (configure() counted the rows)
        html = render_to_string(
            table.template_name, {"table": table, "request": request}
        )
    assert "Huddinge &amp; co" in html
