"""Browser print (print.css) of the page types people print before a meeting:
the content only, every table whole on the paper, in landscape where the
tables are wide; and the PDF a browser makes of it."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# An A4 page in landscape less print.css's margins, in CSS pixels.
LANDSCAPE_WIDTH = 1030
PORTRAIT_WIDTH = 700
CUT_TABLES = """
[...document.querySelectorAll('table')]
  .filter(t => t.getBoundingClientRect().width > 0)
  .filter(t => t.getBoundingClientRect().right > innerWidth + 1
            || (t.parentElement.scrollWidth > t.parentElement.clientWidth + 1))
  .map(t => (t.querySelector('caption') || t).textContent.trim().slice(0, 60))
"""
SCREEN_ONLY = ".site-header, .site-nav, .site-footer, form, .breadcrumbs"


@pytest.mark.parametrize(
    ("url_name", "width", "landscape", "headings"),
    [
        ("plans:dashboard", LANDSCAPE_WIDTH, True, ["Uppdatering försenad"]),
        ("plans:actionitem-list", LANDSCAPE_WIDTH, True, ["Senaste uppdatering"]),
        ("plans:home", PORTRAIT_WIDTH, False, []),
    ],
)
def test_a_printed_page_is_the_content_whole(
    new_page, live_server, bundled_plans, url_name, width, landscape, headings
):
    page = new_page(width=width, height=900)
    page.goto(live_server.url + reverse(url_name))
    page.emulate_media(media="print")

    visible = page.evaluate(
        f"[...document.querySelectorAll({SCREEN_ONLY!r})]"
        ".filter(e => e.getClientRects().length).map(e => e.className)"
    )
    assert visible == [], f"printed: {visible}"
    assert page.evaluate(CUT_TABLES) == []
    sort_arrows = page.evaluate(
        "[...document.querySelectorAll('.sort-link')]"
        ".map(e => getComputedStyle(e, '::after').content)"
        ".filter(c => c !== 'none')"
    )
    assert sort_arrows == []

    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    box = pdf.pages[0].mediabox
    assert (box.width > box.height) is landscape, box
    text = " ".join(p.extract_text() for p in pdf.pages)
    # A heading may wrap inside its column: compare with line breaks as spaces.
    words = " ".join(text.split())
    for heading in headings:
        assert heading in words
    for screen_text in ("Logga in", "Till innehållet", "Meny", "Om webbplatsen"):
        assert screen_text not in text
