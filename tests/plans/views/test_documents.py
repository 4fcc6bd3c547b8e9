"""The plan documents: /plans/ and /plans/<slug>/ for each role and language."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from plans.models import ActionItem, Plan, Section
from tests import factories

pytestmark = pytest.mark.django_db


def page_text(response):
    """The visible text of a page: tags removed, entities and spaces normalised."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", content))
    text = text.replace("\N{NO-BREAK SPACE}", " ")
    text = re.sub(r"\s+", " ", text)
    # Undo the space the tag removal leaves before punctuation.
    return re.sub(r" ([,.:)])", r"\1", text)


def detail_url(slug, prefix=""):
    return prefix + reverse("plans:plan-detail", kwargs={"slug": slug})


# ---------------------------------------------------------------------------
# The bundled plans read completely
# ---------------------------------------------------------------------------


class TestVerksamhetsplan:
    SLUG = "verksamhetsplan-2009-2011"

    @pytest.fixture
    def text(self, client, bundled_plans):
        response = client.get(detail_url(self.SLUG))
        assert response.status_code == 200
        return page_text(response)

    def test_every_section_heading_is_shown_and_linked_from_the_contents(
        self, client, bundled_plans
    ):
        response = client.get(detail_url(self.SLUG))
        content = response.content.decode()
        plan = Plan.objects.get(slug=self.SLUG)
        sections = list(plan.sections.all())
        assert len(sections) == 10
        for section in sections:
            assert f'<section class="chapter chapter--{section.kind}"' in content
            assert f'id="{section.anchor}"' in content
            assert f'href="#{section.anchor}"' in content
            assert html.escape(section.heading) in content

    def test_sections_appear_in_their_order(self, client, bundled_plans):
        content = client.get(detail_url(self.SLUG)).content.decode()
        orders = Plan.objects.get(slug=self.SLUG).sections.values_list(
            "order", flat=True
        )
        positions = [content.index(f'id="kapitel-{order}"') for order in orders]
        assert positions == sorted(positions)

    def test_vision_statements_are_quoted_with_their_source(
        self, client, bundled_plans
    ):
        content = client.get(detail_url(self.SLUG)).content.decode()
        assert content.count('<blockquote class="doc-vision__quote">') == 3
        assert (
            "Flemingsberg är känt som en plats där kunskap driver näringslivet."
            in content
        )
        assert "Utvecklingsprogrammet" in content

    def test_every_strategy_and_measure_is_shown(self, text):
        plan = Plan.objects.get(slug=self.SLUG)
        measures = 0
        for strategy in plan.strategies.prefetch_related("measures"):
            assert strategy.title in text
            for measure in strategy.measures.all():
                assert measure.text in text
                measures += 1
        assert measures == 10

    @pytest.mark.parametrize(
        ("name", "organisation", "party"),
        [
            ("Catharina Elmsäter-Svärd", "SLL", "m"),
            ("Pia Lidwall", "SLL", "kd"),
            ("Olov Lindquist", "SLL", "fp"),
            ("Ingela Nylund-Watz", "SLL", "s"),
            ("Daniel Dronjak-Nordqvist", "Huddinge", "m"),
            ("Ann-Marie Högberg", "Huddinge", "s"),
            ("Katarina Berggren", "Botkyrka", "s"),
            ("Anders Peterson", "Botkyrka", "m"),
        ],
    )
    def test_steering_group_members_with_organisation_and_party(
        self, text, name, organisation, party
    ):
        # "Catharina Elmsäter-Svärd, SLL (ordf.) (m)": the chair note is optional.
        pattern = rf"{re.escape(name)}, {organisation}(?: \([^)]*\))? \({party}\)"
        assert re.search(pattern, text), name

    def test_the_chair_is_marked(self, client, bundled_plans):
        text = page_text(client.get(detail_url(self.SLUG, "/en")))
        assert "Catharina Elmsäter-Svärd, SLL (chair) (m)" in text
        assert "Mona Boström, landstingsdirektör, SLL (chair)" in text

    def test_management_group_members_with_titles(self, text):
        for line in [
            "Mona Boström, landstingsdirektör, SLL",
            "Thorbjörn Ekström, FoUU-direktör, SLL",
            "Vesna Jovic, kommundirektör, Huddinge",
            "Palle Lundberg, kommundirektör, Botkyrka",
            "Rune Fransson, direktör, KI",
            "Folke Snickars, dekan, KTH",
            "Catharina Ludwig, prefekt, SH",
        ]:
            assert line in text

    def test_governing_bodies_show_cadence_and_reporting_line(
        self, client, bundled_plans
    ):
        text = page_text(client.get(detail_url(self.SLUG, "/en")))
        assert "Meetings 6 gånger/år Reports to Politisk styrgrupp" in text
        assert "Kommunikationsgrupp" in text
        assert "varannan vecka" in text

    def test_funding_table_has_amounts_and_totals(self, text):
        assert "1 000 000" in text
        assert "500 000" in text
        # Row totals, the yearly total and the grand total.
        assert "3 000 000" in text
        assert "1 500 000" in text
        assert "2 500 000" in text
        assert "7 500 000" in text

    def test_funding_has_a_chart_with_one_bar_per_contribution(
        self, client, bundled_plans
    ):
        content = client.get(detail_url(self.SLUG)).content.decode()
        # A wide and a narrow drawing of the chart, each with every bar.
        drawings = re.findall(r'<svg [^>]*class="plan-chart.*?</svg>', content, re.S)
        assert len(drawings) == 2
        for svg in drawings:
            assert svg.count('class="plan-chart__bar"') == 9
            assert 'role="img"' in svg

    def test_stakeholder_groups_link_to_their_organisations(
        self, client, bundled_plans
    ):
        content = client.get(detail_url(self.SLUG)).content.decode()
        karolinska = reverse(
            "plans:organisation-detail", kwargs={"slug": "karolinska-institutet"}
        )
        assert f'href="{karolinska}"' in content
        assert "Fastighetsägare och fastighetsförvaltare" in content

    def test_target_statements_are_grouped_by_theme(self, client, bundled_plans):
        content = client.get(detail_url(self.SLUG)).content.decode()
        assert (
            '<h3 class="doc-target-theme__title">Innovation och kommersialisering</h3>'
            in content
        )
        assert "Entrén till sjukhuset, Hälsovägen och Blickagången" in content

    def test_contact_is_shown_at_the_end(self, client, bundled_plans):
        content = client.get(detail_url(self.SLUG)).content.decode()
        assert 'href="mailto:tina.karrbom@flemingsberg.se"' in content
        assert content.index("document-contact") > content.index("kapitel-10")

    def test_links_to_its_appendix(self, client, bundled_plans):
        content = client.get(detail_url(self.SLUG)).content.decode()
        assert f'href="{detail_url("handlingsplan-2009")}"' in content


class TestHandlingsplan:
    SLUG = "handlingsplan-2009"

    def test_every_activity_is_shown_and_links_to_its_detail_page(
        self, client, bundled_plans
    ):
        response = client.get(detail_url(self.SLUG))
        content = response.content.decode()
        text = page_text(response)
        items = list(ActionItem.objects.filter(plan__slug=self.SLUG))
        assert len(items) == 15
        for item in items:
            assert item.title in text
            assert f'href="{item.get_absolute_url()}"' in content

    def test_activities_are_grouped_under_their_focus_areas(
        self, client, bundled_plans
    ):
        text = page_text(client.get(detail_url(self.SLUG)))
        plan = Plan.objects.get(slug=self.SLUG)
        for focus_area in plan.focus_areas.all():
            assert focus_area.title in text
            first = focus_area.action_items.order_by("order").first()
            assert text.index(focus_area.title) < text.index(first.title)

    def test_links_back_to_its_parent_plan(self, client, bundled_plans):
        content = client.get(detail_url(self.SLUG)).content.decode()
        assert f'href="{detail_url("verksamhetsplan-2009-2011")}"' in content


class TestSoderort:
    SLUG = "soderort-2030"

    def test_every_row_title_is_in_the_table(self, client, bundled_plans):
        response = client.get(detail_url(self.SLUG))
        text = page_text(response)
        content = response.content.decode()
        items = list(ActionItem.objects.filter(plan__slug=self.SLUG))
        assert len(items) >= 20
        for item in items:
            assert item.title in text
        assert content.count('<th scope="row" class="doc-action-table__title">') == len(
            items
        )

    def test_the_table_has_the_eight_columns(self, client, bundled_plans):
        text = page_text(client.get(detail_url(self.SLUG, "/en")))
        assert (
            "Heading Assignment Commissioned by Expected result Schedule "
            "Responsible committee Responsible officer Coordinator"
        ) in text

    def test_each_row_has_an_anchor_and_a_label_per_cell(self, client, bundled_plans):
        content = client.get(detail_url(self.SLUG, "/en")).content.decode()
        for item in ActionItem.objects.filter(plan__slug=self.SLUG):
            assert f'<tr id="atgard-{item.code}"' in content
        assert content.count('data-label="Expected result"') >= 20

    def test_see_above_row_links_to_the_row_it_refers_to(self, client, bundled_plans):
        reference = ActionItem.objects.get(
            plan__slug=self.SLUG, see_above__isnull=False
        )
        target = reference.see_above
        content = client.get(detail_url(self.SLUG, "/en")).content.decode()
        row = content[content.index(f'<tr id="atgard-{reference.code}"') :]
        row = row[: row.index("</tr>")]
        assert f'href="#atgard-{target.code}"' in row
        assert f"See above: {target.title}" in html.unescape(row)
        assert f'<tr id="atgard-{target.code}"' in content

    def test_working_material_note_is_shown(self, client, bundled_plans):
        text = page_text(client.get(detail_url(self.SLUG)))
        assert "Arbetsmaterial 2010-04-15" in text


# ---------------------------------------------------------------------------
# Visibility
# ---------------------------------------------------------------------------


@pytest.fixture
def draft_plan(db):
    plan = factories.PlanFactory(
        title="Utkast till plan", status=Plan.Status.DRAFT, is_public=False
    )
    factories.SectionFactory(plan=plan, heading="Hemligt kapitel")
    return plan


def test_draft_plan_is_404_for_anonymous_visitors(client, draft_plan):
    assert client.get(draft_plan.get_absolute_url()).status_code == 404


def test_draft_plan_is_shown_to_a_reader(client, reader, draft_plan):
    client.force_login(reader)
    response = client.get(draft_plan.get_absolute_url())
    assert response.status_code == 200
    assert "Hemligt kapitel" in response.content.decode()


def test_plan_list_hides_drafts_from_anonymous_visitors(client, draft_plan):
    factories.PlanFactory(title="Antagen plan")
    content = client.get(reverse("plans:plan-list")).content.decode()
    assert "Antagen plan" in content
    assert "Utkast till plan" not in content


def test_plan_list_shows_drafts_to_a_reader(client, reader, draft_plan):
    client.force_login(reader)
    content = client.get(reverse("plans:plan-list")).content.decode()
    assert "Utkast till plan" in content


@pytest.fixture
def plan_with_internal_item(db):
    plan = factories.PlanFactory()
    factories.SectionFactory(
        plan=plan, kind=Section.Kind.ACTION_ITEMS, heading="Åtgärder"
    )
    focus = factories.FocusAreaFactory(plan=plan, title="Fokus")
    factories.ActionItemFactory(plan=plan, focus_area=focus, title="Öppen åtgärd")
    factories.ActionItemFactory(
        plan=plan, focus_area=focus, title="Intern åtgärd", is_public=False
    )
    return plan


def test_internal_items_are_hidden_from_anonymous_visitors(
    client, plan_with_internal_item
):
    content = client.get(plan_with_internal_item.get_absolute_url()).content.decode()
    assert "Öppen åtgärd" in content
    assert "Intern åtgärd" not in content


def test_internal_items_are_shown_to_a_reader(client, reader, plan_with_internal_item):
    client.force_login(reader)
    content = client.get(plan_with_internal_item.get_absolute_url()).content.decode()
    assert "Öppen åtgärd" in content
    assert "Intern åtgärd" in content


def test_plan_list_counts_only_items_the_visitor_may_see(
    client, reader, plan_with_internal_item
):
    url = "/en" + reverse("plans:plan-list")
    assert "1 action item, 0 done" in page_text(client.get(url))
    client.force_login(reader)
    assert "2 action items, 0 done" in page_text(client.get(url))


def test_see_above_to_an_internal_row_is_not_linked_for_anonymous_visitors(client):
    plan = factories.PlanFactory()
    factories.SectionFactory(plan=plan, kind=Section.Kind.ACTION_TABLE)
    hidden = factories.ActionItemFactory(plan=plan, code="1", is_public=False)
    factories.ActionItemFactory(
        plan=plan, code="2", assignment="Se ovan", see_above=hidden
    )
    content = client.get(plan.get_absolute_url()).content.decode()
    assert 'href="#atgard-1"' not in content
    assert "Se ovan" in content


def test_an_appendix_of_a_hidden_parent_does_not_link_to_it(client):
    parent = factories.PlanFactory(status=Plan.Status.DRAFT, is_public=False)
    child = factories.PlanFactory(parent=parent)
    content = client.get(child.get_absolute_url()).content.decode()
    assert parent.get_absolute_url() not in content


# ---------------------------------------------------------------------------
# The plan list
# ---------------------------------------------------------------------------


def test_plan_list_nests_the_action_plan_under_its_business_plan(client, bundled_plans):
    content = client.get(reverse("plans:plan-list")).content.decode()
    vp = content.index(detail_url("verksamhetsplan-2009-2011"))
    hp = content.index(detail_url("handlingsplan-2009"))
    so = content.index(detail_url("soderort-2030"))
    appendices = content.index("doc-plan-list--appendices")
    assert vp < appendices < hp < so


def test_plan_list_shows_period_owner_status_and_counts(client, bundled_plans):
    text = page_text(client.get("/en" + reverse("plans:plan-list")))
    assert "2009–2011" in text
    assert "Stockholms stad" in text
    assert "Adopted by Politisk styrgrupp on 22 October 2009" in text
    assert "Working material" in text
    assert "15 action items, 0 done" in text


def test_plan_list_has_an_empty_state(client, db):
    response = client.get("/en" + reverse("plans:plan-list"))
    assert "No plans are published yet." in response.content.decode()


# ---------------------------------------------------------------------------
# Language, PDF link, Markdown
# ---------------------------------------------------------------------------


def test_plan_document_renders_in_english(client, bundled_plans):
    response = client.get(detail_url("verksamhetsplan-2009-2011", "/en"))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in content
    assert ">Contents<" in content
    assert "Funding per organisation and year" in content
    assert "SEK 1,000,000" in page_text(response)
    # The plan's own text stays Swedish and says so.
    assert '<h1 id="plan-title" class="document-title" lang="sv">' in content


def test_plan_document_in_swedish_does_not_repeat_the_language(client, bundled_plans):
    content = client.get(detail_url("verksamhetsplan-2009-2011")).content.decode()
    assert '<html lang="sv">' in content
    assert 'lang="sv">Verksamhetsplan 2009–2011</h1>' not in content


def test_pdf_link_is_shown_when_the_pdf_address_exists(client, bundled_plans):
    try:
        pdf = reverse("plans:plan-pdf", kwargs={"slug": "soderort-2030"})
    except NoReverseMatch:
        pdf = None
    response = client.get(detail_url("soderort-2030"))
    assert response.context["pdf_url"] == pdf
    if pdf:
        assert f'href="{pdf}"' in response.content.decode()


def test_section_markdown_is_sanitised(client):
    plan = factories.PlanFactory()
    factories.SectionFactory(
        plan=plan,
        body=(
            "Hej **du**.\n\n<script>alert('x')</script>\n\n"
            '<p onclick="steal()">Klicka</p>\n\n[länk](javascript:alert(1))'
        ),
    )
    content = client.get(plan.get_absolute_url()).content.decode()
    assert "<strong>du</strong>" in content
    assert "alert('x')" not in content
    assert "onclick" not in content
    assert "javascript:" not in content


# ---------------------------------------------------------------------------
# Query counts do not grow with the data
# ---------------------------------------------------------------------------


def _plan_with_everything(items):
    plan = factories.PlanFactory()
    for kind in Section.Kind.values:
        factories.SectionFactory(plan=plan, kind=kind, heading=f"Kapitel {kind}")
    strategy = factories.StrategyFactory(plan=plan)
    for _ in range(3):
        factories.StrategyMeasureFactory(strategy=strategy)
    factories.VisionStatementFactory(plan=plan, source="Programmet")
    factories.TargetStatementFactory(plan=plan)
    body = factories.GoverningBodyFactory()
    for _ in range(3):
        factories.MembershipFactory(body=body, party="s")
    plan.governing_bodies.add(body)
    group = factories.StakeholderGroupFactory()
    group.organisations.add(factories.OrganisationFactory())
    plan.stakeholder_groups.add(group)
    for year in (2026, 2027):
        factories.FundingContributionFactory(plan=plan, year=year)
    areas = [factories.FocusAreaFactory(plan=plan) for _ in range(3)]
    created = []
    for n in range(items):
        created.append(
            factories.ActionItemFactory(
                plan=plan,
                focus_area=areas[n % 3],
                strategy=strategy,
                see_above=created[0] if created and n % 7 == 0 else None,
                responsible_organisation=factories.OrganisationFactory()
                if n % 5 == 0
                else None,
            )
        )
    return plan


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_plan_document_queries_do_not_grow_with_action_items(client, reader):
    small = _plan_with_everything(10)
    large = _plan_with_everything(300)
    assert _count_queries(client, small.get_absolute_url()) == _count_queries(
        client, large.get_absolute_url()
    )
    client.force_login(reader)
    assert _count_queries(client, small.get_absolute_url()) == _count_queries(
        client, large.get_absolute_url()
    )


def test_plan_document_queries_do_not_grow_with_sections_and_members(client):
    small = _plan_with_everything(1)
    large = _plan_with_everything(1)
    for n in range(20):
        factories.SectionFactory(plan=large, order=1000 + n)
    body = large.governing_bodies.get()
    for _ in range(20):
        factories.MembershipFactory(body=body)
    for year in range(2030, 2040):
        factories.FundingContributionFactory(plan=large, year=year)
    assert _count_queries(client, small.get_absolute_url()) == _count_queries(
        client, large.get_absolute_url()
    )


def test_plan_list_queries_do_not_grow_with_plans(client):
    for _ in range(2):
        factories.ActionItemFactory(plan=factories.PlanFactory())
    few = _count_queries(client, reverse("plans:plan-list"))
    for _ in range(20):
        parent = factories.PlanFactory(kind=Plan.Kind.BUSINESS_PLAN)
        factories.ActionItemFactory(plan=factories.PlanFactory(parent=parent))
    assert _count_queries(client, reverse("plans:plan-list")) == few
