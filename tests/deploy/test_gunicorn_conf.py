"""The gunicorn settings' own logic (gunicorn.conf.py)."""

import logging
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def worker():
    return SimpleNamespace(alive=True, pid=1, log=logging.getLogger("gunicorn"))


def test_a_worker_that_rendered_a_pdf_is_replaced_after_the_request():
    settings = runpy.run_path(str(CONF))
    # A web worker that has never rendered (WeasyPrint not imported) goes on.
    code = (
        "import runpy, sys, types, logging\n"
        f"s = runpy.run_path({str(CONF)!r})\n"
        "w = types.SimpleNamespace(alive=True, pid=1, log=logging.getLogger())\n"
        "s['post_request'](w, None, {}, None)\n"
        "assert 'weasyprint' not in sys.modules\n"
        "print(w.alive)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"

    import weasyprint  # noqa: F401  (what a render in the request imports)

    rendered = worker()
    settings["post_request"](rendered, None, {}, None)
    assert rendered.alive is False


def test_workers_are_otherwise_replaced_only_after_many_requests():
    settings = runpy.run_path(str(CONF))
    assert settings["max_requests"] >= 50_000
    assert 0 < settings["max_requests_jitter"] <= settings["max_requests"] // 10


def test_a_worker_loads_the_views_and_freezes_them_before_its_first_request():
    code = (
        "import gc, logging, os, runpy, sys, types\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'flemingsberg.settings.test'\n"
        "import django; django.setup()\n"
        f"s = runpy.run_path({str(CONF)!r})\n"
        "assert 'plans.views' not in sys.modules\n"
        "s['post_worker_init'](types.SimpleNamespace(log=logging.getLogger()))\n"
        "print('plans.views' in sys.modules, gc.get_freeze_count() > 10000)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=CONF.parent,
    )
    assert result.stdout.split() == ["True", "True"]
