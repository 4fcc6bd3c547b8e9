"""No lost updates: two people editing the same action item at once."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from flemingsberg.permissions import EDITOR_GROUP
from plans.models import ActionItem, ActionUpdate, ConcurrentEditError
from tests import factories
from tests.admin_posts import change_form_data, changelist_post

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:plans_actionitem_changelist"


def _sv(message, **params):
    """A message as the admin shows it: in Swedish (the admin's language)."""
    with translation.override("sv"):
        return translation.gettext(message) % {k: str(v) for k, v in params.items()}


def _conflict_line(field, theirs, yours):
    with translation.override("sv"):
        label = str(capfirst(ActionItem._meta.get_field(field).verbose_name))
        return _sv(
            "%(field)s – theirs: “%(theirs)s”, yours: “%(yours)s”.",
            field=label,
            theirs=theirs,
            yours=yours,
        )


def _status(value):
    with translation.override("sv"):
        return str(ActionItem.Status(value).label)


def _editor(username, first_name):
    user = factories.UserFactory(
        username=username, first_name=first_name, is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


@pytest.fixture
def anna_and_tina():
    """Two signed-in sessions of two editors."""
    anna, tina = Client(), Client()
    anna.force_login(_editor("anna", "Anna"))
    tina.force_login(_editor("tina", "Tina"))
    return anna, tina


def _change_url(item):
    return reverse("admin:plans_actionitem_change", args=[item.pk])


def _loaded(client, item):
    """Open the change page, as a browser would, and return the form's data."""
    response = client.get(_change_url(item))
    assert response.status_code == 200
    form = response.context["adminform"].form
    return change_form_data(item, loaded_version=form.initial["loaded_version"])


def test_the_second_of_two_concurrent_saves_is_refused_and_nothing_is_lost(
    anna_and_tina,
):
    anna, tina = anna_and_tina
    item = factories.ActionItemFactory(status="ongoing", progress=40, title="Kluster")
    annas_form = _loaded(anna, item)
    tinas_form = _loaded(tina, item)

    annas_form.update(status="delayed", progress=45)
    assert anna.post(_change_url(item), annas_form).status_code == 302

    tinas_form.update(
        status="paused",
        progress=50,
        title="Kluster i Flemingsberg",
        update_text="Pausat till hösten.",
    )
    response = tina.post(_change_url(item), tinas_form)

    # Refused, with a message that says who changed what, theirs and yours.
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors[0].startswith("Anna ")
    assert _conflict_line("status", _status("delayed"), _status("paused")) in errors
    assert _conflict_line("progress", 45, 50) in errors
    assert len(errors) == 4  # intro, status, progress, help: not the heading
    # Nothing of Tina's was saved: not the item, not her progress update.
    item.refresh_from_db()
    assert (item.status, item.progress, item.title) == ("delayed", 45, "Kluster")
    assert item.version == 2
    # The log holds Anna's change only: none of Tina's refused update.
    (annas,) = ActionUpdate.objects.filter(item=item)
    assert (annas.previous_status, annas.status, annas.text) == (
        "ongoing",
        "delayed",
        "",
    )
    # Her input is still in the form, and the form now knows Anna's version.
    content = response.content.decode()
    assert 'value="Kluster i Flemingsberg"' in content
    assert "Pausat till hösten." in content
    assert 'name="loaded_version" value="2"' in content

    # Saving again is a deliberate choice: now it goes through.
    tinas_form["loaded_version"] = 2
    assert tina.post(_change_url(item), tinas_form).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress, item.version) == ("paused", 50, 3)
    latest = ActionUpdate.objects.filter(item=item).first()
    assert (latest.previous_status, latest.status) == ("delayed", "paused")
    assert latest.text == "Pausat till hösten."


def test_a_form_without_a_version_is_refused(anna_and_tina):
    anna, _tina = anna_and_tina
    item = factories.ActionItemFactory()
    data = change_form_data(item, status="delayed")
    del data["loaded_version"]
    response = anna.post(_change_url(item), data)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.version == 1


def test_a_stale_page_that_changes_nothing_saves_harmlessly(anna_and_tina):
    anna, tina = anna_and_tina
    item = factories.ActionItemFactory(status="ongoing")
    tinas_form = _loaded(tina, item)
    annas_form = _loaded(anna, item)
    annas_form["title"] = "Ny rubrik"
    assert anna.post(_change_url(item), annas_form).status_code == 302
    # Tina's page still shows the old heading: as it stands it would undo Anna's
    # change, so it is refused too.
    response = tina.post(_change_url(item), tinas_form)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title == "Ny rubrik"


def test_list_editable_refuses_a_row_saved_by_someone_else(anna_and_tina):
    anna, tina = anna_and_tina
    item = factories.ActionItemFactory(status="ongoing", progress=10)
    untouched = factories.ActionItemFactory(status="ongoing", progress=70)
    tinas_page = [ActionItem.objects.get(pk=item.pk), untouched]

    annas = change_form_data(item, status="delayed", progress=15)
    assert anna.post(_change_url(item), annas).status_code == 302

    data = changelist_post(tinas_page, {item.pk: {"progress": 30}})
    response = tina.post(reverse(CHANGELIST), data)
    assert response.status_code == 200
    line = _conflict_line("status", _status("delayed"), _status("ongoing"))
    assert line in response.context["cl"].formset.forms[0].non_field_errors()
    item.refresh_from_db()
    assert (item.status, item.progress) == ("delayed", 15)
    untouched.refresh_from_db()
    assert untouched.version == 1


def test_list_editable_row_carries_its_version(anna_and_tina):
    anna, _tina = anna_and_tina
    item = factories.ActionItemFactory()
    item.title = "Sparad en gång till"
    item.save()
    response = anna.get(reverse(CHANGELIST))
    assert 'name="form-0-loaded_version" value="2"' in response.content.decode()


def test_every_save_moves_the_version_on(anna_and_tina):
    anna, _tina = anna_and_tina
    item = factories.ActionItemFactory(progress=10)
    assert item.version == 1
    anna.post(_change_url(item), change_form_data(item, progress=20))
    item.refresh_from_db()
    assert item.version == 2
    anna.post(reverse(CHANGELIST), changelist_post([item], {item.pk: {"progress": 30}}))
    item.refresh_from_db()
    assert item.version == 3
    anna.post(
        reverse(CHANGELIST),
        {"action": "set_status_delayed", "_selected_action": [item.pk]},
    )
    item.refresh_from_db()
    assert item.version == 4


def test_a_stale_copy_cannot_be_saved_from_code():
    item = factories.ActionItemFactory(progress=10)
    stale = ActionItem.objects.get(pk=item.pk)
    item.progress = 20
    item.save()
    stale.progress = 30
    with pytest.raises(ConcurrentEditError):
        stale.save()
    item.refresh_from_db()
    assert (item.progress, item.version) == (20, 2)
    assert stale.version == 1


def test_a_save_that_loses_the_race_after_validation_is_refused_with_a_message(
    anna_and_tina, monkeypatch
):
    """Between the form's check and the write someone else saves: the write is
    refused by the database condition and the user is told."""
    anna, _tina = anna_and_tina
    item = factories.ActionItemFactory(progress=10)
    data = change_form_data(item, progress=20)
    original_save = ActionItem.save

    def save_after_someone_else(self, *args, **kwargs):
        ActionItem.objects.filter(pk=self.pk).update(version=self.version + 1)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(ActionItem, "save", save_after_someone_else)
    response = anna.post(_change_url(item), data)
    monkeypatch.undo()
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        _sv(
            "Someone else saved the same %(thing)s at the same moment. "
            "Nothing was saved: please make your change again.",
            thing=_sv("action item"),
        )
    ]
    item.refresh_from_db()
    assert item.progress == 10


def test_history_revert_page_checks_against_the_current_version(anna_and_tina):
    anna, _tina = anna_and_tina
    item = factories.ActionItemFactory(progress=10)
    item.progress = 60
    item.save()
    first = item.history.order_by("history_date").first()
    url = reverse("admin:plans_actionitem_simple_history", args=[item.pk, first.pk])
    response = anna.get(url)
    assert response.status_code == 200
    assert 'name="loaded_version" value="2"' in response.content.decode()
