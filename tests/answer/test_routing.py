"""Routing on the demonstration network of Bretagne: the four personas of issue 5 get the right typologies first,
with the nearest structures that cover their commune and admit them; ordering is neutral and documented."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from spro.answer.routing import MAX_STEPS, MIN_STEPS, next_steps, route
from spro.answer.rules import DEFAULT_DIRECTORY, FILES, load_rules
from spro.answer.types import AnswerError, BesoinScore, MetierMatch, Orientation, Profile
from spro.directory.importers import StructuresDataset
from spro.directory.models import Structure
from spro.referentials.geo.importers import GeoDataset
from spro.referentials.geo.models import Commune
from tests.conftest import imported

pytestmark = pytest.mark.django_db

RENNES, BREST, QUIMPER, VANNES, LAVAL = "35238", "29019", "29232", "56260", "53130"
TODAY = dt.date(2026, 11, 28)

INFIRMIERE = MetierMatch("J1506", "Infirmier / Infirmière en soins généraux", "Infirmière", 0.9)
COMPTABLE = MetierMatch("M1203", "Comptabilité", "Comptable", 0.9)
EBENISTE = MetierMatch("H2206", "Réalisation de menuiserie bois et tonnellerie", "Ébéniste", 0.85)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The real geography and the demo directory, imported once for the module and rolled back."""
    with imported(django_db_blocker, GeoDataset(), StructuresDataset()) as reports:
        yield reports[-1]


def typologies(orientations: list[Orientation]) -> list[str]:
    return [o.typologie for o in orientations]


def assert_structures_serve(orientation: Orientation, commune_code: str, age: int | None) -> None:
    """Every structure shown is active, of the typology, covers the commune and admits the person's age."""
    commune = Commune.objects.get(code_insee=commune_code)
    assert orientation.structures, orientation
    distances = [hit.distance_km for hit in orientation.structures]
    assert distances == sorted(distances)
    for hit in orientation.structures:
        structure = Structure.objects.get(di_id=hit.id)
        assert structure.is_active and structure.typologie == orientation.typologie
        assert Structure.objects.covering(commune).filter(pk=structure.pk).exists(), hit.nom
        if age is not None:
            assert (structure.age_min or 0) <= age <= (structure.age_max or 200), hit.nom
        assert structure.closure_on(TODAY) is None
        assert hit.url == f"/structures/{structure.di_id}"


def test_seventeen_year_old_who_left_school_in_rennes(demo):
    profile = Profile(age=17, statut="sans-activite", commune=RENNES, a_quitte_formation=True, niveau="sans")
    besoins = [BesoinScore("retour-formation", 0.9), BesoinScore("choisir-formation", 0.5)]
    orientations = route(profile, besoins, [], today=TODAY)
    assert set(typologies(orientations)[:3]) == {"CIO", "ML", "PSAD"}
    assert orientations[0].raison.startswith("Vous avez 17 ans et avez quitté l'école")
    for orientation in orientations[:3]:
        assert_structures_serve(orientation, RENNES, 17)
    assert orientations[1].structures[0].nom == "Mission Locale - We Ker"
    assert "EPIDE" not in typologies(orientations)  # 18+: not proposed at 17

    steps, cards = next_steps(profile, besoins, [])
    assert MIN_STEPS <= len(steps) <= MAX_STEPS and len(set(steps)) == len(steps)
    assert "Mission locale" in steps[0]
    titles = [card.titre for card in cards]
    assert "Le droit au retour en formation (16-25 ans)" in titles
    assert "L'obligation de formation jusqu'à 18 ans" in titles


def test_aide_soignante_who_wants_to_become_a_nurse_in_brest(demo):
    profile = Profile(age=38, statut="salarie", commune=BREST, niveau="3")
    besoins = [
        BesoinScore("evolution-professionnelle", 0.9),
        BesoinScore("financer-formation", 0.7),
        BesoinScore("choisir-formation", 0.6),
    ]
    orientations = route(profile, besoins, [INFIRMIERE], today=TODAY)
    assert typologies(orientations)[:2] == ["CEP", "TRANSITIONS_PRO"]
    assert orientations[0].regle == "actif-evolution" and "CEP" in orientations[0].raison
    assert_structures_serve(orientations[0], BREST, 38)
    assert orientations[0].structures[0].nom.endswith("antenne Finistère")
    # Transitions Pro Bretagne, in Rennes, covers the Finistère: proposed however far (210 km), with no warning.
    transitions = orientations[1]
    assert [s.nom for s in transitions.structures] == ["Transitions Pro Bretagne"]
    assert transitions.structures[0].distance_km > 200 and "appelez" not in transitions.raison

    steps, cards = next_steps(profile, besoins, [INFIRMIERE])
    assert (
        "Lisez la fiche du métier « Infirmière » et celles des autres métiers proposés ci-dessous." in steps
    )
    urls = [card.url for card in cards]
    assert urls[0] == "/metiers/J1506"
    assert urls[1].startswith("/recherche?q=Infirmier") and urls[1].endswith(f"&commune={BREST}&rayon_km=50")
    assert "https://www.moncompteformation.gouv.fr" in urls and "https://mon-cep.org" in urls
    assert {card.kind for card in cards} >= {"metier", "formation", "financement"}


def test_disabled_accountant_looking_for_work_in_quimper(demo):
    profile = Profile(age=45, statut="demandeur-emploi", handicap=True, commune=QUIMPER, niveau="5")
    besoins = [BesoinScore("recherche-emploi", 0.9), BesoinScore("handicap", 0.6)]
    orientations = route(profile, besoins, [COMPTABLE], today=TODAY)
    assert set(typologies(orientations)[:2]) == {"CAP_EMPLOI", "FT"}
    assert "MDPH" in typologies(orientations)[:3]
    for orientation in orientations[:3]:
        assert_structures_serve(orientation, QUIMPER, 45)
    cap_emploi = next(o for o in orientations if o.typologie == "CAP_EMPLOI")
    assert cap_emploi.structures[0].nom == "Cap emploi Finistère"
    assert "ML" not in typologies(orientations)  # 45 years old: no Mission locale

    steps, cards = next_steps(profile, besoins, [COMPTABLE])
    assert any("RQTH" in step for step in steps)
    assert "https://www.service-public.fr/particuliers/vosdroits/F1650" in [card.url for card in cards]


def test_manager_who_wants_to_become_a_cabinetmaker_in_vannes(demo):
    profile = Profile(age=44, statut="salarie", commune=VANNES, niveau="7")
    besoins = [BesoinScore("evolution-professionnelle", 0.9), BesoinScore("choisir-formation", 0.5)]
    orientations = route(profile, besoins, [EBENISTE], today=TODAY)
    assert typologies(orientations)[:3] == ["CEP", "TRANSITIONS_PRO", "APEC"]
    assert_structures_serve(orientations[0], VANNES, 44)
    assert orientations[0].structures[0].commune == "Vannes"
    # Transitions Pro has one regional office (Rennes, ~100 km): competent, so shown beyond the 60 km radius.
    assert_structures_serve(orientations[1], VANNES, 44)
    assert orientations[1].structures[0].distance_km > 60


def test_without_a_commune_typologies_are_listed_without_structures(demo):
    profile = Profile(age=15, statut="collegien")
    orientations = route(profile, [BesoinScore("decouvrir-metiers", 0.8)], [])
    assert typologies(orientations)[0] == "CIO"
    assert all(o.structures == [] for o in orientations)
    assert not any("structure" in o.raison for o in orientations)


def test_a_commune_outside_every_zone_gets_the_nearest_with_a_warning(demo):
    # Laval (Mayenne) is outside the zones of the Breton Missions locales: the nearest are shown, with the caveat.
    orientations = route(
        Profile(age=20, commune=LAVAL), [BesoinScore("recherche-emploi", 0.9)], [], today=TODAY
    )
    ml = next(o for o in orientations if o.typologie == "ML")
    assert ml.structures and "appelez-les avant de vous déplacer" in ml.raison
    commune = Commune.objects.get(code_insee=LAVAL)
    assert not Structure.objects.covering(commune).filter(di_id=ml.structures[0].id).exists()


def test_a_structure_closed_today_is_shown_with_its_dates_and_the_next_open_one(demo):
    """Closed is not absent: the nearest Mission locale, closed for a few days, stays first with its closure, and
    the next open one of the type follows it as the alternative."""
    we_ker = Structure.objects.get(nom="Mission Locale - We Ker")
    we_ker.fermetures_temporaires = [{"debut": "2026-11-27", "fin": "2026-11-29", "motif": "inventaire"}]
    we_ker.save()
    profile = Profile(age=19, commune=RENNES)
    besoins = [BesoinScore("recherche-emploi", 0.9)]
    now = dt.datetime(2026, 11, 28, 10, 0)
    ml = next(o for o in route(profile, besoins, [], today=TODAY, now=now) if o.typologie == "ML")
    first, *others = ml.structures
    assert first.id == we_ker.di_id and not first.en_attendant
    assert first.contact["ferme_temporairement"] is True and first.contact["ouvert_maintenant"] is False
    assert first.contact["fermeture"]["texte"] == "Fermé temporairement du 27 au 29 novembre 2026"
    assert first.as_dict()["fermeture"]["debut"] == "2026-11-27"
    assert "Aucune structure" not in ml.raison
    if others:  # the alternative is open today and marked as such
        waiting = [hit for hit in ml.structures if hit.en_attendant]
        assert len(waiting) <= 1
        for hit in ml.structures[1:]:
            assert Structure.objects.get(di_id=hit.id).closure_on(TODAY) is None
    reopened = next(o for o in route(profile, besoins, [], today=dt.date(2026, 12, 1)) if o.typologie == "ML")
    assert (
        reopened.structures[0].id == we_ker.di_id
        and not reopened.structures[0].contact["ferme_temporairement"]
    )
    assert not any(hit.en_attendant for hit in reopened.structures)


def test_when_every_structure_shown_is_closed_the_next_open_one_follows(demo):
    """Cap emploi Ille-et-Vilaine (0.6 km from Rennes) closed for a week: shown with its dates, then « ouvert en
    attendant » the nearest Cap emploi open today (never « aucune structure »)."""
    cap = Structure.objects.get(di_id="spro-demo--cap-emploi-35")
    cap.fermetures_temporaires = [{"debut": "2026-11-25", "fin": "2026-12-01", "motif": "travaux"}]
    cap.save()
    profile = Profile(age=42, statut="salarie", handicap=True, commune=RENNES)
    besoins = [BesoinScore("handicap", 0.9), BesoinScore("evolution-professionnelle", 0.8)]
    now = dt.datetime(2026, 11, 27, 10, 0)  # a Friday, 10:00
    cap_emploi = next(o for o in route(profile, besoins, [], now=now) if o.typologie == "CAP_EMPLOI")
    assert "Aucune structure" not in cap_emploi.raison
    ids = [hit.id for hit in cap_emploi.structures]
    assert ids[0] == cap.di_id and cap_emploi.structures[0].distance_km < 1
    closed = cap_emploi.structures[0].contact
    assert closed["fermeture"]["texte"] == "Fermé temporairement du 25 novembre au 1er décembre 2026"
    assert closed["etat"] == "Fermé — ouvre mercredi à 9 h"  # Wednesday 2 December, after the closure
    waiting = cap_emploi.structures[-1]
    assert waiting.en_attendant and waiting.id != cap.di_id
    assert Structure.objects.get(di_id=waiting.id).closure_on(now.date()) is None
    assert waiting.contact["ouvert_maintenant"] is True and waiting.contact["etat"].startswith(
        "Ouvert maintenant"
    )


def test_an_unknown_commune_is_a_clear_error(demo):
    with pytest.raises(AnswerError) as raised:
        route(Profile(commune="99999"), [BesoinScore("vae", 1.0)], [])
    assert raised.value.code == "commune-inconnue" and "Commune inconnue" in raised.value.detail


def test_order_does_not_depend_on_structure_names_or_ids(demo):
    profile = Profile(age=45, statut="demandeur-emploi", handicap=True, commune=QUIMPER)
    besoins = [BesoinScore("recherche-emploi", 0.9), BesoinScore("vae", 0.7)]
    before = [(o.typologie, o.score) for o in route(profile, besoins, [], today=TODAY)]
    for structure in Structure.objects.filter(typologie__in=["FT", "DAVA", "CAP_EMPLOI"]):
        structure.nom = "AAA " + structure.nom[::-1]
        structure.save()
    after = route(profile, besoins, [], today=TODAY)
    assert [(o.typologie, o.score) for o in after] == before
    ft = next(o for o in after if o.typologie == "FT")
    assert [hit.distance_km for hit in ft.structures] == sorted(hit.distance_km for hit in ft.structures)


@pytest.fixture
def custom_rules(tmp_path: Path):
    for name in FILES:
        shutil.copy(DEFAULT_DIRECTORY / name, tmp_path / name)

    def write(orientations: str):
        (tmp_path / "orientations.yaml").write_text(
            f'version: "t"\ndate: 2026-11-28\nregles:\n{orientations}'
        )
        return load_rules(tmp_path)

    return write


def test_ties_are_broken_by_typology_code_and_a_typology_keeps_its_strongest_rule(custom_rules):
    ruleset = custom_rules(
        """
  - id: faible
    description: Une règle faible qui propose aussi le CIO.
    quand: {besoins: [decouvrir-metiers]}
    alors:
      - {typologie: CIO, poids: 0.5, raison: Raison de la règle faible.}
  - id: forte
    description: Deux typologies à égalité.
    alors:
      - {typologie: PIJ_BIJ, poids: 0.8, raison: Raison forte pour l'Info Jeunes.}
      - {typologie: CIO, poids: 0.8, raison: Raison forte pour le CIO.}
      - {typologie: CITMET, poids: 0.8, raison: Raison forte pour la Cité des métiers.}
"""
    )
    orientations = route(Profile(), [BesoinScore("decouvrir-metiers", 1.0)], [], rules=ruleset)
    assert typologies(orientations) == [
        "CIO",
        "CITMET",
        "PIJ_BIJ",
    ]  # same score: alphabetical, not file order
    assert orientations[0].regle == "forte" and orientations[0].raison == "Raison forte pour le CIO."
    assert orientations[0].score == 0.8  # the max of the rules (0.5, 0.8), not their sum


def test_the_need_score_scales_a_rule_and_weak_proposals_are_dropped(custom_rules):
    ruleset = custom_rules(
        """
  - id: vae
    description: La VAE, pondérée par le score du besoin.
    quand: {besoins: [vae]}
    alors:
      - {typologie: DAVA, poids: 1.0, raison: Le DAVA vous accompagne pour la VAE.}
  - id: defaut
    description: Une proposition par défaut, faible.
    alors:
      - {typologie: CITMET, poids: 0.3, raison: La Cité des métiers accueille tout le monde.}
"""
    )
    strong = route(Profile(), [BesoinScore("vae", 0.9)], [], rules=ruleset)
    assert [(o.typologie, o.score) for o in strong] == [("DAVA", 0.9)]  # 0.3 < 40 % of 0.9: left out
    weak = route(Profile(), [BesoinScore("vae", 0.5)], [], rules=ruleset)
    assert [(o.typologie, o.score) for o in weak] == [("DAVA", 0.5), ("CITMET", 0.3)]
    assert typologies(route(Profile(), [], [], rules=ruleset)) == ["CITMET"]


def test_next_steps_always_give_three_to_six_steps():
    for profile, besoins in [
        (Profile(), []),
        (Profile(age=30, statut="independant"), [BesoinScore("creation-entreprise", 0.9)]),
        (
            Profile(age=22, statut="etudiant", handicap=True),
            [
                BesoinScore(code, 0.8)
                for code in ("mobilite-internationale", "vie-quotidienne", "alternance", "vae")
            ],
        ),
    ]:
        steps, cards = next_steps(profile, besoins, [])
        assert MIN_STEPS <= len(steps) <= MAX_STEPS, steps
        assert len(set(steps)) == len(steps)
        assert all(card.url.startswith("https://") for card in cards)
