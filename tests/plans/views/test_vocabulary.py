"""One vocabulary (docs/glossary.md): the date flag is "Passerat slutdatum"
("Past end date") with the date, never "Försenad" ("Late", "Delayed"), which
is a status.

Two plans alike in everything but one: plan B's item is past its end date,
plan A's is not. Every page type, PDF and export of the two, in both
languages, uses "Försenad" (in English "late" or "delayed") exactly as often:
the flag adds none. Pages that show the flag show it as "Passerat slutdatum"."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from plans.models import ActionItem, BoardPack, Plan, Section
from plans.services.boardpacks import close_board_pack
from tests import factories
from tests.pdfs import get_rendered

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=20)
FUTURE = TODAY + datetime.timedelta(days=20)

WORDS = {
    "sv": re.compile(r"(?i)försenad"),
    "en": re.compile(r"(?i)\b(?:late|delayed)\b"),
}
FLAG = {"sv": "Passerat slutdatum", "en": "Past end date"}


def visible_text(response):
    """What a reader sees: the text of a page, PDF or file."""
    content = (
        b"".join(response.streaming_content)
        if response.streaming
        else bytes(response.content)
    )
    kind = response["Content-Type"]
    if "pdf" in kind:
        reader = PdfReader(io.BytesIO(content))
        text = " ".join(page.extract_text() for page in reader.pages)
    elif "spreadsheet" in kind:
        book = openpyxl.load_workbook(io.BytesIO(content))
        text = " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    elif "html" in kind:
        html = content.decode()
        # Attributes a reader meets too: labels and titles.
        labels = " ".join(re.findall(r'(?:aria-label|title|alt)="([^"]*)"', html))
        text = re.sub(r"<[^>]+>", " ", html) + " " + labels
    else:
        text = content.decode("utf-8-sig")
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def twins(db):
    """Plans A and B with one item each, a written update and a closed board
    pack; B's item is past its end date."""
    twins = {}
    for letter, due in (("a", FUTURE), ("b", PAST)):
        plan = factories.PlanFactory(
            slug=f"plan-{letter}", title=f"Plan {letter.upper()}", is_public=True
        )
        factories.SectionFactory(
            plan=plan, kind=Section.Kind.ACTION_ITEMS, order=1, body=""
        )
        body = factories.GoverningBodyFactory(name=f"Grupp {letter.upper()}")
        plan.governing_bodies.add(body)
        item = factories.ActionItemFactory(
            plan=plan,
            code="1",
            title="Samma åtgärd",
            status=ActionItem.Status.ONGOING,
            progress=40,
            due_date=due,
            is_public=True,
        )
        factories.ActionUpdateFactory(item=item, text="Arbetet pågår.")
        meeting = factories.MeetingFactory(
            body=body, date=TODAY - datetime.timedelta(days=3), title="Mötet"
        )
        pack = BoardPack.objects.create(meeting=meeting)
        pack.plans.set([plan])
        close_board_pack(pack, None)
        twins[letter] = (plan, item, meeting)
    return twins


def plan_pages(plan, item, meeting):
    """(name, url, is the flag shown there) of every page type of one plan."""
    report = reverse("plans:plan-report", kwargs={"slug": plan.slug})
    actions = reverse("plans:actionitem-list")
    return [
        ("plan", plan.get_absolute_url(), True),
        ("plan PDF", reverse("plans:plan-pdf", kwargs={"slug": plan.slug}), True),
        ("report", report, True),
        (
            "report PDF",
            reverse("plans:plan-report-pdf", kwargs={"slug": plan.slug}),
            True,
        ),
        ("action list", f"{actions}?plan={plan.slug}", True),
        ("action list, late", f"{actions}?plan={plan.slug}&late=true", False),
        ("CSV", f"{actions}?plan={plan.slug}&export=csv", False),
        ("XLSX", f"{actions}?plan={plan.slug}&export=xlsx", False),
        ("JSON", f"{actions}?plan={plan.slug}&export=json", False),
        (
            "open data",
            reverse(
                "plans:plan-action-data", kwargs={"slug": plan.slug, "format": "json"}
            ),
            False,
        ),
        ("action item", item.get_absolute_url(), True),
        ("meeting", reverse("plans:meeting-detail", args=[meeting.pk]), False),
        ("meeting changes", reverse("plans:meeting-changes", args=[meeting.pk]), False),
        ("board pack PDF", reverse("plans:meeting-pack-pdf", args=[meeting.pk]), False),
    ]


SITE_PAGES = [
    ("home", "plans:home", False),
    ("dashboard", "plans:dashboard", False),
    ("dashboard, partner plans", "plans:dashboard", False),
    ("action list", "plans:actionitem-list", True),
    ("indicators", "plans:indicator-list", False),
    ("meetings", "plans:meeting-list", False),
]


def counts(client, url, language):
    response = get_rendered(client, url)
    assert response.status_code == 200, url
    text = visible_text(response)
    return len(WORDS[language].findall(text)), text.count(FLAG[language]), text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_date_flag_is_never_called_delayed(client, twins, language):
    with translation.override(language):
        for (name, url_a, shows_flag), (_name, url_b, _shows) in zip(
            plan_pages(*twins["a"]), plan_pages(*twins["b"]), strict=True
        ):
            words_a, flags_a, _text = counts(client, url_a, language)
            words_b, flags_b, text_b = counts(client, url_b, language)
            assert words_b == words_a, (name, text_b)
            if shows_flag:
                assert flags_b > flags_a, (name, text_b)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_site_pages_use_the_same_words_whether_or_not_an_item_is_late(
    client, twins, language
):
    _plan, item, _meeting = twins["b"]
    ActionItem.objects.filter(pk=item.pk).update(due_date=FUTURE)
    with translation.override(language):
        urls = [
            (name, reverse(url_name), shows) for name, url_name, shows in SITE_PAGES
        ]
        urls[2] = (urls[2][0], urls[2][1] + "?scope=partner", False)
        before = {name: counts(client, url, language) for name, url, _ in urls}
        ActionItem.objects.filter(pk=item.pk).update(due_date=PAST)
        for name, url, shows_flag in urls:
            words, flags, text = counts(client, url, language)
            assert words == before[name][0], (name, text)
            if shows_flag:
                assert flags > before[name][1], (name, text)


def test_the_flag_shows_the_date_and_an_icon(client, twins):
    _plan, item, _meeting = twins["b"]
    content = client.get(item.get_absolute_url()).content.decode()
    flag = content[content.index('class="badge badge--late"') :]
    flag = flag[: flag.index("</span>")]
    assert "<svg" in flag and 'aria-hidden="true"' in flag
    assert f'Passerat slutdatum <time datetime="{PAST.isoformat()}">' in flag
    assert "Försenad" not in flag
    assert not Plan.objects.filter(status=Plan.Status.DRAFT).exists()
