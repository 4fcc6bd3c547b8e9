"""The PDFs: rendered by WeasyPrint, checked by their text and structure."""

import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from plans.models import ActionItem, Plan
from plans.services.pdf import BASE_URL, render_pdf
from plans.services.pdf_fetcher import RefusedURL, static_fetcher
from tests import factories
from tests.pdfs import flat, pdftotext

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def fonts_of(reader):
    names = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        fonts = resources.get("/Font") or {}
        for font in fonts.values():
            font = font.get_object() if isinstance(font, IndirectObject) else font
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert any(
                    key in descriptor
                    for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ), f"{font['/BaseFont']} is not embedded"
    return names


def outline_titles(reader):
    titles = []

    def walk(items):
        for entry in items:
            if isinstance(entry, list):
                walk(entry)
            else:
                titles.append(entry.title)

    walk(reader.outline)
    return titles


@pytest.fixture
def download(client, run_pdf_tasks):
    """``download(url)``: the PDF at ``url``; when it has not been rendered
    yet (the page that says so), after the task worker has run."""

    def get(url, **extra):
        response = client.get(url, **extra)
        if response.status_code == 202:
            run_pdf_tasks()
            response = client.get(url, **extra)
        assert response.status_code == 200, response.status_code
        assert response["Content-Type"] == "application/pdf"
        return response

    return get


@pytest.fixture
def get_pdf(download):
    """``get_pdf(slug)``: the plan's PDF, rendered if need be."""
    return lambda slug, **extra: download(
        reverse("plans:plan-pdf", args=[slug]), **extra
    )


class TestFetcher:
    def test_serves_static_files_under_their_virtual_url(self):
        fetcher = static_fetcher()
        url = f"{BASE_URL}static/css/pdf.css"
        response = fetcher.fetch(url)
        assert response.url == url
        assert b"@page" in response.read()
        assert response.content_type == "text/css"

    @pytest.mark.parametrize(
        "url",
        [
            "https://example.com/static/css/pdf.css",
            f"{BASE_URL}media/secret.pdf",
            f"{BASE_URL}admin/",
            f"{BASE_URL}plans/",
            f"{BASE_URL}static/../flemingsberg/settings/base.py",
            f"{BASE_URL}static/css/missing.css",
            "file:///etc/passwd",
            "data:text/css,body{}",
        ],
    )
    def test_refuses_everything_else(self, url):
        with pytest.raises((RefusedURL, ValueError)):
            static_fetcher().fetch(url)


def test_verksamhetsplan_pdf_reads_completely(client, bundled_plans, get_pdf):
    content = get_pdf("verksamhetsplan-2009-2011").content
    reader = PdfReader(io.BytesIO(content))

    # Metadata and tagging (PDF/UA).
    assert reader.metadata.title == "Verksamhetsplan 2009–2011"
    assert reader.metadata.author == "Flemingsberg – From Brains to Business"
    assert reader.metadata.subject
    assert "Flemingsberg" in reader.metadata["/Keywords"]
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]) == "sv"
    assert "/StructTreeRoot" in root

    # Only the bundled family, embedded.
    fonts = fonts_of(reader)
    assert fonts, "no fonts found"
    assert all("Portal-Sans" in name for name in fonts), fonts

    # Bookmarks for every chapter and for the appendix.
    titles = outline_titles(reader)
    for chapter in ["Bakgrund", "Vision 2030", "Strategier", "Målbild 2011"]:
        assert chapter in titles
    assert "Handlingsplan 2009" in titles

    text = pdftotext(content)
    body = flat(text)
    for needle in [
        "Verksamhetsplan 2009–2011",
        "Catharina Elmsäter-Svärd",
        "Ann-Marie Högberg",
        "Anders Peterson",
        "Mona Boström",
        "landstingsdirektör",
        "Thorbjörn Ekström",
        "Folke Snickars",
        "Tina Karrbom Gustavsson",
        "Mariana Vodovosoff",
        "Dra fördel av forskning och högre utbildning",
        "Stärk begreppet Flemingsberg",
        "Öka kunskapen om Flemingsberg idag.",
        "Aktiva Science Work AB",
        "Karo Bio AB",
        "1 000 000",
        "500 000",
        "7 500 000",
        "Stötta KISPs fortsatta expansion",
        "Lägg grunden till ett handlingsprogram för ökad företagsetablering.",
    ]:
        assert needle in body.replace("\u00a0", " "), needle
    # Parties as written, with the organisation.
    assert re.search(r"Pia Lidwall.{0,40}\(kd\)", body), "party of Pia Lidwall"

    # Running header and footer on an inner page.
    pages = text.split("\f")
    assert "Verksamhetsplan 2009–2011" in pages[2]
    assert f"Sida 3 av {len(reader.pages)}" in flat(pages[2])


def test_table_of_contents_page_numbers_are_right(client, bundled_plans, get_pdf):
    content = get_pdf("verksamhetsplan-2009-2011").content
    pages = pdftotext(content, "-layout").split("\f")
    toc = next(page for page in pages if "Innehåll" in page)
    entries = re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", toc, flags=re.M)
    assert len(entries) >= 10, toc
    checked = 0
    for heading, number in entries:
        page = pages[int(number) - 1]
        # "Bilaga 1: Handlingsplan 2009" opens with the appendix's own title.
        heading = (
            heading.split(": ", 1)[-1] if heading.startswith("Bilaga") else heading
        )
        # The chapter's heading stands on its page as a line of its own.
        lines = [line.strip() for line in page.splitlines()]
        assert heading.strip() in lines, (heading, number)
        checked += 1
    assert checked == len(entries)


def test_soderort_pdf_has_every_row_on_landscape_pages(client, bundled_plans, get_pdf):
    content = get_pdf("soderort-2030").content
    reader = PdfReader(io.BytesIO(content))
    landscape = [
        page for page in reader.pages if page.mediabox.width > page.mediabox.height
    ]
    assert landscape, "the eight-column table is printed on landscape pages"
    body = flat(pdftotext(content, "-raw"))
    # Cells wrap inside narrow columns: compare without white space.
    dense = re.sub(r"\s+", "", body)
    for item in ActionItem.objects.filter(plan__slug="soderort-2030"):
        texts = [item.title, item.responsible_body]
        if not item.see_above_id:  # a "Se ovan" row prints a link instead
            texts.append(item.assignment)
        for text in texts:
            assert re.sub(r"\s+", "", text) in dense, text
    for header in ["Rubrik", "Uppdragsgivare", "Ansvarig nämnd"]:
        assert header in body
    # A column empty in every row is left out of the print.
    items = ActionItem.objects.filter(plan__slug="soderort-2030")
    if not any(item.coordinator for item in items):
        assert "Handläggare SLK" not in body


def test_a_new_document_is_prepared_then_served_as_stored(
    client, bundled_plans, run_pdf_tasks
):
    url = reverse("plans:plan-pdf", args=["handlingsplan-2009"])
    waiting = client.get(url)
    assert waiting.status_code == 202
    assert '<meta http-equiv="refresh"' in waiting.content.decode()
    assert "no-store" in waiting["Cache-Control"]
    run_pdf_tasks()
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert first["ETag"] == second["ETag"]
    assert first["Last-Modified"]


def test_conditional_get_answers_304(client, bundled_plans, get_pdf):
    first = get_pdf("handlingsplan-2009")
    again = client.get(
        reverse("plans:plan-pdf", args=["handlingsplan-2009"]),
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert again.status_code == 304
    assert again.content == b""


def test_an_edit_gives_a_new_pdf_after_the_worker_ran(
    client, bundled_plans, get_pdf, run_pdf_tasks
):
    first = get_pdf("handlingsplan-2009")
    item = ActionItem.objects.get(plan__slug="handlingsplan-2009", code="1.1")
    item.title = "Ny rubrik från administrationen"
    item.save()
    stale = get_pdf("handlingsplan-2009")  # served at once, not rendered
    assert stale["ETag"] == first["ETag"]
    run_pdf_tasks()
    second = get_pdf("handlingsplan-2009")
    assert second["ETag"] != first["ETag"]
    assert "Ny rubrik från administrationen" in flat(pdftotext(second.content))


def test_draft_plan_pdf_is_hidden_from_anonymous(client, reader, download):
    plan = factories.PlanFactory(status=Plan.Status.DRAFT)
    factories.SectionFactory(plan=plan, heading="Utkastets kapitel")
    url = reverse("plans:plan-pdf", args=[plan.slug])
    assert client.get(url).status_code == 404
    client.force_login(reader)
    response = download(url)
    assert response.status_code == 200
    assert "Utkastets kapitel" in flat(pdftotext(response.content))
    assert "private" in response["Cache-Control"]


def test_public_and_member_pdfs_are_kept_apart(client, reader, download):
    plan = factories.PlanFactory()
    factories.SectionFactory(plan=plan, kind="action_items", heading="Åtgärder")
    factories.ActionItemFactory(plan=plan, title="Offentlig åtgärd")
    factories.ActionItemFactory(plan=plan, title="Hemlig åtgärd", is_public=False)
    url = reverse("plans:plan-pdf", args=[plan.slug])
    client.force_login(reader)
    member = flat(pdftotext(download(url).content))
    client.logout()
    public = flat(pdftotext(download(url).content))
    assert "Hemlig åtgärd" in member
    assert "Hemlig åtgärd" not in public
    assert "Offentlig åtgärd" in public


def test_a_table_over_many_pages_renders(client, get_pdf):
    """Regression guard for WeasyPrint #2719 (big tables over many pages)."""
    plan = factories.PlanFactory(title="Lång handlingsplan")
    factories.SectionFactory(plan=plan, kind="action_table", heading="Tabell")
    for n in range(90):
        factories.ActionItemFactory(
            plan=plan,
            title=f"Rad {n}",
            assignment="Ett uppdrag med en ganska lång beskrivning " * 3,
            expected_result="Ett förväntat resultat " * 4,
        )
    content = get_pdf(plan.slug).content
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) > 4
    body = flat(pdftotext(content))
    assert "Rad 0" in body
    assert "Rad 89" in body


class TestReport:
    def test_report_pdf_has_summary_and_items(self, bundled_plans, download):
        item = ActionItem.objects.get(plan__slug="handlingsplan-2009", code="1.1")
        item.status, item.progress = "ongoing", 40
        item.save()
        factories.ActionUpdateFactory(item=item, text="Möte med KISP genomfört.")
        response = download(
            reverse("plans:plan-report-pdf", args=["handlingsplan-2009"])
        )
        reader = PdfReader(io.BytesIO(response.content))
        assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
        body = flat(pdftotext(response.content))
        assert "Möte med KISP genomfört." in body
        assert "Pågående" in body
        assert "Stärk innovations- och kommersialiseringsmiljöerna" in body

    def test_internal_updates_never_reach_a_public_report(
        self, client, reader, download
    ):
        plan = factories.PlanFactory()
        item = factories.ActionItemFactory(plan=plan)
        factories.ActionUpdateFactory(item=item, text="Offentlig rapport")
        factories.ActionUpdateFactory(item=item, text="Intern rapport", is_public=False)
        url = reverse("plans:plan-report-pdf", args=[plan.slug])
        public = flat(pdftotext(download(url).content))
        assert "Intern rapport" not in public
        client.force_login(reader)
        member = flat(pdftotext(download(url).content))
        assert "Intern rapport" in member

    @pytest.mark.parametrize("name", ["plans:plan-report", "plans:plan-report-pdf"])
    def test_malformed_since_is_a_400_with_a_message(self, client, name):
        plan = factories.PlanFactory()
        response = client.get(reverse(name, args=[plan.slug]), {"since": "31/12/2025"})
        assert response.status_code == 400
        assert "ÅÅÅÅ-MM-DD" in response.content.decode() or "YYYY-MM-DD" in (
            response.content.decode()
        )

    def test_since_adds_the_changes_section(self, client):
        plan = factories.PlanFactory()
        factories.ActionItemFactory(plan=plan, title="Helt ny åtgärd")
        response = client.get(
            reverse("plans:plan-report", args=[plan.slug]), {"since": "2020-01-01"}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Helt ny åtgärd" in page
        assert 'id="report-changes"' in page

    def test_report_html_lists_late_items(self, client):
        plan = factories.PlanFactory()
        factories.ActionItemFactory(
            plan=plan, title="Sen åtgärd", due_date="2020-01-01", status="ongoing"
        )
        response = client.get(reverse("plans:plan-report", args=[plan.slug]))
        assert response.status_code == 200
        late = response.content.decode().split('id="report-late"')[1]
        assert "Sen åtgärd" in late.split("</section>")[0]


def test_funding_amounts_come_out_right(client, bundled_plans, get_pdf):
    body = flat(pdftotext(get_pdf("verksamhetsplan-2009-2011").content))
    body = body.replace("\u00a0", " ").replace("\u202f", " ")
    assert "2 500 000" in body
    assert "7 500 000" in body


def structure_elements(reader):
    """(element, parent) of every structure element, in document order."""

    def get(node):
        return node.get_object() if isinstance(node, IndirectObject) else node

    def kids(node):
        k = get(node.get("/K")) if node.get("/K") is not None else []
        return [get(kid) for kid in (k if isinstance(k, list) else [k])]

    order = []

    def walk(node, parent):
        order.append((node, parent))
        for kid in kids(node):
            if isinstance(kid, dict) and "/S" in kid:
                walk(kid, node)

    root = get(reader.trailer["/Root"]["/StructTreeRoot"])
    for kid in kids(root):
        if isinstance(kid, dict):
            walk(kid, root)
    return order


def table_structure_problems(content):
    """What a PDF/UA checker would say about the tables' structure: header
    cells without a scope, captions outside their table, table parts out of
    place."""
    reader = PdfReader(io.BytesIO(content))
    problems = []
    tables = []
    allowed = {
        "/Table": {"/Caption", "/THead", "/TBody", "/TFoot", "/TR"},
        "/THead": {"/TR"},
        "/TBody": {"/TR"},
        "/TFoot": {"/TR"},
        "/TR": {"/TH", "/TD"},
    }
    for element, parent in structure_elements(reader):
        tag = str(element.get("/S"))
        parent_tag = str(parent.get("/S"))
        if tag == "/TH":
            attributes = element.get("/A")
            attributes = attributes.get_object() if attributes else {}
            if str(attributes.get("/Scope")) not in {"/Row", "/Column", "/Both"}:
                problems.append("a header cell without /Scope")
        if parent_tag in allowed and tag not in allowed[parent_tag]:
            problems.append(f"{tag} inside {parent_tag}")
        if tag == "/Table":
            kids = element.get("/K")
            kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
            kids = kids if isinstance(kids, list) else [kids]
            tags = [str(kid.get_object().get("/S")) for kid in kids]
            tables.append(tags)
            if tags == ["/Caption"]:
                problems.append("a caption apart from its table")
            elif "/Caption" in tags and tags[0] != "/Caption":
                problems.append("a caption that is not the table's first part")
    return problems, tables


@pytest.mark.parametrize("slug", ["verksamhetsplan-2009-2011", "soderort-2030"])
def test_bundled_pdfs_have_no_table_structure_problem(slug, bundled_plans, download):
    for name in ("plans:plan-pdf", "plans:plan-report-pdf"):
        content = download(reverse(name, args=[slug])).content
        problems, tables = table_structure_problems(content)
        assert problems == [], (name, problems)
        assert tables, name
        # Every table starts with its caption (a table that goes on over a
        # page break continues in a part of its own: WeasyPrint #2903).
        assert any("/Caption" in parts for parts in tables)


def test_a_render_leaves_the_long_lived_objects_out_of_the_collectors_sight():
    import gc

    from plans.services.pdf import render_pdf

    content = render_pdf("<html lang='sv'><title>Prov</title><p>Prov</p></html>")
    assert content.startswith(b"%PDF")
    assert gc.get_freeze_count() > 0


def test_the_last_row_of_a_table_is_never_alone_on_its_page(
    client, bundled_plans, get_pdf
):
    content = get_pdf("soderort-2030").content
    pages = len(PdfReader(io.BytesIO(content)).pages)
    rows = list(ActionItem.objects.filter(plan__slug="soderort-2030").order_by("order"))
    last, before = (re.sub(r"\s+", "", row.title) for row in (rows[-1], rows[-2]))
    for number in range(1, pages + 1):
        page = re.sub(
            r"\s+", "", pdftotext(content, "-f", str(number), "-l", str(number))
        )
        if last in page:
            assert before in page, f"the last row stands alone on page {number}"
            break
    else:
        pytest.fail("the last row is not in the PDF")


def test_status_marks_add_no_pattern_or_image_per_badge():
    """The status marks are drawn with borders and plain fills: a CSS
    gradient would add a shading pattern and two form images to the PDF for
    every badge (a 1 000-item report: 1.7 MB instead of 0.8 MB)."""
    statuses = [status for status, _ in ActionItem.Status.choices] + ["late"]
    badges = " ".join(
        f'<span class="badge badge--{status}">{status}</span>'
        for status in statuses * 20
    )
    content = render_pdf(
        "<html lang='sv'><title>Prov</title>"
        "<link rel='stylesheet' href='/static/css/pdf.css'>"
        f"<p>{badges}</p></html>"
    )
    page = PdfReader(io.BytesIO(content)).pages[0]
    resources = page["/Resources"]
    assert not resources.get("/Pattern")
    assert not resources.get("/Shading")
    assert len(resources.get("/XObject") or {}) < len(statuses)
