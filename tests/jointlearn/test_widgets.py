"""QuickSelect writes the markup Django's Select would, without a template per option."""

import pytest
from django import forms
from django.test.html import parse_html

from jointlearn.widgets import QuickCheckbox, QuickSelect

CHOICES = [("", "All"), (1, "Piteå <kommun>"), (2, 'EVA "bxl" & co'), ("SE", "Sweden")]


@pytest.mark.parametrize("value", [None, "", 1, "1", "2", "SE", "not offered"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_theme"}, {"id": "id_x", "required": True, "disabled": False, "aria-x": 3}],
)
def test_same_markup_as_djangos_select(value, attrs):
    ours = QuickSelect(choices=CHOICES).render("organisation", value, attrs)
    django = forms.Select(choices=CHOICES).render("organisation", value, attrs)
    assert parse_html(ours) == parse_html(django)


def test_text_is_escaped():
    html = QuickSelect(choices=[('"><script>', "<b>bold</b>")]).render('a"b', None)
    assert "<script>" not in html and "<b>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html


def test_grouped_choices_are_rendered_as_django_does():
    choices = [("Nordic", [("FI", "Finland"), ("SE", "Sweden")]), ("BE", "Belgium")]
    ours = QuickSelect(choices=choices).render("country", "SE")
    assert parse_html(ours) == parse_html(forms.Select(choices=choices).render("country", "SE"))
    assert "<optgroup" in ours


def test_in_a_bound_form_the_chosen_value_stays_selected():
    class Filters(forms.Form):
        organisation = forms.TypedChoiceField(
            choices=CHOICES, coerce=int, required=False, widget=QuickSelect
        )

    html = str(Filters({"organisation": "2"})["organisation"])
    assert '<option value="2" selected>' in html
    assert 'id="id_organisation"' in html


@pytest.mark.parametrize("value", [None, "", True, False, "on", "yes"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_assigned", "required": True}])
def test_the_checkbox_has_the_markup_of_djangos(value, attrs):
    ours = QuickCheckbox().render("assigned", value, attrs)
    django = forms.CheckboxInput().render("assigned", value, attrs)
    assert parse_html(ours) == parse_html(django)
