"""Template context shared by every page."""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# Each language is named in itself.
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}

NAVIGATION = [
    ("plans:plan-list", _("Plans")),
    ("plans:actionitem-list", _("Action items")),
    ("plans:dashboard", pgettext_lazy("dashboard", "Progress")),
    ("plans:indicator-list", _("Indicators")),
    ("plans:organisation-list", _("Stakeholders")),
    ("plans:governingbody-list", _("Organisation")),
]


def navigation(request):
    """The main navigation, with the section the visitor is in marked current."""
    items = []
    for name, label in NAVIGATION:
        url = reverse(name)
        items.append(
            {"url": url, "label": label, "current": request.path.startswith(url)}
        )
    return {
        "main_navigation": items,
        "language_switch": _language_switch(request),
        "lang_sv": _swedish_content(),
    }


def _swedish_content():
    """`` lang="sv"`` for an element holding stored text (titles, names, plan
    text: all written in Swedish) on a page in another language (WCAG 3.1.2);
    nothing on a Swedish page. Used as ``<h1{{ lang_sv }}>``."""
    return "" if get_language() == "sv" else mark_safe(' lang="sv"')


def _language_switch(request):
    """The same page in the other languages: a plain link, so that a page cached
    for everyone carries no CSRF token (the URL prefix sets the language)."""
    path = request.get_full_path()
    current = get_language()
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, name),
            "url": translate_url(path, code),
        }
        for code, name in settings.LANGUAGES
        if code != current
    ]


def other_languages(request):
    """The same page in each other language (``other_languages``): the
    language switch of base.html as ``language_switch`` (see ``navigation``)."""
    return {"other_languages": _language_switch(request)}
