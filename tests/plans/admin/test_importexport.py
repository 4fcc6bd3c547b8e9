"""Excel/CSV round trip of action items: export, import with preview, and every
kind of bad file rejected with row and column, nothing saved."""

import codecs
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from plans.exports.files import CSV, XLSX
from plans.exports.resources import FORMATS, ActionItemResource
from plans.models import ActionItem
from tests import factories
from tests.spreadsheets import declare_unpacked_size, formulas_when_split, padded

pytestmark = pytest.mark.django_db

IMPORT = "admin:plans_actionitem_import"
PROCESS = "admin:plans_actionitem_process_import"
FORMAT_INDEX = {"xlsx": "0", "csv": "1"}


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def plan():
    plan = factories.PlanFactory(slug="soderort-test")
    area = factories.FocusAreaFactory(plan=plan, code="NA", title="Näringsliv")
    organisation = factories.OrganisationFactory(
        name="Stockholm Business Region", short_name="SBR"
    )
    factories.ActionItemFactory(
        plan=plan,
        focus_area=area,
        code="1",
        title="Hela Söderort",
        assignment="Prioritera insatser för fler arbetsplatser",
        commissioned_by="Kommunfullmäktige",
        expected_result="Strategi för arbetsplatsutveckling",
        schedule="Hösten 2010",
        responsible_body="Stockholm Business Region",
        responsible_officer="Anna Andersson",
        coordinator="Bo Berg",
        responsible_organisation=organisation,
        status=ActionItem.Status.ONGOING,
        progress=40,
        start_date=datetime.date(2010, 1, 1),
        due_date=datetime.date(2010, 12, 31),
        is_public=True,
    )
    factories.ActionItemFactory(
        plan=plan,
        code="2",
        title="Fler arbetsplatser\nmed radbrytning",
        assignment="- Punkt ett\n- Punkt två",
        status=ActionItem.Status.NOT_STARTED,
        progress=0,
        is_public=False,
    )
    factories.ActionItemFactory(code="99", title="En annan plans åtgärd")
    return plan


def snapshot():
    """Everything an import could change."""
    items = [
        tuple(getattr(item, f.attname) for f in ActionItem._meta.concrete_fields)
        for item in ActionItem.objects.order_by("pk")
    ]
    return items, ActionItem.history.count()


def headings():
    with translation.override("sv"):
        return ActionItemResource().headings()


def column(name):
    """The 1-based column of a field in the file."""
    return list(ActionItemResource.Meta.fields).index(name) + 1


def export(client, plan, extension):
    response = client.get(
        reverse("admin:plans_actionitem_export_plan", args=[plan.slug, extension])
    )
    assert response.status_code == 200
    return response


def workbook(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def saved(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content, extension, name=None):
    return client.post(
        reverse(IMPORT),
        {
            "resource": "0",
            "format": FORMAT_INDEX[extension],
            "import_file": SimpleUploadedFile(name or f"atgarder.{extension}", content),
        },
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(PROCESS), {**form.initial})


def problems(response):
    """(row, column heading, message) of every problem the page reports."""
    if "import_problems" in response.context:
        return [
            (p["row"], p["column"], str(p["message"]))
            for p in response.context["import_problems"]
        ]
    return [
        (None, None, str(e)) for e in response.context["form"].errors["import_file"]
    ]


# -- export --------------------------------------------------------------------


def test_export_xlsx_has_the_format_columns_and_only_the_plans_items(
    editor_client, plan
):
    response = export(editor_client, plan, "xlsx")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == content_disposition_header(
        True, f"{plan.title} – åtgärder {today}.xlsx"
    )
    sheet = workbook(response.content).active
    rows = list(sheet.values)
    assert list(rows[0]) == headings()
    assert len(rows) == 3
    first = dict(zip(rows[0], rows[1], strict=True))
    with translation.override("sv"):
        ongoing = str(ActionItem.Status.ONGOING.label)
    assert first[headings()[column("code") - 1]] == "1"
    assert first[headings()[column("plan") - 1]] == "soderort-test"
    assert first[headings()[column("focus_area") - 1]] == "NA"
    assert first[headings()[column("status") - 1]] == ongoing
    assert str(first[headings()[column("progress") - 1]]) == "40"
    assert first[headings()[column("due_date") - 1]] == "2010-12-31"
    assert "En annan plans åtgärd" not in str(rows)


def test_export_has_the_eight_soderort_columns_in_their_order():
    with translation.override("sv"):
        names = ActionItemResource().headings()[3:11]
    assert names == [
        "Rubrik",
        "Uppdrag",
        "Uppdragsgivare",
        "Förväntat resultat",
        "Tidplan",
        "Ansvarig nämnd",
        "Ansvarig handläggare",
        "Handläggare SLK",
    ]


def test_export_csv_is_utf8_with_bom_and_semicolons(editor_client, plan):
    response = export(editor_client, plan, "csv")
    assert response.content.startswith(codecs.BOM_UTF8)
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(headings())
    assert "Hela Söderort" in text


def test_export_of_an_unknown_plan_or_format_is_not_found(editor_client, plan):
    url = reverse("admin:plans_actionitem_export_plan", args=["finns-inte", "xlsx"])
    assert editor_client.get(url).status_code == 404
    url = reverse("admin:plans_actionitem_export_plan", args=[plan.slug, "pdf"])
    assert editor_client.get(url).status_code == 404


def test_changelist_export_button_exports_the_filtered_items(editor_client, plan):
    response = editor_client.post(
        reverse("admin:plans_actionitem_export") + f"?plan__id__exact={plan.pk}",
        {"format": "0", "resource": "0"}
        | {
            f"actionitemresource_{name}": "on"
            for name in ActionItemResource.Meta.fields
        },
    )
    assert response.status_code == 200
    rows = list(workbook(response.content).active.values)
    assert len(rows) == 3


def _changelist_export(editor_client, query=""):
    return editor_client.post(
        reverse("admin:plans_actionitem_export") + query,
        {"format": "0", "resource": "0"}
        | {
            f"actionitemresource_{name}": "on"
            for name in ActionItemResource.Meta.fields
        },
    )


def test_changelist_export_of_one_plan_is_named_after_the_plan_and_the_date(
    editor_client, plan
):
    response = _changelist_export(editor_client, f"?plan__id__exact={plan.pk}")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == content_disposition_header(
        True, f"{plan.title} – åtgärder {today}.xlsx"
    )
    assert workbook(response.content).active.title == plan.title[:31]


def test_changelist_export_of_several_plans_is_named_after_the_date(
    editor_client, plan
):
    response = _changelist_export(editor_client)
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == content_disposition_header(
        True, f"Åtgärder {today}.xlsx"
    )


def test_a_plan_title_with_a_slash_gives_a_file_name_without_one(editor_client):
    plan = factories.PlanFactory(title="Program/vision Söderort 2030")
    factories.ActionItemFactory(plan=plan)
    response = export(editor_client, plan, "csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == content_disposition_header(
        True, f"Program-vision Söderort 2030 – åtgärder {today}.csv"
    )


def test_export_page_names_each_column_as_its_heading_in_the_file(editor_client):
    response = editor_client.get(reverse("admin:plans_actionitem_export"))
    form = response.context["form"]
    labels = [
        str(form.fields[f"actionitemresource_{name}"].label)
        for name in ActionItemResource.Meta.fields
    ]
    assert labels == headings()
    page = response.content.decode()
    for english in ("Code (", "Plan (Plan", "Focus Area", "Is Public", "Due Date"):
        assert english not in page


def test_progress_is_exported_as_a_number_and_reads_back(editor_client, plan):
    sheet = workbook(export(editor_client, plan, "xlsx").content).active
    cell = sheet.cell(row=2, column=column("progress"))
    assert (cell.value, cell.data_type) == (40, "n")
    code = sheet.cell(row=2, column=column("code"))
    assert (code.value, code.data_type) == ("1", "s")
    text = export(editor_client, plan, "csv").content.decode("utf-8-sig")
    assert ";Pågående;40;" in text


# -- the round trip ----------------------------------------------------------------


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_importing_an_unchanged_export_changes_nothing(editor_client, plan, extension):
    content = export(editor_client, plan, extension).content
    before = snapshot()
    preview = upload(editor_client, content, extension)
    assert preview.status_code == 200
    assert problems(preview) == []
    assert preview.context["import_counts"] == {
        "new": 0,
        "update": 0,
        "skip": 2,
        "invalid": 0,
    }
    assert preview.context["import_preview"] == []
    response = confirm(editor_client, preview)
    assert response.status_code == 302
    assert snapshot() == before


def test_csv_export_neutralises_formulas_inside_cells_and_reads_back_exactly(
    editor_client, plan
):
    item = ActionItem.objects.get(plan=plan, code="1")
    item.title = "x,=2+5,"
    item.assignment = "- Punkt ett\n- =SUM(A1)\n'=citat, '@x"
    item.schedule = '2026; "=1+1"\t+3'
    item.save()
    content = export(editor_client, plan, "csv").content
    assert formulas_when_split(content.decode("utf-8-sig")) == []
    before = snapshot()
    preview = upload(editor_client, content, "csv")
    assert problems(preview) == []
    assert preview.context["import_counts"] == {
        "new": 0,
        "update": 0,
        "skip": 2,
        "invalid": 0,
    }
    assert confirm(editor_client, preview).status_code == 302
    assert snapshot() == before


def test_preview_shows_new_changed_and_unchanged_rows_with_a_diff_and_saves_nothing(
    editor_client, plan, editor
):
    book = workbook(export(editor_client, plan, "xlsx").content)
    sheet = book.active
    with translation.override("sv"):
        delayed = str(ActionItem.Status.DELAYED.label)
    sheet.cell(row=2, column=column("status"), value=delayed)
    sheet.cell(row=2, column=column("progress"), value=55)
    sheet.append(
        [
            "3",
            "soderort-test",
            "NA",
            "Ny åtgärd",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "SBR",
            "Ej påbörjad",
            0,
            "",
            "2027-06-30",
            "ja",
        ]
    )
    before = snapshot()
    preview = upload(editor_client, saved(book), "xlsx")
    assert problems(preview) == []
    assert preview.context["import_counts"] == {
        "new": 1,
        "update": 1,
        "skip": 1,
        "invalid": 0,
    }
    changed, new = preview.context["import_preview"]
    assert (changed["row"], changed["kind"]) == (2, "update")
    assert [name for name, _diff in changed["cells"]] == [
        headings()[column("status") - 1],
        headings()[column("progress") - 1],
    ]
    assert "<ins" in changed["cells"][0][1] and "<del" in changed["cells"][0][1]
    assert (new["row"], new["kind"]) == (4, "new")
    assert snapshot() == before  # a preview saves nothing

    response = confirm(editor_client, preview)
    assert response.status_code == 302
    item = ActionItem.objects.get(plan=plan, code="1")
    assert (item.status, item.progress, item.version) == ("delayed", 55, 2)
    assert item.history.first().history_user == editor
    created = ActionItem.objects.get(plan=plan, code="3")
    assert created.responsible_organisation.short_name == "SBR"
    assert created.due_date == datetime.date(2027, 6, 30)
    assert created.order > 0
    assert ActionItem.objects.get(plan=plan, code="2").version == 1


def test_import_accepts_english_headings_and_codes(editor_client, plan):
    with translation.override("en"):
        english = ActionItemResource()
        rows = english.export(ActionItem.objects.for_plan(plan))
    rows_csv = CSV(encoding="utf-8-sig").export_data(rows).replace(";", ",")
    preview = upload(editor_client, rows_csv.encode("utf-8"), "csv")
    assert problems(preview) == []
    assert preview.context["import_counts"]["skip"] == 2


# -- bad files: row and column, nothing saved ------------------------------------


def _bad_cell(editor_client, plan, field, value, row=2):
    book = workbook(export(editor_client, plan, "xlsx").content)
    book.active.cell(row=row, column=column(field), value=value)
    return saved(book)


@pytest.mark.parametrize(
    ("field", "value", "message_start"),
    [
        ("status", "Halvklar", "Unknown status “%(value)s”. Use one of: %(choices)s."),
        ("progress", 140, "Progress must be between 0 and 100."),
        (
            "progress",
            "mycket",
            "Enter the progress as a whole number from 0 to 100, not “%(value)s”.",
        ),
        (
            "responsible_organisation",
            "Okänd AB",
            "Unknown organisation “%(value)s”. Use the name or the short name of "
            "an organisation in the admin.",
        ),
        (
            "due_date",
            "31/12/2026",
            "“%(value)s” is not a date. Write dates as YYYY-MM-DD, e.g. 2026-03-31.",
        ),
        ("plan", "okand-plan", "Unknown plan “%(value)s”."),
        ("focus_area", "ZZ", "Unknown focus area “%(value)s” in plan “%(plan)s”."),
        ("is_public", "kanske", "Write “%(yes)s” or “%(no)s”, not “%(value)s”."),
        ("title", "", None),
    ],
    ids=[
        "unknown-status",
        "progress-out-of-range",
        "progress-not-a-number",
        "unknown-organisation",
        "bad-date",
        "unknown-plan",
        "unknown-focus-area",
        "bad-public-flag",
        "missing-heading",
    ],
)
def test_a_bad_cell_is_reported_by_row_and_column_and_nothing_is_saved(
    editor_client, plan, field, value, message_start
):
    # a good change in row 3 that must not be saved either
    book = workbook(_bad_cell(editor_client, plan, field, value, row=2))
    book.active.cell(row=3, column=column("status"), value="Pågående")
    book.active.cell(row=3, column=column("progress"), value=90)
    before = snapshot()
    response = upload(editor_client, saved(book), "xlsx")
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    found = problems(response)
    assert len(found) == 1
    row, heading, message = found[0]
    assert (row, heading) == (2, headings()[column(field) - 1])
    if message_start:
        with translation.override("sv"):
            expected = translation.gettext(message_start)
        expected = expected.split("%(")[0]
        assert message.startswith(expected)
    assert snapshot() == before


def test_done_without_full_progress_is_reported_for_the_progress_column(
    editor_client, plan
):
    with translation.override("sv"):
        done = str(ActionItem.Status.DONE.label)
    content = _bad_cell(editor_client, plan, "status", done)
    response = upload(editor_client, content, "xlsx")
    [(row, heading, _message)] = problems(response)
    assert (row, heading) == (2, headings()[column("progress") - 1])


def test_wrong_columns_are_named_and_nothing_is_saved(editor_client, plan):
    book = workbook(export(editor_client, plan, "xlsx").content)
    sheet = book.active
    sheet.cell(row=1, column=column("status"), value="Läge")
    sheet.cell(row=1, column=len(headings()) + 1, value="Extra")
    before = snapshot()
    response = upload(editor_client, saved(book), "xlsx")
    found = [message for _r, _c, message in problems(response)]
    status_heading = headings()[column("status") - 1]
    letter = openpyxl.utils.get_column_letter(column("status"))
    assert any(f"{letter}" in m and "Läge" in m for m in found)
    assert any("Extra" in m for m in found)
    assert any(status_heading in m for m in found)
    assert "confirm_form" not in response.context
    assert snapshot() == before


def test_a_file_in_another_encoding_is_rejected_with_its_row(editor_client, plan):
    text = export(editor_client, plan, "csv").content.decode("utf-8-sig")
    text = text.replace("Hela Söderort", "Hela Soderort")
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines, 1) if not line.isascii())
    character = next(i for i, c in enumerate(lines[row - 1], 1) if not c.isascii())
    before = snapshot()
    response = upload(editor_client, text.encode("latin-1", "replace"), "csv")
    [(_row, _column, message)] = problems(response)
    with translation.override("sv"):
        expected = translation.gettext(
            "Row %(row)s, character %(column)s: the file is not in UTF-8. "
            "Save it from Excel as “CSV UTF-8 (comma delimited)” and try again."
        ) % {"row": row, "column": character}
    assert message == expected
    assert snapshot() == before


def test_an_empty_file_is_rejected(editor_client, plan):
    before = snapshot()
    response = upload(editor_client, b"", "csv")
    assert response.context["form"].errors["import_file"]
    assert "confirm_form" not in response.context
    response = upload(editor_client, b"   \n", "csv")
    assert response.context["form"].errors["import_file"]
    assert snapshot() == before


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_a_file_with_only_the_heading_row_is_rejected(editor_client, plan, extension):
    content = ActionItemResource().template(
        {"xlsx": XLSX, "csv": CSV}[extension](encoding="utf-8-sig")
    )
    if isinstance(content, str):
        content = content.encode("utf-8-sig")
    response = upload(editor_client, content, extension)
    [(_r, _c, message)] = problems(response)
    with translation.override("sv"):
        assert message == translation.gettext(
            "The file has no rows below the heading row: nothing to import."
        )


def test_a_file_over_5_mb_is_rejected_unread(editor_client, plan):
    content = ";".join(headings()).encode() + b"\n" + b"x" * (5 * 1024 * 1024)
    before = snapshot()
    response = upload(editor_client, content, "csv")
    [(_r, _c, message)] = problems(response)
    assert "5 MB" in message
    assert snapshot() == before


def test_a_file_that_is_not_a_workbook_is_rejected(editor_client, plan):
    response = upload(editor_client, b"Kod;Plan\n1;x\n", "xlsx")
    [(_r, _c, message)] = problems(response)
    with translation.override("sv"):
        assert message == translation.gettext(
            "The file is not an Excel workbook (XLSX). Choose the format "
            "that matches the file."
        )


def test_data_that_changed_after_the_preview_is_not_imported(editor_client, plan):
    content = _bad_cell(editor_client, plan, "responsible_organisation", "Ny Org AB")
    organisation = factories.OrganisationFactory(name="Ny Org AB")
    preview = upload(editor_client, content, "xlsx")
    assert problems(preview) == []
    organisation.delete()
    before = snapshot()
    response = confirm(editor_client, preview)
    assert response.status_code == 302
    assert response.url == reverse(IMPORT)
    assert snapshot() == before


# -- the template and the import page ---------------------------------------------


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_import_page_offers_a_template_with_the_heading_row(editor_client, extension):
    page = editor_client.get(reverse(IMPORT))
    url = reverse("admin:plans_actionitem_import_template", args=[extension])
    assert url in page.content.decode()
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if extension == "xlsx":
        rows = list(workbook(response.content).active.values)
    else:
        rows = [response.content.decode("utf-8-sig").strip().split(";")]
    assert [list(r) for r in rows] == [headings()]


def test_import_offers_xlsx_and_csv_only():
    assert [f().get_extension() for f in FORMATS] == ["xlsx", "csv"]


def test_emptied_rows_at_the_end_of_a_workbook_are_ignored(editor_client, plan):
    book = workbook(export(editor_client, plan, "xlsx").content)
    sheet = book.active
    for row in range(4, 8):
        sheet.cell(row=row, column=1, value=None)
        sheet.cell(row=row, column=len(headings()), value=None)
    preview = upload(editor_client, saved(book), "xlsx")
    assert problems(preview) == []
    assert preview.context["import_counts"]["skip"] == 2


# -- limits: checked before the file is loaded ------------------------------------

SHEET = "xl/worksheets/sheet1.xml"


def limit_message(response):
    [(_row, _column, message)] = problems(response)
    return message


def assert_states_the_limits(message):
    with translation.override("sv"):
        limits = translation.gettext(
            "At most %(rows)s rows and %(columns)s columns can be imported; "
            "split the file into several."
        ) % {"rows": "1\N{NO-BREAK SPACE}000", "columns": 50}
    assert message.endswith(limits), message


@pytest.mark.parametrize(
    "spoil",
    [
        lambda content: declare_unpacked_size(content, SHEET, 3_000_000_000),
        lambda content: padded(content, SHEET, 30 * 1024 * 1024),
    ],
    ids=["declared", "real"],
)
def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused(
    editor_client, plan, spoil
):
    content = spoil(export(editor_client, plan, "xlsx").content)
    assert len(content) < 200_000
    before = snapshot()
    response = upload(editor_client, content, "xlsx")
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    message = limit_message(response)
    assert "25 MB" in message
    assert_states_the_limits(message)
    assert snapshot() == before


def _rows(count):
    row = ["9", "soderort-test", "NA", "Rad", *[""] * 7, "", "Ej påbörjad", 0]
    return [[*row, "", "", "ja"] for _ in range(count)]


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_more_rows_than_the_limit_are_refused_with_the_limits(
    editor_client, plan, extension
):
    rows = [headings(), *_rows(1_001)]
    if extension == "xlsx":
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        content = saved(book)
    else:
        content = "\n".join(";".join(map(str, row)) for row in rows).encode()
    before = snapshot()
    response = upload(editor_client, content, extension)
    assert "confirm_form" not in response.context
    message = limit_message(response)
    with translation.override("sv"):
        assert message.startswith(
            translation.gettext(
                "The file has more than %(rows)s rows below the heading row."
            )
            % {"rows": "1\N{NO-BREAK SPACE}000"}
        )
    assert_states_the_limits(message)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("extension", "column", "row"),
    [("xlsx", 51, 3), ("xlsx", 16_384, 2), ("csv", 51, 2)],
    ids=["xlsx", "xlsx-column-XFD", "csv"],
)
def test_more_columns_than_the_limit_are_refused_with_the_limits(
    editor_client, plan, extension, column, row
):
    if extension == "xlsx":
        book = workbook(export(editor_client, plan, "xlsx").content)
        book.active.cell(row=row, column=column, value="x")
        content = saved(book)
    else:
        text = export(editor_client, plan, "csv").content.decode("utf-8-sig")
        lines = text.splitlines()
        lines[row - 1] += ";" * (column - len(headings()))
        content = "\n".join(lines).encode()
    before = snapshot()
    response = upload(editor_client, content, extension)
    assert "confirm_form" not in response.context
    message = limit_message(response)
    assert "50" in message.split(".")[0]
    assert_states_the_limits(message)
    assert snapshot() == before


def test_a_row_far_down_a_workbook_is_read_as_a_row(editor_client, plan):
    """A worksheet may place a row at number 1 048 576 within a few bytes;
    the rows between are empty, not rows over the limit."""
    book = workbook(export(editor_client, plan, "xlsx").content)
    for index, value in enumerate(_rows(1)[0], start=1):
        book.active.cell(row=1_048_576, column=index, value=value)
    preview = upload(editor_client, saved(book), "xlsx")
    assert problems(preview) == []
    assert preview.context["import_counts"] == {
        "new": 1,
        "update": 0,
        "skip": 2,
        "invalid": 0,
    }
