"""CSV, XLSX and JSON exports: the filtered rows, åäö intact, nothing hidden leaks."""

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, override
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from plans.exports import files
from plans.exports.actions import action_items_download
from plans.models import ActionItem, Plan
from tests import factories
from tests.fuzz.strategies import formula_text
from tests.spreadsheets import formulas_when_split

pytestmark = pytest.mark.django_db

EIGHT_COLUMNS_EN = [
    "Heading",
    "Assignment",
    "Commissioned by",
    "Expected result",
    "Schedule",
    "Responsible committee",
    "Responsible officer",
    "Coordinator",
]


def _csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]], sheet


def _json_rows(response):
    return json.loads(response.content.decode("utf-8"))


@pytest.fixture
def plan():
    return factories.PlanFactory(slug="soderort-test", title="Söderort 2030")


@pytest.fixture
def soderort_row(plan):
    focus_area = factories.FocusAreaFactory(
        plan=plan, title="Näringslivs- och arbetsplatsutveckling"
    )
    return factories.ActionItemFactory(
        plan=plan,
        code="1",
        focus_area=focus_area,
        title="Hela Söderort",
        assignment="Prioritera insatser för att öka antalet arbetsplatser",
        commissioned_by="Kommunfullmäktige i budget för 2010",
        expected_result="Strategi för arbetsplatsutveckling i Söderort",
        schedule="Strategi klar hösten 2010",
        responsible_body="Stockholm Business Region",
        responsible_officer="Åsa Öberg",
        coordinator="Märta Ål",
        area="Skärholmen",
        status="ongoing",
        progress=60,
        start_date=datetime.date(2010, 1, 1),
        due_date=datetime.date(2010, 10, 22),
        internal_note="Hemlig anteckning",
    )


class TestCsv:
    def test_is_utf8_with_bom_and_semicolons(self, client, soderort_row):
        response = client.get("/actions/", {"export": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.startswith(b"\xef\xbb\xbf")
        first_line = response.content.decode("utf-8-sig").splitlines()[0]
        assert first_line.startswith("Kod;Plan;")

    def test_has_the_eight_columns_and_the_follow_up(self, client, soderort_row):
        response = client.get("/en/actions/", {"export": "csv"})
        headings = list(_csv_rows(response)[0])
        position = headings.index("Heading")
        assert headings[position : position + 8] == EIGHT_COLUMNS_EN
        for heading in (
            "Code",
            "Plan",
            "Focus area",
            "Status",
            "Progress (%)",
            "Start date",
            "Due date",
            "Area or place",
            "Web address",
        ):
            assert heading in headings

    def test_swedish_letters_survive(self, client, soderort_row):
        (row,) = _csv_rows(client.get("/en/actions/", {"export": "csv"}))
        assert row["Heading"] == "Hela Söderort"
        assert row["Responsible officer"] == "Åsa Öberg"
        assert row["Coordinator"] == "Märta Ål"
        assert row["Focus area"] == "Näringslivs- och arbetsplatsutveckling"
        assert row["Due date"] == "2010-10-22"
        assert row["Progress (%)"] == "60"
        assert (
            row["Web address"] == f"http://testserver{soderort_row.get_absolute_url()}"
        )

    def test_contains_exactly_the_filtered_rows_across_pages(self, client, plan):
        factories.ActionItemFactory.create_batch(30, plan=plan, area="Farsta")
        factories.ActionItemFactory.create_batch(5, plan=plan, area="Skärholmen")
        response = client.get(
            "/en/actions/", {"export": "csv", "area": "Farsta", "page": "2"}
        )
        rows = _csv_rows(response)
        assert len(rows) == 30
        assert {row["Area or place"] for row in rows} == {"Farsta"}

    def test_follows_the_sort_order(self, client, plan):
        factories.ActionItemFactory(
            plan=plan, code="A", due_date=datetime.date(2027, 1, 1)
        )
        factories.ActionItemFactory(
            plan=plan, code="B", due_date=datetime.date(2025, 1, 1)
        )
        rows = _csv_rows(
            client.get("/en/actions/", {"export": "csv", "sort": "due_date"})
        )
        assert [row["Code"] for row in rows] == ["B", "A"]

    def test_text_that_looks_like_a_formula_is_neutralised(self, client, plan):
        factories.ActionItemFactory(plan=plan, title='=HYPERLINK("http://x")')
        (row,) = _csv_rows(client.get("/en/actions/", {"export": "csv"}))
        assert row["Heading"] == '\'=HYPERLINK("http://x")'

    def test_a_formula_after_a_separator_inside_a_cell_is_neutralised(
        self, client, plan
    ):
        factories.ActionItemFactory(
            plan=plan,
            title="x,=2+5,",
            assignment="Punkter:\n- =SUM(A1)\n@x; +1+1\tx",
            schedule='2026, "=HYPERLINK(1)"',
        )
        response = client.get("/en/actions/", {"export": "csv"})
        text = response.content.decode("utf-8-sig")
        assert formulas_when_split(text) == []
        (row,) = _csv_rows(response)
        assert row["Heading"] == "x,'=2+5,"


class TestXlsx:
    def test_reads_back_with_swedish_letters_and_real_dates(self, client, soderort_row):
        response = client.get("/en/actions/", {"export": "xlsx"})
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        rows, sheet = _xlsx_rows(response)
        (row,) = rows
        assert row["Heading"] == "Hela Söderort"
        assert row["Responsible officer"] == "Åsa Öberg"
        assert row["Commissioned by"] == "Kommunfullmäktige i budget för 2010"
        assert row["Due date"].date() == datetime.date(2010, 10, 22)
        assert row["Progress (%)"] == 60
        assert sheet.freeze_panes == "A2"

    def test_contains_exactly_the_filtered_rows(self, client, plan):
        factories.ActionItemFactory(plan=plan, code="A", status="paused")
        factories.ActionItemFactory(plan=plan, code="B", status="ongoing")
        factories.ActionItemFactory(plan=plan, code="C", status="paused")
        rows, _sheet = _xlsx_rows(
            client.get("/en/actions/", {"export": "xlsx", "status": "paused"})
        )
        assert [row["Code"] for row in rows] == ["A", "C"]

    def test_formula_text_stays_text(self, client, plan):
        factories.ActionItemFactory(plan=plan, title="=1+1")
        response = client.get("/en/actions/", {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        headings = [cell.value for cell in sheet[1]]
        cell = sheet.cell(row=2, column=headings.index("Heading") + 1)
        assert cell.value == "=1+1"
        assert cell.data_type == "s"


class TestJson:
    def test_parses_with_stable_keys_and_swedish_letters(self, client, soderort_row):
        (row,) = _json_rows(client.get("/actions/", {"export": "json"}))
        assert row["code"] == "1"
        assert row["title"] == "Hela Söderort"
        assert row["responsible_officer"] == "Åsa Öberg"
        assert row["coordinator"] == "Märta Ål"
        assert row["plan_slug"] == "soderort-test"
        assert row["status"] == "ongoing"
        assert row["progress"] == 60
        assert row["start_date"] == "2010-01-01"
        assert row["due_date"] == "2010-10-22"
        assert row["url"].endswith(soderort_row.get_absolute_url())

    def test_keys_do_not_depend_on_the_language(self, client, soderort_row):
        swedish = _json_rows(client.get("/actions/", {"export": "json"}))
        english = _json_rows(client.get("/en/actions/", {"export": "json"}))
        assert list(swedish[0]) == list(english[0])

    def test_contains_exactly_the_filtered_rows(self, client, plan):
        past = timezone.localdate() - datetime.timedelta(days=1)
        factories.ActionItemFactory(plan=plan, code="A", due_date=past)
        factories.ActionItemFactory(plan=plan, code="B")
        rows = _json_rows(client.get("/actions/", {"export": "json", "late": "1"}))
        assert [row["code"] for row in rows] == ["A"]


class TestFileNames:
    def test_name_with_swedish_letters_is_encoded_safely(self):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        response = action_items_download(
            ActionItem.objects.none(), "csv", request, "Söderort åtgärder"
        )
        assert response["Content-Disposition"] == (
            "attachment; filename*=utf-8''S%C3%B6derort%20%C3%A5tg%C3%A4rder.csv"
        )

    @pytest.mark.parametrize("language", ["sv", "en"])
    def test_browser_export_name_is_translated_and_dated(self, client, plan, language):
        factories.ActionItemFactory(plan=plan)
        prefix = "" if language == "sv" else "/en"
        response = client.get(f"{prefix}/actions/", {"export": "xlsx"})
        with override(language):
            name = gettext("action-items")
        expected = content_disposition_header(
            True, f"{name}-{timezone.localdate().isoformat()}.xlsx"
        )
        assert response["Content-Disposition"] == expected

    def test_open_data_file_is_named_after_the_plan(self, client, plan):
        response = client.get("/en/open-data/soderort-test/actions.csv")
        assert response["Content-Disposition"] == (
            'attachment; filename="soderort-test-action-items.csv"'
        )

    def test_json_opens_in_the_browser(self, client, plan):
        response = client.get("/en/open-data/soderort-test/actions.json")
        assert response["Content-Disposition"].startswith("inline;")


class TestVisibility:
    @pytest.fixture
    def mixed(self, plan, soderort_row):
        factories.ActionItemFactory(
            plan=plan, code="I", title="Intern", is_public=False
        )
        draft = factories.PlanFactory(slug="utkast", status=Plan.Status.DRAFT)
        factories.ActionItemFactory(plan=draft, code="D", title="Utkast")

    def test_anonymous_csv_has_public_rows_and_no_internal_note(self, client, mixed):
        response = client.get("/en/actions/", {"export": "csv"})
        rows = _csv_rows(response)
        assert [row["Code"] for row in rows] == ["1"]
        assert "Internal note" not in rows[0]
        assert "Hemlig anteckning" not in response.content.decode("utf-8-sig")

    def test_anonymous_json_has_public_rows_and_no_internal_note(self, client, mixed):
        response = client.get("/actions/", {"export": "json"})
        rows = _json_rows(response)
        assert [row["code"] for row in rows] == ["1"]
        assert "internal_note" not in rows[0]
        assert "Hemlig anteckning" not in response.content.decode("utf-8")

    def test_anonymous_xlsx_has_no_hidden_rows(self, client, mixed):
        rows, _sheet = _xlsx_rows(client.get("/en/actions/", {"export": "xlsx"}))
        assert [row["Code"] for row in rows] == ["1"]
        assert "Internal note" not in rows[0]

    def test_anonymous_open_data_has_public_rows_only(self, client, mixed):
        rows = _json_rows(client.get("/open-data/soderort-test/actions.json"))
        assert [row["code"] for row in rows] == ["1"]
        assert "internal_note" not in rows[0]

    def test_reader_export_has_every_row_and_the_internal_note(
        self, client, reader, mixed
    ):
        client.force_login(reader)
        rows = _json_rows(client.get("/actions/", {"export": "json"}))
        assert sorted(row["code"] for row in rows) == ["1", "D", "I"]
        by_code = {row["code"]: row for row in rows}
        assert by_code["1"]["internal_note"] == "Hemlig anteckning"
        assert by_code["I"]["is_public"] is False


class TestReferences:
    """A public row can refer ("see above") to an internal item of its plan."""

    @pytest.fixture
    def referring(self, plan):
        hidden = factories.ActionItemFactory(
            plan=plan, code="HEMLIG-7", title="Intern rad", is_public=False
        )
        shown = factories.ActionItemFactory(plan=plan, code="2", title="Öppen rad")
        factories.ActionItemFactory(
            plan=plan, code="3", title="Se ovan (intern)", see_above=hidden
        )
        factories.ActionItemFactory(
            plan=plan, code="4", title="Se ovan (öppen)", see_above=shown
        )

    EXPORTS = [
        "/open-data/soderort-test/actions.csv",
        "/open-data/soderort-test/actions.xlsx",
        "/open-data/soderort-test/actions.json",
        "/en/open-data/soderort-test/actions.csv",
        "/actions/?export=csv",
        "/actions/?export=xlsx",
        "/actions/?export=json",
        "/en/actions/?export=csv",
        "/en/actions/?export=xlsx",
        "/en/actions/?export=json",
    ]

    @staticmethod
    def _refers_to(response, path):
        if ".json" in path or "json" in path.rsplit("=", 1)[-1]:
            return {row["code"]: row["refers_to"] for row in _json_rows(response)}
        heading = "Refers to (code)" if path.startswith("/en/") else None
        if ".xlsx" in path or path.endswith("xlsx"):
            rows, _sheet = _xlsx_rows(response)
        else:
            rows = _csv_rows(response)
        if heading is None:
            with override("sv"):
                heading = gettext("Refers to (code)")
        code_heading = "Code" if path.startswith("/en/") else "Kod"
        return {row[code_heading]: row[heading] or "" for row in rows}

    @pytest.mark.parametrize("path", EXPORTS)
    def test_anonymous_export_does_not_name_an_internal_item_a_row_refers_to(
        self, client, referring, path
    ):
        response = client.get(path)
        assert response.status_code == 200
        refers_to = self._refers_to(response, path)
        assert refers_to["3"] == ""
        assert refers_to["4"] == "2"
        assert b"HEMLIG-7" not in response.content

    @pytest.mark.parametrize("path", ["/actions/?export=json", "/actions/?export=csv"])
    def test_a_reader_sees_the_code_of_the_internal_item(
        self, client, reader, referring, path
    ):
        client.force_login(reader)
        refers_to = self._refers_to(client.get(path), path)
        assert refers_to["3"] == "HEMLIG-7"


class TestInertCells:
    """The one helper every CSV writer uses, and its inverse for the import."""

    @given(st.one_of(st.text(), formula_text))
    def test_inert_text_holds_no_formula_however_split_and_restores_exactly(self, text):
        made_inert = files.inert(text)
        assert formulas_when_split(made_inert) == []
        assert files.restored(made_inert) == text

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("x,=2+5,", "x,'=2+5,"),
            ("=1+1", "'=1+1"),
            ("'=1+1", "''=1+1"),
            ("- ett\n- två", "'- ett\n'- två"),
            ('x; "=1"', 'x;\' "=1"'),
            ("\t=1", "'\t'=1"),
            ("Hela Söderort, 2010", "Hela Söderort, 2010"),
        ],
    )
    def test_examples(self, text, expected):
        assert files.inert(text) == expected
