"""Hostile text stored in every text field of the data a plan shows (as an
import, the admin or a data file could store it), then every page, export and
PDF that shows it: no server error, nothing unescaped, no formula in a
spreadsheet export. Stored values are echoed on every visit: the worst kind."""

import csv
import io
import json

import openpyxl
import pytest
from django.db import connection, models
from hypothesis import given
from hypothesis import strategies as st

from plans.exports.files import FORMULA_PREFIXES
from plans.models import (
    ActionItem,
    ActionUpdate,
    FocusArea,
    FundingContribution,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Meeting,
    MeetingDecision,
    Plan,
    Section,
    Strategy,
    StrategyMeasure,
    TargetStatement,
    VisionStatement,
)
from stakeholders.models import (
    GoverningBody,
    Membership,
    Organisation,
    Person,
    StakeholderGroup,
)
from tests.fuzz.checks import assert_sound
from tests.fuzz.strategies import MARKUP, hostile_text
from tests.fuzz.support import fuzz_settings, rolled_back
from tests.pdfs import get_rendered
from tests.spreadsheets import formulas_when_split

pytestmark = pytest.mark.django_db

SLUG = "handlingsplan-2009"  # the smallest bundled plan (see conftest)
BUSINESS_PLAN = "verksamhetsplan-2009-2011"
MARKDOWN = [
    "<script>alert(1)</script>\n\n**fet**",
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
    "<img src=x onerror=alert(1)>",
    "<x-fuzz onmouseover=alert(1)>text</x-fuzz>",
    "- a\n" * 50 + "> " * 200 + "x",
    "[x](<javascript:alert(1)>)",
    "<details open ontoggle=alert(1)>",
]
stored_text = st.one_of(
    st.sampled_from(MARKUP), st.sampled_from(MARKDOWN), hostile_text
).map(lambda text: text.replace("\x00", ""))  # no database stores a NUL


def _targets():
    """(model, objects) whose text the small plan's pages and the registers show."""
    plans = Plan.objects.filter(slug__in=[SLUG, BUSINESS_PLAN])
    items = ActionItem.objects.filter(plan__slug=SLUG)
    return [
        (Plan, plans),
        (Section, Section.objects.filter(plan__in=plans)),
        (VisionStatement, VisionStatement.objects.filter(plan__in=plans)),
        (Strategy, Strategy.objects.filter(plan__in=plans)),
        (StrategyMeasure, StrategyMeasure.objects.filter(strategy__plan__in=plans)),
        (TargetStatement, TargetStatement.objects.filter(plan__in=plans)),
        (FocusArea, FocusArea.objects.filter(plan__in=plans)),
        (ActionItem, items),
        (ActionUpdate, ActionUpdate.objects.filter(item__in=items)),
        (Indicator, Indicator.objects.all()),
        (IndicatorTarget, IndicatorTarget.objects.all()),
        (IndicatorValue, IndicatorValue.objects.all()),
        (FundingContribution, FundingContribution.objects.filter(plan__in=plans)),
        (MeetingDecision, MeetingDecision.objects.all()),
        (Organisation, Organisation.objects.filter(owned_plans__in=plans)),
        (StakeholderGroup, StakeholderGroup.objects.filter(plans__in=plans)),
        (GoverningBody, GoverningBody.objects.filter(plans__in=plans)),
        (Person, Person.objects.order_by("pk")[:5]),
        (Membership, Membership.objects.order_by("pk")[:5]),
        (Meeting, Meeting.objects.all()),
    ]


def _text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, (models.SlugField, models.EmailField))
        and not field.choices
        and field.name not in {"pdf_sha256"}
    ]


def store(draw):
    """Put drawn hostile text into every text field of the targets."""
    for model, objects in _targets():
        fields = _text_fields(model)
        for obj in {obj.pk: obj for obj in objects}.values():
            values = {}
            for field in fields:
                text = draw(stored_text, label=f"{model.__name__}.{field.name}")
                if isinstance(field, models.CharField):
                    # Codes and names are unique (alone or per plan): keep them so.
                    text = f"{text[: (field.max_length or 500) - 12]} #{obj.pk}"
                if field.max_length:
                    text = text[: field.max_length]
                values[field.name] = text
            model.objects.filter(pk=obj.pk).update(**values)


def pages(world):
    """The pages that show the stored text (the small plan's, and the registers)."""
    item = ActionItem.objects.filter(plan__slug=SLUG, is_public=True).first()
    organisation = Organisation.objects.filter(owned_plans__slug=SLUG).first()
    body = GoverningBody.objects.order_by("order", "pk").first()
    indicator = Indicator.objects.public().first()
    return [
        "/",
        "/plans/",
        f"/plans/{SLUG}/",
        f"/plans/{BUSINESS_PLAN}/",
        f"/en/plans/{SLUG}/",
        f"/plans/{SLUG}/report/?since=2000-01-01",
        "/actions/",
        f"/actions/?plan={SLUG}&q=a",
        f"/actions/{item.pk}/",
        "/dashboard/",
        "/indicators/",
        f"/indicators/{indicator.pk}/",
        "/stakeholders/",
        f"/stakeholders/{organisation.slug}/",
        "/governance/",
        f"/governance/{body.slug}/",
        "/governance/meetings/",
        f"/governance/meetings/{world.meeting_pks[-1]}/",
        "/open-data/",
        f"/admin/plans/actionitem/{item.pk}/change/",
        "/admin/plans/actionitem/?q=a",
        "/admin/plans/plan/",
    ]


def exports(world):
    indicator = Indicator.objects.public().first()
    return [
        ("csv", f"/actions/?plan={SLUG}&export=csv"),
        ("xlsx", f"/actions/?plan={SLUG}&export=xlsx"),
        ("json", f"/actions/?plan={SLUG}&export=json"),
        ("csv", f"/open-data/{SLUG}/actions.csv"),
        ("xlsx", f"/open-data/{SLUG}/actions.xlsx"),
        ("csv", f"/plans/{BUSINESS_PLAN}/funding.csv"),
        ("xlsx", f"/plans/{BUSINESS_PLAN}/funding.xlsx"),
        ("csv", f"/admin/plans/actionitem/export-plan/{SLUG}/csv/"),
        ("xlsx", f"/admin/plans/actionitem/export-plan/{SLUG}/xlsx/"),
        ("csv", f"/indicators/{indicator.pk}/series.csv"),
        ("json", f"/indicators/{indicator.pk}/series.json"),
    ]


def assert_inert(kind, content, what):
    """A spreadsheet export holds no formula; JSON parses."""
    if kind == "json":
        json.loads(content)
        return
    if kind == "csv":
        text = content.decode("utf-8-sig")
        cells = [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]
        formulas = [c for c in cells if c.startswith(FORMULA_PREFIXES)]
        formulas += formulas_when_split(text)
    else:
        book = openpyxl.load_workbook(io.BytesIO(content))
        formulas = [
            cell.value
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.data_type == "f"
        ]
    assert not formulas, f"{what}: formulas {formulas[:3]}"


@given(data=st.data())
@fuzz_settings(0.5)
def test_stored_hostile_text_on_every_page(world, clients, data):
    role = data.draw(st.sampled_from(["anonymous", "reader"]), label="role")
    client = clients["superuser" if role == "reader" else "anonymous"]
    with rolled_back():
        store(data.draw)
        for path in pages(world):
            if path.startswith("/admin/") and role == "anonymous":
                continue
            response = client.get(path)
            assert_sound(response, f"{role} {path}")
            assert response.status_code == 200, f"{role} {path}"
        for kind, path in exports(world):
            if path.startswith("/admin/") and role == "anonymous":
                continue
            response = client.get(path)
            assert response.status_code == 200, f"{role} {path}"
            assert_inert(kind, response.content, f"{role} {path}")


@given(data=st.data())
@fuzz_settings(0.2)
def test_stored_hostile_text_in_the_pdfs(world, clients, data):
    """A PDF renders afresh after every change: few examples."""
    with rolled_back():
        store(data.draw)
        for path in [f"/plans/{SLUG}/pdf/", f"/plans/{SLUG}/report/pdf/"]:
            response = get_rendered(clients["anonymous"], path)
            assert response.status_code == 200, path
            assert response.content.startswith(b"%PDF"), path
    assert connection.vendor in {"sqlite", "postgresql"}
