"""What a browser would submit from a form in a page, and what it could choose.

``parse_form(html, form_id)`` reads a form's controls the way a browser does:
text inputs and text areas with their values, the checked checkboxes and
radio buttons, the selected options (or the first one) of each select, hidden
inputs. The result is the baseline that the tests then spoil with hostile values.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIPPED_INPUT_TYPES = {"submit", "button", "image", "reset", "file"}


@dataclass
class Control:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    values: list = field(default_factory=list)  # what the browser submits
    options: list = field(default_factory=list)  # choices of selects/radios/boxes


@dataclass
class Form:
    action: str
    controls: dict  # name -> Control, in document order

    def data(self):
        """The submitted data as a dict of lists (for the test client)."""
        return {
            name: list(control.values)
            for name, control in self.controls.items()
            if control.values
        }


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.form = None
        self._depth = 0  # inside the wanted form
        self._select = None
        self._option = None
        self._textarea = None
        self._text = []

    def _wanted(self, attrs):
        if self.form_id is not None:
            return attrs.get("id") == self.form_id
        # The first form that posts, other than the admin's sign-out button.
        return (attrs.get("method") or "").lower() == "post" and (
            attrs.get("id") != "logout-form"
        )

    def _control(self, name, kind):
        control = self.form.controls.get(name)
        if control is None:
            control = self.form.controls[name] = Control(name=name, kind=kind)
        return control

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form is None and self._wanted(attrs):
            self.form = Form(action=attrs.get("action") or "", controls={})
            self._depth = 1
            return
        if not self._depth:
            return
        if tag == "form":
            self._depth += 1
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in SKIPPED_INPUT_TYPES:
                return
            control = self._control(name, kind)
            value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio"):
                control.options.append(value)
                if "checked" in attrs:
                    control.values.append(value)
            elif "disabled" not in attrs:
                control.values.append(value)
        elif tag == "select" and name:
            multiple = "multiple" in attrs
            self._select = self._control(
                name, "select-multiple" if multiple else "select"
            )
        elif tag == "option" and self._select is not None:
            self._option = attrs
            self._text = []
        elif tag == "textarea" and name:
            self._textarea = self._control(name, "textarea")
            self._text = []

    def handle_data(self, data):
        if self._option is not None or self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == "form":
            self._depth -= 1
        elif tag == "option" and self._select is not None and self._option:
            value = self._option.get("value", "".join(self._text).strip())
            self._select.options.append(value)
            if "selected" in self._option:
                self._select.values.append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            select = self._select
            if select.kind == "select" and not select.values and select.options:
                select.values.append(select.options[0])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # A browser drops the newline that starts a text area's content.
            self._textarea.values.append(text[1:] if text.startswith("\n") else text)
            self._textarea = None


def parse_form(html, form_id=None):
    """The form with this id in ``html`` (without an id: the first form that
    posts, other than sign-out); AssertionError if there is none."""
    parser = _FormParser(form_id)
    parser.feed(html)
    parser.close()
    assert parser.form is not None, f"no form #{form_id} in the page"
    return parser.form
