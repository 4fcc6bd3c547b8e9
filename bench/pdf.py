"""Benchmark of the PDF pipeline. Prints figures; asserts nothing.

For each bundled plan and for a generated plan with 1 000 action items:
pages, render time cold (first render in a fresh process) and warm (second
render), bare WeasyPrint on the same finished HTML (the engine alone, measured in
the same process right after), the portal/engine ratio, a cached download through
the full Django stack, the peak memory of the rendering process and, where
/usr/bin/chromium is installed, Chromium's print-to-PDF of the same HTML.

    .venv/bin/python bench/pdf.py            # all plans
    .venv/bin/python bench/pdf.py --items 300

It works on a throw-away SQLite database and file cache under bench/out/.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
GENERATED_SLUG = "bench-generated"
CHROMIUM = "/usr/bin/chromium"


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flemingsberg.settings.dev")
    os.environ["DATABASE_URL"] = f"sqlite:///{OUT / 'bench.sqlite3'}"
    os.environ["CACHE_URL"] = f"filecache://{OUT / 'cache'}"
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
    from pypdf import PdfReader

    from plans.models import Plan
    from plans.services.pdf import plan_pdf_html
    from plans.services.pdf import render_pdf as portal_render

    plan = Plan.objects.get(slug=slug)
    user = AnonymousUser()

    def portal():
        html = plan_pdf_html(plan, user)
        return html, portal_render(html)

    started = time.perf_counter()
    html, pdf = portal()
    cold = time.perf_counter() - started

    warm_runs = []
    repeats = 1 if plan.action_items.count() > 500 else 3
    for _ in range(repeats):
        started = time.perf_counter()
        portal()
        warm_runs.append(time.perf_counter() - started)

    (OUT / f"{slug}.raw.html").write_text(html, "utf-8")
    html_path = OUT / f"{slug}.html"
    static_root = (ROOT / "static").as_uri() + "/"
    html_path.write_text(html.replace('"/static/', f'"{static_root}'), "utf-8")
    (OUT / f"{slug}.pdf").write_bytes(pdf)
    # The largest of this process and its rendering subprocesses.
    peak_mb = (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )
    print(
        json.dumps(
            {
                "slug": slug,
                "items": plan.action_items.count(),
                "pages": len(PdfReader(OUT / f"{slug}.pdf").pages),
                "cold": cold,
                "warm": statistics.median(warm_runs),
                "peak_mb": peak_mb,
            }
        )
    )


def bare_child(slug):
    """WeasyPrint alone on the portal's finished HTML, in its own fresh process:
    the same cold-then-warm sequence as the portal, without Django's part."""
    setup_django()
    from weasyprint import HTML

    from plans.services.pdf import BASE_URL, PDF_VARIANT, static_fetcher

    html = (OUT / f"{slug}.raw.html").read_text("utf-8")

    def bare():
        HTML(string=html, base_url=BASE_URL, url_fetcher=static_fetcher()).write_pdf(
            pdf_variant=PDF_VARIANT
        )

    started = time.perf_counter()
    bare()
    cold = time.perf_counter() - started
    runs = []
    repeats = 1 if len(html) > 500_000 else 3
    for _ in range(repeats):
        started = time.perf_counter()
        bare()
        runs.append(time.perf_counter() - started)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps({"cold": cold, "warm": statistics.median(runs), "peak_mb": peak_mb})
    )


def cached_download(slugs):
    """Median time of a cached PDF download through the whole Django stack."""
    setup_django()
    from django.test import Client

    client = Client()
    results = {}
    for slug in slugs:
        url = f"/plans/{slug}/pdf/"
        first = client.get(url, HTTP_HOST="localhost")  # fills the cache
        assert first.status_code == 200, (slug, first.status_code)
        runs = []
        for _ in range(9):
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST="localhost")
            runs.append(time.perf_counter() - started)
            assert response["X-PDF-Cache"] == "hit"
        results[slug] = statistics.median(runs)
    return results


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
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
        row.update(bare_cold=bare["cold"], bare=bare["warm"], bare_peak=bare["peak_mb"])
        rows.append(row)
    downloads = cached_download(slugs)

    header = (
        f"{'plan':28} {'items':>5} {'pages':>5} {'cold s':>7} {'warm s':>7} "
        f"{'bare s':>7} {'warm/bare':>9} {'cached ms':>9} {'peak MB':>8} "
        f"{'bare MB':>8} "
        f"{'chromium s':>10} {'chromium/cached':>15}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        slug = row["slug"]
        chromium = chromium_print(slug)
        cached = downloads[slug]
        print(
            f"{slug:28} {row['items']:>5} {row['pages']:>5} {row['cold']:>7.2f} "
            f"{row['warm']:>7.2f} {row['bare']:>7.2f} "
            f"{row['warm'] / row['bare']:>9.2f} {cached * 1000:>9.1f} "
            f"{row['peak_mb']:>8.0f} {row['bare_peak']:>8.0f} "
            + (
                f"{chromium:>10.2f} {chromium / cached:>14.0f}x"
                if chromium
                else f"{'n/a':>10} {'n/a':>15}"
            )
        )
    print()
    print(
        "cold: first render in a fresh process; warm: median of later renders "
        "(template + WeasyPrint); bare: WeasyPrint alone on the same finished HTML, "
        "warm, in its own fresh process; cached: median full-stack download from "
        "the file cache; peak/bare MB: max RSS of the portal / bare process."
    )


if __name__ == "__main__":
    main()
