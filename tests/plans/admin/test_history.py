"""Audit history: who changed what and when, a diff in the admin, revert, and
the readable history for the detail page."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import formats, translation
from django.utils.text import capfirst

from plans.models import (
    ActionItem,
    ActionUpdate,
    FundingContribution,
    Indicator,
    Plan,
    Section,
)
from plans.services.history import history_for_display
from stakeholders.models import GoverningBody, Membership, Organisation
from tests import factories
from tests.admin_posts import admin_form_data, change_form_data, post_revert_to_first

pytestmark = pytest.mark.django_db

TRACKED = [
    (Plan, factories.PlanFactory, "title", "Ny titel"),
    (Section, factories.SectionFactory, "heading", "Ny rubrik"),
    (ActionItem, factories.ActionItemFactory, "title", "Ny rubrik"),
    (ActionUpdate, factories.ActionUpdateFactory, "text", "Ny text"),
    (Indicator, factories.IndicatorFactory, "unit", "st"),
    (Organisation, factories.OrganisationFactory, "short_name", "NY"),
    (GoverningBody, factories.GoverningBodyFactory, "cadence", "4 gånger/år"),
    (Membership, factories.MembershipFactory, "party", "S"),
    (FundingContribution, factories.FundingContributionFactory, "note", "Ny not"),
]


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize(
    ("model", "factory", "field", "value"),
    TRACKED,
    ids=[model.__name__ for model, *_ in TRACKED],
)
def test_a_change_through_the_admin_is_recorded_with_the_user(
    editor_client, editor, model, factory, field, value
):
    obj = factory()
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
        args=[obj.pk],
    )
    data = admin_form_data(editor_client.get(url))
    data[field] = value
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    record = obj.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == editor
    assert record.history_type == "~"
    assert getattr(record, field) == value
    assert field in record.diff_against(record.prev_record).changed_fields


def test_history_page_shows_the_change_as_a_readable_diff(editor_client, editor):
    item = factories.ActionItemFactory(status="ongoing", progress=10)
    editor_client.post(
        reverse("admin:plans_actionitem_change", args=[item.pk]),
        change_form_data(item, status="delayed", progress=25),
    )
    response = editor_client.get(
        reverse("admin:plans_actionitem_history", args=[item.pk])
    )
    assert response.status_code == 200
    content = response.content.decode()
    with translation.override("sv"):
        ongoing = str(ActionItem.Status.ONGOING.label)
        delayed = str(ActionItem.Status.DELAYED.label)
    assert ongoing in content and delayed in content
    assert "25" in content
    assert editor.username in content
    changes = [
        change["field"]
        for record in response.context["page_obj"]
        for change in getattr(record, "history_delta_changes", [])
    ]
    with translation.override("sv"):
        assert str(
            ActionItem._meta.get_field("version").verbose_name
        ).capitalize() not in [str(c) for c in changes]


def test_revert_restores_the_old_values_and_is_recorded(editor_client, editor):
    item = factories.ActionItemFactory(title="Gammal rubrik", progress=10)
    item.title, item.progress = "Ny rubrik", 70
    item.save()
    response = post_revert_to_first(
        editor_client, item, title="Gammal rubrik", progress=10
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.progress, item.version) == ("Gammal rubrik", 10, 3)
    assert item.history.first().history_user == editor


def test_a_reader_cannot_revert(client, reader):
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    item = factories.ActionItemFactory(title="Gammal rubrik")
    item.title = "Ny rubrik"
    item.save()
    first = item.history.order_by("history_date", "history_id").first()
    url = reverse("admin:plans_actionitem_simple_history", args=[item.pk, first.pk])
    assert client.get(url).status_code == 200  # may look
    response = client.post(url, {"title": "Gammal rubrik"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.title, item.version) == ("Ny rubrik", 2)


@pytest.mark.parametrize(
    ("model", "factory"),
    [(Organisation, factories.OrganisationFactory), (Plan, factories.PlanFactory)],
    ids=["stakeholders", "plans"],
)
def test_a_reader_cannot_revert_any_model(client, reader, model, factory):
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    obj = factory()
    record = obj.history.first()
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
        args=[obj.pk, record.pk],
    )
    count = obj.history.count()
    assert client.post(url, {}).status_code == 403
    assert obj.history.count() == count


# -- the readable history of the detail page ---------------------------------


def test_history_for_display_lists_who_changed_what_newest_first(editor):
    item = factories.ActionItemFactory(status="ongoing", progress=10)
    item._history_user = editor
    item.status, item.progress = "delayed", 20
    item.due_date = datetime.date(2026, 6, 30)
    item.save()
    organisation = factories.OrganisationFactory(name="Huddinge kommun")
    item.responsible_organisation = organisation
    item.save()

    with translation.override("sv"):
        entries = history_for_display(item, editor)
        field = ActionItem._meta.get_field
        label = {
            name: str(capfirst(field(name).verbose_name))
            for name in ("status", "progress", "due_date", "responsible_organisation")
        }
        ongoing = str(ActionItem.Status.ONGOING.label)
        delayed = str(ActionItem.Status.DELAYED.label)
        due = formats.localize(datetime.date(2026, 6, 30))
    assert [e["kind"] for e in entries] == ["changed", "changed", "created"]
    with translation.override("sv"):
        assert entries[2]["kind_label"] == translation.gettext("Created")
    newest, middle, created = entries
    assert newest["changes"] == [
        (label["responsible_organisation"], "–", "Huddinge kommun")
    ]
    assert middle["user"] == editor.username
    assert middle["changes"] == [
        (label["status"], ongoing, delayed),
        (label["progress"], "10", "20"),
        (label["due_date"], "–", due),
    ]
    assert created["changes"] == []
    assert newest["date"] >= middle["date"] >= created["date"]


def test_history_for_display_is_empty_for_the_public(reader):
    item = factories.ActionItemFactory()
    item.title = "Ändrad"
    item.save()
    assert history_for_display(item, AnonymousUser()) == []
    assert history_for_display(item, None) == []
    assert len(history_for_display(item, reader)) == 2


def test_history_for_display_of_an_item_without_history(client, reader):
    """Rows written by bulk_create (seeders, bulk imports) have no history."""
    item = factories.ActionItemFactory()
    item.history.all().delete()
    assert history_for_display(item, reader) == []
    client.force_login(reader)
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200


def test_history_for_display_skips_saves_that_changed_nothing(reader):
    item = factories.ActionItemFactory()
    item.save()
    entries = history_for_display(item, reader)
    assert [e["kind"] for e in entries] == ["created"]


def test_history_for_display_needs_a_fixed_number_of_queries(
    reader, django_assert_max_num_queries
):
    item = factories.ActionItemFactory()
    for progress in range(1, 30):
        item.progress = progress
        item.responsible_organisation = factories.OrganisationFactory()
        item.save()
    with django_assert_max_num_queries(6):
        entries = history_for_display(item, reader)
    assert len(entries) == 30
