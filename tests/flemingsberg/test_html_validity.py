"""Every public page type, in both languages and signed in, and the admin pages
the development director works in, are valid HTML by the W3C Nu HTML checker
(vnu.jar on Java 17), validated in one run: the checker takes seconds to start.

`make test` installs Java and vnu.jar (scripts/system-deps test). A missing
checker fails this test with the command that installs it; it never skips.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from plans.models import ActionItem
from tests.page_types import NOT_FOUND, page_paths

VNU_JAR = Path(os.environ.get("VNU_JAR", "/usr/local/share/vnu/vnu.jar"))
INSTALL = (
    "Install them with `scripts/system-deps test` as root (Debian: "
    "apt-get install -y openjdk-17-jre-headless; the jar from the npm package "
    "vnu-jar: npm pack vnu-jar && tar xzf vnu-jar-*.tgz && "
    f"cp package/build/dist/vnu.jar {VNU_JAR}), or set VNU_JAR."
)


def nu_checker():
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        pytest.fail(f"The Nu HTML checker needs java and {VNU_JAR}. {INSTALL}")
    return [java, "-Xss1m", "-jar", str(VNU_JAR)]


def validate(files):
    """The checker's messages of type "error" for ``files``, in one run."""
    result = subprocess.run(
        [*nu_checker(), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stderr.strip(), result  # vnu writes its JSON to stderr
    messages = json.loads(result.stderr)["messages"]
    return [message for message in messages if message["type"] == "error"]


def save_pages(client, paths, folder, prefix):
    files = {}
    for number, path in enumerate(paths):
        response = client.get(path, follow=True)
        expected = 404 if path.endswith(NOT_FOUND) else 200
        assert response.status_code == expected, (path, response.status_code)
        target = folder / f"{prefix}-{number:02d}.html"
        target.write_bytes(response.content)
        files[f"file:{target}"] = path
    return files


def test_public_and_admin_pages_are_valid_html(tmp_path, bundled_plans, reader, editor):
    paths = page_paths()
    english = [f"/en{path}" for path in paths]
    item = ActionItem.objects.get(plan__slug="handlingsplan-2009", code="1.1")
    admin_paths = [
        reverse("admin:index"),
        reverse("admin:plans_actionitem_changelist"),
        reverse("admin:plans_actionitem_changelist") + "?q=innovation",
        reverse("admin:plans_actionitem_change", args=[item.pk]),
        reverse("admin:plans_actionitem_add"),
    ]
    files = save_pages(Client(), paths + english, tmp_path, "anonymous")
    member = Client()
    member.force_login(reader)
    files |= save_pages(member, paths, tmp_path, "member")
    director = Client()
    director.force_login(editor)
    files |= save_pages(director, admin_paths, tmp_path, "admin")

    # A control page with one known error: the checker did check the files.
    control = tmp_path / "control.html"
    control.write_text(
        '<!DOCTYPE html><html lang="sv"><head><title>x</title></head>'
        '<body><form action=""></form></body></html>'
    )
    errors = validate([*(url.removeprefix("file:") for url in files), control])
    control_errors = [e for e in errors if e["url"] == f"file:{control}"]
    assert len(control_errors) == 1, control_errors
    errors = [e for e in errors if e not in control_errors]

    report = "\n".join(
        f"{files.get(error['url'], error['url'])}:{error.get('lastLine')}: "
        f"{error['message']} {error.get('extract', '')!r}"
        for error in errors
    )
    print(f"Nu HTML checker: {len(files)} pages, {len(errors)} errors")
    assert not errors, f"{len(errors)} errors in {len(files)} pages:\n{report}"
