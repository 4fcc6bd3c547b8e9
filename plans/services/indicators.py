"""Following up an indicator: its target trajectory and whether it is on track.

The *trajectory* is the line the plans draw from the baseline through the
targets: the expected value at any date is interpolated linearly between two
neighbouring points, or held until a target marked as a step is due. A year
stands for its last day, so "82 % år 2015" is due on 31 December 2015. Before
the first point the trajectory holds the first value; after the last target it
holds that target (a target in the past still applies). Targets without a year
are shown, but have no place on the timeline.

The *evaluation* compares the latest measured value the visitor may see with the
value the trajectory expects on its date (see ``RULE``).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from plans.formatting import (
    format_amount,
    format_compact_range,
    format_number,
    format_range,
    long_date,
    trimmed,
)
from plans.models import Indicator, IndicatorTarget, IndicatorValue

#: Within this share of the expected value a measured value counts as on track.
TOLERANCE = Decimal("0.02")
CENT = Decimal("0.01")

RULE = _(
    "The latest measured value is compared with the value the trajectory from "
    "the baseline through the targets expects on its date: within "
    "%(tolerance)s %% of it is on track, better is ahead and worse is behind."
)


def rule_text():
    """The evaluation rule as one sentence, with the tolerance filled in."""
    return RULE % {"tolerance": format_number(TOLERANCE * 100)}


def year_end(year):
    """The date a year's target or baseline stands for: its last day."""
    return datetime.date(year, 12, 31)


def format_measurement(value, unit=""):
    """A measured value, or its range "8–9", with the unit."""
    return format_range(value.value, value.value_high, unit)


# ---------------------------------------------------------------------------
# The trajectory
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrajectoryPoint:
    """The baseline or a dated target: a corner of the trajectory."""

    date: datetime.date
    value: Decimal
    is_baseline: bool = False
    is_step: bool = False
    label: str = ""

    @property
    def year(self):
        return self.date.year


@dataclass
class Trajectory:
    """The expected course of an indicator from its baseline through its targets."""

    points: list = field(default_factory=list)
    undated: list = field(default_factory=list)  # targets without a year

    @classmethod
    def for_indicator(cls, indicator, targets=None):
        """The trajectory of ``indicator``; ``targets`` saves a query when given."""
        if targets is None:
            targets = indicator.targets.all()
        points = []
        if indicator.baseline_year and indicator.baseline_value is not None:
            points.append(
                TrajectoryPoint(
                    date=year_end(indicator.baseline_year),
                    value=indicator.baseline_value,
                    is_baseline=True,
                )
            )
        undated = []
        for target in targets:
            if target.year is None:
                undated.append(target)
                continue
            points.append(
                TrajectoryPoint(
                    date=year_end(target.year),
                    value=target.value,
                    is_step=target.is_step,
                    label=target.label,
                )
            )
        # At the same date the target comes after the baseline, so it wins.
        points.sort(key=lambda p: (p.date, not p.is_baseline))
        return cls(points=points, undated=undated)

    @property
    def has_targets(self):
        return any(not point.is_baseline for point in self.points)

    @property
    def start(self):
        return self.points[0] if self.points else None

    @property
    def last_target(self):
        targets = [point for point in self.points if not point.is_baseline]
        return targets[-1] if targets else None

    def expected_at(self, date):
        """The value the trajectory expects on ``date`` (None without points)."""
        if not self.points:
            return None
        if date < self.points[0].date:
            return self.points[0].value
        before = [point for point in self.points if point.date <= date]
        after = [point for point in self.points if point.date > date]
        previous = before[-1]
        if not after:
            return previous.value
        following = after[0]
        if following.is_step:
            return previous.value
        days = (following.date - previous.date).days
        elapsed = (date - previous.date).days
        value = previous.value + (following.value - previous.value) * Decimal(
            elapsed
        ) / Decimal(days)
        return value.quantize(CENT, rounding=ROUND_HALF_UP)

    def path(self):
        """The corners of the drawn line: (date, value), with a step drawn square."""
        corners = []
        for index, point in enumerate(self.points):
            if point.is_step and index > 0:
                corners.append((point.date, self.points[index - 1].value))
            corners.append((point.date, point.value))
        return corners


# ---------------------------------------------------------------------------
# The evaluation
# ---------------------------------------------------------------------------


class Status(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AHEAD = "ahead", _("Ahead")
    BEHIND = "behind", _("Behind")
    NO_VALUES = "no_values", _("No values yet")
    NO_TARGET = "no_target", _("No target")


@dataclass
class Evaluation:
    """Where an indicator stands: the status and what it was judged on."""

    status: str
    value: object = None  # the latest measured value (an IndicatorValue)
    expected: Decimal | None = None
    notes: list = field(default_factory=list)
    undated_only: bool = False  # the only targets have no year

    @property
    def label(self):
        if self.status == Status.NO_TARGET and self.undated_only:
            return _("No target year")
        return Status(self.status).label

    @property
    def expected_number(self):
        return trimmed(self.expected)

    @property
    def is_evaluated(self):
        return self.status in (Status.ON_TRACK, Status.AHEAD, Status.BEHIND)


def latest_value(values):
    """The most recent of ``values`` (by date, then by entry)."""
    values = list(values)
    if not values:
        return None
    return max(values, key=lambda value: (value.date, value.pk or 0))


def compare(value, expected, direction):
    """On track, ahead or behind: ``value`` (an IndicatorValue) against ``expected``.

    A range counts as on track when any part of it lies within the tolerance.
    """
    band = abs(expected) * TOLERANCE
    low = value.value
    high = value.value_high if value.value_high is not None else value.value
    if direction == Indicator.Direction.LOWER:
        if low > expected + band:
            return Status.BEHIND
        if high < expected - band:
            return Status.AHEAD
        return Status.ON_TRACK
    if high < expected - band:
        return Status.BEHIND
    if low > expected + band:
        return Status.AHEAD
    return Status.ON_TRACK


def evaluate(indicator, values, trajectory=None, targets=None):
    """Judge the latest of ``values`` (the ones the visitor may see)."""
    trajectory = trajectory or Trajectory.for_indicator(indicator, targets)
    unit = indicator.unit
    latest = latest_value(values)
    undated_note = _(
        "The target has no year, so there is no trajectory to compare with."
    )
    if latest is None and (trajectory.has_targets or trajectory.undated):
        notes = [_("No value has been measured yet.")]
        if not trajectory.has_targets:
            notes.append(undated_note)
        return Evaluation(status=Status.NO_VALUES, notes=notes)
    if not trajectory.has_targets:
        if trajectory.undated:
            return Evaluation(
                status=Status.NO_TARGET,
                value=latest,
                notes=[undated_note],
                undated_only=True,
            )
        return Evaluation(
            status=Status.NO_TARGET,
            value=latest,
            notes=[_("This indicator has no target to compare with.")],
        )
    expected = trajectory.expected_at(latest.date)
    evaluation = Evaluation(
        status=compare(latest, expected, indicator.direction),
        value=latest,
        expected=expected,
    )
    evaluation.notes.append(
        _("Measured %(value)s on %(date)s; the trajectory expects %(expected)s.")
        % {
            "value": format_measurement(latest, unit),
            "date": latest.date.isoformat(),
            "expected": format_amount(expected, unit),
        }
    )
    start = trajectory.start
    if latest.date < start.date:
        if start.is_baseline:
            evaluation.notes.append(
                _(
                    "The value was measured before the baseline year %(year)s, "
                    "so it is compared with the baseline."
                )
                % {"year": start.year}
            )
        else:
            evaluation.notes.append(
                _(
                    "There is no baseline, so the first target (%(year)s) is "
                    "expected from the start."
                )
                % {"year": start.year}
            )
    last = trajectory.last_target
    if latest.date > last.date:
        evaluation.notes.append(
            _("The last target year, %(year)s, has passed: its target still applies.")
            % {"year": last.year}
        )
    return evaluation


# ---------------------------------------------------------------------------
# An indicator ready for a page
# ---------------------------------------------------------------------------


@dataclass
class FollowUp:
    """An indicator with its targets, visible values, trajectory and evaluation."""

    indicator: Indicator
    targets: list
    values: list
    trajectory: Trajectory
    evaluation: Evaluation

    @classmethod
    def of(cls, indicator, targets=None, values=None):
        """Build from prefetched ``target_list``/``value_list`` when present."""
        if targets is None:
            targets = getattr(indicator, "target_list", None)
            if targets is None:
                targets = list(indicator.targets.all())
        if values is None:
            values = getattr(indicator, "value_list", None)
            if values is None:
                values = list(indicator.values.all())
        trajectory = Trajectory.for_indicator(indicator, targets)
        return cls(
            indicator=indicator,
            targets=list(targets),
            values=list(values),
            trajectory=trajectory,
            evaluation=evaluate(indicator, values, trajectory),
        )

    @property
    def latest(self):
        return self.evaluation.value or latest_value(self.values)

    def describe(self):
        """What the indicator's chart shows, in words, for its ``<desc>``."""
        trajectory, unit = self.trajectory, self.indicator.unit
        parts = []
        if trajectory.start and trajectory.start.is_baseline:
            parts.append(
                _("Baseline %(value)s in %(year)s.")
                % {
                    "value": format_amount(trajectory.start.value, unit),
                    "year": trajectory.start.year,
                }
            )
        targets = [point for point in trajectory.points if not point.is_baseline]
        if targets:
            parts.append(
                _("Targets: %(targets)s.")
                % {
                    "targets": ", ".join(
                        f"{format_amount(p.value, unit)} {p.year}" for p in targets
                    )
                }
            )
        for target in trajectory.undated:
            parts.append(
                _("Target without a year: %(value)s.")
                % {"value": format_amount(target.value, unit)}
            )
        if self.values:
            latest = self.latest
            parts.append(
                ngettext(
                    "%(count)s measured value: %(value)s on %(date)s.",
                    "%(count)s measured values, the latest %(value)s on %(date)s.",
                    len(self.values),
                )
                % {
                    "count": len(self.values),
                    "value": format_measurement(latest, unit),
                    "date": latest.date.isoformat(),
                }
            )
        else:
            parts.append(_("No measured values yet."))
        parts.append(_("The table next to the chart holds the same figures."))
        return " ".join(str(part) for part in parts)

    def key_figures(self):
        """The latest value, baseline, targets and status, for a key-figure box
        (``plans.charts`` draws no chart under two measured values)."""
        unit, latest, evaluation = self.indicator.unit, self.latest, self.evaluation
        targets = [
            _("%(value)s by %(year)s")
            % {"value": format_amount(point.value, unit), "year": point.year}
            for point in self.trajectory.points
            if not point.is_baseline
        ]
        targets += [
            _("%(value)s (no year)") % {"value": format_amount(target.value, unit)}
            for target in self.trajectory.undated
        ]
        start = self.trajectory.start
        baseline = ""
        if start is not None and start.is_baseline:
            baseline = _("%(value)s in %(year)s") % {
                "value": format_amount(start.value, unit),
                "year": start.year,
            }
        expected = ""
        if evaluation.expected is not None:
            expected = _("the trajectory expects %(value)s") % {
                "value": format_amount(evaluation.expected_number, unit)
            }
        return KeyFigures(
            latest=_figure(latest.value, latest.value_high, unit) if latest else "",
            latest_date=latest.date if latest else None,
            latest_date_text=long_date(latest.date, get_language()) if latest else "",
            baseline=baseline,
            targets=targets,
            status=evaluation.status,
            status_label=str(evaluation.label),
            expected=expected,
        )

    def chart_rows(self):
        """The chart's data as table rows: when, what, expected and measured.

        Billions and millions are shortened as on the chart's axis, so that the
        table fits beside the chart and on a phone.
        """
        unit = self.indicator.unit
        rows = []
        for point in self.trajectory.points:
            rows.append(
                ChartRow(
                    sort_key=(0, point.date, 0),
                    when=str(point.year),
                    what=_target_name(point.label, point.is_baseline),
                    expected=_figure(point.value, unit=unit),
                )
            )
        for value in self.values:
            rows.append(
                ChartRow(
                    sort_key=(0, value.date, 1),
                    when=value.date.isoformat(),
                    what=_("Measured value"),
                    expected=_figure(
                        self.trajectory.expected_at(value.date), unit=unit
                    ),
                    measured=_figure(value.value, value.value_high, unit),
                    is_date=True,
                )
            )
        for target in self.trajectory.undated:
            rows.append(
                ChartRow(
                    sort_key=(1, datetime.date.min, 0),
                    when=_("no year given"),
                    what=_target_name(target.label),
                    expected=_figure(target.value, unit=unit),
                )
            )
        rows.sort(key=lambda row: row.sort_key)
        return rows


def _figure(value, high=None, unit=""):
    return "" if value is None else format_compact_range(value, high, unit)


#: Labels that only say "target": they add nothing to the name ("Mål (mål)").
PLAIN_TARGET_LABELS = {"mål", "target"}


def _target_name(label, is_baseline=False):
    if is_baseline:
        return _("Baseline")
    name = _("Target")
    plain = PLAIN_TARGET_LABELS | {str(name).casefold()}
    if label and label.strip().casefold() not in plain:
        return _("Target (%(label)s)") % {"label": label}
    return name


@dataclass
class KeyFigures:
    """What the key-figure box of an indicator shows, written out."""

    latest: str
    latest_date: datetime.date | None
    latest_date_text: str
    baseline: str
    targets: list
    status: str
    status_label: str
    expected: str
    template = "plans/charts/_key_figures.html"


@dataclass
class ChartRow:
    """A row of the table beside an indicator's chart."""

    sort_key: tuple
    when: str
    what: str
    expected: str = ""
    measured: str = ""
    is_date: bool = False


def visible_indicators(user):
    """Indicators ``user`` may see, with targets and visible values prefetched."""
    return Indicator.objects.visible_to(user).prefetch_related(
        Prefetch(
            "targets",
            queryset=IndicatorTarget.objects.order_by("year"),
            to_attr="target_list",
        ),
        Prefetch(
            "values",
            queryset=IndicatorValue.objects.visible_to(user).order_by("date", "pk"),
            to_attr="value_list",
        ),
    )
