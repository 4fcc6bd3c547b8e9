"""Template context shared by every page."""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    ("plans:plan-list", _("Plans")),
    ("plans:actionitem-list", _("Actions")),
    ("plans:dashboard", pgettext_lazy("main navigation", "Progress overview")),
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
    return {"main_navigation": items}


def other_languages(request):
    """The same page in each other language, as plain links: a page cached for
    every visitor carries no CSRF token, so the switch is not a form."""
    current = get_language()
    path = request.get_full_path()
    return {
        "other_languages": [
            {"code": code, "url": translate_url(path, code)}
            for code, _name in settings.LANGUAGES
            if code != current
        ]
    }
