from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class FlemingsbergConfig(AppConfig):
    name = "flemingsberg"
    verbose_name = _("Flemingsberg portal")
    default = True


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site (``flemingsberg.admin``)."""

    default = False
    default_site = "flemingsberg.admin.PortalAdminSite"
