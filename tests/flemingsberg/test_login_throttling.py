"""Sign-in protection: throttling (django-axes), session expiry, password rules.

The only tests that sign in with a password; all others use force_login.
"""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-passphrase"


def _sv(message):
    with translation.override("sv"):
        return translation.gettext(message)


def _sign_in(client, url, username, password, ip="10.0.0.7"):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.parametrize(
    "url_name", ["admin:login", "login"], ids=["admin", "public-sign-in"]
)
def test_repeated_failures_lock_sign_in_with_429_and_a_message(
    client, editor, url_name
):
    url = reverse(url_name)
    limit = settings.SIGN_IN_FAILURE_LIMIT
    for attempt in range(1, limit):
        response = _sign_in(client, url, editor.username, "wrong password")
        assert response.status_code == 200, f"attempt {attempt} locked too early"
    response = _sign_in(client, url, editor.username, "wrong password")
    assert response.status_code == 429
    content = response.content.decode()
    assert _sv("Sign-in is paused") in content
    assert "<h1" in content

    # Even the right password is refused while the lock lasts.
    response = _sign_in(client, url, editor.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_page_says_how_long_it_lasts(client, editor):
    url = reverse("admin:login")
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        response = _sign_in(client, url, editor.username, "wrong password")
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    with translation.override("sv"):
        expected = translation.gettext(
            "Try again in %(minutes)s minutes. If you have forgotten your "
            "password, ask the portal's administrator to set a new one."
        ) % {"minutes": minutes}
    assert expected in " ".join(response.content.decode().split())


def test_a_successful_sign_in_resets_the_count(client, editor):
    url = reverse("admin:login")
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT - 1):
        _sign_in(client, url, editor.username, "wrong password")
    response = _sign_in(client, url, editor.username, PASSWORD)
    assert response.status_code == 302
    client.logout()
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT - 1):
        assert _sign_in(client, url, editor.username, "wrong").status_code == 200


def test_another_address_and_user_is_not_locked_out(client, editor, reader):
    url = reverse("admin:login")
    reader.is_staff = True
    reader.save()
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        _sign_in(client, url, editor.username, "wrong password")
    response = _sign_in(client, url, reader.username, PASSWORD, ip="10.0.0.99")
    assert response.status_code == 302


def test_one_address_is_paused_for_every_user_name_after_its_own_limit(client, editor):
    """Four guesses each on many user names from one address: the address is
    paused as a whole once its failures reach the address limit."""
    url = reverse("admin:login")
    per_name = settings.SIGN_IN_FAILURE_LIMIT - 1
    for attempt in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - 1):
        name = f"gissning{attempt // per_name}"
        response = _sign_in(client, url, name, "wrong")
        assert response.status_code == 200, f"attempt {attempt + 1} paused early"
    response = _sign_in(client, url, "ny-gissning", "wrong")
    assert response.status_code == 429
    # The right password of a real account from that address is refused too,
    # while another address signs in.
    assert _sign_in(client, url, editor.username, PASSWORD).status_code == 429
    other = _sign_in(client, url, editor.username, PASSWORD, ip="10.0.0.99")
    assert other.status_code == 302


def test_a_direct_connection_cannot_choose_its_address(client, editor, settings):
    """X-Forwarded-For is believed only from a configured proxy: a client that
    reaches the app server directly and writes a new address each time is
    still counted at its own address."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = reverse("admin:login")
    for attempt in range(settings.SIGN_IN_FAILURE_LIMIT):
        response = client.post(
            url,
            {"username": editor.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )
    assert response.status_code == 429


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.parametrize(
    "password", ["kort", "123456789012345", "password12345", "redaktor12345"]
)
def test_weak_passwords_are_refused(editor, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=editor)


def test_a_long_passphrase_is_accepted(editor):
    validate_password("lingon-fjäll-kaffe-1931", user=editor)
