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
import subprocess

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
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_redirect off;
        }}
{pdf_files}
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
    }


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
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_nginx_sends_the_stored_pdf_with_the_portals_headers(
    nginx, gunicorn, production_env
):
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
