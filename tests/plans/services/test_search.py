"""The search service (plans.services.search) on the bundled plans, on the
database the suite runs on (SQLite by default, PostgreSQL in CI)."""

import importlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import ActionItem, Plan
from plans.services import search
from plans.services.search import sqlite
from plans.services.search.kinds import KINDS
from plans.services.search.query import parse, stem
from stakeholders.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def found(text, user=ANONYMOUS, kind="items"):
    """The titles of every result of ``kind``."""
    results = search.search(search.read_query(text), user, kind=kind)
    titles = []
    while True:
        titles += [
            "".join(piece.text for piece in result.title)
            for group in results.groups
            for result in group.results
        ]
        if not results.has_next:
            return titles
        results = search.search(results.query, user, kind=kind, page=results.page + 1)


def item_codes(text, user=ANONYMOUS):
    matching = search.filter_items(ActionItem.objects.all(), text, user)
    return set(matching.values_list("plan__slug", "code"))


def test_swedish_stems_are_shared_by_inflections():
    assert stem("högskolor") == stem("högskola") == "hogskol"
    assert stem("arbetsplatser") == "arbetsplats"


def test_organisation_name_in_a_query_also_means_its_short_name():
    query = parse("Södertörns högskola", [("Södertörns högskola", "SH")])
    assert query.tsquery == "((('södertörns':* <-> 'högskola':*)) | ('sh'))"
    by_short_name = parse("SH", [("Södertörns högskola", "SH")])
    assert by_short_name.tsquery == "(('sh') | (('södertörns':* <-> 'högskola':*)))"


def test_arbetsplatser_finds_the_telefonplan_row_by_its_schedule(bundled_plans):
    assert ("soderort-2030", "6") in item_codes("arbetsplatser")
    assert any("Telefonplan" in title for title in found("arbetsplatser"))


def test_sodertorns_hogskola_finds_the_items_naming_sh_and_the_organisation(
    bundled_plans,
):
    codes = item_codes("Södertörns högskola")
    assert {("handlingsplan-2009", "1.2"), ("handlingsplan-2009", "2.1")} <= codes
    assert "Södertörns högskola" in found("Södertörns högskola", kind="organisations")


def test_hogskolor_and_hogskola_find_each_others_items(bundled_plans):
    item = ActionItem.objects.get(title__contains="högskolor")
    singular = factories.ActionItemFactory(
        plan=item.plan, code="H1", title="En ny högskola i Flemingsberg"
    )
    assert (item.plan.slug, item.code) in item_codes("högskola")
    assert (item.plan.slug, singular.code) in item_codes("högskolor")
    assert item.plan.slug == "soderort-2030"


def test_accents_may_be_left_out(bundled_plans):
    assert item_codes("hogskolor") == item_codes("högskolor")


def test_a_misspelt_word_finds_the_right_one_on_postgresql(bundled_plans):
    """SQLite has no lexicon to correct from: there the misspelt word finds
    only itself (nothing)."""
    search.refresh_lexicon()
    if connection.vendor == "postgresql":
        assert item_codes("Flemmingsberg")
        assert item_codes("Flemmingsberg") >= item_codes("Flemingsberg")
        assert any("Flemingsberg" in title for title in found("Flemmingsberg"))
    else:
        assert item_codes("Flemmingsberg") == set()
        assert item_codes("Flemingsberg")


@pytest.fixture
def draft_with_note(db):
    plan = factories.PlanFactory(
        title="Utkast om Hjulsta", status=Plan.Status.DRAFT, is_public=False
    )
    factories.SectionFactory(plan=plan, heading="Bakgrund", body="Zeppelinarhangar")
    published = factories.PlanFactory(title="Antagen plan")
    factories.ActionItemFactory(
        plan=published, title="Öppen åtgärd", internal_note="Hemlig kvarnsten"
    )
    return plan


def test_members_find_a_draft_plans_text_and_an_internal_note(draft_with_note, reader):
    assert found("Zeppelinarhangar", reader, kind="sections") == ["Bakgrund"]
    assert [title for title in found("kvarnsten", reader) if "Öppen åtgärd" in title]


def test_anonymous_visitors_never_find_drafts_or_internal_notes(draft_with_note):
    assert found("Zeppelinarhangar", kind="sections") == []
    assert found("Hjulsta", kind="plans") == []
    assert found("kvarnsten") == []
    overview = search.search(search.read_query("kvarnsten Zeppelinarhangar"), ANONYMOUS)
    assert overview.groups == []


def test_a_hit_is_highlighted_in_its_excerpt(bundled_plans):
    results = search.search(search.read_query("arbetsplatser"), ANONYMOUS, kind="items")
    telefonplan = next(
        result
        for result in results.groups[0].results
        if "Telefonplan" in "".join(p.text for p in result.title)
    )
    marked = [piece.text for piece in telefonplan.excerpt if piece.is_match]
    assert marked and all(word.lower() == "arbetsplatser" for word in marked)


def test_organisation_page_items_name_the_organisation(bundled_plans):
    sh = Organisation.objects.get(short_name="SH")
    codes = set(search.items_naming(sh, ANONYMOUS).values_list("plan__slug", "code"))
    assert {("handlingsplan-2009", "1.2"), ("handlingsplan-2009", "2.1")} <= codes
    assert ("soderort-2030", "6") not in codes


def test_short_names_match_whole_words_and_names_as_phrases(db):
    plan = factories.PlanFactory()
    factories.ActionItemFactory(plan=plan, title="Fashion week i Flemingsberg")
    factories.ActionItemFactory(plan=plan, title="Samarbete med SH")
    factories.ActionItemFactory(plan=plan, title="Södertörns högskolas bibliotek")
    factories.ActionItemFactory(plan=plan, title="Högskola på Södertörn")
    sh = factories.OrganisationFactory(name="Södertörns högskola", short_name="SH")
    titles = set(search.items_naming(sh, ANONYMOUS).values_list("title", flat=True))
    assert titles == {"Samarbete med SH", "Södertörns högskolas bibliotek"}


def test_query_count_does_not_grow_with_the_data(db, reader):
    def count():
        """A search not in the cache yet (the data just changed), with the
        lexicon current (no task to ask for)."""
        search.refresh_lexicon()
        reader.has_perm("plans.view_internal")  # the permissions, loaded once
        with CaptureQueriesContext(connection) as captured:
            search.search(search.read_query("arbetsplatser"), reader)
        return len(captured)

    def add(n):
        plan = factories.PlanFactory(title="Plan om arbetsplatser")
        factories.SectionFactory(plan=plan, body="Fler arbetsplatser")
        for _ in range(n):
            item = factories.ActionItemFactory(plan=plan, schedule="2500 arbetsplatser")
            factories.ActionUpdateFactory(item=item, text="Nya arbetsplatser")

    add(10)
    small = count()
    add(50)
    assert count() == small
    # The organisations' names, the corrections (PostgreSQL), one per kind.
    assert small == len(KINDS) + (2 if connection.vendor == "postgresql" else 1)


def test_a_repeated_search_comes_from_the_cache_until_the_data_changes(db):
    plan = factories.PlanFactory()
    factories.ActionItemFactory(plan=plan, title="Cykelväg")
    search.refresh_lexicon()
    assert found("cykelvägar") == [f"{plan.action_items.get().code} Cykelväg"]
    with CaptureQueriesContext(connection) as captured:
        search.search(search.read_query("cykelvägar"), ANONYMOUS, kind="items")
    assert len(captured) <= 2  # the names and corrections; no kind's query
    factories.ActionItemFactory(plan=plan, code="X", title="Nya cykelvägar")
    assert len(found("cykelvägar")) == 2


def test_migration_indexes_the_columns_each_kind_searches():
    migration = importlib.import_module(
        "plans.migrations.0018_search_swedish_full_text"
    )
    indexed = {
        (table, tuple(columns)) for table, columns in migration.DOCUMENTS.values()
    }
    for kind in KINDS:
        table = kind.queryset(ANONYMOUS).model._meta.db_table
        assert (table, kind.fields) in indexed, kind.key
        if kind.member_fields:
            assert (table, kind.member_fields) in indexed, kind.key


def test_item_search_reads_the_gin_index_on_postgresql(bundled_plans, reader):
    """On PostgreSQL the documents are the indexed expressions (both of an
    item's for a member); SQLite has no such index to read."""
    kind = next(kind for kind in KINDS if kind.key == "items")
    queryset = search.backend().matching(
        ActionItem.objects.all(), kind, search.read_query("arbetsplatser"), reader
    )
    if connection.vendor != "postgresql":
        assert search.backend() is sqlite
        return
    with connection.cursor() as cursor:
        # A few rows: tell the planner that only bitmap scans are cheap.
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        plan = queryset.explain()
        cursor.execute("SET enable_seqscan = on; SET enable_indexscan = on")
    assert "plans_actionitem_search" in plan
    assert "plans_actionitem_note_search" in plan


def test_the_task_worker_rebuilds_the_lexicon_after_a_change(run_pdf_tasks):
    """A search after a change asks for the word list to be rebuilt (on
    PostgreSQL); the worker does it, and the misspelt word is corrected."""
    from django.core.cache import cache
    from django_tasks_db.models import DBTaskResult

    cache.clear()  # no lock left by an earlier test's request
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_lexicon_task")
    before = queued.count()
    plan = factories.PlanFactory()
    factories.ActionItemFactory(plan=plan, title="Kunskapsstråket i Flemingsberg")
    search.read_query("Kunskapstråket")
    search.read_query("Kunskapstråket")
    if connection.vendor != "postgresql":
        assert queued.count() == before == 0
        return
    assert queued.count() == before + 1  # once, however many searches
    run_pdf_tasks()
    assert item_codes("Kunskapstråket") == {(plan.slug, plan.action_items.get().code)}
