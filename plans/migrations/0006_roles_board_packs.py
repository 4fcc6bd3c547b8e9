from django.db import migrations

from plans.roles import apply_roles


def noop(apps, schema_editor):
    """Going back keeps the groups; 0002 removes them."""


class Migration(migrations.Migration):
    """Refresh the roles: permissions for decisions and board packs."""

    dependencies = [
        ("plans", "0005_meetings_board_packs_funding_stages"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(apply_roles, noop)]
