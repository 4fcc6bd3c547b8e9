"""No lost update anywhere: every model the director edits in the admin is
saved from two sessions opened on the same version; the second save is
refused with the message (who saved, theirs and yours) and changes nothing."""

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

from flemingsberg.locking import VersionedModel
from plans.models import BoardPack, Plan
from tests.formdata import form_data

pytestmark = pytest.mark.django_db

VERSIONED = sorted(
    (model for model in admin.site._registry if issubclass(model, VersionedModel)),
    key=lambda model: model._meta.label,
)


def test_every_model_edited_in_the_admin_is_versioned():
    names = {model._meta.label for model in VERSIONED}
    for label in (
        "plans.Plan",
        "plans.Section",
        "plans.Strategy",
        "plans.FocusArea",
        "plans.ActionItem",
        "plans.Indicator",
        "plans.IndicatorValue",
        "plans.FundingContribution",
        "plans.Meeting",
        "plans.MeetingDecision",
        "stakeholders.Organisation",
        "stakeholders.Person",
        "stakeholders.GoverningBody",
        "stakeholders.Membership",
    ):
        assert label in names


def _text_field(model, form):
    """The longest free-text field the form shows: the one both sessions edit."""
    kinds = (models.TextField, models.CharField)
    plain = [
        field
        for field in model._meta.concrete_fields
        if type(field) in kinds
        and not field.choices
        and not field.unique
        and field.name in form.fields
        and not form.fields[field.name].disabled
    ]
    plain.sort(key=lambda field: -(field.max_length or 10**6))
    return plain[0] if plain else None


def _edited(value, whose, field):
    return f"{value} {whose}".strip()[-(field.max_length or 1000) :]


def _session(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", VERSIONED, ids=lambda model: model._meta.label)
def test_a_stale_save_from_a_second_session_is_refused(editor, one_of_each, model):
    obj = model.objects.order_by("pk").first()
    if model is BoardPack:
        obj.plans.add(Plan.objects.first())  # a pack is for at least one plan
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
        args=[obj.pk],
    )
    anna, tina = _session(editor), _session(editor)
    annas_page, tinas_page = anna.get(url), tina.get(url)
    assert annas_page.status_code == tinas_page.status_code == 200
    form = annas_page.context["adminform"].form
    field = _text_field(model, form)
    assert field is not None, f"{model._meta.label} has no text field to edit"
    form_id = f"{model._meta.model_name}_form"
    annas, tinas = (
        form_data(page.content.decode(), form_id) for page in (annas_page, tinas_page)
    )
    assert annas["loaded_version"] == [str(obj.version)]
    before = getattr(obj, field.name)
    annas[field.name] = [_edited(before, "Annas", field)]
    tinas[field.name] = [_edited(before, "Tinas", field)]

    response = anna.post(url, annas)
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()
    saved = (getattr(obj, field.name), obj.version)
    assert saved[0] == annas[field.name][0]

    response = tina.post(url, tinas)
    assert response.status_code == 200
    content = response.content.decode()
    assert "medan du redigerade den" in content
    assert "deras: ”" in content and "din: ”" in content
    assert f'value="{obj.version}"' in content  # the form knows Anna's version now
    obj.refresh_from_db()
    assert (getattr(obj, field.name), obj.version) == saved
