"""Two app servers sharing one database and one Redis: an edit the director
saves in the admin on one is on the very next anonymous request of every
cached page on the other (plans.caching, plans.services.generation).

Each server is gunicorn with one worker; the cache is Redis at
127.0.0.1:6379 under a key prefix of the test's own. Before the edit, a change
written straight into the database (no signal, so no new generation) shows
that the anonymous pages really come from the shared cache, while a signed-in
member on the same server sees the database as it is.
"""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from tests.deploy.conftest import BASE_DIR, ON_POSTGRESQL, pg_connection, run
from tests.deploy.conftest import subprocess_env as portal_env

REDIS = ("127.0.0.1", 6379)
HOST = "testserver"
START_TIMEOUT = 60
PASSWORD = "planportal-director-1"

SETUP = """
import json
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from flemingsberg.permissions import EDITOR_GROUP, READER_GROUP
from plans.models import ActionItem, Plan

User = get_user_model()
director = User.objects.create_user("direktor", password=%(password)r, is_staff=True)
director.groups.add(Group.objects.get(name=EDITOR_GROUP))
member = User.objects.create_user("lasare", password=%(password)r)
member.groups.add(Group.objects.get(name=READER_GROUP))
item = (
    ActionItem.objects.public()
    .filter(plan__in=Plan.objects.published())
    .order_by("-responsible_organisation", "pk")
    .first()
)
print(json.dumps({
    "pk": item.pk,
    "title": item.title,
    "status": item.status,
    "table": ActionItem._meta.db_table,
    "plan": item.plan.get_absolute_url(),
    "organisation": item.responsible_organisation
    and item.responsible_organisation.get_absolute_url(),
    "statuses": [s for s in ActionItem.Status if s != item.status],
}))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Visitor:
    """One browser: its own cookies, speaking HTTP to one app server."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None):
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value in ("", '""'):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            return response.status, response.headers, text
        finally:
            connection.close()

    def get(self, path):
        status, _headers, text = self.request("GET", path)
        assert status == 200, f"GET {path} answered {status}"
        return text

    def sign_in(self, login_path, username):
        form = form_fields(self.get(login_path), None)
        form.update(username=username, password=PASSWORD)
        status, _headers, text = self.request("POST", login_path, form)
        assert status == 302, f"sign-in at {login_path} answered {status}: {text}"
        assert "sessionid" in self.cookies


class FormParser(HTMLParser):
    """The fields a browser would send from the first form with ``form_id``
    (or holding a CSRF token when ``form_id`` is None)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.done = form_id, False, False
        self.fields, self.select, self.textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done:
            self.inside = self.form_id is None or attrs.get("id") == self.form_id
            self.fields = []
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            if kind not in ("submit", "button", "file", "image"):
                self.fields.append([name, attrs.get("value", default)])
        elif tag == "select" and name and "__prefix__" not in name:
            self.select = [name, None, None]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select[1] is None:
                self.select[1] = value
            if "selected" in attrs:
                self.select[2] = value
        elif tag == "textarea" and name and "__prefix__" not in name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "select" and self.select is not None:
            name, first, chosen = self.select
            value = chosen if chosen is not None else first
            if value is not None:
                self.fields.append([name, value])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(self.textarea)
            self.textarea = None
        elif tag == "form" and any(
            name == "csrfmiddlewaretoken" for name, _ in self.fields
        ):
            self.done, self.inside = True, False


def form_fields(html, form_id):
    parser = FormParser(form_id)
    parser.feed(html)
    assert parser.done, f"no form {form_id or 'with a CSRF token'} on the page"
    return dict(parser.fields)


def write_title_directly(database_url, table, pk, title):
    """Change a title with SQL: no model, no signal, no new generation."""
    if ON_POSTGRESQL:
        connection = pg_connection(database_url.rsplit("/", 1)[1])
        placeholder = "%s"
    else:
        import sqlite3

        connection = sqlite3.connect(database_url.split("sqlite:///", 1)[1])
        placeholder = "?"
    try:
        cursor = connection.cursor()
        cursor.execute(
            f'UPDATE "{table}" SET title = {placeholder} WHERE id = {placeholder}',
            (title, pk),
        )
        connection.commit()
    finally:
        connection.close()


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own on the shared Redis; its keys go after."""
    import redis

    prefix = f"pagecache-test-{secrets.token_hex(6)}"
    yield prefix
    client = redis.Redis(*REDIS, db=0)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def servers(new_database, redis_prefix, tmp_path):
    """Two app servers (ports) on one fresh database and one shared Redis, and
    what the setup found: the item the director edits and its pages."""
    database_url = new_database("pagecache")
    env = portal_env(
        database_url,
        CACHE_URL=f"rediscache://{REDIS[0]}:{REDIS[1]}/0",
        CACHE_KEY_PREFIX=redis_prefix,
        ALLOWED_HOSTS=HOST,
        SECURE_COOKIES="false",
        LOG_LEVEL="WARNING",
        WEB_CONCURRENCY="1",
        PAGE_CACHE_SECONDS="600",
    )
    run(["python", "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run(["python", "manage.py", "load_plans", "-v", "0"], env)
    found = json.loads(
        run(["python", "-c", SETUP % {"password": PASSWORD}], env).stdout
    )
    found["database_url"] = database_url
    processes, ports = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = (tmp_path / f"gunicorn-{name}.log").open("w")
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "-c",
                        "gunicorn.conf.py",
                        "--access-logfile",
                        "/dev/null",
                        "flemingsberg.wsgi",
                    ],
                    cwd=BASE_DIR,
                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            ports.append(port)
        for process, port, name in zip(processes, ports, "ab", strict=True):
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                if process.poll() is not None:
                    log = (tmp_path / f"gunicorn-{name}.log").read_text()
                    pytest.fail(f"gunicorn {name} exited:\n{log}")
                try:
                    if Visitor(port).request("GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn {name} did not answer")
                time.sleep(0.2)
        yield ports, found
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def cached_pages(found, token):
    """Every cached page the edited item is on, by what shows it there."""
    item = f"/actions/{found['pk']}/"
    pages = {
        "home": "/",
        "actions": "/actions/",
        "actions, latest updates first": "/actions/?sort=-latest_update_on",
        "actions, searched": f"/actions/?q={token}",
        "action": item,
        "action (English)": f"/en{item}",
        "dashboard": "/dashboard/",
        "plan": found["plan"],
        "plan report": f"{found['plan']}report/",
    }
    if found["organisation"]:
        pages["organisation"] = found["organisation"]
    return pages


def test_an_admin_edit_on_one_server_is_on_the_next_anonymous_page_of_the_other(
    servers,
):
    (port_a, port_b), found = servers
    token = f"Kaktus{secrets.randbelow(10**6)}"
    pages = cached_pages(found, token)
    visitor = Visitor(port_b)
    before = {name: visitor.get(path) for name, path in pages.items()}
    again = {name: visitor.get(path) for name, path in pages.items()}
    assert again == before

    # Straight into the database: the generation stays, so anonymous visitors
    # of server B get the kept pages, and a member of B sees the new title.
    raw_title = f"Rå{token}"
    write_title_directly(found["database_url"], found["table"], found["pk"], raw_title)
    for name, path in pages.items():
        assert visitor.get(path) == before[name], f"{name} was not from the cache"
    member = Visitor(port_b)
    member.sign_in("/accounts/login/", "lasare")
    member_page = member.get(pages["action"])
    assert raw_title in member_page
    assert "lasare" in member_page  # the members' header, never kept

    # The director's weekly update, saved through the admin of server A.
    director = Visitor(port_a)
    director.sign_in("/admin/login/?next=/admin/", "direktor")
    change = f"/admin/plans/actionitem/{found['pk']}/change/"
    form = form_fields(director.get(change), "actionitem_form")
    new_title = f"{found['title']} {token}"
    form.update(
        title=new_title,
        status=found["statuses"][0],
        update_text=f"Veckans läge {token}.",
        update_is_public="on",
        _save="Spara",
    )
    status, _headers, text = director.request("POST", change, form)
    assert status == 302, f"the admin did not save: {text[:3000]}"

    # The very next anonymous request of each page on server B shows it.
    missing = []
    for name, path in pages.items():
        page = visitor.get(path)
        if token not in page or page == before[name]:
            missing.append(name)
        assert raw_title not in page
    assert not missing, f"the edit is not on: {', '.join(missing)}"
