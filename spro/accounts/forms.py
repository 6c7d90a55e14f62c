"""Forms of the professional space, in French, with error messages a person can act on."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import StructureRole


class LoginForm(AuthenticationForm):
    """Login by e-mail address (the username of invited accounts is their address)."""

    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Adresse électronique"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "username", "autofocus": True, "maxlength": 150}
        )
        self.fields["password"].label = "Mot de passe"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique de la personne invitée",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Rôle",
        choices=StructureRole.choices,
        initial=StructureRole.CONSEILLER,
        widget=forms.RadioSelect,
    )


class NewPasswordForm(forms.Form):
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        help_text="Au moins 12 caractères, pas uniquement des chiffres, ni un mot de passe courant.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("password1")
            and cleaned.get("password2")
            and cleaned["password1"] != cleaned["password2"]
        ):
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        return cleaned
