"""Form widgets that render without a template per option.

Django renders every ``<option>`` of a ``Select`` through its own template
include; with the action browser's ~200 focus-area and strategy options that
was a third of the page's time. ``LeanSelect`` writes the same markup in one
pass from the same context (tests/plans/test_widgets.py compares the two).
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


def _attributes(attrs):
    """Attributes as Django's attrs.html writes them (False left out)."""
    if not attrs:
        return ""
    return flatatt({name: value for name, value in attrs.items() if value is not False})


class LeanSelect(forms.Select):
    """A ``Select`` with options (and option groups) written in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            format_html(
                '<select name="{}"{}>', widget["name"], _attributes(widget["attrs"])
            )
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(group_name)}">')
            parts.extend(
                f'<option value="{escape(option["value"])}"'
                f"{_attributes(option['attrs'])}>{escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value is escaped above
