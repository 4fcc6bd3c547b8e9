"""The parser that reads targets out of plan text."""

from decimal import Decimal

import pytest

from plans.services.targets import Kind, parse_targets, suggestion_groups, to_decimal

D = Decimal
NBSP = "\N{NO-BREAK SPACE}"
THIN = "\N{NARROW NO-BREAK SPACE}"


def numbers(*texts):
    """(value, unit, year) of every suggestion, in order."""
    return [(s.value, s.unit, s.year) for s in parse_targets(*texts)]


def only(*texts):
    suggestions = parse_targets(*texts)
    assert len(suggestions) == 1, suggestions
    return suggestions[0]


# ---------------------------------------------------------------------------
# The target sentences of the seed plans
# ---------------------------------------------------------------------------


class TestSeedPlans:
    def test_soderort_working_day_population_with_its_milestones(self):
        """Söderort row 2: the expected result and the schedule together."""
        expected_result = (
            "Kvoten mellan dag och nattbefolkning ökar så att andelen "
            "förvärvsarbetande dagbefolkning utgör minst 90 % av …"
        )
        schedule = "Uppnått 2030, delmål: 82 % år 2015, 85% år 2020"
        suggestions = parse_targets(expected_result, schedule)
        assert [(s.value, s.unit, s.year, s.label) for s in suggestions] == [
            (D(90), "%", 2030, "minst"),
            (D(82), "%", 2015, "delmål"),
            (D(85), "%", 2020, "delmål"),
        ]
        assert suggestions[0].kind == Kind.MINIMUM

    def test_minst_90_procent_alone_has_no_year(self):
        suggestion = only("andelen förvärvsarbetande dagbefolkning utgör minst 90 %")
        assert (suggestion.value, suggestion.unit, suggestion.year) == (
            D(90),
            "%",
            None,
        )
        assert suggestion.kind == Kind.MINIMUM

    def test_milestones_are_labelled_delmal(self):
        suggestions = parse_targets("delmål: 82 % år 2015, 85% år 2020")
        assert [(s.value, s.year, s.label) for s in suggestions] == [
            (D(82), 2015, "delmål"),
            (D(85), 2020, "delmål"),
        ]

    def test_additional_workplaces_at_telefonplan(self):
        suggestion = only(
            "Bibehålla och utveckla befintliga arbetsplatser samt verka för "
            "ytterligare 2500 arbetsplatser."
        )
        assert (suggestion.value, suggestion.unit, suggestion.year) == (
            D(2500),
            "arbetsplatser",
            None,
        )
        assert suggestion.kind == Kind.INCREASE
        assert suggestion.label == "ytterligare"
        assert suggestion.text == "ytterligare 2500 arbetsplatser"

    def test_about_ten_new_companies_a_year(self):
        suggestion = only(
            "Innovationssystemet (med Karolinska Universitetssjukhuset, KI, KTH, SH, "
            "CTMH, KISP mfl.) är en motor för tillväxt. Det innebär att ett tiotal "
            "nya företag föds varje år och att ett flertal företag väljer att "
            "etablera sig i Flemingsberg."
        )
        assert (suggestion.value, suggestion.unit) == (D(10), "företag/år")
        assert suggestion.approximate
        assert suggestion.kind == Kind.APPROXIMATE
        assert suggestion.label == "ett tiotal"

    def test_turnover_of_8_to_9_billion_in_2008(self):
        suggestion = only(
            "Den sammanlagda omsättningen hos dessa verksamheter är "
            "8-9 miljarder kr/år (2008)."
        )
        assert suggestion.value == D(8_000_000_000)
        assert suggestion.value_high == D(9_000_000_000)
        assert suggestion.unit == "kr/år"
        assert suggestion.year == 2008
        assert suggestion.kind == Kind.RANGE

    def test_about_15_000_students(self):
        suggestion = only(
            "Omkring 15 000 människor studerar i Flemingsberg och antalet "
            "förväntas öka."
        )
        assert (suggestion.value, suggestion.unit) == (D(15000), "människor")
        assert suggestion.approximate

    def test_about_20_research_intensive_companies(self):
        suggestion = only(
            "Omkring 20 forskningsintensiva företag verkar inom life science i och "
            "nära Flemingsberg."
        )
        assert (suggestion.value, suggestion.unit) == (D(20), "företag")

    def test_funding_per_year(self):
        assert numbers(
            "Finansiering: SLL (1 miljon kr/år), Huddinge (1 miljon kr/år) och "
            "Botkyrka (500 000 kr/år)."
        ) == [(D(1_000_000), "kr/år", None), (D(500_000), "kr/år", None)]

    @pytest.mark.django_db
    def test_every_bundled_target_is_found_in_its_source_text(self, bundled_plans):
        """The parser reproduces each bundled indicator's dated targets."""
        from plans.models import ActionItem, IndicatorTarget, TargetStatement

        row = ActionItem.objects.get(plan__slug="soderort-2030", code="2")
        parsed = {
            (s.value, s.year) for s in parse_targets(row.expected_result, row.schedule)
        }
        bundled = set(
            IndicatorTarget.objects.filter(indicator__action_items=row).values_list(
                "value", "year"
            )
        )
        assert bundled == {(D(82), 2015), (D(85), 2020), (D(90), 2030)}
        assert parsed == bundled

        telefonplan = ActionItem.objects.get(plan__slug="soderort-2030", code="6")
        assert numbers(telefonplan.schedule) == [(D(2500), "arbetsplatser", None)]

        statement = TargetStatement.objects.get(
            plan__slug="verksamhetsplan-2009-2011", order=7
        )
        assert numbers(statement.text) == [(D(10), "företag/år", None)]


# ---------------------------------------------------------------------------
# Tricky ones
# ---------------------------------------------------------------------------


class TestTricky:
    @pytest.mark.parametrize(
        "text",
        [
            "8-9 miljarder",
            "8–9 miljarder",
            "8 – 9 miljarder",
            "mellan 8 och 9 miljarder",
        ],
    )
    def test_ranges(self, text):
        suggestion = only(text)
        assert suggestion.kind == Kind.RANGE
        assert (suggestion.value, suggestion.value_high) == (D(8e9), D(9e9))

    @pytest.mark.parametrize("word", ["ca", "ca.", "cirka", "omkring", "ungefär"])
    def test_approximately(self, word):
        suggestion = only(f"{word} 15 000 studenter")
        assert (suggestion.value, suggestion.unit) == (D(15000), "studenter")
        assert suggestion.approximate
        assert suggestion.kind == Kind.APPROXIMATE

    @pytest.mark.parametrize("space", [" ", NBSP, THIN, "\N{THIN SPACE}"])
    def test_thousands_separated_by_any_space(self, space):
        assert numbers(f"ca 15{space}000 studenter") == [(D(15000), "studenter", None)]
        assert numbers(f"1{space}000{space}000 kr") == [(D(1_000_000), "kr", None)]

    def test_thousands_separated_by_points(self):
        assert numbers("15.000 besökare") == [(D(15000), "besökare", None)]

    @pytest.mark.parametrize(
        "text, value",
        [("2,5 %", D("2.5")), ("0,75 procent", D("0.75")), ("12,25 %", D("12.25"))],
    )
    def test_decimal_comma(self, text, value):
        assert numbers(text) == [(value, "%", None)]

    def test_percent_written_out(self):
        assert numbers("85 procent år 2020") == [(D(85), "%", 2020)]

    def test_at_most_is_a_maximum(self):
        suggestion = only("Arbetslösheten ska vara högst 2,5 % år 2020")
        assert suggestion.kind == Kind.MAXIMUM
        assert (suggestion.value, suggestion.year) == (D("2.5"), 2020)

    def test_a_year_before_the_number_dates_it(self):
        assert numbers("Till 2020 ska andelen vara 85 %.") == [(D(85), "%", 2020)]

    def test_a_year_a_few_words_after_the_number_dates_it(self):
        assert numbers(
            "Minst 12 nya företag per år till 2011, ca 40 företag i inkubatorn (2010)."
        ) == [(D(12), "företag/år", 2011), (D(40), "företag", 2010)]

    def test_a_year_after_the_next_number_belongs_to_that_number(self):
        assert numbers("82 % år 2015 och 85 % år 2020") == [
            (D(82), "%", 2015),
            (D(85), "%", 2020),
        ]
        assert numbers("500 bostäder och 200 arbetsplatser år 2020") == [
            (D(500), "bostäder", None),
            (D(200), "arbetsplatser", 2020),
        ]

    def test_a_year_in_parentheses_dates_the_number(self):
        assert numbers("8 000 företag (2009)") == [(D(8000), "företag", 2009)]

    def test_scale_words(self):
        assert numbers("5 miljoner kronor") == [(D(5_000_000), "kronor", None)]
        assert numbers("3 mkr") == [(D(3_000_000), "kr", None)]
        assert numbers("2 tusen besökare") == [(D(2000), "besökare", None)]

    @pytest.mark.parametrize(
        "word, value", [("tjugotal", 20), ("hundratal", 100), ("dussin", 12)]
    )
    def test_approximate_numerals(self, word, value):
        suggestion = only(f"ett {word} nya företag")
        assert (suggestion.value, suggestion.unit) == (D(value), "företag")
        assert suggestion.approximate

    def test_dates_periods_and_years_are_not_values(self):
        assert parse_targets("Arbetsmaterial 2010-04-15") == []
        assert parse_targets("Verksamhetsplan 2009–2011") == []
        assert parse_targets("Handlingsplan för program/vision Söderort 2030") == []
        assert parse_targets("Strategi klar hösten 2010") == []

    def test_a_year_beside_a_thousands_number_is_kept_apart(self):
        assert numbers("år 2015 100 000 besökare") == [(D(100_000), "besökare", 2015)]

    def test_a_standalone_year_dates_only_a_single_undated_goal(self):
        assert numbers("Uppnått 2030", "minst 90 %") == [(D(90), "%", 2030)]
        # Two undated goals: which one the year belongs to is not clear.
        assert numbers(
            "Uppnått 2030", "minst 90 %", "ytterligare 2500 arbetsplatser"
        ) == [
            (D(90), "%", None),
            (D(2500), "arbetsplatser", None),
        ]

    def test_text_without_numbers_gives_nothing(self):
        assert parse_targets("Utveckla samverkan med näringslivet", "", None) == []

    def test_the_same_target_twice_is_suggested_once(self):
        assert numbers("minst 90 % år 2030", "90 % år 2030") == [(D(90), "%", 2030)]

    def test_to_decimal(self):
        assert to_decimal("15 000") == D(15000)
        assert to_decimal(f"2{NBSP}500,5") == D("2500.5")
        assert to_decimal("15.000") == D(15000)
        assert to_decimal("2,5") == D("2.5")


def test_suggestions_are_grouped_by_unit_with_dated_ones_first():
    groups = suggestion_groups(
        parse_targets(
            "ytterligare 2500 arbetsplatser till 2025",
            "minst 90 %",
            "Uppnått 2030, delmål: 82 % år 2015, 85% år 2020",
        )
    )
    assert [(unit, [(s.value, s.year) for s in items]) for unit, items in groups] == [
        ("arbetsplatser", [(D(2500), 2025)]),
        ("%", [(D(82), 2015), (D(85), 2020), (D(90), 2030)]),
    ]
