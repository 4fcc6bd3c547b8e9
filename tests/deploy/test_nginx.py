"""nginx in front of gunicorn, sending the stored PDFs itself.

The app server runs with ``PDF_FILES_URL`` and nginx with the location of
docs/nginx-pdf-files.conf, as docs/deployment.md says: a download is answered
by the portal with X-Accel-Redirect, and nginx sends the file from
``PDF_FILES_DIR``. The visitor must get the stored bytes with the portal's own
headers (ETag, Last-Modified, the security headers), a 304 when nothing
changed, and never the internal location when asking for it directly.
"""

import getpass
import hashlib
import shutil
import signal
import subprocess
import time

import pytest

from tests.deploy.conftest import (
    BASE_DIR,
    HOST,
    free_port,
    get,
    run,
    wait_until_healthy,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PDF_FILES_URL = "/_pdf-files/"
SERVER = """
user {user};
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    server {{
        listen 127.0.0.1:{port};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-Proto https;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_redirect off;
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
        }}
        location @flemingsberg {{
            proxy_pass http://127.0.0.1:{upstream};
        }}
{pdf_files}
        include {tmp}/published-pdfs.conf;
    }}
}}
"""


@pytest.fixture
def production_env(production_env, tmp_path):
    """The app server's environment with nginx sending the PDF files."""
    return {
        **production_env,
        "PDF_FILES_DIR": str(tmp_path / "pdfs"),
        "PDF_FILES_URL": PDF_FILES_URL,
        "PDF_PUBLISHED_DIR": str(tmp_path / "published"),
    }


def published_pdfs_conf(production_env, tmp_path):
    """Write the published PDFs' locations as ``manage.py
    nginx_published_pdfs`` prints them for the PDFs rendered so far."""
    output = run(
        ["python", "manage.py", "nginx_published_pdfs", "--host", HOST],
        production_env,
    ).stdout
    (tmp_path / "published-pdfs.conf").write_text(output)
    return output


@pytest.fixture
def nginx(gunicorn, production_env, tmp_path):
    """nginx (its port) in front of the running gunicorn."""
    if not shutil.which(NGINX):
        pytest.fail(
            "nginx is missing: scripts/system-deps test installs it "
            "(apt-get install nginx-light)"
        )
    upstream, _log = gunicorn
    pdf_files = (BASE_DIR / "docs" / "nginx-pdf-files.conf").read_text()
    pdf_files = pdf_files.replace(
        "/srv/flemingsberg/.cache/pdfs/", f"{production_env['PDF_FILES_DIR']}/"
    )
    published_pdfs_conf(production_env, tmp_path)
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        SERVER.format(
            # nginx's workers read the files as the user the tests run as (the
            # temporary directories are that user's alone); in production,
            # nginx's user must be able to read PDF_FILES_DIR.
            user=getpass.getuser(),
            tmp=tmp_path,
            port=port,
            upstream=upstream,
            pdf_files=pdf_files,
        )
    )
    error_log = tmp_path / "nginx-error.log"
    process = subprocess.Popen(
        [NGINX, "-e", str(error_log), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_healthy("nginx", process, port, error_log)
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_nginx_sends_the_stored_pdf_with_the_portals_headers(
    nginx, gunicorn, production_env
):
    nginx, _process = nginx
    url = "/plans/handlingsplan-2009/pdf/"
    headers = {"Host": HOST}
    status, _, _ = get(nginx, url, headers)
    assert status == 202  # never rendered: being prepared
    run(["python", "manage.py", "db_worker", "--batch", "-v", "0"], production_env)

    status, through_nginx, content = get(nginx, url, headers)
    assert status == 200
    sha256 = through_nginx["ETag"].strip('"')
    assert hashlib.sha256(content).hexdigest() == sha256
    assert content.startswith(b"%PDF")
    assert through_nginx["Content-Type"] == "application/pdf"
    assert through_nginx["Content-Length"] == str(len(content))
    assert "X-Accel-Redirect" not in through_nginx

    # The portal's answer, as nginx got it: headers only, naming the file.
    upstream, _log = gunicorn
    status, from_portal, body = get(
        upstream, url, {"Host": HOST, "X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert body == b""
    assert from_portal["X-Accel-Redirect"] == f"{PDF_FILES_URL}{sha256}.pdf"
    for name in (
        "ETag",
        "Last-Modified",
        "Cache-Control",
        "Content-Disposition",
        "Vary",
        "Strict-Transport-Security",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
    ):
        assert through_nginx.get_all(name) == from_portal.get_all(name), name

    # Nothing changed: the portal answers 304 and nginx sends no file.
    status, _, content = get(nginx, url, {**headers, "If-None-Match": f'"{sha256}"'})
    assert status == 304
    assert content == b""

    # The files' location is nginx's own: nobody may ask for it.
    status, _, _ = get(nginx, f"{PDF_FILES_URL}{sha256}.pdf", headers)
    assert status == 404


def portal_lines(log_path, url):
    """How many requests for ``url`` gunicorn has logged (it logs a request
    just after answering it: wait a moment for the last one)."""
    time.sleep(0.3)
    return sum(1 for line in log_path.read_text().splitlines() if f"GET {url} " in line)


def test_nginx_sends_published_pdfs_without_asking_the_portal(
    nginx, gunicorn, production_env, tmp_path
):
    nginx, process = nginx
    upstream, log_path = gunicorn
    url = "/en/plans/handlingsplan-2009/report/pdf/"
    headers = {"Host": HOST}
    for path in (
        "/plans/handlingsplan-2009/pdf/",
        "/en/plans/handlingsplan-2009/pdf/",
        "/plans/handlingsplan-2009/report/pdf/",
        url,
    ):
        assert get(nginx, path, headers)[0] == 202  # no file yet: the portal
    run(["python", "manage.py", "db_worker", "--batch", "-v", "0"], production_env)
    conf = published_pdfs_conf(production_env, tmp_path)
    assert conf.count("location ~") == 4  # plan and report, in both languages
    # The portal's own answer (straight from gunicorn).
    status, from_portal, _ = get(
        upstream, url, {"Host": HOST, "X-Forwarded-Proto": "https"}
    )
    assert status == 200
    sha256 = from_portal["ETag"].strip('"')

    process.send_signal(signal.SIGHUP)  # reload: the new locations
    deadline = time.monotonic() + 10
    while get(nginx, url, headers)[1]["ETag"] == from_portal["ETag"]:
        assert time.monotonic() < deadline, "nginx did not reload"
        time.sleep(0.1)

    asked = portal_lines(log_path, url)
    status, published, content = get(nginx, url, headers)
    assert portal_lines(log_path, url) == asked  # nginx did not ask the portal
    assert status == 200
    assert hashlib.sha256(content).hexdigest() == sha256
    assert from_portal["Content-Disposition"] == (
        'inline; filename="handlingsplan-2009-progress-report.pdf"'
    )
    for name in (
        "Content-Type",
        "Content-Disposition",
        "Content-Language",
        "Cache-Control",
        "Vary",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
    ):
        assert published.get_all(name) == from_portal.get_all(name), name
    # The same policy (django-csp orders its directives differently in each
    # process).
    policy = "Content-Security-Policy"
    assert sorted(published[policy].split("; ")) == sorted(
        from_portal[policy].split("; ")
    )
    # nginx answers conditional requests with its own validators.
    assert get(nginx, url, {**headers, "If-None-Match": published["ETag"]})[0] == 304

    # Members (a session) and any query string go to the portal.
    for path, extra in (
        (url, {"Cookie": "sessionid=unknown"}),
        (f"{url}?since=2000-01-01", {}),
    ):
        asked = portal_lines(log_path, path)
        get(nginx, path, {**headers, **extra})
        assert portal_lines(log_path, path) == asked + 1, (path, extra)

    # A PDF without a file (the Swedish plan was never asked for, so never
    # rendered) goes to the portal, which says it is being prepared.
    assert get(nginx, "/plans/soderort-2030/pdf/", headers)[0] == 202
