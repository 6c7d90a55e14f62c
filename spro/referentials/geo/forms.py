"""`CommuneField`: the one form field for a commune typed by a person (name, postal code or both).

It cleans to a `CommuneResolution` (never a bare code), so the view can show which commune it understood. When
the text fits several communes, the field is invalid and its widget lists them as radio buttons under the text
input (same name, so the ticked choice wins over the text): the person picks without retyping.
"""

from __future__ import annotations

from typing import Any

from django import forms

from spro.referentials.geo.resolver import MAX_INPUT, CommuneRef, CommuneResolution, resolve

HINT = "Nom de la commune, code postal ou les deux, par exemple : Lorient, 56100 ou Saint-Malo (35)."


class CommuneInput(forms.TextInput):
    """A text input, followed by the choices when the last value was ambiguous."""

    template_name = "geo/widgets/commune.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "address-level2", "spellcheck": "false", **(attrs or {})})
        self.choices: tuple[CommuneRef, ...] = ()

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        """The last non-empty value: a ticked choice (after the text input) wins over the text."""
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        filled = [value for value in values if isinstance(value, str) and value.strip()]
        return filled[-1] if filled else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["choices"] = [
            {
                "value": ref.label,
                "label": ref.description,
                "id": f"{context['widget']['attrs'].get('id', name)}-{i}",
            }
            for i, ref in enumerate(self.choices)
        ]
        return context


class CommuneField(forms.CharField):
    """A commune typed by a person; `insee_first` also reads a valid INSEE code first (tools, not people)."""

    widget = CommuneInput
    default_error_messages = {"max_length": "Nom de commune trop long."}

    def __init__(self, *, insee_first: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_INPUT)
        super().__init__(**kwargs)
        self.insee_first = insee_first

    def clean(self, value: Any) -> CommuneResolution | None:
        text = super().clean(value)
        if isinstance(self.widget, CommuneInput):
            self.widget.choices = ()
        if not text:
            return None
        resolution = resolve(text, insee_first=self.insee_first)
        if resolution.ambiguous:
            if isinstance(self.widget, CommuneInput):
                self.widget.choices = resolution.choices
            raise forms.ValidationError(resolution.message, code="commune-ambigue")
        if not resolution.ok:
            raise forms.ValidationError(resolution.message, code="commune-inconnue")
        return resolution

    def prepare_value(self, value: Any) -> Any:
        """A resolved commune is shown back as its label (« Lorient (56) »), which reads back to itself."""
        if isinstance(value, CommuneResolution):
            return value.commune.label if value.commune else value.query
        return value
