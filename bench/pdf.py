"""Benchmark of the PDF pipeline. Prints figures; asserts nothing.

1. Renders. For each bundled plan and for a generated plan with 1 000 action
   items: pages, render time cold (first render in a fresh process) and warm
   (later renders), bare WeasyPrint on the same finished HTML (the engine
   alone: cold in its own fresh process, warm next to each of the portal's
   warm renders, so that both are timed at the same moment), the
   portal/engine ratio, the peak memory of the rendering process and, where
   /usr/bin/chromium is installed, Chromium's print-to-PDF of the same HTML.
2. Under load. Every document is rendered by two task workers
   (`manage.py db_worker`); then wrk downloads PDFs over 32 connections for
   30 s — through nginx as deployed, then from gunicorn alone — while an
   editor saves a change every 5 s. Prints
   requests/s, p50/p99/max, errors, whether any request rendered, and how long
   each edit took to reach every PDF that shows it (the worst lag).

    .venv/bin/python bench/pdf.py                  # everything
    .venv/bin/python bench/pdf.py --items 300 --duration 10
    .venv/bin/python bench/pdf.py --no-load        # renders only
    WORKER_NICE=5 .venv/bin/python bench/pdf.py    # task workers under nice
    WORKER_SCHED=other .venv/bin/python bench/pdf.py  # not SCHED_BATCH

It works on a throw-away SQLite database and file cache under bench/out/.
"""

import argparse
import itertools
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
GENERATED_SLUG = "bench-generated"
#: Warm renders of a bundled plan, in the portal and bare: a fifth of a
#: second's render varies by tens of milliseconds from one to the next, and
#: the ratio of two medians of a few would be mostly that.
WARM_REPEATS = 21
CHROMIUM = "/usr/bin/chromium"


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flemingsberg.settings.dev")
    os.environ["DATABASE_URL"] = f"sqlite:///{OUT / 'bench.sqlite3'}"
    os.environ["CACHE_URL"] = f"filecache://{OUT / 'cache'}"
    os.environ["PDF_FILES_DIR"] = str(OUT / "pdfs")
    os.environ["PDF_PUBLISHED_DIR"] = str(OUT / "published")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


def prepare(items):
    """A fresh database with the bundled plans and a generated plan."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    setup_django()
    from django.core.management import call_command

    # The Swedish documents in Swedish: a checkout has the translations only
    # once they are compiled (`make setup` does it; a bare clone has not).
    call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("load_plans", verbosity=0)
    generate_plan(items)


def generate_plan(count):
    from plans.models import ActionItem, FocusArea, Plan, Section
    from stakeholders.models import Organisation

    owner = Organisation.objects.get(name="Stockholms stad")
    plan = Plan.objects.create(
        slug=GENERATED_SLUG,
        title=f"Handlingsplan med {count} åtgärder",
        kind=Plan.Kind.ACTION_PLAN,
        owner=owner,
        start_year=2026,
        end_year=2030,
        status=Plan.Status.ADOPTED,
        is_public=True,
    )
    Section.objects.create(
        plan=plan, order=1, heading="Åtgärder", kind=Section.Kind.ACTION_TABLE
    )
    area = FocusArea.objects.create(plan=plan, code="A", title="Näringsliv")
    # Real rows, repeated: the eight columns of the Söderort table, cycled.
    columns = [
        "title",
        "assignment",
        "commissioned_by",
        "expected_result",
        "schedule",
        "responsible_body",
        "responsible_officer",
        "coordinator",
    ]
    source = list(
        ActionItem.objects.filter(plan__slug="soderort-2030")
        .order_by("order")
        .values(*columns)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            plan=plan,
            focus_area=area,
            code=str(n),
            order=n,
            status=ActionItem.Status.ONGOING,
            progress=n % 100,
            **source[n % len(source)],
        )
        for n in range(1, count + 1)
    )


def child(slug):
    """Measure one plan in this (fresh) process and print JSON."""
    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone, translation
    from pypdf import PdfReader

    from plans.models import Plan
    from plans.services.pdf import data_as_of_text, plan_pdf_html, with_data_as_of
    from plans.services.pdf import render_pdf as portal_render

    translation.activate("sv")
    plan = Plan.objects.get(slug=slug)
    user = AnonymousUser()

    def portal():
        html = with_data_as_of(
            plan_pdf_html(plan, user), data_as_of_text(timezone.now())
        )
        return html, portal_render(html)

    started = time.perf_counter()
    html, pdf = portal()
    cold = time.perf_counter() - started

    # Warm: each round renders with the portal and with the engine alone on
    # the same HTML, in this process: the two are timed on the same machine
    # at the same moment, whatever its speed does meanwhile.
    from weasyprint import HTML

    from plans.services.pdf import BASE_URL, PDF_VARIANT
    from plans.services.pdf_fetcher import static_fetcher

    def bare(html):
        HTML(string=html, base_url=BASE_URL, url_fetcher=static_fetcher()).write_pdf(
            pdf_variant=PDF_VARIANT
        )

    def timed(run, *args):
        started = time.perf_counter()
        result = run(*args)
        return time.perf_counter() - started, result

    bare(html)  # the engine's first run here is not a warm one
    warm_runs, bare_runs, ratios = [], [], []
    repeats = 3 if plan.action_items.count() > 500 else WARM_REPEATS
    for number in range(repeats):
        # Which goes first alternates: neither gains from the other's leftovers.
        if number % 2:
            bare_time, _ = timed(bare, html)
            warm_time, (html, _pdf) = timed(portal)
        else:
            warm_time, (html, _pdf) = timed(portal)
            bare_time, _ = timed(bare, html)
        warm_runs.append(warm_time)
        bare_runs.append(bare_time)
        ratios.append(warm_time / bare_time)

    (OUT / f"{slug}.raw.html").write_text(html, "utf-8")
    html_path = OUT / f"{slug}.html"
    static_root = (ROOT / "static").as_uri() + "/"
    html_path.write_text(html.replace('"/static/', f'"{static_root}'), "utf-8")
    (OUT / f"{slug}.pdf").write_bytes(pdf)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "slug": slug,
                "items": plan.action_items.count(),
                "pages": len(PdfReader(OUT / f"{slug}.pdf").pages),
                "cold": cold,
                "warm": statistics.median(warm_runs),
                "bare_warm": statistics.median(bare_runs),
                "ratio": statistics.median(ratios),
                "peak_mb": peak_mb,
            }
        )
    )


def bare_child(slug):
    """WeasyPrint alone on the portal's finished HTML, in its own fresh process:
    its cold render, and its peak memory over that and three more (the warm
    comparison is made in the portal's process, ``child``)."""
    setup_django()
    from weasyprint import HTML

    from plans.services.pdf import BASE_URL, PDF_VARIANT
    from plans.services.pdf_fetcher import static_fetcher

    html = (OUT / f"{slug}.raw.html").read_text("utf-8")

    def bare():
        HTML(string=html, base_url=BASE_URL, url_fetcher=static_fetcher()).write_pdf(
            pdf_variant=PDF_VARIANT
        )

    started = time.perf_counter()
    bare()
    cold = time.perf_counter() - started
    for _ in range(3):
        bare()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"cold": cold, "peak_mb": peak_mb}))


def chromium_print(slug):
    """Warm Chromium print-to-PDF time of the same finished HTML, or None."""
    if not Path(CHROMIUM).exists():
        return None
    html = (OUT / f"{slug}.html").as_uri()
    runs = []
    with tempfile.TemporaryDirectory() as profile:
        for _ in range(2):  # the first start warms the disk cache
            target = OUT / f"{slug}-chromium.pdf"
            started = time.perf_counter()
            subprocess.run(
                [
                    CHROMIUM,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    f"--user-data-dir={profile}",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={target}",
                    html,
                ],
                capture_output=True,
                check=True,
                timeout=300,
            )
            runs.append(time.perf_counter() - started)
    return runs[-1]


# ---------------------------------------------------------------------------
# Under load: downloads while an editor saves and the workers re-render
# ---------------------------------------------------------------------------

EDITED_SLUG = "handlingsplan-2009"
EDIT_MARK = "Benchmarkändring"
WRK_SCRIPT = """
paths = {%s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def portal_env(**extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "flemingsberg.settings.dev",
        "DATABASE_URL": f"sqlite:///{OUT / 'bench.sqlite3'}",
        "CACHE_URL": f"filecache://{OUT / 'cache'}",
        "PDF_FILES_DIR": str(OUT / "pdfs"),
        "PDF_PUBLISHED_DIR": str(OUT / "published"),
        "DEBUG": "false",
        "SECRET_KEY": "bench-only",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PDF_MAX_CONCURRENT_RENDERS": "2",
        **extra,
    }


class Workers:
    """Task workers (`manage.py db_worker`), each restarted after --max-tasks."""

    def __init__(self, count):
        self.running = True
        self.processes = []
        self.threads = [threading.Thread(target=self.loop) for _ in range(count)]
        for thread in self.threads:
            thread.start()

    def loop(self):
        while self.running:
            process = subprocess.Popen(
                [
                    # As the worker's systemd unit runs it (docs/deployment.md:
                    # CPUSchedulingPolicy=batch): a render takes its share of
                    # the CPU but never preempts a waking web worker.
                    "chrt",
                    f"--{os.environ.get('WORKER_SCHED', 'batch')}",
                    "0",
                    "nice",
                    "-n",
                    os.environ.get("WORKER_NICE", "0"),
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--no-reload",
                    "--interval",
                    "0.2",
                    "--max-tasks",
                    "50",
                    "-v",
                    "0",
                ],
                cwd=ROOT,
                env=portal_env(),
                stdout=subprocess.DEVNULL,
            )
            self.processes.append(process)
            process.wait()

    def stop(self):
        self.running = False
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
        for thread in self.threads:
            thread.join()


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def edits_shown(content):
    """The numbers of the benchmark edits a PDF shows."""
    return {int(n) for n in re.findall(EDIT_MARK + r" (\d+)", pdf_text(content))}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


NGINX = "/usr/sbin/nginx"
PDF_FILES_URL = "/_pdf-files/"
NGINX_CONF = """
worker_processes 1;
daemon off;
pid %(out)s/nginx.pid;
error_log %(out)s/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path %(out)s/nginx-tmp/body;
    proxy_temp_path %(out)s/nginx-tmp/proxy;
    fastcgi_temp_path %(out)s/nginx-tmp/fastcgi;
    uwsgi_temp_path %(out)s/nginx-tmp/uwsgi;
    scgi_temp_path %(out)s/nginx-tmp/scgi;
    upstream flemingsberg { server 127.0.0.1:%(upstream)d; }
    server {
        listen 127.0.0.1:%(port)d;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_redirect off;
        location / {
            proxy_pass http://flemingsberg;
        }
        location @flemingsberg {
            proxy_pass http://flemingsberg;
        }
        %(pdf_files)s
        %(published)s
    }
}
"""


def nginx_conf(port, upstream):
    """nginx in front as docs/deployment.md has it (without TLS), with the
    PDF files location from docs/nginx-pdf-files.conf and the published
    PDFs' locations from `manage.py nginx_published_pdfs`."""
    published = subprocess.run(
        [sys.executable, "manage.py", "nginx_published_pdfs", "--host", "127.0.0.1"],
        cwd=ROOT,
        env=portal_env(PDF_FILES_URL=PDF_FILES_URL),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pdf_files = (ROOT / "docs" / "nginx-pdf-files.conf").read_text()
    pdf_files = pdf_files.replace("/srv/flemingsberg/.cache/pdfs/", f"{OUT / 'pdfs'}/")
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (OUT / "nginx-tmp" / name).mkdir(parents=True, exist_ok=True)
    conf = OUT / "nginx.conf"
    conf.write_text(
        NGINX_CONF
        % {
            "out": OUT,
            "port": port,
            "upstream": upstream,
            "pdf_files": pdf_files,
            "published": published,
        }
    )
    return conf


def wait_until_up(port, path):
    """Up when a worker answers (not when the master listens): every worker
    has booted before the measurement starts."""
    for _ in range(240):
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}{path}", timeout=5
            ) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"nothing answered {path} on port {port}")


def under_load(duration, connections, fronts):
    setup_django()
    from plans.models import Plan, RenderedDocument
    from plans.services.stored_pdfs import prepare_documents

    count = prepare_documents(Plan.objects.all())
    print(f"\n== under load: {count} documents, 2 task workers")
    workers = Workers(2)
    started = time.monotonic()
    while RenderedDocument.objects.exclude(status="ready").exists():
        if time.monotonic() - started > 1800:
            raise SystemExit("the documents were not rendered in 30 minutes")
        time.sleep(1)
    print(f"   every document rendered in {time.monotonic() - started:.0f} s")
    paths = [
        f"{prefix}/plans/{slug}/{kind}"
        for prefix in ("", "/en")
        for slug in (
            "verksamhetsplan-2009-2011",
            EDITED_SLUG,
            "soderort-2030",
            GENERATED_SLUG,
        )
        for kind in ("pdf/", "report/pdf/")
    ]
    script = OUT / "paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    edits = itertools.count(1)
    try:
        for front in fronts:
            one_front(front, duration, connections, paths, script, edits)
    finally:
        workers.stop()
    from django_tasks_db.models import DBTaskResult

    outcomes = [
        result["outcome"]
        for result in DBTaskResult.objects.filter(status="SUCCESSFUL").values_list(
            "return_value", flat=True
        )
    ]
    print(
        f"\n   renders in all: {outcomes.count('rendered')} in the task workers, "
        f"{outcomes.count('shared')} taken from a twin with the same HTML "
        f"({outcomes.count('unchanged')} checks found nothing to render), "
        "none on a request path (requests only read the stored PDF)"
    )


def one_front(front, duration, connections, paths, script, edits):
    """wrk against gunicorn alone ("gunicorn") or through nginx ("nginx",
    which then sends the PDF files), while the editor saves every 5 s."""
    from django.db import transaction

    from plans.models import ActionItem, RenderedDocument

    port = free_port()
    extra = {"PDF_FILES_URL": PDF_FILES_URL} if front == "nginx" else {}
    processes = [
        subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "/dev/null",
                "flemingsberg.wsgi",
            ],
            cwd=ROOT,
            env=portal_env(**extra),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    target = port
    if front == "nginx":
        target = free_port()
        processes.append(
            subprocess.Popen(
                [
                    NGINX,
                    "-e",
                    str(OUT / "nginx-error.log"),
                    "-c",
                    str(nginx_conf(target, port)),
                ],
                stdout=subprocess.DEVNULL,
            )
        )
    wait_until_up(target, paths[0])
    time.sleep(5)

    # The documents that show the edited item: the plan's (plan and report,
    # both languages, public and members') and its parent's plan document.
    item = ActionItem.objects.get(plan__slug=EDITED_SLUG, code="1.1")
    watched = list(
        (
            RenderedDocument.objects.filter(plan__slug=EDITED_SLUG)
            | RenderedDocument.objects.filter(
                plan__slug="verksamhetsplan-2009-2011", kind="plan"
            )
        ).select_related("plan")
    )
    saved = {}  # number -> time saved
    reached = {}  # (document, number) -> time first seen
    stop = threading.Event()

    def editor():
        while not stop.is_set():
            number = next(edits)
            with transaction.atomic():
                item.title = f"{EDIT_MARK} {number}"
                item.save()
            saved[number] = time.monotonic()
            stop.wait(5)

    def watcher():
        seen = {}
        newest_of = {}  # checksum -> the newest edit its PDF shows
        pks = [document.pk for document in watched]
        while not stop.is_set() or len(reached) < len(watched) * len(saved):
            # The checksums first, the bytes only of a PDF that changed: the
            # watcher should take as little as it can from the machine.
            checksums = dict(
                RenderedDocument.objects.filter(pk__in=pks).values_list("pk", "sha256")
            )
            for document in watched:
                sha256 = checksums.get(document.pk)
                if sha256 is None or seen.get(document.pk) == sha256:
                    continue
                if sha256 not in newest_of:  # twins share a PDF: read it once
                    content = (
                        RenderedDocument.objects.filter(pk=document.pk, sha256=sha256)
                        .values_list("content", flat=True)
                        .first()
                    )
                    if content is None:
                        continue
                    newest_of[sha256] = max(edits_shown(bytes(content)), default=0)
                seen[document.pk] = sha256
                now = time.monotonic()
                newest = newest_of[sha256]
                for number in saved:
                    if number <= newest:
                        reached.setdefault((document.pk, number), now)
            if stop.is_set() and time.monotonic() - stopped[0] > 120:
                break
            time.sleep(0.3)

    stopped = [0.0]
    threads = [threading.Thread(target=editor), threading.Thread(target=watcher)]
    for thread in threads:
        thread.start()
    wrk = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{target}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stopped[0] = time.monotonic()
    stop.set()
    for thread in threads:
        thread.join()
    newest = newest_served(target, paths)
    for process in reversed(processes):
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)

    sys.path.insert(0, str(ROOT / "bench"))
    from wrk_report import parse

    figures = parse(wrk)
    latency_max = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", wrk)
    lags = []
    for number, when in saved.items():
        times = [reached.get((document.pk, number)) for document in watched]
        lags.append(None if None in times else max(times) - when)
    # Per edit, how long each kind of document took (the slowest of its
    # versions): where the worst lag comes from.
    by_kind = {}
    for document in watched:
        name = f"{document.plan.slug[:14]} {document.kind} {document.language}"
        for number, when in saved.items():
            if (document.pk, number) in reached:
                lag = reached[(document.pk, number)] - when
                by_kind.setdefault(name, []).append(lag)
    worst = max((lag for lag in lags if lag is not None), default=float("nan"))
    missing = sum(1 for lag in lags if lag is None)
    print(
        f"\n   {FRONTS[front]}\n"
        f"   wrk: {connections} connections, {duration} s, {len(paths)} PDF URLs"
    )
    print(
        f"   {figures['requests']} requests, {figures['rps']:.0f} requests/s, "
        f"p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms, "
        f"max {latency_max[1] if latency_max else '?'}"
    )
    print(
        f"   errors: {figures['non_2xx']} non-2xx, "
        f"{figures['socket_errors']} socket errors"
    )
    print(f"   after the load, {newest} of {len(paths)} URLs send the newest PDF")
    print(
        f"   edits: {len(saved)}, every one shown by all {len(watched)} documents "
        f"that show it: worst lag {worst:.1f} s"
        + (f" ({missing} not reached within 120 s)" if missing else "")
    )
    print(
        "   lag per document (median / max s): "
        + "; ".join(
            f"{name} {statistics.median(values):.0f}/{max(values):.0f}"
            for name, values in sorted(by_kind.items())
        )
    )


def newest_served(port, paths):
    """How many of ``paths`` the front on ``port`` answers with the newest
    PDF stored for it (the public version)."""
    import hashlib

    from plans.models import RenderedDocument

    count = 0
    for path in paths:
        match = re.fullmatch(r"(/en)?/plans/([^/]+)/(report/)?pdf/", path)
        newest = RenderedDocument.objects.get(
            plan__slug=match[2],
            kind="report" if match[3] else "plan",
            language="en" if match[1] else "sv",
            visibility="public",
            since=None,
        ).sha256
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:
            count += hashlib.sha256(response.read()).hexdigest() == newest
    return count


FRONTS = {
    "nginx": "nginx in front, as deployed (docs/deployment.md): nginx sends "
    "the published public PDFs itself; what it passes on, the portal answers "
    "with X-Accel-Redirect",
    "gunicorn": "gunicorn alone: the portal sends the PDF bytes itself",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-load", action="store_true")
    parser.add_argument("--no-renders", action="store_true")
    parser.add_argument(
        "--front",
        choices=["both", *FRONTS],
        default="both",
        help="what the load goes through (both: nginx, then gunicorn alone)",
    )
    parser.add_argument("--child")
    parser.add_argument("--bare")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if args.bare:
        bare_child(args.bare)
        return

    prepare(args.items)
    if not args.no_renders:
        renders()
    if not args.no_load:
        fronts = list(FRONTS) if args.front == "both" else [args.front]
        if "nginx" in fronts and not Path(NGINX).exists():
            raise SystemExit(
                f"{NGINX} is missing: apt-get install nginx-light, "
                "or measure gunicorn alone with --front gunicorn"
            )
        under_load(args.duration, args.connections, fronts)


def renders():
    slugs = [
        "verksamhetsplan-2009-2011",
        "handlingsplan-2009",
        "soderort-2030",
        GENERATED_SLUG,
    ]

    def run(flag, slug):
        output = subprocess.run(
            [sys.executable, __file__, flag, slug],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])

    rows = []
    for slug in slugs:
        row = run("--child", slug)
        bare = run("--bare", slug)
        row.update(bare_cold=bare["cold"], bare_peak=bare["peak_mb"])
        rows.append(row)

    header = (
        f"{'plan':28} {'items':>5} {'pages':>5} {'cold s':>7} {'warm s':>7} "
        f"{'bare cold':>9} {'bare s':>7} {'warm/bare':>9} {'peak MB':>8} "
        f"{'bare MB':>8} {'chromium s':>10}"
    )
    print("== renders")
    print(header)
    print("-" * len(header))
    for row in rows:
        chromium = chromium_print(row["slug"])
        print(
            f"{row['slug']:28} {row['items']:>5} {row['pages']:>5} "
            f"{row['cold']:>7.2f} {row['warm']:>7.2f} {row['bare_cold']:>9.2f} "
            f"{row['bare_warm']:>7.2f} {row['ratio']:>9.2f} "
            f"{row['peak_mb']:>8.0f} {row['bare_peak']:>8.0f} "
            + (f"{chromium:>10.2f}" if chromium else f"{'n/a':>10}")
        )
    print()
    print(
        "cold: first render in a fresh process; warm: median of later renders "
        f"({WARM_REPEATS}; 3 for the 1 000-item plan) (template + WeasyPrint + "
        "table tags); bare: WeasyPrint alone on the same finished HTML, cold in "
        "its own fresh process, warm next to each of the portal's warm renders "
        "in the portal's process (in turn before and after); warm/bare: the "
        "median of those "
        "rounds' ratios; peak/bare MB: max RSS of the portal / bare process."
    )


if __name__ == "__main__":
    main()
