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
    limit = settings.AXES_FAILURE_LIMIT
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
    for _ in range(settings.AXES_FAILURE_LIMIT):
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
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, url, editor.username, "wrong password")
    response = _sign_in(client, url, editor.username, PASSWORD)
    assert response.status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, url, editor.username, "wrong").status_code == 200


def test_another_address_and_user_is_not_locked_out(client, editor, reader):
    url = reverse("admin:login")
    reader.is_staff = True
    reader.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, url, editor.username, "wrong password")
    response = _sign_in(client, url, reader.username, PASSWORD, ip="10.0.0.99")
    assert response.status_code == 302


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
