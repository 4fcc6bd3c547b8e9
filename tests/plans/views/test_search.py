"""The search page, the search box on every page, the action browser's ``q``
and the items an organisation's page lists as naming it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Plan
from plans.services import search
from plans.services.search import KINDS
from stakeholders.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("plans:search")


def test_every_page_has_a_labelled_search_box(client, bundled_plans):
    html = client.get(reverse("plans:home")).content.decode()
    assert 'role="search"' in html
    assert f'action="{URL}"' in html
    assert '<label class="visually-hidden" for="site-search-q">' in html
    assert 'id="site-search-q" name="q"' in html


def test_finds_the_telefonplan_row_with_the_word_marked(client, bundled_plans):
    overview = client.get(URL, {"q": "arbetsplatser"}).content.decode()
    assert 'id="resultat-items"' in overview
    assert "<mark>arbetsplatser</mark>" in overview
    response = client.get(URL, {"q": "arbetsplatser", "kind": "items"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Telefonplan, kreativa näringar" in html
    assert "ytterligare 2500 <mark>arbetsplatser</mark>" in html


def test_english_page(client, bundled_plans):
    response = client.get("/en/search/", {"q": "Södertörns högskola"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Search</h1>" in html
    assert 'id="resultat-organisations"' in html
    assert "results for “Södertörns högskola”" in html


def test_results_of_one_kind_come_in_pages(client, db):
    plan = factories.PlanFactory()
    for number in range(25):
        factories.ActionItemFactory(plan=plan, title=f"Cykelbana {number}")
    first = client.get(URL, {"q": "cykelbanor", "kind": "items"}).content.decode()
    assert first.count('class="search-result"') == 20
    assert "Sida 1 av 2" in first
    second = client.get(URL, {"q": "cykelbanor", "kind": "items", "page": 2})
    assert second.content.decode().count('class="search-result"') == 5
    overview = client.get(URL, {"q": "cykelbanor"}).content.decode()
    assert overview.count('class="search-result"') == 3
    assert "kind=items" in overview


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Skriv ett eller flera ord"),
        ({"q": ""}, "Skriv ett eller flera ord"),
        ({"q": "a"}, "Skriv minst 2 tecken."),
        ({"q": "x" * 201}, "Skriv högst 200 tecken (du skrev 201)."),
        ({"q": "!!! ???"}, "Sökningen behöver bokstäver eller siffror"),
        ({"q": "zzyzxqq"}, "Ingenting hittades för ”zzyzxqq”"),
        ({"q": "a\x00b"}, "Null-tecken är inte tillåtna."),
    ],
)
def test_every_query_answers_200_with_a_message(client, db, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "<script>alert(1)</script>"},
        {"q": "' OR 1=1 --"},
        {"q": "högskola:* & !( |"},
        {"q": "arbete", "kind": "bogus", "page": "-3"},
        {"q": "arbete", "kind": "items", "page": "99999"},
        {"q": "ord " * 60},
    ],
)
def test_hostile_queries_answer_200(client, bundled_plans, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_bad_kind_or_page_still_searches(client, bundled_plans):
    html = client.get(URL, {"q": "arbetsplatser", "kind": "bogus", "page": "x"})
    html = html.content.decode()
    assert "Sökadressen är inte giltig" in html
    assert 'id="resultat-items"' in html


def test_anonymous_visitors_find_no_draft_text_or_internal_note(client, reader):
    draft = factories.PlanFactory(status=Plan.Status.DRAFT, is_public=False)
    factories.SectionFactory(plan=draft, heading="Utkast", body="Zeppelinarhangar")
    factories.ActionItemFactory(title="Öppen", internal_note="Hemlig kvarnsten")

    def page(text):
        return client.get(URL, {"q": text}).content.decode()

    assert "Ingenting hittades" in page("Zeppelinarhangar kvarnsten")
    for word in ("Zeppelinarhangar", "kvarnsten"):
        assert 'class="search-result"' not in page(word)
    client.force_login(reader)
    assert "<mark>Zeppelinarhangar</mark>" in page("Zeppelinarhangar")
    assert "<mark>kvarnsten</mark>" in page("kvarnsten")


def test_query_count_does_not_grow_with_the_data(client, reader):
    client.force_login(reader)

    def add(n):
        plan = factories.PlanFactory(title="Plan om arbetsplatser")
        factories.SectionFactory(plan=plan, body="Fler arbetsplatser")
        body = factories.GoverningBodyFactory(mandate="Arbetsplatser i regionen")
        factories.MeetingDecisionFactory(
            meeting=factories.MeetingFactory(body=body), text="Nya arbetsplatser"
        )
        for _ in range(n):
            item = factories.ActionItemFactory(plan=plan, schedule="arbetsplatser")
            factories.ActionUpdateFactory(item=item, text="Nya arbetsplatser")

    def count():
        """A search the data just made new, with the lexicon current."""
        search.refresh_lexicon()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"q": "arbetsplatser"})
        assert response.status_code == 200
        return len(captured)

    add(10)
    small = count()
    add(50)
    assert count() == small
    # The session, the user and their permissions, the organisations' names,
    # the spelling corrections (PostgreSQL), then one per kind.
    assert small <= len(KINDS) + 6


def test_action_browser_q_uses_the_search(client, bundled_plans):
    html = client.get(
        reverse("plans:actionitem-list"), {"q": "Södertörns högskola"}
    ).content.decode()
    assert "KISPs fortsatta expansion" in html
    html = client.get(
        reverse("plans:actionitem-list"), {"q": "arbetsplatser"}
    ).content.decode()
    assert "Telefonplan, kreativa näringar" in html


def test_organisation_page_lists_the_items_naming_it(client, bundled_plans):
    sh = Organisation.objects.get(short_name="SH")
    html = client.get(sh.get_absolute_url()).content.decode()
    assert "Åtgärder som nämner den" in html
    assert "KISPs fortsatta expansion" in html
