"""Self-service sign-in: the password reset walked end to end through the
mail it sends (over a real SMTP server), no user enumeration, and the
director's invitations of readers, who can be given no other role."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse

from flemingsberg.permissions import EDITOR_GROUP, READER_GROUP
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_earlier_resets():
    """The reset throttle counts in the cache: start each test from zero."""
    cache.clear()


def _main(response):
    """The page's content, without what differs per response (CSP nonces)."""
    content = response.content.decode()
    return content[content.index('<div class="login">') : content.index("</main>")]


LINK = re.compile(r"https?://[^\s\"<>]+/accounts/reset/[^\s\"<>]+/")


def _link(text):
    (link,) = set(LINK.findall(text))
    return link


def test_password_reset_end_to_end_through_the_mail(client, smtp_server):
    user = factories.UserFactory(username="anna", email="anna@example.se")
    user.set_password("gammalt-lösenord-123")
    user.save()

    page = client.get(reverse("password_reset"))
    assert "Nytt lösenord" in page.content.decode()
    response = client.post(reverse("password_reset"), {"email": "ANNA@example.se"})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert "Titta i din e-post" in done

    (mail,) = smtp_server.messages
    assert mail["to"] == ["anna@example.se"]
    assert mail["message"]["Subject"] == "Nytt lösenord till Flemingsbergs planportal"
    text = smtp_server.text(0)
    assert "Ditt användarnamn: anna" in text
    link = _link(text)
    assert _link(smtp_server.html(0)) == link

    # The link leads to the form (Django moves the token into the session).
    response = client.get(link, follow=True)
    assert "Välj ett lösenord" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {
            "new_password1": "Nya-Lösenordet-2026",
            "new_password2": "Nya-Lösenordet-2026",
        },
    )
    assert response.status_code == 302
    assert "Lösenordet är sparat" in client.get(response["Location"]).content.decode()
    user.refresh_from_db()
    assert user.check_password("Nya-Lösenordet-2026")
    # The link works once.
    again = client.get(link, follow=True).content.decode()
    assert "fungerar inte längre" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, smtp_server):
    factories.UserFactory(username="anna", email="anna@example.se")
    known = client.post(reverse("password_reset"), {"email": "anna@example.se"})
    unknown = client.post(reverse("password_reset"), {"email": "okand@example.se"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert _main(client.get(unknown["Location"])) == _main(
        client.get(known["Location"])
    )
    assert [m["to"] for m in smtp_server.messages] == [["anna@example.se"]]


def test_reset_mails_to_one_address_are_throttled(client, smtp_server):
    factories.UserFactory(username="anna", email="anna@example.se")
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": "anna@example.se"})
        assert response.status_code == 302
    assert len(smtp_server.messages) == 3


def test_the_login_page_links_to_the_password_reset(client):
    content = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in content


# -- invitations ------------------------------------------------------------------


def test_the_director_invites_a_reader_who_chooses_a_password(
    client, editor, smtp_server
):
    client.force_login(editor)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:invite_reader") in index
    response = client.post(
        reverse("admin:invite_reader"),
        {
            "first_name": "Bo",
            "last_name": "Berg",
            "email": "Bo.Berg@example.se",
            # Not fields of the form: ignored.
            "is_superuser": "on",
            "groups": [Group.objects.get(name=EDITOR_GROUP).pk],
        },
    )
    assert response.status_code == 302
    bo = get_user_model().objects.get(email="bo.berg@example.se")
    assert not bo.has_usable_password()
    assert (bo.is_active, bo.is_staff, bo.is_superuser) == (True, True, False)
    assert [g.name for g in bo.groups.all()] == [READER_GROUP]
    assert not bo.has_perm("plans.change_actionitem")

    (mail,) = smtp_server.messages
    assert mail["to"] == ["bo.berg@example.se"]
    text = smtp_server.text(0)
    assert "Hej Bo Berg!" in text
    link = _link(text)
    other = client_for_link = type(client)()
    response = client_for_link.get(link, follow=True)
    assert "Välj ett lösenord" in response.content.decode()
    response = other.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Läsarens-Lösen-77", "new_password2": "Läsarens-Lösen-77"},
    )
    assert response.status_code == 302
    bo.refresh_from_db()
    assert bo.check_password("Läsarens-Lösen-77")


def test_an_address_with_an_account_cannot_be_invited_again(client, editor):
    factories.UserFactory(username="bo", email="bo@example.se")
    client.force_login(editor)
    response = client.post(
        reverse("admin:invite_reader"),
        {"first_name": "Bo", "last_name": "Berg", "email": "BO@example.se"},
    )
    assert response.status_code == 200
    assert (
        "Det finns redan ett konto med den här adressen." in response.content.decode()
    )


def test_the_director_cannot_grant_editor_or_superuser_rights(client, editor, reader):
    client.force_login(editor)
    user_admin = [
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[reader.pk]),
        reverse("admin:auth_group_changelist"),
    ]
    for url in user_admin:
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("admin:auth_user_change", args=[reader.pk]),
        {
            "username": reader.username,
            "is_superuser": "on",
            "groups": [Group.objects.get(name=EDITOR_GROUP).pk],
        },
    )
    assert response.status_code == 403
    reader.refresh_from_db()
    assert not reader.is_superuser
    assert [g.name for g in reader.groups.all()] == [READER_GROUP]


def test_a_reader_cannot_invite(client, reader):
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    assert client.get(reverse("admin:invite_reader")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:invite_reader") not in index
