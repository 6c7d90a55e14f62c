"""Forms of the professional space, in French, with error messages a person can act on."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q

from spro.accounts.models import StructureRole


class AmbiguousLogin(Exception):
    """Several active accounts answer to the address typed: logging in by it could open the wrong one."""


def login_username(identifier: str) -> str:
    """The username to authenticate for what was typed on the login page.

    An address (with "@") is looked up case-insensitively among the active accounts' e-mails, and also as a username
    (invited accounts have their address as username): one account → its username; several → `AmbiguousLogin`;
    none → the address itself (the login then fails as any wrong login does, and counts for throttling). Anything
    else is a username, exactly as typed (accounts made with `createsuperuser`, the Django admin).
    """
    identifier = identifier.strip()
    if "@" not in identifier:
        return identifier
    usernames = list(
        get_user_model()
        .objects.filter(Q(email__iexact=identifier) | Q(username=identifier), is_active=True)
        .values_list("username", flat=True)[:2]
    )
    if len(usernames) > 1:
        raise AmbiguousLogin(identifier)
    return usernames[0] if usernames else identifier.lower()


class LoginForm(AuthenticationForm):
    """Login by e-mail address (case-insensitive) or by username.

    The address is turned into the account's username before authentication, so that django-axes throttles one
    account whichever of the two is typed.
    """

    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
        "ambiguous_login": "Plusieurs comptes utilisent cette adresse électronique : la connexion par adresse est "
        "impossible pour ne pas ouvrir le mauvais compte. Connectez-vous avec votre identifiant, ou demandez à "
        "l’administrateur de la plateforme de donner une adresse différente à chaque compte.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Adresse électronique"
        # The form is `novalidate`: a username (accounts made with `createsuperuser`) is accepted too.
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "username", "autofocus": True, "maxlength": 254}
        )
        self.fields["password"].label = "Mot de passe"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def clean_username(self) -> str:
        try:
            return login_username(self.cleaned_data["username"])
        except AmbiguousLogin as exc:
            raise ValidationError(self.error_messages["ambiguous_login"], code="ambiguous_login") from exc


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
