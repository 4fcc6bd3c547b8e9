"""The status badge and progress bar tags: one template each, drawn in the
active language; the date flag "Passerat slutdatum" beside any open item past
its end date (a status "Försenad" is a different thing)."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from plans.models import ActionItem

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=1)


def flag(text, due):
    """The date flag as includes/_past_end_date.html draws it (SVG left out)."""
    return (
        '<span class="badge badge--late"><svg>'
        f'<span>{text} <time datetime="{due.isoformat()}">'
    )


def without_svg(html):
    return re.sub(r"<svg .*?</svg>", "<svg>", html)


def render(source, **context):
    return Template("{% load plan_items %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        ("ongoing", None, '<span class="badge badge--ongoing">Pågående</span>'),
        (
            "ongoing",
            PAST,
            '<span class="badge badge--ongoing">Pågående</span> '
            + flag("Passerat slutdatum", PAST),
        ),
        # The status and the date flag are different things: both show.
        (
            "delayed",
            PAST,
            '<span class="badge badge--delayed">Försenad</span> '
            + flag("Passerat slutdatum", PAST),
        ),
        ("done", PAST, '<span class="badge badge--done">Klar</span>'),
        ("cancelled", PAST, '<span class="badge badge--cancelled">Avbruten</span>'),
    ],
)
def test_an_items_badge_follows_its_status_and_lateness(status, due, expected):
    item = ActionItem(status=status, due_date=due)
    html = without_svg(render("{% status_badge item %}", item=item))
    assert html.startswith(expected)
    assert ("badge--late" in html) is ("badge--late" in expected)


def test_the_badge_follows_the_active_language():
    item = ActionItem(status="ongoing", due_date=PAST)
    with translation.override("en"):
        english = render("{% status_badge item %}", item=item)
    swedish = render("{% status_badge item %}", item=item)
    assert without_svg(english).startswith(
        '<span class="badge badge--ongoing">Ongoing</span> '
        + flag("Past end date", PAST)
    )
    assert "Pågående" in swedish and "Passerat slutdatum" in swedish


def test_a_badge_of_a_status_alone_and_of_a_row_without_lateness():
    assert render('{% status_badge status="paused" %}') == (
        '<span class="badge badge--paused">Pausad</span>'
    )

    class FrozenRow:
        status = "ongoing"

    assert render("{% status_badge row %}", row=FrozenRow()) == (
        '<span class="badge badge--ongoing">Pågående</span>'
    )
    assert render("{% status_badge status=status %}", status="<x>") == (
        '<span class="badge badge--&lt;x&gt;">&lt;x&gt;</span>'
    )


@pytest.mark.parametrize(
    ("value", "width"), [(0, 0), (35, 35), (100, 100), (None, 0), (-5, 0), (150, 100)]
)
def test_the_progress_bar_width_is_a_whole_percentage(value, width):
    html = render("{% progress_bar value %}", value=value)
    assert f'progress__fill--{width}"' in html
    assert f">{width} %<" in html
    with translation.override("en"):
        assert "done</span>" in render("{% progress_bar value %}", value=value)
