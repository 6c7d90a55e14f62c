"""Fixtures for the public API tests: a recording stand-in for the search and detail functions (for the API layer's
own tests: parameters passed through, errors mapped), the CORS middleware, a clean rate-limit cache. The stand-in
returns the real `spro.search.service` classes, so the JSON shape is real."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from spro.search import details, params, service

CORS_MIDDLEWARE = "spro.api.middleware.ApiCorsMiddleware"

METIER = {
    "code_rome": "J1506",
    "libelle": "Infirmier / Infirmière en soins généraux",
    "masculin": "Infirmier en soins généraux",
    "feminin": "Infirmière en soins généraux",
    "url": "/metiers/J1506",
    "appellations": [{"code_ogr": "38565", "libelle": "Infirmier / Infirmière", "principale": True}],
    "competences": [],
    "mobilites": [
        {"code_rome": "J1502", "libelle": "Coordination de services médicaux", "url": "/metiers/J1502"}
    ],
    "formations": [],
    "formations_total": 0,
    "nouvelle_cle": {"gardee": True},
}
FORMATION = {
    "id": "onisep-FOR.6177",
    "type": "formation",
    "url": "/formations/onisep-FOR.6177",
    "titre": "BTS SIO",
}
CERTIFICATION = {
    "id": "certifinfo-54913",
    "code": "54913",
    "libelle": "CAP pâtissier",
    "url": "/certifications/certifinfo-54913",
    "niveau_europeen": 3,
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cors(settings):
    """The middleware the integrator adds to MIDDLEWARE, right after SecurityMiddleware."""
    if CORS_MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [settings.MIDDLEWARE[0], CORS_MIDDLEWARE, *settings.MIDDLEWARE[1:]]


class FakeSearch:
    """Records calls; `q == "invalide"` raises InvalidQuery; `q == "rien"` gives no result and a suggestion."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, q: str, **kwargs: Any) -> Any:
        self.calls.append((q, kwargs))
        if q == "invalide":
            raise params.InvalidQuery("La requête est vide.", "requete_vide")
        page, par_page = kwargs.get("page", 1), kwargs.get("par_page", 10)
        facettes = {"type": [("metier", "Métiers", 1)], "niveau": [("5", "Bac+2", 2)]}
        if q == "rien":
            return self._response(q, [], page, par_page, {}, "infirmier")
        hit = {
            "type": "metier",
            "code": "J1506",
            "titre": "Infirmier / Infirmière en soins généraux",
            "url": "/metiers/J1506",
            "score": 12.5,
            "sous_titre": "",
            "distance_km": None,
        }
        return self._response(q, [hit], page, par_page, facettes, None)

    def _response(self, q, hits, page, par_page, facettes, suggestion) -> service.SearchResponse:
        return service.SearchResponse(
            q=q,
            total=len(hits),
            resultats=[service.Hit(**hit) for hit in hits],
            page=page,
            par_page=par_page,
            facettes=facettes,
            suggestion=suggestion,
        )


@pytest.fixture
def fake_search(monkeypatch) -> FakeSearch:
    fake = FakeSearch()
    monkeypatch.setattr(service, "search", fake)
    return fake


@pytest.fixture
def fake_details(monkeypatch) -> dict[str, list]:
    """Detail functions that know one object of each kind (J1506, onisep-FOR.6177, certifinfo-54913)."""
    calls: dict[str, list] = {"metier": [], "formation": [], "certification": []}

    def metier_detail(code_rome: str, commune: str | None = None):
        calls["metier"].append((code_rome, commune))
        return METIER if code_rome == "J1506" else None

    def formation_detail(formation_id: str):
        calls["formation"].append(formation_id)
        return FORMATION if formation_id == FORMATION["id"] else None

    def certification_detail(certification_id: str):
        calls["certification"].append(certification_id)
        return CERTIFICATION if certification_id == CERTIFICATION["id"] else None

    monkeypatch.setattr(details, "metier_detail", metier_detail)
    monkeypatch.setattr(details, "formation_detail", formation_detail)
    monkeypatch.setattr(details, "certification_detail", certification_detail)
    return calls


@pytest.fixture
def api_communes(db):
    """Three communes for the `commune` parameter: Rennes (35238, 35000), Ajaccio (2A004) and two Saint-Denis
    (homonyms in two départements)."""
    from spro.referentials.geo.models import Commune, Departement, Region

    region = Region.objects.create(code="53", nom="Bretagne", zone="metro")
    for code, nom in (
        ("35", "Ille-et-Vilaine"),
        ("2A", "Corse-du-Sud"),
        ("93", "Seine-Saint-Denis"),
        ("974", "La Réunion"),
    ):
        Departement.objects.create(code=code, nom=nom, region=region, zone="metro")
    for code, nom, dep, postal, population in (
        ("35238", "Rennes", "35", "35000", 225_081),
        ("2A004", "Ajaccio", "2A", "20000", 73_000),
        ("93066", "Saint-Denis", "93", "93200", 113_000),
        ("97411", "Saint-Denis", "974", "97400", 153_000),
    ):
        Commune.objects.create(
            code_insee=code,
            nom=nom,
            type=Commune.Type.COMMUNE,
            departement_id=dep,
            region=region,
            codes_postaux=[postal],
            population=population,
        )
