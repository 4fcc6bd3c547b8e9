"""The portal as deployed: gunicorn with gunicorn.conf.py and production settings.

A fresh database on the suite's backend (PostgreSQL when DATABASE_URL is set),
prepared as docs/deployment.md says (migrate, load_plans, collectstatic), then
gunicorn with 2 workers on a free port. Every public page is requested as the
reverse proxy would send it (Host and X-Forwarded-Proto: https) and must answer
200 with the security headers; static files come from WhiteNoise with hashed
names and a far-future Cache-Control; plain HTTP is redirected to HTTPS except
/healthz, which the load balancer calls.
"""

import gzip
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.deploy.conftest import (
    BASE_DIR,
    ON_POSTGRESQL,
    run,
    subprocess_env,
    table_counts,
)
from tests.deploy.pages import body_text, crawl

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
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{log_path.read_text()}")
            try:
                if get(port, "/healthz", headers={})[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer:\n{log_path.read_text()}")
            time.sleep(0.2)
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


def test_gunicorn_serves_every_public_page_with_production_settings(
    gunicorn, production_env
):
    port, log_path = gunicorn
    missing_headers = {}

    def fetch(url):
        status, headers, content = get(port, url)
        absent = [
            name
            for name in (
                "Strict-Transport-Security",
                "Content-Security-Policy",
                "X-Content-Type-Options",
            )
            if name not in headers
        ]
        if absent:
            missing_headers[url] = absent
        content_type = headers.get("Content-Type", "")
        return {"status": status, "body": body_text(content, content_type)}

    pages = crawl(fetch, host=HOST)

    not_ok = {
        url: page["status"] for url, page in pages.items() if page["status"] != 200
    }
    assert not not_ok
    assert not missing_headers
    assert len(pages) > 100
    plan_pages = [url for url in pages if re.fullmatch(r"/plans/[-\w]+/", url)]
    assert (
        len(plan_pages)
        == table_counts(production_env["DATABASE_URL"])["plans_plan"]
        == 3
    )
    assert production_env["DATABASE_URL"].startswith("postgres") == ON_POSTGRESQL

    status, headers, _ = get(port, "/")
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]

    # A hashed stylesheet, straight from WhiteNoise, cached "forever".
    home = pages["/"]["body"]
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, "the home page links no hashed stylesheet"
    status, headers, content = get(
        port, stylesheet.group(1), {**PROXY_HEADERS, "Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    assert headers["Content-Encoding"] == "gzip"
    collected = os.path.join(production_env["STATIC_ROOT"], stylesheet.group(1)[8:])
    with open(collected, "rb") as file:
        assert gzip.decompress(content) == file.read()

    # Plain HTTP is sent to HTTPS; the health check answers on plain HTTP.
    status, headers, _ = get(port, "/actions/", headers={"Host": HOST})
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/actions/"
    status, headers, content = get(port, "/healthz", headers={})
    assert status == 200
    assert json.loads(content) == {"status": "ok", "database": "ok"}

    log = log_path.read_text()
    assert log.count("Booting worker with pid") == 2
    assert re.search(r'"GET /healthz HTTP/1\.1" 200 ', log), "no access log"
