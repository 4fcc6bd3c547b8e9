"""Settings for bench/load.sh: production settings plus the reference view.

The reference view (bench/urls.py) is the floor the load test compares the
action browser with; it is not part of the portal's URL map.
"""

from flemingsberg.settings.production import *  # noqa: F403
from flemingsberg.settings.production import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}
]
