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
import json
import os
import re

from tests.deploy.conftest import (
    HOST,
    ON_POSTGRESQL,
    PROXY_HEADERS,
    get,
    table_counts,
)
from tests.deploy.pages import body_text, crawl


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
