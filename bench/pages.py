"""SQL queries and server time of every public page at 10, 300 and 5 000 items.

    .venv/bin/python bench/pages.py            # PostgreSQL at 127.0.0.1 (user postgres)
    .venv/bin/python bench/pages.py --sqlite   # a temporary SQLite file instead
    .venv/bin/python bench/pages.py --sizes 10,300 --repeat 5

For each size a fresh database is made (PostgreSQL: ``CREATE DATABASE ...
TEMPLATE`` a database migrated once; SQLite: a copy of a migrated file) and
seeded by ``bench/seed.py`` with the given number of action items, four
progress updates per item and ``min(20, max(3, items // 25))`` plans. A worker
process (one per size, production settings: DEBUG off, manifest static files)
then requests every public page with Django's test client, anonymously and
signed in as a member of the reader group, with the page cache off (what is
counted is the rendering; a kept page costs no query): two warm-up requests,
one request whose queries are counted (``CaptureQueriesContext``), and
``--repeat`` timed requests without the capture, of which the median is
printed.

The table ends with "query counts constant: yes" or "no" and the pages whose
count changes with the data; the exit status is 1 if any count changes or any
page does not answer 200.
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SIZES = (10, 300, 5000)


def plans_for(items):
    """Plans for ``items``: a business plan and action plans of both layouts."""
    return min(20, max(3, items // 25))


# ---------------------------------------------------------------------------
# The worker: one size, one database, Django set up
# ---------------------------------------------------------------------------


def page_list():
    """(label, url) of every public page, with worst-case objects picked."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils.http import urlencode

    from plans.models import ActionItem, Indicator, Meeting, Plan, Section
    from stakeholders.models import GoverningBody, Organisation

    def biggest(kind, section_kind):
        """The published plan of ``kind`` showing ``section_kind`` with most items."""
        return (
            Plan.objects.published()
            .filter(kind=kind, sections__kind=section_kind)
            .annotate(n=Count("action_items", distinct=True))
            .order_by("-n", "pk")
            .first()
        )

    business = biggest(Plan.Kind.BUSINESS_PLAN, Section.Kind.ACTION_ITEMS)
    action = biggest(Plan.Kind.ACTION_PLAN, Section.Kind.ACTION_ITEMS)
    table = biggest(Plan.Kind.ACTION_PLAN, Section.Kind.ACTION_TABLE)
    # Filters that match something at every size: one public item's plan,
    # status and a word of its title.
    sample = (
        ActionItem.objects.public().filter(plan=action).order_by("status", "pk").first()
    )
    word = max(sample.title.rstrip(".").split()[1:], key=len)
    item = (
        ActionItem.objects.public()
        .annotate(n=Count("updates"))
        .order_by("-n", "pk")
        .first()
    )
    indicator = (
        Indicator.objects.public()
        .annotate(n=Count("values"))
        .order_by("-n", "pk")
        .first()
    )
    # A co-funder, so that its page always shows a funding block.
    organisation = (
        Organisation.objects.filter(funding_contributions__isnull=False)
        .annotate(n=Count("responsible_for_items", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    body = (
        GoverningBody.objects.annotate(n=Count("memberships"))
        .order_by("-n", "pk")
        .first()
    )
    meeting = Meeting.objects.public().order_by("-date", "pk").first()
    actions = reverse("plans:actionitem-list")
    return [
        ("home", reverse("plans:home")),
        ("plans", reverse("plans:plan-list")),
        ("plan (verksamhetsplan)", business.get_absolute_url()),
        ("plan (handlingsplan)", action.get_absolute_url()),
        ("plan (handlingsplan, table)", table.get_absolute_url()),
        ("plan report", reverse("plans:plan-report", kwargs={"slug": action.slug})),
        (
            "plan report since",
            reverse("plans:plan-report", kwargs={"slug": action.slug})
            + "?since=2026-01-01",
        ),
        ("actions", actions),
        (
            "actions filtered",
            f"{actions}?"
            + urlencode({"plan": action.slug, "status": sample.status, "q": word}),
        ),
        ("actions by latest update", f"{actions}?sort=-latest_update_on"),
        ("action detail", item.get_absolute_url()),
        ("dashboard", reverse("plans:dashboard")),
        ("indicators", reverse("plans:indicator-list")),
        ("indicator", indicator.get_absolute_url()),
        ("stakeholders", reverse("plans:organisation-list")),
        ("organisation", organisation.get_absolute_url()),
        ("governance", reverse("plans:governingbody-list")),
        ("body", body.get_absolute_url()),
        ("meetings", reverse("plans:meeting-list")),
        ("meeting", reverse("plans:meeting-detail", kwargs={"pk": meeting.pk})),
        (
            "meeting changes",
            reverse("plans:meeting-changes", kwargs={"pk": meeting.pk}),
        ),
        ("open data", reverse("plans:open-data")),
        ("accessibility", reverse("accessibility")),
        # The search: a word of an item's title, and an organisation's name
        # (which also finds its short name).
        ("search", f"{reverse('plans:search')}?" + urlencode({"q": word})),
        (
            "search (organisation)",
            f"{reverse('plans:search')}?" + urlencode({"q": "Södertörns högskola"}),
        ),
    ]


def measure(client, url, warmups, repeat):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    statuses = set()
    for _ in range(warmups):
        statuses.add(client.get(url).status_code)
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        statuses.add(client.get(url).status_code)
    # Counted now: the capture reads the connection's query log when asked,
    # and the next request empties that log.
    queries = len(captured)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
    return {
        "queries": queries,
        "ms": statistics.median(times) if times else 0.0,
        "statuses": sorted(statuses),
    }


def worker(items, warmups, repeat):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from bench.seed import seed
    from flemingsberg.permissions import READER_GROUP, sees_internal

    seed(items=items, plans=plans_for(items), updates=4 * items, out=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    member = get_user_model().objects.create(username="bench.reader")
    member.groups.add(Group.objects.get(name=READER_GROUP))
    member = get_user_model().objects.get(pk=member.pk)
    assert sees_internal(member), "the reader group does not see internal items"

    pages = page_list()
    # Production settings redirect plain HTTP: requests come "through the proxy".
    # A page that fails is reported with its status, not raised.
    anonymous = Client(raise_request_exception=False, HTTP_X_FORWARDED_PROTO="https")
    signed_in = Client(raise_request_exception=False, HTTP_X_FORWARDED_PROTO="https")
    signed_in.force_login(member)
    results = {}
    for who, client in (("anonymous", anonymous), ("member", signed_in)):
        for label, url in pages:
            results[f"{label}|{who}"] = {
                "url": url,
                **measure(client, url, warmups, repeat),
            }
    print(json.dumps(results))


# ---------------------------------------------------------------------------
# The orchestrator: databases, workers, the table
# ---------------------------------------------------------------------------


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


class Postgres:
    """Scratch databases made by the postgres user: one template, one per size."""

    def __init__(self, url, prefix):
        import psycopg2

        self.url, self.prefix = url.rstrip("/"), prefix
        self.admin = psycopg2.connect(f"{self.url}/postgres")
        self.admin.autocommit = True

    def execute(self, sql):
        with self.admin.cursor() as cursor:
            cursor.execute(sql)

    def template(self):
        name = f"{self.prefix}_template"
        self.execute(f'DROP DATABASE IF EXISTS "{name}"')
        self.execute(f'CREATE DATABASE "{name}"')
        return name, f"{self.url}/{name}"

    def copy(self, template, size):
        name = f"{self.prefix}_{size}"
        self.execute(f'DROP DATABASE IF EXISTS "{name}"')
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name, f"{self.url}/{name}"

    def drop(self, name):
        self.execute(f'DROP DATABASE IF EXISTS "{name}"')


class SQLite:
    """Scratch database files in a temporary directory."""

    def __init__(self, directory):
        self.directory = Path(directory)

    def template(self):
        path = self.directory / "template.sqlite3"
        return path, f"sqlite:///{path}"

    def copy(self, template, size):
        path = self.directory / f"items-{size}.sqlite3"
        shutil.copyfile(template, path)
        return path, f"sqlite:///{path}"

    def drop(self, path):
        Path(path).unlink(missing_ok=True)


def print_table(sizes, results):
    keys = list(results[sizes[0]])
    width = max(len(k.replace("|", " · ")) for k in keys)
    sizes_label = "/".join(str(s) for s in sizes)
    header = f"{'page':<{width}}  {'queries at ' + sizes_label:>24}  "
    header += f"{'median ms at ' + sizes_label:>30}"
    print(header)
    print("-" * len(header))
    growing, failing = [], []
    for key in keys:
        counts = [results[s][key]["queries"] for s in sizes]
        times = [results[s][key]["ms"] for s in sizes]
        statuses = {st for s in sizes for st in results[s][key]["statuses"]}
        flag = ""
        if len(set(counts)) > 1:
            growing.append(key.replace("|", " · "))
            flag = "  ← count changes"
        if statuses != {200}:
            failing.append(f"{key.replace('|', ' · ')} ({sorted(statuses)})")
            flag += f"  ← status {sorted(statuses)}"
        print(
            f"{key.replace('|', ' · '):<{width}}  "
            f"{' / '.join(f'{c:>3}' for c in counts):>24}  "
            f"{' / '.join(f'{t:7.1f}' for t in times):>30}{flag}"
        )
    print()
    if growing:
        print("query counts constant: no — " + "; ".join(growing))
    else:
        print("query counts constant: yes")
    if failing:
        print("pages not answering 200: " + "; ".join(failing))
    return not growing and not failing


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sqlite", action="store_true", help="temporary SQLite files")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="server URL of a user who may create databases (no database name)",
    )
    parser.add_argument("--prefix", default="bench_pages", help="database names")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeat", type=int, default=10, help="timed requests")
    parser.add_argument("--warmups", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker is not None:
        sys.path.insert(0, str(ROOT))
        worker(args.worker, args.warmups, args.repeat)
        return 0

    sizes = [int(s) for s in args.sizes.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "BENCH_SETTINGS", "flemingsberg.settings.production"
        ),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "false",
        "CACHE_URL": "locmemcache://",
        # The queries of rendering each page: anonymous pages would otherwise
        # come from the page cache after the warm-ups (no queries at all).
        "PAGE_CACHE_SECONDS": "0",
        "STATIC_ROOT": str(scratch / "static"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    databases = SQLite(scratch) if args.sqlite else Postgres(args.postgres, args.prefix)
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    made = []
    try:
        started = time.perf_counter()
        template, env["DATABASE_URL"] = databases.template()
        made.append(template)
        run([PY, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
        run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        print(
            f"{engine}: migrated template and collected static files in "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        results = {}
        for size in sizes:
            started = time.perf_counter()
            name, env["DATABASE_URL"] = databases.copy(template, size)
            made.append(name)
            out = run(
                [
                    PY,
                    str(Path(__file__).resolve()),
                    "--worker",
                    str(size),
                    "--warmups",
                    str(args.warmups),
                    "--repeat",
                    str(args.repeat),
                ],
                env,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
            results[size] = json.loads(out.strip().splitlines()[-1])
            print(
                f"{size} items: measured in {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
    finally:
        if not args.keep:
            for name in made:
                databases.drop(name)
            shutil.rmtree(scratch, ignore_errors=True)
        elif args.sqlite:
            print(f"kept the databases in {scratch}", file=sys.stderr)

    print(
        f"\n{engine}, production settings (DEBUG off); median of {args.repeat} "
        f"requests after {args.warmups} warm-ups; member = reader group\n"
    )
    return 0 if print_table(sizes, results) else 1


if __name__ == "__main__":
    sys.exit(main())
