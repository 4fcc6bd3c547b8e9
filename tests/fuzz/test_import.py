"""The action-item import (django-import-export) with hostile files: random
cells, wrong types, huge numbers, NUL bytes, broken encodings, formulas, files
that are not what they claim to be, and a tampered confirmation step. No server
error, the preview never saves, a file with any invalid row is never imported
(not even by posting its confirmation anyway), and the problems are reported."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import event, given
from hypothesis import strategies as st
from import_export.tmp_storages import CacheStorage
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from plans.exports.files import FORMULA_PREFIXES
from plans.exports.resources import ActionItemResource
from plans.models import ActionItem, FocusArea
from stakeholders.models import Organisation
from tests.fuzz.checks import assert_sound
from tests.fuzz.strategies import hostile, hostile_text, long_strings, numbers
from tests.fuzz.support import fuzz_settings, rolled_back
from tests.spreadsheets import declare_unpacked_size, formulas_when_split, padded

pytestmark = pytest.mark.django_db

IMPORT = "admin:plans_actionitem_import"
PROCESS = "admin:plans_actionitem_process_import"
FORMAT_INDEX = {"xlsx": "0", "csv": "1"}
FIELDS = list(ActionItemResource.Meta.fields)
FREE_TEXT = {
    "title",
    "assignment",
    "commissioned_by",
    "expected_result",
    "schedule",
    "responsible_body",
    "responsible_officer",
    "coordinator",
}
FORMULAS = [
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    '=HYPERLINK("http://example.org","x")',
    "\t=1+1",
    "\r=1+1",
    "x,=2+5,",
    "a;@SUM(A1)",
    "Rad ett\n-1+1",
    'x, "=1+1"',
    "'=1+1",
]


def headings(language):
    with translation.override(language):
        return ActionItemResource().headings()


def valid_cells(world):
    """Per column, values a correct file could hold."""
    area = FocusArea.objects.select_related("plan").first()
    organisation = Organisation.objects.exclude(short_name="").first()
    return {
        "code": ["1", "F-1", "99"],
        "plan": [area.plan.slug],
        "focus_area": [area.code, ""],
        "title": ["Åtgärd", "Fler arbetsplatser"],
        "assignment": ["Uppdrag", ""],
        "commissioned_by": ["Kommunfullmäktige", ""],
        "expected_result": ["Resultat", ""],
        "schedule": ["Hösten 2026", ""],
        "responsible_body": ["Nämnd", ""],
        "responsible_officer": ["Anna", ""],
        "coordinator": ["Bo", ""],
        "responsible_organisation": ["", organisation.name, organisation.short_name],
        "status": [
            *ActionItem.Status.values,
            *(str(label) for label in ActionItem.Status.labels),
        ],
        "progress": ["0", "40", "100", "50 %"],
        "start_date": ["2026-01-01", ""],
        "due_date": ["2026-12-31", ""],
        "is_public": ["ja", "nej", "yes", "x"],
    }


def typed_values():
    """Cells of other types than text (a workbook can hold these)."""
    return st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.datetimes(
            min_value=datetime.datetime(1900, 1, 2),
            max_value=datetime.datetime(9999, 1, 1),
        ),
        st.dates(min_value=datetime.date(1900, 1, 2)),
        st.booleans(),
        st.none(),
    )


@st.composite
def tables(draw, world):
    """A heading row and some rows: mostly right, some cells hostile."""
    valid = valid_cells(world)
    header = list(headings(draw(st.sampled_from(["sv", "en"]))))
    how = draw(st.sampled_from(["right", "right", "right", "spoiled"]))
    if how == "spoiled":
        action = draw(st.sampled_from(["drop", "duplicate", "rename", "shuffle"]))
        index = draw(st.integers(min_value=0, max_value=len(header) - 1))
        if action == "drop":
            del header[index]
        elif action == "duplicate":
            header.append(header[index])
        elif action == "rename":
            header[index] = draw(hostile_text)
        else:
            header = draw(st.permutations(header))
    # Clean rows (hostile text only where any text is allowed), rows with one
    # bad cell, or rows of anything.
    mode = draw(st.sampled_from(["clean", "one bad cell", "anything"]), label="mode")
    rows = []
    least = 1 if mode == "clean" else 0
    for _ in range(draw(st.integers(min_value=least, max_value=4))):
        row = []
        bad = draw(st.integers(min_value=0, max_value=len(header) - 1))
        for column in range(len(header)):
            field = FIELDS[column] if column < len(FIELDS) else "title"
            right = st.sampled_from(valid[field])
            if field in FREE_TEXT:
                right = st.one_of(
                    right, hostile_text.filter(_allowed_text), st.sampled_from(FORMULAS)
                )
            if field == "title":
                right = right.filter(str.strip)
            if mode == "clean" or (mode == "one bad cell" and column != bad):
                cell = right
            else:
                cell = st.one_of(
                    right,
                    hostile_text,
                    st.sampled_from(FORMULAS),
                    numbers,
                    long_strings,
                    typed_values(),
                )
            row.append(draw(cell, label=f"cell {field}"))
        rows.append(row)
    return header, rows


def _allowed_text(value):
    """Text a free-text cell accepts as it is (no NUL, fits the column)."""
    return "\x00" not in value and len(value) <= 200


def _csv_text(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return "" if value is None else str(value)


@st.composite
def csv_files(draw, world):
    header, rows = draw(tables(world))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([";", ",", "\t"])))
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_text(cell) for cell in row])
    text = out.getvalue()
    content = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])))
    if draw(st.booleans(), label="broken"):
        if draw(st.booleans()):
            text += draw(st.sampled_from(['"unclosed;quote\n', "\x00\x00\n", "\r\r\n"]))
        encoding = draw(
            st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1252", "utf-32"])
        )
        content = text.encode(encoding, errors="replace")
        position = len(content) * draw(st.integers(0, 1000)) // 1000
        content = content[:position] + draw(st.binary(max_size=6)) + content[position:]
    name = draw(st.sampled_from(["atgarder.csv", "a.xlsx", "<x-fuzz>.csv"]))
    return "csv", name, content


def _xlsx_cell(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32_000]
    if isinstance(value, int) and abs(value) > 2**53:
        return str(value)
    return value


@st.composite
def xlsx_files(draw, world):
    header, rows = draw(tables(world))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = draw(st.sampled_from(["Åtgärder", "Sheet", "=1+1"]))
    sheet.append([_xlsx_cell(cell) for cell in header])
    for row in rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    if draw(st.booleans()):
        book.create_sheet("Extra").append(["x", 1])
    # Fixed timestamps: the same draws must give the same bytes.
    book.properties.created = book.properties.modified = datetime.datetime(2026, 1, 1)
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        content = content[: len(content) * draw(st.integers(0, 1000)) // 1000]
    return "xlsx", "atgarder.xlsx", content


not_a_file = st.tuples(
    st.sampled_from(["csv", "xlsx"]),
    st.sampled_from(["atgarder.csv", "atgarder.xlsx", "bild.png"]),
    st.one_of(
        st.binary(max_size=200),
        st.sampled_from(
            [b"", b"\x00" * 100, b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe"]
        ),
        hostile.map(lambda value: str(value).encode("utf-8", "replace")),
    ),
)


def _csv_cells(content):
    text = content.decode("utf-8-sig")
    return [
        cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row
    ]


def assert_exports_are_inert(client, slug):
    """What was imported comes out of every export as text, never a formula
    (a cell starting with = + - @ tab or CR runs in a spreadsheet, and so
    does a piece of one after a comma, semicolon, tab or line break)."""
    exports = {
        "open data CSV": reverse(
            "plans:plan-action-data", kwargs={"slug": slug, "format": "csv"}
        ),
        "admin CSV": reverse("admin:plans_actionitem_export_plan", args=[slug, "csv"]),
    }
    for what, url in exports.items():
        response = client.get(url)
        assert response.status_code == 200, what
        formulas = [
            c for c in _csv_cells(response.content) if c.startswith(FORMULA_PREFIXES)
        ]
        formulas += formulas_when_split(response.content.decode("utf-8-sig"))
        assert not formulas, f"{what}: {formulas[:3]}"
    for what, url in {
        "open data XLSX": reverse(
            "plans:plan-action-data", kwargs={"slug": slug, "format": "xlsx"}
        ),
        "admin XLSX": reverse(
            "admin:plans_actionitem_export_plan", args=[slug, "xlsx"]
        ),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, what
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        formulas = [
            cell.value
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.data_type == "f"
        ]
        assert not formulas, f"{what}: {formulas[:3]}"


def snapshot():
    """Everything an import could change."""
    from django.contrib.admin.models import LogEntry

    return (
        list(ActionItem.objects.order_by("pk").values()),
        ActionItem.history.count(),
        LogEntry.objects.count(),
    )


def _problems_reported(response):
    context = response.context
    form = context.get("form")
    return bool(
        (form is not None and form.errors)
        or context.get("import_problems")
        or context.get("errors")
    )


extra_fields = st.fixed_dictionaries(
    {},
    optional={
        "resource": st.one_of(st.just("1"), hostile_text),
        "format": st.one_of(st.just("2"), hostile_text),
    },
)


@pytest.mark.parametrize("role", ["editor", "superuser"])
@given(data=st.data())
@fuzz_settings(1.5)
def test_hostile_import_files(world, clients, role, data):
    client = clients[role]
    upload = data.draw(
        st.one_of(csv_files(world), csv_files(world), xlsx_files(world), not_a_file),
        label="upload",
    )
    fields = {}
    if data.draw(st.integers(min_value=0, max_value=3), label="spoil fields") == 0:
        fields = data.draw(extra_fields, label="fields")
    kind, name, content = upload
    data = {"resource": "0", "format": FORMAT_INDEX[kind], **fields}
    data["import_file"] = SimpleUploadedFile(name, content)
    with rolled_back():
        before = snapshot()
        response = client.post(reverse(IMPORT), data)
        assert_sound(response, f"import {name} {content[:200]!r}")
        assert response.status_code == 200
        assert snapshot() == before, "the preview saved something"
        confirm = response.context.get("confirm_form")
        if confirm is not None:
            event("a valid file: imported")
            done = client.post(reverse(PROCESS), dict(confirm.initial))
            assert_sound(done, "confirm")
            assert done.status_code == 302
            assert_sound(client.get(done["Location"]), "after the import")
            assert_exports_are_inert(client, valid_cells(world)["plan"][0])
            return
        event("refused")
        assert _problems_reported(response), "refused without a message"
        # Confirming the refused file anyway imports nothing.
        storage = CacheStorage()
        storage.save(content)
        forced = client.post(
            reverse(PROCESS),
            {
                "import_file_name": storage.name,
                "original_file_name": name,
                "format": data["format"],
                "resource": data["resource"],
            },
        )
        assert_sound(forced, "forced confirmation")
        assert snapshot() == before, "a refused file was imported"


@given(
    fields=st.fixed_dictionaries(
        {
            "import_file_name": st.one_of(hostile_text, st.just("no-such-file")),
            "original_file_name": hostile_text,
            "format": st.one_of(st.sampled_from(["0", "1"]), hostile_text),
            "resource": st.one_of(st.just("0"), hostile_text),
        }
    )
)
@fuzz_settings()
def test_tampered_confirmation(clients, fields):
    with rolled_back():
        before = snapshot()
        response = clients["editor"].post(reverse(PROCESS), fields)
        assert_sound(response, f"confirm {fields}")
        assert snapshot() == before


# -- files over the limits -----------------------------------------------------

SHEET = "xl/worksheets/sheet1.xml"
LIMIT_ROWS = 1_000
LIMIT_COLUMNS = 50


def _workbook(rows, far=None):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([_xlsx_cell(cell) for cell in row])
    if far is not None:
        row, column, value = far
        book.active.cell(row=row, column=column, value=_xlsx_cell(value))
    book.properties.created = book.properties.modified = datetime.datetime(2026, 1, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def files_over_the_limits(draw, world):
    """(extension, content, over): a workbook that declares or really unpacks
    to more than allowed, more rows or columns than allowed, or a cell far
    away (``over`` False: a row far down is only one row)."""
    header, rows = draw(tables(world))
    rows = [[index, *row[1:]] for index, row in enumerate(rows or [header], 1)]
    kind = draw(
        st.sampled_from(
            [
                "declared size",
                "real size",
                "rows",
                "columns",
                "far column",
                "far row",
                "csv rows",
                "csv columns",
            ]
        ),
        label="kind",
    )
    event(kind)
    many = draw(st.integers(min_value=LIMIT_ROWS + 1, max_value=LIMIT_ROWS + 300))
    wide = draw(st.integers(min_value=LIMIT_COLUMNS + 1, max_value=LIMIT_COLUMNS + 500))
    if kind == "declared size":
        size = draw(st.integers(min_value=26 * 2**20, max_value=2**32 - 1))
        content = declare_unpacked_size(_workbook([header, *rows]), SHEET, size)
    elif kind == "real size":
        padding = draw(st.integers(min_value=26 * 2**20, max_value=30 * 2**20))
        content = padded(_workbook([header, *rows]), SHEET, padding)
    elif kind == "rows":
        content = _workbook([header, *([str(i), "x"] for i in range(many))])
    elif kind == "columns":
        row = draw(st.integers(min_value=1, max_value=len(rows) + 1))
        content = _workbook([header, *rows], far=(row, wide, draw(hostile_text)))
    elif kind == "far column":
        column = draw(st.integers(min_value=LIMIT_COLUMNS + 1, max_value=16_384))
        content = _workbook([header, *rows], far=(2, column, "x"))
    elif kind == "far row":
        row = draw(st.integers(min_value=LIMIT_ROWS + 2, max_value=1_048_576))
        far = (row, 1, draw(hostile_text))
        return "xlsx", _workbook([header, *rows], far=far), False
    else:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(_csv_text(cell) for cell in header)
        if kind == "csv rows":
            blank_lines = draw(st.booleans())
            for index in range(many):
                writer.writerow([index, "x"])
                if blank_lines:
                    out.write("\n")
        else:
            writer.writerow(["x"] * wide)
        return "csv", out.getvalue().encode("utf-8"), True
    return "xlsx", content, True


@given(data=st.data())
@fuzz_settings()
def test_import_files_over_the_limits(world, clients, data):
    extension, content, over = data.draw(files_over_the_limits(world), label="file")
    with rolled_back():
        before = snapshot()
        response = clients["editor"].post(
            reverse(IMPORT),
            {
                "resource": "0",
                "format": FORMAT_INDEX[extension],
                "import_file": SimpleUploadedFile(f"atgarder.{extension}", content),
            },
        )
        assert_sound(response, f"import {extension} of {len(content)} bytes")
        assert response.status_code == 200
        assert snapshot() == before
        form = response.context["form"]
        messages = [str(m) for m in form.errors.get("import_file", [])]
        stated = [m for m in messages if "1\N{NO-BREAK SPACE}000" in m and "50" in m]
        if over:
            assert stated, messages
            assert "confirm_form" not in response.context
        else:
            assert not stated, messages
