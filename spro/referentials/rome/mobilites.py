"""Métiers reachable from a fiche in one or two steps, from ROME 4.0's own mobilités (bloc 8).

Why here (referentials, layer 3): everything it reads is ROME (mobilités, compétences, savoirs, contextes de
travail); the search app adds the formations on top (`spro.search.parcours`).

What the official export gives, and therefore all this module can use: `unix_rubrique_mobilite` lists, for each
fiche, the fiches one can move to, ranked by `numero_ordre` (1 = first listed). ROME 4.0 no longer splits them into
« proches » and « évolutions » nor attaches conditions or appellations (ROME 3 did): nothing here invents them.
What a move asks is read from the item links instead: the compétences (savoir-faire, savoir-être) and savoirs the
target fiche has and the origin lacks, by code OGR. A person can exclude targets by contexte de travail (« Port et
manipulation de charges lourdes ou encombrantes »): an excluded fiche is neither a target nor a step towards one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from spro.referentials.rome.models import (
    ContexteTravail,
    FicheCompetence,
    FicheContexteTravail,
    FicheMetier,
    FicheSavoir,
    Mobilite,
)

#: The steps a parcours may take: one move, or two moves through an intermediate fiche.
PAS_CHOICES = (1, 2)

#: `code_type` of the contextes « Conditions de travail et risques professionnels » in ROME 4.0.
CONDITIONS_TYPE = "1"

#: Kind of an item to acquire, in the order they are listed (what one does first, then how, then what one knows).
SAVOIR_FAIRE = "savoir_faire"
SAVOIR_ETRE = "savoir_etre"
SAVOIR = "savoir"
ITEM_ORDER = {SAVOIR_FAIRE: 0, SAVOIR_ETRE: 1, SAVOIR: 2}


class UnknownContexte(ValueError):
    """A contexte de travail code that is not (or no longer) in ROME: the caller answers 400."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = sorted(codes)
        super().__init__(", ".join(self.codes))


@dataclass(frozen=True)
class Item:
    """A compétence or savoir of a fiche; `coeur_metier` when ROME marks it as core to the target."""

    code_ogr: str
    libelle: str
    nature: str  # SAVOIR_FAIRE, SAVOIR_ETRE or SAVOIR
    coeur_metier: bool


@dataclass(frozen=True)
class Etape:
    """An intermediate fiche on a two-step path, with the rank of the first move in the origin's list."""

    code_rome: str
    libelle: str
    ordre: int


@dataclass
class Cible:
    """A fiche reachable from the origin: in `pas` moves, `ordre` being the rank of the last move (its rank in the
    list of the step before it); `via` the intermediates that lead to it (best first), empty for one step."""

    code_rome: str
    libelle: str
    pas: int
    ordre: int
    meme_domaine: bool
    via: list[Etape] = field(default_factory=list)
    a_acquerir: list[Item] = field(default_factory=list)
    en_commun: int = 0  # items of the target the origin already has


@dataclass
class Parcours:
    origine: FicheMetier
    pas: int
    exclus: list[ContexteTravail]
    cibles: list[Cible]
    ecartees: int  # targets (one or two steps) left out because of an excluded contexte

    def par_pas(self, pas: int) -> list[Cible]:
        return [cible for cible in self.cibles if cible.pas == pas]


def contextes_exclus(codes: Iterable[str]) -> list[ContexteTravail]:
    """The contextes de travail named by `codes` (in force), or UnknownContexte listing those that are not."""
    wanted = {code.strip() for code in codes if code and code.strip()}
    found = list(ContexteTravail.objects.filter(code_ogr__in=wanted, is_active=True).order_by("libelle"))
    missing = wanted - {c.code_ogr for c in found}
    if missing:
        raise UnknownContexte(missing)
    return found


def _items(fiches: set[str]) -> dict[str, dict[str, Item]]:
    """Every active compétence and savoir of `fiches`, by fiche then code OGR (two queries)."""
    items: dict[str, dict[str, Item]] = defaultdict(dict)
    rows = FicheCompetence.objects.filter(fiche_id__in=fiches, competence__is_active=True).values_list(
        "fiche_id", "competence_id", "competence__libelle", "rubrique", "coeur_metier"
    )
    for fiche, code, libelle, rubrique, coeur in rows:
        nature = SAVOIR_FAIRE if rubrique == FicheCompetence.Rubrique.SAVOIR_FAIRE else SAVOIR_ETRE
        items[fiche][code] = Item(code, libelle, nature, coeur)
    savoirs = FicheSavoir.objects.filter(fiche_id__in=fiches, savoir__is_active=True).values_list(
        "fiche_id", "savoir_id", "savoir__libelle", "coeur_metier"
    )
    for fiche, code, libelle, coeur in savoirs:
        items[fiche][code] = Item(code, libelle, SAVOIR, coeur)
    return items


def _moves(sources: set[str]) -> dict[str, list[tuple[int, str]]]:
    """The active targets of each source, as (numero_ordre, code), best first."""
    moves: dict[str, list[tuple[int, str]]] = defaultdict(list)
    rows = Mobilite.objects.filter(fiche_source_id__in=sources, fiche_cible__is_active=True).values_list(
        "fiche_source_id", "numero_ordre", "fiche_cible_id"
    )
    for source, ordre, cible in rows:
        moves[source].append((ordre, cible))
    for targets in moves.values():
        targets.sort()
    return moves


def parcours(code_rome: str, pas: int = 2, sans_contextes: Iterable[str] = ()) -> Parcours | None:
    """The métiers reachable from `code_rome` in up to `pas` moves (1 or 2), without the excluded contextes.

    None when the fiche is unknown or retired; ValueError for another `pas`, UnknownContexte for an unknown
    contexte code. One-step targets keep ROME's order; a two-step target is ranked by its best path (rank of the
    first move, then of the second) and is never the origin nor a one-step target. A fiche carrying an excluded
    contexte is dropped, and so are the two-step targets only reachable through it.
    """
    if pas not in PAS_CHOICES:
        raise ValueError(f"pas must be one of {PAS_CHOICES}")
    exclus = contextes_exclus(sans_contextes)
    origine = FicheMetier.objects.filter(code_rome=code_rome, is_active=True).first()
    if origine is None:
        return None

    first = _moves({code_rome}).get(code_rome, [])
    second = _moves({code for _, code in first}) if pas == 2 else {}
    candidates = {code for _, code in first} | {c for targets in second.values() for _, c in targets}
    candidates.discard(code_rome)
    barred: set[str] = set()
    if exclus:
        barred = set(
            FicheContexteTravail.objects.filter(
                fiche_id__in=candidates, contexte__in=[c.code_ogr for c in exclus]
            ).values_list("fiche_id", flat=True)
        )

    fiches = {
        f.code_rome: f
        for f in FicheMetier.objects.filter(code_rome__in=candidates).only(
            "code_rome", "libelle", "domaine_professionnel_id"
        )
    }
    one_step = [(ordre, code) for ordre, code in first if code != code_rome]
    kept_one = [(ordre, code) for ordre, code in one_step if code not in barred]
    reached = {code for _, code in one_step}
    paths: dict[str, list[tuple[int, int, str]]] = defaultdict(list)  # target -> (ordre1, ordre2, via)
    for ordre1, step_code in kept_one:
        for ordre2, code in second.get(step_code, []):
            if code != code_rome and code not in reached:
                paths[code].append((ordre1, ordre2, step_code))
    kept_two = sorted(
        ((min(p), code) for code, p in paths.items() if code not in barred), key=lambda x: (x[0][:2], x[1])
    )
    ecartees = len(one_step) - len(kept_one)
    ecartees += len({code for code in paths if code in barred})

    targets = [code for _, code in kept_one] + [code for _, code in kept_two]
    items = _items({code_rome, *targets})
    own = items.get(code_rome, {})

    def cible(code: str, step: int, ordre: int, via: list[Etape]) -> Cible:
        fiche = fiches[code]
        theirs = items.get(code, {})
        missing = [item for key, item in theirs.items() if key not in own]
        missing.sort(
            key=lambda i: (not i.coeur_metier, ITEM_ORDER[i.nature], i.libelle.casefold(), i.code_ogr)
        )
        return Cible(
            code_rome=code,
            libelle=fiche.libelle,
            pas=step,
            ordre=ordre,
            meme_domaine=fiche.domaine_professionnel_id == origine.domaine_professionnel_id,
            via=via,
            a_acquerir=missing,
            en_commun=len(theirs) - len(missing),
        )

    cibles = [cible(code, 1, ordre, []) for ordre, code in kept_one]
    for (_, ordre2, _), code in kept_two:
        via = [Etape(v, fiches[v].libelle, o1) for o1, _, v in sorted(paths[code]) if v in fiches]
        cibles.append(cible(code, 2, ordre2, via))
    return Parcours(origine=origine, pas=pas, exclus=exclus, cibles=cibles, ecartees=ecartees)


def contextes_a_eviter(code_rome: str) -> list[ContexteTravail]:
    """The working conditions of a fiche (contextes of type 1, « Conditions de travail et risques
    professionnels »): what a person who does this job may want to leave behind, offered as filters."""
    return list(
        ContexteTravail.objects.filter(
            liens_fiches__fiche_id=code_rome, code_type=CONDITIONS_TYPE, is_active=True
        ).order_by("libelle")
    )
