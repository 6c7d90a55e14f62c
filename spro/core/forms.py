"""Form fields that several public forms share (the question, the aids page…), so that a person meets the same limits
and the same French messages everywhere."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

#: The ages a public form, the API and the services accept: outside them, the value is a typing error.
MIN_AGE, MAX_AGE = 10, 100


def age_field(label: str) -> forms.IntegerField:
    """An optional age in years, typed in digits (numeric keyboard on a phone), with the limits above."""
    message = f"L’âge doit être compris entre {MIN_AGE} et {MAX_AGE} ans."
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=MIN_AGE,
        max_value=MAX_AGE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": "Indiquez votre âge en chiffres, par exemple 17.",
            "min_value": message,
            "max_value": message,
        },
    )


class PlainSelect(forms.Select):
    """A `<select>` written in Python, with the markup of Django's own template but without one template render per
    option: a conseiller's hand-over list of up to 400 structures cost more than the rest of the page
    (docs/performance.md, accompaniments). Same attributes (id, required, aria-*), same escaping."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in group_choices:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        str(option["value"]),
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped by format_html
