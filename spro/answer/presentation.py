"""The presentable content of a first answer, in one home: the answer page and its downloaded summary both render
what `content()` returns, so they list the same needs, métiers, steps, structures (with the same contact facts:
address, phone, today's hours, open now, temporary closure) and resources.

The page calls it with the codes and ids of the `Answer` (`fields_of(result)`); the summary, which is a later POST
of those codes and ids from the page's hidden fields (the answer itself is never stored), calls it with what was
posted. Everything is looked up again from codes and ids, so that a forged post can only print known labels. What
the summary leaves out on purpose (the person's text, age and commune, hence the distances) is left out here for
both, and the page adds it around this content.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse

from spro.answer.types import Answer
from spro.core.codes import ROME
from spro.core.vocabularies.besoins import BESOIN_PUBLIC_LABELS, Besoin

MAX_ITEMS = 20
MAX_TEXT = 500
#: Kept in a posted summary field: the typology, the structure id, and « attente » for an open alternative.
WAITING = "attente"


@dataclass
class Fields:
    """Codes and ids of an answer: what the page's « Télécharger le résumé » form posts (nothing typed)."""

    besoins: list[str] = field(default_factory=list)
    metiers: list[str] = field(default_factory=list)
    #: (typologie, structure id or "" for a typology without structures, shown as an open alternative)
    structures: list[tuple[str, str, bool]] = field(default_factory=list)
    etapes: list[str] = field(default_factory=list)
    ressources: list[tuple[str, str]] = field(default_factory=list)  # titre, url

    def hidden_inputs(self) -> list[tuple[str, str]]:
        inputs = [("besoin", code) for code in self.besoins]
        inputs += [("metier", code) for code in self.metiers]
        inputs += [
            ("structure", f"{typologie}|{sid}" + (f"|{WAITING}" if waiting else ""))
            for typologie, sid, waiting in self.structures
        ]
        inputs += [("etape", step) for step in self.etapes]
        inputs += [("ressource", f"{titre}|{url}") for titre, url in self.ressources]
        return inputs


def fields_of(result: Answer) -> Fields:
    """The codes and ids of `result`: no text typed by the person, no age, no commune. A step that says the age
    (a Region's rule may write "{age}") stays off, as it would identify the person in a shared document."""
    fields = Fields(
        besoins=[b.code for b in result.analysis.besoins],
        metiers=[m.code_rome for m in result.analysis.metiers],
    )
    for orientation in result.orientations:
        fields.structures += [(orientation.typologie, s.id, s.en_attendant) for s in orientation.structures]
        if not orientation.structures:
            fields.structures.append((orientation.typologie, "", False))
    age = result.analysis.profile.age
    said = re.escape(str(age)) if age is not None else ""  # an AgeBand says « 18 à 25 »
    fields.etapes = [
        step for step in result.etapes if age is None or not re.search(rf"\b{said} ?ans\b", step)
    ]
    fields.ressources = [(r.titre, r.url) for r in result.ressources]
    return fields


def fields_from_post(data: QueryDict) -> Fields:
    """The same from a posted form (a QueryDict), bounded in count and length."""

    def values(name: str) -> list[str]:
        return [str(v)[:MAX_TEXT] for v in data.getlist(name)[:MAX_ITEMS]]

    structures = []
    for value in values("structure"):
        parts = value.split("|")
        if len(parts) >= 2:
            structures.append((parts[0], parts[1], len(parts) > 2 and parts[2] == WAITING))
    ressources = []
    for value in values("ressource"):
        titre, _sep, url = value.rpartition("|")
        ressources.append((titre, url))
    return Fields(
        besoins=values("besoin"),
        metiers=values("metier"),
        structures=structures,
        etapes=values("etape"),
        ressources=ressources,
    )


def absolute(url: str) -> str:
    """An absolute address for print and the summary, from the site's public address (SPRO_SITE_URL)."""
    if url.startswith("/"):
        return settings.SPRO_SITE_URL.rstrip("/") + url
    return url


def _metier_url(code: str) -> str:
    try:
        return reverse("metier", args=[code])
    except NoReverseMatch:
        return ""


def content(fields: Fields, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """What both the page and the summary show, from codes and ids only (unknown ones are dropped)."""
    from spro.directory import presenters, vocabularies
    from spro.directory.models import Structure
    from spro.referentials.rome.models import FicheMetier

    now = now or presenters.local_now()
    besoins = [
        {"code": code, "libelle": BESOIN_PUBLIC_LABELS[code]}
        for code in _unique(fields.besoins)
        if code in Besoin.values
    ]
    codes = [code for code in _unique(fields.metiers) if ROME.match(code)]
    fiches = dict(FicheMetier.objects.filter(code_rome__in=codes).values_list("code_rome", "libelle"))
    metiers = []
    for code in codes:
        if code in fiches:
            url = _metier_url(code)
            metiers.append(
                {"code_rome": code, "libelle": fiches[code], "url": url, "absolute_url": absolute(url)}
            )
    labels = vocabularies.typologies()
    found = {
        s.di_id: s
        for s in Structure.objects.active()
        .filter(di_id__in=[sid for _t, sid, _w in fields.structures if sid])
        .select_related("commune")
    }
    orientations: list[dict[str, Any]] = []
    by_type: dict[str, dict[str, Any]] = {}
    for typologie, sid, waiting in fields.structures:
        if typologie not in labels:
            continue
        if typologie not in by_type:
            by_type[typologie] = {"typologie": typologie, "libelle": labels[typologie], "structures": []}
            orientations.append(by_type[typologie])
        structure = found.get(sid)
        if structure is None or structure.typologie != typologie:
            continue
        url = presenters.structure_url(structure)
        by_type[typologie]["structures"].append(
            {
                "id": structure.di_id,
                "nom": structure.nom,
                "commune": structure.commune_nom or (structure.commune.nom if structure.commune_id else ""),
                "url": url,
                "absolute_url": absolute(url),
                "en_attendant": waiting,
                **presenters.contact(structure, now),
            }
        )
    etapes = [" ".join(step.split()) for step in fields.etapes if step.strip()]
    ressources = []
    for titre, url in fields.ressources:
        if titre and (url.startswith("/") or url.startswith("https://")):
            ressources.append({"titre": " ".join(titre.split()), "url": url, "absolute_url": absolute(url)})
    return {
        "besoins": besoins,
        "metiers": metiers,
        "etapes": etapes,
        "orientations": orientations,
        "ressources": ressources,
    }


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def summary_text(shown: dict[str, Any], *, today: dt.date) -> str:
    """The plain-text summary of `content()`: same sections, same order, absolute links."""
    lines = ["Votre première réponse – résumé", "=" * 31, ""]
    lines.append("Ce résumé ne contient ni votre message, ni votre âge, ni votre commune.")
    lines += ["", "Vos besoins"]
    lines += [f"- {b['libelle']}" for b in shown["besoins"]] or ["- (non précisés)"]
    if shown["metiers"]:
        lines += ["", "Des métiers à découvrir"]
        lines += [f"- {m['libelle']} ({m['code_rome']}) : {m['absolute_url']}" for m in shown["metiers"]]
    if shown["etapes"]:
        lines += ["", "Vos prochaines étapes"]
        lines += [f"{n}. {step}" for n, step in enumerate(shown["etapes"], start=1)]
    if shown["orientations"]:
        lines += ["", "Les structures qui peuvent vous aider"]
        for orientation in shown["orientations"]:
            lines.append(f"* {orientation['libelle']}")
            for s in orientation["structures"]:
                lines += _structure_lines(s)
    if shown["ressources"]:
        lines += ["", "Pour en savoir plus"]
        lines += [f"- {r['titre']} : {r['absolute_url']}" for r in shown["ressources"]]
    lines += ["", f"Document généré le {today:%d/%m/%Y} – {absolute(reverse('answer:question'))}"]
    return "\n".join(lines) + "\n"


def _structure_lines(s: dict[str, Any]) -> list[str]:
    head = f"  - {'Ouvert en attendant : ' if s['en_attendant'] else ''}{s['nom']}"
    lines = [head + (f", {s['commune']}" if s["commune"] else "")]
    if s["fermeture"]:
        lines.append(f"    {s['fermeture']['texte']}")
    if s["adresse"]:
        lines.append(f"    Adresse : {s['adresse']}")
    if s["telephone"]:
        lines.append(f"    Téléphone : {s['telephone']}")
    if s["courriel"]:
        lines.append(f"    Courriel : {s['courriel']}")
    if s["horaires_du_jour"]:
        lines.append(f"    Horaires du jour : {s['horaires_du_jour']}")
    if s["etat"]:
        lines.append(f"    {s['etat']} (au moment du téléchargement)")
    lines.append(f"    Fiche : {s['absolute_url']}")
    return lines


# --- The answer's address (issue 14) ----------------------------------------------------------------------------------
# After the form is sent, the answer has a GET address built from its non-personal parameters only: the needs (codes
# and scores), the métiers (ROME codes), the commune (INSEE code), an age band, and the closed-list facts that the
# routing rules read (statut, diploma level, left school, disability, written for a child). Never the text, never the
# exact age. The address renders the same orientations, steps and places again (`rebuild`), so that Back from the
# contact pages returns to the answer and the answer can be reopened.

#: Age bands of the address: their limits are those of the routing rules (15/16, 17/18, 25/26, 30/31), so that every
#: age of a band meets the same rules. (code, lowest age, highest age, words after « Vous avez … ans »)
AGE_BANDS = (
    ("moins-16", 10, 15, "moins de 16"),
    ("16-17", 16, 17, "16 ou 17"),
    ("18-25", 18, 25, "18 à 25"),
    ("26-30", 26, 30, "26 à 30"),
    ("31-plus", 31, 100, "plus de 30"),
)


class AgeBand(int):
    """An age band that the routing rules compare as its lowest age and that a reason prints as its words
    (« Vous avez {age} ans » → « Vous avez 16 ou 17 ans »)."""

    code: str
    words: str

    def __new__(cls, code: str) -> AgeBand:
        for band_code, low, _high, words in AGE_BANDS:
            if band_code == code:
                band = super().__new__(cls, low)
                band.code, band.words = band_code, words
                return band
        raise ValueError(code)

    def __str__(self) -> str:
        return self.words

    def __format__(self, spec: str) -> str:
        return self.words


#: Below this score, the best métier found is a guess, not what the person said (« jsp quoi faire apres le bac » →
#: « Conducteur passeur de bac », 0.443): the page then offers to explore by interests. Chosen on the bench
#: (bench/answer/requests*.jsonl, 264 requests with a métier, lexical matcher): under 0.5 fall 35 of the 129 wrong
#: first métiers and 4 of the 135 right ones; 0.55 would hide 29 right ones (many right matches score exactly 0.5).
WEAK_METIER_SCORE = 0.5
WEAK_FLAG = "faibles"


def weak_metiers(metiers: list[Any]) -> bool:
    """The métiers matched are all weak (see WEAK_METIER_SCORE); False when there are none."""
    return bool(metiers) and max(m.score for m in metiers) < WEAK_METIER_SCORE


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    return next((code for code, low, high, _w in AGE_BANDS if low <= age <= high), "")


def answer_query(result: Answer, *, weak_metiers: bool = False) -> list[tuple[str, str]]:
    """The GET parameters of `result`'s address (see above): codes only."""
    subject = result.analysis.profile.subject()
    query = [("besoin", f"{b.code}:{round(b.score, 2):g}") for b in result.analysis.besoins]
    if not weak_metiers:  # a guess is not carried: the answer is routed without it
        query += [("metier", m.code_rome) for m in result.analysis.metiers]
    if subject.commune:
        query.append(("commune", subject.commune))
    if band := age_band(subject.age):
        query.append(("age", band))
    if subject.statut:
        query.append(("statut", subject.statut))
    if subject.niveau:
        query.append(("niveau", subject.niveau))
    if subject.a_quitte_formation:
        query.append(("quitte", "1"))
    if subject.handicap:
        query.append(("handicap", "1"))
    if subject.for_child:
        query.append(("enfant", "1"))
    if weak_metiers:
        query.append(("metiers", WEAK_FLAG))
    return query


def answer_url(query: list[tuple[str, str]]) -> str:
    from urllib.parse import urlencode

    return reverse("answer:reponse") + "?" + urlencode(query)


def rebuild(data: QueryDict) -> Answer:
    """The answer of an address (`answer_query`), computed again by the routing from its parameters; unknown codes
    are dropped, so a forged address can only give an answer made of known rules and places."""
    from spro.answer import routing
    from spro.answer.rules import NIVEAUX
    from spro.answer.service import FOR_CHILD_PREFIX
    from spro.answer.types import Analysis, BesoinScore, MetierMatch, Profile
    from spro.core.codes import INSEE_COMMUNE
    from spro.core.vocabularies.statuts import KNOWN_STATUTS
    from spro.referentials.rome.models import FicheMetier

    def values(name: str) -> list[str]:
        return [str(v)[:MAX_TEXT] for v in data.getlist(name)[:MAX_ITEMS]]

    besoins = []
    for value in values("besoin"):
        code, _sep, score = value.partition(":")
        if code in Besoin.values:
            try:
                besoins.append(BesoinScore(code, min(max(float(score or 0.5), 0.0), 1.0)))
            except ValueError:
                continue
    codes = [code for code in _unique(values("metier")) if ROME.match(code)]
    fiches = dict(FicheMetier.objects.filter(code_rome__in=codes).values_list("code_rome", "libelle"))
    metiers = [MetierMatch(code, fiches[code], fiches[code], 0.0) for code in codes if code in fiches]
    try:
        age = AgeBand(data.get("age", ""))
    except ValueError:
        age = None
    commune = data.get("commune", "")
    statut = data.get("statut", "")
    niveau = data.get("niveau", "")

    profile = Profile(
        age=age,
        statut=statut if statut in KNOWN_STATUTS else None,
        handicap=True if data.get("handicap") == "1" else None,
        commune=commune if INSEE_COMMUNE.match(commune) else None,
        niveau=niveau if niveau in NIVEAUX else None,
        a_quitte_formation=True if data.get("quitte") == "1" else None,
    )
    orientations = routing.route(profile, besoins, metiers)
    if data.get("enfant") == "1":
        for orientation in orientations:
            orientation.raison = f"{FOR_CHILD_PREFIX}{orientation.raison[:1].lower()}{orientation.raison[1:]}"
            if orientation.raison_facile:
                facile = orientation.raison_facile
                orientation.raison_facile = f"{FOR_CHILD_PREFIX}{facile[:1].lower()}{facile[1:]}"
    etapes, ressources = routing.next_steps(profile, besoins, metiers)
    analysis = Analysis(besoins=besoins, metiers=metiers, profile=profile)
    return Answer(analysis=analysis, orientations=orientations, etapes=etapes, ressources=ressources)
