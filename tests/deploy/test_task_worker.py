"""The task worker as deployed: `manage.py db_worker` in a process of its own,
on a fresh database of the suite's backend, renders the PDFs another process
asked for when its write committed, and stops cleanly on SIGTERM."""

import signal
import sqlite3
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from tests.deploy.conftest import BASE_DIR, ON_POSTGRESQL, pg_connection, run
from tests.deploy.conftest import subprocess_env as portal_env

WAIT_SECONDS = 180

SETUP = """
from plans.models import ActionItem, Plan, Section
from stakeholders.models import Organisation
owner = Organisation.objects.create(name="Botkyrka kommun")
plan = Plan.objects.create(
    slug="prov", title="Handlingsplan Prov", kind="action_plan", owner=owner,
    start_year=2026, end_year=2026, status="adopted", is_public=True,
)
Section.objects.create(plan=plan, order=1, heading="Åtgärder", kind="action_items")
ActionItem.objects.create(plan=plan, code="1", order=1, title="Första åtgärden")
"""

EDIT = """
from django.db import transaction
from plans.models import ActionItem
with transaction.atomic():
    item = ActionItem.objects.get(plan__slug="prov", code="1")
    item.title = "Ändrad i en annan process"
    item.save()
"""


def query(database_url, sql):
    if ON_POSTGRESQL:
        connection = pg_connection(urlsplit(database_url).path.lstrip("/"))
    else:
        connection = sqlite3.connect(urlsplit(database_url).path)
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        connection.close()


def wait_until(predicate, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    pytest.fail(f"Waited {WAIT_SECONDS} s for {what}")


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-", "-"], input=bytes(content), capture_output=True, check=True
    ).stdout.decode()


def test_a_worker_process_renders_what_another_process_asked_for(
    new_database, tmp_path
):
    database_url = new_database("worker")
    env = portal_env(database_url, CACHE_URL=f"filecache://{tmp_path / 'cache'}")
    run(["python", "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run(["python", "manage.py", "shell", "-c", SETUP], env)
    queued = run(["python", "manage.py", "render_pdfs", "prov"], env)
    assert "8 PDF(s) queued" in queued.stdout  # 2 kinds, 2 languages, 2 versions

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        statuses = "SELECT status FROM plans_rendereddocument"
        wait_until(
            lambda: {row[0] for row in query(database_url, statuses)} == {"ready"},
            "the eight PDFs",
        )
        rows = query(
            database_url,
            "SELECT content FROM plans_rendereddocument "
            "WHERE kind = 'plan' AND language = 'sv' AND visibility = 'public'",
        )
        assert "Första åtgärden" in pdf_text(rows[0][0])

        # An edit committed in another process asks for new renders.
        run(["python", "manage.py", "shell", "-c", EDIT], env)

        def edited():
            rows = query(
                database_url,
                "SELECT content, status FROM plans_rendereddocument "
                "WHERE kind = 'plan' AND language = 'sv' AND visibility = 'public'",
            )
            content, status = rows[0]
            return status == "ready" and "Ändrad i en annan process" in pdf_text(
                content
            )

        wait_until(edited, "the edited PDF")
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output = worker.communicate(timeout=60)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            worker.kill()
            raise
    assert worker.returncode == 0, output
