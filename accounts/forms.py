from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms


class CrispyMixin:
    submit_label = "Save"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class SignInForm(CrispyMixin, auth_forms.AuthenticationForm):
    submit_label = "Sign in"
    error_messages = {
        # Same message whether or not the user exists, or is inactive.
        "invalid_login": "The username or password is not right. Check both and try again.",
        "inactive": "The username or password is not right. Check both and try again.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs["autocomplete"] = "username"


class PasswordChangeForm(CrispyMixin, auth_forms.PasswordChangeForm):
    submit_label = "Change password"


class PasswordResetForm(CrispyMixin, auth_forms.PasswordResetForm):
    submit_label = "Send reset link"

    email = forms.EmailField(label="Email address", max_length=254)


class SetPasswordForm(CrispyMixin, auth_forms.SetPasswordForm):
    submit_label = "Set new password"
