"""Board packs: closing freezes a snapshot and a PDF once; the diff between two
packs; staleness of progress updates; the admin of meetings and board packs."""

import datetime
import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from plans.models import (
    ActionItem,
    BoardPack,
    BoardPackIndicator,
    BoardPackItem,
    MeetingDecision,
    Plan,
)
from plans.services import boardpacks
from plans.services.boardpacks import (
    BoardPackError,
    close_board_pack,
    compare_packs,
    previous_pack,
)
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def pdf_text(content):
    reader = PdfReader(io.BytesIO(bytes(content)))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def make_pack(meeting, *plans, user=None, close=True):
    pack = BoardPack.objects.create(meeting=meeting)
    pack.plans.set(plans)
    if close:
        close_board_pack(pack, user)
    return pack


@pytest.fixture
def body():
    return factories.GoverningBodyFactory(name="Politisk styrgrupp")


@pytest.fixture
def meetings(body):
    return [
        factories.MeetingFactory(body=body, date=datetime.date(2026, 2, 1)),
        factories.MeetingFactory(body=body, date=datetime.date(2026, 4, 1)),
    ]


@pytest.fixture
def plan():
    return factories.PlanFactory(title="Handlingsplan Test", slug="hp-test")


@pytest.fixture
def items(plan):
    person = factories.PersonFactory(name="Anna Ansvarig")
    public = factories.ActionItemFactory(
        plan=plan,
        code="1.1",
        title="Offentlig åtgärd",
        progress=40,
        due_date=datetime.date(2026, 6, 30),
        responsible_body="Kommunstyrelsen",
        responsible_person=person,
    )
    factories.ActionUpdateFactory(
        item=public, date=datetime.date(2026, 1, 10), text="Offentlig lägesrapport"
    )
    internal = factories.ActionItemFactory(
        plan=plan, code="1.2", title="Hemlig åtgärd", is_public=False
    )
    internally_updated = factories.ActionItemFactory(
        plan=plan, code="1.3", title="Åtgärd med intern rapport"
    )
    factories.ActionUpdateFactory(
        item=internally_updated,
        date=datetime.date(2026, 1, 12),
        text="Intern notering om budgeten",
        is_public=False,
    )
    return {
        "public": public,
        "internal": internal,
        "internally_updated": internally_updated,
    }


# ---------------------------------------------------------------------------
# Closing
# ---------------------------------------------------------------------------


class TestClosing:
    def test_freezes_every_item_of_the_plans_with_visibility_flags(
        self, meetings, plan, items, editor
    ):
        other_plan_item = factories.ActionItemFactory(title="Annan plans åtgärd")
        pack = make_pack(meetings[0], plan, user=editor)

        rows = {row.code: row for row in pack.items.all()}
        assert set(rows) == {"1.1", "1.2", "1.3"}
        assert not pack.items.filter(item=other_plan_item).exists()
        public = rows["1.1"]
        assert (public.status, public.progress) == (ActionItem.Status.ONGOING, 40)
        assert public.due_date == datetime.date(2026, 6, 30)
        assert public.responsible == "Kommunstyrelsen; Anna Ansvarig"
        assert public.plan_title == "Handlingsplan Test"
        assert public.latest_update_on == datetime.date(2026, 1, 10)
        assert public.latest_update_text == "Offentlig lägesrapport"
        assert public.is_public and public.latest_update_is_public
        assert rows["1.2"].is_public is False
        assert rows["1.3"].latest_update_is_public is False

    def test_a_public_row_keeps_its_public_update_over_a_later_internal_one(
        self, meetings, plan, items
    ):
        factories.ActionUpdateFactory(
            item=items["public"],
            date=datetime.date(2026, 1, 20),
            text="Senare intern anteckning",
            is_public=False,
        )
        pack = make_pack(meetings[0], plan)
        row = pack.items.get(code="1.1")
        assert row.latest_update_text == "Offentlig lägesrapport"
        assert row.latest_update_is_public

    def test_items_of_an_unpublished_plan_are_rows_for_members_only(self, meetings):
        draft = factories.PlanFactory(status=Plan.Status.DRAFT)
        factories.ActionItemFactory(plan=draft)
        pack = make_pack(meetings[0], draft, close=False)
        (row,) = boardpacks.build_item_rows(pack, [draft.pk], TODAY)
        assert row.is_public is False

    def test_stores_the_pdf_its_checksum_and_who_closed_it(
        self, meetings, plan, items, editor
    ):
        pack = make_pack(meetings[0], plan, user=editor)
        pack.refresh_from_db()
        assert bytes(pack.pdf).startswith(b"%PDF")
        assert pack.pdf_sha256 == hashlib.sha256(bytes(pack.pdf)).hexdigest()
        assert pack.closed_by == editor
        assert pack.closed_at is not None and pack.is_closed

    def test_closing_twice_is_refused_and_changes_nothing(
        self, meetings, plan, items, editor
    ):
        pack = make_pack(meetings[0], plan, user=editor)
        pack.refresh_from_db()
        before = (bytes(pack.pdf), pack.pdf_sha256, pack.closed_at, pack.items.count())
        with pytest.raises(BoardPackError, match=r"(closed|stängdes)"):
            close_board_pack(BoardPack.objects.get(pk=pack.pk), editor)
        pack.refresh_from_db()
        after = (bytes(pack.pdf), pack.pdf_sha256, pack.closed_at, pack.items.count())
        assert after == before

    def test_a_pack_without_plans_cannot_be_closed(self, meetings):
        pack = make_pack(meetings[0], close=False)
        with pytest.raises(BoardPackError, match="plan"):
            close_board_pack(pack, None)
        pack.refresh_from_db()
        assert not pack.is_closed
        assert not pack.pdf_sha256

    def test_a_failing_render_stores_nothing(self, meetings, plan, items, monkeypatch):
        # Failure injection: the renderer is the one thing the test replaces.
        def broken(html):
            raise RuntimeError("renderer down")

        monkeypatch.setattr(boardpacks, "render_pdf", broken)
        pack = make_pack(meetings[0], plan, close=False)
        with pytest.raises(RuntimeError):
            close_board_pack(pack, None)
        pack.refresh_from_db()
        assert not pack.is_closed
        assert not BoardPackItem.objects.filter(pack=pack).exists()
        assert not BoardPackIndicator.objects.filter(pack=pack).exists()

    def test_later_edits_do_not_change_a_closed_pack(
        self, meetings, plan, items, editor
    ):
        pack = make_pack(meetings[0], plan, user=editor)
        pack.refresh_from_db()
        frozen = list(
            pack.items.order_by("pk").values_list(
                "code", "title", "status", "progress", "due_date", "latest_update_text"
            )
        )
        checksum, content = pack.pdf_sha256, bytes(pack.pdf)

        item = items["public"]
        item.status, item.progress, item.title = ActionItem.Status.DONE, 100, "Nytt"
        item.due_date = datetime.date(2027, 1, 1)
        item.save()
        factories.ActionUpdateFactory(item=item, text="Ny rapport efter mötet")
        items["internal"].delete()
        factories.ActionItemFactory(plan=plan, code="9.9")

        pack.refresh_from_db()
        assert (
            list(
                pack.items.order_by("pk").values_list(
                    "code",
                    "title",
                    "status",
                    "progress",
                    "due_date",
                    "latest_update_text",
                )
            )
            == frozen
        )
        assert pack.items.get(code="1.2").item is None  # the deleted item's row stays
        assert pack.pdf_sha256 == checksum
        assert bytes(pack.pdf) == content

    def test_freezes_each_indicators_latest_value(self, meetings, plan, items):
        public = factories.IndicatorFactory(name="Andel klara", unit="%")
        public.plans.add(plan)
        factories.IndicatorValueFactory(
            indicator=public, date=datetime.date(2025, 1, 1), value=Decimal("70")
        )
        factories.IndicatorValueFactory(
            indicator=public, date=datetime.date(2025, 6, 1), value=Decimal("75.5")
        )
        factories.IndicatorValueFactory(
            indicator=public,
            date=datetime.date(2025, 9, 1),
            value=Decimal("99"),
            is_public=False,
        )
        via_item = factories.IndicatorFactory(name="Via åtgärd", is_public=False)
        via_item.action_items.add(items["public"])
        factories.IndicatorValueFactory(indicator=via_item, value=Decimal("3"))
        factories.IndicatorFactory(name="Orelaterad")

        pack = make_pack(meetings[0], plan)
        rows = {row.name: row for row in pack.indicators.all()}
        assert set(rows) == {"Andel klara", "Via åtgärd"}
        # A public indicator keeps its latest public value, for the public pack.
        assert rows["Andel klara"].value == Decimal("75.5")
        assert rows["Andel klara"].measured_on == datetime.date(2025, 6, 1)
        assert rows["Andel klara"].is_public
        assert rows["Via åtgärd"].is_public is False

    def test_the_stored_pdf_is_the_public_version(self, meetings, plan, items):
        pack = make_pack(meetings[0], plan)
        text = pdf_text(pack.pdf)
        assert "Offentlig åtgärd" in text
        assert "Offentlig lägesrapport" in text
        assert "Åtgärd med intern rapport" in text
        assert "Hemlig åtgärd" not in text
        assert "Intern notering om budgeten" not in text

    def test_the_pdf_is_tagged_and_titled(self, meetings, plan, items):
        pack = make_pack(meetings[0], plan)
        reader = PdfReader(io.BytesIO(bytes(pack.pdf)))
        assert "/StructTreeRoot" in reader.trailer["/Root"]
        assert "Politisk styrgrupp" in reader.metadata.title
        assert "2026-02-01" in reader.metadata.title


# ---------------------------------------------------------------------------
# Which pack came before
# ---------------------------------------------------------------------------


def test_previous_pack_is_the_latest_closed_one_of_an_earlier_meeting_of_the_body(
    body, plan
):
    dates = [datetime.date(2026, month, 1) for month in (1, 2, 3, 4)]
    first, second, third, fourth = (
        factories.MeetingFactory(body=body, date=date) for date in dates
    )
    other_body = factories.MeetingFactory(date=datetime.date(2026, 2, 15))
    factories.ActionItemFactory(plan=plan)
    make_pack(first, plan)
    second_pack = make_pack(second, plan)
    make_pack(other_body, plan)
    make_pack(third, plan, close=False)  # open: not a snapshot yet
    fourth_pack = make_pack(fourth, plan)
    assert previous_pack(fourth_pack) == second_pack
    assert previous_pack(BoardPack.objects.get(meeting=first)) is None


def test_previous_pack_for_a_visitor_skips_internal_meetings(body, plan, reader):
    factories.ActionItemFactory(plan=plan)
    public_first = factories.MeetingFactory(body=body, date=datetime.date(2026, 1, 1))
    internal = factories.MeetingFactory(
        body=body, date=datetime.date(2026, 2, 1), is_public=False
    )
    latest = factories.MeetingFactory(body=body, date=datetime.date(2026, 3, 1))
    first_pack = make_pack(public_first, plan)
    internal_pack = make_pack(internal, plan)
    latest_pack = make_pack(latest, plan)
    from django.contrib.auth.models import AnonymousUser

    assert previous_pack(latest_pack, visible_to=AnonymousUser()) == first_pack
    assert previous_pack(latest_pack, visible_to=reader) == internal_pack


# ---------------------------------------------------------------------------
# Since last meeting
# ---------------------------------------------------------------------------


@pytest.fixture
def one_of_each(meetings, plan):
    """Two closed packs with one change of every kind between them."""
    make = factories.ActionItemFactory
    closing = make(plan=plan, code="A", title="Blir klar", progress=90)
    moving = make(plan=plan, code="B", title="Blir försenad")
    progressing = make(plan=plan, code="C", title="Går framåt", progress=20)
    reporting = make(plan=plan, code="D", title="Får en rapport")
    rescheduled = make(
        plan=plan, code="E", title="Flyttas", due_date=datetime.date(2026, 5, 1)
    )
    unchanged = make(plan=plan, code="F", title="Står still")
    hidden = make(plan=plan, code="G", title="Intern ändras", is_public=False)
    indicator = factories.IndicatorFactory(name="Antal företag", unit="st")
    indicator.plans.add(plan)
    factories.IndicatorValueFactory(
        indicator=indicator, date=datetime.date(2025, 12, 31), value=100
    )
    old = make_pack(meetings[0], plan)

    closing.status, closing.progress = ActionItem.Status.DONE, 100
    closing.save()
    moving.status = ActionItem.Status.DELAYED
    moving.save()
    progressing.progress = 60
    progressing.save()
    factories.ActionUpdateFactory(item=reporting, text="Ny offentlig rapport")
    rescheduled.due_date = datetime.date(2026, 9, 30)
    rescheduled.save()
    hidden.status = ActionItem.Status.PAUSED
    hidden.save()
    factories.ActionUpdateFactory(item=hidden, text="Intern rapport")
    added = make(plan=plan, code="H", title="Ny åtgärd")
    factories.IndicatorValueFactory(
        indicator=indicator, date=datetime.date(2026, 3, 31), value=Decimal("112.5")
    )
    new = make_pack(meetings[1], plan)
    return {
        "old": old,
        "new": new,
        "closing": closing,
        "moving": moving,
        "progressing": progressing,
        "reporting": reporting,
        "rescheduled": rescheduled,
        "unchanged": unchanged,
        "hidden": hidden,
        "added": added,
    }


def codes(changes):
    return [change.row.code for change in changes]


class TestComparePacks:
    def test_lists_each_kind_of_change_once(self, one_of_each):
        changes = compare_packs(one_of_each["old"], one_of_each["new"])
        assert codes(changes.added) == ["H"]
        assert codes(changes.closed) == ["A"]
        assert codes(changes.status_moves) == ["B", "G"]
        assert codes(changes.progress_changes) == ["C"]
        assert codes(changes.new_updates) == ["D", "G"]
        assert codes(changes.due_date_moves) == ["E"]
        assert changes.removed == []
        assert not changes.is_empty

    def test_details_of_the_changes(self, one_of_each):
        changes = compare_packs(one_of_each["old"], one_of_each["new"])
        closed = changes.closed[0]
        assert (closed.before.status, closed.after.status) == ("ongoing", "done")
        move = changes.status_moves[0]
        assert (move.before_status_label, move.after_status_label) == (
            str(ActionItem.Status.ONGOING.label),
            str(ActionItem.Status.DELAYED.label),
        )
        assert changes.progress_changes[0].progress_delta == 40
        assert changes.new_updates[0].after.latest_update_text == (
            "Ny offentlig rapport"
        )
        assert changes.due_date_moves[0].due_days_moved == 152
        (indicator,) = changes.indicator_moves
        assert indicator.row.name == "Antal företag"
        assert (indicator.before_number, indicator.after_number) == (
            Decimal("100"),
            Decimal("112.5"),
        )
        assert indicator.delta == Decimal("12.5")

    def test_public_comparison_leaves_out_internal_items_and_updates(self, one_of_each):
        changes = compare_packs(one_of_each["old"], one_of_each["new"], public=True)
        assert codes(changes.status_moves) == ["B"]
        assert codes(changes.new_updates) == ["D"]
        item_kinds = [kind for kind, _label, _count in changes.summary]
        item_kinds.remove("indicator_moves")
        shown = {c.row.code for kind in item_kinds for c in getattr(changes, kind)}
        assert "G" not in shown

    def test_an_item_made_internal_leaves_the_public_comparison(self, one_of_each):
        # Still as closed in the old pack, hidden in a third one.
        item = one_of_each["unchanged"]
        item.is_public = False
        item.save()
        later = factories.MeetingFactory(
            body=one_of_each["new"].meeting.body, date=datetime.date(2026, 6, 1)
        )
        third = make_pack(later, *one_of_each["new"].plans.all())
        changes = compare_packs(one_of_each["new"], third, public=True)
        assert codes(changes.removed) == ["F"]
        assert codes(compare_packs(one_of_each["new"], third).removed) == []

    def test_two_identical_packs_have_no_changes(self, meetings, plan):
        factories.ActionItemFactory(plan=plan)
        old = make_pack(meetings[0], plan)
        new = make_pack(meetings[1], plan)
        changes = compare_packs(old, new)
        assert changes.is_empty
        assert all(count == 0 for _kind, _label, count in changes.summary)

    def test_the_pdf_of_the_later_pack_holds_the_changes(self, one_of_each):
        text = pdf_text(one_of_each["new"].pdf)
        # A moved item is listed among the changes and again among all items.
        assert len(re.findall(r"Blir försenad", text)) == 2
        assert len(re.findall(r"Står still", text)) == 1
        assert "Intern rapport" not in text
        assert "Intern ändras" not in text
        assert len(re.findall(r"Blir försenad", pdf_text(one_of_each["old"].pdf))) == 1


# ---------------------------------------------------------------------------
# Staleness
# ---------------------------------------------------------------------------


def created(item, days_ago):
    """Backdate an item to local noon ``days_ago`` days before today: whole days,
    whatever the time of day or a daylight-saving change in between."""
    noon = datetime.datetime.combine(TODAY - days_ago * DAY, datetime.time(12))
    ActionItem.objects.filter(pk=item.pk).update(created_at=timezone.make_aware(noon))
    item.refresh_from_db()
    return item


# ---------------------------------------------------------------------------
# The admin
# ---------------------------------------------------------------------------


def admin_url(model, action, *args):
    return reverse(f"admin:plans_{model._meta.model_name}_{action}", args=args)


class TestAdmin:
    def test_ticking_close_on_the_change_page_closes_the_pack(
        self, client, editor, meetings, plan, items
    ):
        client.force_login(editor)
        pack = make_pack(meetings[0], close=False)
        response = client.post(
            admin_url(BoardPack, "change", pack.pk),
            {
                "meeting": meetings[0].pk,
                "plans": [plan.pk],
                "note": "",
                "close_now": "on",
                "loaded_version": pack.version,
            },
            follow=True,
        )
        assert response.status_code == 200
        pack.refresh_from_db()
        assert pack.is_closed and pack.closed_by == editor
        assert pack.items.count() == 3
        assert pack.pdf_sha256 in response.content.decode()

    def test_close_without_plans_is_a_form_error(self, client, editor, meetings):
        client.force_login(editor)
        pack = make_pack(meetings[0], close=False)
        response = client.post(
            admin_url(BoardPack, "change", pack.pk),
            {"meeting": meetings[0].pk, "note": "", "close_now": "on"},
        )
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["plans"]
        pack.refresh_from_db()
        assert not pack.is_closed

    def test_admin_action_closes_open_packs_and_refuses_closed_ones(
        self, client, editor, meetings, plan, items
    ):
        client.force_login(editor)
        closed = make_pack(meetings[0], plan)
        closed.refresh_from_db()
        checksum = closed.pdf_sha256
        open_pack = make_pack(meetings[1], plan, close=False)
        response = client.post(
            admin_url(BoardPack, "changelist"),
            {"action": "close_packs", "_selected_action": [closed.pk, open_pack.pk]},
            follow=True,
        )
        text = response.content.decode()
        open_pack.refresh_from_db()
        assert open_pack.is_closed
        closed.refresh_from_db()
        assert closed.pdf_sha256 == checksum
        assert "closed" in text.lower() or "stängd" in text.lower()

    def test_a_closed_pack_is_read_only_and_shows_its_checksum(
        self, client, editor, meetings, plan, items
    ):
        client.force_login(editor)
        pack = make_pack(meetings[0], plan)
        response = client.get(admin_url(BoardPack, "change", pack.pk))
        assert response.status_code == 200
        assert response.context["has_change_permission"] is False
        assert 'name="_save"' not in response.content.decode()
        assert pack.pdf_sha256 in response.content.decode()
        assert (
            client.post(
                admin_url(BoardPack, "delete", pack.pk), {"post": "yes"}
            ).status_code
            == 403
        )
        assert BoardPack.objects.filter(pk=pack.pk).exists()

    def test_frozen_rows_can_be_seen_but_not_added_or_changed(
        self, client, editor, meetings, plan, items
    ):
        client.force_login(editor)
        pack = make_pack(meetings[0], plan)
        row = pack.items.first()
        changelist = client.get(
            admin_url(BoardPackItem, "changelist"), {"pack__id__exact": pack.pk}
        )
        assert changelist.status_code == 200
        assert row.title in changelist.content.decode()
        assert client.get(admin_url(BoardPackItem, "add")).status_code == 403
        change = client.get(admin_url(BoardPackItem, "change", row.pk))
        assert change.context["has_change_permission"] is False
        indicators = client.get(admin_url(BoardPackIndicator, "changelist"))
        assert indicators.status_code == 200

    def test_meeting_admin_edits_decisions_linked_to_items(
        self, client, editor, meetings, items
    ):
        client.force_login(editor)
        meeting = meetings[0]
        url = reverse("admin:plans_meeting_change", args=[meeting.pk])
        page = client.get(url)
        assert page.status_code == 200
        prefix = "decision_items"
        response = client.post(
            url,
            {
                "body": meeting.body.pk,
                "date": "2026-02-01",
                "title": meeting.title,
                "is_public": "on",
                "agenda": "",
                "notes": "",
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-0-order": "1",
                f"{prefix}-0-text": "Styrgruppen ger uppdraget.",
                f"{prefix}-0-action_items": [items["public"].pk],
            },
        )
        assert response.status_code == 302, response.context and (
            response.context["adminform"].form.errors,
            [f.errors for f in response.context["inline_admin_formsets"][0].formset],
        )
        decision = MeetingDecision.objects.get(meeting=meeting)
        assert list(decision.action_items.all()) == [items["public"]]

    def test_update_overdue_filter_narrows_the_action_items(self, client, editor, plan):
        client.force_login(editor)
        stale = created(factories.ActionItemFactory(plan=plan, title="Gammal"), 90)
        fresh = factories.ActionItemFactory(plan=plan, title="Färsk")
        url = admin_url(ActionItem, "changelist")
        overdue = client.get(url, {"update_overdue": "yes"})
        shown = list(overdue.context["cl"].result_list)
        assert shown == [stale]
        not_overdue = client.get(url, {"update_overdue": "no"})
        assert list(not_overdue.context["cl"].result_list) == [fresh]


# -- every page of the new admins, as the back-office smoke test does ---------

NEW_ADMIN_MODELS = [MeetingDecision, BoardPack, BoardPackItem, BoardPackIndicator]


@pytest.fixture
def pack_with_rows(meetings, plan, items):
    indicator = factories.IndicatorFactory(name="Söderorts indikator")
    indicator.plans.add(plan)
    factories.IndicatorValueFactory(indicator=indicator)
    decision = MeetingDecision.objects.create(meeting=meetings[0], text="Söder beslut")
    decision.action_items.add(items["public"])
    return make_pack(meetings[0], plan)


@pytest.mark.parametrize("model", NEW_ADMIN_MODELS, ids=lambda m: m.__name__)
def test_editor_opens_every_page_of_the_new_admins(
    client, editor, pack_with_rows, model
):
    client.force_login(editor)
    obj = model.objects.first()
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "changelist") + "?q=Söder",
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
    ):
        assert client.get(url).status_code == 200, url
    add = client.get(admin_url(model, "add")).status_code
    assert add == (403 if model in (BoardPackItem, BoardPackIndicator) else 200)


@pytest.mark.parametrize("model", NEW_ADMIN_MODELS, ids=lambda m: m.__name__)
def test_reader_sees_the_new_admins_read_only(client, reader, pack_with_rows, model):
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    obj = model.objects.first()
    assert client.get(admin_url(model, "changelist")).status_code == 200
    response = client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.get(admin_url(model, "add")).status_code == 403


def test_new_changelists_do_not_grow_with_rows(client, editor, body, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    factories.ActionItemFactory.create_batch(3, plan=plan)

    def add_packs(count):
        for _n in range(count):
            meeting = factories.MeetingFactory(body=body)
            MeetingDecision.objects.create(meeting=meeting, text="Beslut")
            make_pack(meeting, plan)

    def counts():
        result = []
        for model in (*NEW_ADMIN_MODELS, ActionItem):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(admin_url(model, "changelist")).status_code == 200
            result.append(len(queries))
        url = reverse("admin:plans_meeting_changelist")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return [*result, len(queries)]

    add_packs(1)
    few = counts()
    add_packs(3)
    assert counts() == few


# ---------------------------------------------------------------------------
# Updates written on the day the previous pack was closed (issue 13)
# ---------------------------------------------------------------------------


def test_an_update_dated_the_day_the_previous_pack_closed_is_new(meetings, plan):
    today = timezone.localdate()
    first = factories.ActionItemFactory(plan=plan, code="1", title="Första")
    second = factories.ActionItemFactory(plan=plan, code="2", title="Andra")
    third = factories.ActionItemFactory(plan=plan, code="3", title="Tredje")
    factories.ActionUpdateFactory(item=first, date=today, text="Före mötet")
    old = make_pack(meetings[0], plan)
    # Written after the first pack was closed, dated the same day.
    factories.ActionUpdateFactory(item=first, date=today, text="Efter mötet")
    factories.ActionUpdateFactory(item=second, date=today, text="Också i dag")
    factories.ActionUpdateFactory(item=third, date=today, text="Och här")
    new = make_pack(meetings[1], plan)
    changes = compare_packs(old, new)
    assert sorted(codes(changes.new_updates)) == ["1", "2", "3"]


def test_the_pack_counts_items_past_their_due_date(meetings, plan, client):
    factories.ActionItemFactory(
        plan=plan,
        code="1",
        status=ActionItem.Status.ONGOING,
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    factories.ActionItemFactory(
        plan=plan,
        code="2",
        status=ActionItem.Status.DONE,
        progress=100,
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    pack = make_pack(meetings[0], plan)
    response = client.get(reverse("plans:meeting-detail", args=[meetings[0].pk]))
    assert response.context["past_due_count"] == 1
    text = pdf_text(pack.pdf)
    assert re.search(r"Passerat slutdatum\s*1", text)


# ---------------------------------------------------------------------------
# Issue 18, finding 1: the public pack printed unpublished plans' titles
# ---------------------------------------------------------------------------


def test_a_pack_with_an_unpublished_plan_is_refused_and_never_prints_its_title(
    meetings, plan, items
):
    draft = factories.PlanFactory(title="Utkast till ny plan", status=Plan.Status.DRAFT)
    hidden = factories.PlanFactory(title="Icke offentlig plan", is_public=False)
    pack = make_pack(meetings[0], plan, draft, hidden, close=False)
    with pytest.raises(BoardPackError) as refused:
        close_board_pack(pack, None)
    assert "Utkast till ny plan" in str(refused.value)
    assert "Icke offentlig plan" in str(refused.value)
    pack.refresh_from_db()
    assert not pack.is_closed and not pack.pdf_sha256
    assert not pack.items.exists()
    # Nor does the public edition name them while the pack is prepared.
    html = boardpacks.preview_html(pack, BoardPack.Edition.PUBLIC)
    assert "Handlingsplan Test" in html
    assert "Utkast till ny plan" not in html
    assert "Icke offentlig plan" not in html
