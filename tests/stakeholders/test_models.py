"""Constraints and QuerySets of the stakeholders app."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from plans.models import Meeting
from stakeholders.models import GoverningBody, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def test_organisation_slug_is_made_from_the_name():
    org = Organisation.objects.create(name="Södertörns högskola")
    assert org.slug == "sodertorns-hogskola"
    assert org.label == "Södertörns högskola"


def test_organisation_name_is_unique():
    factories.OrganisationFactory(name="KTH")
    with pytest.raises(ValidationError) as exc:
        factories.OrganisationFactory.build(name="KTH", slug="kth-2").full_clean()
    assert "name" in exc.value.message_dict


def test_a_person_cannot_sit_twice_in_the_same_body():
    membership = factories.MembershipFactory()
    duplicate = factories.MembershipFactory.build(
        body=membership.body, person=membership.person
    )
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "Personen är redan ledamot i den här gruppen." in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_an_organisation_with_people_cannot_be_deleted():
    person = factories.PersonFactory()
    with pytest.raises(ProtectedError):
        person.organisation.delete()


def test_bodies_with_members_prefetch_people(django_assert_num_queries):
    for _ in range(3):
        factories.MembershipFactory()
    with django_assert_num_queries(2):
        names = [
            m.person.name
            for body in GoverningBody.objects.with_members()
            for m in body.memberships.all()
        ]
    assert len(names) == 3


def test_meetings_visibility(reader):
    factories.MeetingFactory()
    factories.MeetingFactory(is_public=False)
    assert Meeting.objects.visible_to(AnonymousUser()).count() == 1
    assert Meeting.objects.visible_to(reader).count() == 2


def test_organisation_of_kind():
    factories.OrganisationFactory(kind=Organisation.Kind.COMPANY)
    factories.OrganisationFactory(kind=Organisation.Kind.ACADEMIA)
    assert Organisation.objects.of_kind("company").count() == 1
