"""The reminder job against a real SMTP server: one message per responsible
person with their due items, in Swedish, plain text and HTML with links; what
was sent is recorded and not sent again within the plan's update interval."""

import datetime
import io

import pytest
from django.core.management import call_command

from plans.models import ReminderSent
from tests import factories
from tests.plans.services.test_reminders import TODAY, item

pytestmark = pytest.mark.django_db


def run(day=TODAY):
    out = io.StringIO()
    call_command("update_reminders", "--email", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def due():
    plan = factories.PlanFactory(title="Handlingsplan 2026", update_interval_days=60)
    anna = factories.PersonFactory(name="Anna Andersson", email="anna@example.se")
    bo = factories.PersonFactory(name="Bo Berg", email="bo@example.se")
    nobody = factories.PersonFactory(name="Cecilia Utan E-post")
    return {
        "anna": [
            item(plan, "Klusterstöd", created_days_ago=90, responsible_person=anna),
            item(plan, "Inkubator", created_days_ago=70, responsible_person=anna),
        ],
        "bo": [item(plan, "Bostäder", created_days_ago=61, responsible_person=bo)],
        "fresh": [item(plan, "Nystartad", created_days_ago=0, responsible_person=bo)],
        "no_address": [
            item(plan, "Utan adress", created_days_ago=90, responsible_person=nobody)
        ],
    }


def test_one_message_per_person_with_their_items_and_none_resent(smtp_server, due):
    output = run()

    inbox = smtp_server
    assert sorted(m["to"][0] for m in inbox.messages) == [
        "anna@example.se",
        "bo@example.se",
    ]
    by_recipient = {m["to"][0]: i for i, m in enumerate(inbox.messages)}
    annas_text = inbox.text(by_recipient["anna@example.se"])
    annas_html = inbox.html(by_recipient["anna@example.se"])
    for text in (annas_text, annas_html):
        assert "Klusterstöd" in text
        assert "Inkubator" in text
        assert "Bostäder" not in text
    assert "Hej Anna Andersson!" in annas_text
    assert f"/admin/plans/actionitem/{due['anna'][0].pk}/change/" in annas_html
    assert "/admin/plans/actionitem/bulk-update/" in annas_html
    message = inbox.messages[by_recipient["anna@example.se"]]["message"]
    assert message["Subject"] == "Dags för uppdateringar: 2 åtgärder"
    bos_text = inbox.text(by_recipient["bo@example.se"])
    assert "Bostäder" in bos_text
    assert "Nystartad" not in bos_text
    assert "Utan adress" not in bos_text + annas_text
    # The person without an address is listed for the director, not mailed.
    assert "Utan adress" in output
    assert "2 e-postmeddelanden skickade" in output

    sent = ReminderSent.objects.order_by("item__title")
    assert [(r.item.title, r.email) for r in sent] == [
        ("Bostäder", "bo@example.se"),
        ("Inkubator", "anna@example.se"),
        ("Klusterstöd", "anna@example.se"),
    ]
    assert {r.quiet_until for r in sent} == {TODAY + datetime.timedelta(days=60)}

    # The next day's run, and the last day of the interval: nothing is resent.
    run(TODAY + datetime.timedelta(days=1))
    run(TODAY + datetime.timedelta(days=59))
    assert len(inbox.messages) == 2
    assert ReminderSent.objects.count() == 3

    # Once the interval has passed without an update, the reminder comes again.
    run(TODAY + datetime.timedelta(days=60))
    assert len(inbox.messages) == 4


def test_an_update_written_after_the_reminder_ends_the_reminding(smtp_server, due):
    run()
    factories.ActionUpdateFactory(
        item=due["bo"][0], date=TODAY + datetime.timedelta(days=2)
    )
    run(TODAY + datetime.timedelta(days=60))
    later = {m["to"][0]: i for i, m in enumerate(smtp_server.messages) if i >= 2}
    assert sorted(later) == ["anna@example.se", "bo@example.se"]
    # Bo wrote his update: only the item that has fallen due since is in his mail.
    bos_text = smtp_server.text(later["bo@example.se"])
    assert "Nystartad" in bos_text
    assert "Bostäder" not in bos_text
