"""Fresh databases and subprocesses for the deployment tests.

These tests run the portal the way production does: in separate processes
(``manage.py``, ``scripts/backup``, gunicorn) against real databases of their
own, on the backend the suite runs on. With DATABASE_URL set (PostgreSQL) each
test creates uniquely named databases next to the suite's and drops them
afterwards; without it they are SQLite files in the test's temporary directory.
The suite's own test database is never touched.
"""

import http.client
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SUITE_DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = SUITE_DATABASE_URL.startswith(("postgres", "pgsql"))
# Long enough for a migrate on a busy 2-core machine; a hang fails, not blocks.
SUBPROCESS_TIMEOUT = 120


def pg_connection(dbname="postgres"):
    """A connection to ``dbname`` (the maintenance database) as the suite's role."""
    import psycopg2

    config = environ.Env.db_url_config(SUITE_DATABASE_URL)
    connection = psycopg2.connect(
        dbname=dbname,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    return connection


@pytest.fixture
def new_database(tmp_path):
    """``new_database(label)`` -> the DATABASE_URL of a new, empty database."""
    created = []

    def make(label):
        if not ON_POSTGRESQL:
            return f"sqlite:///{tmp_path / f'{label}.sqlite3'}"
        name = f"deploy_{label}_{os.getpid()}_{secrets.token_hex(4)}"
        connection = pg_connection()
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        created.append(name)
        parts = urlsplit(SUITE_DATABASE_URL)
        return urlunsplit(parts._replace(path=f"/{name}"))

    yield make
    if created:
        connection = pg_connection()
        try:
            with connection.cursor() as cursor:
                for name in created:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            connection.close()


def subprocess_env(database_url, **overrides):
    """The environment of a portal process on ``database_url``.

    Test settings and a cache of the process's own: nothing read in one
    process can be served from a shared cache in another.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "flemingsberg.settings.test",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "deploy-tests-only",
        "CACHE_URL": "locmemcache://",
        "ALLOWED_HOSTS": "testserver",
        "PYTHONWARNINGS": "ignore",
    }
    env.update(overrides)
    return env


def run(args, env, check=True):
    """Run ``args`` (``python`` means this interpreter) in the repository."""
    if args[0] == "python":
        args = [sys.executable, *args[1:]]
    result = subprocess.run(
        args,
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} failed (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


# The task queue: work a page view may enqueue (a PDF render, the search's
# word list), not data; its rows come and go while the pages are visited.
TASK_QUEUE_TABLES = ("django_tasks_database_",)


def table_counts(database_url):
    """{table: row count} of every data table, read with the backend's own
    client (the task queue left out)."""
    if ON_POSTGRESQL:
        connection = pg_connection(urlsplit(database_url).path.lstrip("/"))
        list_tables = (
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        )
    else:
        connection = sqlite3.connect(urlsplit(database_url).path)
        list_tables = (
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        )
    try:
        cursor = connection.cursor()
        cursor.execute(list_tables)
        counts = {}
        for (table,) in cursor.fetchall():
            if table.startswith(TASK_QUEUE_TABLES):
                continue
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts
    finally:
        connection.close()


# ---------------------------------------------------------------------------
# The portal as deployed: gunicorn with gunicorn.conf.py and production settings
# ---------------------------------------------------------------------------

HOST = "testserver.example"
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}
START_TIMEOUT = 60


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, headers=PROXY_HEADERS):
    """One request straight to gunicorn: (status, headers, body bytes)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.fixture
def production_env(new_database, tmp_path):
    """The environment of a production app server on a fresh, loaded database."""
    database_url = new_database("gunicorn")
    env = subprocess_env(
        database_url,
        DJANGO_SETTINGS_MODULE="flemingsberg.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        STATIC_ROOT=str(tmp_path / "static"),
        # Shared by the workers of one host, as in production; kept out of the
        # repository's .cache/.
        CACHE_URL=f"filecache://{tmp_path / 'cache'}",
        LOG_LEVEL="WARNING",
        WEB_CONCURRENCY="2",
        GUNICORN_BIND=f"127.0.0.1:{free_port()}",
    )
    # collectstatic needs no database: it runs while the database is prepared.
    collectstatic = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    run(["python", "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run(["python", "manage.py", "load_plans"], env)
    output, _ = collectstatic.communicate(timeout=120)
    assert collectstatic.returncode == 0, output
    return env


def wait_until_healthy(name, process, port, log_path):
    """Wait until ``process`` (called ``name``) answers /healthz on ``port``;
    fail with its log if it exits or does not answer in time."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(f"{name} exited:\n{log_path.read_text()}")
        try:
            if get(port, "/healthz", headers={})[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{name} did not answer:\n{log_path.read_text()}")
        time.sleep(0.2)


@pytest.fixture
def gunicorn(production_env, tmp_path):
    """A running gunicorn (its port); stopped with SIGTERM afterwards."""
    log_path = tmp_path / "gunicorn.log"
    port = int(production_env["GUNICORN_BIND"].rsplit(":", 1)[1])
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "flemingsberg.wsgi",
            ],
            cwd=BASE_DIR,
            env=production_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_healthy("gunicorn", process, port, log_path)
        yield port, log_path
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            returncode = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            returncode = "killed after 30 s"
    assert returncode == 0, f"gunicorn did not stop cleanly ({returncode})"
