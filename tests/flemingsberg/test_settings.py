"""The settings are secure by default and read from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _settings_value(expr, env):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
        "'flemingsberg.settings.base'; django.setup(); "
        f"from django.conf import settings; print({expr})"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT.parent,  # so that `tests/flemingsberg` does not shadow the project
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def test_debug_is_off_unless_asked_for():
    result = _settings_value("settings.DEBUG", {"SECRET_KEY": "x"})
    assert result.stdout.strip() == "False", result.stderr


def test_debug_can_be_turned_on_from_the_environment():
    result = _settings_value("settings.DEBUG", {"SECRET_KEY": "x", "DEBUG": "true"})
    assert result.stdout.strip() == "True", result.stderr


def test_base_settings_refuse_to_start_without_a_secret_key():
    result = _settings_value("settings.SECRET_KEY", {})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_database_url_selects_postgresql():
    result = _settings_value(
        "settings.DATABASES['default']['ENGINE']",
        {"SECRET_KEY": "x", "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db"},
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


def test_postgresql_connections_turn_the_jit_compiler_off():
    result = _settings_value(
        "settings.DATABASES['default']['OPTIONS']['options']",
        {"SECRET_KEY": "x", "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db"},
    )
    assert result.stdout.strip() == "-c jit=off", result.stderr


def test_default_database_is_sqlite():
    result = _settings_value(
        "settings.DATABASES['default']['ENGINE']", {"SECRET_KEY": "x"}
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr


@pytest.mark.parametrize(
    "setting",
    ["SESSION_COOKIE_HTTPONLY", "SECURE_CONTENT_TYPE_NOSNIFF", "SESSION_COOKIE_SECURE"],
)
def test_secure_defaults_are_on_in_production(setting):
    result = _settings_value(f"settings.{setting}", {"SECRET_KEY": "x"})
    assert result.stdout.strip() == "True", result.stderr


def test_swedish_is_the_default_language(settings):
    assert settings.LANGUAGE_CODE == "sv"
    assert [code for code, _ in settings.LANGUAGES] == ["sv", "en"]


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
