"""Safe Markdown, Swedish amounts and the funding table of the plan documents."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from plans.services.documents import FundingTable
from plans.templatetags.plan_documents import (
    format_number,
    format_sek,
    render_markdown,
)
from tests import factories

NBSP = "\N{NO-BREAK SPACE}"


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def test_markdown_renders_emphasis_lists_and_links():
    html = render_markdown(
        "**Fet** och *kursiv*.\n\n- ett\n- två\n\n[Flemingsberg](https://www.flemingsberg.se)"
    )
    assert "<strong>Fet</strong>" in html
    assert "<em>kursiv</em>" in html
    assert "<li>två</li>" in html
    assert '<a href="https://www.flemingsberg.se" rel="noopener noreferrer">' in html


def test_markdown_removes_scripts_and_their_content():
    html = render_markdown("Text\n\n<script>alert('x')</script>\n\nMer text")
    assert "<script" not in html
    assert "alert" not in html
    assert "Mer text" in html


def test_markdown_removes_event_handlers_and_styles():
    html = render_markdown(
        '<p onclick="steal()" style="color:red" class="x">Klicka</p>'
        '<img src="x" onerror="steal()">'
    )
    assert "onclick" not in html
    assert "style" not in html
    assert "onerror" not in html
    assert "<img" not in html
    assert "Klicka" in html


def test_markdown_removes_javascript_links():
    html = render_markdown("[klick](javascript:alert(1))")
    assert "javascript" not in html
    assert "klick" in html


def test_markdown_keeps_mail_and_phone_links():
    html = render_markdown("[e-post](mailto:a@example.org) [ring](tel:+46701234567)")
    assert 'href="mailto:a@example.org"' in html
    assert 'href="tel:+46701234567"' in html


def test_markdown_headings_never_go_above_the_chapter_level():
    html = render_markdown("# Ett\n\n## Två\n\n### Tre\n\n#### Fyra")
    assert "<h1" not in html
    assert "<h2" not in html
    assert html.count("<h3>") == 3
    assert "<h4>Fyra</h4>" in html


def test_markdown_top_level_can_be_lowered_inside_a_block():
    html = render_markdown("### Rubrik", top_level=4)
    assert html == "<h4>Rubrik</h4>"


def test_markdown_filter_marks_the_result_safe_and_handles_empty_text():
    template = Template(
        "{% load plan_documents %}{{ text|markdown }}|{{ empty|markdown }}"
    )
    rendered = template.render(Context({"text": "**a** <b>b</b>", "empty": ""}))
    assert rendered == "<p><strong>a</strong> <b>b</b></p>|"


# ---------------------------------------------------------------------------
# Numbers and amounts
# ---------------------------------------------------------------------------


def test_amount_in_swedish_has_non_breaking_spaces_and_kr():
    with translation.override("sv"):
        text = format_sek(Decimal("1000000.00"))
    # Until the Swedish catalogue has the unit, the English form is used.
    assert text in {f"1{NBSP}000{NBSP}000{NBSP}kr", f"SEK{NBSP}1{NBSP}000{NBSP}000"}
    assert " " not in text


def test_amount_in_english_uses_commas():
    with translation.override("en"):
        assert format_sek(Decimal("7500000")) == f"SEK{NBSP}7,500,000"


def test_number_keeps_decimals_only_where_there_are_some():
    with translation.override("sv"):
        assert format_number(Decimal("500000.00")) == f"500{NBSP}000"
        assert format_number(Decimal("1234.5")) == f"1{NBSP}234,5"
        assert format_number(None) == ""


def test_number_and_sek_filters_in_templates():
    template = Template("{% load plan_documents %}{{ n|number }}/{{ n|sek }}")
    with translation.override("en"):
        assert template.render(Context({"n": 2500000})) == (
            f"2,500,000/SEK{NBSP}2,500,000"
        )


# ---------------------------------------------------------------------------
# Funding table and chart
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_funding_table_has_row_and_column_totals():
    plan = factories.PlanFactory()
    sll = factories.OrganisationFactory(name="Stockholms läns landsting")
    botkyrka = factories.OrganisationFactory(name="Botkyrka kommun")
    for year in (2009, 2010, 2011):
        factories.FundingContributionFactory(
            plan=plan, organisation=sll, year=year, amount=1000000
        )
    factories.FundingContributionFactory(
        plan=plan, organisation=botkyrka, year=2011, amount=500000
    )
    table = FundingTable.from_contributions(plan.funding.select_related("organisation"))
    assert table.years == [2009, 2010, 2011]
    assert [row.organisation for row in table.rows] == [sll, botkyrka]
    assert table.rows[1].amounts == [None, None, Decimal("500000")]
    assert [row.total for row in table.rows] == [Decimal("3000000"), Decimal("500000")]
    assert table.year_totals == [
        Decimal("1000000"),
        Decimal("1000000"),
        Decimal("1500000"),
    ]
    assert table.total == Decimal("3500000")
