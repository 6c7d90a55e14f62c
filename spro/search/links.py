"""Links into the search that other parts of the site build (the first answer's « formations » card)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

#: The radius of the answer's « formations pour devenir … » link: wider than the search's default (30 km), as
#: people travel further for a training than for a structure. The results page offers the search without a
#: limit when nothing is that close.
FORMATIONS_RAYON_KM = 50


def formations_url(metier: str, commune: str | None = None, rayon_km: int = FORMATIONS_RAYON_KM) -> str:
    """The search of the formations to a métier, near the person's commune (INSEE code) when it is known,
    the nearest place of each formation first."""
    params: dict[str, str | int] = {"q": metier, "type": "formation"}
    if commune:
        params.update({"commune": commune, "rayon_km": rayon_km})
    return f"{reverse('search')}?{urlencode(params)}"
