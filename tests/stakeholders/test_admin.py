"""The stakeholder admin: people, bodies and their seats, history in words."""

import pytest
from django.urls import reverse
from django.utils import translation

from stakeholders.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _person_data(person, **extra):
    data = {
        "name": person.name,
        "title": person.title,
        "organisation": person.organisation_id or "",
        "email": person.email,
        "phone": person.phone,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_a_seat_is_added_from_the_persons_page_and_recorded(editor_client, editor):
    person = factories.PersonFactory(name="Tina Karrbom Gustavsson")
    body = factories.GoverningBodyFactory(name="Ledningsgruppen")
    response = editor_client.post(
        reverse("admin:stakeholders_person_change", args=[person.pk]),
        _person_data(
            person,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-body": body.pk,
                "memberships-0-role": "director",
                "memberships-0-title": "utvecklingsdirektör",
                "memberships-0-representing": "",
                "memberships-0-party": "",
                "memberships-0-order": "1",
            },
        ),
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person=person, body=body)
    assert membership.role == Membership.Role.DIRECTOR
    assert membership.history.first().history_user == editor


def test_governing_body_page_lists_its_members(editor_client):
    membership = factories.MembershipFactory(person__name="Anna Andersson")
    response = editor_client.get(
        reverse("admin:stakeholders_governingbody_change", args=[membership.body_id])
    )
    content = response.content.decode()
    assert 'name="memberships-TOTAL_FORMS"' in content
    assert "Anna Andersson" in content


def test_organisation_page_lists_its_people(editor_client):
    person = factories.PersonFactory(name="Bo Berg")
    response = editor_client.get(
        reverse("admin:stakeholders_organisation_change", args=[person.organisation_id])
    )
    content = response.content.decode()
    assert 'name="people-TOTAL_FORMS"' in content
    assert "Bo Berg" in content


def test_history_shows_choices_by_their_names(editor_client):
    membership = factories.MembershipFactory(role="member")
    membership.role = "chair"
    membership.save()
    response = editor_client.get(
        reverse("admin:stakeholders_membership_history", args=[membership.pk])
    )
    with translation.override("sv"):
        member = str(Membership.Role.MEMBER.label)
        chair = str(Membership.Role.CHAIR.label)
    changes = [
        (str(change["old"]), str(change["new"]))
        for record in response.context["page_obj"]
        for change in getattr(record, "history_delta_changes", [])
    ]
    assert (member, chair) in changes


def test_organisation_list_counts_people(editor_client):
    organisation = factories.OrganisationFactory()
    factories.PersonFactory.create_batch(3, organisation=organisation)
    response = editor_client.get(reverse("admin:stakeholders_organisation_changelist"))
    counts = {o.pk: o.people_count for o in response.context["cl"].result_list}
    assert counts[organisation.pk] == 3
