"""Hostile values for query strings, form fields and import cells.

A value is a ``str`` (sent percent-encoded as UTF-8) or a ``RawBytes`` (sent as
percent-encoded raw bytes, e.g. ``%FF``: invalid UTF-8 that an HTTP client can
send, unlike a lone surrogate, which it cannot encode at all).
"""

import string
from urllib.parse import quote

from hypothesis import strategies as st


class RawBytes(bytes):
    """Bytes sent as they are, percent-encoded: ``b"\\xff"`` becomes ``%FF``."""


# Fragments that must never come back unescaped in an HTML page. Every one of
# them either contains "<x-fuzz" / "x-fuzz=" or is listed in checks.RAW_PAYLOADS.
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<x-fuzz>",
    "<x-fuzz onmouseover=alert(1)>",
    '" x-fuzz="1',
    "' x-fuzz='1",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<!--x-fuzz",
    "]]>",
    "&lt;script&gt;",
    "&#x3C;x-fuzz&#x3E;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "{{ request }}",
    "{% debug %}",
    "${7*7}",
]
SQL = [
    "' OR 1=1 --",
    "1; DROP TABLE plans_actionitem; --",
    "1' OR '1'='1",
    '" OR ""="',
    "' UNION SELECT NULL, NULL --",
    "1)) OR 1=1 --",
    "%' --",
    "admin'--",
    "'",
    '"',
    "%",
    "_",
    "\\",
    "%%",
    "*",
    "[",
    "']",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(-(2**63) - 1),
    str(2**64),
    "9" * 400,
    "-" + "9" * 400,
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "0x10",
    "1_000",
    "1.5",
    "1,5",
    "+1",
    " 1 ",
    "1e3",
    "00001",
    "١٢٣",  # Arabic-Indic digits: int() accepts them
    "１２",  # full-width digits
    "²",
    "Ⅻ",
]
DATES = [
    "2024-02-30",
    "2023-02-29",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "-2024-01-01",
    "2024-13-01",
    "2024-00-10",
    "2024-1-1",
    "20240101",
    "2024-W01-1",
    "2024-366",
    "31/12/2024",
    "2024-02-29T25:61:00",
    "1970-01-01T00:00:00Z",
    "2024-01-01 00:00:00+99:00",
    "2024-01-01\x00",
    "today",
]
# Dates at and beyond the ends of what a date or a time-zone conversion holds
# (a report "since" such a date once raised OverflowError).
EXTREME_DATES = ["0001-01-01", "1899-12-31", "1900-01-01", "9999-12-31", "9999-12-30"]
# Table spans that once made a PDF render run for minutes: stored Markdown may
# hold HTML tables, and the sanitiser must clamp what it lets through.
SPANS = [
    '<table><tr><td colspan="200000">x</td></tr></table>',
    '<table><tr><td rowspan="200000">x</td><td>y</td></tr></table>',
    '<table><tr><th colspan="65535" rowspan="65535">x</th></tr></table>',
    '<table><tr><td colspan="-1">x</td><td colspan="1e9">y</td></tr></table>',
    '<table><tr><td colspan="99999999999999999999">x</td></tr></table>',
    "| a | b |\n|---|---|\n| <td colspan=200000>x</td> | y |",
]
NUL = ["\x00", "a\x00b", "\x00" * 8, "%00"]
WHITESPACE = ["", " ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u200b", "  x  "]
UNICODE = [
    "\u202eevil\u202c",  # right-to-left override
    "مرحبا بالعالم",
    "שלום",
    "👩\u200d👩\u200d👧\u200d👦",
    "🇸🇪",
    "e\u0301\u0301\u0301\u0301",  # stacked combining marks
    "Z\u0334\u0349\u032c\u0348\u0318\u0319\u0325",
    "\ufeff",
    "\uffff",
    "\U0010ffff",
    "İ",  # changes length when lower-cased
    "ß",
    "ﬃ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "Å\u030a",
]
CORPUS = MARKUP + SQL + NUMBERS + DATES + EXTREME_DATES + NUL + WHITESPACE + UNICODE

RAW_BYTES = [
    b"\xff",
    b"\xfe\xff",
    b"\xc3",  # truncated two-byte sequence
    b"\xc0\xaf",  # overlong "/"
    b"\xed\xa0\x80",  # an encoded surrogate
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"caf\xe9",  # Latin-1
    b"\x00",
]


def _repeat(text, length):
    return (text * (length // len(text) + 1))[:length]


# 10 000+ characters, built by repetition (Hypothesis draws small buffers).
long_strings = st.builds(
    _repeat,
    st.one_of(st.sampled_from(CORPUS[:40]), st.text(min_size=1, max_size=8)).filter(
        bool
    ),
    st.integers(min_value=10_000, max_value=60_000),
)
numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
malformed_dates = st.builds(
    "{:04d}-{:02d}-{:02d}".format,
    st.integers(min_value=-1, max_value=100_000),
    st.integers(min_value=-1, max_value=14),
    st.integers(min_value=-1, max_value=40),
)
markup = st.builds(
    "{}{}{}".format,
    st.text(max_size=4),
    st.sampled_from(MARKUP),
    st.text(max_size=4),
)
# Printable text plus every other code point (surrogates excluded: they cannot
# be encoded, so no HTTP client can send them).
any_text = st.text(max_size=40)
ascii_text = st.text(alphabet=string.printable, max_size=40)
raw_bytes = st.one_of(
    st.sampled_from(RAW_BYTES), st.binary(min_size=1, max_size=12)
).map(RawBytes)

# A NUL byte anywhere: PostgreSQL refuses it in any query.
with_nul = st.builds("{}\x00{}".format, st.text(max_size=5), st.text(max_size=5))

# Text a spreadsheet could run as a formula, also inside a cell: after a
# separator that a tool set to another one than ours splits at.
FORMULA_PIECES = ["x", "=2+5", "+1+1", "-1+1", "@SUM(A1)", " =1", '"=1"', "'=1", ""]
formula_text = st.lists(
    st.tuples(
        st.sampled_from(FORMULA_PIECES),
        st.sampled_from([",", ";", "\t", "\n", "\r\n", " ", "'", ""]),
    ),
    min_size=1,
    max_size=6,
).map(lambda pairs: "".join(piece + after for piece, after in pairs) or "x,=2+5,")
hostile_text = st.one_of(
    st.sampled_from(CORPUS),
    st.sampled_from(SPANS),
    formula_text,
    markup,
    any_text,
    ascii_text,
    numbers,
    malformed_dates,
    with_nul,
)
hostile = st.one_of(hostile_text, long_strings, raw_bytes)
# What a query string or form field may be given for a name: one value, or the
# parameter repeated (?a=1&a=2).
hostile_values = st.one_of(
    hostile.map(lambda value: [value]),
    st.lists(hostile, min_size=2, max_size=4),
)


def encode(value):
    """A query-string component: UTF-8 or raw bytes, percent-encoded."""
    if isinstance(value, RawBytes):
        return quote(bytes(value), safe="")
    return quote(str(value).encode("utf-8"), safe="")


# Things that are not key=value at all.
RAW_QUERY_FRAGMENTS = [
    "%",
    "%zz",
    "a=%",
    "a=%G1",
    "=",
    "==",
    "&&&",
    "q",
    "q=1=2",
    "%00=1",
    "%FF=%FF",
    "q[]=1",
    "q[a]=1",
    ";",
    "+",
    "page=1;page=2",
]


def query_string(pairs, fragments=()):
    """``pairs`` of (name, value) as a query string, then raw ``fragments``."""
    parts = [f"{encode(name)}={encode(value)}" for name, value in pairs]
    return "&".join([*parts, *fragments])


def text_of(value):
    """The value as the server sees it after decoding (for the echo checks)."""
    if isinstance(value, RawBytes):
        return bytes(value).decode("utf-8", "replace")
    return str(value)
