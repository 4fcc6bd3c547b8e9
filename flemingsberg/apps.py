from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class FlemingsbergConfig(AppConfig):
    name = "flemingsberg"
    verbose_name = _("Flemingsberg portal")
    default = True


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site (``flemingsberg.admin``)."""

    default = False
    default_site = "flemingsberg.admin.PortalAdminSite"


class TaskQueueConfig(TasksAppConfig):
    """django-tasks-db's app under a name in the portal's language (its own
    is a fixed English string)."""

    default = False
    verbose_name = _("Task queue")
