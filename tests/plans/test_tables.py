"""The action browser's table: what each row shows, in both languages, and the
one query that reads a page of rows."""

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

TODAY = datetime.date.today()
PAST = TODAY - datetime.timedelta(days=10)


@pytest.fixture
def varied_items(reader):
    plan = factories.PlanFactory(title="Plan <A> & B")
    area = factories.FocusAreaFactory(plan=plan, title='Område "1" <b>')
    organisation = factories.OrganisationFactory(name="Huddinge & co")
    factories.ActionItemFactory(
        plan=plan,
        focus_area=area,
        code="1.1",
        order=1,
        title="<script>alert(1)</script> Åtgärd",
        status=ActionItem.Status.ONGOING,
        progress=35,
        due_date=PAST,  # late
        responsible_body="Kommunstyrelsen",
    )
    factories.ActionItemFactory(
        plan=plan,
        code="",  # an empty cell shows the table's default
        order=2,
        title="Försenad",
        status=ActionItem.Status.DELAYED,
        progress=0,
        due_date=PAST,  # late and delayed: one badge
        responsible_body="",
        responsible_organisation=organisation,
    )
    item = factories.ActionItemFactory(
        plan=plan,
        order=3,
        title="Intern",
        status=ActionItem.Status.DONE,
        progress=100,
        due_date=None,
        is_public=False,
        responsible_body="",
    )
    factories.ActionUpdateFactory(item=item, date=TODAY)
    return reader


def render_table(user, language="sv", **params):
    request = RequestFactory().get("/actions/", params)
    request.user = user
    with translation.override(language):
        table = ActionItemTable(browse_queryset(user))
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render_to_string(
            table.template_name, {"table": table, "request": request}
        )


def rows_of(html):
    """Each body row's cells as (data-label, inner HTML)."""
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return [
        re.findall(r'<t[dh] [^>]*data-label="([^"]*)"[^>]*>(.*?)</t[dh]>', row)
        for row in re.findall(r"<tr [^>]*>(.*?)</tr>", body, re.S)
    ]


def headers_of(html):
    head = html[html.index("<thead") : html.index("</thead>")]
    return [
        re.sub(r"<[^>]+>|\s+sortera.*|\s+sort .*", "", cell).strip()
        for cell in re.findall(r"<th [^>]*>\s*(?:<a [^>]*>)?([^<]*)", head)
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("sort", ["", "-latest_update_on", "status"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_each_cell_names_its_column_in_the_order_of_the_headings(
    varied_items, language, sort, signed_in
):
    user = varied_items if signed_in else AnonymousUser()
    html = render_table(user, language, **({"sort": sort} if sort else {}))
    rows = rows_of(html)
    assert len(rows) == (3 if signed_in else 2)
    headers = headers_of(html)
    assert len(headers) == 9
    for cells in rows:
        assert [label for label, _html in cells] == headers
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Åtgärd" in html
    assert html.count('<th scope="row" ') == len(rows)


def test_a_row_shows_the_item_as_the_visitor_reads_it(varied_items):
    by_title = {}
    for cells in rows_of(render_table(varied_items)):
        by_title[re.sub(r"<[^>]+>", "", cells[1][1])] = [html for _, html in cells]
    ongoing = by_title["&lt;script&gt;alert(1)&lt;/script&gt; Åtgärd"]
    item = ActionItem.objects.get(code="1.1")
    assert ongoing[0] == "1.1"
    assert ongoing[1] == (
        f'<a href="{item.get_absolute_url()}">'
        "&lt;script&gt;alert(1)&lt;/script&gt; Åtgärd</a>"
    )
    assert ongoing[2] == "Plan &lt;A&gt; &amp; B"
    assert ongoing[3] == "Område &quot;1&quot; &lt;b&gt;"
    # The status, then the date flag with the end date (never "Försenad").
    assert ongoing[4].startswith(
        '<span class="badge badge--ongoing">Pågående</span> '
        '<span class="badge badge--late"><svg '
    )
    assert f'Passerat slutdatum <time datetime="{PAST.isoformat()}">' in ongoing[4]
    assert "progress__fill--35" in ongoing[5]
    assert (
        ongoing[6] == f'<time datetime="{PAST.isoformat()}">{PAST.isoformat()}</time>'
    )
    assert ongoing[7] == "Kommunstyrelsen"
    assert ongoing[8] == "—"

    delayed = by_title["Försenad"]
    assert delayed[0] == "—"  # no code
    assert delayed[3] == "—"  # no focus area
    assert delayed[4].startswith('<span class="badge badge--delayed">Försenad</span>')
    assert delayed[4].count("Försenad") == 1
    assert "progress__fill--0" in delayed[5]
    assert delayed[7] == "Huddinge &amp; co"  # the responsible organisation

    done = by_title["Intern"]
    assert done[4] == '<span class="badge badge--done">Klar</span>'
    assert done[6] == "—"  # no due date
    assert done[7] == "—"  # no one responsible
    assert done[8] == f'<time datetime="{TODAY.isoformat()}">{TODAY.isoformat()}</time>'


def test_rows_follow_the_active_language(varied_items):
    html = render_table(varied_items, "en")
    assert '<span class="badge badge--ongoing">Ongoing</span> ' in html
    assert "Past end date <time" in html and "Passerat" not in html
    item = ActionItem.objects.get(code="1.1")
    assert f'<a href="/en/actions/{item.pk}/">' in html
    assert 'data-label="Heading"' in html


def test_an_empty_page_shows_the_empty_text(db):
    html = render_table(AnonymousUser())
    assert str(ActionItemTable.Meta.empty_text) in html
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
