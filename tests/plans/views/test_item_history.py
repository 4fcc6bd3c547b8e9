"""Signed-in members see an action item's change history on its page."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_members_see_who_changed_what_and_anonymous_visitors_do_not(client, reader):
    editor = factories.UserFactory(username="direktoren", first_name="Tina")
    item = factories.ActionItemFactory(status="ongoing", progress=20)
    item._history_user = editor
    item.status, item.progress = "delayed", 30
    item.save()
    url = reverse("plans:actionitem-detail", args=[item.pk])

    anonymous = client.get(url).content.decode()
    assert 'id="item-history-heading"' not in anonymous

    client.force_login(reader)
    page = client.get(url).content.decode()
    history = page.split('id="item-history-heading"')[1]
    assert "Försenad" in history
    assert "Pågående" in history
    assert "direktoren" in history or "Tina" in history
