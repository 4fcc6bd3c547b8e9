"""An indicator's figures as CSV or JSON (``/indicators/<pk>/series.<fmt>``).

Baseline, targets and the measured values the visitor may see, one row each,
under stable English keys (the CSV's headings too). The JSON adds the
indicator and its status.
"""

from plans.exports.files import Column, Table, download, file_format
from plans.formatting import trimmed
from plans.services.indicators import rule_text

SERIES_FORMATS = ("csv", "json")
SERIES_KEYS = [
    "kind",
    "date",
    "year",
    "value",
    "value_high",
    "expected",
    "label",
    "source",
    "note",
]
TEXT_KEYS = {"label", "source", "note"}


def _number(value):
    """A figure without trailing zeros (80.50 → 80.5), written as it is."""
    return None if value is None else trimmed(value)


def _row(**cells):
    return [cells.get(key, "" if key in TEXT_KEYS else None) for key in SERIES_KEYS]


def series_table(follow_up):
    """Baseline, targets and visible measured values as rows."""
    indicator = follow_up.indicator
    rows = []
    if indicator.baseline_value is not None:
        rows.append(
            _row(
                kind="baseline",
                year=indicator.baseline_year,
                value=_number(indicator.baseline_value),
            )
        )
    for target in follow_up.targets:
        rows.append(
            _row(
                kind="target",
                year=target.year,
                value=_number(target.value),
                label=target.label,
                note="step" if target.is_step else "",
            )
        )
    for value in follow_up.values:
        rows.append(
            _row(
                kind="value",
                date=value.date,
                year=value.date.year,
                value=_number(value.value),
                value_high=_number(value.value_high),
                expected=_number(follow_up.trajectory.expected_at(value.date)),
                source=value.source,
                note=value.note,
            )
        )
    columns = [Column(key, key) for key in SERIES_KEYS]
    return Table(columns, rows, title=indicator.slug)


def series_download(follow_up, extension, request):
    """The series as CSV, or as JSON with the indicator and its status."""
    indicator = follow_up.indicator
    table = series_table(follow_up)
    data = table
    if extension == "json":
        evaluation = follow_up.evaluation
        data = {
            "indicator": {
                "id": indicator.pk,
                "name": indicator.name,
                "slug": indicator.slug,
                "unit": indicator.unit,
                "direction": indicator.direction,
                "baseline_year": indicator.baseline_year,
                "baseline_value": _number(indicator.baseline_value),
                "url": request.build_absolute_uri(indicator.get_absolute_url()),
            },
            "status": {
                "status": evaluation.status,
                "label": str(evaluation.label),
                "expected": _number(evaluation.expected),
                "rule": rule_text(),
            },
            "series": table.records(),
        }
    return download(data, file_format(extension), indicator.slug)
