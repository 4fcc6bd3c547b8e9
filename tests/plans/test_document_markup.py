"""Action items written in one pass: the plan document's list and table, the
progress report and an organisation's items show the markup the template loops
showed, with one "Late" rule; the Markdown of a plan is rendered once per text.
"""

from django.utils import translation
from django.utils.safestring import SafeString

from plans.templatetags.plan_documents import (
    MARKDOWN_CACHE_SIZE,
    _render_markdown,
    render_markdown,
)

# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def test_markdown_is_rendered_once_per_text_and_level_as_safe_html():
    text = "Ett **unikt** stycke för cachetestet."
    first = render_markdown(text)
    assert isinstance(first, SafeString)
    assert render_markdown(text) is first
    assert render_markdown(text, top_level=4) == first  # no heading: same HTML
    assert render_markdown("### Rubrik", 4) == "<h4>Rubrik</h4>"
    assert render_markdown("### Rubrik", 3) == "<h3>Rubrik</h3>"


def test_markdown_does_not_depend_on_the_active_language():
    text = "Text med [länk](https://example.org) och *kursiv* 12 345,5."
    with translation.override("en"):
        english = render_markdown(text)
    _render_markdown.cache_clear()
    with translation.override("sv"):
        swedish = render_markdown(text)
    assert english == swedish
    assert "lang=" not in swedish


def test_markdown_cache_is_bounded():
    info = _render_markdown.cache_info()
    assert info.maxsize == MARKDOWN_CACHE_SIZE == 4096
    assert info.currsize <= info.maxsize
