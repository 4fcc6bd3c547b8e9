"""The checks and helpers of the bad-input suite do catch what they look for."""

import pytest
from django.utils.html import escape

from tests.fuzz.checks import injection_problems
from tests.fuzz.forms import parse_form
from tests.fuzz.strategies import MARKUP, RawBytes, encode, query_string


@pytest.mark.parametrize(
    "page",
    [
        "<p><script>alert(1)</script></p>",
        '<input value=""><img src=x onerror=alert(1)>">',
        "<p>'><svg onload=alert(1)></p>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<input value="" x-fuzz="1">',
        "<title></title><x-fuzz>",
        "<div><script>var a = 1;</script></div>",
        '<p onclick="go()">x</p>',
    ],
)
def test_unescaped_markup_is_found(page):
    assert injection_problems(page)


@pytest.mark.parametrize("payload", MARKUP)
def test_every_payload_escaped_is_clean(payload):
    page = (
        f"<html><head><title>{escape(payload)}</title></head><body>"
        f'<input name="q" value="{escape(payload)}"><p>{escape(payload)}</p>'
        f"<textarea>{escape(payload)}</textarea>"
        '<script src="/static/app.js"></script>'
        '<script type="application/json">{"a": "\\u003Cx-fuzz\\u003E"}</script>'
        "</body></html>"
    )
    assert injection_problems(page) == []


@pytest.mark.parametrize("payload", [p for p in MARKUP if "<" in p or "x-fuzz=" in p])
def test_every_markup_payload_raw_in_an_attribute_or_text_is_found(payload):
    pages = [
        f'<input name="q" value="{payload}">',
        f"<input name='q' value='{payload}'>",
        f"<p>{payload}</p>",
    ]
    assert any(injection_problems(page) for page in pages), payload


def test_raw_bytes_are_sent_as_they_are():
    assert encode(RawBytes(b"\xff\x00")) == "%FF%00"
    assert encode("å <") == "%C3%A5%20%3C"
    assert query_string([("a", "1"), ("a", "2")], ["%zz"]) == "a=1&a=2&%zz"


def test_a_form_is_read_as_a_browser_submits_it():
    form = parse_form(
        '<form id="f"><input name="t" value="x"><input type="checkbox" name="c">'
        '<input type="checkbox" name="d" value="1" checked>'
        '<select name="s"><option value="a">A</option><option value="b">B</option>'
        "</select>"
        '<select name="m" multiple><option value="1" selected>1</option>'
        '<option value="2" selected>2</option></select>'
        '<textarea name="ta">\nhej</textarea><input type="submit" name="_save">'
        "</form>",
        "f",
    )
    assert form.data() == {
        "t": ["x"],
        "d": ["1"],
        "s": ["a"],
        "m": ["1", "2"],
        "ta": ["hej"],
    }
    assert form.controls["s"].options == ["a", "b"]
