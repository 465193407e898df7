"""Two-factor enrolment and verification pages, recovery codes, and the session keep-alive."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import mfa
from .forms import CrispyMixin


class TokenForm(CrispyMixin, forms.Form):
    submit_label = "Continue"

    token = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code from your authenticator app.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class VerifyForm(TokenForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "token"
        ].help_text = "The 6-digit code from your authenticator app, or one of your recovery codes."


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _refusal(user, advice: str, *, token: str = "") -> str:
    """Why a code was refused and what to do next, for the kind of code typed."""
    recovery = bool(token) and not mfa.is_authenticator_code(token, mfa.confirmed_totp_device(user))
    wait = mfa.wait_seconds_before_next_code(user, token=token)
    if wait:
        seconds = "1 second" if wait == 1 else f"{wait} seconds"
        then = "try the recovery code again" if recovery else "try the newest code from your app"
        return f"That code is not right. Wait {seconds}, then {then}."
    if recovery:
        return "That code is not right. Check the recovery code: each one works only once."
    return f"That code is not right. {advice}"


@login_required
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if mfa.has_confirmed_device(user) and not user.is_verified():
        return redirect("accounts:mfa-verify")
    if user.is_verified():
        messages.info(request, "Two-factor sign-in is already set up for your account.")
        return redirect("accounts:profile")
    device = mfa.pending_totp_device(user)
    form = TokenForm(request.POST or None)
    form.submit_label = "Confirm and continue"
    if request.method == "POST" and form.is_valid():
        codes = mfa.mfa_enrol_confirm(request=request, user=user, token=form.cleaned_data["token"])
        if codes is not None:
            return render(
                request,
                "accounts/mfa_recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
        form.add_error("token", _refusal(user, "Check the time on your phone and try again."))
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "qr_code": mfa.qr_code_data_uri(device),
            "secret": mfa.manual_secret(device),
            "next": _next_url(request),
        },
    )


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not mfa.has_confirmed_device(user):
        return redirect("accounts:mfa-enrol")
    if user.is_verified():
        return redirect(_next_url(request))
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.mfa_verify(request=request, user=user, token=form.cleaned_data["token"]):
            left = mfa.recovery_codes_left(user)
            if left <= 3:
                messages.warning(
                    request,
                    f"You have {left} recovery codes left. Make new ones from your account page.",
                )
            return redirect(_next_url(request))
        form.add_error(
            "token",
            _refusal(user, "Try the newest code from your app.", token=form.cleaned_data["token"]),
        )
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_POST
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Make new recovery codes (the old ones stop working) and show them once."""
    if not request.user.is_verified():
        return redirect("accounts:mfa-verify")
    codes = mfa.mfa_recovery_codes_regenerate(user=request.user)
    return render(
        request,
        "accounts/mfa_recovery_codes.html",
        {"codes": codes, "next": resolve_url("accounts:profile"), "first_time": False},
    )


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Pinged by the "Stay signed in" button; SessionSecurityMiddleware records the activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True, "idle_seconds": settings.SESSION_IDLE_SECONDS})
