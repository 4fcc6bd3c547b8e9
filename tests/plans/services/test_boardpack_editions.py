"""Board packs that carry a whole meeting (issue 16): the agenda, the decisions,
the summary per strategy and the late items in two frozen editions; members
only for the members' edition; corrections that supersede; a preview that
stores nothing."""

import datetime
import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from flemingsberg.permissions import EDITOR_GROUP, READER_GROUP
from plans.models import (
    ActionItem,
    BoardPack,
    BoardPackIndicator,
    BoardPackItem,
    MeetingDecision,
    Plan,
    RenderedDocument,
)
from plans.services import boardpacks
from plans.services.boardpacks import BoardPackError, close_board_pack
from plans.services.pdf import PDFRenderError, render_pdf
from tests import factories
from tests.conftest import _group

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)

AGENDA = (
    "1. Lägesbild för Flemingsberg\n2) Beslut om handlingsplanen\n\n- Övriga frågor"
)
PUBLIC_DECISION = "Styrgruppen fastställer handlingsplanen för 2027."
SECOND_DECISION = "Styrgruppen ger kansliet i uppdrag att utreda en science park."
EARLIER_DECISION = "Styrgruppen beställer en lägesbild av företagsbyn."
INTERNAL_ITEM = "Hemlig förhandling om markköp"
DRAFT_PLAN = "Utkast till handlingsplan 2028"
DRAFT_ITEM = "Åtgärd i utkastet"


def pdftotext(content):
    """The text of a PDF as pdftotext reads it, whitespace made single."""
    result = subprocess.run(
        ["pdftotext", "-", "-"],
        input=bytes(content),
        capture_output=True,
        check=True,
    )
    return re.sub(r"\s+", " ", result.stdout.decode())


def url(name, *args):
    return reverse(f"plans:{name}", args=args)


def created_days_ago(item, days):
    noon = datetime.datetime.combine(TODAY - days * DAY, datetime.time(12))
    ActionItem.objects.filter(pk=item.pk).update(created_at=timezone.make_aware(noon))


def make_meeting_world():
    """A body with an earlier meeting and a meeting with an agenda and two
    decisions; a published plan with a strategy, a late item, an item whose
    update is overdue and an internal item; a draft plan with one item that a
    decision names."""
    body = factories.GoverningBodyFactory(name="Politisk styrgrupp")
    plan = factories.PlanFactory(title="Handlingsplan 2027", slug="hp-2027")
    strategy = factories.StrategyFactory(
        plan=plan, code="1", title="Stärka kunskapsnoden", order=1
    )
    late = factories.ActionItemFactory(
        plan=plan,
        code="1.1",
        title="Bygga ut företagsbyn",
        strategy=strategy,
        due_date=TODAY - 10 * DAY,
    )
    factories.ActionUpdateFactory(item=late, date=TODAY - DAY, text="Bygget pågår")
    stale = factories.ActionItemFactory(
        plan=plan, code="1.2", title="Kartlägga studentbostäder", strategy=strategy
    )
    created_days_ago(stale, 120)
    internal = factories.ActionItemFactory(
        plan=plan, code="1.3", title=INTERNAL_ITEM, is_public=False
    )
    draft = factories.PlanFactory(
        title=DRAFT_PLAN, slug="utkast-2028", status=Plan.Status.DRAFT
    )
    draft_item = factories.ActionItemFactory(plan=draft, code="9.1", title=DRAFT_ITEM)

    earlier = factories.MeetingFactory(
        body=body, date=TODAY - 60 * DAY, title="Höstmötet"
    )
    factories.MeetingDecisionFactory(
        meeting=earlier, text=EARLIER_DECISION
    ).action_items.add(late)
    meeting = factories.MeetingFactory(
        body=body,
        date=TODAY + 7 * DAY,
        title="Vintermötet",
        place="Novum, Huddinge",
        agenda=AGENDA,
    )
    first = MeetingDecision.objects.create(
        meeting=meeting, order=1, text=PUBLIC_DECISION
    )
    first.action_items.add(late, internal)
    second = MeetingDecision.objects.create(
        meeting=meeting, order=2, text=SECOND_DECISION
    )
    second.action_items.add(draft_item)
    return {
        "body": body,
        "plan": plan,
        "draft": draft,
        "meeting": meeting,
        "late": late,
        "stale": stale,
        "internal": internal,
    }


def assert_carries_the_meeting(text):
    assert "Lägesbild för Flemingsberg" in text
    assert "Beslut om handlingsplanen" in text
    assert "Övriga frågor" in text
    assert "1. 1." not in text  # numbered once, by the list
    assert PUBLIC_DECISION in text
    assert SECOND_DECISION in text
    assert EARLIER_DECISION in text  # the previous meeting's decision
    assert "Sammanfattning per strategi" in text
    assert "1 Stärka kunskapsnoden" in text
    assert "Passerat slutdatum" in text
    assert "Bygga ut företagsbyn" in text
    assert "Kartlägga studentbostäder" in text
    assert "Novum, Huddinge" in text


# ---------------------------------------------------------------------------
# Done when: close a pack, read both editions, download them, edit, again
# ---------------------------------------------------------------------------


def test_closing_freezes_two_editions_that_carry_the_meeting(
    client, run_pdf_tasks, settings
):
    editor = factories.UserFactory(username="redaktor", is_staff=True)
    editor.groups.add(_group(EDITOR_GROUP))
    reader = factories.UserFactory(username="lasare")
    reader.groups.add(_group(READER_GROUP))
    world = make_meeting_world()
    meeting = world["meeting"]
    pack = BoardPack.objects.create(meeting=meeting)
    pack.plans.set([world["plan"]])

    # Closed in the admin: the request freezes the rows and the HTML; the PDFs
    # are rendered by the task worker afterwards.
    client.force_login(editor)
    response = client.post(
        reverse("admin:plans_boardpack_change", args=[pack.pk]),
        {
            "meeting": meeting.pk,
            "plans": [world["plan"].pk],
            "note": "",
            "supersedes": "",
            "correction": "",
            "close_now": "on",
            "loaded_version": pack.version,
        },
    )
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.is_closed and pack.closed_by == editor
    assert not pack.pdf_sha256 and not pack.members_pdf_sha256
    client.logout()
    waiting = client.get(url("meeting-pack-pdf", meeting.pk))
    assert waiting.status_code == 202

    run_pdf_tasks()
    pack.refresh_from_db()
    public, members = bytes(pack.pdf), bytes(pack.members_pdf)
    assert pack.pdf_sha256 == hashlib.sha256(public).hexdigest()
    assert pack.members_pdf_sha256 == hashlib.sha256(members).hexdigest()

    public_text, members_text = pdftotext(public), pdftotext(members)
    for text in (public_text, members_text):
        assert_carries_the_meeting(text)
    assert "Offentlig utgåva" in public_text
    assert "Medlemsutgåva" in members_text
    # The public edition: no internal row, no unpublished plan's title.
    assert INTERNAL_ITEM not in public_text
    assert DRAFT_PLAN not in public_text
    assert DRAFT_ITEM not in public_text
    # The members' edition holds them, marked.
    assert INTERNAL_ITEM in members_text
    assert DRAFT_ITEM in members_text and DRAFT_PLAN in members_text
    assert "Intern" in members_text

    # Downloads: everyone gets the public edition, members alone the other.
    anonymous_public = client.get(url("meeting-pack-pdf", meeting.pk))
    assert anonymous_public.status_code == 200
    assert hashlib.sha256(anonymous_public.content).hexdigest() == pack.pdf_sha256
    assert client.get(url("meeting-pack-members-pdf", meeting.pk)).status_code == 404
    by_id = url("boardpack-pdf", meeting.pk, pack.pk, "members")
    assert client.get(by_id).status_code == 404
    client.force_login(reader)
    member_download = client.get(url("meeting-pack-members-pdf", meeting.pk))
    assert member_download.status_code == 200
    assert member_download["Content-Type"] == "application/pdf"
    assert (
        hashlib.sha256(member_download.content).hexdigest() == pack.members_pdf_sha256
    )
    directives = member_download["Cache-Control"]
    assert "private" in directives and "public" not in directives
    page = client.get(url("meeting-detail", meeting.pk)).content.decode()
    assert pack.members_pdf_sha256 in page and pack.pdf_sha256 in page

    # Edits after closing change neither edition.
    late = world["late"]
    late.title, late.status, late.progress = "Omskriven", ActionItem.Status.DONE, 100
    late.save()
    factories.ActionUpdateFactory(item=late, text="Efter mötet")
    MeetingDecision.objects.update(text="Ändrat beslut")
    meeting.agenda = "Ny dagordning"
    meeting.save()
    world["internal"].delete()
    client.logout()
    again = client.get(url("meeting-pack-pdf", meeting.pk))
    assert hashlib.sha256(again.content).hexdigest() == pack.pdf_sha256
    client.force_login(reader)
    again = client.get(url("meeting-pack-members-pdf", meeting.pk))
    assert hashlib.sha256(again.content).hexdigest() == pack.members_pdf_sha256
    stored = BoardPack.objects.get(pk=pack.pk)
    assert (stored.pdf_sha256, stored.members_pdf_sha256) == (
        pack.pdf_sha256,
        pack.members_pdf_sha256,
    )
    assert bytes(stored.pdf) == public and bytes(stored.members_pdf) == members


# ---------------------------------------------------------------------------
# Refusal and correction
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_closing_a_pack_with_an_unpublished_plan_names_it(client, editor):
    world = make_meeting_world()
    pack = BoardPack.objects.create(meeting=world["meeting"])
    pack.plans.set([world["plan"], world["draft"]])
    with pytest.raises(BoardPackError, match=DRAFT_PLAN):
        close_board_pack(pack, editor)
    assert not BoardPack.objects.get(pk=pack.pk).is_closed

    # In the admin, the same as a form error on the plans.
    client.force_login(editor)
    response = client.post(
        reverse("admin:plans_boardpack_change", args=[pack.pk]),
        {
            "meeting": world["meeting"].pk,
            "plans": [world["plan"].pk, world["draft"].pk],
            "close_now": "on",
            "loaded_version": pack.version,
        },
    )
    assert response.status_code == 200
    assert DRAFT_PLAN in str(response.context["adminform"].form.errors["plans"])
    assert not BoardPack.objects.get(pk=pack.pk).is_closed


@pytest.mark.django_db
def test_a_correction_supersedes_the_closed_pack_and_both_stay_listed(client, editor):
    world = make_meeting_world()
    meeting = world["meeting"]
    old = BoardPack.objects.create(meeting=meeting)
    old.plans.set([world["plan"]])
    close_board_pack(old, editor)

    # A second pack for the meeting that does not supersede the first: refused.
    stray = BoardPack.objects.create(meeting=meeting)
    stray.plans.set([world["plan"]])
    with pytest.raises(BoardPackError, match=r"ersätta|supersede"):
        close_board_pack(stray, editor)
    stray.delete()

    # "Correct the board pack" in the admin starts from the closed one.
    client.force_login(editor)
    add = client.get(reverse("admin:plans_boardpack_add"), {"meeting": meeting.pk})
    initial = add.context["adminform"].form.initial
    assert initial["supersedes"] == old.pk
    assert initial["plans"] == [world["plan"].pk]

    new = BoardPack.objects.create(meeting=meeting, supersedes=old)
    new.plans.set([world["plan"]])
    with pytest.raises(BoardPackError, match=r"rättar|corrects"):
        close_board_pack(new, editor)
    new.correction = "Rättar status för 1.1 som var fel."
    new.save()
    close_board_pack(new, editor)

    old.refresh_from_db()
    new.refresh_from_db()
    assert new.supersedes == old
    assert old.superseding_pack() == new
    assert list(BoardPack.objects.current().filter(meeting=meeting)) == [new]
    text = pdftotext(new.pdf)
    assert "Rättar status för 1.1 som var fel." in text
    assert old.pdf_sha256 in text.replace(" ", "") or old.pdf_sha256[:20] in text

    client.logout()
    response = client.get(url("meeting-detail", meeting.pk))
    assert response.context["pack"] == new
    assert response.context["other_packs"] == [old]
    page = response.content.decode()
    assert new.pdf_sha256 in page and old.pdf_sha256 in page
    assert url("boardpack-pdf", meeting.pk, old.pk, "public") in page
    old_pdf = client.get(url("boardpack-pdf", meeting.pk, old.pk, "public"))
    assert hashlib.sha256(old_pdf.content).hexdigest() == old.pdf_sha256
    current = client.get(url("meeting-pack-pdf", meeting.pk))
    assert hashlib.sha256(current.content).hexdigest() == new.pdf_sha256


# ---------------------------------------------------------------------------
# Preview
# ---------------------------------------------------------------------------


def state_of_the_database():
    """Every board pack's fields and the number of rows of each related table."""
    packs = list(
        BoardPack.objects.order_by("pk").values_list(
            "pk", "closed_at", "pdf_sha256", "members_pdf_sha256", "public_html"
        )
    )
    counts = [
        model.objects.count()
        for model in (BoardPackItem, BoardPackIndicator, RenderedDocument)
    ]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        task_table = [name for name in tables if "django_tasks" in name]
        for name in task_table:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts.append(cursor.fetchone()[0])
    return packs, counts


def files_under(root):
    root = Path(root)
    if not root.exists():
        return []
    return sorted(
        (str(path), path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    )


@pytest.mark.django_db
def test_the_preview_renders_the_pack_and_stores_nothing(client, editor):
    world = make_meeting_world()
    pack = BoardPack.objects.create(meeting=world["meeting"])
    pack.plans.set([world["plan"]])
    client.force_login(editor)
    change = client.get(reverse("admin:plans_boardpack_change", args=[pack.pk]))
    preview_url = reverse("admin:plans_boardpack_preview", args=[pack.pk, "members"])
    assert preview_url in change.content.decode()

    before = state_of_the_database(), files_under(settings.MEDIA_ROOT)
    members = client.get(preview_url)
    public = client.get(
        reverse("admin:plans_boardpack_preview", args=[pack.pk, "public"])
    )
    after = state_of_the_database(), files_under(settings.MEDIA_ROOT)
    assert after == before
    assert not BoardPack.objects.get(pk=pack.pk).is_closed

    assert members["Content-Type"] == public["Content-Type"] == "application/pdf"
    assert "no-store" in members["Cache-Control"]
    assert_carries_the_meeting(pdftotext(members.content))
    public_text = pdftotext(public.content)
    assert INTERNAL_ITEM in pdftotext(members.content)
    assert INTERNAL_ITEM not in public_text and DRAFT_PLAN not in public_text


@pytest.mark.django_db
def test_the_preview_is_for_the_back_office(client, reader):
    pack = BoardPack.objects.create(meeting=factories.MeetingFactory())
    preview_url = reverse("admin:plans_boardpack_preview", args=[pack.pk, "public"])
    assert client.get(preview_url).status_code == 302  # to the sign-in page
    client.force_login(reader)  # not staff
    assert client.get(preview_url).status_code == 302


# ---------------------------------------------------------------------------
# Creating a pack from the meeting; the agenda as a list
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_board_pack_preselects_the_bodys_plans(client, editor):
    world = make_meeting_world()
    world["plan"].governing_bodies.add(world["body"])
    world["draft"].governing_bodies.add(world["body"])
    factories.PlanFactory(title="Annan plan")
    client.force_login(editor)
    meeting_page = client.get(
        reverse("admin:plans_meeting_change", args=[world["meeting"].pk])
    ).content.decode()
    add_url = reverse("admin:plans_boardpack_add") + f"?meeting={world['meeting'].pk}"
    assert add_url in meeting_page
    add = client.get(add_url)
    assert add.context["adminform"].form.initial["plans"] == [world["plan"].pk]

    # The members' meeting page offers it to editors only.
    assert (
        add_url
        in client.get(url("meeting-detail", world["meeting"].pk)).content.decode()
    )
    client.logout()
    anonymous = client.get(url("meeting-detail", world["meeting"].pk)).content.decode()
    assert add_url not in anonymous


@pytest.mark.django_db
def test_the_agenda_is_an_ordered_list(client):
    meeting = factories.MeetingFactory(agenda=AGENDA)
    assert meeting.agenda_items == [
        "Lägesbild för Flemingsberg",
        "Beslut om handlingsplanen",
        "Övriga frågor",
    ]
    page = client.get(url("meeting-detail", meeting.pk)).content.decode()
    assert re.search(
        r'<ol class="meeting-agenda"><li>Lägesbild för Flemingsberg</li>'
        r"<li>Beslut om handlingsplanen</li><li>Övriga frågor</li></ol>",
        page,
    )
    assert "<br>" not in page.split('class="meeting-agenda"')[1].split("</ol>")[0]


@pytest.mark.django_db
def test_the_summary_per_strategy_counts_by_the_follow_up_rules(client, editor):
    world = make_meeting_world()
    pack = BoardPack.objects.create(meeting=world["meeting"])
    pack.plans.set([world["plan"]])
    close_board_pack(pack, editor)
    rows = {row.code: row for row in pack.items.all()}
    assert rows["1.1"].is_late and not rows["1.2"].is_late
    assert rows["1.2"].update_overdue and rows["1.2"].public_update_overdue
    assert rows["1.1"].strategy == "1 Stärka kunskapsnoden"
    # The same items by the live rules on the day of closing.
    live = ActionItem.objects.filter(plan=world["plan"])
    assert {row.code for row in rows.values() if row.is_late} == set(
        live.late(TODAY).values_list("code", flat=True)
    )
    assert {row.code for row in rows.values() if row.update_overdue} == set(
        live.update_overdue(internal=True, today=TODAY).values_list("code", flat=True)
    )
    response = client.get(url("meeting-detail", world["meeting"].pk))
    strategy = response.context["strategies"][0]
    assert strategy.title == "1 Stärka kunskapsnoden"
    assert (strategy.counts.total, strategy.counts.late, strategy.counts.overdue) == (
        2,
        1,
        1,
    )
    # A third of the open items is late: off track by HEALTH_RULE.
    assert strategy.health == "off_track"
    # Anonymous visitors: the internal item is in no strategy's count.
    assert sum(row.counts.total for row in response.context["strategies"]) == 2


# ---------------------------------------------------------------------------
# Item pickers name the plan
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_item_pickers_show_the_plans_short_name_with_the_code(client, editor):
    title = "Etablera en struktur för samverkan"
    old = factories.PlanFactory(title="Handlingsplan 2009", short_name="HP 2009")
    new = factories.PlanFactory(title="Handlingsplan 2010")
    carried = factories.ActionItemFactory(plan=old, code="2.4", title=title)
    factories.ActionItemFactory(plan=new, code="2.4", title=title)
    client.force_login(editor)

    answer = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "2.4",
            "app_label": "plans",
            "model_name": "meetingdecision",
            "field_name": "action_items",
        },
    )
    assert answer.status_code == 200
    texts = sorted(result["text"] for result in answer.json()["results"])
    assert texts == [
        f"HP 2009 · 2.4 {title}",
        f"Handlingsplan 2010 · 2.4 {title}",  # no short name: the title
    ]

    decision = factories.MeetingDecisionFactory()
    decision.action_items.add(carried)
    page = client.get(
        reverse("admin:plans_meetingdecision_change", args=[decision.pk])
    ).content.decode()
    assert f"HP 2009 · 2.4 {title}" in page


# ---------------------------------------------------------------------------
# The render after closing
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_render_is_recorded_and_a_stored_pdf_never_replaced(
    client, editor, monkeypatch, django_capture_on_commit_callbacks
):
    world = make_meeting_world()
    pack = BoardPack.objects.create(meeting=world["meeting"])
    pack.plans.set([world["plan"]])
    with django_capture_on_commit_callbacks():
        close_board_pack(pack, editor, background=True)
    pack.refresh_from_db()
    assert pack.is_closed and not pack.pdf_sha256  # left to the task worker

    def broken(html):
        raise PDFRenderError("renderer down")

    monkeypatch.setattr(boardpacks, "render_pdf", broken)
    assert boardpacks.render_pack_editions(pack.pk) == []
    pack.refresh_from_db()
    assert pack.is_closed and pack.render_error == "renderer down"
    assert client.get(url("meeting-pack-pdf", pack.meeting_id)).status_code == 202

    monkeypatch.setattr(boardpacks, "render_pdf", render_pdf)
    assert boardpacks.render_pack_editions(pack.pk) == ["public", "members"]
    pack.refresh_from_db()
    checksums = (pack.pdf_sha256, pack.members_pdf_sha256)
    assert all(checksums) and not pack.render_error
    assert boardpacks.render_pack_editions(pack.pk) == []
    pack.refresh_from_db()
    assert (pack.pdf_sha256, pack.members_pdf_sha256) == checksums
