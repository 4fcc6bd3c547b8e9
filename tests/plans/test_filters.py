"""The action browser's filters: each narrows the list, bad values are form errors."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from plans.filters import DEFAULT_PER_PAGE, ActionItemFilter
from plans.models import ActionItem, Plan
from tests import factories

pytestmark = pytest.mark.django_db


def _filter(params, user=None):
    request = RequestFactory().get("/actions/", params)
    request.user = user or AnonymousUser()
    return ActionItemFilter(
        request.GET,
        queryset=ActionItem.objects.visible_to(request.user),
        request=request,
    )


def _codes(params, user=None):
    filterset = _filter(params, user)
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("code", flat=True))


@pytest.fixture
def plan():
    return factories.PlanFactory(slug="handlingsplan-test")


class TestEachFilterNarrowsTheList:
    def test_plan_by_slug(self, plan):
        factories.ActionItemFactory(plan=plan, code="A")
        factories.ActionItemFactory(code="B")
        assert _codes({"plan": "handlingsplan-test"}) == ["A"]

    def test_focus_area(self, plan):
        focus_area = factories.FocusAreaFactory(plan=plan)
        factories.ActionItemFactory(plan=plan, code="A", focus_area=focus_area)
        factories.ActionItemFactory(plan=plan, code="B")
        assert _codes({"focus_area": focus_area.pk}) == ["A"]

    def test_strategy(self, plan):
        strategy = factories.StrategyFactory(plan=plan)
        factories.ActionItemFactory(plan=plan, code="A", strategy=strategy)
        factories.ActionItemFactory(plan=plan, code="B")
        assert _codes({"strategy": strategy.pk}) == ["A"]

    def test_status_takes_several_values(self, plan):
        factories.ActionItemFactory(plan=plan, code="A", status="ongoing")
        factories.ActionItemFactory(plan=plan, code="B", status="paused")
        factories.ActionItemFactory(plan=plan, code="C", status="done", progress=100)
        assert _codes({"status": ["ongoing", "paused"]}) == ["A", "B"]
        assert _codes({"status": "done"}) == ["C"]

    def test_responsible_body_contains_the_text(self, plan):
        factories.ActionItemFactory(
            plan=plan, code="A", responsible_body="Stadsbyggnadsnämnden"
        )
        factories.ActionItemFactory(
            plan=plan, code="B", responsible_body="Kommunstyrelsen"
        )
        assert _codes({"responsible_body": "byggnads"}) == ["A"]

    def test_responsible_body_also_matches_the_responsible_organisation(self, plan):
        organisation = factories.OrganisationFactory(name="Stockholm Business Region")
        factories.ActionItemFactory(
            plan=plan, code="A", responsible_organisation=organisation
        )
        factories.ActionItemFactory(plan=plan, code="B")
        assert _codes({"responsible_body": "business region"}) == ["A"]

    def test_commissioned_by_contains_the_text(self, plan):
        factories.ActionItemFactory(
            plan=plan, code="A", commissioned_by="Kommunfullmäktige i budget för 2010"
        )
        factories.ActionItemFactory(
            plan=plan, code="B", commissioned_by="Program för Söderort"
        )
        assert _codes({"commissioned_by": "fullmäktige"}) == ["A"]

    def test_area_contains_the_text(self, plan):
        factories.ActionItemFactory(
            plan=plan, code="A", area="Kungens Kurva/Skärholmen"
        )
        factories.ActionItemFactory(plan=plan, code="B", area="Hela Söderort")
        assert _codes({"area": "skärholmen"}) == ["A"]

    def test_due_year(self, plan):
        factories.ActionItemFactory(
            plan=plan, code="A", due_date=datetime.date(2026, 6, 30)
        )
        factories.ActionItemFactory(
            plan=plan, code="B", due_date=datetime.date(2027, 6, 30)
        )
        factories.ActionItemFactory(plan=plan, code="C", due_date=None)
        assert _codes({"due_year": "2026"}) == ["A"]

    def test_late_means_past_due_and_neither_done_nor_cancelled(self, plan):
        past = timezone.localdate() - datetime.timedelta(days=1)
        future = timezone.localdate() + datetime.timedelta(days=30)
        factories.ActionItemFactory(plan=plan, code="A", due_date=past)
        factories.ActionItemFactory(
            plan=plan, code="B", due_date=past, status="done", progress=100
        )
        factories.ActionItemFactory(
            plan=plan, code="C", due_date=past, status="cancelled"
        )
        factories.ActionItemFactory(plan=plan, code="D", due_date=future)
        factories.ActionItemFactory(plan=plan, code="E", due_date=None)
        assert _codes({"late": "1"}) == ["A"]
        assert _codes({"late": "true"}) == ["A"]

    def test_late_unchecked_does_not_filter(self, plan):
        factories.ActionItemFactory(plan=plan, code="A")
        assert _codes({"late": "false"}) == ["A"]

    def test_overdue_means_the_plans_update_interval_has_run_out(self, plan):
        """The dashboard's rule: from the latest visible update, or from the day
        the item was added; done, cancelled and archived items never are."""
        long_ago = timezone.now() - datetime.timedelta(days=100)
        last_month = timezone.localdate() - datetime.timedelta(days=30)
        archived = factories.PlanFactory(status=Plan.Status.ARCHIVED)
        items = {
            "A": factories.ActionItemFactory(plan=plan, code="A"),
            "B": factories.ActionItemFactory(plan=plan, code="B"),
            "C": factories.ActionItemFactory(plan=plan, code="C"),
            "D": factories.ActionItemFactory(plan=plan, code="D", status="done"),
            "E": factories.ActionItemFactory(plan=archived, code="E"),
        }
        factories.ActionItemFactory(plan=plan, code="F")  # added today
        ActionItem.objects.filter(pk__in=[i.pk for i in items.values()]).update(
            created_at=long_ago
        )
        factories.ActionUpdateFactory(item=items["B"], date=last_month)
        factories.ActionUpdateFactory(item=items["C"], date=last_month, is_public=False)
        assert _codes({"overdue": "true"}) == ["A", "C"]
        assert _codes({"overdue": "1", "plan": plan.slug}) == ["A", "C"]
        assert _codes({"overdue": "false"}) == ["A", "B", "C", "D", "E", "F"]

    def test_overdue_counts_internal_updates_for_members(self, plan, reader):
        item = factories.ActionItemFactory(plan=plan, code="A")
        ActionItem.objects.filter(pk=item.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=100)
        )
        factories.ActionUpdateFactory(item=item, is_public=False)
        assert _codes({"overdue": "on"}) == ["A"]
        assert _codes({"overdue": "on"}, reader) == []

    def test_filters_combine(self, plan):
        factories.ActionItemFactory(
            plan=plan, code="A", status="ongoing", area="Skärholmen"
        )
        factories.ActionItemFactory(
            plan=plan, code="B", status="paused", area="Skärholmen"
        )
        factories.ActionItemFactory(
            plan=plan, code="C", status="ongoing", area="Farsta"
        )
        assert _codes({"status": "ongoing", "area": "Skärholmen"}) == ["A"]


class TestFreeTextSearch:
    def test_finds_words_in_the_assignment_expected_result_and_names(self, plan):
        factories.ActionItemFactory(plan=plan, code="A", assignment="Öka turismen")
        factories.ActionItemFactory(
            plan=plan, code="B", expected_result="Fler besökare till Skärholmen"
        )
        factories.ActionItemFactory(
            plan=plan, code="C", commissioned_by="Program för Söderort"
        )
        factories.ActionItemFactory(plan=plan, code="D", title="Något annat")
        assert _codes({"q": "turismen"}) == ["A"]
        assert _codes({"q": "besökare"}) == ["B"]
        assert _codes({"q": "Söderort"}) == ["C"]

    def test_finds_part_of_a_word_on_every_database(self, plan):
        factories.ActionItemFactory(plan=plan, code="A", title="Klusterbildningar")
        factories.ActionItemFactory(plan=plan, code="B", title="Något annat")
        assert _codes({"q": "kluster"}) == ["A"]

    def test_swedish_forms_of_a_word(self, plan):
        """Both databases stem Swedish words (plans.services.search)."""
        factories.ActionItemFactory(
            plan=plan, code="A", assignment="Öka antalet arbetsplatserna i ytterstaden"
        )
        factories.ActionItemFactory(
            plan=plan, code="B", assignment="Insatser för fler arbetsplatser"
        )
        factories.ActionItemFactory(plan=plan, code="C", assignment="Bostäder")
        # Both databases: the text contains "arbetsplatser" in A and B.
        assert _codes({"q": "arbetsplatser"}) == ["A", "B"]
        # "arbetsplatsen" is in neither text; its stem "arbetsplats" is in both.
        assert _codes({"q": "arbetsplatsen"}) == ["A", "B"]

    def test_blank_search_does_not_filter(self, plan):
        factories.ActionItemFactory(plan=plan, code="A")
        assert _codes({"q": "   "}) == ["A"]


class TestInvalidValuesAreFormErrors:
    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"plan": "no-such-plan"}, "plan"),
            ({"status": "finished"}, "status"),
            ({"status": ["ongoing", "finished"]}, "status"),
            ({"due_year": "next"}, "due_year"),
            ({"due_year": "2025.5"}, "due_year"),
            ({"due_year": "99999"}, "due_year"),
            ({"focus_area": "999999"}, "focus_area"),
            ({"focus_area": "abc"}, "focus_area"),
            ({"strategy": "abc"}, "strategy"),
            ({"per_page": "7"}, "per_page"),
            ({"per_page": "all"}, "per_page"),
        ],
    )
    def test_bad_value_is_an_error_of_its_field(self, params, field):
        filterset = _filter(params)
        assert not filterset.is_valid()
        assert list(filterset.errors) == [field]

    def test_the_control_with_an_error_points_to_its_message(self):
        filterset = _filter({"due_year": "next"})
        filterset.is_valid()
        html = str(filterset.form["due_year"])
        assert 'aria-describedby="id_due_year-errors"' in html
        assert 'aria-invalid="true"' in html

    def test_valid_filters_still_apply_beside_an_invalid_one(self, plan):
        factories.ActionItemFactory(plan=plan, code="A", area="Farsta")
        factories.ActionItemFactory(plan=plan, code="B", area="Skärholmen")
        filterset = _filter({"area": "Farsta", "due_year": "next"})
        assert not filterset.is_valid()
        assert list(filterset.qs.values_list("code", flat=True)) == ["A"]


class TestChoicesFollowVisibility:
    def test_anonymous_visitor_cannot_choose_a_draft_plan(self):
        factories.PlanFactory(slug="utkast", status=Plan.Status.DRAFT)
        filterset = _filter({"plan": "utkast"})
        assert "plan" in filterset.errors
        choices = [value for value, _label in filterset.form.fields["plan"].choices]
        assert "utkast" not in choices

    def test_reader_can_choose_a_draft_plan(self, reader):
        plan = factories.PlanFactory(slug="utkast", status=Plan.Status.DRAFT)
        factories.ActionItemFactory(plan=plan, code="A")
        factories.ActionItemFactory(code="B")
        assert _codes({"plan": "utkast"}, user=reader) == ["A"]

    def test_focus_areas_of_a_draft_plan_are_not_offered_to_anonymous(self):
        draft = factories.PlanFactory(status=Plan.Status.DRAFT)
        focus_area = factories.FocusAreaFactory(plan=draft)
        filterset = _filter({"focus_area": focus_area.pk})
        assert "focus_area" in filterset.errors

    def test_focus_areas_are_grouped_by_plan(self, plan):
        focus_area = factories.FocusAreaFactory(
            plan=plan, code="F1", title="Näringsliv"
        )
        choices = list(_filter({}).form.fields["focus_area"].choices)
        assert (plan.title, [(str(focus_area.pk), "F1 Näringsliv")]) in choices


class TestPageSize:
    def test_default_when_missing(self):
        assert _filter({}).page_size == DEFAULT_PER_PAGE

    @pytest.mark.parametrize("value", ["25", "50", "100"])
    def test_allowed_sizes(self, value):
        assert _filter({"per_page": value}).page_size == int(value)

    @pytest.mark.parametrize("value", ["7", "0", "-1", "100000", "many"])
    def test_default_when_invalid(self, value):
        assert _filter({"per_page": value}).page_size == DEFAULT_PER_PAGE

    def test_page_size_does_not_filter(self, plan):
        factories.ActionItemFactory(plan=plan, code="A")
        assert _codes({"per_page": "50"}) == ["A"]
