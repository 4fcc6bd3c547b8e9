"""factory_boy factories for the domain models."""

import datetime

import factory
from django.contrib.auth import get_user_model

from plans.models import (
    ActionItem,
    ActionUpdate,
    AdoptedEdition,
    BoardPack,
    BoardPackIndicator,
    BoardPackItem,
    FocusArea,
    FundingContribution,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Meeting,
    MeetingDecision,
    Plan,
    ReminderSent,
    RenderedDocument,
    Section,
    Strategy,
    StrategyMeasure,
    TargetStatement,
    VisionStatement,
)
from stakeholders.models import (
    GoverningBody,
    Membership,
    Organisation,
    Person,
    StakeholderGroup,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-passphrase")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.MUNICIPALITY


class StakeholderGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderGroup

    name = factory.Sequence(lambda n: f"Intressentgrupp {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)


class GoverningBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoverningBody

    name = factory.Sequence(lambda n: f"Grupp {n}")
    slug = factory.Sequence(lambda n: f"grupp-{n}")
    kind = GoverningBody.Kind.STEERING
    meetings_per_year = 6


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(GoverningBodyFactory)
    person = factory.SubFactory(PersonFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(GoverningBodyFactory)
    date = datetime.date(2026, 1, 1)
    title = factory.Sequence(lambda n: f"Möte {n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    kind = Plan.Kind.ACTION_PLAN
    owner = factory.SubFactory(OrganisationFactory)
    start_year = 2026
    end_year = 2027
    status = Plan.Status.ADOPTED
    is_public = True


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Kapitel {n}")
    body = "Text med **fetstil**."


class VisionStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisionStatement

    plan = factory.SubFactory(PlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "En vision."


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    title = factory.Sequence(lambda n: f"Strategi {n}")


class StrategyMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyMeasure

    strategy = factory.SubFactory(StrategyFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "En åtgärd."


class TargetStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetStatement

    plan = factory.SubFactory(PlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    theme = "Attraktivitet"
    text = "Ett mål."


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"F{n}")
    title = factory.Sequence(lambda n: f"Fokusområde {n}")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"{n}")
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Åtgärd {n}")
    status = ActionItem.Status.ONGOING
    progress = 40


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    item = factory.SubFactory(ActionItemFactory)
    status = ActionItem.Status.ONGOING
    progress = 50
    text = "Arbetet går enligt plan."


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    name = factory.Sequence(lambda n: f"Indikator {n}")
    slug = factory.Sequence(lambda n: f"indikator-{n}")
    unit = "%"


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2030
    value = 90


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    date = datetime.date(2025, 12, 31)
    value = 80


class FundingContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingContribution

    plan = factory.SubFactory(PlanFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    year = 2026
    amount = 1000000


class MeetingDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingDecision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Beslut {n}")


class BoardPackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardPack

    meeting = factory.SubFactory(MeetingFactory)


class BoardPackItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardPackItem

    pack = factory.SubFactory(BoardPackFactory)
    plan_title = "Plan"
    code = factory.Sequence(str)
    title = factory.Sequence(lambda n: f"Åtgärd {n}")
    status = "ongoing"
    progress = 40


class BoardPackIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardPackIndicator

    pack = factory.SubFactory(BoardPackFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    value = 80


class RenderedDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RenderedDocument

    plan = factory.SubFactory(PlanFactory)
    kind = "plan"
    language = "sv"
    visibility = "public"
    content = b"%PDF-1.7\n%%EOF\n"
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    status = "ready"


class AdoptedEditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdoptedEdition

    plan = factory.SubFactory(PlanFactory)
    adopted_on = datetime.date(2026, 1, 15)
    language = "sv"
    visibility = "public"
    html = "<html><body><h1>Plan</h1></body></html>"


class ReminderSentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderSent

    item = factory.SubFactory(ActionItemFactory)
    email = "anna@example.se"
    due_on = datetime.date(2026, 6, 1)
    quiet_until = datetime.date(2026, 7, 31)
