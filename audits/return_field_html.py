"""The return form's fields as HTML, in the markup crispy-forms' bootstrap5 pack gave them.

A return has about 30 questions, most with five radio buttons and an evidence box. Through
crispy-forms and Django's widget templates (a template per radio button) they were most of the
return page's server time; built here they take a millisecond or two. The markup is the same:
names, ids, values, labels, checked and disabled state, aria-invalid / aria-describedby, error
messages and the fieldset and legend of radio and checkbox questions. Every value is escaped.
"""

from django import forms
from django.forms import BoundField
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def return_field_html(field: BoundField) -> SafeString:
    """One field of the ReturnForm: radio buttons or checkboxes in a fieldset, or a label and a
    text box or number input, each with its error messages and help text."""
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        body = _choices_html(field)
    else:
        body = _control_html(field)
    # Every value in body was escaped where it was put in.
    return mark_safe(f'<div id="div_{escape(field.auto_id)}" class="mb-3">\n{body}</div>')


def _choices_html(field: BoundField) -> str:
    widget = field.field.widget
    input_type = "checkbox" if widget.allow_multiple_selected else "radio"
    invalid = bool(field.errors)
    # The options carry disabled / aria-invalid; the fieldset carries aria-describedby.
    option_attrs = ""
    if field.field.disabled:
        option_attrs += " disabled"
    if invalid:
        option_attrs += ' aria-invalid="true"'
    input_class = "form-check-input is-invalid" if invalid else "form-check-input"
    name = escape(field.html_name)
    selected = set(widget.format_value(field.value()))
    choices = list(field.field.choices)
    options = []
    for index, (value, label) in enumerate(choices):
        option_id = escape(f"{field.auto_id}_{index}")
        checked = " checked" if str(value) in selected else ""
        # Bootstrap shows .invalid-feedback after an .is-invalid sibling: inside the last option.
        errors = _errors_html(field) if index == len(choices) - 1 else ""
        options.append(
            f'<div class="form-check">\n<input type="{input_type}" class="{input_class}" '
            f'name="{name}" value="{escape(value)}" id="{option_id}"{option_attrs}{checked}>\n'
            f'<label for="{option_id}" class="form-check-label">{escape(label)}</label>\n'
            f"{errors}</div>\n"
        )
    if not choices:
        options.append(_errors_html(field))
    describedby = field.aria_describedby
    describedby_attr = f' aria-describedby="{escape(describedby)}"' if describedby else ""
    return (
        f"<fieldset{describedby_attr}>\n"
        f'<legend class="form-label{_required_class(field)} fs-6">{_label_html(field)}</legend>\n'
        f"<div>\n{''.join(options)}</div>\n{_help_html(field)}</fieldset>\n"
    )


def _control_html(field: BoundField) -> str:
    """A label and a textarea or number input, with the attributes Django's widget would
    render (value, maxlength, min/max, disabled, aria-invalid, aria-describedby, id)."""
    widget = field.field.widget
    css_class = f"{type(widget).__name__.lower()} form-control"
    if field.errors:
        css_class += " is-invalid"
    attrs = field.build_widget_attrs({"class": css_class})
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    attrs = widget.build_attrs(widget.attrs, attrs)
    value = widget.format_value(field.value())
    name = escape(field.html_name)
    if isinstance(widget, forms.Textarea):
        text = escape(value) if value else ""
        control = f'<textarea name="{name}"{_attrs_html(attrs)}>\n{text}</textarea>'
    else:
        value_attr = f' value="{escape(value)}"' if value is not None else ""
        control = (
            f'<input type="{widget.input_type}" name="{name}"{value_attr}{_attrs_html(attrs)}>'
        )
    return (
        f'<label for="{escape(field.id_for_label)}" class="form-label{_required_class(field)}">'
        f"{_label_html(field)}</label>\n{control}\n{_errors_html(field)}{_help_html(field)}"
    )


def _attrs_html(attrs: dict) -> str:
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _required_class(field: BoundField) -> str:
    return " requiredField" if field.field.required else ""


def _label_html(field: BoundField) -> str:
    asterisk = '<span class="asteriskField">*</span>' if field.field.required else ""
    return f"{escape(field.label)}{asterisk}"


def _errors_html(field: BoundField) -> str:
    if not field.errors:
        return ""
    auto_id = escape(field.auto_id)
    messages = "".join(
        f'<p id="error_{number}_{auto_id}"><strong>{escape(error)}</strong></p>'
        for number, error in enumerate(field.errors, start=1)
    )
    return f'<div id="{auto_id}_error" class="invalid-feedback">{messages}</div>\n'


def _help_html(field: BoundField) -> str:
    if not field.help_text:
        return ""
    auto_id = escape(field.auto_id)
    return f'<div id="{auto_id}_helptext" class="form-text">{escape(field.help_text)}</div>\n'
