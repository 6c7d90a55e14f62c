"""Detail objects of the public information pages (métier, formation, certification, territoires).

Plain functions returning JSON-ready dicts (only str, int, float, bool, None, lists and dicts), so that the
HTML pages and the public API render exactly the same data. Each returns None when the code is unknown or
no longer in force (`is_active` false): the caller answers 404.

Links between referentials are only those the official data gives (Certif Info ROME codes, LHÉO ROME, Certif Info
and RNCP codes, ONISEP ids and RNCP numbers on certifications); nothing is guessed from titles. A fiche reaches its
formations through its certifications (ROME ↔ certification ↔ formation); Parcoursup and master offers carry no
certification code, so only the search (by their titles) finds them, which the fiche page says.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from typing import Any

from django.db.models import Count, Q, Sum

from spro.core.normaliser import STOP_WORDS, fold_word, split_words
from spro.referentials.certifications.models import Certification
from spro.referentials.formations.models import FormationOnisep, FormationParcoursup, Lycee, MentionMaster
from spro.referentials.geo.models import Commune, Departement, Region
from spro.referentials.labour.models import TensionIndicator, UnemploymentRate
from spro.referentials.offers.models import Action as OfferAction
from spro.referentials.offers.models import Formation as Offer
from spro.referentials.rome.models import FicheMetier
from spro.search.links import formations_url
from spro.search.service import haversine_km

#: How many linked items a detail object lists at most (the total is always given next to the list).
MAX_CERTIFICATIONS = 50
MAX_FORMATIONS = 50
MAX_TENSIONS = 10

RIASEC = {
    "R": (
        "Réaliste",
        "aimer le concret : manipuler des outils, des machines, des matériaux, travailler dehors",
    ),
    "I": ("Investigateur", "aimer comprendre : observer, analyser, chercher, résoudre des problèmes"),
    "A": ("Artistique", "aimer créer : imaginer, s’exprimer, inventer des formes, des images, des textes"),
    "S": ("Social", "aimer les autres : aider, soigner, conseiller, enseigner, accompagner"),
    "E": ("Entreprenant", "aimer agir et convaincre : décider, diriger, vendre, prendre des initiatives"),
    "C": (
        "Conventionnel",
        "aimer l’ordre et la méthode : organiser, classer, suivre des règles et des procédures",
    ),
}

TENSION_LABELS = {
    1: "tension très faible",
    2: "tension faible",
    3: "tension moyenne",
    4: "tension forte",
    5: "tension très forte",
}

FORMATION_PREFIXES = ("onisep", "parcoursup", "master", "offre")


# ---- Helpers ------------------------------------------------------------------------------------------------
def _key(word: str) -> str:
    return word.casefold().strip("().,'’")


def _same_stem(masculine: str, feminine: str) -> bool:
    """Two words are the gender pair of one word when equal or sharing their first three letters."""
    a, b = _key(masculine), _key(feminine)
    return a == b or (len(a) >= 3 and len(b) >= 3 and a[:3] == b[:3])


def split_gender(label: str) -> tuple[str, str]:
    """ROME's "Masculin / Féminin complément" label as (masculine, feminine) full titles.

    The words before " / " are the masculine form; the first words after it are the matching feminine words
    and the rest is shared: "Chef coiffeur / Cheffe coiffeuse" and "Infirmier / Infirmière en soins
    généraux". When the masculine part starts with words that have no feminine counterpart ("Cadre Dirigeant /
    Dirigeante d'administration"), those words are shared too. A label without " / " is epicene.
    """
    if " / " not in label:
        return label, label
    left, right = label.split(" / ", 1)
    left_words, right_words = left.split(), right.split()
    if not left_words or not right_words:
        return label, label
    paired = 1
    for count in range(min(len(left_words), len(right_words)), 0, -1):
        tail = left_words[-count:]
        if all(_same_stem(m, f) for m, f in zip(tail, right_words[:count], strict=True)):
            paired = count
            break
    prefix = left_words[: len(left_words) - paired]
    rest = right_words[paired:]
    masculine = " ".join([*left_words, *rest])
    feminine = " ".join([*prefix, *right_words])
    return masculine, feminine


def metier_titles(label: str) -> dict[str, str]:
    """A métier label and its masculine and feminine forms (« Infirmier / Infirmière »), as pages and API show them."""
    masculine, feminine = split_gender(label)
    return {"libelle": label, "masculin": masculine, "feminin": feminine}


def html_to_paragraphs(text: str) -> list[str]:
    """LHÉO free text may carry HTML: plain paragraphs for display (never rendered as HTML)."""
    if not text:
        return []
    text = re.sub(r"(?i)<\s*(br|/p|/li|/div|/h\d|/ul|/ol)\b[^>]*>", "\n", text)
    text = re.sub(r"(?i)<\s*li\b[^>]*>", "\n• ", text)
    text = re.sub(r"<[^>]*>", "", text)
    text = html.unescape(text)
    return [line.strip() for line in text.split("\n") if line.strip() and line.strip() != "•"]


def metier_url(code_rome: str) -> str:
    return f"/metiers/{code_rome}"


def formation_url(formation_id: str) -> str:
    return f"/formations/{formation_id}"


def certification_url(code: str) -> str:
    return f"/certifications/certifinfo-{code}"


def fiche_summary(fiche: FicheMetier) -> dict[str, Any]:
    return {"code_rome": fiche.code_rome, **metier_titles(fiche.libelle), "url": metier_url(fiche.code_rome)}


def certification_summary(cert: Certification) -> dict[str, Any]:
    return {
        "id": f"certifinfo-{cert.code}",
        "code": cert.code,
        "libelle": cert.libelle,
        "type": cert.type_libelle,
        "niveau_europeen": cert.niveau_europeen,
        "url": certification_url(cert.code),
    }


def _onisep_summary(formation: FormationOnisep) -> dict[str, Any]:
    niveau = formation.niveau_rncp_libelle if formation.niveau_europeen else ""
    return {
        "id": f"onisep-{formation.id}",
        "source": "onisep",
        "libelle": formation.libelle,
        "sous_titre": " – ".join(part for part in (formation.type_libelle, formation.duree, niveau) if part),
        "url": formation_url(f"onisep-{formation.id}"),
    }


def _offer_summary(offer: Any) -> dict[str, Any]:
    communes = sorted(
        {a.lieu_commune.nom for a in offer.actions.all() if a.lieu_commune_id and a.lieu_commune}
    )
    return {
        "id": f"offre-{offer.numero}",
        "source": "offre",
        "libelle": offer.intitule,
        "sous_titre": " – ".join(part for part in (offer.organisme.nom, ", ".join(communes)) if part),
        "url": formation_url(f"offre-{offer.numero}"),
    }


def _riasec(code: str) -> dict[str, str] | None:
    if code not in RIASEC:
        return None
    libelle, explication = RIASEC[code]
    return {"code": code, "libelle": libelle, "explication": explication}


def resolve_commune(value: str | None) -> Commune | None:
    """The commune of `value` read by the one resolver (`spro.referentials.geo.resolver`), a valid INSEE code first
    (the pages pass the code they resolved, the API documents INSEE codes), then a postal code or a name; None when
    nothing or several communes fit (the pages offer the choice before calling this)."""
    from spro.referentials.geo.resolver import resolve

    return resolve(value, insee_first=True).model()


# ---- Métier -------------------------------------------------------------------------------------------------
def _competence_groups(fiche: FicheMetier) -> list[dict[str, Any]]:
    """Savoir-faire, savoir-être, savoirs, each grouped by sous-catégorie; core items and groups first."""
    sections: OrderedDict[str, dict[str, Any]] = OrderedDict(
        (
            ("savoir_faire", {"categorie": "savoir_faire", "libelle": "Savoir-faire", "groupes": {}}),
            (
                "savoir_etre",
                {"categorie": "savoir_etre", "libelle": "Savoir-être professionnels", "groupes": {}},
            ),
            ("savoirs", {"categorie": "savoirs", "libelle": "Savoirs", "groupes": {}}),
        )
    )
    links = fiche.liens_competences.filter(competence__is_active=True).select_related("competence")
    for link in links:
        section = "savoir_faire" if link.rubrique == 1 else "savoir_etre"
        group = link.competence.sous_categorie or "Autres"
        sections[section]["groupes"].setdefault(group, []).append(
            {
                "code_ogr": link.competence.code_ogr,
                "libelle": link.competence.libelle,
                "coeur_metier": link.coeur_metier,
            }
        )
    for link in fiche.liens_savoirs.filter(savoir__is_active=True).select_related("savoir"):
        savoir = link.savoir
        group = " – ".join(part for part in (savoir.categorie, savoir.sous_categorie) if part) or "Autres"
        sections["savoirs"]["groupes"].setdefault(group, []).append(
            {"code_ogr": savoir.code_ogr, "libelle": savoir.libelle, "coeur_metier": link.coeur_metier}
        )
    result = []
    for section in sections.values():
        groups = []
        for name, items in section["groupes"].items():
            items.sort(key=lambda item: (not item["coeur_metier"], item["libelle"].casefold()))
            groups.append({"libelle": name, "items": items})
        groups.sort(key=lambda g: (-sum(i["coeur_metier"] for i in g["items"]), g["libelle"].casefold()))
        if groups:
            result.append(
                {"categorie": section["categorie"], "libelle": section["libelle"], "groupes": groups}
            )
    return result


def _contextes(fiche: FicheMetier) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[str]] = {}
    links = fiche.liens_contextes.filter(contexte__is_active=True).select_related("contexte")
    for link in links.order_by("contexte__code_type", "contexte__libelle"):
        groups.setdefault((link.contexte.code_type, link.contexte.libelle_type), []).append(
            link.contexte.libelle
        )
    return [
        {"code_type": code, "libelle": label, "items": items}
        for (code, label), items in sorted(groups.items())
    ]


def _tension(fiche: FicheMetier, commune: Commune | None) -> dict[str, Any]:
    """The tension in the person's bassin d'emploi (when a commune is known) and a national summary."""
    tensions = TensionIndicator.objects.filter(fiche_metier=fiche)
    latest = tensions.order_by("-annee").values_list("annee", flat=True).first()
    result: dict[str, Any] = {
        "annee": latest,
        "bassins": 0,
        "bassins_en_tension": 0,
        "local": None,
        "commune": None,
    }
    if commune is not None:  # said even without indicators, so the page never claims the commune is unknown
        result["commune"] = {"code_insee": commune.code_insee, "nom": commune.nom}
    if latest is None:
        return result
    tensions = tensions.filter(annee=latest)
    summary = tensions.aggregate(n=Count("id"), forts=Count("id", filter=Q(indicateur__gte=4)))
    result["bassins"], result["bassins_en_tension"] = summary["n"], summary["forts"]
    if commune is not None:
        result["commune"] = {"code_insee": commune.code_insee, "nom": commune.nom}
        if commune.bassin_emploi_id:
            local = tensions.filter(bassin_id=commune.bassin_emploi_id).select_related("bassin").first()
            if local is not None:
                result["local"] = {
                    "bassin": {"code": local.bassin_id, "nom": local.bassin.nom},
                    "indicateur": local.indicateur,
                    "libelle": TENSION_LABELS[local.indicateur],
                    "offres": local.offres,
                    "demandeurs": local.demandeurs,
                }
            else:
                bassin = commune.bassin_emploi
                result["local"] = {"bassin": {"code": bassin.code, "nom": bassin.nom}, "indicateur": None}
    return result


def formations_for_certifications(
    certs: list[Certification], first: set[str] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """ONISEP formations named by the certifications (Onisep ids) or sharing their RNCP number.

    Alphabetical; those of the certifications in `first` (codes) come first (see `linked_certifications`).
    """
    ideo = {code for cert in certs for code in (cert.codes_ideo2 or [])}
    rncp = {cert.code_rncp for cert in certs if cert.code_rncp}
    if not ideo and not rncp:
        return [], 0
    found = FormationOnisep.objects.filter(is_active=True).filter(Q(id__in=ideo) | Q(code_rncp__in=rncp))
    total = found.count()
    if first is None:
        return [_onisep_summary(f) for f in found.order_by("libelle", "id")[:MAX_FORMATIONS]], total
    first_certs = [cert for cert in certs if cert.code in first]
    first_ideo = {code for cert in first_certs for code in (cert.codes_ideo2 or [])}
    first_rncp = {cert.code_rncp for cert in first_certs if cert.code_rncp}
    ranked = sorted(
        found,
        key=lambda f: (f.id not in first_ideo and f.code_rncp not in first_rncp, f.libelle.casefold(), f.id),
    )
    return [_onisep_summary(f) for f in ranked[:MAX_FORMATIONS]], total


def _words(*labels: str) -> set[str]:
    """Accent- and case-folded words of three letters or more (de, et, la… dropped by length or stop list)."""
    return {
        fold_word(w) for label in labels for w in split_words(label) if len(w) >= 3 and w not in STOP_WORDS
    }


def _nsf_domain(cert: Certification) -> str:
    """The NSF domain of a certification: the first two digits of its NSF code (33 = santé), or ""."""
    return (cert.code_nsf or "")[:2]


def _real_routes(fiche: FicheMetier) -> list[Certification]:
    """The certifications that are real routes to a fiche, in Certif Info's order.

    Certif Info gives a certification up to five ROME codes (`rang` 1 to 5): the first is the métier it prepares
    for, the others are further outlets, and some are far from it (« Master mention philosophie » has J1506
    Infirmier at rang 3). A certification whose first code is the fiche is always kept; one that names the fiche
    further down is kept only when it is in the same field (NSF domain, two digits: 33 = santé) as one of the
    certifications whose first code is the fiche, or when the fiche has no such certification to compare with,
    or when the certification has no NSF code.
    """
    links = list(
        fiche.liens_certifications.filter(certification__is_active=True)
        .select_related("certification")
        .order_by("rang", "certification__niveau_europeen", "certification__libelle")
    )
    fields = {_nsf_domain(link.certification) for link in links if link.rang == 1} - {""}
    return [
        link.certification
        for link in links
        if link.rang == 1
        or not fields
        or not _nsf_domain(link.certification)
        or _nsf_domain(link.certification) in fields
    ]


def linked_certifications(fiche: FicheMetier) -> tuple[list[Certification], set[str], FicheMetier | None]:
    """The certifications of a fiche, best first, the codes of the closest ones, and the parent they came from.

    Certif Info links a certification to ROME v3 codes (Code_Rome_1..5); ROME 4.0 kept those codes as the
    parent fiches (`code_rome_parent`) and added finer fiches under them (M1855 Développeur web under M1805
    Développeur informatique). A finer fiche therefore has no link of its own: it gets its parent's, those whose
    title shares a word with the fiche's own name or appellations (and not with the parent's name: « web »,
    not « développeur ») first. The order uses titles; the link itself is only the official code.
    """
    certs = _real_routes(fiche)
    parent = fiche.parent if fiche.parent_id and fiche.parent_id != fiche.code_rome else None
    if parent is None or not parent.is_active:
        return certs, {c.code for c in certs}, None
    own = {c.code for c in certs}
    inherited = [cert for cert in _real_routes(parent) if cert.code not in own]
    if not inherited:
        return certs, own, None
    labels = [
        fiche.libelle,
        *fiche.appellations.filter(is_active=True).values_list("libelle_long", flat=True),
    ]
    distinctive = _words(*labels) - _words(parent.libelle)
    close = [c for c in inherited if _words(c.libelle) & distinctive]
    others = [c for c in inherited if not (_words(c.libelle) & distinctive)]
    first = own | {c.code for c in close}
    return certs + close + others, first, parent


def _offers(filter_q: Q) -> tuple[list[dict[str, Any]], int]:
    offers = Offer.objects.filter(filter_q, is_active=True).distinct()
    total = offers.count()
    chosen = offers.select_related("organisme").prefetch_related("actions__lieu_commune")
    return [_offer_summary(o) for o in chosen.order_by("intitule", "numero")[:MAX_FORMATIONS]], total


def _offers_preparing(certs: list[Certification]) -> Q:
    """LHÉO offers that name one of these certifications: by Certif Info code, or by RNCP number (written with or
    without its « RNCP » prefix). The codes are JSON lists, matched as quoted strings on both databases."""
    q = Q(pk__in=[])
    for cert in certs:
        q |= Q(codes_certifinfo__icontains=f'"{cert.code}"')
        if cert.code_rncp:
            q |= Q(codes_rncp__icontains=f'"{cert.code_rncp}"') | Q(
                codes_rncp__icontains=f'"RNCP{cert.code_rncp}"'
            )
    return q


def _nearest_km(offers: Any, commune: Commune) -> dict[int, float]:
    """For each offer with a located action (its own coordinates, else its commune's), the distance in km from
    `commune` to its nearest action."""
    nearest: dict[int, float] = {}
    rows = OfferAction.objects.filter(formation__in=offers.values("pk")).values_list(
        "formation_id", "latitude", "longitude", "lieu_commune__latitude", "lieu_commune__longitude"
    )
    for offer_id, lat, lon, commune_lat, commune_lon in rows:
        if lat is None or lon is None:
            lat, lon = commune_lat, commune_lon
        if lat is None or lon is None:
            continue
        km = haversine_km(commune.latitude, commune.longitude, lat, lon)
        if km < nearest.get(offer_id, float("inf")):
            nearest[offer_id] = km
    return nearest


def fiche_offers(
    fiche: FicheMetier, certs: list[Certification], commune: Commune | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """The LHÉO offers of a fiche: those citing its ROME code and those preparing one of `certs` (by code).

    With a located `commune`, the offers with a place come first, nearest first (`distance_km` given), then the
    others alphabetically; returns (near, others, total).
    """
    offers = Offer.objects.filter(Q(liens_rome__fiche=fiche) | _offers_preparing(certs), is_active=True)
    offers = offers.distinct()
    total = offers.count()
    if not total:
        return [], [], 0
    chosen = offers.select_related("organisme").prefetch_related("actions__lieu_commune")
    if commune is None or commune.latitude is None or commune.longitude is None:
        return [], [_offer_summary(o) for o in chosen.order_by("intitule", "numero")[:MAX_FORMATIONS]], total
    nearest = _nearest_km(offers, commune)
    closest = sorted(nearest, key=nearest.__getitem__)
    if len(closest) > MAX_FORMATIONS:  # keep the ties at the cut, ordered by title below
        cut = round(nearest[closest[MAX_FORMATIONS - 1]], 1)
        closest = [pk for pk in closest if round(nearest[pk], 1) <= cut]
    ranked = sorted(
        chosen.filter(pk__in=closest) if closest else [],
        key=lambda o: (round(nearest[o.pk], 1), o.intitule.casefold(), o.numero),
    )
    near = [{**_offer_summary(o), "distance_km": round(nearest[o.pk], 1)} for o in ranked[:MAX_FORMATIONS]]
    room = MAX_FORMATIONS - len(near)
    if room <= 0:
        return near, [], total
    others = [o for o in chosen.order_by("intitule", "numero")[: room + len(nearest)] if o.pk not in nearest]
    return near, [_offer_summary(o) for o in others[:room]], total


# The level of a diploma as a young reader says it (European qualification framework level -> words).
LEVEL_WORDS = {
    2: "sans diplôme",
    3: "CAP",
    4: "bac",
    5: "bac + 2",
    6: "bac + 3",
    7: "bac + 5",
    8: "bac + 8",
}
# ROME work-context types shown in the fiche's summary band (code_type of ContexteTravail).
CONTEXT_CONDITIONS = "1"
CONTEXT_HOURS = "2"
CONTEXT_PLACES = "6"


def _studies(certs: list[Certification]) -> dict[str, Any]:
    """The entry levels of the métier and the length of the shortest route, from its closest certifications.

    `niveaux`: the distinct levels, lowest first, in words (« bac + 3 »); `duree`: the length of an ONISEP formation
    preparing one of the lowest-level certifications (« 3 ans ») and its title, or None when no source gives it.
    """
    levels = sorted({c.niveau_europeen for c in certs if c.niveau_europeen in LEVEL_WORDS})
    result: dict[str, Any] = {"niveaux": [LEVEL_WORDS[n] for n in levels], "duree": None}
    if not levels:
        return result
    lowest = [c for c in certs if c.niveau_europeen == levels[0]]
    ideo = {code for cert in lowest for code in (cert.codes_ideo2 or [])}
    rncp = {cert.code_rncp for cert in lowest if cert.code_rncp}
    formation = (
        FormationOnisep.objects.filter(is_active=True)
        .filter(Q(id__in=ideo) | Q(code_rncp__in=rncp))
        .exclude(duree="")
        .order_by("libelle", "id")
        .first()
    )
    if formation is not None:
        result["duree"] = {"texte": formation.duree, "formation": formation.libelle}
    return result


def _summary_band(
    phrases: list[str], certs: list[Certification], contextes: list[dict[str, Any]], secteurs: list[str]
) -> dict[str, Any]:
    """What the fiche's summary band says first (docs/design/fiche.md): the job in one sentence, entry levels
    and study length, where one works, hours and conditions. Each part is empty when no source gives it."""
    by_type = {group["code_type"]: group["items"] for group in contextes}
    return {
        "phrase": phrases[0] if phrases else "",
        **_studies(certs),
        "lieux": by_type.get(CONTEXT_PLACES) or secteurs,
        "horaires": by_type.get(CONTEXT_HOURS, []),
        "conditions": by_type.get(CONTEXT_CONDITIONS, []),
    }


def metier_detail(code_rome: str, commune: str | None = None) -> dict[str, Any] | None:
    """The fiche métier; `commune` (INSEE code, postal code or name) selects the bassin d'emploi for tension."""
    fiche = (
        FicheMetier.objects.filter(code_rome=code_rome, is_active=True)
        .select_related("domaine_professionnel__grand_domaine")
        .first()
    )
    if fiche is None:
        return None
    domaine = fiche.domaine_professionnel
    phrases = fiche.definition_phrases
    appellations = [
        {
            "code_ogr": a.code_ogr,
            **metier_titles(a.libelle_long),
            "principale": a.classification == "PRINCIPALE",
            "peu_usite": a.peu_usite,
        }
        for a in fiche.appellations.filter(is_active=True)
    ]
    appellations.sort(key=lambda a: (not a["principale"], a["peu_usite"], a["libelle"].casefold()))
    mobilites = [
        {**fiche_summary(link.fiche_cible), "ordre": link.numero_ordre}
        for link in fiche.liens_mobilites.filter(fiche_cible__is_active=True)
        .select_related("fiche_cible")
        .order_by("numero_ordre")
    ]
    certs, closest, parent = linked_certifications(fiche)
    onisep, onisep_total = formations_for_certifications(certs, closest if parent else None)
    place = resolve_commune(commune)
    near, offers, offers_total = fiche_offers(fiche, certs[:MAX_CERTIFICATIONS], place)
    centres = [
        {
            "code": link.centre_interet_id,
            "libelle": link.centre_interet.libelle,
            "principal": link.principal,
            "url": f"/centres-interet/{link.centre_interet_id}",
        }
        for link in fiche.liens_centres_interet.filter(centre_interet__is_active=True)
        .select_related("centre_interet")
        .order_by("-principal", "centre_interet__libelle")
    ]
    secteurs = list(
        fiche.liens_secteurs_activite.filter(secteur__is_active=True)
        .order_by("-principal", "secteur__libelle")
        .values_list("secteur__libelle", flat=True)
    )
    competences = _competence_groups(fiche)
    contextes = _contextes(fiche)
    return {
        "code_rome": fiche.code_rome,
        **metier_titles(fiche.libelle),
        "url": metier_url(fiche.code_rome),
        "domaine": {
            "code": domaine.code,
            "libelle": domaine.libelle,
            "url": f"/domaines/{domaine.code}",
            "grand_domaine": {
                "code": domaine.grand_domaine_id,
                "libelle": domaine.grand_domaine.libelle,
                "url": f"/domaines/{domaine.grand_domaine_id}",
            },
        },
        "definition": {"introduction": phrases[0] if phrases else "", "activites": phrases[1:]},
        "acces_metier": fiche.acces_metier_phrases,
        "appellations": appellations,
        "competences": competences,
        "competences_coeur": [
            item
            for section in competences
            for group in section["groupes"]
            for item in group["items"]
            if item["coeur_metier"]
        ],
        "contextes_travail": contextes,
        "resume": _summary_band(phrases, [c for c in certs if c.code in closest], contextes, secteurs),
        "riasec": {"majeur": _riasec(fiche.riasec_majeur), "mineur": _riasec(fiche.riasec_mineur)},
        "centres_interet": centres,
        "secteurs_activite": secteurs,
        "mobilites": mobilites,
        "certifications": [certification_summary(c) for c in certs[:MAX_CERTIFICATIONS]],
        "certifications_total": len(certs),
        "certifications_proches": len(closest),
        "certifications_parent": fiche_summary(parent) if parent else None,
        "formations": near + onisep + offers,
        "formations_total": onisep_total + offers_total,
        "formations_proches": len(near),
        "formations_recherche": formations_url(fiche.libelle, place.code_insee if place else None),
        "tension": _tension(fiche, place),
        "transitions": {
            "ecologique": fiche.est_transition_ecologique,
            "ecologique_libelle": fiche.transition_eco,
            "numerique": fiche.est_transition_numerique,
            "demographique": fiche.est_transition_demographique,
        },
        "emploi_reglemente": fiche.emploi_reglemente,
        "emploi_cadre": fiche.emploi_cadre,
    }


# ---- Certification ------------------------------------------------------------------------------------------
ACCES_LABELS = {
    "acces_fi": "formation initiale",
    "acces_ca": "contrat d'apprentissage",
    "acces_fc": "formation continue",
    "acces_cp": "contrat de professionnalisation",
    "acces_vae": "validation des acquis de l'expérience (VAE)",
    "acces_ind": "candidature individuelle",
}


def certification_detail(certification_id: str) -> dict[str, Any] | None:
    """A Certif Info certification by its platform id `certifinfo-<Code_Diplome>`."""
    prefix, _, code = certification_id.partition("-")
    if prefix != "certifinfo" or not code:
        return None
    cert = (
        Certification.objects.filter(code=code, is_active=True)
        .select_related("groupe_nsf", "diplome_bcn")
        .first()
    )
    if cert is None:
        return None
    links = (
        cert.liens_metiers.filter(fiche_metier__is_active=True)
        .select_related("fiche_metier")
        .order_by("rang")
    )
    metiers = [{**fiche_summary(link.fiche_metier), "rang": link.rang} for link in links]
    linked = {m["code_rome"] for m in metiers}
    onisep, onisep_total = formations_for_certifications([cert])
    offers, offers_total = _offers(_offers_preparing([cert]))
    return {
        "id": f"certifinfo-{cert.code}",
        "code": cert.code,
        "libelle": cert.libelle,
        "url": certification_url(cert.code),
        "type": cert.type_libelle,
        "type_code": cert.type_code,
        "niveau_europeen": cert.niveau_europeen,
        "formacode": {"code": cert.formacode, "libelle": cert.formacode_libelle} if cert.formacode else None,
        "nsf": {"code": cert.groupe_nsf_id, "libelle": cert.groupe_nsf.libelle} if cert.groupe_nsf else None,
        "code_rncp": cert.code_rncp,
        "codes_rs": list(cert.codes_rs or []),
        "code_cfd": cert.code_cfd,
        "diplome_bcn": (
            {"code": cert.diplome_bcn_id, "libelle": cert.diplome_bcn.libelle} if cert.diplome_bcn else None
        ),
        "certificateur": cert.certificateur,
        "valideur": cert.valideur,
        "premiere_session": cert.annee_premiere_session,
        "derniere_session": cert.annee_derniere_session,
        "etat": cert.etat_libelle,
        "date_maj": cert.date_maj.isoformat() if cert.date_maj else None,
        "acces": [
            {"code": field.removeprefix("acces_"), "libelle": label, "possible": getattr(cert, field)}
            for field, label in ACCES_LABELS.items()
        ],
        "ancien_diplome": (
            {
                "code": cert.code_ancien_diplome,
                "libelle": cert.intitule_ancien_diplome,
                "url": certification_url(cert.code_ancien_diplome),
            }
            if cert.code_ancien_diplome
            and Certification.objects.filter(code=cert.code_ancien_diplome).exists()
            else None
        ),
        "metiers": metiers,
        "codes_rome_hors_rome4": [code for code in (cert.codes_rome or []) if code not in linked],
        "formations": onisep + offers,
        "formations_total": onisep_total + offers_total,
    }


# ---- Formations ---------------------------------------------------------------------------------------------
def _certs_by_rncp(codes: set[str]) -> list[Certification]:
    codes = {c for c in codes if c}
    if not codes:
        return []
    return list(Certification.objects.filter(is_active=True, code_rncp__in=codes).order_by("libelle"))


def _metiers_of(certs: list[Certification]) -> list[dict[str, Any]]:
    fiches = (
        FicheMetier.objects.filter(is_active=True, liens_certifications__certification__in=certs)
        .distinct()
        .order_by("libelle")
    )
    return [fiche_summary(f) for f in fiches]


def _onisep_detail(key: str) -> dict[str, Any] | None:
    formation = FormationOnisep.objects.filter(id=key, is_active=True).first()
    if formation is None:
        return None
    certs = list(
        Certification.objects.filter(is_active=True)
        .filter(
            Q(code_ideo2=formation.id) | Q(code_rncp=formation.code_rncp)
            if formation.code_rncp
            else Q(code_ideo2=formation.id)
        )
        .order_by("libelle")
    )
    return {
        "source": "onisep",
        "source_libelle": "Catalogue ONISEP (formations initiales)",
        "titre": formation.libelle,
        "sous_titre": formation.type_libelle,
        "champs": [
            ("Type de formation", formation.type_libelle),
            ("Sigle", formation.sigle),
            ("Durée", formation.duree),
            ("Niveau", formation.niveau_rncp_libelle),
            ("Niveau européen", str(formation.niveau_europeen) if formation.niveau_europeen else ""),
            ("Tutelle", "" if formation.tutelle == "non renseigné" else formation.tutelle),
            ("Code RNCP", formation.code_rncp),
            ("Identifiant ONISEP", formation.id),
        ],
        "domaines": [
            " – ".join(part for part in (d.get("domaine", ""), d.get("sous_domaine", "")) if part)
            for d in formation.domaines or []
            if isinstance(d, dict)
        ],
        "lien_externe": {"url": formation.url, "libelle": "La fiche sur onisep.fr"}
        if formation.url
        else None,
        "certifications": [certification_summary(c) for c in certs],
        "metiers": _metiers_of(certs),
        "lieux": [],
    }


def _parcoursup_detail(key: str) -> dict[str, Any] | None:
    formation = FormationParcoursup.objects.filter(id=key, is_active=True).first()
    if formation is None:
        return None
    lieu = {
        "nom": formation.etablissement,
        "commune": "",
        "latitude": formation.latitude,
        "longitude": formation.longitude,
    }
    return {
        "source": "parcoursup",
        "source_libelle": "Parcoursup (formations de l'enseignement supérieur)",
        "titre": formation.filiere,
        "sous_titre": formation.etablissement,
        "champs": [
            ("Type de formation", formation.type_formation),
            ("Établissement", formation.etablissement),
            ("Statut de l'établissement", formation.statut),
            ("Région", formation.region),
            ("Code UAI", formation.uai),
        ],
        "domaines": [],
        "lien_externe": None,
        "certifications": [],
        "metiers": [],
        "lieux": [lieu],
    }


def _master_detail(key: str) -> dict[str, Any] | None:
    mention = MentionMaster.objects.filter(id=key, is_active=True).select_related("commune").first()
    if mention is None:
        return None
    etablissement = mention.etablissement_nom_usage or mention.etablissement
    return {
        "source": "master",
        "source_libelle": "Trouver mon master (mentions de master)",
        "titre": f"Master {mention.intitule}",
        "sous_titre": etablissement,
        "champs": [
            ("Mention", mention.intitule),
            ("Établissement", mention.etablissement),
            ("Adresse", " ".join(p for p in (mention.adresse, mention.code_postal, mention.ville) if p)),
            ("Modalités", ", ".join(mention.modalites or [])),
            ("Semestre d'accès", mention.semestre_acces),
            ("Capacité d'accueil", str(mention.capacite) if mention.capacite is not None else ""),
            ("Établissements co-accrédités", mention.co_accreditation.replace(",", ", ")),
            ("Licences conseillées", mention.licences_conseillees),
            ("Campagne", str(mention.campagne)),
        ],
        "domaines": list(mention.domaines or []),
        "lien_externe": {"url": mention.url, "libelle": "Le site de l'établissement"}
        if mention.url
        else None,
        "certifications": [],
        "metiers": [],
        "lieux": [
            {
                "nom": etablissement,
                "commune": mention.commune.nom if mention.commune else mention.ville,
                "latitude": mention.commune.latitude if mention.commune else None,
                "longitude": mention.commune.longitude if mention.commune else None,
            }
        ],
    }


def _offer_detail(key: str) -> dict[str, Any] | None:
    offer = (
        Offer.objects.filter(numero=key, is_active=True)
        .select_related("organisme")
        .prefetch_related("actions__lieu_commune", "actions__sessions", "fiches_rome")
        .first()
    )
    if offer is None:
        return None
    certs = list(
        Certification.objects.filter(is_active=True)
        .filter(
            Q(code__in=offer.codes_certifinfo or [])
            | Q(code_rncp__in=[c for c in offer.codes_rncp or [] if c])
        )
        .order_by("libelle")
    )
    metiers = [fiche_summary(f) for f in offer.fiches_rome.filter(is_active=True).order_by("libelle")]
    lieux = []
    for action in offer.actions.all():
        sessions = [
            {
                "debut": s.debut.isoformat() if s.debut else None,
                "fin": s.fin.isoformat() if s.fin else None,
                "etat_recrutement": s.get_etat_recrutement_display() if s.etat_recrutement else "",
            }
            for s in action.sessions.all()
        ]
        lieux.append(
            {
                "nom": action.lieu_nom,
                "commune": action.lieu_commune.nom if action.lieu_commune else "",
                "latitude": action.latitude,
                "longitude": action.longitude,
                "modalite": action.get_modalites_enseignement_display()
                if action.modalites_enseignement
                else "",
                "rythme": action.rythme,
                "duree": action.duree_indicative,
                "heures": action.nombre_heures_total,
                "prix_total_ttc": float(action.prix_total_ttc) if action.prix_total_ttc is not None else None,
                "sessions": sessions,
            }
        )
    organisme = offer.organisme
    return {
        "source": "offre",
        "source_libelle": "Offre de formation continue (LHÉO, Carif-Oref)",
        "titre": offer.intitule,
        "sous_titre": organisme.nom,
        "champs": [
            ("Organisme", organisme.nom),
            ("Formation certifiante", "oui" if offer.certifiante else "non"),
            ("Niveau à l'entrée", offer.get_niveau_entree_display() if offer.niveau_entree else ""),
            ("Niveau à la sortie", offer.get_niveau_sortie_display() if offer.niveau_sortie else ""),
            ("Parcours", offer.get_parcours_display() if offer.parcours else ""),
            ("Codes RNCP", ", ".join(offer.codes_rncp or [])),
            ("Identifiant LHÉO", offer.numero),
        ],
        "objectif": html_to_paragraphs(offer.objectif),
        "resultats_attendus": html_to_paragraphs(offer.resultats_attendus),
        "contenu": html_to_paragraphs(offer.contenu),
        "domaines": [],
        "lien_externe": None,
        "certifications": [certification_summary(c) for c in certs],
        "metiers": metiers,
        "lieux": lieux,
    }


def formation_detail(formation_id: str) -> dict[str, Any] | None:
    """A formation by its platform id: onisep-<FOR.n>, parcoursup-<id>, master-<id> or offre-<LHÉO numero>."""
    prefix, _, key = formation_id.partition("-")
    if prefix not in FORMATION_PREFIXES or not key:
        return None
    builder = {
        "onisep": _onisep_detail,
        "parcoursup": _parcoursup_detail,
        "master": _master_detail,
        "offre": _offer_detail,
    }[prefix]
    detail = builder(key)
    if detail is None:
        return None
    detail.setdefault("objectif", [])
    detail.setdefault("resultats_attendus", [])
    detail.setdefault("contenu", [])
    detail["champs"] = [{"libelle": label, "valeur": value} for label, value in detail["champs"] if value]
    return {"id": formation_id, "type": "formation", "url": formation_url(formation_id), **detail}


# ---- Territoires --------------------------------------------------------------------------------------------
def _top_tensions(communes: Any) -> list[dict[str, Any]]:
    """Métiers most often in strong tension (4 or 5) across the bassins d'emploi of these communes."""
    bassins = communes.exclude(bassin_emploi=None).values("bassin_emploi").distinct()
    latest = TensionIndicator.objects.order_by("-annee").values_list("annee", flat=True).first()
    if latest is None:
        return []
    rows = (
        TensionIndicator.objects.filter(
            annee=latest, bassin__in=bassins, indicateur__gte=4, fiche_metier__is_active=True
        )
        .values("fiche_metier__code_rome", "fiche_metier__libelle")
        .annotate(bassins=Count("bassin", distinct=True), offres=Sum("offres"))
        .order_by("-bassins", "-offres", "fiche_metier__code_rome")[:MAX_TENSIONS]
    )
    return [
        {
            "code_rome": row["fiche_metier__code_rome"],
            **metier_titles(row["fiche_metier__libelle"]),
            "url": metier_url(row["fiche_metier__code_rome"]),
            "bassins": row["bassins"],
            "offres": row["offres"],
            "annee": latest,
        }
        for row in rows
    ]


def _chomage(**zone: Any) -> dict[str, Any] | None:
    rate = UnemploymentRate.objects.filter(**zone).order_by("-annee").first()
    return {"annee": rate.annee, "taux": rate.taux} if rate else None


def _territory_formations(communes: Any) -> dict[str, Any]:
    masters = MentionMaster.objects.filter(is_active=True, commune__in=communes)
    offers_total = Offer.objects.filter(is_active=True, actions__lieu_commune__in=communes).distinct().count()
    return {
        "masters": masters.count(),
        "masters_exemples": [
            {
                "id": f"master-{m.id}",
                "libelle": f"Master {m.intitule}",
                "sous_titre": m.etablissement_nom_usage or m.etablissement,
                "url": formation_url(f"master-{m.id}"),
            }
            for m in masters.order_by("intitule", "id")[:10]
        ],
        "offres": offers_total,
        "lycees": Lycee.objects.filter(is_active=True, commune__in=communes).count(),
    }


def region_detail(code: str) -> dict[str, Any] | None:
    region = Region.objects.filter(code=code, is_active=True).first()
    if region is None:
        return None
    communes = Commune.objects.filter(region=region, is_active=True, type=Commune.Type.COMMUNE)
    stats = communes.aggregate(n=Count("code_insee"), population=Sum("population"))
    departements = [
        {"code": d.code, "nom": d.nom, "url": f"/territoires/departements/{d.code}"}
        for d in region.departements.filter(is_active=True).order_by("code")
    ]
    return {
        "code": region.code,
        "nom": region.nom,
        "url": f"/territoires/regions/{region.code}",
        "departements": departements,
        "communes": stats["n"],
        "population": stats["population"],
        "chomage": _chomage(niveau="region", region=region),
        "formations": _territory_formations(communes),
        "metiers_en_tension": _top_tensions(communes),
    }


def departement_detail(code: str) -> dict[str, Any] | None:
    departement = Departement.objects.filter(code=code, is_active=True).select_related("region").first()
    if departement is None:
        return None
    communes = Commune.objects.filter(departement=departement, is_active=True, type=Commune.Type.COMMUNE)
    stats = communes.aggregate(n=Count("code_insee"), population=Sum("population"))
    biggest = [
        {"code_insee": c.code_insee, "nom": c.nom, "population": c.population}
        for c in communes.exclude(population=None).order_by("-population", "nom")[:10]
    ]
    region = departement.region
    return {
        "code": departement.code,
        "nom": departement.nom,
        "url": f"/territoires/departements/{departement.code}",
        "region": {"code": region.code, "nom": region.nom, "url": f"/territoires/regions/{region.code}"},
        "communes": stats["n"],
        "population": stats["population"],
        "principales_communes": biggest,
        "chomage": _chomage(niveau="departement", departement=departement),
        "formations": _territory_formations(communes),
        "metiers_en_tension": _top_tensions(communes),
    }
