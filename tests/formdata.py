"""What a browser would submit from a page's form: every named input, select
and textarea with its current value (checked boxes only), for tests that post
a page's form as it was rendered."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = form_id is None
        self.depth = 0
        self.fields = []
        self._select = None
        self._select_first = None
        self._select_chosen = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.inside and attrs.get("id") == self.form_id:
            self.inside = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append(
                (name, attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs)
            self._select_first = None
            self._select_chosen = False
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.fields.append((self._select[0], value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "form" and self.inside and self.form_id is not None:
            self.inside = False
        if tag == "select" and self._select:
            name, multiple = self._select
            if (
                not self._select_chosen
                and not multiple
                and self._select_first is not None
            ):
                self.fields.append((name, self._select_first))
            self._select = None
        if tag == "textarea" and self._textarea:
            name, value = self._textarea
            self.fields.append((name, value.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def form_data(html, form_id=None):
    """The form's fields as a dict of lists (for the test client's post)."""
    parser = _FormParser(form_id)
    parser.feed(html)
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data
