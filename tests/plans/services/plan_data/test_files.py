"""Plan data files: export, import into an empty database, and the back
office's download and upload."""

import textwrap
from html.parser import HTMLParser

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import ActionItem, AdoptedEdition, Indicator, Plan
from plans.services.plan_data import (
    export_plan_file,
    import_plan_text,
    parse_plan_text,
)
from stakeholders.models import (
    GoverningBody,
    Organisation,
    Person,
    StakeholderGroup,
)

pytestmark = pytest.mark.django_db

#: Parents before the plans that name them.
BUNDLED = ["verksamhetsplan-2009-2011", "handlingsplan-2009", "soderort-2030"]


class _Text(HTMLParser):
    """The visible text of a page, whitespace collapsed."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def plan_pages(client):
    urls = [reverse("plans:plan-list")] + [
        reverse("plans:plan-detail", kwargs={"slug": slug}) for slug in BUNDLED
    ]
    return {url: page_text(client, url) for url in urls}


def empty_the_database():
    """Delete every plan and every register entry, children first."""
    ActionItem.objects.all().delete()
    Plan.objects.filter(parent__isnull=False).delete()
    Plan.objects.all().delete()
    Indicator.objects.all().delete()
    GoverningBody.objects.all().delete()
    Person.objects.all().delete()
    StakeholderGroup.objects.all().delete()
    Organisation.objects.all().delete()


def test_export_and_import_into_an_empty_database_gives_the_same_pages(
    client, reader, bundled_plans
):
    client.force_login(reader)  # members see every item, drafts and all
    before = plan_pages(client)
    files = {slug: export_plan_file(Plan.objects.get(slug=slug)) for slug in BUNDLED}

    empty_the_database()
    assert not Plan.objects.exists() and not Organisation.objects.exists()
    for slug in BUNDLED:
        import_plan_text(files[slug], f"{slug}.yaml")

    after = plan_pages(client)
    for url, text in before.items():
        assert after[url] == text, url
    # The files of the imported plans are the files that were imported.
    for slug in BUNDLED:
        assert export_plan_file(Plan.objects.get(slug=slug)) == files[slug]
    assert AdoptedEdition.objects.filter(plan__slug=BUNDLED[0]).exists()


def test_the_admin_downloads_a_plan_as_a_data_file(client, editor, bundled_plans):
    client.force_login(editor)
    plan = Plan.objects.get(slug="handlingsplan-2009")
    change = client.get(reverse("admin:plans_plan_change", args=[plan.pk]))
    url = reverse("admin:plans_plan_data_file", args=[plan.pk])
    assert url in change.content.decode()

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    assert (
        'attachment; filename="handlingsplan-2009.yaml"'
        in (response["Content-Disposition"])
    )
    document = yaml.safe_load(response.content.decode())
    assert document["plan"]["slug"] == "handlingsplan-2009"
    assert document["plan"]["parent"] == "verksamhetsplan-2009-2011"
    assert len(document["plan"]["action_items"]) == 15


GOOD = textwrap.dedent(
    """\
    organisations:
      - name: Nya kommunen
        kind: municipality
    plan:
      slug: ny-plan-2012
      title: Ny plan 2012
      kind: action_plan
      owner: Nya kommunen
      start_year: 2012
      end_year: 2012
      status: draft
      focus_areas:
        - code: F1
          title: Första området
      action_items:
        - code: "1"
          focus_area: F1
          title: Första åtgärden
        - code: "2"
          focus_area: F9
          title: Andra åtgärden
    """
)


def upload(client, text, **extra):
    url = reverse("admin:plans_plan_upload_data_file")
    data = {"plan_file": SimpleUploadedFile("ny.yaml", text.encode()), **extra}
    return client.post(url, data)


def test_a_plan_data_file_with_an_error_imports_nothing_and_names_line_and_field(
    client, editor
):
    client.force_login(editor)
    list_page = client.get(reverse("admin:plans_plan_changelist"))
    assert reverse("admin:plans_plan_upload_data_file") in list_page.content.decode()

    response = upload(client, GOOD, preview="1")

    assert response.status_code == 400
    content = response.content.decode()
    assert "Inget importerades." in content
    # Line 20 is the unknown focus area "F9" of the second action item.
    assert "Rad 20, fält plan.action_items[1].focus_area:" in content
    assert "F9" in content
    assert not Organisation.objects.filter(name="Nya kommunen").exists()
    assert not Plan.objects.filter(slug="ny-plan-2012").exists()

    # A missing value: the line of its mapping, and the field's key path.
    missing = GOOD.replace("      title: Första åtgärden\n", "").replace("F9", "F1")
    response = upload(client, missing, preview="1")
    assert response.status_code == 400
    assert "Rad 16, fält plan.action_items[0].title:" in response.content.decode()
    assert "måste anges" in response.content.decode()

    # The confirmation step loads the text again, with the same rules.
    response = client.post(
        reverse("admin:plans_plan_upload_data_file"),
        {"plan_text": GOOD, "confirm": "1"},
    )
    assert response.status_code == 400
    assert not Organisation.objects.filter(name="Nya kommunen").exists()


def test_a_good_plan_data_file_is_previewed_then_imported(client, editor):
    client.force_login(editor)
    text = GOOD.replace("F9", "F1")

    response = upload(client, text, preview="1")

    assert response.status_code == 200
    assert "Filen är i ordning" in response.content.decode()
    assert not Plan.objects.filter(slug="ny-plan-2012").exists()

    response = client.post(
        reverse("admin:plans_plan_upload_data_file"),
        {"plan_text": response.context["plan_text"], "confirm": "1"},
    )
    assert response.status_code == 302
    plan = Plan.objects.get(slug="ny-plan-2012")
    assert list(plan.action_items.values_list("code", "focus_area__code")) == [
        ("1", "F1"),
        ("2", "F1"),
    ]


def test_a_file_that_is_not_yaml_names_its_line(client, editor):
    client.force_login(editor)
    response = upload(client, "plan:\n  slug: [unclosed\n", preview="1")
    assert response.status_code == 400
    assert "Rad 3" in response.content.decode()


def test_nested_yaml_aliases_are_read_once():
    """Nine aliases of nine aliases, eight deep: 9**9 entries if each alias
    were walked again."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for depth in range(8):
        name, inner = chr(98 + depth), chr(97 + depth)
        lines.append(f"{name}: &{name} [{', '.join([f'*{inner}'] * 9)}]")
    lines.append("plan: {slug: alias}")
    document, positions = parse_plan_text("\n".join(lines) + "\n", "alias.yaml")
    assert document["plan"]["slug"] == "alias"
    assert len(positions) < 200
