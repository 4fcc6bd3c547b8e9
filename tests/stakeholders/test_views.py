"""Stakeholders (/stakeholders/) and governance (/governance/) pages."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Plan
from stakeholders.models import GoverningBody, Membership, Organisation
from tests import factories

pytestmark = pytest.mark.django_db

NBSP = "\N{NO-BREAK SPACE}"


def page_text(response):
    """The visible text of a page: tags removed, entities and spaces normalised."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    text = re.sub(r"\s+", " ", text.replace(NBSP, " "))
    # Undo the space the tag removal leaves before punctuation.
    return re.sub(r" ([,.:)])", r"\1", text)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture(params=["anonymous", "reader", "editor"])
def any_user(request):
    if request.param == "anonymous":
        return None
    return request.getfixturevalue(request.param)


@pytest.fixture
def huddinge(db):
    return factories.OrganisationFactory(
        name="Huddinge kommun", short_name="Huddinge", slug="huddinge-kommun"
    )


@pytest.fixture
def governance(huddinge):
    """A steering group with a chair and a management group reporting to it."""
    steering = factories.GoverningBodyFactory(
        name="Politisk styrgrupp",
        slug="politisk-styrgrupp",
        order=1,
        cadence="6 gånger/år",
        mandate="En **politisk styrgrupp** styr.\n\nAndra stycket.",
    )
    management = factories.GoverningBodyFactory(
        name="Ledningsgrupp",
        slug="ledningsgrupp",
        kind=GoverningBody.Kind.MANAGEMENT,
        order=2,
        reports_to=steering,
    )
    chair = factories.PersonFactory(name="Anna Ordförande", organisation=huddinge)
    factories.MembershipFactory(
        body=steering,
        person=chair,
        role=Membership.Role.CHAIR,
        representing=huddinge,
        party="s",
    )
    factories.MembershipFactory(
        body=management,
        person=factories.PersonFactory(name="Bo Direktör", organisation=huddinge),
        title="kommundirektör",
        representing=huddinge,
    )
    return steering, management


# ---------------------------------------------------------------------------
# Every page, every role, both languages
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize(
    ("url", "key_content"),
    [
        ("/stakeholders/", "Huddinge kommun"),
        ("/stakeholders/huddinge-kommun/", "Bo Direktör"),
        ("/governance/", "Anna Ordförande"),
        ("/governance/ledningsgrupp/", "kommundirektör"),
    ],
)
def test_page_renders_for_every_role_and_language(
    client, any_user, governance, prefix, url, key_content
):
    if any_user is not None:
        client.force_login(any_user)
    response = client.get(prefix + url)
    assert response.status_code == 200
    assert key_content in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/stakeholders/ingen-alls/", "/governance/ingen-alls/"]
)
def test_unknown_slugs_answer_404(client, url):
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------


class TestOrganisationList:
    def test_organisations_are_grouped_by_kind_in_the_kind_order(self, client):
        factories.OrganisationFactory(name="KTH", kind=Organisation.Kind.ACADEMIA)
        factories.OrganisationFactory(name="Botkyrka kommun")
        factories.OrganisationFactory(
            name="Region Stockholm", kind=Organisation.Kind.REGION
        )
        response = client.get("/en/stakeholders/")
        groups = [
            (label, [org.name for org in orgs])
            for label, orgs in response.context["by_kind"]
        ]
        assert groups == [
            ("Region", ["Region Stockholm"]),
            ("Municipality", ["Botkyrka kommun"]),
            ("University or college", ["KTH"]),
        ]
        text = page_text(response)
        assert text.index("Region Stockholm") < text.index("Botkyrka kommun")

    def test_stakeholder_groups_list_their_organisations(self, client, huddinge):
        group = factories.StakeholderGroupFactory(name="Kommunerna")
        group.organisations.add(huddinge)
        factories.StakeholderGroupFactory(name="Studenter")
        response = client.get("/stakeholders/")
        content = response.content.decode()
        assert "Kommunerna" in content
        assert "Studenter" in content
        assert f'id="group-{group.pk}"' in content
        assert huddinge.get_absolute_url() in content

    def test_no_organisations_shows_an_empty_state(self, client):
        text = page_text(client.get("/en/stakeholders/"))
        assert "No organisations have been registered yet." in text


class TestOrganisationDetail:
    def test_shows_people_memberships_and_groups(self, client, governance, huddinge):
        factories.PersonFactory(
            name="Cecilia Utan Plats", title="planerare", organisation=huddinge
        )
        group = factories.StakeholderGroupFactory(name="Kommunerna")
        group.organisations.add(huddinge)
        response = client.get("/en/stakeholders/huddinge-kommun/")
        text = page_text(response)
        assert "Cecilia Utan Plats, planerare" in text
        assert "Politisk styrgrupp Anna Ordförande Chair (s)" in text
        assert "Ledningsgrupp Bo Direktör Member, kommundirektör" in text
        assert "Kommunerna" in text

    def test_lists_the_visible_items_it_is_responsible_for(
        self, client, reader, huddinge
    ):
        plan = factories.PlanFactory(title="Handlingsplan Testby")
        factories.ActionItemFactory(
            plan=plan, responsible_organisation=huddinge, title="Bygg en park"
        )
        factories.ActionItemFactory(
            plan=plan,
            responsible_organisation=huddinge,
            title="Intern utredning",
            is_public=False,
        )
        draft = factories.PlanFactory(status=Plan.Status.DRAFT)
        factories.ActionItemFactory(
            plan=draft, responsible_organisation=huddinge, title="Utkastets åtgärd"
        )
        content = client.get("/stakeholders/huddinge-kommun/").content.decode()
        assert "Bygg en park" in content
        assert "Intern utredning" not in content
        assert "Utkastets åtgärd" not in content

        client.force_login(reader)
        content = client.get("/stakeholders/huddinge-kommun/").content.decode()
        assert "Intern utredning" in content
        assert "Utkastets åtgärd" in content

    def test_funding_is_shown_per_plan_and_year_in_swedish_format(
        self, client, huddinge
    ):
        plan = factories.PlanFactory(title="Verksamhetsplan Testby")
        factories.FundingContributionFactory(
            plan=plan, organisation=huddinge, year=2009, amount=1000000
        )
        factories.FundingContributionFactory(
            plan=plan, organisation=huddinge, year=2010, amount=500000
        )
        response = client.get("/stakeholders/huddinge-kommun/")
        content = response.content.decode()
        assert f"1{NBSP}000{NBSP}000 kr" in content
        assert f"500{NBSP}000 kr" in content
        assert f"1{NBSP}500{NBSP}000 kr" in content  # the total
        assert "Verksamhetsplan Testby" in content

    def test_funding_of_a_draft_plan_is_hidden_from_anonymous_visitors(
        self, client, reader, huddinge
    ):
        draft = factories.PlanFactory(status=Plan.Status.DRAFT)
        factories.FundingContributionFactory(
            plan=draft, organisation=huddinge, amount=4242000
        )
        assert f"4{NBSP}242{NBSP}000" not in (
            client.get("/stakeholders/huddinge-kommun/").content.decode()
        )
        client.force_login(reader)
        assert f"4{NBSP}242{NBSP}000" in (
            client.get("/stakeholders/huddinge-kommun/").content.decode()
        )

    def test_empty_organisation_shows_empty_states(self, client, huddinge):
        text = page_text(client.get("/en/stakeholders/huddinge-kommun/"))
        assert "This organisation has no seats in the governing bodies." in text
        assert "not responsible for any action item you can see" in text
        assert "No funding contributions of this organisation are published." in text


# ---------------------------------------------------------------------------
# Governance
# ---------------------------------------------------------------------------


class TestGovernance:
    def test_bodies_are_shown_in_order_with_members(self, client, governance):
        text = page_text(client.get("/en/governance/"))
        assert text.index("Politisk styrgrupp Meets") < text.index(
            "Ledningsgrupp Meets"
        )
        assert "Anna Ordförande Chair – Huddinge kommun s" in text
        assert "Bo Direktör Member kommundirektör Huddinge kommun" in text

    def test_the_chair_is_called_ordforande_in_swedish(self, client, governance):
        text = page_text(client.get("/governance/"))
        assert "Anna Ordförande Ordförande" in text

    def test_reporting_lines_are_spelled_out(self, client, governance):
        text = page_text(client.get("/en/governance/"))
        assert "Ledningsgrupp reports to Politisk styrgrupp" in text

    def test_cadence_is_shown(self, client, governance):
        text = page_text(client.get("/en/governance/"))
        assert "6 gånger/år" in text
        assert "6 gånger/år (6 meetings a year)" not in text  # no repetition

    def test_mandate_keeps_paragraphs_and_bold_and_escapes_html(self, client):
        factories.GoverningBodyFactory(
            name="Testgrupp", mandate="**Viktigt** <script>alert(1)</script>\n\nTvå"
        )
        content = client.get("/governance/").content.decode()
        # Markdown, sanitised as in the plan documents: the script is dropped.
        assert "<p><strong>Viktigt</strong>" in content
        assert "<script>" not in content  # (the page's own scripts have a src)
        assert "alert(1)" not in content
        assert "<p>Två</p>" in content

    def test_public_meetings_are_listed_and_internal_ones_hidden(
        self, client, reader, governance
    ):
        steering, _management = governance
        factories.MeetingFactory(body=steering, title="Öppet möte")
        factories.MeetingFactory(body=steering, title="Slutet möte", is_public=False)
        content = client.get("/governance/").content.decode()
        assert "Öppet möte" in content
        assert "Slutet möte" not in content
        client.force_login(reader)
        assert "Slutet möte" in client.get("/governance/").content.decode()

    def test_no_meetings_shows_an_empty_state(self, client, governance):
        text = page_text(client.get("/en/governance/"))
        assert "No meetings have been published yet." in text

    def test_body_page_shows_mandate_members_and_reporting(self, client, governance):
        text = page_text(client.get("/en/governance/politisk-styrgrupp/"))
        assert "En politisk styrgrupp styr." in text
        assert "Anna Ordförande" in text
        assert "Reported to by Ledningsgrupp" in text
        text = page_text(client.get("/en/governance/ledningsgrupp/"))
        assert "Reports to Politisk styrgrupp" in text

    def test_body_page_lists_its_own_public_meetings(self, client, governance):
        steering, management = governance
        factories.MeetingFactory(body=steering, title="Styrgruppsmöte")
        factories.MeetingFactory(body=management, title="Ledningsmöte")
        content = client.get("/governance/politisk-styrgrupp/").content.decode()
        assert "Styrgruppsmöte" in content
        assert "Ledningsmöte" not in content


# ---------------------------------------------------------------------------
# Query counts do not grow with the number of items, members or meetings
# ---------------------------------------------------------------------------


def populate(organisation, body, count):
    """Items, organisations in a group, members, meetings and funding rows."""
    plan = Plan.objects.get(slug="testby")
    group = factories.StakeholderGroupFactory()
    for _ in range(count):
        factories.ActionItemFactory(plan=plan, responsible_organisation=organisation)
        group.organisations.add(factories.OrganisationFactory())
    for _ in range(count // 10):
        factories.MembershipFactory(
            body=body,
            person=factories.PersonFactory(organisation=organisation),
            representing=factories.OrganisationFactory(),
        )
        factories.MeetingFactory(body=body)
        factories.FundingContributionFactory(
            plan=plan,
            organisation=organisation,
            year=2000 + organisation.funding_contributions.count(),
        )


@pytest.mark.parametrize(
    "url",
    [
        "/stakeholders/",
        "/stakeholders/huddinge-kommun/",
        "/governance/",
        "/governance/politisk-styrgrupp/",
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_query_count_is_the_same_with_10_and_300_items(
    client, request, governance, huddinge, url, role
):
    if role == "reader":
        client.force_login(request.getfixturevalue("reader"))
    steering, _management = governance
    factories.PlanFactory(slug="testby")
    populate(huddinge, steering, 10)
    client.get(url)  # warm up session and permission caches
    with_10 = count_queries(client, url)
    populate(huddinge, steering, 290)
    assert count_queries(client, url) == with_10
