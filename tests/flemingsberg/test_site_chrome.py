"""What every page carries: the language link, the fonts, the favicon, the
menu; Swedish content marked as such under /en/; one English date format."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import formats, translation

from plans.models import ActionItem

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == settings.STATIC_URL + "img/favicon.ico"
    assert finders.find("img/favicon.ico")
    assert finders.find("img/favicon.svg")


def test_the_other_language_is_a_link_to_the_same_page(client):
    link = '<a class="lang-switch" href="{}" hreflang="{}"'
    html = client.get("/actions/?status=done").content.decode()
    assert link.format("/en/actions/?status=done", "en") in html
    html = client.get("/en/actions/?status=done").content.decode()
    assert link.format("/actions/?status=done", "sv") in html
    assert 'name="csrfmiddlewaretoken"' not in html  # nothing per visitor


def test_the_main_fonts_are_preloaded_woff2_files_of_under_30_kb(client):
    html = client.get("/").content.decode()
    preloaded = re.findall(r'<link rel="preload" href="([^"]+)" as="font"', html)
    assert preloaded == [
        settings.STATIC_URL + "fonts/Lato-Regular.woff2",
        settings.STATIC_URL + "fonts/Lato-Bold.woff2",
    ]
    for name in ("Regular", "Italic", "Semibold", "Bold", "BoldItalic"):
        path = finders.find(f"fonts/Lato-{name}.woff2")
        with open(path, "rb") as font:
            data = font.read()
        assert data[:4] == b"wOF2"
        assert len(data) < 30_000, (name, len(data))


def test_the_menu_is_a_details_element_with_the_current_section(client):
    html = client.get(reverse("plans:dashboard")).content.decode()
    menu = html[html.index('<details class="wrap site-menu">') :]
    menu = menu[: menu.index("</details>")]
    assert '<summary class="site-menu__toggle">Meny' in menu
    assert 'class="site-menu__current"> · Lägesbild' in menu
    assert menu.count("<li>") == 6


def test_english_pages_mark_stored_swedish_text(client, bundled_plans):
    item = ActionItem.objects.get(plan__slug="handlingsplan-2009", code="1.1")
    url = item.get_absolute_url()
    english = client.get(f"/en{url}").content.decode()
    assert '<h1 class="item-header__title" lang="sv">' in english
    assert '<html lang="en">' in english
    swedish = client.get(url).content.decode()
    assert '<h1 class="item-header__title">' in swedish


def test_english_has_one_date_format():
    day = datetime.date(2026, 12, 7)
    with translation.override("en"):
        assert formats.date_format(day) == "7 December 2026"
    with translation.override("sv"):
        assert formats.date_format(day) == "7 december 2026"
