from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlemingsbergConfig(AppConfig):
    name = "flemingsberg"
    verbose_name = _("Flemingsberg portal")
