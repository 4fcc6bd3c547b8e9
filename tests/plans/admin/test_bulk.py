"""The director's week in the admin: the start page leads with the work queue,
and the bulk update page saves several items in one atomic save, each with its
log entry, refusing stale rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import ActionItem, ActionUpdate
from tests import factories

pytestmark = pytest.mark.django_db

BULK = "admin:plans_actionitem_bulk_update"


def _age(item, days):
    """Make ``item`` created ``days`` ago, without updates: its update is then
    due ``days - interval`` days ago."""
    created = timezone.now() - datetime.timedelta(days=days)
    ActionItem.objects.filter(pk=item.pk).update(created_at=created)


@pytest.fixture
def items():
    plan = factories.PlanFactory(title="Handlingsplan 2026", update_interval_days=30)
    very = factories.ActionItemFactory(plan=plan, code="A1", title="Mycket sen")
    little = factories.ActionItemFactory(plan=plan, code="A2", title="Lite sen")
    soon = factories.ActionItemFactory(plan=plan, code="A3", title="Snart dags")
    fresh = factories.ActionItemFactory(plan=plan, code="A4", title="Nyss skapad")
    _age(very, 90)
    _age(little, 35)
    _age(soon, 25)
    return {"very": very, "little": little, "soon": soon, "fresh": fresh}


def _post_data(rows, changes, date=None):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "update_date": (date or timezone.localdate()).isoformat(),
    }
    for i, item in enumerate(rows):
        row = {
            "id": item.pk,
            "loaded_version": item.version,
            "status": item.status,
            "progress": item.progress,
            "progress_note": item.progress_note,
            "due_date": item.due_date.isoformat() if item.due_date else "",
            "update_text": "",
            "update_is_public": "on",
            **changes.get(item.pk, {}),
        }
        data.update({f"form-{i}-{key}": value for key, value in row.items()})
    return data


def test_start_page_leads_with_overdue_then_due_soon(client, editor, items):
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    content = response.content.decode()
    overdue_at = content.index("Lägesuppdatering försenad (2)")
    soon_at = content.index("Lägesuppdatering inom två veckor (1)")
    # The queue comes before the list of data types.
    assert overdue_at < soon_at < content.index('id="content-main"')
    # Longest overdue first, each a link to the item.
    very_at = content.index("A1 Mycket sen")
    assert very_at < content.index("A2 Lite sen") < soon_at
    url = reverse("admin:plans_actionitem_change", args=[items["very"].pk])
    assert f'href="{url}"' in content
    assert reverse(BULK) + "?update_overdue=yes" in content
    assert "Nyss skapad" not in content[:soon_at]


def test_reader_gets_no_work_queue(client, reader, items):
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    content = client.get(reverse("admin:index")).content.decode()
    assert "Lägesuppdatering försenad" not in content
    assert client.get(reverse(BULK)).status_code == 403


def test_bulk_page_lists_the_filtered_items_most_overdue_first(client, editor, items):
    client.force_login(editor)
    response = client.get(reverse(BULK), {"update_overdue": "yes"})
    assert response.status_code == 200
    shown = [form.instance.code for form in response.context["formset"].forms]
    assert shown == ["A1", "A2"]
    picked = f"{items['fresh'].pk},{items['soon'].pk}"
    response = client.get(reverse(BULK), {"ids": picked})
    assert sorted(f.instance.code for f in response.context["formset"].forms) == [
        "A3",
        "A4",
    ]


def test_one_save_updates_several_items_each_with_its_log_entry(client, editor, items):
    client.force_login(editor)
    rows = [items["very"], items["little"], items["soon"]]
    day = timezone.localdate() - datetime.timedelta(days=1)
    data = _post_data(
        rows,
        {
            items["very"].pk: {"status": "delayed", "update_text": "Väntar på beslut."},
            items["little"].pk: {
                "progress": 60,
                "update_text": "Internt: budget klar.",
                "update_is_public": "",
                "due_date": "2027-03-31",
            },
        },
        date=day,
    )
    url = reverse(BULK) + "?update_overdue=yes"
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == url  # the filter is kept
    very, little, soon = (ActionItem.objects.get(pk=i.pk) for i in rows)
    assert (very.status, very.version) == ("delayed", 2)
    assert (little.progress, little.due_date) == (60, datetime.date(2027, 3, 31))
    assert soon.version == 1  # untouched row: not saved
    (very_log,) = ActionUpdate.objects.filter(item=very)
    assert (very_log.previous_status, very_log.status) == ("ongoing", "delayed")
    assert (very_log.text, very_log.date, very_log.author) == (
        "Väntar på beslut.",
        day,
        editor,
    )
    (little_log,) = ActionUpdate.objects.filter(item=little)
    assert (little_log.previous_progress, little_log.progress) == (40, 60)
    assert little_log.is_public is False
    assert not ActionUpdate.objects.filter(item=soon).exists()


def test_an_invalid_row_saves_nothing_and_says_why(client, editor, items):
    client.force_login(editor)
    rows = [items["very"], items["little"]]
    data = _post_data(
        rows,
        {
            items["very"].pk: {"status": "delayed", "update_text": "Sparas inte."},
            items["little"].pk: {"status": "not_started", "progress": 30},
        },
    )
    response = client.post(reverse(BULK), data)
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert not forms[0].errors
    assert "progress" in forms[1].errors
    content = response.content.decode()
    assert "som inte har påbörjats" in content
    assert "1 rad kunde inte sparas, så inget sparades." in content
    assert "Sparas inte." in content  # the input is kept
    assert ActionItem.objects.get(pk=items["very"].pk).status == "ongoing"
    assert not ActionUpdate.objects.exists()


def test_a_row_saved_by_someone_else_meanwhile_is_refused(client, editor, items):
    client.force_login(editor)
    rows = [ActionItem.objects.get(pk=items["very"].pk), items["little"]]
    someone = ActionItem.objects.get(pk=items["very"].pk)
    someone.progress = 55
    someone.save()
    data = _post_data(
        rows,
        {
            items["very"].pk: {"progress": 70, "update_text": "Min text."},
            items["little"].pk: {"progress": 50, "update_text": "Också min."},
        },
    )
    response = client.post(reverse(BULK), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].non_field_errors()
    assert not response.context["formset"].forms[1].errors
    content = response.content.decode()
    assert "medan du redigerade den" in content
    assert ActionItem.objects.get(pk=items["very"].pk).progress == 55
    assert ActionItem.objects.get(pk=items["little"].pk).progress == 40
    assert not ActionUpdate.objects.filter(text__in=["Min text.", "Också min."])
