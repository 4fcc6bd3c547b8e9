"""Every registered admin: changelist, search, add and change pages render."""

import pytest
from django.contrib import admin
from django.urls import reverse

from plans.models import (
    AdoptedEdition,
    BoardPack,
    BoardPackIndicator,
    BoardPackItem,
    MeetingDecision,
    ReminderSent,
    RenderedDocument,
)
from tests import factories

pytestmark = pytest.mark.django_db

ADMINS = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"plans", "stakeholders"}
    ),
    key=lambda pair: pair[0]._meta.label,
)
IDS = [model._meta.label for model, _ in ADMINS]
# Rows written by the portal itself, never added by hand.
FROZEN = {
    AdoptedEdition,
    BoardPackItem,
    BoardPackIndicator,
    RenderedDocument,
    ReminderSent,
}


def _url(model, action, *args):
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args
    )


@pytest.fixture
def admin_client_with_data(client, superuser, bundled_plans):
    client.force_login(superuser)
    update = factories.ActionUpdateFactory()
    meeting = factories.MeetingFactory()
    factories.IndicatorTargetFactory()
    decision = MeetingDecision.objects.create(
        meeting=meeting, text="Beslut om uppdrag."
    )
    decision.action_items.add(update.item)
    pack = BoardPack.objects.create(meeting=meeting)
    pack.plans.add(update.item.plan)
    BoardPackItem.objects.create(
        pack=pack,
        item=update.item,
        plan_title=update.item.plan.title,
        code=update.item.code,
        title=update.item.title,
        status=update.item.status,
        progress=update.item.progress,
    )
    BoardPackIndicator.objects.create(pack=pack, name="Indikator", value=1)
    factories.RenderedDocumentFactory(plan=update.item.plan)
    factories.ReminderSentFactory(item=update.item)
    return client


def test_every_domain_model_is_registered():
    from django.apps import apps

    registered = {model for model, _ in ADMINS}
    for app_label in ("plans", "stakeholders"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            assert model in registered, f"{model._meta.label} has no admin"


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_changelist_and_search_render(admin_client_with_data, model, model_admin):
    response = admin_client_with_data.get(_url(model, "changelist"))
    assert response.status_code == 200
    assert model.objects.exists()
    response = admin_client_with_data.get(_url(model, "changelist"), {"q": "Söder"})
    assert response.status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_add_page_renders(admin_client_with_data, model, model_admin):
    # Frozen board-pack rows are made by closing a pack, rendered PDFs by the
    # task worker: never added by hand.
    expected = 403 if model in FROZEN else 200
    assert admin_client_with_data.get(_url(model, "add")).status_code == expected


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_change_page_renders(admin_client_with_data, model, model_admin):
    obj = model.objects.first()
    response = admin_client_with_data.get(_url(model, "change", obj.pk))
    assert response.status_code == 200


# -- the two roles ---------------------------------------------------------------


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_editor_can_open_every_admin_page(
    client, editor, one_of_each, model, model_admin
):
    client.force_login(editor)
    obj = model.objects.first()
    for url in (
        _url(model, "changelist"),
        _url(model, "change", obj.pk),
        _url(model, "history", obj.pk),
    ):
        assert client.get(url).status_code == 200, url
    expected = 403 if model in FROZEN else 200
    assert client.get(_url(model, "add")).status_code == expected


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_reader_can_open_every_admin_page_read_only(
    client, reader, one_of_each, model, model_admin
):
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    obj = model.objects.first()
    assert client.get(_url(model, "changelist")).status_code == 200
    assert client.get(_url(model, "history", obj.pk)).status_code == 200
    response = client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()
    assert client.get(_url(model, "add")).status_code == 403


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_changelist_queries_do_not_grow_with_rows(client, editor, model, model_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    factory = getattr(factories, f"{model.__name__}Factory")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(model, "changelist")).status_code == 200
        return len(queries)

    factory.create_batch(2)
    few = count()
    factory.create_batch(6)
    assert count() == few
