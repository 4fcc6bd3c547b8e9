"""What every response to hostile input must satisfy.

No server error, and in HTML nothing that the input could have put there: the
portal serves no inline scripts and no event-handler attributes (its CSP forbids
both), so any of them in a page, or an element or attribute named ``x-fuzz``,
or a ``javascript:`` link, means a value was echoed unescaped.
"""

import re
from html.parser import HTMLParser

# Raw (unescaped) forms that must never be in a page, whatever was sent.
RAW_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<x-fuzz",
    "<!--x-fuzz",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
JSON_SCRIPT_TYPES = {"application/json", "application/ld+json"}
EVENT_HANDLER = re.compile(r"on[a-z]+$")


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._script_type = None

    def handle_starttag(self, tag, attrs):
        if tag.startswith("x-fuzz"):
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("x-fuzz") or EVENT_HANDLER.match(name):
                self.problems.append(f"attribute {name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                if scheme.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"{name}={value[:60]!r} on <{tag}>")
        if tag == "script":
            self._script_type = dict(attrs).get("type") or "text/javascript"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script_type = None

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_type = None

    def handle_data(self, data):
        if (
            self._script_type is not None
            and self._script_type not in JSON_SCRIPT_TYPES
            and data.strip()
        ):
            self.problems.append(f"inline script: {data.strip()[:60]!r}")


def injection_problems(html):
    """Signs of unescaped input in an HTML page (empty when there are none)."""
    lowered = html.lower()
    problems = [f"raw {raw!r}" for raw in RAW_PAYLOADS if raw in lowered]
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return problems + scanner.problems


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def assert_sound(response, what=""):
    """No server error; an HTML body shows no sign of unescaped input."""
    assert response.status_code < 500, f"{what}: HTTP {response.status_code}"
    if is_html(response) and not getattr(response, "streaming", False):
        problems = injection_problems(response.content.decode("utf-8", "replace"))
        assert not problems, f"{what}: unescaped input in the page: {problems}"
