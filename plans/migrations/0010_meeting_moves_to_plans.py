"""Meetings move from stakeholders to plans, beside their decisions and board
packs, and keep one kind of decision: a meeting's free-text "decisions" become
decision rows. The tables are the old ones here; 0011 renames them once the
stakeholders app has let go of the model (stakeholders 0002)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import Max


def decisions_text_to_rows(apps, schema_editor):
    """Each meeting's "decisions" text becomes a decision row after its others."""
    Meeting = apps.get_model("stakeholders", "Meeting")
    MeetingDecision = apps.get_model("plans", "MeetingDecision")
    for meeting in Meeting.objects.exclude(decisions=""):
        last = MeetingDecision.objects.filter(meeting_id=meeting.pk).aggregate(
            last=Max("order")
        )["last"]
        MeetingDecision.objects.create(
            meeting_id=meeting.pk,
            order=0 if last is None else last + 1,
            text=meeting.decisions.strip(),
        )


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0009_actionupdate_newest_index'),
        ('stakeholders', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(decisions_text_to_rows, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalMeeting',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('agenda', models.TextField(blank=True, verbose_name='agenda')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('is_public', models.BooleanField(default=True, verbose_name='public')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('body', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='stakeholders.governingbody', verbose_name='governing body')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical meeting',
                        'verbose_name_plural': 'historical meetings',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'db_table': 'stakeholders_historicalmeeting',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Meeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('agenda', models.TextField(blank=True, verbose_name='agenda')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('is_public', models.BooleanField(default=True, verbose_name='public')),
                        ('body', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='stakeholders.governingbody', verbose_name='governing body')),
                    ],
                    options={
                        'verbose_name': 'meeting',
                        'verbose_name_plural': 'meetings',
                        'ordering': ['-date', 'body'],
                        'get_latest_by': 'date',
                        'db_table': 'stakeholders_meeting',
                    },
                ),
                migrations.AlterField(
                    model_name='boardpack',
                    name='meeting',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='board_pack', to='plans.meeting', verbose_name='meeting'),
                ),
                migrations.AlterField(
                    model_name='historicalmeetingdecision',
                    name='meeting',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.meeting', verbose_name='meeting'),
                ),
                migrations.AlterField(
                    model_name='meetingdecision',
                    name='meeting',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decision_items', to='plans.meeting', verbose_name='meeting'),
                ),
                migrations.AddConstraint(
                    model_name='meeting',
                    constraint=models.UniqueConstraint(fields=('body', 'date', 'title'), name='stakeholders_meeting_unique_per_body_date_title'),
                ),
            ],
            database_operations=[],
        ),
    ]
