"""A backup restored into an empty database shows every public page the same.

Real content (the bundled plans plus updates, meetings and a closed board pack)
goes into a database of its own; ``scripts/backup`` dumps it with the suite's
backend (pg_dump on PostgreSQL, SQLite's online backup API otherwise) and
restores it into a new, empty database. Then every public page a visitor can
reach is requested from both databases, each in a fresh process, and the
responses must be identical apart from the CSRF token.
"""

import difflib
import html
import json
import subprocess
import sys
from urllib.parse import urlsplit

from tests.deploy.conftest import (
    BASE_DIR,
    ON_POSTGRESQL,
    SUBPROCESS_TIMEOUT,
    run,
    subprocess_env,
    table_counts,
)


def crawl_both(urls, tmp_path):
    """Crawl each database in its own process, side by side."""
    processes = []
    for n, url in enumerate(urls):
        out = tmp_path / f"crawl-{n}.json"
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.deploy.crawl", str(out)],
            cwd=BASE_DIR,
            env=subprocess_env(url),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append((process, out))
    results = []
    for process, out in processes:
        output, _ = process.communicate(timeout=SUBPROCESS_TIMEOUT)
        assert process.returncode == 0, output
        results.append(json.loads(out.read_text(encoding="utf-8")))
    return results


def first_difference(url, original, restored):
    diff = difflib.unified_diff(
        json.dumps(original, ensure_ascii=False, indent=1).splitlines(),
        json.dumps(restored, ensure_ascii=False, indent=1).splitlines(),
        "original",
        "restored",
        lineterm="",
        n=1,
    )
    return f"{url}:\n" + "\n".join(list(diff)[:40])


def test_restored_backup_shows_every_public_page_the_same(new_database, tmp_path):
    original_url = new_database("original")
    restored_url = new_database("restored")
    env = subprocess_env(original_url)
    extra_title = run(["python", "-m", "tests.deploy.seed"], env).stdout.splitlines()[
        -1
    ]

    backup_dir = tmp_path / "backups"
    result = run(["python", "scripts/backup", "--dir", str(backup_dir)], env)
    (dump,) = backup_dir.iterdir()
    magic = dump.read_bytes()[:16]
    if ON_POSTGRESQL:
        assert dump.suffix == ".dump"
        assert magic.startswith(b"PGDMP"), "not a pg_dump custom-format archive"
    else:
        assert dump.suffix == ".sqlite3"
        assert magic == b"SQLite format 3\x00"
    assert dump.stat().st_mode & 0o077 == 0, "a backup must be private to its owner"
    password = urlsplit(original_url).password
    if password:
        assert password not in result.stdout + result.stderr

    restore = ["python", "scripts/backup", "restore", str(dump)]
    run(restore, subprocess_env(restored_url))
    # A second restore finds the database in use and refuses to touch it.
    refused = run(restore, subprocess_env(restored_url), check=False)
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr
    assert "--clean" in refused.stderr
    not_a_backup = run(
        ["python", "scripts/backup", "restore", "README.md"],
        subprocess_env(restored_url),
        check=False,
    )
    assert not_a_backup.returncode == 1
    assert "is not a backup" in not_a_backup.stderr

    original, restored = crawl_both([original_url, restored_url], tmp_path)

    # --clean replaces what is there: the same rows again, none twice.
    counts = table_counts(restored_url)
    assert counts == table_counts(original_url)
    cleaned = run([*restore, "--clean"], subprocess_env(restored_url))
    assert table_counts(restored_url) == counts, cleaned.stdout

    assert original["counts"] == restored["counts"]
    assert original["counts"]["plans.BoardPack"] == 1
    pages = original["pages"]
    assert sorted(pages) == sorted(restored["pages"])
    # The crawl reached every kind of page, and the content added after
    # load_plans: a failing crawl must not pass as "both empty".
    paths = {urlsplit(url).path for url in pages}
    for expected in (
        "/plans/handlingsplan-2009/report/",
        "/governance/meetings/",
        "/open-data/handlingsplan-2009/actions.csv",
        "/open-data/handlingsplan-2009/actions.json",
        "/accessibility/",
    ):
        assert expected in paths
    assert sum(path.startswith("/actions/") for path in paths) > 35
    assert sum(path.startswith("/stakeholders/") for path in paths) > 40
    assert any(path.endswith("/pack.pdf") for path in paths)
    assert len(pages) > 150
    not_ok = {
        url: page["status"] for url, page in pages.items() if page["status"] != 200
    }
    assert not not_ok
    assert any(html.escape(extra_title) in page["body"] for page in pages.values())

    different = [url for url in pages if pages[url] != restored["pages"][url]]
    assert not different, first_difference(
        different[0], pages[different[0]], restored["pages"][different[0]]
    )
