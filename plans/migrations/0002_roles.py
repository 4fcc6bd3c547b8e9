from django.db import migrations

from plans.roles import apply_roles, remove_roles


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("stakeholders", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(apply_roles, remove_roles)]
