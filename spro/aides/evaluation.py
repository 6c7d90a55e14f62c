"""Which schemes may concern a person, and why: `evaluate(situation)` over the catalogue in service.

Each condition of a scheme reads as yes, no or « unknown » (the person did not say their age, statut, level,
disability or commune). A scheme is:
- `oui` (« peut vous concerner ») when every condition the site can check holds, with the reasons that matched
  (« vous avez 17 ans, et c'est de 16 à 25 ans ») for « Les aides qui peuvent vous concerner, parce que … »;
- `peut-etre` when nothing rules it out but a condition could not be checked (each named in `a_verifier`):
  never left out nor shown as certain in silence;
- left out when a condition is false.
The conditions the site never checks (resources, seniority, a contract: `pour_qui.autres_conditions`) are listed
with every result.

Conditions given together are ANDed; `cas` are alternatives (any): yes if one case is yes, unknown if none is yes
and one is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from spro.aides.catalogue import NIVEAUX, Catalogue, Conditions, Dispositif, Territoire, load
from spro.core.rulefiles import AgeBounds
from spro.core.vocabularies.statuts import Statut

Eligibilite = Literal["oui", "peut-etre"]
_LABELS = dict(Statut.choices)


@dataclass(frozen=True)
class Lieu:
    """The codes of a commune's territory (COG): what a `territoire` condition is checked against."""

    commune: str
    nom: str = ""
    departement: str = ""
    region: str = ""
    region_nom: str = ""
    epci: str = ""
    #: An arrondissement municipal's commune (Paris, Lyon, Marseille): a list naming the city includes it.
    commune_parente: str = ""


#: The reason of a scheme that has no condition the person could meet.
OPEN_TO_ALL = "c’est ouvert à tout le monde"


@dataclass(frozen=True)
class Situation:
    """What the person said; None: not said (never read as « no »)."""

    age: int | None = None
    #: With `age`, an age band rather than an exact age (the first answer's address carries only « 16-17 »): a
    #: condition holds when it holds for every age of the band, and is « peut-être » when it holds for some.
    age_max: int | None = None
    statut: str | None = None
    handicap: bool | None = None
    niveau: str | None = None
    lieu: Lieu | None = None


@dataclass
class Resultat:
    dispositif: Dispositif
    eligibilite: Eligibilite
    #: The conditions that matched, in words for the person (« vous avez 17 ans, et c'est de 16 à 25 ans »).
    raisons: list[str] = field(default_factory=list)
    #: The conditions that could not be checked (« votre âge : c'est de 16 à 25 ans »).
    a_verifier: list[str] = field(default_factory=list)

    @property
    def autres_conditions(self) -> list[str]:
        return list(self.dispositif.pour_qui.autres_conditions)


# --- one condition ----------------------------------------------------------------------------------------------


@dataclass
class _Verdict:
    ok: bool | None  # True: holds, False: fails, None: cannot be checked
    raisons: list[str] = field(default_factory=list)
    inconnues: list[str] = field(default_factory=list)


def _and(verdicts: list[_Verdict]) -> _Verdict:
    if any(v.ok is False for v in verdicts):
        return _Verdict(False)
    raisons = [r for v in verdicts for r in v.raisons]
    inconnues = [i for v in verdicts for i in v.inconnues]
    return _Verdict(None if any(v.ok is None for v in verdicts) else True, raisons, inconnues)


def _age_range(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"de {minimum} à {maximum} ans"
    if minimum is not None:
        return f"à partir de {minimum} ans"
    return f"jusqu’à {maximum} ans"


def _age_verdict(bounds: AgeBounds, situation: Situation, said_bounds: str) -> _Verdict:
    """An exact age, or a band (`age`..`age_max`): holds for all its ages, for none, or for some (« peut-être »)."""
    assert situation.age is not None
    low = situation.age
    high = max(low, situation.age_max) if situation.age_max is not None else low
    within = bounds.within
    if within(low) and within(high):
        said = (
            f"{low} ans"
            if low == high
            else (f"{low} ans ou plus" if high >= 100 else f"de {low} à {high} ans")
        )
        return _Verdict(True, [f"vous avez {said}, et c’est {said_bounds}"])
    if (bounds.max is None or low <= bounds.max) and (bounds.min is None or high >= bounds.min):
        return _Verdict(None, inconnues=[f"votre âge exact : c’est {said_bounds}"])
    return _Verdict(False)


def _statuts_text(statuts: list[str]) -> str:
    labels = [_LABELS[s].lower() for s in statuts]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " ou " + labels[-1]


def _territoire_ok(territoire: Territoire, lieu: Lieu) -> tuple[bool, str]:
    if lieu.commune in territoire.communes or (
        lieu.commune_parente and lieu.commune_parente in territoire.communes
    ):
        return True, f"vous habitez {lieu.nom or lieu.commune}"
    if lieu.epci and lieu.epci in territoire.epci:
        return True, f"vous habitez {lieu.nom or lieu.commune}, dans le territoire prévu"
    if lieu.departement and lieu.departement in territoire.departements:
        return True, f"vous habitez dans le département {lieu.departement}"
    if lieu.region and lieu.region in territoire.regions:
        return True, f"vous habitez en région {lieu.region_nom or lieu.region}"
    return False, ""


def _conditions(conditions: Conditions, situation: Situation) -> _Verdict:
    verdicts: list[_Verdict] = []
    if conditions.age is not None:
        bounds = _age_range(conditions.age.min, conditions.age.max)
        if situation.age is None:
            verdicts.append(_Verdict(None, inconnues=[f"votre âge : c’est {bounds}"]))
        else:
            verdicts.append(_age_verdict(conditions.age, situation, bounds))
    if conditions.statuts:
        wanted = _statuts_text(conditions.statuts)
        if situation.statut is None or situation.statut == Statut.NON_RENSEIGNE:
            verdicts.append(_Verdict(None, inconnues=[f"votre situation : c’est pour {wanted}"]))
        else:
            ok = situation.statut in conditions.statuts
            verdicts.append(_Verdict(ok, [f"vous êtes {_LABELS[situation.statut].lower()}"]))
    if conditions.handicap is not None:
        if situation.handicap is None:
            about = "en situation de handicap" if conditions.handicap else "sans situation de handicap"
            verdicts.append(_Verdict(None, inconnues=[f"le handicap : c’est pour les personnes {about}"]))
        else:
            ok = situation.handicap == conditions.handicap
            verdicts.append(
                _Verdict(ok, ["vous êtes en situation de handicap"] if situation.handicap else [])
            )
    if conditions.niveaux:
        wanted = ", ".join(NIVEAUX[n] for n in conditions.niveaux)
        if situation.niveau is None:
            verdicts.append(_Verdict(None, inconnues=[f"votre diplôme : c’est pour {wanted}"]))
        else:
            ok = situation.niveau in conditions.niveaux
            verdicts.append(
                _Verdict(ok, [f"votre diplôme : {NIVEAUX.get(situation.niveau, situation.niveau)}"])
            )
    if conditions.territoire is not None:
        if situation.lieu is None:
            verdicts.append(_Verdict(None, inconnues=["votre commune : ce n’est pas partout en France"]))
        else:
            ok, raison = _territoire_ok(conditions.territoire, situation.lieu)
            verdicts.append(_Verdict(ok, [raison] if ok else []))
    return _and(verdicts)


def _pour_qui(dispositif: Dispositif, situation: Situation) -> _Verdict:
    pour_qui = dispositif.pour_qui
    common = _conditions(pour_qui, situation)
    if not pour_qui.cas or common.ok is False:
        return common
    cases = [(cas, _conditions(cas, situation)) for cas in pour_qui.cas]
    matched = [(cas, v) for cas, v in cases if v.ok is True]
    if matched:
        cas, verdict = matched[0]
        return _and([common, _Verdict(True, [*verdict.raisons, f"c’est prévu pour : {cas.libelle}"])])
    open_cases = [(cas, v) for cas, v in cases if v.ok is None]
    if not open_cases:
        return _Verdict(False)
    unknown = [f"{cas.libelle} ({' ; '.join(v.inconnues)})" for cas, v in open_cases]
    return _and([common, _Verdict(None, [r for _, v in open_cases for r in v.raisons], unknown)])


def evaluate_one(dispositif: Dispositif, situation: Situation) -> Resultat | None:
    """The result for one scheme, or None when a condition rules it out."""
    verdict = _pour_qui(dispositif, situation)
    if verdict.ok is False:
        return None
    raisons = list(dict.fromkeys(verdict.raisons))
    if verdict.ok and not raisons:
        raisons = [OPEN_TO_ALL]
    eligibilite: Eligibilite = "oui" if verdict.ok else "peut-etre"
    return Resultat(dispositif, eligibilite, raisons, list(dict.fromkeys(verdict.inconnues)))


def evaluate(situation: Situation, catalogue: Catalogue | None = None) -> list[Resultat]:
    """The schemes that may concern the person: `oui` first, then `peut-etre`, each group in title order."""
    catalogue = catalogue or load()
    results = [r for d in catalogue.dispositifs if (r := evaluate_one(d, situation)) is not None]
    return sorted(results, key=lambda r: r.eligibilite != "oui")
