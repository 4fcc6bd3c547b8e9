"""`manage.py update_reminders`: which items are due, one digest per person,
unassigned items printed only, --email through Django's email backend."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from plans.models import ActionItem, Plan
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def run(*args):
    out = io.StringIO()
    call_command("update_reminders", "--date", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def item(plan, title, *, created_days_ago, updated_days_ago=None, **kwargs):
    """An item created and (optionally) last updated that many days before TODAY."""
    action = factories.ActionItemFactory(plan=plan, title=title, **kwargs)
    created = timezone.make_aware(
        datetime.datetime.combine(
            TODAY - datetime.timedelta(days=created_days_ago), datetime.time(12)
        )
    )
    ActionItem.objects.filter(pk=action.pk).update(created_at=created)
    if updated_days_ago is not None:
        factories.ActionUpdateFactory(
            item=action,
            date=TODAY - datetime.timedelta(days=updated_days_ago),
            is_public=kwargs.get("is_public", True),
        )
    return action


@pytest.fixture
def people():
    return {
        "anna": factories.PersonFactory(name="Anna Andersson", email="anna@example.se"),
        "bo": factories.PersonFactory(name="Bo Berg", email="bo@example.se"),
        "no_email": factories.PersonFactory(name="Cecilia Utan E-post"),
    }


@pytest.fixture
def plan():
    return factories.PlanFactory(title="Handlingsplan 2026", contact="Tina, kansliet")


class TestSelection:
    def test_due_by_the_interval_since_the_latest_update(self, plan, people):
        anna = people["anna"]
        item(
            plan,
            "Uppdaterad för länge sedan",
            created_days_ago=300,
            updated_days_ago=61,
            responsible_person=anna,
        )
        item(
            plan,
            "Due i dag",
            created_days_ago=300,
            updated_days_ago=60,
            responsible_person=anna,
        )
        item(
            plan,
            "Nyligen uppdaterad",
            created_days_ago=300,
            updated_days_ago=59,
            responsible_person=anna,
        )
        output = run()
        assert "Uppdaterad för länge sedan" in output
        assert "Due i dag" in output
        assert "Nyligen uppdaterad" not in output

    def test_without_an_update_due_from_the_day_it_was_created(self, plan, people):
        item(
            plan,
            "Aldrig rapporterad",
            created_days_ago=61,
            responsible_person=people["anna"],
        )
        item(plan, "Ny åtgärd", created_days_ago=10, responsible_person=people["anna"])
        output = run()
        assert "Aldrig rapporterad" in output
        assert "Ny åtgärd" not in output

    def test_the_plan_sets_the_interval(self, people):
        monthly = factories.PlanFactory(update_interval_days=30)
        item(
            monthly,
            "Månadsrapport",
            created_days_ago=31,
            responsible_person=people["anna"],
        )
        assert "Månadsrapport" in run()

    def test_done_cancelled_and_archived_items_are_left_out(self, plan, people):
        anna = people["anna"]
        item(
            plan,
            "Klar",
            created_days_ago=300,
            status=ActionItem.Status.DONE,
            responsible_person=anna,
        )
        item(
            plan,
            "Avbruten",
            created_days_ago=300,
            status=ActionItem.Status.CANCELLED,
            responsible_person=anna,
        )
        archived = factories.PlanFactory(status=Plan.Status.ARCHIVED)
        item(archived, "Arkiverad", created_days_ago=300, responsible_person=anna)
        item(
            plan,
            "Pausad",
            created_days_ago=300,
            status=ActionItem.Status.PAUSED,
            responsible_person=anna,
        )
        output = run()
        assert "Klar" not in output
        assert "Avbruten" not in output
        assert "Arkiverad" not in output
        assert "Pausad" in output

    def test_an_internal_update_counts_as_an_update(self, plan, people):
        item(
            plan,
            "Internt rapporterad",
            created_days_ago=300,
            updated_days_ago=5,
            is_public=False,
            responsible_person=people["anna"],
        )
        assert "Internt rapporterad" not in run()

    def test_nothing_due(self, plan):
        output = run()
        assert "=" * 72 not in output
        assert output.strip()  # a one-line summary for the cron log

    def test_a_malformed_date_is_an_error(self):
        with pytest.raises(CommandError):
            call_command("update_reminders", "--date", "1 juni", stdout=io.StringIO())


class TestDigests:
    @pytest.fixture
    def due(self, plan, people):
        return {
            "anna_1": item(
                plan,
                "Annas första",
                created_days_ago=90,
                responsible_person=people["anna"],
                code="A1",
            ),
            "anna_2": item(
                plan,
                "Annas andra",
                created_days_ago=80,
                responsible_person=people["anna"],
                code="A2",
            ),
            "bo": item(
                plan,
                "Bos åtgärd",
                created_days_ago=70,
                responsible_person=people["bo"],
                code="B1",
            ),
            "no_email": item(
                plan,
                "Cecilias åtgärd",
                created_days_ago=70,
                responsible_person=people["no_email"],
                code="C1",
            ),
            "nobody": item(plan, "Ingens åtgärd", created_days_ago=70, code="N1"),
        }

    def test_one_digest_per_person_and_the_rest_per_plan(self, due):
        output = run()
        digests = [part for part in output.split("=" * 72) if part.strip()]
        assert len(digests) == 3
        anna = next(d for d in digests if "anna@example.se" in d)
        assert "Annas första" in anna and "Annas andra" in anna
        assert "Bos åtgärd" not in anna
        bo = next(d for d in digests if "bo@example.se" in d)
        assert "Bos åtgärd" in bo and "Annas första" not in bo
        unassigned = next(d for d in digests if "Ingens åtgärd" in d)
        assert "Cecilias åtgärd" in unassigned
        assert "Cecilia Utan E-post" in unassigned
        assert "Tina, kansliet" in unassigned
        assert f"/admin/plans/actionitem/{due['nobody'].pk}/change/" in unassigned

    def test_printing_sends_nothing(self, due):
        run()
        assert mail.outbox == []

    def test_email_sends_one_message_per_person_with_an_address(self, due):
        run("--email")
        assert len(mail.outbox) == 2
        by_recipient = {message.to[0]: message for message in mail.outbox}
        assert set(by_recipient) == {
            "Anna Andersson <anna@example.se>",
            "Bo Berg <bo@example.se>",
        }
        anna = by_recipient["Anna Andersson <anna@example.se>"]
        assert "Annas första" in anna.body and "Annas andra" in anna.body
        assert "Ingens åtgärd" not in anna.body
        assert "2" in anna.subject
        assert all("Ingens åtgärd" not in message.body for message in mail.outbox)

    def test_overdue_days_and_last_update_are_stated(self, plan, people):
        item(
            plan,
            "Rapporterad i mars",
            created_days_ago=300,
            updated_days_ago=70,
            responsible_person=people["bo"],
        )
        output = run()
        last = (TODAY - datetime.timedelta(days=70)).isoformat()
        due = (TODAY - datetime.timedelta(days=10)).isoformat()
        assert last in output and due in output
