"""The meeting tables get the plans app's names, the constraint too, and the
content types (with their permissions and admin log) move to plans."""

from django.db import migrations, models

from plans.roles import apply_roles


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("meeting", "historicalmeeting"):
        old = ContentType.objects.filter(app_label="stakeholders", model=model)
        if not old.exists():
            continue
        ContentType.objects.filter(app_label="plans", model=model).delete()
        old.update(app_label="plans")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="plans", model__in=["meeting", "historicalmeeting"]
    ).update(app_label="stakeholders")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("plans", "0010_meeting_moves_to_plans"),
        ("stakeholders", "0002_meeting_moves_to_plans"),
    ]

    operations = [
        migrations.AlterModelTable(name="meeting", table=None),
        migrations.AlterModelTable(name="historicalmeeting", table=None),
        migrations.RemoveConstraint(
            model_name="meeting",
            name="stakeholders_meeting_unique_per_body_date_title",
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.UniqueConstraint(
                fields=("body", "date", "title"),
                name="plans_meeting_unique_per_body_date_title",
            ),
        ),
        migrations.RunPython(move_content_types, restore_content_types),
        migrations.RunPython(apply_roles, migrations.RunPython.noop),
    ]
