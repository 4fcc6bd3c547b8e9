"""The portal's roles as groups with permissions, applied by data migrations.

Kept outside the migration so a later migration that adds models or permissions
can apply the same rule again (``apply_roles``) and the groups stay complete.

- Editor (the development director): every permission on the plans and
  stakeholders data: add, change, delete and view of every model and of its
  history, importing and exporting action items, and ``plans.view_internal``.
- Reader (steering and management groups): view only, in the admin and on the
  public pages (``view_*``, which includes ``plans.view_internal``).
- Users and groups are administered by superusers only; neither role holds any
  ``auth`` permission.
"""

from flemingsberg.permissions import EDITOR_GROUP, READER_GROUP

DOMAIN_APPS = ("plans", "stakeholders")


def apply_roles(apps, schema_editor=None):
    """Create or refresh the editor and reader groups and their permissions."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # A migration's app configs have no models module, and
        # create_permissions() skips those; lend one for the call only, so
        # that the real app registry (tests pass it too) is left as it was.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    domain = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)

    editor, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    editor.permissions.set(domain)

    reader, _ = Group.objects.get_or_create(name=READER_GROUP)
    reader.permissions.set(domain.filter(codename__startswith="view_"))


def remove_roles(apps, schema_editor=None):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[EDITOR_GROUP, READER_GROUP]).delete()
