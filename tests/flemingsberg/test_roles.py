"""Roles, created by data migrations: the editor edits, the reader only looks.

A reader (steering and management group) may sign in to the admin and to the
public pages; nothing they send, to any URL, changes anything.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from flemingsberg.permissions import EDITOR_GROUP, READER_GROUP
from plans.models import ActionItem
from tests import factories

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("plans", "stakeholders")

ADMINS = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in DOMAIN_APPS
    ),
    key=lambda pair: pair[0]._meta.label,
)
IDS = [model._meta.label for model, _ in ADMINS]


def _codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def _domain_permissions():
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(
            content_type__app_label__in=DOMAIN_APPS
        ).select_related("content_type")
    }


@pytest.fixture
def staff_reader(reader):
    """A reader with access to the admin (the "staff status" box ticked)."""
    reader.is_staff = True
    reader.save()
    return reader


@pytest.fixture
def reader_client(client, staff_reader):
    client.force_login(staff_reader)
    return client


# -- the groups -------------------------------------------------------------------


def test_editor_holds_every_permission_on_the_domain_data():
    editor = _codenames(EDITOR_GROUP)
    assert editor == _domain_permissions()
    for model in apps.get_app_config("plans").get_models():
        for action in ("add", "change", "delete", "view"):
            assert f"plans.{action}_{model._meta.model_name}" in editor
    assert {
        "plans.import_actionitem",
        "plans.export_actionitem",
        "plans.view_historicalactionitem",
        "plans.change_historicalactionitem",
        "stakeholders.view_historicalorganisation",
        "plans.view_internal",
    } <= editor


def test_reader_holds_view_permissions_only():
    reader = _codenames(READER_GROUP)
    assert reader == {p for p in _domain_permissions() if ".view_" in p}
    assert "plans.view_internal" in reader
    assert "plans.view_historicalactionitem" in reader
    assert "plans.import_actionitem" not in reader
    assert "plans.export_actionitem" not in reader


def test_neither_role_administers_users():
    for name in (EDITOR_GROUP, READER_GROUP):
        assert not {p for p in _codenames(name) if p.startswith("auth.")}


def test_editor_and_reader_see_internal_data(editor, reader):
    from flemingsberg.permissions import sees_internal

    assert sees_internal(editor) and sees_internal(reader)


# -- a reader in the admin -----------------------------------------------------------


def _url(model, action, *args):
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args
    )


def _snapshot():
    """Every row of the domain data and its history."""
    rows = {}
    for app_label in DOMAIN_APPS:
        for model in apps.get_app_config(app_label).get_models():
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return rows


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
def test_reader_sees_every_admin_page_but_cannot_change_anything(
    reader_client, one_of_each, model, model_admin
):
    obj = model.objects.first()
    assert reader_client.get(_url(model, "changelist")).status_code == 200
    assert reader_client.get(_url(model, "change", obj.pk)).status_code == 200
    assert reader_client.get(_url(model, "history", obj.pk)).status_code == 200
    before = _snapshot()
    payload = {
        "name": "Ändrad av läsare",
        "title": "Ändrad av läsare",
        "text": "Ändrad av läsare",
        "status": "done",
        "progress": "100",
        "post": "yes",
        "_save": "Spara",
    }
    assert reader_client.get(_url(model, "add")).status_code == 403
    assert reader_client.post(_url(model, "add"), payload).status_code == 403
    assert reader_client.post(_url(model, "change", obj.pk), payload).status_code == 403
    assert reader_client.post(_url(model, "delete", obj.pk), payload).status_code == 403
    response = reader_client.post(
        _url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert _snapshot() == before


def test_reader_cannot_save_from_the_action_item_list(reader_client):
    item = factories.ActionItemFactory(progress=10)
    from tests.admin_posts import changelist_post

    response = reader_client.post(
        reverse("admin:plans_actionitem_changelist"),
        changelist_post([item], {item.pk: {"progress": 90, "status": "done"}}),
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.progress, item.version) == (10, 1)


def test_reader_sees_no_editable_list_and_no_status_actions(reader_client):
    factories.ActionItemFactory()
    response = reader_client.get(reverse("admin:plans_actionitem_changelist"))
    content = response.content.decode()
    assert 'name="form-0-status"' not in content
    assert "set_status_" not in content


@pytest.mark.parametrize("status", list(ActionItem.Status))
def test_reader_cannot_run_a_status_action(reader_client, status):
    item = factories.ActionItemFactory(status="paused")
    reader_client.post(
        reverse("admin:plans_actionitem_changelist"),
        {"action": f"set_status_{status.value}", "_selected_action": [item.pk]},
    )
    item.refresh_from_db()
    assert (item.status, item.version) == ("paused", 1)


def test_reader_cannot_import_or_export(reader_client):
    plan = factories.PlanFactory()
    for url in (
        reverse("admin:plans_actionitem_import"),
        reverse("admin:plans_actionitem_process_import"),
        reverse("admin:plans_actionitem_export"),
        reverse("admin:plans_actionitem_export_plan", args=[plan.slug, "xlsx"]),
        reverse("admin:plans_actionitem_import_template", args=["csv"]),
    ):
        assert reader_client.get(url).status_code in (403, 405), url
        assert reader_client.post(url, {"format": "0"}).status_code == 403, url


def test_reader_sees_no_import_export_buttons_or_export_links(reader_client):
    plan = factories.PlanFactory()
    changelist = reader_client.get(reverse("admin:plans_actionitem_changelist"))
    assert reverse("admin:plans_actionitem_import") not in changelist.content.decode()
    page = reader_client.get(reverse("admin:plans_plan_change", args=[plan.pk]))
    assert "export-plan" not in page.content.decode()


def test_reader_cannot_add_a_progress_update_through_the_item(reader_client):
    item = factories.ActionItemFactory()
    response = reader_client.get(
        reverse("admin:plans_actionitem_change", args=[item.pk])
    )
    assert 'name="update_text"' not in response.content.decode()


# -- any URL ---------------------------------------------------------------------------

SKIPPED_URL_NAMES = {"logout", "login", "set_language"}


def _all_paths():
    """Every URL pattern of the site, with sample values for its parameters."""
    item = ActionItem.objects.select_related("plan").first()
    samples = {
        "slug": item.plan.slug,
        "pk": str(item.pk),
        "object_id": str(item.pk),
        "format": "csv",
        "extension": "csv",
    }

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                if pattern.name in SKIPPED_URL_NAMES:
                    continue
                yield route

    paths = set()
    for route in walk(get_resolver().url_patterns, "/"):
        path = route.replace("^", "").replace("$", "")
        for name, value in samples.items():
            for converter in ("slug", "int", "str", "path"):
                path = path.replace(f"<{converter}:{name}>", value)
        if "<" in path or "(" in path or "\\" in path:
            continue
        paths.add(path)
    for model, _model_admin in ADMINS:
        obj = model.objects.first()
        if obj is None:
            continue
        paths.add(_url(model, "change", obj.pk))
        paths.add(_url(model, "delete", obj.pk))
        record = getattr(obj, "history", None)
        if record is not None and record.exists():
            paths.add(_url(model, "simple_history", obj.pk, record.first().pk))
    return sorted(paths)


@pytest.mark.parametrize("staff", [True, False], ids=["staff-reader", "plain-reader"])
def test_nothing_a_reader_posts_to_any_url_changes_anything(
    client, reader, bundled_plans, one_of_each, staff
):
    reader.is_staff = staff
    reader.save()
    client.force_login(reader)
    item = ActionItem.objects.first()
    payload = {
        "title": "Ändrad av läsare",
        "name": "Ändrad av läsare",
        "text": "Ändrad av läsare",
        "status": "done",
        "progress": "100",
        "is_public": "on",
        "post": "yes",
        "_save": "Spara",
        "action": "delete_selected",
        "_selected_action": [str(item.pk)],
        "format": "0",
        "import_file_name": "x",
        "original_file_name": "x.csv",
    }
    paths = _all_paths()
    assert len(paths) > 40
    before = _snapshot()
    for path in paths:
        response = client.post(path, payload)
        assert response.status_code != 500, path
    assert _snapshot() == before
