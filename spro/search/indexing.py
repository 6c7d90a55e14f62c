"""Build the search index from the referentials: one SearchDocument per métier, formation and certification.

`rebuild_index()` rewrites the whole index in one transaction (readers keep seeing the previous index until it
commits), then refreshes the vendor's full-text structure and the vocabulary. It reads the referentials with
`values()` queries and writes with one prepared INSERT run over each batch (`executemany`), never one query per row.

Ids (SEARCH.md): métier = code ROME; formations `onisep-<FOR.nnnn>`, `parcoursup-<id>`, `master-<id>`,
`offre-<n>` (n = the LHÉO `numero` of the action, or `<formation numero>#<rank>` when the action has none);
certifications `certifinfo-<code>`.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.db import transaction

from spro.core.normaliser import normalise
from spro.referentials.importing import insert_rows
from spro.referentials.models import ImportRun
from spro.search.backends import get_backend
from spro.search.models import IndexBuild, SearchDocument, SearchVocabulary

BATCH = 2000
DEFINITION_CHARS = 400

#: Public codes (docs/contracts.md statut vocabulary) a document is meant for, derived from its modalities.
PUBLICS_INITIALE_LOW = ["collegien", "lyceen"]
PUBLICS_INITIALE_HIGH = ["lyceen", "etudiant"]
PUBLICS_CONTINUE = ["salarie", "demandeur-emploi", "independant"]


def offer_id(formation_numero: str, action_numero: str) -> str:
    """The platform id of one LHÉO action: its own `numero`, or the formation's plus the rank."""
    if action_numero.startswith("#"):
        return f"offre-{formation_numero}{action_numero}"
    return f"offre-{action_numero}"


def _filtres(modalites: Iterable[str], publics: Iterable[str]) -> str:
    parts = [f"mod:{m}" for m in modalites] + [f"pub:{p}" for p in publics]
    return "|" + "|".join(parts) + "|" if parts else ""


def _phrases(labels: Iterable[str]) -> str:
    """Normalised labels, both halves of "Masculin / Féminin" titles, as "|a b|c d|" for the exact bonus."""
    seen: list[str] = []
    for label in labels:
        for half in [label, *label.split(" / ")] if " / " in label else [label]:
            norm = normalise(half)
            if norm and norm not in seen:
                seen.append(norm)
    return "|" + "|".join(seen) + "|" if seen else ""


def _publics(modalites: list[str], niveau: str) -> list[str]:
    out: list[str] = []
    if "initiale" in modalites or "apprentissage" in modalites:
        out += PUBLICS_INITIALE_LOW if niveau in ("", "3", "4") else PUBLICS_INITIALE_HIGH
    if "continue" in modalites or "apprentissage" in modalites:
        out += PUBLICS_CONTINUE
    return sorted(set(out))


def _modality_words(modalites: list[str]) -> str:
    """Words added to the text so that "alternance" or "à distance" in a query match the modality."""
    words = {
        "initiale": "formation initiale",
        "apprentissage": "alternance",
        "continue": "formation continue",
    }
    return " ".join(words.get(m, m) for m in modalites)


def _doc(**fields) -> SearchDocument:
    fields.setdefault("modalites", [])
    fields.setdefault("publics", [])
    fields["filtres"] = _filtres(fields["modalites"], fields["publics"])
    fields["titre_norm"] = normalise(fields["titre"])
    fields["titre"] = fields["titre"][:500]
    fields["sous_titre"] = fields.get("sous_titre", "")[:500]
    fields["texte_norm"] = normalise(fields.pop("texte", ""))
    fields.setdefault("phrases_norm", _phrases([fields["titre"]]))
    return SearchDocument(**fields)


class _Geo:
    """Communes by code and a 0.1° grid, to place a point (Parcoursup) in a commune, département, région."""

    def __init__(self) -> None:
        Commune = apps.get_model("geo", "Commune")
        self.communes: dict[str, tuple] = {}
        self.grid: dict[tuple[int, int], list[tuple]] = defaultdict(list)
        rows = Commune.objects.filter(is_active=True).values_list(
            "code_insee", "nom", "departement_id", "region_id", "latitude", "longitude", "type"
        )
        for code, nom, dep, reg, lat, lon, kind in rows:
            self.communes[code] = (nom, dep, reg, lat, lon)
            if lat is not None and lon is not None and kind == "commune-actuelle":
                self.grid[(math.floor(lat * 10), math.floor(lon * 10))].append((lat, lon, code))

    def nearest(self, lat: float, lon: float) -> str | None:
        best, best_d = None, 1e9
        gy, gx = math.floor(lat * 10), math.floor(lon * 10)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for clat, clon, code in self.grid.get((gy + dy, gx + dx), ()):
                    d = (clat - lat) ** 2 + ((clon - lon) * math.cos(math.radians(lat))) ** 2
                    if d < best_d:
                        best, best_d = code, d
        return best


def _rome_documents() -> Iterator[SearchDocument]:
    Fiche = apps.get_model("rome", "FicheMetier")
    Appellation = apps.get_model("rome", "Appellation")
    FicheCompetence = apps.get_model("rome", "FicheCompetence")
    FicheCentreInteret = apps.get_model("rome", "FicheCentreInteret")
    appellations: dict[str, list[str]] = defaultdict(list)
    for fiche_id, label in Appellation.objects.filter(is_active=True).values_list("fiche_id", "libelle_long"):
        appellations[fiche_id].append(label)
    competences: dict[str, list[str]] = defaultdict(list)
    for fiche_id, label in FicheCompetence.objects.values_list("fiche_id", "competence__libelle"):
        competences[fiche_id].append(label)
    interets: dict[str, list[str]] = defaultdict(list)
    for fiche_id, label in FicheCentreInteret.objects.values_list("fiche_id", "centre_interet__libelle"):
        interets[fiche_id].append(label)
    fiches = Fiche.objects.filter(is_active=True).values_list(
        "code_rome",
        "libelle",
        "definition",
        "domaine_professionnel__grand_domaine_id",
        "domaine_professionnel__grand_domaine__libelle",
    )
    for code, libelle, definition, domaine, domaine_libelle in fiches:
        labels = appellations.get(code, [])
        texte = " ".join(
            [
                *labels,
                *competences.get(code, []),
                *interets.get(code, []),
                (definition or "")[:DEFINITION_CHARS],
                domaine_libelle or "",
            ]
        )
        yield _doc(
            type="metier",
            code=code,
            titre=libelle,
            sous_titre=f"Métier · {domaine_libelle}" if domaine_libelle else "Métier",
            url=f"/metiers/{code}",
            texte=texte,
            phrases_norm=_phrases([libelle, *labels]),
            domaine=domaine or "",
        )


def _fiche_domaines() -> tuple[dict[str, str], dict[str, str]]:
    Fiche = apps.get_model("rome", "FicheMetier")
    rows = Fiche.objects.values_list("code_rome", "libelle", "domaine_professionnel__grand_domaine_id")
    return {c: lib for c, lib, _ in rows}, {c: d or "" for c, _, d in rows}


def _certification_documents() -> Iterator[SearchDocument]:
    Certification = apps.get_model("certifications", "Certification")
    Link = apps.get_model("certifications", "CertificationMetier")
    fiche_labels, fiche_domaines = _fiche_domaines()
    metiers: dict[str, list[str]] = defaultdict(list)
    for cert, fiche in Link.objects.order_by("certification_id", "rang").values_list(
        "certification_id", "fiche_metier_id"
    ):
        metiers[cert].append(fiche)
    rows = Certification.objects.filter(is_active=True).values_list(
        "code",
        "libelle",
        "type_libelle",
        "niveau_europeen",
        "formacode_libelle",
        "groupe_nsf__libelle",
        "acces_fi",
        "acces_ca",
        "acces_cp",
        "acces_fc",
        "acces_vae",
    )
    for code, libelle, type_libelle, niveau, formacode, nsf, fi, ca, cp, fc, vae in rows:
        modalites = [
            m for m, on in (("initiale", fi), ("apprentissage", ca or cp), ("continue", fc or vae)) if on
        ]
        niveau_s = str(niveau) if niveau else ""
        fiches = metiers.get(code, [])
        yield _doc(
            type="certification",
            code=f"certifinfo-{code}",
            titre=libelle,
            sous_titre=" · ".join(x for x in (type_libelle, f"niveau {niveau_s}" if niveau_s else "") if x),
            url=f"/certifications/certifinfo-{code}",
            texte=" ".join(
                [type_libelle, formacode or "", nsf or "", "vae" if vae else "", _modality_words(modalites)]
                + [fiche_labels.get(f, "") for f in fiches]
            ),
            niveau=niveau_s,
            modalites=modalites,
            publics=_publics(modalites, niveau_s),
            domaine=fiche_domaines.get(fiches[0], "") if fiches else "",
        )


def _formation_documents(geo: _Geo) -> Iterator[SearchDocument]:
    Onisep = apps.get_model("formations", "FormationOnisep")
    for fid, libelle, type_libelle, sigle, niveau, domaines in Onisep.objects.filter(
        is_active=True
    ).values_list("id", "libelle", "type_libelle", "sigle", "niveau_europeen", "domaines"):
        niveau_s = str(niveau) if niveau else ""
        domain_words = " ".join(
            f"{d.get('domaine', '')} {d.get('sous_domaine', '')}"
            for d in domaines or []
            if isinstance(d, dict)
        )
        modalites = ["initiale"]
        yield _doc(
            type="formation",
            code=f"onisep-{fid}",
            titre=libelle,
            sous_titre=type_libelle,
            url=f"/formations/onisep-{fid}",
            texte=f"{type_libelle} {sigle} {domain_words} formation initiale",
            niveau=niveau_s,
            modalites=modalites,
            publics=_publics(modalites, niveau_s),
        )

    Parcoursup = apps.get_model("formations", "FormationParcoursup")
    for pid, filiere, type_formation, etab, lat, lon in Parcoursup.objects.filter(is_active=True).values_list(
        "id", "filiere", "type_formation", "etablissement", "latitude", "longitude"
    ):
        commune = geo.nearest(lat, lon) if lat is not None and lon is not None else None
        nom, dep, reg = geo.communes[commune][:3] if commune else ("", "", "")
        modalites = ["initiale"]
        if "apprentissage" in filiere.lower():
            modalites.append("apprentissage")
        niveau = _niveau_from_type(type_formation)
        yield _doc(
            type="formation",
            code=f"parcoursup-{pid}",
            titre=filiere,
            sous_titre=" · ".join(x for x in (etab, nom) if x),
            url=f"/formations/parcoursup-{pid}",
            texte=f"{etab} {nom} {_modality_words(modalites)}",
            niveau=niveau,
            modalites=modalites,
            publics=_publics(modalites, niveau),
            latitude=lat,
            longitude=lon,
            code_departement=dep or "",
            code_region=reg or "",
        )

    Master = apps.get_model("formations", "MentionMaster")
    for mid, intitule, etab, ville, commune, mods, domaines in Master.objects.filter(
        is_active=True
    ).values_list("id", "intitule", "etablissement", "ville", "commune_id", "modalites", "domaines"):
        nom, dep, reg, lat, lon = geo.communes.get(commune, ("", "", "", None, None))
        lowered = " ".join(mods or []).lower()
        modalites = [
            m
            for m, words in (
                ("initiale", ("initiale",)),
                ("apprentissage", ("alternance", "apprentissage")),
                ("continue", ("continue",)),
                ("distance", ("distance",)),
            )
            if any(w in lowered for w in words)
        ] or ["initiale"]
        yield _doc(
            type="formation",
            code=f"master-{mid}",
            titre=f"Master {intitule}",
            sous_titre=" · ".join(x for x in (etab, ville) if x),
            url=f"/formations/master-{mid}",
            texte=f"{etab} {ville} {' '.join(str(d) for d in domaines or [])} {_modality_words(modalites)}",
            niveau="7",
            modalites=modalites,
            publics=_publics(modalites, "7"),
            latitude=lat,
            longitude=lon,
            code_departement=dep or "",
            code_region=reg or "",
        )


_LHEO_LEVELS = {"4": "3", "5": "4", "6": "5", "7": "6", "8": "7"}


def _niveau_from_type(type_formation: str) -> str:
    t = (type_formation or "").lower()
    for prefix, niveau in (
        ("bts", "5"),
        ("but", "6"),
        ("licence", "6"),
        ("double licence", "6"),
        ("cpge", "5"),
        ("d.e", "6"),
        ("dn made", "6"),
        ("certificat de specialisation", "4"),
        ("formation d ingenieur", "7"),
    ):
        if t.startswith(prefix):
            return niveau
    return ""


def _offer_documents(geo: _Geo) -> Iterator[SearchDocument]:
    """LHÉO continuing-education offers (spro.referentials.offers), one document per Action."""
    if not apps.is_installed("spro.referentials.offers"):
        return
    Action = apps.get_model("offers", "Action")
    rows = Action.objects.filter(formation__is_active=True).values_list(
        "numero",
        "formation__numero",
        "formation__intitule",
        "formation__objectif",
        "formation__niveau_sortie",
        "formation__organisme__nom",
        "lieu_commune_id",
        "latitude",
        "longitude",
        "modalites_alternance",
        "modalites_enseignement",
        "codes_public_vise",
    )
    for numero, f_numero, intitule, objectif, niveau, organisme, commune, lat, lon, alt, ens, publics in rows:
        nom, dep, reg, clat, clon = geo.communes.get(commune, ("", "", "", None, None))
        modalites = ["continue"]
        if alt:
            modalites.append("apprentissage")
        if ens == "2":
            modalites.append("distance")
        code = offer_id(f_numero, numero)
        niveau_s = _LHEO_LEVELS.get(niveau or "", "")
        yield _doc(
            type="formation",
            code=code,
            titre=intitule,
            sous_titre=" · ".join(x for x in (organisme, nom) if x),
            url=f"/formations/{code}",
            texte=f"{(objectif or '')[:DEFINITION_CHARS]} {nom} {_modality_words(modalites)}",
            niveau=niveau_s,
            modalites=modalites,
            publics=sorted(set(_publics(modalites, niveau_s)) | {str(p) for p in publics or []}),
            latitude=clat if clat is not None else lat,
            longitude=clon if clon is not None else lon,
            code_departement=dep or "",
            code_region=reg or "",
        )


def _structure_documents() -> Iterator[SearchDocument]:
    """The directory's active structures (spro.directory): found by name, typologie, town and description."""
    if not apps.is_installed("spro.directory"):
        return
    from spro.directory.vocabularies import typologies  # only when the directory is installed

    labels = typologies()
    Structure = apps.get_model("directory", "Structure")
    rows = Structure.objects.filter(is_active=True).values_list(
        "di_id",
        "nom",
        "typologie",
        "description",
        "commune_nom",
        "commune__departement_id",
        "commune__region_id",
        "latitude",
        "longitude",
    )
    for di_id, nom, typologie, description, commune, dep, reg, lat, lon in rows:
        label = labels.get(typologie, "")
        yield _doc(
            type="structure",
            code=di_id,
            titre=nom,
            sous_titre=" · ".join(x for x in (label, commune) if x),
            url=f"/structures/{di_id}",
            texte=f"{label} {typologie} {commune} {(description or '')[:DEFINITION_CHARS]}",
            latitude=lat,
            longitude=lon,
            code_departement=dep or "",
            code_region=reg or "",
        )


def iter_documents() -> Iterator[SearchDocument]:
    geo = _Geo()
    yield from _rome_documents()
    yield from _certification_documents()
    yield from _formation_documents(geo)
    yield from _offer_documents(geo)
    yield from _structure_documents()


def rebuild_index(log=None) -> IndexBuild:
    """Rewrite the whole index atomically and return the build record (documents per type, seconds)."""
    started = time.monotonic()
    counts: Counter[str] = Counter()
    df: Counter[str] = Counter()
    df_title: Counter[str] = Counter()
    len_titre = len_texte = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchVocabulary.objects.all().delete()
        batch: list[SearchDocument] = []
        seen: set[tuple[str, str]] = set()
        for doc in iter_documents():
            if (doc.type, doc.code) in seen:
                continue  # the same id twice in a source: keep the first
            seen.add((doc.type, doc.code))
            counts[doc.type] += 1
            len_titre += doc.titre_norm.count(" ") + 1
            len_texte += doc.texte_norm.count(" ") + 1
            title_tokens = set(doc.titre_norm.split())
            df.update(title_tokens | set(doc.texte_norm.split()))
            df_title.update(title_tokens)
            batch.append(doc)
            if len(batch) >= BATCH:
                insert_rows(SearchDocument, batch)
                batch = []
        insert_rows(SearchDocument, batch)
        SearchVocabulary.objects.bulk_create(
            (SearchVocabulary(token=t[:100], df=n, df_titre=df_title.get(t, 0)) for t, n in df.items()),
            batch_size=5000,
        )
        get_backend().after_rebuild()
        total = sum(counts.values())
        stats = {
            "avg_titre_len": round(len_titre / max(total, 1), 3),
            "avg_texte_len": round(len_texte / max(total, 1), 3),
        }
        build = IndexBuild.objects.create(
            documents=total, seconds=round(time.monotonic() - started, 2), counts={**counts, **stats}
        )
    if log:
        log(f"Index de recherche : {build.documents} documents {dict(counts)} en {build.seconds} s")
    return build


def ensure_index(log=None) -> IndexBuild | None:
    """Build the index when it has never been built (e.g. `spro import all --if-empty` found nothing to do)."""
    if IndexBuild.objects.exists():
        return None
    return rebuild_index(log=log)


def index_is_current() -> bool:
    """True when a search index exists and no import has written anything since it was built: an `import all`
    that changed nothing then need not rebuild it (a rebuild takes tens of seconds). An import that wrote changes
    but whose rebuild did not follow (killed, failed) leaves a newer ImportRun with changes: rebuilt next time."""
    last = IndexBuild.objects.order_by("-built_at").first()
    if last is None:
        return False
    newer = ImportRun.objects.filter(
        status=ImportRun.Status.SUCCESS, dry_run=False, started_at__gte=last.built_at
    ).values_list("counts", flat=True)
    changes = ("created", "updated", "retired", "deleted")
    return not any(
        (model_counts or {}).get(name, 0)
        for counts in newer
        for model_counts in (counts or {}).values()
        if isinstance(model_counts, dict)
        for name in changes
    )


def refresh_after_import(sender, *, changed: bool, only_if_missing: bool = False, **kwargs) -> str | None:
    """Receiver of `spro.referentials.signals.referentials_imported` (connected in SearchConfig.ready): after
    `spro import all`, rebuild the index so that it never lags behind; the line returned is printed by the command."""
    if only_if_missing:
        build = ensure_index()
    elif changed or not index_is_current():
        build = rebuild_index()
    else:
        return "Index de recherche : à jour (aucun changement), non reconstruit"
    if build is None:
        return None
    return f"Index de recherche : {build.documents} documents en {build.seconds} s"
