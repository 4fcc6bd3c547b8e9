"""Template context shared by every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
