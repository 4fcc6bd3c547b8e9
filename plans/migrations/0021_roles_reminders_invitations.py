from django.db import migrations

from plans.roles import apply_roles


def noop(apps, schema_editor):
    """Going back keeps the groups; 0002 removes them."""


class Migration(migrations.Migration):
    """Refresh the roles: permissions for sent reminders and for inviting readers."""

    dependencies = [
        ("plans", "0020_versions"),
        ("stakeholders", "0004_person_invite_reader"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(apply_roles, noop)]
