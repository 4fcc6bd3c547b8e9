"""The bundled plans: complete, faithful, and idempotently loaded."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from plans.models import (
    ActionItem,
    FocusArea,
    FundingContribution,
    Indicator,
    Plan,
    Section,
    Strategy,
    StrategyMeasure,
    TargetStatement,
    VisionStatement,
)
from plans.services.plan_data import bundled_plan_files
from stakeholders.models import (
    GoverningBody,
    Membership,
    Organisation,
    Person,
    StakeholderGroup,
)

pytestmark = pytest.mark.django_db

ALL_MODELS = [
    Plan,
    Section,
    VisionStatement,
    Strategy,
    StrategyMeasure,
    TargetStatement,
    FocusArea,
    ActionItem,
    FundingContribution,
    Indicator,
    Organisation,
    Person,
    StakeholderGroup,
    GoverningBody,
    Membership,
]


def _snapshot():
    from django.core import serializers

    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for model in ALL_MODELS
    }


def test_the_three_bundled_plans_have_data_files():
    slugs = {path.stem for path in bundled_plan_files()}
    assert slugs == {"verksamhetsplan-2009-2011", "handlingsplan-2009", "soderort-2030"}


def test_loading_twice_changes_nothing(bundled_plans):
    before = _snapshot()
    out = io.StringIO()
    call_command("load_plans", stdout=out)
    assert "everything was up to date" in out.getvalue()
    assert _snapshot() == before


def test_loading_twice_writes_no_history(bundled_plans):
    before = ActionItem.history.count() + Plan.history.count()
    call_command("load_plans", verbosity=0)
    assert ActionItem.history.count() + Plan.history.count() == before


def test_reload_keeps_follow_up_edited_in_the_back_office(bundled_plans):
    item = ActionItem.objects.get(plan__slug="handlingsplan-2009", code="1.1")
    item.status, item.progress = ActionItem.Status.ONGOING, 30
    item.save()
    call_command("load_plans", verbosity=0)
    item.refresh_from_db()
    assert (item.status, item.progress) == ("ongoing", 30)


def test_plan_counts(bundled_plans):
    vp = Plan.objects.get(slug="verksamhetsplan-2009-2011")
    hp = Plan.objects.get(slug="handlingsplan-2009")
    so = Plan.objects.get(slug="soderort-2030")
    assert [s.heading for s in vp.sections.all()] == [
        "Bakgrund",
        "Vision 2030",
        "Strategier",
        "Organisation",
        "Samordning 2009–2011",
        "Finansiering",
        "Operativt arbetssätt 2009–2011",
        "Nuläge 2009, Q1–Q2",
        "Målbild 2011",
        "Arbetsprocess 2009–2011",
    ]
    assert vp.vision_statements.count() == 3
    assert vp.strategies.count() == 5
    assert StrategyMeasure.objects.filter(strategy__plan=vp).count() == 10
    assert hp.parent == vp
    assert hp.focus_areas.count() == 3
    assert hp.action_items.count() == 15
    assert so.action_items.count() >= 20
    assert so.status == Plan.Status.WORKING


def test_strategies_and_measures(bundled_plans):
    titles = list(
        Strategy.objects.filter(plan__slug="verksamhetsplan-2009-2011").values_list(
            "title", flat=True
        )
    )
    assert titles == [
        "Dra fördel av forskning och högre utbildning",
        "Stimulera innovation och entreprenörskap",
        "Förbättra lägesförutsättningarna",
        "Öka statsdelens attraktivitet",
        "Stärk begreppet Flemingsberg",
    ]
    assert StrategyMeasure.objects.filter(
        text__startswith="Driva på processer för infrastruktursatsningar"
    ).exists()


def test_steering_group_members_with_party_and_organisation(bundled_plans):
    body = GoverningBody.objects.get(name="Politisk styrgrupp")
    members = {
        m.person.name: (m.representing.short_name or m.representing.name, m.party)
        for m in body.memberships.select_related("person", "representing")
    }
    assert members == {
        "Catharina Elmsäter-Svärd": ("SLL", "m"),
        "Pia Lidwall": ("SLL", "kd"),
        "Olov Lindquist": ("SLL", "fp"),
        "Ingela Nylund-Watz": ("SLL", "s"),
        "Daniel Dronjak-Nordqvist": ("Huddinge", "m"),
        "Ann-Marie Högberg": ("Huddinge", "s"),
        "Katarina Berggren": ("Botkyrka", "s"),
        "Anders Peterson": ("Botkyrka", "m"),
    }
    chair = body.memberships.get(role=Membership.Role.CHAIR)
    assert chair.person.name == "Catharina Elmsäter-Svärd"


def test_management_group_members_and_titles(bundled_plans):
    body = GoverningBody.objects.get(name="Ledningsgrupp")
    assert body.reports_to.name == "Politisk styrgrupp"
    titles = dict(body.memberships.values_list("person__name", "person__title"))
    assert len(titles) == 7
    assert "landstingsdirektör" in titles["Mona Boström"]
    assert "FoUU-direktör" in titles["Thorbjörn Ekström"]
    assert "dekan" in titles["Folke Snickars"]


def test_all_bodies_and_cadence(bundled_plans):
    names = set(GoverningBody.objects.values_list("name", flat=True))
    assert {
        "Politisk styrgrupp",
        "Ledningsgrupp",
        "Utvecklingsdirektör",
        "Samordningsgrupp",
        "Kommunikationsgrupp",
        "Marknadsgrupp",
        "Företagssamverkan",
    } <= names
    assert GoverningBody.objects.get(name="Politisk styrgrupp").meetings_per_year == 6
    comms = GoverningBody.objects.get(name="Kommunikationsgrupp")
    assert comms.memberships.get().person.name == "Mariana Vodovosoff"
    director = Person.objects.get(name="Tina Karrbom Gustavsson")
    assert director.email == "tina.karrbom@flemingsberg.se"
    assert director.phone == "0708-19 95 70"


def test_funding_amounts(bundled_plans):
    rows = FundingContribution.objects.filter(plan__slug="verksamhetsplan-2009-2011")
    assert rows.count() == 9
    per_org = {
        (r.organisation.short_name or r.organisation.name, r.year): r.amount
        for r in rows.select_related("organisation")
    }
    assert per_org[("SLL", 2009)] == Decimal("1000000")
    assert per_org[("Huddinge", 2010)] == Decimal("1000000")
    assert per_org[("Botkyrka", 2011)] == Decimal("500000")
    assert sum(r.amount for r in rows) == Decimal("7500000")


def test_stakeholders_and_companies(bundled_plans):
    assert StakeholderGroup.objects.count() == 17
    for company in [
        "Aktiva Science Work AB",
        "YO Proteins AB",
        "Axcentua Pharmaceuticals AB",
        "Antrad Medical AB",
        "Chemilia AB",
        "Novadex AB",
        "Gripping Heart AB",
        "MIPS AB",
        "HetPharma HB",
        "Karo Bio AB",
        "Siemens",
        "Landstingsarkivet",
        "Södertörns tingsrätt",
    ]:
        assert Organisation.objects.filter(name=company).exists(), company


def test_target_statements_grouped_by_theme(bundled_plans):
    themes = set(
        TargetStatement.objects.filter(
            plan__slug="verksamhetsplan-2009-2011"
        ).values_list("theme", flat=True)
    )
    assert {"Innovation och kommersialisering", "Attraktivitet"} <= themes
    assert TargetStatement.objects.filter(
        text__contains="ett tiotal nya företag föds varje år"
    ).exists()


def test_handlingsplan_activities(bundled_plans):
    areas = list(
        FocusArea.objects.filter(plan__slug="handlingsplan-2009").values_list(
            "title", flat=True
        )
    )
    assert areas[1].startswith("Öka näringslivsfokus")
    assert ActionItem.objects.filter(
        title__startswith="Stärk samarbetet mellan de olika nodernas organisationer"
    ).exists()


def test_soderort_rows_are_repaired_and_in_the_right_columns(bundled_plans):
    items = ActionItem.objects.filter(plan__slug="soderort-2030")
    telefonplan = items.get(title="Telefonplan, kreativa näringar")
    assert telefonplan.assignment == (
        "Utveckling av Telefonplan som centrum för kreativa näringar"
    )
    assert "2500" in (telefonplan.schedule + telefonplan.expected_result).replace(
        " ", ""
    )
    assert "Hägersten" in telefonplan.commissioned_by + telefonplan.responsible_body
    text = " ".join(
        " ".join(
            [
                i.title,
                i.assignment,
                i.commissioned_by,
                i.expected_result,
                i.schedule,
                i.responsible_body,
            ]
        )
        for i in items
    )
    for damage in ["Séderort", "nédmnd", "namnd ", "6kar", "Stockhblm", "Soderort"]:
        assert damage not in text
    assert "Söderort" in text


def test_se_ovan_row_is_a_reference(bundled_plans):
    items = ActionItem.objects.filter(plan__slug="soderort-2030")
    reference = items.get(assignment="Se ovan")
    assert reference.title == "Kungens Kurva/Skärholmen"
    assert reference.see_above is not None
    assert reference.see_above.title == "Kungens Kurva/Skärholmen"
    assert reference.see_above.order < reference.order
    assert reference.see_above.assignment.startswith("Utveckla Kungens kurva")


def test_cut_off_cells_stay_cut_off(bundled_plans):
    item = ActionItem.objects.get(
        plan__slug="soderort-2030", title="Fler arbetsplatser"
    )
    assert item.expected_result.rstrip().endswith("…")
    assert "82 %" in item.schedule or "82 %" in item.schedule.replace("82%", "82 %")


def test_a_broken_file_loads_nothing_and_names_the_place(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(
        "organisations:\n  - name: Ny organisation\nplan:\n  slug: trasig\n"
        "  title: Trasig\n  kind: action_plan\n  owner: Finns inte\n"
        "  start_year: 2026\n  end_year: 2026\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("load_plans", str(path))
    assert "plan.owner" in str(exc.value)
    assert "Finns inte" in str(exc.value)
    assert not Organisation.objects.filter(name="Ny organisation").exists()


def test_a_file_in_another_encoding_is_reported(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("plan:\n  slug: s\n  title: Söderort\n".encode("latin-1"))
    with pytest.raises(CommandError) as exc:
        call_command("load_plans", str(path))
    assert "not UTF-8" in str(exc.value)


def test_invalid_yaml_is_reported_with_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("plan:\n  slug: [unclosed\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("load_plans", str(path))
    assert "line" in str(exc.value)


def test_dumpdata_contains_every_name(bundled_plans):
    out = io.StringIO()
    call_command("dumpdata", "plans", "stakeholders", stdout=out)
    dump = out.getvalue().encode().decode("unicode_escape", errors="ignore")
    raw = out.getvalue()
    for needle in [
        "Mona Boström",
        "Vesna Jovic",
        "Palle Lundberg",
        "Rune Fransson",
        "Catharina Ludwig",
        "Ingela Nylund-Watz",
        "Stärk begreppet Flemingsberg",
        "Kista Science City",
        "Skrubba",
        "Högdalen",
    ]:
        assert needle in raw or needle in dump, needle
