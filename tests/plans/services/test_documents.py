"""How the plan document, the progress report and an organisation's page show
action items: badges with one "Late" rule, links, anchors, column labels (none
in the PDF); the Markdown of a plan is rendered once per text.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString

from plans.formatting import format_number, format_sek, long_date
from plans.models import ActionItem, Section
from plans.services.pdf import plan_pdf_html, report_pdf_html
from plans.services.reports import build_progress_report
from plans.templatetags.plan_documents import (
    MARKDOWN_CACHE_SIZE,
    _render_markdown,
    render_markdown,
)
from tests import factories

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=30)
FUTURE = TODAY + datetime.timedelta(days=30)


def part(html, start, end):
    """The part of ``html`` from ``start`` to the first ``end`` after it."""
    html = html[html.index(start) :]
    return html[: html.index(end)]


@pytest.fixture
def plan(db):
    plan = factories.PlanFactory(slug="handlingsplan-test")
    factories.SectionFactory(plan=plan, kind=Section.Kind.ACTION_ITEMS, body="")
    factories.SectionFactory(plan=plan, kind=Section.Kind.ACTION_TABLE, body="")
    area = factories.FocusAreaFactory(plan=plan)
    rows = [
        ("1", "Utan slutdatum", "not_started", 0, None),
        ("2", "Försenad och sen", "delayed", 55, PAST),
        ("3", "Pågår men sen", "ongoing", 20, PAST),
        ("4", "Klar efter slutdatum", "done", 100, PAST),
        ("5.1 a/b", "Titel <b>\"fet\"</b> & 'citat'", "paused", 70, FUTURE),
        ("6", "Inställd", "cancelled", 10, datetime.date(2026, 1, 1)),
    ]
    items = [
        factories.ActionItemFactory(
            plan=plan,
            focus_area=area,
            code=code,
            order=n,
            title=title,
            status=status,
            progress=progress,
            due_date=due,
            assignment=f"Uppdrag <{n}>",
            commissioned_by="KF & KS",
            expected_result='"Resultat"',
            schedule="2026",
            responsible_body="Exploateringsnämnden",
            responsible_officer="A. Andersson",
            coordinator="B. Berg",
        )
        for n, (code, title, status, progress, due) in enumerate(rows)
    ]
    factories.ActionItemFactory(
        plan=plan, code="7", order=9, title="Se ovan", see_above=items[0]
    )
    return plan


# ---------------------------------------------------------------------------
# The plan document
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_action_entries_show_linked_title_badge_progress_and_due_date(
    client, plan, language
):
    with translation.override(language):
        content = client.get(plan.get_absolute_url()).content.decode()
    assert content.count('<li class="doc-action"') == 7
    entries = part(content, '<ul class="doc-actions">', "</ul>")
    prefix = "/en" if language == "en" else ""
    item = ActionItem.objects.get(plan=plan, code="5.1 a/b")
    entry = part(entries, 'id="atgard-5-1-a-b"', "</li>")
    # Unnumbered, as the adopted documents: the portal's code is not shown.
    assert "5.1 a/b" not in entry and "doc-action__code" not in entry
    lang = ' lang="sv"' if language == "en" else ""
    assert (
        f'<a class="doc-action__title" href="{prefix}/actions/{item.pk}/"{lang}>'
        "Titel &lt;b&gt;&quot;fet&quot;&lt;/b&gt; &amp; &#x27;citat&#x27;</a>"
    ) in entry
    assert '<span class="badge badge--paused">' in entry
    assert "progress__fill--70" in entry
    with translation.override(language):
        due = date_format(FUTURE, "j F Y")
    due_word = "Due" if language == "en" else "Slutdatum"
    assert f'<span class="doc-action__due">{due_word} {due}</span>' in entry
    no_due = part(entries, 'id="atgard-1"', "</li>")
    assert "doc-action__due" not in no_due


@pytest.mark.parametrize("pdf", [False, True])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_action_table_rows_label_their_cells_and_link_titles_except_in_the_pdf(
    client, plan, language, pdf
):
    with translation.override(language):
        if pdf:
            content = plan_pdf_html(plan, AnonymousUser())
        else:
            content = client.get(plan.get_absolute_url()).content.decode()
    table = part(content, "doc-action-table", "</table>")
    body = part(table, "<tbody", "</tbody>")
    assert body.count("<tr ") == 7
    assert ("data-label" in body) is not pdf
    assert ("/actions/" in body) is not pdf
    row = part(body, 'id="atgard-5-1-a-b"', "</tr>")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells == [
        "Uppdrag &lt;4&gt;",
        "KF &amp; KS",
        "&quot;Resultat&quot;",
        "2026",
        "Exploateringsnämnden",
        "A. Andersson",
        "B. Berg",
    ]
    if not pdf:
        labels = re.findall(r'data-label="([^"]*)"', row)
        headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
        assert labels == headers[1:]
    see_above = part(body, 'id="atgard-7"', "</tr>")
    assert 'class="doc-action-table__see-above"' in see_above
    text = "See above" if language == "en" else "Se ovan"
    assert f'<a href="#atgard-1">{text}: Utan slutdatum</a>' in see_above


def test_plan_page_shows_the_status_and_the_date_flag_apart(client, plan):
    """ "Försenad" is a status; the date flag says "Passerat slutdatum" with
    the date, also beside a delayed item."""
    content = client.get(plan.get_absolute_url()).content.decode()
    delayed = content[content.index('id="atgard-2"') :]
    delayed = delayed[: delayed.index("</li>")]
    assert 'badge--delayed">Försenad</span>' in delayed
    assert "badge--late" in delayed
    ongoing = content[content.index('id="atgard-3"') :]
    ongoing = ongoing[: ongoing.index("</li>")]
    assert 'badge--ongoing">Pågående</span> <span class="badge badge--late">' in ongoing
    assert f'Passerat slutdatum <time datetime="{PAST.isoformat()}">' in ongoing
    # Two date flags in the whole list: items 2 and 3 (done and cancelled are
    # never past their end date), and no code: the adopted list is unnumbered.
    list_part = content[content.index('<ul class="doc-actions">') :]
    list_part = list_part[: list_part.index("</ul>")]
    assert list_part.count("badge--late") == 2
    assert list_part.count(">Försenad</span>") == 1
    assert "doc-action__code" not in list_part


@pytest.mark.parametrize("language", ["sv", "en"])
def test_long_date_is_the_date_filter_whatever_the_active_language(language):
    for month in range(1, 13):
        day = datetime.date(2026, month, 3 + month)
        with translation.override(language):
            expected = date_format(day, "j F Y")
        with translation.override("en" if language == "sv" else "sv"):
            assert long_date(day, language) == expected
    assert long_date(datetime.date(2026, 3, 1), "sv") == "1 mars 2026"


# ---------------------------------------------------------------------------
# The progress report and the organisation page
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("pdf", [False, True])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_report_rows_show_the_items_and_link_them_except_in_the_pdf(
    client, plan, language, pdf
):
    items = list(ActionItem.objects.filter(plan=plan).order_by("order"))
    items[0].responsible_body = ""
    items[0].responsible_organisation = factories.OrganisationFactory(name="A & B")
    items[0].save()
    items[1].responsible_body = ""
    items[1].save()
    factories.ActionUpdateFactory(item=items[0], text="<Ny> text", date=PAST)
    with translation.override(language):
        if pdf:
            content = report_pdf_html(plan, AnonymousUser())
        else:
            url = reverse("plans:plan-report", kwargs={"slug": plan.slug})
            content = client.get(url).content.decode()
    late = part(content, 'class="report-late"', "</section>")
    assert late.count("<tr><td>") == 2
    groups = content[content.index('class="report-group"') :]
    rows = {}
    for row in re.findall(r"<tr>\n(.*?)</tr>", groups, re.S):
        cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells:
            rows[cells[0]] = cells
    assert len(rows) == 7
    title = "Utan slutdatum"
    if not pdf:
        prefix = "/en" if language == "en" else ""
        title = f'<a href="{prefix}/actions/{items[0].pk}/">{title}</a>'
    no_update = "No update yet" if language == "en" else "Ingen uppdatering ännu"
    first = rows["1"]
    assert first[1] == title
    assert first[2].startswith('<span class="badge badge--not_started">')
    assert first[3:] == [
        "0 %",
        "–",
        "A &amp; B",
        f"<strong>{PAST.isoformat()}</strong> &lt;Ny&gt; text",
    ]
    assert rows["2"][5] == "–"  # no one responsible
    assert rows["2"][6] == f'<span class="muted">{no_update}</span>'
    assert ("/actions/" in late + groups) is not pdf


def test_report_latest_update_is_the_newest_visible_one(plan, reader):
    item = ActionItem.objects.get(plan=plan, code="1")
    day = datetime.date(2026, 5, 1)
    factories.ActionUpdateFactory(item=item, date=day, text="Först")
    factories.ActionUpdateFactory(item=item, date=day, text="Sist samma dag")
    factories.ActionUpdateFactory(item=item, date=datetime.date(2026, 4, 1))
    factories.ActionUpdateFactory(
        item=item, date=datetime.date(2026, 5, 2), text="Intern", is_public=False
    )

    def latest(user, since=None):
        report = build_progress_report(plan, user, since=since)
        (shown,) = [i for g in report.groups for i in g.items if i.pk == item.pk]
        return shown.latest_update.text

    assert latest(AnonymousUser()) == "Sist samma dag"
    assert latest(AnonymousUser(), since=datetime.date(2000, 1, 1)) == "Sist samma dag"
    assert latest(reader) == "Intern"
    assert latest(reader, since=datetime.date(2000, 1, 1)) == "Intern"


def test_report_flags_each_item_past_its_end_date(client, plan):
    url = reverse("plans:plan-report", kwargs={"slug": plan.slug})
    content = client.get(url).content.decode()
    late = content[content.index('class="report-late"') :]
    late = late[: late.index("</section>")]
    # Past their end date: items 2 (delayed) and 3 (ongoing), each flagged.
    assert late.count("<tr><td>") == 2
    assert late.count("badge--late") == 2
    assert late.count('badge--delayed">Försenad</span>') == 1
    for item in ActionItem.objects.filter(plan=plan, code__in=["2", "3"]):
        assert f'<a href="{item.get_absolute_url()}">' in late


def test_organisation_page_rows_link_items_and_plans(client, plan):
    organisation = factories.OrganisationFactory(name="Trafikverket")
    ActionItem.objects.filter(plan=plan).update(responsible_organisation=organisation)
    with translation.override("en"):
        content = client.get(organisation.get_absolute_url()).content.decode()
    rows = content[content.index('aria-labelledby="items-title"') :]
    rows = rows[: rows.index("</section>")]
    assert rows.count("<tr>") == 1 + 7
    for item in ActionItem.objects.filter(plan=plan):
        assert f'<a href="/en/actions/{item.pk}/">' in rows
    assert rows.count(f'<a href="/en/plans/{plan.slug}/">') == 7
    assert rows.count('data-label="Status"><span class="badge') == 7
    assert rows.count("badge--late") == 2  # items 2 (delayed) and 3 (ongoing)
    assert f'<time datetime="{PAST.isoformat()}">{PAST.isoformat()}</time>' in rows


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def test_markdown_is_rendered_once_per_text_and_level_as_safe_html():
    text = "Ett **unikt** stycke för cachetestet."
    first = render_markdown(text)
    assert isinstance(first, SafeString)
    assert render_markdown(text) is first
    assert render_markdown(text, top_level=4) == first  # no heading: same HTML
    assert render_markdown("### Rubrik", 4) == "<h4>Rubrik</h4>"
    assert render_markdown("### Rubrik", 3) == "<h3>Rubrik</h3>"


def test_markdown_does_not_depend_on_the_active_language():
    text = "Text med [länk](https://example.org) och *kursiv* 12 345,5."
    with translation.override("en"):
        english = render_markdown(text)
    _render_markdown.cache_clear()
    with translation.override("sv"):
        swedish = render_markdown(text)
    assert english == swedish
    assert "lang=" not in swedish


def test_markdown_cache_is_bounded():
    info = _render_markdown.cache_info()
    assert info.maxsize == MARKDOWN_CACHE_SIZE == 4096
    assert info.currsize <= info.maxsize


# ---------------------------------------------------------------------------
# Numbers and amounts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_number_and_sek_filters_are_the_formatters_in_the_active_language(language):
    template = Template("{% load plan_documents %}{{ value|sek }}|{{ value|number }}")
    values = [Decimal("1234567.00"), Decimal("1.50"), Decimal("1.5"), 0, "", None]
    for value in values:
        with translation.override(language):
            rendered = template.render(Context({"value": value}))
            expected = f"{format_sek(value)}|{format_number(value)}"
        assert rendered == expected, value
    with translation.override(language):
        rendered = template.render(Context({"value": "x<y"}))
        expected = f"{escape(format_sek('x<y'))}|x&lt;y"
        assert "1,50" in format_number(Decimal("1.50")) or language == "en"
    assert rendered == expected
