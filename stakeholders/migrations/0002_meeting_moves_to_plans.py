"""Meetings now belong to the plans app (plans 0010 and 0011): the free-text
decisions were copied into decision rows there and go; the model leaves this
app's state while its table stays for plans to rename."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("stakeholders", "0001_initial"),
        ("plans", "0010_meeting_moves_to_plans"),
    ]

    operations = [
        migrations.RemoveField(model_name="meeting", name="decisions"),
        migrations.RemoveField(model_name="historicalmeeting", name="decisions"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalMeeting"),
                migrations.DeleteModel(name="Meeting"),
            ],
            database_operations=[],
        ),
    ]
