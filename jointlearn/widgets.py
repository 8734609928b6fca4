"""Widgets of our own: Django's markup for the commonest inputs, written out in Python.

Django renders every widget through templates; on a list page with a filter form that was
several milliseconds a request (`make bench`, practices_list_10k).
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A list of choices written out in Python, with the markup of Django's `Select`.

    Django renders a template per option; the library's filters (six lists, sixty options)
    took about 3 ms of each page that way. Grouped choices go the usual way.
    """

    def render(self, name, value, attrs=None, renderer=None):
        if any(isinstance(label, list | tuple) for _, label in self.choices):
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        options = []
        for option, label in self.choices:
            option = "" if option is None else str(option)
            selected = " selected" if option in chosen else ""
            options.append(f'<option value="{escape(option)}"{selected}>{escape(label)}</option>')
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308 (every value above is escaped)
            f'<select name="{escape(name)}"{attributes}>\n' + "\n".join(options) + "\n</select>"
        )


class QuickCheckbox(forms.CheckboxInput):
    """A checkbox written out in Python, with the markup of Django's `CheckboxInput`."""

    def render(self, name, value, attrs=None, renderer=None):
        attributes = self.build_attrs(self.attrs, attrs)
        if self.check_test(value):
            attributes["checked"] = True
        if value not in ("", True, False, None):
            attributes["value"] = self.format_value(value)
        return mark_safe(  # noqa: S308 (flatatt escapes every value)
            f'<input type="checkbox" name="{escape(name)}"{flatatt(attributes)}>'
        )
