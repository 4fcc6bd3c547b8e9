"""The target trajectory of an indicator and the on-track evaluation."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from plans.models import Indicator, IndicatorTarget, IndicatorValue
from plans.services.indicators import (
    TOLERANCE,
    FollowUp,
    Status,
    Trajectory,
    evaluate,
    rule_text,
    visible_indicators,
)
from tests import factories

D = Decimal


def indicator(baseline_year=None, baseline_value=None, direction="higher"):
    """An unsaved indicator: trajectory and evaluation are plain calculations."""
    return Indicator(
        name="Andel",
        unit="%",
        direction=direction,
        baseline_year=baseline_year,
        baseline_value=None if baseline_value is None else D(baseline_value),
    )


def target(year, value, is_step=False, label=""):
    return IndicatorTarget(year=year, value=D(value), is_step=is_step, label=label)


def measured(date, value, value_high=None, pk=None):
    return IndicatorValue(
        pk=pk,
        date=date,
        value=D(value),
        value_high=None if value_high is None else D(value_high),
    )


@pytest.fixture
def soderort():
    """Baseline 78 % in 2010; milestones 82 % 2015 and 85 % 2020, goal 90 % 2030."""
    ind = indicator(2010, 78)
    targets = [target(2015, 82), target(2020, 85), target(2030, 90)]
    return ind, targets, Trajectory.for_indicator(ind, targets)


# ---------------------------------------------------------------------------
# Trajectory
# ---------------------------------------------------------------------------


class TestTrajectory:
    def test_a_year_stands_for_its_last_day(self, soderort):
        _ind, _targets, trajectory = soderort
        assert [p.date for p in trajectory.points] == [
            datetime.date(2010, 12, 31),
            datetime.date(2015, 12, 31),
            datetime.date(2020, 12, 31),
            datetime.date(2030, 12, 31),
        ]
        assert trajectory.points[0].is_baseline

    def test_expected_value_is_the_target_on_its_date(self, soderort):
        _ind, _targets, trajectory = soderort
        assert trajectory.expected_at(datetime.date(2015, 12, 31)) == D("82.00")
        assert trajectory.expected_at(datetime.date(2020, 12, 31)) == D("85.00")

    def test_expected_value_is_interpolated_linearly_between_targets(self, soderort):
        _ind, _targets, trajectory = soderort
        # 2018-07-02 is half-way (913 of 1827 days) from 2015-12-31 to 2020-12-31.
        middle = datetime.date(2018, 7, 1)
        days = (middle - datetime.date(2015, 12, 31)).days
        expected = D(82) + D(3) * D(days) / D(1827)
        assert trajectory.expected_at(middle) == expected.quantize(D("0.01"))
        assert D("83.40") < trajectory.expected_at(middle) < D("83.60")

    def test_expected_value_is_interpolated_from_the_baseline(self, soderort):
        _ind, _targets, trajectory = soderort
        assert trajectory.expected_at(datetime.date(2013, 7, 1)) == D("80.00")

    def test_before_the_baseline_the_baseline_is_expected(self, soderort):
        _ind, _targets, trajectory = soderort
        assert trajectory.expected_at(datetime.date(2001, 1, 1)) == D(78)

    def test_after_the_last_target_the_target_still_applies(self, soderort):
        _ind, _targets, trajectory = soderort
        assert trajectory.expected_at(datetime.date(2040, 6, 30)) == D(90)

    def test_a_step_target_is_reached_at_once_in_its_year(self):
        ind = indicator(2010, 100)
        trajectory = Trajectory.for_indicator(ind, [target(2015, 200, is_step=True)])
        assert trajectory.expected_at(datetime.date(2015, 12, 30)) == D(100)
        assert trajectory.expected_at(datetime.date(2015, 12, 31)) == D(200)
        assert trajectory.path() == [
            (datetime.date(2010, 12, 31), D(100)),
            (datetime.date(2015, 12, 31), D(100)),
            (datetime.date(2015, 12, 31), D(200)),
        ]

    def test_a_linear_path_has_one_corner_per_point(self, soderort):
        _ind, _targets, trajectory = soderort
        assert len(trajectory.path()) == 4

    def test_an_undated_target_is_not_on_the_timeline(self):
        ind = indicator()
        undated = target(None, 2500)
        trajectory = Trajectory.for_indicator(ind, [undated])
        assert trajectory.points == []
        assert trajectory.undated == [undated]
        assert not trajectory.has_targets
        assert trajectory.expected_at(datetime.date(2020, 1, 1)) is None

    def test_without_a_baseline_the_first_target_is_expected_before_it(self):
        trajectory = Trajectory.for_indicator(indicator(), [target(2011, 10)])
        assert trajectory.expected_at(datetime.date(2009, 6, 30)) == D(10)

    def test_a_baseline_without_a_year_is_not_a_point(self):
        trajectory = Trajectory.for_indicator(indicator(None, 50), [target(2020, 60)])
        assert len(trajectory.points) == 1

    def test_a_target_in_the_baseline_year_wins_on_that_date(self):
        trajectory = Trajectory.for_indicator(indicator(2015, 80), [target(2015, 82)])
        assert trajectory.expected_at(datetime.date(2015, 12, 31)) == D(82)

    def test_lower_is_better_trajectories_go_down(self):
        ind = indicator(2010, 10, direction="lower")
        trajectory = Trajectory.for_indicator(ind, [target(2020, 5)])
        assert trajectory.expected_at(datetime.date(2015, 12, 31)) == D("7.50")


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


class TestEvaluation:
    def test_no_values_yet(self, soderort):
        ind, targets, _trajectory = soderort
        evaluation = evaluate(ind, [], targets=targets)
        assert evaluation.status == Status.NO_VALUES
        assert evaluation.value is None

    def test_no_target(self):
        evaluation = evaluate(
            indicator(), [measured(datetime.date(2009, 6, 30), 15000)], targets=[]
        )
        assert evaluation.status == Status.NO_TARGET
        assert evaluation.value.value == 15000

    def test_only_an_undated_target_and_a_value_is_no_target_year(self):
        evaluation = evaluate(
            indicator(),
            [measured(datetime.date(2015, 1, 1), 1000)],
            targets=[target(None, 2500)],
        )
        assert evaluation.status == Status.NO_TARGET
        assert evaluation.undated_only
        with translation.override("en"):
            assert evaluation.label == "No target year"

    def test_an_undated_target_without_values_has_no_values_yet(self):
        evaluation = evaluate(indicator(), [], targets=[target(None, 2500)])
        assert evaluation.status == Status.NO_VALUES

    def test_a_value_on_the_trajectory_is_on_track(self, soderort):
        ind, targets, _trajectory = soderort
        value = measured(datetime.date(2015, 12, 31), 82)
        evaluation = evaluate(ind, [value], targets=targets)
        assert evaluation.status == Status.ON_TRACK
        assert evaluation.expected == D(82)
        assert evaluation.value is value

    def test_within_the_tolerance_is_on_track(self, soderort):
        ind, targets, _trajectory = soderort
        band = D(82) * TOLERANCE
        for value in (D(82) - band, D(82) + band):
            evaluation = evaluate(
                ind, [measured(datetime.date(2015, 12, 31), value)], targets=targets
            )
            assert evaluation.status == Status.ON_TRACK, value

    def test_below_the_trajectory_is_behind(self, soderort):
        ind, targets, _trajectory = soderort
        evaluation = evaluate(
            ind, [measured(datetime.date(2015, 12, 31), 79)], targets=targets
        )
        assert evaluation.status == Status.BEHIND

    def test_above_the_trajectory_is_ahead(self, soderort):
        ind, targets, _trajectory = soderort
        evaluation = evaluate(
            ind, [measured(datetime.date(2015, 12, 31), 86)], targets=targets
        )
        assert evaluation.status == Status.AHEAD

    def test_when_lower_is_better_a_low_value_is_ahead(self):
        ind = indicator(2010, 10, direction="lower")
        targets = [target(2020, 5)]
        date = datetime.date(2015, 12, 31)  # 7.50 expected
        assert evaluate(ind, [measured(date, 6)], targets=targets).status == (
            Status.AHEAD
        )
        assert evaluate(ind, [measured(date, 9)], targets=targets).status == (
            Status.BEHIND
        )
        assert evaluate(ind, [measured(date, "7.5")], targets=targets).status == (
            Status.ON_TRACK
        )

    def test_only_the_latest_value_counts(self, soderort):
        ind, targets, _trajectory = soderort
        values = [
            measured(datetime.date(2020, 12, 31), 85, pk=2),
            measured(datetime.date(2015, 12, 31), 70, pk=1),
        ]
        evaluation = evaluate(ind, values, targets=targets)
        assert evaluation.value.value == 85
        assert evaluation.status == Status.ON_TRACK

    def test_a_value_before_the_baseline_is_compared_with_the_baseline(self, soderort):
        ind, targets, _trajectory = soderort
        with translation.override("en"):
            evaluation = evaluate(
                ind, [measured(datetime.date(2005, 6, 30), 70)], targets=targets
            )
        assert evaluation.expected == D(78)
        assert evaluation.status == Status.BEHIND
        with translation.override("en"):
            assert any(
                "before the baseline year 2010" in str(n) for n in evaluation.notes
            )

    def test_a_value_after_a_target_in_the_past_is_held_to_that_target(self):
        ind = indicator()
        targets = [target(2011, 10)]
        with translation.override("en"):
            evaluation = evaluate(
                ind, [measured(datetime.date(2014, 12, 31), 8)], targets=targets
            )
        assert evaluation.expected == D(10)
        assert evaluation.status == Status.BEHIND
        with translation.override("en"):
            assert any("2011, has passed" in str(note) for note in evaluation.notes)

    def test_a_range_overlapping_the_expected_value_is_on_track(self):
        ind = indicator(2005, D("7000000000"))
        targets = [target(2010, D("9500000000"))]
        date = datetime.date(2008, 12, 31)  # 8.5 billion expected
        on_track = measured(date, 8_000_000_000, 9_000_000_000)
        assert evaluate(ind, [on_track], targets=targets).status == Status.ON_TRACK
        below = measured(date, 7_000_000_000, 8_000_000_000)
        assert evaluate(ind, [below], targets=targets).status == Status.BEHIND

    def test_the_rule_is_one_sentence_with_the_tolerance(self):
        with translation.override("en"):
            text = rule_text()
        assert text.count(".") == 1 and text.endswith(".")
        assert "within 2 % of it is on track" in text
        assert "ahead" in text and "behind" in text


# ---------------------------------------------------------------------------
# With the database: visibility and the follow-up of an indicator
# ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestFollowUp:
    def test_internal_values_do_not_count_for_anonymous_visitors(self, reader):
        ind = factories.IndicatorFactory(baseline_year=2020, baseline_value=50)
        factories.IndicatorTargetFactory(indicator=ind, year=2030, value=100)
        factories.IndicatorValueFactory(
            indicator=ind, date=datetime.date(2025, 12, 31), value=75
        )
        factories.IndicatorValueFactory(
            indicator=ind, date=datetime.date(2026, 12, 31), value=50, is_public=False
        )
        public = FollowUp.of(visible_indicators(None).get(pk=ind.pk))
        assert public.evaluation.status == Status.ON_TRACK
        assert [v.value for v in public.values] == [75]
        internal = FollowUp.of(visible_indicators(reader).get(pk=ind.pk))
        assert internal.evaluation.status == Status.BEHIND

    def test_internal_indicators_are_not_visible_to_anonymous_visitors(self, reader):
        hidden = factories.IndicatorFactory(is_public=False)
        assert not visible_indicators(None).filter(pk=hidden.pk).exists()
        assert visible_indicators(reader).filter(pk=hidden.pk).exists()

    def test_chart_rows_hold_targets_and_values_in_date_order(self):
        ind = factories.IndicatorFactory(
            unit="%", baseline_year=2010, baseline_value=78
        )
        factories.IndicatorTargetFactory(
            indicator=ind, year=2015, value=82, label="delmål"
        )
        factories.IndicatorTargetFactory(indicator=ind, year=None, value=95)
        factories.IndicatorValueFactory(
            indicator=ind, date=datetime.date(2013, 7, 1), value=D("80.5")
        )
        with translation.override("en"):
            rows = FollowUp.of(ind).chart_rows()
            assert [(r.when, str(r.what)) for r in rows] == [
                ("2010", "Baseline"),
                ("2013-07-01", "Measured value"),
                ("2015", "Target (delmål)"),
                ("no year given", "Target"),
            ]
        assert rows[1].expected == "80\N{NO-BREAK SPACE}%"
        assert rows[1].measured == "80.5\N{NO-BREAK SPACE}%"
