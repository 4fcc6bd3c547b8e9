"""Every registered admin, as an editor and as a superuser: hostile query
parameters on the changelist, add and change pages, and hostile data posted to
the add, change and changelist forms. No server error, nothing echoed
unescaped, and nothing saved from a form that is refused."""

from urllib.parse import parse_qsl

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from tests.fuzz.checks import assert_sound
from tests.fuzz.forms import parse_form
from tests.fuzz.strategies import (
    RAW_QUERY_FRAGMENTS,
    encode,
    hostile,
    hostile_text,
    hostile_values,
    query_string,
)
from tests.fuzz.support import fuzz_settings, rolled_back

pytestmark = pytest.mark.django_db

ADMINS = sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label)
IDS = [model._meta.label for model, _ in ADMINS]
ROLES = ["editor", "superuser"]
CHANGELIST_NAMES = ["q", "o", "p", "e", "all", "_popup", "_to_field", "t"]
AUTOCOMPLETE_NAMES = ["term", "page", "app_label", "model_name", "field_name"]
# Closing a board pack renders its PDF: not something to do hundreds of times.
NEVER_TICKED = {"close_now"}


def admin_url(model, action, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


def counts():
    """Rows of every table a form could write to (history and links included),
    in one query."""
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in {"plans", "stakeholders", "auth", "admin"}
    )
    quote = connection.ops.quote_name
    selects = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selects}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def row(model, pk):
    return list(model._base_manager.filter(pk=pk).values())


def some_object(model, model_admin, user):
    """An object the user may change, if any (else any object, else None)."""
    request = RequestFactory().get("/")
    request.user = user
    objects = list(model._base_manager.order_by("pk")[:20])
    for obj in objects:
        if model_admin.has_change_permission(request, obj):
            return obj
    return objects[0] if objects else None


def filter_parameters(model, model_admin, user):
    """Each list filter's parameter names, and the values its links use."""
    request = RequestFactory().get(admin_url(model, "changelist"))
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    assert isinstance(changelist, ChangeList)
    names, valid = set(), []
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
        for choice in spec.choices(changelist):
            valid += parse_qsl(choice["query_string"].lstrip("?"))
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        names.update(f"{field}__{part}" for part in ("year", "month", "day"))
        valid += [(f"{field}__year", "2026"), (f"{field}__month", "2")]
    return sorted(names), valid


@st.composite
def hostile_pairs(draw, names, valid=()):
    """Query or form pairs: some of ``names`` hostile, some valid, some unknown."""
    pairs = list(draw(st.lists(st.sampled_from(valid), max_size=3))) if valid else []
    if names:
        for name in draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
            pairs += [(name, value) for value in draw(hostile_values)]
    pairs += draw(st.lists(st.tuples(hostile, hostile), max_size=2))
    return draw(st.permutations(pairs))


# ---------------------------------------------------------------------------
# Pages: changelist, add and change with hostile query parameters
# ---------------------------------------------------------------------------


@pytest.fixture
def targets(world, model, model_admin):
    """Per role: the list filters' parameters and an object to change; and
    the form's field names (an add page takes initial values from them)."""
    # An editor has every permission on the portal's data: the same filters.
    filters = filter_parameters(model, model_admin, world.superuser)
    targets = {
        role: (filters, some_object(model, model_admin, getattr(world, role)))
        for role in ROLES
    }
    form = model_admin.get_form(_request(world.superuser))
    targets["form_fields"] = list(form.base_fields)
    targets["autocomplete"] = list(
        model_admin.get_autocomplete_fields(_request(world.superuser))
    )
    return targets


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
@given(data=st.data())
@fuzz_settings(0.5)
def test_admin_pages_with_hostile_parameters(
    world, clients, targets, model, model_admin, data
):
    role = data.draw(st.sampled_from(ROLES), label="role")
    pages = ["changelist", "add", "change", "delete", "history"]
    if targets["autocomplete"]:
        pages.append("autocomplete")
    page = data.draw(st.sampled_from(pages), label="page")
    if page == "autocomplete":
        url = reverse("admin:autocomplete")
        field = data.draw(st.sampled_from(targets["autocomplete"]), label="field")
        pairs = [
            ("app_label", model._meta.app_label),
            ("model_name", model._meta.model_name),
            ("field_name", field),
        ]
        names = AUTOCOMPLETE_NAMES if data.draw(st.booleans()) else ["term", "page"]
        pairs = data.draw(st.permutations(pairs + data.draw(hostile_pairs(names))))
    elif page == "changelist":
        names, valid = targets[role][0]
        url = admin_url(model, "changelist")
        pairs = data.draw(hostile_pairs(CHANGELIST_NAMES + names, valid))
    elif page == "add":
        url = admin_url(model, "add")
        pairs = data.draw(
            hostile_pairs([*targets["form_fields"], "_changelist_filters"])
        )
    else:
        obj = targets[role][1]
        object_id = (
            str(obj.pk)
            if obj is not None and data.draw(st.booleans(), label="existing")
            else encode(data.draw(hostile, label="object id")) or "0"
        )
        url = admin_url(model, page, "0").replace("/0/", f"/{object_id}/")
        pairs = data.draw(hostile_pairs(["_changelist_filters", "_popup"]))
    fragments = data.draw(st.lists(st.sampled_from(RAW_QUERY_FRAGMENTS), max_size=1))
    query = query_string(pairs, fragments)
    with rolled_back():
        response = clients[role].get(f"{url}?{query}")
        assert_sound(response, f"{role} GET {url}?{query[:300]}")
        assert_signed_in(response)


def assert_signed_in(response):
    """The role's client is still signed in (else the test proves nothing)."""
    location = response.get("Location", "")
    assert not (response.status_code == 302 and "/login/" in location), location


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


# ---------------------------------------------------------------------------
# Forms: hostile data posted to the add, change and changelist forms
# ---------------------------------------------------------------------------


def _form(client, url, form_id):
    response = client.get(url)
    if response.status_code != 200:
        return None
    html = response.content.decode()
    if f'id="{form_id}"' not in html:
        return None
    return parse_form(html, form_id)


TEXT_CONTROLS = {"text", "textarea", "search", "email", "url"}


@st.composite
def spoiled(draw, form):
    """A browser's submission of ``form`` with some controls spoiled: either
    any control, or only the text ones with hostile text (which the form may
    well accept: then it is saved and shown again)."""
    text_only = draw(st.booleans(), label="text only")
    pairs = []
    for name, control in form.controls.items():
        if name in NEVER_TICKED:
            continue
        if text_only:
            how = "keep"
            if control.kind in TEXT_CONTROLS and draw(st.booleans(), label=name):
                how = "text"
        else:
            how = draw(
                st.sampled_from(["keep", "keep", "keep", "hostile", "option", "drop"]),
                label=name,
            )
        if how == "keep" or (how == "option" and not control.options):
            values = control.values
        elif how == "text":
            values = [draw(hostile_text, label=name)]
        elif how == "option":
            values = draw(
                st.lists(st.sampled_from(control.options), min_size=1, max_size=2)
            )
        elif how == "hostile":
            values = draw(hostile_values)
        else:
            values = []
        pairs += [(name, value) for value in values]
    if not text_only:
        pairs += draw(st.lists(st.tuples(hostile, hostile), max_size=2))
    return pairs


@pytest.fixture
def form_pages(world, clients, model, model_admin):
    """The add, change and changelist forms, as a superuser sees them; an
    editor posts the same (where they may not, the answer is 403)."""
    client = clients["superuser"]
    form_id = f"{model._meta.model_name}_form"
    add_url = admin_url(model, "add")
    pages = [("add", add_url, _form(client, add_url, form_id), None)]
    obj = some_object(model, model_admin, world.superuser)
    if obj is not None:
        change_url = admin_url(model, "change", obj.pk)
        pages.append(("change", change_url, _form(client, change_url, form_id), obj.pk))
    if model_admin.list_editable or model_admin.actions:
        url = admin_url(model, "changelist")
        pages.append(("changelist", url, _form(client, url, "changelist-form"), None))
    return pages


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=IDS)
@given(data=st.data())
@fuzz_settings(0.5)
def test_admin_forms_with_hostile_data(clients, form_pages, model, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    kind, url, form, pk = data.draw(st.sampled_from(form_pages), label="page")
    if form is not None:
        pairs = data.draw(spoiled(form), label="data")
        if kind == "changelist":
            pairs.append(("_save", "Spara"))
    else:  # no form for this role: post anything
        pairs = data.draw(hostile_pairs([]), label="data")
    body = query_string(pairs)
    with rolled_back():
        before = counts()
        before_row = row(model, pk) if pk is not None else None
        response = clients[role].post(
            url, body, content_type="application/x-www-form-urlencoded"
        )
        what = f"{role} POST {url} {body[:300]}"
        assert_sound(response, what)
        assert_signed_in(response)
        event(f"{kind}: HTTP {response.status_code}")
        if response.status_code == 302:
            # Saved (or an action ran): the page it leads to shows the
            # saved values escaped.
            assert_sound(clients[role].get(response["Location"]), what)
            return
        assert counts() == before, f"{what}: refused, but rows changed"
        if pk is not None:
            assert row(model, pk) == before_row, f"{what}: refused, but saved"
        if response.status_code == 200 and kind != "changelist":
            assert _has_errors(response), f"{what}: 200 without an error"


def _has_errors(response):
    context = response.context
    if context is None:
        return False
    if context.get("errors"):
        return True
    adminform = context.get("adminform")
    if adminform is not None and adminform.form.errors:
        return True
    return any(
        (inline.formset.errors and any(inline.formset.errors))
        or inline.formset.non_form_errors()
        for inline in context.get("inline_admin_formsets", [])
    )


# ---------------------------------------------------------------------------
# The other admin views: history and revert, delete confirmation, target
# suggestions, export, the import template and a plan's export
# ---------------------------------------------------------------------------


def _other_views(world):
    from plans.models import ActionItem, Plan, TargetStatement

    item = ActionItem.objects.order_by("pk").first()
    plan = Plan.objects.get(slug=world.pdf_plan_slugs[0])
    statement = TargetStatement.objects.first()
    views = []
    for obj in (item, plan):
        model = type(obj)
        version = obj.history.order_by("history_id").first().history_id
        views += [
            ("history", admin_url(model, "history", obj.pk), True),
            ("revert", admin_url(model, "simple_history", obj.pk, version), True),
            ("delete", admin_url(model, "delete", obj.pk), False),
        ]
    for obj in (item, statement):
        model = type(obj)
        views.append(("targets", admin_url(model, "target_suggestions", obj.pk), True))
    views += [
        ("export", reverse("admin:plans_actionitem_export"), True),
        (
            "template",
            reverse("admin:plans_actionitem_import_template", args=["csv"]),
            False,
        ),
        (
            "plan export",
            reverse("admin:plans_actionitem_export_plan", args=[plan.slug, "xlsx"]),
            False,
        ),
    ]
    return views


@pytest.fixture
def other_views(world, clients):
    """Each view, with the form it shows a superuser (None if it has none)."""
    views = []
    for name, url, has_form in _other_views(world):
        form = None
        if has_form:
            response = clients["superuser"].get(url)
            if response.status_code == 200:
                html = response.content.decode().replace(
                    'method="POST"', 'method="post"'
                )
                try:
                    form = parse_form(html)
                except AssertionError:  # no form but signing out
                    form = None
        views.append((name, url, form))
    return views


@given(data=st.data())
@fuzz_settings(3)
def test_other_admin_views_with_hostile_input(clients, other_views, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    name, url, form = data.draw(st.sampled_from(other_views), label="view")
    segment = data.draw(st.sampled_from(["keep", "keep", "spoil"]), label="path")
    if segment == "spoil":
        # The last part of the address (a version, a slug, an extension).
        head = url.rstrip("/").rpartition("/")[0]
        url = f"{head}/{encode(data.draw(hostile, label='segment')) or '0'}/"
    client = clients[role]
    with rolled_back():
        if form is not None and data.draw(st.booleans(), label="post"):
            body = query_string(data.draw(spoiled(form), label="data"))
            before = counts()
            response = client.post(
                url, body, content_type="application/x-www-form-urlencoded"
            )
            what = f"{role} POST {url} {body[:300]}"
            assert_sound(response, what)
            event(f"{name}: POST {response.status_code}")
            if response.status_code != 302 and name != "export":
                assert counts() == before, f"{what}: refused, but rows changed"
        else:
            query = query_string(data.draw(hostile_pairs(["page", "_popup"])))
            response = client.get(f"{url}?{query}")
            assert_sound(response, f"{role} GET {url}?{query[:300]}")
            event(f"{name}: GET {response.status_code}")
