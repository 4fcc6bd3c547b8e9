"""Next year's plan, made through the back office: Handlingsplan 2010 from 2009."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import ActionItem, ActionUpdate, FocusArea, Plan
from plans.services import rollover
from plans.services.dashboard import build_dashboard, home_figures
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hp2009(bundled_plans):
    plan = Plan.objects.get(slug="handlingsplan-2009")
    items = {item.code: item for item in plan.action_items.all()}
    person = factories.PersonFactory(name="Tina Karrbom Gustavsson")
    # Set as the director would: one done, two ongoing, one cancelled.
    for code, status, progress in (
        ("1.1", ActionItem.Status.DONE, 100),
        ("1.2", ActionItem.Status.ONGOING, 40),
        ("2.4", ActionItem.Status.ONGOING, 60),
        ("3.6", ActionItem.Status.CANCELLED, 0),
    ):
        item = items[code]
        item.status, item.progress = status, progress
        if code == "1.2":
            item.responsible_person = person
            item.internal_note = "Ring KI före mötet."
            item.start_date = datetime.date(2009, 11, 1)
            item.due_date = datetime.date(2010, 6, 30)
        item.save()
    return plan


def next_plan_url(plan):
    return reverse("admin:plans_plan_next", args=[plan.pk])


def counts():
    return (
        Plan.objects.count(),
        ActionItem.objects.count(),
        ActionUpdate.objects.count(),
        FocusArea.objects.count(),
        list(ActionItem.objects.order_by("pk").values_list("status", flat=True)),
    )


def form_data(plan, items, **changes):
    data = {
        "title": "Handlingsplan 2010",
        "subtitle": "",
        "slug": "handlingsplan-2010",
        "start_year": "2010",
        "end_year": "2010",
        "items": [str(item.pk) for item in items],
    }
    data.update(changes)
    return data


def test_the_preview_suggests_the_next_year_and_changes_nothing(client, editor, hp2009):
    client.force_login(editor)
    before = counts()

    response = client.get(next_plan_url(hp2009))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "Handlingsplan 2010"
    assert form.initial["slug"] == "handlingsplan-2010"
    assert (form.initial["start_year"], form.initial["end_year"]) == (2010, 2010)
    preview = response.context["preview"]
    # Open items are offered, ticked; done and cancelled ones are not copied.
    assert {item.code for item in preview.carried} == {
        i.code for i in hp2009.action_items.exclude(code__in=["1.1", "3.6"])
    }
    assert {item.code for item in preview.not_copied} == {"1.1", "3.6"}
    assert ("Prioriterade aktiviteter 2010") in [h for _s, h in preview.sections]
    content = response.content.decode()
    assert "Handlingsplan 2010" in content
    assert "Skapa planen" in content

    open_items = list(hp2009.action_items.open().exclude(code="3.5"))
    response = client.post(
        next_plan_url(hp2009), {**form_data(hp2009, open_items), "preview": "1"}
    )
    assert response.status_code == 200
    assert [i.code for i in response.context["preview"].left_open] == ["3.5"]
    assert counts() == before


def test_creating_handlingsplan_2010_carries_the_open_items_over(
    client, editor, hp2009
):
    client.force_login(editor)
    originals = {item.code: item for item in hp2009.action_items.all()}
    ticked = [
        item
        for item in hp2009.action_items.open()
        if item.code != "3.5"  # the editor unticks one: it stays open here
    ]
    visible_before = home_figures(editor, timezone.localdate())[0][0]
    dashboard_before = build_dashboard(editor, timezone.localdate()).overall.counts

    response = client.post(
        next_plan_url(hp2009), {**form_data(hp2009, ticked), "confirm": "1"}
    )

    new_plan = Plan.objects.get(slug="handlingsplan-2010")
    assert response.status_code == 302
    change_url = reverse("admin:plans_plan_change", args=[new_plan.pk])
    assert response["Location"] == change_url
    assert new_plan.status == Plan.Status.DRAFT
    assert new_plan.predecessor == hp2009
    assert hp2009.next_plan == new_plan
    assert new_plan.parent.slug == "verksamhetsplan-2009-2011"
    # Focus areas and sections copied.
    assert list(new_plan.focus_areas.values_list("code", "title")) == list(
        hp2009.focus_areas.values_list("code", "title")
    )
    assert list(new_plan.sections.values_list("heading", flat=True)) == [
        "Inledning",
        "Prioriterade aktiviteter 2010",
        "Underlag",
    ]
    # Open, ticked items copied with owners, dates and note; linked both ways.
    copies = {item.code: item for item in new_plan.action_items.all()}
    assert set(copies) == {item.code for item in ticked}
    assert "1.1" not in copies and "3.6" not in copies and "3.5" not in copies
    copy = copies["1.2"]
    assert copy.responsible_person.name == "Tina Karrbom Gustavsson"
    assert copy.internal_note == "Ring KI före mötet."
    assert (copy.start_date, copy.due_date) == (
        datetime.date(2009, 11, 1),
        datetime.date(2010, 6, 30),
    )
    assert (copy.status, copy.progress) == (ActionItem.Status.ONGOING, 40)
    assert copy.focus_area.plan == new_plan
    assert copy.focus_area.code == originals["1.2"].focus_area.code
    original = ActionItem.objects.get(pk=originals["1.2"].pk)
    assert copy.carried_from == original
    assert original.carried_to == copy
    # The originals are closed as carried over, with a log entry.
    assert original.status == ActionItem.Status.CARRIED_OVER
    assert original.is_closed
    entry = original.updates.latest()
    assert entry.previous_status == ActionItem.Status.ONGOING
    assert entry.status == ActionItem.Status.CARRIED_OVER
    assert entry.author == editor
    assert "Överförd till Handlingsplan 2010 som 1.2" in entry.text
    assert "Fortsättning på 1.2 i Handlingsplan 2009" in copy.updates.get().text
    # Done, cancelled and unticked items stay as they were.
    for code, status in (
        ("1.1", ActionItem.Status.DONE),
        ("3.6", ActionItem.Status.CANCELLED),
        ("3.5", ActionItem.Status.NOT_STARTED),
    ):
        assert ActionItem.objects.get(pk=originals[code].pk).status == status

    # The live figures count each activity once.
    today = timezone.localdate()
    assert home_figures(editor, today)[0][0] == visible_before
    after = build_dashboard(editor, today).overall.counts
    assert after.total == dashboard_before.total
    assert after.by_status[ActionItem.Status.CARRIED_OVER] == 0

    # Both item pages name the other.
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "Fortsättning på" in page and original.get_absolute_url() in page
    page = client.get(original.get_absolute_url()).content.decode()
    assert "Fortsätter som" in page and copy.get_absolute_url() in page


def test_running_the_rollover_twice_makes_no_second_successor(client, editor, hp2009):
    client.force_login(editor)
    items = list(hp2009.action_items.open())
    client.post(next_plan_url(hp2009), {**form_data(hp2009, items), "confirm": "1"})
    before = counts()

    response = client.post(
        next_plan_url(hp2009),
        {
            **form_data(hp2009, [], slug="handlingsplan-2010-b"),
            "confirm": "1",
        },
    )

    assert response.status_code == 200
    assert "har redan en nästa plan" in response.content.decode()
    assert counts() == before
    assert Plan.objects.filter(predecessor=hp2009).count() == 1


def test_a_carried_over_item_counts_until_its_continuation_can_be_seen(client, hp2009):
    """The public sees the 2009 plan, not the 2010 draft: the carried-over
    original is what they count, once."""
    today = timezone.localdate()
    before = home_figures(None, today)[0][0]
    rollover.roll_over(hp2009, rollover.suggest_next(hp2009))
    assert home_figures(None, today)[0][0] == before


def test_the_status_carried_over_is_refused_on_an_item_without_a_continuation():
    item = factories.ActionItemFactory.build(
        plan=factories.PlanFactory(), status=ActionItem.Status.CARRIED_OVER
    )
    with pytest.raises(Exception) as exc:
        item.full_clean()
    assert "status" in exc.value.message_dict


def test_the_period_is_shifted_only_where_it_stands_alone(hp2009):
    assert (
        rollover.shift_period(
            "Bilaga 1 till Verksamhetsplan 2009–2011", hp2009, 2010, 2010
        )
        == "Bilaga 1 till Verksamhetsplan 2009–2011"
    )
    assert rollover.shift_period("Aktiviteter 2009", hp2009, 2010, 2010) == (
        "Aktiviteter 2010"
    )


def test_the_next_business_plan_takes_the_strategies_vision_and_indicators(
    bundled_plans,
):
    vp = Plan.objects.get(slug="verksamhetsplan-2009-2011")
    suggested = rollover.suggest_next(vp)
    assert (suggested.title, suggested.start_year, suggested.end_year) == (
        "Verksamhetsplan 2012–2014",
        2012,
        2014,
    )

    new = rollover.roll_over(vp, suggested)

    assert new.strategies.count() == vp.strategies.count() == 5
    strategy = new.strategies.get(code=vp.strategies.first().code)
    assert list(strategy.measures.values_list("text", flat=True)) == list(
        vp.strategies.first().measures.values_list("text", flat=True)
    )
    assert new.vision_statements.count() == vp.vision_statements.count()
    assert new.target_statements.count() == vp.target_statements.count()
    assert set(new.governing_bodies.all()) == set(vp.governing_bodies.all())
    assert set(new.stakeholder_groups.all()) == set(vp.stakeholder_groups.all())
    assert not new.funding.exists()
    assert set(new.indicators.all()) == set(vp.indicators.all())
    # An indicator that measured a strategy of the old plan measures its copy.
    for indicator in vp.indicators.filter(strategies__plan=vp):
        codes = set(indicator.strategies.filter(plan=vp).values_list("code", flat=True))
        assert codes == set(
            indicator.strategies.filter(plan=new).values_list("code", flat=True)
        )
    assert "Samordning 2012–2014" in new.sections.values_list("heading", flat=True)
