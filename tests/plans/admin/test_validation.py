"""Validation in the admin: clear messages next to the field, in Swedish and
English."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from plans.models import ActionItem, ActionUpdate, FundingContribution
from tests import factories
from tests.admin_posts import change_form_data

pytestmark = pytest.mark.django_db

MESSAGES = {
    "progress_range": "Progress must be between 0 and 100.",
    "start_before_due": "The start date must be on or before the due date.",
    "amount": "The amount cannot be negative.",
    "decided_amount": "The decided amount cannot be negative.",
    "paid_amount": "The paid amount cannot be negative.",
    "done": (
        "A done item has progress 100 %. Set the progress to 100, or say "
        "in “Why not 100 %” why it stays lower."
    ),
}


def _in(language, message):
    with translation.override(language):
        return translation.gettext(message)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _item_errors(client, item, **changes):
    response = client.post(
        reverse("admin:plans_actionitem_change", args=[item.pk]),
        change_form_data(item, **changes),
    )
    assert response.status_code == 200, "the save should have been refused"
    item.refresh_from_db()
    assert item.version == 1
    return response.context["adminform"].form.errors


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"progress": 101}, "progress", "progress_range"),
        (
            {"start_date": "2026-05-01", "due_date": "2026-04-01"},
            "due_date",
            "start_before_due",
        ),
        ({"status": "done", "progress": 80}, "progress", "done"),
    ],
    ids=["progress-over-100", "start-after-due", "done-below-100"],
)
def test_action_item_rules_are_shown_next_to_the_field(
    editor_client, changes, field, message
):
    item = factories.ActionItemFactory(progress=40)
    errors = _item_errors(editor_client, item, **changes)
    assert errors[field] == [_in("sv", MESSAGES[message])]


def test_negative_progress_is_refused(editor_client):
    item = factories.ActionItemFactory()
    errors = _item_errors(editor_client, item, progress=-5)
    assert "progress" in errors


def test_a_done_item_below_100_is_accepted_when_it_says_why(editor_client):
    item = factories.ActionItemFactory(progress=40)
    response = editor_client.post(
        reverse("admin:plans_actionitem_change", args=[item.pk]),
        change_form_data(
            item, status="done", progress=80, progress_note="Resten ströks i budget"
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress) == ("done", 80)


def test_progress_out_of_range_in_the_list_is_refused(editor_client):
    from tests.admin_posts import changelist_post

    item = factories.ActionItemFactory(progress=40)
    response = editor_client.post(
        reverse("admin:plans_actionitem_changelist"),
        changelist_post([item], {item.pk: {"progress": 150}}),
    )
    assert response.status_code == 200
    form = response.context["cl"].formset.forms[0]
    assert form.errors["progress"] == [_in("sv", MESSAGES["progress_range"])]
    item.refresh_from_db()
    assert item.progress == 40


@pytest.mark.parametrize("field", ["amount", "decided_amount", "paid_amount"])
def test_negative_funding_is_refused_next_to_the_amount(editor_client, field):
    plan = factories.PlanFactory()
    organisation = factories.OrganisationFactory()
    data = {
        "plan": plan.pk,
        "organisation": organisation.pk,
        "year": 2026,
        "amount": "1000",
        "decided_amount": "",
        "paid_amount": "",
        "note": "",
    }
    data[field] = "-1"
    response = editor_client.post(reverse("admin:plans_fundingcontribution_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors[field] == [_in("sv", MESSAGES[field])]
    assert not FundingContribution.objects.exists()


def test_a_plan_slug_must_be_unique(editor_client):
    existing = factories.PlanFactory(slug="handlingsplan-2009")
    response = editor_client.post(
        reverse("admin:plans_plan_add"),
        {
            "title": "Kopia",
            "slug": existing.slug,
            "kind": "action_plan",
            "owner": existing.owner_id,
            "start_year": 2026,
            "end_year": 2026,
            "status": "draft",
            "sections-TOTAL_FORMS": 0,
            "sections-INITIAL_FORMS": 0,
            "strategies-TOTAL_FORMS": 0,
            "strategies-INITIAL_FORMS": 0,
            "focus_areas-TOTAL_FORMS": 0,
            "focus_areas-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["slug"]
    assert "finns redan" in message  # Django's own Swedish catalogue


def test_an_organisation_slug_must_be_unique(editor_client):
    existing = factories.OrganisationFactory(slug="kth")
    response = editor_client.post(
        reverse("admin:stakeholders_organisation_add"),
        {
            "name": "Annan",
            "slug": existing.slug,
            "kind": "other",
            "people-TOTAL_FORMS": 0,
            "people-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"]


# -- the same rules, in English, where the model is validated ------------------


@pytest.mark.parametrize(
    ("build", "field", "message"),
    [
        (
            lambda: factories.ActionItemFactory.build(progress=120),
            "progress",
            "progress_range",
        ),
        (
            lambda: factories.ActionItemFactory.build(
                start_date=datetime.date(2026, 5, 1),
                due_date=datetime.date(2026, 1, 1),
            ),
            "due_date",
            "start_before_due",
        ),
        (
            lambda: factories.ActionItemFactory.build(status="done", progress=50),
            "progress",
            "done",
        ),
        (
            lambda: factories.FundingContributionFactory.build(amount=-10),
            "amount",
            "amount",
        ),
        (
            lambda: ActionUpdate(
                item=factories.ActionItemFactory(),
                status="done",
                progress=101,
                text="x",
            ),
            "progress",
            "progress_range",
        ),
    ],
    ids=["progress", "dates", "done", "amount", "update-progress"],
)
@pytest.mark.parametrize("language", ["en", "sv"])
def test_model_validation_messages_in_both_languages(build, field, message, language):
    obj = build()
    if obj.pk is None and hasattr(obj, "plan") and obj.plan.pk is None:
        obj.plan.owner.save()
        obj.plan.owner_id = obj.plan.owner.pk
        obj.plan.save()
        obj.plan_id = obj.plan.pk
    if isinstance(obj, FundingContribution):
        obj.organisation.save()
        obj.organisation_id = obj.organisation.pk
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            obj.full_clean()
        shown = error.value.message_dict[field]
    assert _in(language, MESSAGES[message]) in shown


def _read_po(path):
    """msgid → msgstr of a PO file, without fuzzy entries (never compiled)."""
    entries = {}
    for block in Path(path).read_text(encoding="utf-8").split("\n\n"):
        lines = [line.strip() for line in block.splitlines()]
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            continue
        parts, current = {}, None
        for line in lines:
            if line.startswith(("msgid ", "msgstr ", "msgstr[0] ")):
                current, _space, rest = line.partition(" ")
                parts[current] = _unquote(rest)
            elif line.startswith('"') and current:
                parts[current] += _unquote(line)
        if "msgid" in parts:
            entries[parts["msgid"]] = parts.get("msgstr", parts.get("msgstr[0]", ""))
    return entries


def _unquote(text):
    return text.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n")


def test_every_validation_message_has_a_swedish_translation():
    locale = Path(settings.BASE_DIR) / "locale" / "sv"
    entries = {}
    for path in [
        locale / "LC_MESSAGES" / "django.po",
        *sorted((locale / "pending").glob("*.po")),
    ]:
        entries.update({k: v for k, v in _read_po(path).items() if v})
    for message in MESSAGES.values():
        assert entries.get(message), f"no Swedish for {message!r}"
    with translation.override(None):
        constraint_messages = [
            str(constraint.violation_error_message)
            for constraint in ActionItem._meta.constraints
            if constraint.violation_error_message
        ]
    for message in constraint_messages:
        assert entries.get(message), f"no Swedish for {message!r}"
