"""The bugs the bad-input suite found, each pinned by a plain test."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from flemingsberg.admin import ValidChoicesOnlyMixin
from plans.models import ActionItem
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# -- Autocomplete fields with a value that is not a key ----------------------


def test_refused_action_item_form_with_a_non_numeric_plan_is_shown_again(
    editor_client,
):
    """Was a server error: the autocomplete widget looked "abc" up as an id."""
    response = editor_client.post(
        reverse("admin:plans_actionitem_add"),
        {"plan": "<script>alert(1)</script>", "title": "Åtgärd", "status": "ongoing"},
    )
    assert response.status_code == 200
    assert "plan" in response.context["adminform"].form.errors
    assert ActionItem.objects.count() == 0


def test_add_page_prefilled_with_a_non_numeric_plan_shows_an_empty_choice(
    editor_client,
):
    response = editor_client.get(
        reverse("admin:plans_actionitem_add"), {"plan": "abc", "focus_area": "1e309"}
    )
    assert response.status_code == 200


def test_prefilled_many_to_many_with_non_numeric_values(editor_client):
    response = editor_client.get(
        reverse("admin:plans_indicator_add"), {"plans": "1,x,2", "action_items": "ä"}
    )
    assert response.status_code == 200


def test_valid_choices_are_still_shown_selected(editor_client):
    plan = factories.PlanFactory(title="Handlingsplan Fuzz")
    response = editor_client.get(
        reverse("admin:plans_actionitem_add"), {"plan": str(plan.pk)}
    )
    assert f'<option value="{plan.pk}" selected>Handlingsplan Fuzz' in (
        response.content.decode()
    )


def _autocomplete_widgets(model_admin, request):
    form = model_admin.get_form(request)
    widgets = [form.base_fields[name].widget for name in form.base_fields]
    for inline in model_admin.get_inline_instances(request):
        inline_form = inline.get_formset(request).form
        widgets += [field.widget for field in inline_form.base_fields.values()]
    return [
        getattr(widget, "widget", widget)
        for widget in widgets
        if "autocomplete" in type(getattr(widget, "widget", widget)).__name__.lower()
    ]


def test_every_autocomplete_field_of_the_admin_uses_the_safe_widget(superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    found = 0
    for model_admin in admin.site._registry.values():
        for widget in _autocomplete_widgets(model_admin, request):
            found += 1
            assert isinstance(widget, ValidChoicesOnlyMixin), (
                f"{type(model_admin).__name__}: {type(widget).__name__}"
            )
    assert found > 20


# -- Keys beyond the integer range --------------------------------------------


def test_many_to_many_key_beyond_the_integer_range_is_an_invalid_choice(
    editor_client,
):
    """Was a server error on SQLite: OverflowError in the ``pk__in`` lookup."""
    from plans.models import MeetingDecision

    meeting = factories.MeetingFactory()
    response = editor_client.post(
        reverse("admin:plans_meetingdecision_add"),
        {
            "meeting": str(meeting.pk),
            "order": "0",
            "text": "Beslut",
            "action_items": [str(2**63), "1"],
        },
    )
    assert response.status_code == 200
    assert "action_items" in response.context["adminform"].form.errors
    assert MeetingDecision.objects.count() == 0


def test_autocomplete_value_beyond_the_integer_range_is_not_looked_up(
    editor_client,
):
    response = editor_client.get(
        reverse("admin:plans_actionitem_add"), {"plan": str(2**64)}
    )
    assert response.status_code == 200


# -- The import's confirmation step --------------------------------------------


def _confirm(client, **fields):
    from import_export.tmp_storages import CacheStorage

    storage = CacheStorage()
    storage.save(fields.pop("content", b""))
    data = {
        "import_file_name": storage.name,
        "original_file_name": "atgarder.csv",
        "format": "1",
        "resource": "0",
        **fields,
    }
    return client.post(reverse("admin:plans_actionitem_process_import"), data)


@pytest.mark.parametrize(
    "fields",
    [
        {"format": "<script>alert(1)</script>"},  # was ValueError
        {"format": "2"},  # was IndexError
        {"format": "-1"},
        {"resource": "1"},  # was IndexError
        {"format": "0", "content": b""},  # not a workbook: was BadZipFile
        {"content": b"\x80\x81;\xff"},  # not UTF-8: was UnicodeDecodeError
        {"import_file_name": "no-such-file"},  # expired: was AttributeError
    ],
    ids=[
        "format",
        "format-index",
        "negative-format",
        "resource",
        "xlsx",
        "csv",
        "gone",
    ],
)
def test_a_confirmation_that_cannot_be_imported_imports_nothing_and_says_so(
    editor_client, fields
):
    response = _confirm(editor_client, **fields)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:plans_actionitem_import")
    page = editor_client.get(response["Location"])
    assert "Upload it again" in page.content.decode() or (
        "Ladda upp den igen" in page.content.decode()
    )
    assert ActionItem.objects.count() == 0


def test_a_readable_confirmation_still_imports(editor_client):
    from plans.exports.files import CSV
    from plans.exports.resources import ActionItemResource

    plan = factories.PlanFactory(slug="fuzz-plan")
    headings = ActionItemResource().headings()
    row = dict.fromkeys(headings, "")
    fields = ActionItemResource.Meta.fields
    values = {"code": "1", "plan": plan.slug, "title": "Ny åtgärd"}
    values |= {"status": "ongoing", "progress": "10", "is_public": "ja"}
    for name, heading in zip(fields, headings, strict=True):
        row[heading] = values.get(name, "")
    content = ";".join(headings) + "\n" + ";".join(row.values()) + "\n"
    assert CSV().is_binary() is False
    response = _confirm(editor_client, content=content.encode("utf-8"))
    assert response.status_code == 302
    assert ActionItem.objects.filter(plan=plan, code="1").exists()


# -- NUL bytes (PostgreSQL refuses them in a query; these failed there) -------


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/plans/actionitem/?status__exact=a%00",
        "/admin/plans/actionitem/?responsible_body=a%00",
        "/admin/plans/plan/?kind__exact=%00",
        "/admin/plans/targetstatement/?theme=a%00",
        "/admin/stakeholders/person/?organisation__kind__exact=a%00",
        "/admin/django_tasks_database/dbtaskresult/?queue_name=a%00",
    ],
)
def test_an_admin_filter_with_a_nul_byte_shows_the_list_without_filters(
    superuser_client, path
):
    response = superuser_client.get(path)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_an_autocomplete_term_with_a_nul_byte_finds_nothing(superuser_client):
    factories.PlanFactory(title="Handlingsplan")
    response = superuser_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "plans",
            "model_name": "actionitem",
            "field_name": "plan",
            "term": "Handlings\x00plan",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_meetings_of_a_body_slug_with_a_nul_byte_are_none(client):
    factories.MeetingFactory(is_public=True)
    response = client.get("/governance/meetings/", {"body": "grupp\x00"})
    assert response.status_code == 200
    assert list(response.context["meetings"]) == []


# -- Django's own admins get the same guards ------------------------------------


def test_user_groups_key_beyond_the_integer_range_is_an_invalid_choice(
    superuser_client, superuser
):
    response = superuser_client.post(
        reverse("admin:auth_user_change", args=[superuser.pk]),
        {"username": superuser.username, "groups": [str(2**63)]},
    )
    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors


# -- Very long search terms (SQLite refuses LIKE patterns over 50 000 bytes) ----


@pytest.mark.parametrize("name", ["q", "responsible_body", "commissioned_by", "area"])
def test_a_very_long_action_filter_is_a_form_error(client, name):
    factories.ActionItemFactory(title="Åtgärd", is_public=True)
    response = client.get("/actions/", {name: "%" * 30_000})
    assert response.status_code == 200
    assert name in response.context["filter"].form.errors


@pytest.mark.parametrize(
    "path",
    [
        "/admin/plans/actionitem/?q=" + "%25" * 30_000,
        "/admin/plans/plan/?q=" + "x" * 60_000,
        "/admin/autocomplete/?app_label=plans&model_name=actionitem&field_name=plan"
        "&term=" + "%25" * 30_000,
    ],
    ids=["changelist-percent", "changelist-letters", "autocomplete"],
)
def test_a_very_long_admin_search_finds_nothing(superuser_client, path):
    factories.ActionItemFactory(title="%" * 10)
    response = superuser_client.get(path)
    assert response.status_code == 200


# -- Formulas in the back office's export (was: "=" dropped, + - @ kept) --------

FORMULA_TITLES = ["=cmd|' /C calc'!A0", "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)"]


@pytest.fixture
def formula_plan():
    plan = factories.PlanFactory(slug="formelplan")
    for code, title in enumerate(FORMULA_TITLES, start=1):
        factories.ActionItemFactory(plan=plan, code=str(code), title=title)
    return plan


def test_the_admin_csv_export_puts_formula_text_behind_an_apostrophe(
    editor_client, formula_plan
):
    import csv
    import io

    response = editor_client.get(
        reverse("admin:plans_actionitem_export_plan", args=[formula_plan.slug, "csv"])
    )
    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    titles = [row[3] for row in rows[1:]]
    assert titles == [f"'{title}" for title in FORMULA_TITLES]


def test_the_admin_xlsx_export_keeps_formula_text_as_text(editor_client, formula_plan):
    import io

    import openpyxl

    response = editor_client.get(
        reverse("admin:plans_actionitem_export_plan", args=[formula_plan.slug, "xlsx"])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [row[3] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == FORMULA_TITLES
    assert {cell.data_type for cell in cells} == {"s"}


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_importing_the_export_of_formula_text_changes_nothing(
    editor_client, formula_plan, extension
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exported = editor_client.get(
        reverse(
            "admin:plans_actionitem_export_plan", args=[formula_plan.slug, extension]
        )
    ).content
    before = list(ActionItem.objects.order_by("pk").values())
    response = editor_client.post(
        reverse("admin:plans_actionitem_import"),
        {
            "resource": "0",
            "format": {"xlsx": "0", "csv": "1"}[extension],
            "import_file": SimpleUploadedFile(f"export.{extension}", exported),
        },
    )
    counts = response.context["import_counts"]
    assert counts == {"new": 0, "update": 0, "skip": 4, "invalid": 0}
    assert list(ActionItem.objects.order_by("pk").values()) == before


# -- History pages with an address that names no version ------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/plans/plan/abc/history/",
        "/admin/plans/plan/1/change/history/",
        "/admin/plans/actionitem/%22%3E%3Cimg/history/1/",
        "/admin/plans/actionitem/{pk}/history/abc/",
        "/admin/plans/actionitem/{pk}/history/99999999999999999999999/",
    ],
)
def test_a_history_address_that_names_no_version_is_not_found(superuser_client, path):
    """Were server errors: django-simple-history looks the values up unchecked."""
    item = factories.ActionItemFactory()
    response = superuser_client.get(path.format(pk=item.pk))
    assert response.status_code == 404


def test_history_pages_still_show(superuser_client):
    item = factories.ActionItemFactory()
    version = item.history.get().history_id
    assert (
        superuser_client.get(f"/admin/plans/actionitem/{item.pk}/history/").status_code
        == 200
    )
    page = superuser_client.get(f"/admin/plans/actionitem/{item.pk}/history/{version}/")
    assert page.status_code == 200


# -- Control characters in stored text (openpyxl refused the whole workbook) ----

CONTROL = "Åtgärd\x1b med \x0bstyrtecken\x01"


def test_the_xlsx_exports_leave_out_control_characters(client):
    import io

    import openpyxl

    plan = factories.PlanFactory(slug="styrplan", title="Plan\x07 med styrtecken")
    factories.ActionItemFactory(plan=plan, title=CONTROL, is_public=True)
    for path in ["/actions/?export=xlsx", "/open-data/styrplan/actions.xlsx"]:
        response = client.get(path)
        assert response.status_code == 200, path
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [cell.value for row in sheet.iter_rows() for cell in row]
        assert "Åtgärd med styrtecken" in values, path


def test_the_funding_ledger_leaves_out_control_characters(client):
    plan = factories.PlanFactory(slug="styrplan")
    organisation = factories.OrganisationFactory(name="Kommun\x1b AB")
    factories.FundingContributionFactory(
        plan=plan, organisation=organisation, note="Not\x0b"
    )
    response = client.get("/plans/styrplan/funding.xlsx")
    assert response.status_code == 200


@pytest.mark.parametrize("character", ["\ufffe", "\uffff"])
def test_the_xlsx_exports_open_with_non_characters_in_the_text(
    editor_client, character
):
    """Were workbooks that neither Excel nor openpyxl could open."""
    import io

    import openpyxl

    plan = factories.PlanFactory(slug="tecken")
    factories.ActionItemFactory(plan=plan, title=f"a{character}b", is_public=True)
    for path in [
        "/actions/?export=xlsx",
        "/open-data/tecken/actions.xlsx",
        reverse("admin:plans_actionitem_export_plan", args=["tecken", "xlsx"]),
    ]:
        content = editor_client.get(path).content
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert "ab" in [cell.value for row in sheet.iter_rows() for cell in row], path


# -- Links only to web addresses -----------------------------------------------


def test_an_organisation_website_that_is_not_a_web_address_is_no_link(client):
    """Defence in depth: the admin accepts http(s) only, a data file anything."""
    from stakeholders.models import Organisation

    organisation = factories.OrganisationFactory(slug="org")
    Organisation.objects.filter(pk=organisation.pk).update(
        website="javascript:alert(1)"
    )
    response = client.get("/stakeholders/org/")
    assert response.status_code == 200
    assert "javascript:" not in response.content.decode()


def test_an_organisation_website_is_a_link(client):
    factories.OrganisationFactory(slug="org", website="https://example.org/")
    response = client.get("/stakeholders/org/")
    assert '<a href="https://example.org/">' in response.content.decode()


# -- The back office's export page with the list's filters ----------------------


@pytest.mark.parametrize(
    "query",
    ["page=%3Cscript%3E", "status__exact=a%00", "nosuch=1"],
)
def test_the_export_page_with_a_wrong_filter_shows_it_without_filters(
    editor_client, query
):
    """Were server errors: django-import-export let IncorrectLookupParameters
    through (and the NUL byte to PostgreSQL)."""
    url = reverse("admin:plans_actionitem_export")
    response = editor_client.get(f"{url}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"
    assert editor_client.get(response["Location"]).status_code == 200


def test_the_export_page_keeps_a_right_filter(editor_client):
    url = reverse("admin:plans_actionitem_export")
    assert editor_client.get(f"{url}?status__exact=done").status_code == 200
