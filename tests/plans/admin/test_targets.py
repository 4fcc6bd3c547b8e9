"""Target suggestions from text: offered after a save, created only on confirmation."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from plans.admin.targets import TargetSuggestionMixin
from plans.models import ActionItem, Indicator, IndicatorTarget, TargetStatement
from tests import factories
from tests.admin_posts import change_form_data

pytestmark = pytest.mark.django_db

D = Decimal
EXPECTED_RESULT = (
    "Kvoten mellan dag och nattbefolkning ökar så att andelen förvärvsarbetande "
    "dagbefolkning utgör minst 90 % av …"
)
SCHEDULE = "Uppnått 2030, delmål: 82 % år 2015, 85% år 2020"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def item():
    return factories.ActionItemFactory(
        title="Fler arbetsplatser",
        expected_result=EXPECTED_RESULT,
        schedule=SCHEDULE,
    )


def change_url(obj):
    return reverse(f"admin:plans_{obj._meta.model_name}_change", args=[obj.pk])


def suggestions_url(obj):
    return reverse(
        f"admin:plans_{obj._meta.model_name}_target_suggestions", args=[obj.pk]
    )


def confirmation_data(targets, prefix="indicator-0", **indicator):
    """The confirmation page's form: one proposed indicator and its targets."""
    data = {
        f"{prefix}-create": "on",
        f"{prefix}-name": "Andel förvärvsarbetande dagbefolkning",
        f"{prefix}-unit": "%",
        f"{prefix}-direction": "higher",
        f"{prefix}-baseline_year": "",
        f"{prefix}-baseline_value": "",
        f"{prefix}-description": "",
        f"{prefix}-targets-TOTAL_FORMS": str(len(targets)),
        f"{prefix}-targets-INITIAL_FORMS": str(len(targets)),
        f"{prefix}-targets-MIN_NUM_FORMS": "0",
        f"{prefix}-targets-MAX_NUM_FORMS": "1000",
    }
    for index, (year, value, label) in enumerate(targets):
        row = f"{prefix}-targets-{index}"
        data[f"{row}-include"] = "on"
        data[f"{row}-year"] = "" if year is None else str(year)
        data[f"{row}-value"] = str(value)
        data[f"{row}-label"] = label
    for key, value in indicator.items():
        if value is None:
            data.pop(f"{prefix}-{key}", None)
        else:
            data[f"{prefix}-{key}"] = value
    return data


MILESTONES = [(2015, 82, "delmål"), (2020, 85, "delmål"), (2030, 90, "mål")]


# ---------------------------------------------------------------------------
# The offer after a save
# ---------------------------------------------------------------------------


def test_both_admins_use_the_mixin():
    assert isinstance(admin.site._registry[ActionItem], TargetSuggestionMixin)
    assert isinstance(admin.site._registry[TargetStatement], TargetSuggestionMixin)


def test_saving_an_item_with_targets_offers_them_and_creates_nothing(
    editor_client, item
):
    response = editor_client.post(change_url(item), change_form_data(item))
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    offer = next(m for m in messages if suggestions_url(item) in m)
    assert "90" in offer and "82" in offer and "85" in offer
    assert Indicator.objects.count() == 0
    assert IndicatorTarget.objects.count() == 0


def test_saving_an_item_without_targets_offers_nothing(editor_client):
    plain = factories.ActionItemFactory(
        title="Åtgärd 12",  # a number, but no target
        assignment="Utreda väg 73",
        expected_result="Bättre samverkan",
        schedule="Strategi klar hösten 2010",
    )
    response = editor_client.post(change_url(plain), change_form_data(plain))
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert not any("target-suggestions" in m for m in messages)


def test_targets_already_covered_by_a_linked_indicator_are_not_offered_again(
    editor_client, item
):
    indicator = factories.IndicatorFactory()
    indicator.action_items.add(item)
    for year, value, label in MILESTONES:
        factories.IndicatorTargetFactory(
            indicator=indicator, year=year, value=value, label=label
        )
    response = editor_client.post(change_url(item), change_form_data(item))
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert not any("target-suggestions" in m for m in messages)


def test_adding_a_target_statement_offers_its_targets(editor_client):
    plan = factories.PlanFactory()
    response = editor_client.post(
        reverse("admin:plans_targetstatement_add"),
        {
            "plan": plan.pk,
            "order": 1,
            "theme": "Innovation",
            "text": "Ett tiotal nya företag föds varje år.",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    statement = TargetStatement.objects.get(plan=plan)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(suggestions_url(statement) in m for m in messages)
    assert Indicator.objects.count() == 0


# ---------------------------------------------------------------------------
# The confirmation page
# ---------------------------------------------------------------------------


def test_the_page_lists_the_parsed_targets_prefilled(editor_client, item):
    response = editor_client.get(suggestions_url(item))
    assert response.status_code == 200
    (proposal,) = response.context["proposals"]
    assert proposal.form.initial["name"] == "Fler arbetsplatser"
    assert proposal.form.initial["unit"] == "%"
    assert [(t["year"], t["value"]) for t in proposal.targets.initial] == [
        (2015, D(82)),
        (2020, D(85)),
        (2030, D(90)),
    ]
    content = response.content.decode()
    assert 'name="indicator-0-targets-0-year" value="2015"' in content
    assert 'name="indicator-0-name" value="Fler arbetsplatser"' in content
    assert Indicator.objects.count() == 0


def test_confirming_creates_the_indicator_and_its_targets_linked_to_the_item(
    editor_client, item
):
    response = editor_client.post(suggestions_url(item), confirmation_data(MILESTONES))
    assert response.status_code == 302
    assert response["Location"] == change_url(item)
    indicator = Indicator.objects.get()
    assert indicator.name == "Andel förvärvsarbetande dagbefolkning"
    assert indicator.unit == "%"
    assert indicator.slug == "andel-forvarvsarbetande-dagbefolkning"
    assert list(indicator.action_items.all()) == [item]
    assert list(indicator.plans.all()) == [item.plan]
    assert list(indicator.targets.values_list("year", "value", "label")) == [
        (2015, D(82), "delmål"),
        (2020, D(85), "delmål"),
        (2030, D(90), "mål"),
    ]
    assert indicator.history.count() == 1


def test_the_editor_can_correct_a_suggestion_before_confirming(editor_client, item):
    data = confirmation_data(MILESTONES, baseline_year="2010", baseline_value="78")
    data["indicator-0-targets-2-value"] = "91,5"
    data["indicator-0-targets-1-include"] = ""
    response = editor_client.post(suggestions_url(item), data)
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.baseline_year, indicator.baseline_value) == (2010, D(78))
    assert list(indicator.targets.values_list("year", "value")) == [
        (2015, D(82)),
        (2030, D("91.5")),
    ]


def test_the_empty_last_row_adds_a_target_the_text_does_not_state(editor_client, item):
    page = editor_client.get(suggestions_url(item))
    (proposal,) = page.context["proposals"]
    assert len(proposal.targets.forms) == 4  # three parsed, one empty
    assert not proposal.targets.forms[3]["include"].value()
    data = confirmation_data(MILESTONES)
    data["indicator-0-targets-TOTAL_FORMS"] = "4"
    data["indicator-0-targets-3-year"] = "2025"
    data["indicator-0-targets-3-value"] = "87,5"
    data["indicator-0-targets-3-label"] = "delmål"
    assert editor_client.post(suggestions_url(item), data).status_code == 302
    assert list(Indicator.objects.get().targets.values_list("year", "value")) == [
        (2015, D(82)),
        (2020, D(85)),
        (2025, D("87.5")),
        (2030, D(90)),
    ]


def test_unticking_the_indicator_creates_nothing(editor_client, item):
    response = editor_client.post(
        suggestions_url(item), confirmation_data(MILESTONES, create=None)
    )
    assert response.status_code == 302
    assert Indicator.objects.count() == 0


def test_a_name_in_use_is_refused_and_nothing_is_created(editor_client, item):
    factories.IndicatorFactory(name="Andel förvärvsarbetande dagbefolkning")
    response = editor_client.post(suggestions_url(item), confirmation_data(MILESTONES))
    assert response.status_code == 200
    assert response.context["proposals"][0].form.errors["name"]
    assert Indicator.objects.count() == 1
    assert IndicatorTarget.objects.count() == 0


def test_two_targets_for_the_same_year_are_refused(editor_client, item):
    targets = [(2015, 82, "delmål"), (2015, 85, "delmål")]
    response = editor_client.post(suggestions_url(item), confirmation_data(targets))
    assert response.status_code == 200
    assert response.context["proposals"][0].targets.non_form_errors()
    assert Indicator.objects.count() == 0


def test_an_included_target_needs_a_value(editor_client, item):
    data = confirmation_data(MILESTONES)
    data["indicator-0-targets-0-value"] = ""
    response = editor_client.post(suggestions_url(item), data)
    assert response.status_code == 200
    assert Indicator.objects.count() == 0


def test_confirming_from_a_target_statement_links_the_statement(editor_client):
    statement = factories.TargetStatementFactory(
        text="Det innebär att ett tiotal nya företag föds varje år."
    )
    page = editor_client.get(suggestions_url(statement))
    (proposal,) = page.context["proposals"]
    assert proposal.form.initial["unit"] == "företag/år"
    response = editor_client.post(
        suggestions_url(statement),
        confirmation_data(
            [(2011, 10, "ett tiotal")], name="Nya företag per år", unit="företag/år"
        ),
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert list(indicator.target_statements.all()) == [statement]
    assert list(indicator.targets.values_list("year", "value")) == [(2011, D(10))]


def test_a_reader_cannot_open_the_page(client, reader, item):
    reader.is_staff = True  # a steering group member with back office access
    reader.save()
    client.force_login(reader)
    assert client.get(suggestions_url(item)).status_code == 403
    assert (
        client.post(suggestions_url(item), confirmation_data(MILESTONES)).status_code
        == 403
    )
    assert Indicator.objects.count() == 0


def test_an_unknown_item_is_404(editor_client):
    url = reverse("admin:plans_actionitem_target_suggestions", args=[999999])
    assert editor_client.get(url).status_code == 404


# ---------------------------------------------------------------------------
# Publication follows the source (issue 18, finding 2)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hide",
    [
        {"item": {"is_public": False}},
        {"plan": {"status": "draft"}},
        {"plan": {"is_public": False}},
    ],
    ids=["internal-item", "draft-plan", "non-public-plan"],
)
def test_an_indicator_from_hidden_text_is_internal_and_not_named_after_it(
    editor_client, item, hide
):
    for field, value in hide.get("item", {}).items():
        setattr(item, field, value)
    item.save()
    for field, value in hide.get("plan", {}).items():
        setattr(item.plan, field, value)
    item.plan.save()

    response = editor_client.get(suggestions_url(item))
    (proposal,) = response.context["proposals"]
    assert proposal.form.initial["name"] == ""
    assert proposal.form.initial["description"] == ""
    assert proposal.form.initial["is_public"] is False
    assert 'value="Fler arbetsplatser"' not in response.content.decode()

    data = confirmation_data(MILESTONES, name="Sysselsättningsgrad")
    editor_client.post(suggestions_url(item), data)
    indicator = Indicator.objects.get()
    assert indicator.is_public is False
    visitor = Client()
    anonymous = visitor.get(reverse("plans:indicator-list")).content.decode()
    assert "Sysselsättningsgrad" not in anonymous
    detail = reverse("plans:indicator-detail", args=[indicator.pk])
    assert visitor.get(detail).status_code == 404


def test_an_indicator_from_a_public_item_is_public_by_default(editor_client, item):
    response = editor_client.get(suggestions_url(item))
    (proposal,) = response.context["proposals"]
    assert proposal.form.initial["is_public"] is True
    data = confirmation_data(MILESTONES, is_public="on")
    editor_client.post(suggestions_url(item), data)
    assert Indicator.objects.get().is_public is True


def test_the_editor_may_keep_an_indicator_from_public_text_internal(
    editor_client, item
):
    editor_client.post(suggestions_url(item), confirmation_data(MILESTONES))
    assert Indicator.objects.get().is_public is False
