"""Crawl the public pages of the database in DATABASE_URL; write them as JSON.

    DATABASE_URL=... python -m tests.deploy.crawl OUT.json

Runs in its own process, so that each database is read by a fresh Django with
its own connection and an empty local-memory cache (nothing read from one
database can be served again for the other). Writes the row count of every
model and, per URL, the status, content type, redirect target and the
normalised body.
"""

import json
import os
import sys


def main(out):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flemingsberg.settings.test")
    import django

    django.setup()
    from django.apps import apps
    from django.test import Client
    from django.utils import translation

    from tests.deploy.pages import body_text, crawl, normalise

    counts = {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }
    client = Client()

    def fetch(url):
        response = client.get(url)
        translation.activate("sv")
        content_type = response.get("Content-Type", "")
        return {
            "status": response.status_code,
            "content_type": content_type,
            "location": response.get("Location", ""),
            "body": normalise(body_text(response.content, content_type)),
        }

    pages = crawl(fetch)
    with open(out, "w", encoding="utf-8") as file:
        json.dump({"counts": counts, "pages": pages}, file, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
