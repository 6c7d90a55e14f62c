"""From needs and profile to orientations (typologies with the reason and the nearest structures), next steps and
information cards, by applying the rule files of `rules/` (docs/answer-rules.md).

Scoring, documented because the SPRO must be neutral and the order testable:
* a rule that matches gives each of its typologies `poids × need factor`, the need factor being the highest score
  among the person's needs that the rule names (1 when the rule names no need, i.e. it fires on the profile alone);
* a typology proposed by several rules keeps its **highest** score (max, not sum: a typology named by many rules
  does not climb for that reason) and the reason of that strongest rule (first rule in file order on a tie);
* typologies are ordered by score, then by typology code; structures are never part of the score;
* the structures of a typology are the nearest active ones (spro.directory.search.nearest: by distance, then name,
  then id) whose zone of competence covers the person's commune and whose age limits admit them. When none within
  `rayon_km` covers the commune, the competent ones however far (a regional office); failing that, the nearest ones
  within `rayon_km` anyway, and the reason says so; with no commune, the typology is listed without structures.
  A structure temporarily closed today is still shown (closed is not absent), with its closure dates, and the next
  structure of the typology that is open today, in the same order, is added after it (« Ouvert en attendant »);
* at most `limit` (5) typologies, and none scoring under 40 % of the best one.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from spro.answer.rules import RuleSet, load_rules, need_scores, render
from spro.answer.types import (
    AnswerError,
    BesoinScore,
    MetierMatch,
    Orientation,
    Profile,
    Ressource,
    Step,
    StructureHit,
)
from spro.directory import presenters
from spro.directory import search as directory
from spro.directory.models import Structure
from spro.referentials.geo.models import Commune
from spro.search.links import formations_url

MAX_ORIENTATIONS = 5
#: An orientation scoring under this fraction of the best one is left out (less noise, fewer directory queries).
MIN_RELATIVE_SCORE = 0.4
MIN_STEPS, MAX_STEPS = 3, 6
MAX_METIER_CARDS = 3
MAX_RULE_CARDS = 6

NOT_COMPETENT_NOTE = (
    " Aucune structure de ce type n'indique couvrir votre commune dans un rayon de {rayon:g} km : voici les plus"
    " proches, appelez-les avant de vous déplacer."
)
NONE_NEAR_NOTE = " Aucune structure de ce type n'est référencée près de chez vous dans l'annuaire."
#: The same notes, « Facile à lire » (spro/core/readability.py thresholds; tests/answer/test_facile.py).
NOT_COMPETENT_NOTE_FACILE = (
    " Ces lieux ne disent pas aider les gens de votre commune. Appelez avant d'y aller."
)
NONE_NEAR_NOTE_FACILE = " Nous ne connaissons pas ce type de lieu près de chez vous."


def route(
    profile: Profile,
    besoins: list[BesoinScore],
    metiers: list[MetierMatch],
    *,
    structures_per_typologie: int = 3,
    rayon_km: float = 60,
    limit: int = MAX_ORIENTATIONS,
    rules: RuleSet | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[Orientation]:
    """The typologies best placed to help, best first, each with its reason and nearest structures (a temporarily
    closed one with the next open one). `now` (Europe/Paris) dates the contact facts; `today` defaults to its day."""
    rules = rules or load_rules()
    scores = need_scores(besoins)
    has_metier = bool(metiers)
    best: dict[str, Orientation] = {}
    for rule in rules.orientations.regles:
        if not rule.quand.matches(profile, scores, has_metier):
            continue
        factor = rule.quand.need_factor(scores)
        for action in rule.alors:
            score = round(action.poids * factor, 6)
            current = best.get(action.typologie)
            if current is None or score > current.score:
                raison = render(action.raison.strip(), profile, metiers)
                facile = render(action.facile.strip(), profile, metiers) if action.facile else ""
                best[action.typologie] = Orientation(
                    action.typologie, raison, rule.id, score, raison_facile=facile
                )
    orientations = sorted(best.values(), key=lambda o: (-o.score, o.typologie))[:limit]
    if orientations:  # weak proposals (e.g. the default rule) only show when nothing stronger applies
        floor = orientations[0].score * MIN_RELATIVE_SCORE
        orientations = [o for o in orientations if o.score >= floor]
    commune = _commune(profile.commune)
    if commune is not None and orientations:
        now = now or presenters.local_now()
        today = today or now.date()
        candidates = _candidates(commune, [o.typologie for o in orientations], profile.age)
        for orientation in orientations:
            _attach_structures(orientation, candidates, structures_per_typologie, rayon_km, today, now)
    return orientations


def _commune(code: str | None) -> Commune | None:
    if not code:
        return None
    try:
        return directory.find_commune(code)
    except directory.SearchError as error:
        raise AnswerError(error.detail, error.code) from None


def _candidates(commune: Commune, typologies: list[str], age: int | None) -> list[tuple[directory.Hit, bool]]:
    """The structures of these typologies, nearest first, each with whether its zone of competence covers the
    commune: all those within the directory's largest radius, plus, for a typology with no competent one there, the
    competent ones however far (a region-wide Transitions Pro may sit 200 km from the person). At most three
    queries per answer, whatever the number of typologies."""
    try:
        near = directory.nearest(
            commune=commune,
            typologies=typologies,
            age=age,
            competence=False,
            rayon_km=directory.MAX_RADIUS_KM,
            limit=None,
        ).hits
        competent = set(
            Structure.objects.filter(pk__in=[hit.structure.pk for hit in near])
            .covering(commune)
            .values_list("pk", flat=True)
        )
        served = {hit.structure.typologie for hit in near if hit.structure.pk in competent}
        missing = [typologie for typologie in typologies if typologie not in served]
        far = []
        if missing:
            far = directory.nearest(
                commune=commune, typologies=missing, age=age, competence=True, rayon_km=None, limit=None
            ).hits
    except directory.SearchError as error:
        raise AnswerError(error.detail, error.code) from None
    seen = {hit.structure.pk for hit in near}
    candidates = [(hit, hit.structure.pk in competent) for hit in near]
    candidates += [(hit, True) for hit in far if hit.structure.pk not in seen]
    return candidates


def _attach_structures(
    orientation: Orientation,
    candidates: list[tuple[directory.Hit, bool]],
    count: int,
    rayon_km: float,
    today: dt.date,
    now: dt.datetime,
) -> None:
    """Competent structures within `rayon_km`; else the competent ones further away (a regional office, a
    département's Cap emploi); else the nearest non-competent ones, with a note in the reason. When one shown is
    temporarily closed today and none shown is open, the first open one in the same order follows it."""
    of_type = [
        (hit, competent) for hit, competent in candidates if hit.structure.typologie == orientation.typologie
    ]

    def near(hit: directory.Hit) -> bool:
        # directory.nearest gives every hit a distance (None is only for listings without a location).
        return hit.distance_km is not None and hit.distance_km <= rayon_km

    hits = [hit for hit, competent in of_type if competent and near(hit)]
    if not hits:
        hits = [hit for hit, competent in of_type if competent]
    if not hits:
        hits = [hit for hit, _ in of_type if near(hit)]
        note = NOT_COMPETENT_NOTE if hits else NONE_NEAR_NOTE
        orientation.raison += note.format(rayon=rayon_km)
        if orientation.raison_facile:
            orientation.raison_facile += NOT_COMPETENT_NOTE_FACILE if hits else NONE_NEAR_NOTE_FACILE
    shown = hits[:count]
    closed = [hit for hit in shown if hit.structure.closure_on(today) is not None]
    if closed and len(closed) == len(shown):
        # The next one open: same preference order (competent near, competent far, then any near), not closed.
        order = hits + [hit for hit, _ in of_type if hit not in hits]
        waiting = next((hit for hit in order if hit.structure.closure_on(today) is None), None)
        if waiting is not None:
            shown = [*shown, waiting]
    orientation.structures = [structure_hit(hit, now, en_attendant=hit not in hits[:count]) for hit in shown]


def structure_hit(hit: directory.Hit, now: dt.datetime, *, en_attendant: bool = False) -> StructureHit:
    """A structure of an orientation with its contact facts (spro.directory.presenters.contact: the same facts as
    /structures, the structure's page, the API and the downloaded summary)."""
    structure = hit.structure
    return StructureHit(
        id=structure.di_id,
        nom=structure.nom,
        commune=structure.commune_nom or (structure.commune.nom if structure.commune else ""),
        distance_km=hit.distance_km,
        url=reverse("structure", args=[structure.di_id]),
        contact=presenters.contact(structure, now),
        en_attendant=en_attendant,
    )


def next_steps(
    profile: Profile, besoins: list[BesoinScore], metiers: list[MetierMatch], *, rules: RuleSet | None = None
) -> tuple[list[str], list[Ressource]]:
    """3 to 6 next steps (plain language, from etapes.yaml) and the information cards, both best first.

    Steps: the matching rules by `poids × need factor` (then file order), their steps in order, without repeats,
    completed by the default rule (no condition) up to three. Cards: the métiers found (fiche métier), a formation
    search for the first one, then the matching cards of ressources.yaml by the same score.
    """
    rules = rules or load_rules()
    scores = need_scores(besoins)
    has_metier = bool(metiers)

    steps: list[str] = []
    for rule in _ranked(rules.etapes.regles, profile, scores, has_metier):
        for etape in rule.etapes:
            step = render(etape.texte.strip(), profile, metiers)
            if step not in steps and len(steps) < MAX_STEPS:
                facile = render(etape.facile.strip(), profile, metiers) if etape.facile else ""
                steps.append(Step(step, facile))
    if (
        len(steps) < MIN_STEPS
    ):  # cannot happen with a validated file (a default rule has 3 steps); kept as a guard
        raise AnswerError("Les règles des étapes ne donnent pas assez d'étapes.", "rules-incomplete")

    cards: list[Ressource] = []
    for metier in metiers[:MAX_METIER_CARDS]:
        cards.append(
            Ressource(
                titre=f"Fiche métier : {metier.libelle}",
                url=reverse("metier", args=[metier.code_rome]),
                description="Le métier, ses compétences, les formations qui y mènent.",
                kind="metier",
                facile="Ce que fait ce métier. Comment apprendre ce métier.",
            )
        )
    if metiers:
        cards.append(
            Ressource(
                titre=f"Les formations pour devenir {metiers[0].appellation or metiers[0].libelle}",
                url=formations_url(metiers[0].libelle, profile.commune),
                description="Les formations proposées près de chez vous et à distance.",
                kind="formation",
                facile="Les formations près de chez vous. Et les formations à distance.",
            )
        )
    seen = {card.url for card in cards}
    for rule in _ranked(rules.ressources.regles, profile, scores, has_metier)[:MAX_RULE_CARDS]:
        if rule.url in seen:
            continue
        seen.add(rule.url)
        cards.append(
            Ressource(rule.titre, rule.url, rule.texte.strip(), rule.type, (rule.facile or "").strip())
        )
    return steps, cards


def _ranked(regles: list, profile: Profile, scores: dict[str, float], has_metier: bool) -> list:
    """Matching rules by `poids × need factor`, best first; file order on a tie."""
    matched = [
        (rule.poids * rule.quand.need_factor(scores), index, rule)
        for index, rule in enumerate(regles)
        if rule.quand.matches(profile, scores, has_metier)
    ]
    return [rule for _, _, rule in sorted(matched, key=lambda item: (-item[0], item[1]))]
