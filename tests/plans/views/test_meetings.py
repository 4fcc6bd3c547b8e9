"""Meeting pages: list, detail with the frozen board pack, "since last meeting",
the stored PDF; staleness on the action page and the dashboard."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from plans.models import ActionItem, BoardPack, BoardPackItem, MeetingDecision
from plans.services.boardpacks import close_board_pack
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, *args, prefix=""):
    """A path without language prefix (a request to /en/ leaves English active),
    optionally with one: ``prefix="/en"``."""
    with translation.override("sv"):
        return prefix + reverse(f"plans:{name}", args=args)


def list_url(prefix=""):
    return url("meeting-list", prefix=prefix)


def detail_url(meeting, prefix=""):
    return url("meeting-detail", meeting.pk, prefix=prefix)


def changes_url(meeting, prefix=""):
    return url("meeting-changes", meeting.pk, prefix=prefix)


def pdf_url(meeting):
    return url("meeting-pack-pdf", meeting.pk)


def make_pack(meeting, *plans, close=True):
    pack = BoardPack.objects.create(meeting=meeting)
    pack.plans.set(plans)
    if close:
        close_board_pack(pack, None)
        pack.refresh_from_db()
    return pack


@pytest.fixture
def body():
    return factories.GoverningBodyFactory(name="Politisk styrgrupp", slug="styrgrupp")


@pytest.fixture
def plan():
    return factories.PlanFactory(title="Handlingsplan Test", slug="hp-test")


@pytest.fixture
def setup(body, plan):
    """Two meetings of one body with closed packs and changes between them."""
    public = factories.ActionItemFactory(
        plan=plan, code="1.1", title="Offentlig åtgärd", progress=30
    )
    internal = factories.ActionItemFactory(
        plan=plan, code="1.2", title="Hemlig åtgärd", is_public=False
    )
    reported = factories.ActionItemFactory(
        plan=plan, code="1.3", title="Rapporterad åtgärd"
    )
    first = factories.MeetingFactory(
        body=body, date=datetime.date(2026, 2, 1), title="Februarimötet"
    )
    second = factories.MeetingFactory(
        body=body,
        date=datetime.date(2026, 4, 1),
        title="Aprilmötet",
        agenda="Lägesbild och beslut",
    )
    first_pack = make_pack(first, plan)
    public.status = ActionItem.Status.DELAYED
    public.save()
    internal.progress = 90
    internal.save()
    factories.ActionUpdateFactory(item=internal, text="Lägesrapport för medlemmar")
    factories.ActionUpdateFactory(item=reported, text="Offentlig nyhet i april")
    factories.ActionUpdateFactory(
        item=reported, text="Intern kommentar om pengar", is_public=False
    )
    added = factories.ActionItemFactory(plan=plan, code="2.1", title="Tillkommen")
    second_pack = make_pack(second, plan)
    return {
        "first": first,
        "second": second,
        "first_pack": first_pack,
        "second_pack": second_pack,
        "public": public,
        "internal": internal,
        "reported": reported,
        "added": added,
    }


# ---------------------------------------------------------------------------
# /governance/meetings/
# ---------------------------------------------------------------------------


class TestMeetingList:
    def test_lists_public_meetings_with_their_board_pack_links(self, client, setup):
        hidden = factories.MeetingFactory(title="Internt möte", is_public=False)
        response = client.get(list_url())
        text = response.content.decode()
        assert response.status_code == 200
        assert "Februarimötet" in text and "Aprilmötet" in text
        assert "Internt möte" not in text
        assert pdf_url(setup["second"]) in text
        assert changes_url(setup["second"]) in text
        assert hidden not in response.context["meetings"]

    def test_members_see_internal_meetings_and_open_packs(
        self, client, reader, setup, body, plan
    ):
        preparing = factories.MeetingFactory(body=body, title="Junimötet")
        make_pack(preparing, plan, close=False)
        hidden = factories.MeetingFactory(title="Internt möte", is_public=False)

        anonymous = client.get(list_url("/en"))
        assert pdf_url(preparing) not in anonymous.content.decode()
        assert "Being prepared" not in anonymous.content.decode()

        client.force_login(reader)
        member = client.get(list_url("/en")).content.decode()
        assert "Internt möte" in member and hidden.title in member
        assert "Being prepared" in member
        assert pdf_url(preparing) not in member

    def test_filter_by_body(self, client, setup):
        other = factories.MeetingFactory(title="Ledningsgruppens möte")
        response = client.get(list_url(), {"body": other.body.slug})
        assert [m.title for m in response.context["meetings"]] == [other.title]
        unknown = client.get(list_url("/en"), {"body": "finns-inte"})
        assert list(unknown.context["meetings"]) == []
        assert "No meetings of this governing body have been published." in (
            unknown.content.decode()
        )

    def test_empty_state_in_english(self, client):
        response = client.get(list_url("/en"))
        text = response.content.decode()
        assert "Meetings and board packs" in text
        assert "No meetings have been published yet." in text


# ---------------------------------------------------------------------------
# /governance/meetings/<pk>/
# ---------------------------------------------------------------------------


class TestMeetingDetail:
    def test_shows_the_checksum_the_pdf_link_and_the_frozen_numbers(
        self, client, setup
    ):
        response = client.get(detail_url(setup["second"]))
        text = response.content.decode()
        assert response.status_code == 200
        assert setup["second_pack"].pdf_sha256 in text
        assert pdf_url(setup["second"]) in text
        assert "Lägesbild och beslut" in text
        summary = {status: n for status, _label, n in response.context["summary"]}
        assert summary["delayed"] == 1 and summary["ongoing"] == 2
        assert response.context["item_count"] == 3

    def test_an_internal_item_never_appears_on_the_public_pack_page(
        self, client, setup
    ):
        text = client.get(detail_url(setup["second"])).content.decode()
        assert "Offentlig åtgärd" in text
        assert "Hemlig åtgärd" not in text
        assert "Intern kommentar om pengar" not in text
        # Nor on the page of the first pack, nor in the English version.
        for url in (detail_url(setup["first"]), detail_url(setup["second"], "/en")):
            assert "Hemlig åtgärd" not in client.get(url).content.decode()

    def test_members_see_internal_rows_marked(self, client, reader, setup):
        client.force_login(reader)
        response = client.get(detail_url(setup["second"], "/en"))
        text = response.content.decode()
        assert "Hemlig åtgärd" in text
        assert "Lägesrapport för medlemmar" in text
        # The public row keeps its public update, not the later internal note.
        assert "Offentlig nyhet i april" in text
        assert "Intern kommentar om pengar" not in text
        assert response.context["item_count"] == 4
        assert response.context["internal_row_count"] == 1
        assert "1 internal action item is shown" in text

    def test_same_numbers_and_checksum_after_the_items_are_edited(self, client, setup):
        before = client.get(detail_url(setup["second"]))
        for item in ActionItem.objects.all():
            item.status, item.progress = ActionItem.Status.DONE, 100
            item.title = "Omskriven rubrik"
            item.save()
        factories.ActionItemFactory(plan=setup["public"].plan, title="Ännu en")
        after = client.get(detail_url(setup["second"]))
        assert after.context["summary"] == before.context["summary"]
        assert after.context["item_count"] == before.context["item_count"]
        assert "Omskriven rubrik" not in after.content.decode()
        assert setup["second_pack"].pdf_sha256 in after.content.decode()
        BoardPack.objects.get(pk=setup["second_pack"].pk)  # still there, unchanged
        assert (
            BoardPack.objects.get(pk=setup["second_pack"].pk).pdf_sha256
            == setup["second_pack"].pdf_sha256
        )

    def test_an_internal_meeting_is_not_found_for_anonymous_visitors(
        self, client, reader
    ):
        hidden = factories.MeetingFactory(is_public=False)
        assert client.get(detail_url(hidden)).status_code == 404
        assert client.get(changes_url(hidden)).status_code == 404
        client.force_login(reader)
        assert client.get(detail_url(hidden)).status_code == 200

    def test_unknown_meeting_is_not_found(self, client):
        assert client.get("/governance/meetings/999999/").status_code == 404

    def test_decisions_list_the_items_the_visitor_may_see(self, client, setup):
        decision = MeetingDecision.objects.create(
            meeting=setup["second"], text="Styrgruppen beslutar om nya uppdrag."
        )
        decision.action_items.set([setup["public"], setup["internal"]])
        text = client.get(detail_url(setup["second"])).content.decode()
        assert "Styrgruppen beslutar om nya uppdrag." in text
        assert setup["public"].get_absolute_url() in text
        assert setup["internal"].get_absolute_url() not in text

    def test_without_a_pack_the_page_says_so(self, client):
        meeting = factories.MeetingFactory(title="Utan underlag")
        response = client.get(detail_url(meeting, "/en"))
        assert response.status_code == 200
        assert "No board pack has been closed for this meeting." in (
            response.content.decode()
        )

    def test_an_open_pack_is_shown_to_members_only(self, client, reader, plan):
        meeting = factories.MeetingFactory()
        make_pack(meeting, plan, close=False)
        anonymous = client.get(detail_url(meeting, "/en")).content.decode()
        assert "No board pack has been closed for this meeting." in anonymous
        client.force_login(reader)
        member = client.get(detail_url(meeting, "/en")).content.decode()
        assert "has not been closed yet" in member
        assert "Handlingsplan Test" in member

    def test_summarises_what_changed_since_last_meeting(self, client, setup):
        response = client.get(detail_url(setup["second"]))
        counts = {kind: n for kind, _label, n in response.context["changes"].summary}
        assert counts["added"] == 1
        assert counts["status_moves"] == 1
        assert counts["new_updates"] == 1
        assert counts["progress_changes"] == 0  # the internal item's is hidden
        first = client.get(detail_url(setup["first"]))
        assert first.context["changes"] is None


# ---------------------------------------------------------------------------
# /governance/meetings/<pk>/changes/
# ---------------------------------------------------------------------------


class TestMeetingChanges:
    def test_compares_with_the_previous_meeting_by_default(self, client, setup):
        response = client.get(changes_url(setup["second"], "/en"))
        assert response.status_code == 200
        assert response.context["old"] == setup["first_pack"]
        assert response.context["new"] == setup["second_pack"]
        text = response.content.decode()
        for heading in (
            "Added action items",
            "Closed action items",
            "Status changes",
            "Progress changes",
            "New progress updates",
            "Due dates moved",
            "Indicators moved",
        ):
            assert heading in text
        assert "Tillkommen" in text
        assert "Offentlig nyhet i april" in text
        assert "Hemlig åtgärd" not in text
        assert "Intern kommentar om pengar" not in text

    def test_members_see_internal_changes(self, client, reader, setup):
        client.force_login(reader)
        response = client.get(changes_url(setup["second"]))
        changes = response.context["changes"]
        assert [c.row.code for c in changes.progress_changes] == ["1.2"]
        assert "Hemlig åtgärd" in response.content.decode()

    def test_from_compares_any_pair_of_meetings(self, client, setup, plan):
        other_body = factories.MeetingFactory(
            title="Ledningsgruppen", date=datetime.date(2026, 1, 15)
        )
        other_pack = make_pack(other_body, plan)
        response = client.get(changes_url(setup["second"]), {"from": other_body.pk})
        assert response.status_code == 200
        assert response.context["old"] == other_pack
        assert response.context["new"] == setup["second_pack"]
        # A later meeting is compared the right way round.
        response = client.get(changes_url(setup["first"]), {"from": setup["second"].pk})
        assert response.context["old"] == setup["first_pack"]
        assert response.context["new"] == setup["second_pack"]
        assert [c.row.code for c in response.context["changes"].added] == ["2.1"]

    @pytest.mark.parametrize("value", ["abc", "999999", "own", "internal"])
    def test_a_meeting_that_cannot_be_compared_is_a_400_with_a_message(
        self, client, setup, plan, value
    ):
        if value == "own":
            value = str(setup["second"].pk)
        elif value == "internal":
            hidden = factories.MeetingFactory(is_public=False)
            make_pack(hidden, plan)
            value = str(hidden.pk)
        response = client.get(changes_url(setup["second"], "/en"), {"from": value})
        assert response.status_code == 400
        assert "Choose a meeting with a closed board pack to compare with." in (
            response.content.decode()
        )

    def test_the_first_pack_has_nothing_to_compare_with(self, client, setup):
        response = client.get(changes_url(setup["first"], "/en"))
        assert response.status_code == 200
        assert "there is nothing to compare with yet" in response.content.decode()

    def test_a_meeting_without_a_closed_pack_says_so(self, client):
        meeting = factories.MeetingFactory()
        response = client.get(changes_url(meeting, "/en"))
        assert response.status_code == 200
        assert "No board pack has been closed for this meeting" in (
            response.content.decode()
        )


# ---------------------------------------------------------------------------
# /governance/meetings/<pk>/pack.pdf
# ---------------------------------------------------------------------------


class TestPackPDF:
    def test_every_request_gets_the_same_stored_bytes(self, client, setup):
        first = client.get(pdf_url(setup["second"]))
        ActionItem.objects.update(progress=100)  # no effect on a closed pack
        second = client.get(pdf_url(setup["second"]))
        assert first.status_code == second.status_code == 200
        assert first["Content-Type"] == "application/pdf"
        assert first.content == second.content
        checksum = hashlib.sha256(first.content).hexdigest()
        assert checksum == setup["second_pack"].pdf_sha256
        page = client.get(detail_url(setup["second"])).content.decode()
        assert checksum in page

    def test_validators_and_a_conditional_get(self, client, setup):
        response = client.get(pdf_url(setup["second"]))
        assert response["ETag"] == f'"{setup["second_pack"].pdf_sha256}"'
        assert response["Repr-Digest"].startswith("sha-256=:")
        assert "public" in response["Cache-Control"]
        assert ".pdf" in response["Content-Disposition"]
        again = client.get(
            pdf_url(setup["second"]), HTTP_IF_NONE_MATCH=response["ETag"]
        )
        assert again.status_code == 304

    def test_no_pdf_before_the_pack_is_closed(self, client, reader, plan):
        meeting = factories.MeetingFactory()
        assert client.get(pdf_url(meeting)).status_code == 404
        make_pack(meeting, plan, close=False)
        client.force_login(reader)
        assert client.get(pdf_url(meeting)).status_code == 404

    def test_pack_of_an_internal_meeting_is_for_members(self, client, reader, plan):
        factories.ActionItemFactory(plan=plan)
        hidden = factories.MeetingFactory(is_public=False)
        make_pack(hidden, plan)
        assert client.get(pdf_url(hidden)).status_code == 404
        client.force_login(reader)
        response = client.get(pdf_url(hidden))
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]


# ---------------------------------------------------------------------------
# Query counts: 10 vs 300 frozen items
# ---------------------------------------------------------------------------


def frozen_pack(meeting, count, plan_title="Plan"):
    """A closed pack with ``count`` frozen rows, written directly (no render)."""
    pack = BoardPack.objects.create(
        meeting=meeting,
        closed_at=timezone.now(),
        pdf=b"%PDF-1.7 test",
        pdf_sha256=hashlib.sha256(b"%PDF-1.7 test").hexdigest(),
    )
    BoardPackItem.objects.bulk_create(
        BoardPackItem(
            pack=pack,
            plan_title=plan_title,
            focus_area=f"Fokus {n % 5}",
            code=str(n),
            title=f"Åtgärd {n}",
            status=ActionItem.Status.ONGOING if n % 3 else ActionItem.Status.DONE,
            progress=n % 100,
            latest_update_on=datetime.date(2026, 1, 1),
            latest_update_text="Text",
            is_public=bool(n % 4),
        )
        for n in range(count)
    )
    return pack


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("role", ["anonymous", "member"])
@pytest.mark.parametrize("page", ["list", "detail", "changes"])
def test_query_count_is_the_same_with_10_and_300_items(client, reader, page, role):
    if role == "member":
        client.force_login(reader)

    def build(count):
        body = factories.GoverningBodyFactory()
        old = factories.MeetingFactory(body=body, date=datetime.date(2026, 1, 1))
        new = factories.MeetingFactory(body=body, date=datetime.date(2026, 3, 1))
        frozen_pack(old, count)
        frozen_pack(new, count)
        for n in range(3):
            decision = MeetingDecision.objects.create(meeting=new, text=f"Beslut {n}")
            decision.action_items.set(factories.ActionItemFactory.create_batch(2))
        return {
            "list": list_url(),
            "detail": detail_url(new),
            "changes": changes_url(new),
        }[page]

    few = count_queries(client, build(10))
    BoardPack.objects.all().delete()
    MeetingDecision.objects.all().delete()
    many = count_queries(client, build(300))
    assert few == many


# ---------------------------------------------------------------------------
# Staleness on the action page and the dashboard
# ---------------------------------------------------------------------------


def aged(item, days):
    """Created at local noon ``days`` days ago: whole days, whatever the time of
    day or a daylight-saving change in between."""
    noon = datetime.datetime.combine(
        timezone.localdate() - datetime.timedelta(days=days), datetime.time(12)
    )
    ActionItem.objects.filter(pk=item.pk).update(created_at=timezone.make_aware(noon))
    return item


class TestStalenessOnPages:
    def test_action_page_shows_last_update_and_when_the_next_is_due(self, client, plan):
        item = aged(factories.ActionItemFactory(plan=plan), 100)
        update = factories.ActionUpdateFactory(
            item=item, date=timezone.localdate() - datetime.timedelta(days=20)
        )
        response = client.get(url("actionitem-detail", item.pk, prefix="/en"))
        state = response.context["update_state"]
        assert state.latest_update_on == update.date
        assert state.due_on == update.date + datetime.timedelta(days=60)
        text = response.content.decode()
        assert "Next update due" in text
        assert "Update overdue" not in text

    def test_action_page_marks_an_overdue_update(self, client, plan):
        item = aged(factories.ActionItemFactory(plan=plan), 65)
        text = client.get(
            url("actionitem-detail", item.pk, prefix="/en")
        ).content.decode()
        assert "Update overdue" in text
        assert "Overdue by 5 days" in text

    def test_action_page_names_the_meeting_decisions_behind_it(self, client, plan):
        item = factories.ActionItemFactory(plan=plan)
        public = factories.MeetingFactory(title="Öppet möte")
        hidden = factories.MeetingFactory(title="Stängt möte", is_public=False)
        for meeting in (public, hidden):
            decision = MeetingDecision.objects.create(meeting=meeting, text="Uppdrag")
            decision.action_items.add(item)
        text = client.get(url("actionitem-detail", item.pk)).content.decode()
        assert detail_url(public) in text
        assert detail_url(hidden) not in text

    def test_dashboard_lists_overdue_updates(self, client, reader, plan):
        overdue = aged(factories.ActionItemFactory(plan=plan, title="Sen rapport"), 90)
        fresh = factories.ActionItemFactory(plan=plan, title="Ny åtgärd")
        internal_update = aged(
            factories.ActionItemFactory(plan=plan, title="Internt uppdaterad"), 90
        )
        factories.ActionUpdateFactory(item=internal_update, is_public=False)
        response = client.get("/en/dashboard/")
        shown = response.context["overdue_updates"]
        assert overdue in shown and internal_update in shown
        assert fresh not in shown
        assert response.context["overdue_update_count"] == 2
        assert "Progress updates overdue" in response.content.decode()

        client.force_login(reader)
        shown = client.get("/dashboard/").context["overdue_updates"]
        assert shown == [overdue]

    def test_dashboard_query_count_is_the_same_with_10_and_300_overdue_items(
        self, client
    ):
        def build(count):
            plan = factories.PlanFactory()
            items = factories.ActionItemFactory.create_batch(count, plan=plan)
            ActionItem.objects.filter(pk__in=[i.pk for i in items]).update(
                created_at=timezone.now() - datetime.timedelta(days=90)
            )

        build(10)
        few = count_queries(client, "/dashboard/")
        build(290)
        assert count_queries(client, "/dashboard/") == few
