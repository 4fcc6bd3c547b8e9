"""LeanSelect writes the markup Django's Select template writes."""

from html.parser import HTMLParser

import pytest
from django import forms

from plans.widgets import LeanSelect


class _Tags(HTMLParser):
    """Start tags with their attributes as sets, and the text, in order."""

    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        self.items.append(("start", tag, frozenset(attrs)))

    def handle_endtag(self, tag):
        self.items.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data.strip()))


def _parsed(html):
    parser = _Tags()
    parser.feed(str(html))
    return parser.items


CHOICES = [
    ("", "Alla"),
    ("Plan <A> & B", [("1", 'F1 "Citat"'), ("2", "F2 <b>fet</b>")]),
    ("Plan 2", [("3", "Åtgärd å ä ö")]),
    ("4", "Utan grupp"),
]


@pytest.mark.parametrize("value", [None, "", "2", ["3"], "okänd <x>"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_f", "aria-describedby": "id_f-errors", "required": True}]
)
def test_lean_select_matches_django_select(value, attrs):
    lean = LeanSelect(choices=CHOICES).render("focus_area", value, attrs)
    django = forms.Select(choices=CHOICES).render("focus_area", value, attrs)
    assert _parsed(lean) == _parsed(django)


def test_lean_select_marks_the_selected_option_and_escapes():
    html = LeanSelect(choices=CHOICES).render("f", "2", {"id": "id_f"})
    assert '<option value="2" selected>F2 &lt;b&gt;fet&lt;/b&gt;</option>' in html
    assert '<optgroup label="Plan &lt;A&gt; &amp; B">' in html
    assert html.count(" selected") == 1
