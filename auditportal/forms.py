"""Small form helpers shared by every app's views."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one,
    otherwise at the top, so the user sees why nothing was saved."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, error.messages)
