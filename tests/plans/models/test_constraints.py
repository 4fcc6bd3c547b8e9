"""Constraints, validation messages and QuerySets of the plans app."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.models import ActionItem, ActionUpdate, Indicator, IndicatorValue, Plan
from tests import factories

pytestmark = pytest.mark.django_db


def _violates(obj):
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


class TestConstraints:
    def test_progress_above_100_is_refused_by_the_database(self):
        _violates(
            factories.ActionItemFactory.build(
                plan=factories.PlanFactory(), progress=101
            )
        )

    def test_progress_above_100_has_a_clear_message(self):
        item = factories.ActionItemFactory.build(
            plan=factories.PlanFactory(), progress=150
        )
        with pytest.raises(ValidationError) as exc:
            item.full_clean()
        assert "Förloppet måste vara mellan 0 och 100." in str(exc.value)

    def test_start_after_due_is_refused_with_a_message(self):
        item = factories.ActionItemFactory.build(
            plan=factories.PlanFactory(),
            start_date=datetime.date(2026, 5, 1),
            due_date=datetime.date(2026, 4, 1),
        )
        with pytest.raises(ValidationError) as exc:
            item.full_clean()
        assert "Startdatum måste vara samma dag som eller före slutdatum." in str(
            exc.value
        )
        _violates(item)

    def test_start_equal_to_due_is_allowed(self):
        day = datetime.date(2026, 5, 1)
        item = factories.ActionItemFactory(start_date=day, due_date=day)
        item.full_clean()

    def test_update_progress_out_of_range_is_refused(self):
        item = factories.ActionItemFactory()
        _violates(ActionUpdate(item=item, status="ongoing", progress=120, text="x"))

    def test_negative_funding_is_refused_with_a_message(self):
        contribution = factories.FundingContributionFactory.build(
            plan=factories.PlanFactory(),
            organisation=factories.OrganisationFactory(),
            amount=-1,
        )
        with pytest.raises(ValidationError) as exc:
            contribution.full_clean()
        assert "Beloppet kan inte vara negativt." in str(exc.value)
        _violates(contribution)

    def test_duplicate_funding_year_is_refused(self):
        contribution = factories.FundingContributionFactory()
        _violates(
            factories.FundingContributionFactory.build(
                plan=contribution.plan,
                organisation=contribution.organisation,
                year=contribution.year,
            )
        )

    def test_plan_slug_is_unique(self):
        plan = factories.PlanFactory()
        other = factories.PlanFactory.build(slug=plan.slug, owner=plan.owner)
        with pytest.raises(ValidationError) as exc:
            other.full_clean()
        assert "slug" in exc.value.message_dict

    def test_plan_period_must_be_ordered(self):
        plan = factories.PlanFactory.build(
            owner=factories.OrganisationFactory(), start_year=2012, end_year=2011
        )
        with pytest.raises(ValidationError) as exc:
            plan.full_clean()
        assert "Sista året kan inte vara före första året." in str(exc.value)
        _violates(plan)

    def test_section_order_is_unique_in_a_plan(self):
        section = factories.SectionFactory()
        _violates(
            factories.SectionFactory.build(plan=section.plan, order=section.order)
        )

    def test_action_item_code_is_unique_in_a_plan(self):
        item = factories.ActionItemFactory()
        duplicate = factories.ActionItemFactory.build(plan=item.plan, code=item.code)
        with pytest.raises(ValidationError) as exc:
            duplicate.full_clean()
        assert "En annan åtgärd i planen har redan den här koden." in str(exc.value)

    def test_same_code_in_another_plan_is_fine(self):
        item = factories.ActionItemFactory(code="1")
        factories.ActionItemFactory(code="1").full_clean()
        assert ActionItem.objects.filter(code="1").count() == 2
        assert item.pk

    def test_indicator_range_must_be_ordered(self):
        value = factories.IndicatorValueFactory.build(
            indicator=factories.IndicatorFactory(), value=9, value_high=8
        )
        _violates(value)

    def test_focus_area_of_another_plan_is_refused(self):
        area = factories.FocusAreaFactory()
        item = factories.ActionItemFactory.build(
            plan=factories.PlanFactory(), focus_area=area
        )
        with pytest.raises(ValidationError) as exc:
            item.full_clean()
        assert "focus_area" in exc.value.message_dict

    def test_item_cannot_refer_to_itself(self):
        item = factories.ActionItemFactory()
        item.see_above = item
        with pytest.raises(ValidationError) as exc:
            item.full_clean()
        assert "see_above" in exc.value.message_dict


class TestStrings:
    def test_str_of_every_model_is_readable(self):
        item = factories.ActionItemFactory(code="2.1", title="Stötta KISP")
        assert str(item) == "2.1 Stötta KISP"
        assert str(item.plan) == item.plan.title
        assert str(factories.OrganisationFactory(name="Huddinge kommun")) == (
            "Huddinge kommun"
        )
        update = factories.ActionUpdateFactory(
            item=item, date=datetime.date(2026, 3, 2)
        )
        assert str(update) == "2.1 2026-03-02"
        contribution = factories.FundingContributionFactory(amount=500000, year=2009)
        assert "2009" in str(contribution)

    def test_period_shows_an_en_dash(self):
        assert factories.PlanFactory(start_year=2009, end_year=2011).period == (
            "2009–2011"
        )
        assert factories.PlanFactory(start_year=2009, end_year=2009).period == "2009"


class TestVisibility:
    def test_public_plans_exclude_drafts_and_private_plans(self):
        published = factories.PlanFactory()
        working = factories.PlanFactory(status=Plan.Status.WORKING)
        factories.PlanFactory(status=Plan.Status.DRAFT)
        factories.PlanFactory(is_public=False)
        assert set(Plan.objects.public()) == {published, working}

    def test_reader_sees_every_plan(self, reader):
        factories.PlanFactory(status=Plan.Status.DRAFT)
        factories.PlanFactory(is_public=False)
        assert Plan.objects.visible_to(reader).count() == 2
        assert Plan.objects.visible_to(AnonymousUser()).count() == 0

    def test_signed_in_user_without_a_group_sees_only_public(self):
        user = factories.UserFactory()
        factories.PlanFactory(status=Plan.Status.DRAFT)
        assert Plan.objects.visible_to(user).count() == 0

    def test_items_of_a_draft_plan_are_not_public(self):
        factories.ActionItemFactory(plan=factories.PlanFactory(status="draft"))
        visible = factories.ActionItemFactory()
        factories.ActionItemFactory(plan=visible.plan, is_public=False)
        assert list(ActionItem.objects.public()) == [visible]

    def test_internal_updates_are_hidden_from_anonymous(self, reader):
        item = factories.ActionItemFactory()
        public = factories.ActionUpdateFactory(item=item)
        factories.ActionUpdateFactory(item=item, is_public=False)
        assert list(ActionUpdate.objects.visible_to(AnonymousUser())) == [public]
        assert ActionUpdate.objects.visible_to(reader).count() == 2

    def test_editor_sees_internal(self, editor):
        factories.ActionItemFactory(is_public=False)
        assert ActionItem.objects.visible_to(editor).count() == 1

    def test_indicator_values_follow_visibility(self, reader):
        indicator = factories.IndicatorFactory()
        factories.IndicatorValueFactory(indicator=indicator)
        factories.IndicatorValueFactory(
            indicator=indicator, is_public=False, date=datetime.date(2026, 1, 1)
        )
        factories.IndicatorFactory(is_public=False)
        assert IndicatorValue.objects.visible_to(AnonymousUser()).count() == 1
        assert IndicatorValue.objects.visible_to(reader).count() == 2
        assert Indicator.objects.visible_to(AnonymousUser()).count() == 1


class TestActionItemQuerySet:
    def test_late_means_past_due_and_not_closed(self):
        today = datetime.date(2026, 6, 1)
        past = datetime.date(2026, 5, 1)
        late = factories.ActionItemFactory(due_date=past)
        factories.ActionItemFactory(due_date=past, status="done", progress=100)
        factories.ActionItemFactory(due_date=past, status="cancelled")
        factories.ActionItemFactory(due_date=today)
        factories.ActionItemFactory(due_date=None)
        assert list(ActionItem.objects.late(today=today)) == [late]

    def test_for_plan_narrows_to_one_plan(self):
        item = factories.ActionItemFactory()
        factories.ActionItemFactory()
        assert list(ActionItem.objects.for_plan(item.plan)) == [item]

    def test_with_latest_update_respects_visibility(self, reader):
        item = factories.ActionItemFactory()
        factories.ActionUpdateFactory(item=item, date=datetime.date(2026, 1, 1))
        factories.ActionUpdateFactory(
            item=item, date=datetime.date(2026, 2, 1), is_public=False
        )
        anon = ActionItem.objects.with_latest_update(AnonymousUser()).get()
        member = ActionItem.objects.with_latest_update(reader).get()
        assert anon.latest_update_on == datetime.date(2026, 1, 1)
        assert member.latest_update_on == datetime.date(2026, 2, 1)

    def test_open_excludes_done_and_cancelled(self):
        ongoing = factories.ActionItemFactory(status="ongoing")
        factories.ActionItemFactory(status="done", progress=100)
        factories.ActionItemFactory(status="cancelled")
        assert list(ActionItem.objects.open()) == [ongoing]

    def test_with_related_fetches_related_rows_in_one_query(
        self, django_assert_num_queries
    ):
        for _ in range(3):
            factories.ActionItemFactory(
                focus_area=None,
                responsible_organisation=factories.OrganisationFactory(),
            )
        with django_assert_num_queries(1):
            names = [
                (i.plan.title, i.responsible_organisation.name)
                for i in ActionItem.objects.with_related()
            ]
        assert len(names) == 3
