"""Every public URL, every query parameter it reads, hostile values: no server
error and nothing echoed unescaped, in Swedish and under /en/."""

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans.filters import PER_PAGE_CHOICES, ActionItemFilter
from plans.models import ActionItem
from plans.tables import ActionItemTable
from tests.fuzz.checks import assert_sound
from tests.fuzz.strategies import (
    EXTREME_DATES,
    RAW_QUERY_FRAGMENTS,
    encode,
    hostile,
    hostile_values,
    query_string,
    text_of,
)
from tests.fuzz.support import fuzz_settings, rolled_back

pytestmark = pytest.mark.django_db

# Names every view might read, or that frameworks around it read.
COMMON_NAMES = ["page", "sort", "o", "q", "format", "lang", "language", "next", "e"]

SORT_KEYS = list(ActionItemTable.base_columns)
STATUSES = [value for value, _label in ActionItem.Status.choices]


ACTIONS_FRACTION = 3
PDF_FRACTION = 0.25


@dataclass
class Page:
    """A public URL: its path (``{slug}``/``{pk}`` filled from ``ids``) and,
    per query parameter it reads, the valid values to mix with hostile ones."""

    name: str
    path: str
    ids: str = ""  # attribute of the world with the valid path values
    params: dict = field(default_factory=dict)
    fraction: float = 1.0  # share of the examples (PDFs render slowly)
    roles: tuple = ("anonymous", "reader")


def _valid(world, name):
    values = {
        "plan": world.plan_slugs,
        "focus_area": [str(pk) for pk in world.focus_area_pks],
        "strategy": [str(pk) for pk in world.strategy_pks],
        "body": world.body_slugs,
        "from": [str(pk) for pk in world.meeting_pks],
    }
    return values.get(name)


# Valid values of the action browser's parameters; every filter of
# ActionItemFilter is fuzzed, with "1" as its valid value if not listed here.
ACTION_VALUES = {
    "q": ["arbetsplatser", "1.1", "Söderort", ""],
    "plan": None,  # from the world
    "focus_area": None,
    "strategy": None,
    "status": STATUSES,
    "late": ["1", "true", "on", "0", "false", ""],
    "overdue": ["1", "true", ""],
    "responsible_body": ["nämnd", "SLL"],
    "commissioned_by": ["Kommunfullmäktige"],
    "area": ["Flemingsberg"],
    "due_year": ["2010", "2026"],
    "per_page": [str(n) for n in PER_PAGE_CHOICES],
}
ACTION_PARAMS = {
    **{name: ACTION_VALUES.get(name, ["1"]) for name in ActionItemFilter.base_filters},
    "sort": [*SORT_KEYS, *(f"-{key}" for key in SORT_KEYS)],
    "page": ["1", "2", "last"],
    "export": ["csv", "xlsx", "json"],
}


PAGES = [
    Page("home", "/"),
    Page("plan-list", "/plans/"),
    Page("plan-detail", "/plans/{id}/", ids="plan_slugs"),
    Page(
        "plan-pdf",
        "/plans/{id}/pdf/",
        ids="pdf_plan_slugs",
        fraction=PDF_FRACTION,
        roles=("anonymous",),
    ),
    Page(
        "plan-report",
        "/plans/{id}/report/",
        ids="plan_slugs",
        params={"since": ["2009-01-01", "2026-01-01", "", *EXTREME_DATES]},
    ),
    Page(
        "plan-report-pdf",
        "/plans/{id}/report/pdf/",
        ids="pdf_plan_slugs",
        params={"since": ["2026-01-01", *EXTREME_DATES]},
        fraction=PDF_FRACTION,
        roles=("anonymous",),
    ),
    Page("plan-funding-data", "/plans/{id}/funding.csv", ids="plan_slugs"),
    Page("plan-funding-xlsx", "/plans/{id}/funding.xlsx", ids="plan_slugs"),
    Page(
        "actionitem-list", "/actions/", params=ACTION_PARAMS, fraction=ACTIONS_FRACTION
    ),
    Page("actionitem-detail", "/actions/{id}/", ids="item_pks"),
    Page("dashboard", "/dashboard/", params={"plan": None}),
    Page("indicator-list", "/indicators/"),
    Page("indicator-detail", "/indicators/{id}/", ids="indicator_pks"),
    Page("indicator-series-csv", "/indicators/{id}/series.csv", ids="indicator_pks"),
    Page("indicator-series-json", "/indicators/{id}/series.json", ids="indicator_pks"),
    Page("organisation-list", "/stakeholders/"),
    Page("organisation-detail", "/stakeholders/{id}/", ids="organisation_slugs"),
    Page("governingbody-list", "/governance/"),
    Page("governingbody-detail", "/governance/{id}/", ids="body_slugs"),
    Page(
        "meeting-list",
        "/governance/meetings/",
        params={"body": None, "page": ["1", "last"]},
    ),
    Page("meeting-detail", "/governance/meetings/{id}/", ids="meeting_pks"),
    Page(
        "meeting-changes",
        "/governance/meetings/{id}/changes/",
        ids="meeting_pks",
        params={"from": None},
    ),
    Page("meeting-pack-pdf", "/governance/meetings/{id}/pack.pdf", ids="meeting_pks"),
    Page("open-data", "/open-data/"),
    Page(
        "search",
        "/search/",
        params={
            "q": ["arbetsplatser", "Södertörns högskola", "SH", "a", ""],
            "kind": ["items", "organisations", ""],
            "page": ["1", "2"],
        },
    ),
    Page("plan-action-data-csv", "/open-data/{id}/actions.csv", ids="plan_slugs"),
    Page("plan-action-data-xlsx", "/open-data/{id}/actions.xlsx", ids="plan_slugs"),
    Page("plan-action-data-json", "/open-data/{id}/actions.json", ids="plan_slugs"),
    Page("accessibility", "/accessibility/"),
    Page("login", "/accounts/login/", params={"next": ["/actions/", "/admin/"]}),
]


@st.composite
def requests(draw, page, world):
    """A path (maybe under /en/) and a query string of hostile and valid values."""
    path = page.path
    if page.ids:
        path = path.format(id=draw(st.sampled_from(getattr(world, page.ids))))
    if draw(st.booleans()):
        path = "/en" + path
    pairs = []
    for name, valid in page.params.items():
        valid = valid if valid is not None else _valid(world, name)
        choice = draw(st.sampled_from(["absent", "valid", "hostile", "hostile"]))
        if choice == "valid":
            pairs += [
                (name, value)
                for value in draw(
                    st.lists(st.sampled_from(valid), min_size=1, max_size=3)
                )
            ]
        elif choice == "hostile":
            pairs += [(name, value) for value in draw(hostile_values)]
    # Parameters nobody reads, by name known elsewhere or by hostile name.
    names = st.one_of(st.sampled_from(COMMON_NAMES), hostile)
    pairs += draw(st.lists(st.tuples(names, hostile), max_size=2))
    pairs = draw(st.permutations(pairs))
    fragments = draw(st.lists(st.sampled_from(RAW_QUERY_FRAGMENTS), max_size=2))
    query = query_string(pairs, fragments)
    return f"{path}?{query}" if query else path


@st.composite
def headers(draw):
    """Request headers the portal reads (language, validators, referrer), hostile."""
    names = ["HTTP_ACCEPT_LANGUAGE", "HTTP_IF_NONE_MATCH", "HTTP_REFERER"]
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=2))
    # A header travels as bytes; WSGI hands them over as Latin-1 text.
    return {
        name: text_of(draw(hostile)).encode("utf-8", "replace").decode("latin-1")
        for name in chosen
    }


def _cases(fraction):
    return [
        pytest.param(page, role, id=f"{role}-{page.name}")
        for page in PAGES
        for role in page.roles
        if page.fraction == fraction
    ]


def _check(client, url, extra=None):
    with rolled_back():
        response = client.get(url, headers=None, **(extra or {}))
        assert_sound(response, f"{url[:300]} {extra or ''}")


@pytest.mark.parametrize(("page", "role"), _cases(1.0))
@given(data=st.data())
@fuzz_settings()
def test_hostile_query_parameters(world, clients, page, role, data):
    url = data.draw(requests(page, world), label="url")
    _check(clients[role], url, data.draw(headers(), label="headers"))


@pytest.mark.parametrize(("page", "role"), _cases(ACTIONS_FRACTION))
@given(data=st.data())
@fuzz_settings(ACTIONS_FRACTION)
def test_hostile_action_browser_parameters(world, clients, page, role, data):
    """The action browser reads the most parameters: more examples."""
    _check(clients[role], data.draw(requests(page, world), label="url"))


@pytest.mark.parametrize(("page", "role"), _cases(PDF_FRACTION))
@given(data=st.data())
@fuzz_settings(PDF_FRACTION)
def test_hostile_pdf_parameters(world, clients, page, role, data):
    """A PDF renders once per plan, role and parameters, then comes from the
    cache: the smallest plan, signed out, and few examples."""
    _check(clients[role], data.draw(requests(page, world), label="url"))


# ---------------------------------------------------------------------------
# Hostile path segments where a slug or a primary key goes
# ---------------------------------------------------------------------------

SEGMENT_PATHS = sorted({page.path for page in PAGES if page.ids})
big_numbers = st.integers(min_value=0, max_value=10**40).map(str)


@given(
    template=st.sampled_from(SEGMENT_PATHS),
    segment=st.one_of(hostile, big_numbers),
    prefix=st.sampled_from(["", "/en"]),
)
@fuzz_settings(3)
def test_hostile_path_segments(clients, template, segment, prefix):
    path = prefix + template.format(id=encode(segment) or "%20")
    with rolled_back():
        response = clients["anonymous"].get(path)
        assert_sound(response, path[:300])
        assert response.status_code in (200, 301, 302, 400, 404), path[:300]


def test_too_many_parameters_is_a_bad_request(clients):
    response = clients["anonymous"].get("/actions/?" + "&".join(["a=1"] * 1001))
    assert response.status_code == 400
