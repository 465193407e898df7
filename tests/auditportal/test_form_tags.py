"""An error summary's link goes to an input that exists, tick-box groups included (Django gives
a group of tick boxes no id for its label, so a link to `#` + id_for_label went nowhere)."""

import re

from django import forms
from django.template import Context, Template

from auditportal.templatetags.form_tags import error_anchor


class Sample(forms.Form):
    title = forms.CharField()
    agencies = forms.MultipleChoiceField(
        choices=[("csc", "Children's social care"), ("police", "Police")],
        widget=forms.CheckboxSelectMultiple,
    )


def test_a_text_field_links_to_its_input_and_a_tick_box_group_to_its_first_box():
    form = Sample(data={})

    assert error_anchor(form["title"]) == "id_title"
    assert error_anchor(form["agencies"]) == "id_agencies_0"


def test_every_link_of_the_audits_error_summary_finds_its_input():
    form = Sample(data={})
    form.is_valid()
    summary = Template('{% include "audits/includes/error_summary.html" %}').render(
        Context({"form": form})
    )
    rendered = str(form["title"]) + str(form["agencies"])

    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets == ["id_title", "id_agencies_0"]
    for target in targets:
        assert f'id="{target}"' in rendered
