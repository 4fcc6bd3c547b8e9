"""The plan admin: its parts inline, and links to the document it makes."""

import pytest
from django.urls import reverse

from plans.admin.plans import _reverse_or_none
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_plan_page_edits_sections_strategies_and_focus_areas_inline(editor_client):
    plan = factories.PlanFactory()
    factories.SectionFactory(plan=plan, heading="Bakgrund")
    factories.StrategyFactory(plan=plan, title="Stärk innovationer")
    factories.FocusAreaFactory(plan=plan, title="Näringslivsfokus")
    response = editor_client.get(reverse("admin:plans_plan_change", args=[plan.pk]))
    content = response.content.decode()
    for prefix in ("sections", "strategies", "focus_areas"):
        assert f'name="{prefix}-TOTAL_FORMS"' in content
    for text in ("Bakgrund", "Stärk innovationer", "Näringslivsfokus"):
        assert text in content


def test_plan_page_links_to_the_html_pdf_report_and_its_items(editor_client):
    plan = factories.PlanFactory(slug="handlingsplan-test")
    response = editor_client.get(reverse("admin:plans_plan_change", args=[plan.pk]))
    content = response.content.decode()
    assert reverse("plans:plan-detail", kwargs={"slug": plan.slug}) in content
    assert reverse("plans:plan-pdf", kwargs={"slug": plan.slug}) in content
    assert reverse("plans:plan-report", kwargs={"slug": plan.slug}) in content
    changelist = reverse("admin:plans_actionitem_changelist")
    assert f"{changelist}?plan__id__exact={plan.pk}" in content


def test_plan_page_offers_the_items_as_xlsx_and_csv_to_the_editor(editor_client):
    plan = factories.PlanFactory(slug="handlingsplan-test")
    response = editor_client.get(reverse("admin:plans_plan_change", args=[plan.pk]))
    content = response.content.decode()
    for extension in ("xlsx", "csv"):
        url = reverse("admin:plans_actionitem_export_plan", args=[plan.slug, extension])
        assert url in content


def test_a_missing_document_url_leaves_its_link_out():
    assert _reverse_or_none("plans:no-such-page", kwargs={"slug": "x"}) is None


def test_a_new_plan_has_no_links_yet(editor_client):
    response = editor_client.get(reverse("admin:plans_plan_add"))
    assert response.status_code == 200
    assert "plan-links" not in response.content.decode()


def test_plan_list_counts_the_action_items(editor_client):
    plan = factories.PlanFactory(title="Handlingsplan med tre")
    factories.ActionItemFactory.create_batch(3, plan=plan)
    response = editor_client.get(reverse("admin:plans_plan_changelist"))
    [row] = response.context["cl"].result_list
    assert row.action_item_count == 3
