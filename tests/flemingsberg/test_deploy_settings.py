"""Production settings: `check --deploy` is clean, and they refuse to start unsafe.

The start-up checks run `manage.py` in a subprocess with a clean environment,
as a deployment would. The HTTPS behaviour is checked in this process, with the
security settings the production module computes from a realistic environment.
"""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = "flemingsberg.settings.production"
HOST = "planportal.flemingsberg.se"
# Variables of the test run (test settings and tests/conftest.py set some of them
# in os.environ) that must not leak into the production process.
OWN_VARIABLES = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "CACHE_URL",
    "CSRF_TRUSTED_ORIGINS",
    "PORTAL_URL",
    "BEHIND_TLS_PROXY",
}


def production_environment(**overrides):
    """A realistic production environment; ``NAME=None`` leaves NAME out."""
    variables = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": "postgres://planportal:hemligt@127.0.0.1:5432/planportal",
        **overrides,
    }
    return {name: value for name, value in variables.items() if value is not None}


def manage(*args, **overrides):
    env = {
        **{k: v for k, v in os.environ.items() if k not in OWN_VARIABLES},
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        **production_environment(**overrides),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# ---------------------------------------------------------------------------
# check --deploy and start-up refusals
# ---------------------------------------------------------------------------


def test_check_deploy_reports_no_issues():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_report_a_weakened_setting():
    """The check above can fail: without the HTTPS redirect it warns and exits 1."""
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", SECURE_SSL_REDIRECT="false"
    )
    assert result.returncode == 1
    assert "security.W008" in result.stdout + result.stderr


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(variable):
    result = manage("check", **{variable: None})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured:")
    assert f"{variable} is not set" in last_line


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_an_empty_variable_counts_as_missing(variable):
    result = manage("check", **{variable: ""})
    assert result.returncode != 0
    assert f"{variable} is not set" in result.stderr


def test_production_refuses_debug():
    result = manage("check", DEBUG="true")
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured: DEBUG must be off in production" in last_line


# ---------------------------------------------------------------------------
# HTTPS behind the proxy
# ---------------------------------------------------------------------------


def load_production_settings(monkeypatch):
    """The production module's settings for a realistic environment.

    Imported afresh (with a fresh base) and removed again, so the settings of
    the test run stay as they are.
    """
    for name in OWN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in production_environment().items():
        monkeypatch.setenv(name, value)
    modules = ["flemingsberg.settings.base", PRODUCTION]
    saved = {name: sys.modules.pop(name) for name in modules if name in sys.modules}
    try:
        module = importlib.import_module(PRODUCTION)
    finally:
        for name in modules:
            sys.modules.pop(name, None)
        sys.modules.update(saved)
    return {
        name: getattr(module, name)
        for name in dir(module)
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_", "AXES_"))
        or name in {"ALLOWED_HOSTS", "PORTAL_URL", "TRUSTED_PROXIES"}
    }


@pytest.fixture
def production_client(monkeypatch, db):
    values = load_production_settings(monkeypatch)
    assert values["SECURE_SSL_REDIRECT"] is True
    with override_settings(**values):
        yield Client(HTTP_HOST=HOST)  # middleware reads the settings on first use


def test_plain_http_is_redirected_to_https(production_client):
    for path in ["/", "/en/actions/?status=ongoing", "/admin/"]:
        response = production_client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == f"https://{HOST}{path}"


def test_https_from_the_proxy_is_served_with_hsts(production_client):
    response = production_client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response["X-Frame-Options"] == "DENY"


def test_the_health_check_is_not_redirected(production_client):
    response = production_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_cookies_are_secure_and_forms_from_the_site_are_accepted(production_client):
    client = production_client
    page = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    cookie = page.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    # CSRF_TRUSTED_ORIGINS comes from ALLOWED_HOSTS: the site's own HTTPS origin
    client.handler.enforce_csrf_checks = True
    response = client.post(
        "/accounts/login/",
        {"username": "x", "password": "y", "csrfmiddlewaretoken": cookie.value},
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_ORIGIN=f"https://{HOST}",
    )
    assert response.status_code == 200  # the form again, with its error
    refused = client.post(
        "/accounts/login/",
        {"username": "x", "password": "y", "csrfmiddlewaretoken": cookie.value},
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_ORIGIN="https://evil.example",
    )
    assert refused.status_code == 403


# ---------------------------------------------------------------------------
# Addresses: the portal's own, and the visitor's behind the proxy
# ---------------------------------------------------------------------------


def test_links_point_to_the_first_host_served(monkeypatch):
    values = load_production_settings(monkeypatch)
    assert values["PORTAL_URL"] == f"https://{HOST}/"


def test_sign_in_throttling_reads_the_address_the_proxy_saw(monkeypatch):
    from django.test import RequestFactory, override_settings

    from flemingsberg.proxy import client_ip

    values = load_production_settings(monkeypatch)
    assert values["AXES_CLIENT_IP_CALLABLE"] == "flemingsberg.proxy.client_ip"
    assert values["TRUSTED_PROXIES"] == ["127.0.0.1", "::1"]
    with override_settings(TRUSTED_PROXIES=values["TRUSTED_PROXIES"]):
        request = RequestFactory().get(
            "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7"
        )
        # The visitor wrote 6.6.6.6; nginx appended the address it saw.
        assert client_ip(request) == "192.0.2.7"
        direct = RequestFactory().get("/", REMOTE_ADDR="192.0.2.9")
        assert client_ip(direct) == "192.0.2.9"
        # Not from the proxy: the header is the client's own invention.
        forged = RequestFactory().get(
            "/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.7"
        )
        assert client_ip(forged) == "203.0.113.5"


def test_redis_is_available_for_a_shared_cache():
    """CACHE_URL=rediscache://… (several app servers) needs the redis package."""
    import environ
    import redis  # noqa: F401

    config = environ.Env.cache_url_config("rediscache://127.0.0.1:6379/1")
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
