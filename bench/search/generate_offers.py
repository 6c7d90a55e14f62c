"""National-size LHÉO catalogue for the search benchmark: N realistic continuing-education offers (300,000).

Built from the real referentials, not random words: every offer prepares a published Certif Info certification
open to continuing education (its label, level, Formacode, NSF, RNCP and ROME codes), is described with the
definition of the ROME fiche it leads to, and is delivered by a generated training body in a real commune
(chosen with a weight of its population, so that big cities get more offers, as in the national catalogue).

Rows go into the `spro.referentials.offers` models (Organisme → Formation → Action → Session, plus the
Formation ↔ ROME links) with bulk_create in batches. Deterministic (seeded); idempotent: it first deletes its
own rows, the formations numbered "BENCH-…" and the organismes whose SIRET starts with "BENCH", and nothing
else. Then it rebuilds the search index (unless --no-reindex).

    DATABASE_URL=... .venv/bin/python bench/search/generate_offers.py [--count 300000] [--seed 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# bench/search must not be on sys.path: its http.py would shadow the standard library's `http` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent.parent))

from bench.search import common  # noqa: E402

PREFIX = "BENCH-"
SIRET_PREFIX = "BENCH"
BATCH = 5000
ORGANISMS = 6000

#: Kinds of training bodies found in the Carif-Oref catalogues; names are "<kind> <commune>".
ORGANISM_KINDS = [
    "GRETA",
    "AFPA",
    "CFA interprofessionnel",
    "CCI Formation",
    "Chambre de métiers et de l'artisanat",
    "Institut de formation",
    "Centre de formation professionnelle",
    "Lycée professionnel (formation continue)",
    "Université (service de formation continue)",
    "CFPPA",
    "École de la deuxième chance",
    "Organisme de formation",
]
#: LHÉO niveau codes (old nomenclature) from the European level of the certification.
LHEO_LEVEL = {3: "4", 4: "5", 5: "6", 6: "7", 7: "8", 8: "8"}
RHYTHMS = ["temps plein", "temps partiel", "cours du soir", "en alternance", "à distance avec regroupements"]
PUBLICS = [
    "demandeurs d'emploi",
    "salariés",
    "jeunes de moins de 26 ans",
    "tout public",
    "personnes en reconversion",
]
FINANCEURS = [
    "2",
    "4",
    "5",
    "10",
    "13",
]  # LHÉO dictionary codes (Région, OPCO, France Travail, CPF, Transitions Pro)


def clear(models) -> int:  # the models namespace of main()
    """Delete the generated rows only (children first, raw deletes: no per-row cascade collection)."""
    formations = models.Formation.objects.filter(numero__startswith=PREFIX)
    deleted = 0
    for queryset in (
        models.Session.objects.filter(action__formation__in=formations),
        models.Action.objects.filter(formation__in=formations),
        models.FormationRome.objects.filter(formation__in=formations),
        formations,
        models.Organisme.objects.filter(siret__startswith=SIRET_PREFIX),
    ):
        deleted += queryset._raw_delete(queryset.db)  # bench-only bulk delete of own rows
    return deleted


def load_sources(models) -> tuple[list, list, dict]:
    """Certifications open to continuing education with their ROME fiches; communes with a population."""
    certifications = list(
        models.Certification.objects.filter(is_active=True, etat=0, acces_fc=True)
        .order_by("code")
        .values_list(
            "code", "libelle", "type_libelle", "niveau_europeen", "formacode", "code_nsf", "code_rncp"
        )
    )
    links: dict[str, list[str]] = {}
    for cert, fiche in models.CertificationMetier.objects.order_by("certification_id", "rang").values_list(
        "certification_id", "fiche_metier_id"
    ):
        links.setdefault(cert, []).append(fiche)
    definitions = dict(models.FicheMetier.objects.values_list("code_rome", "definition"))
    communes = list(
        models.Commune.objects.filter(is_active=True, population__gte=2000, latitude__isnull=False)
        .order_by("code_insee")
        .values_list("code_insee", "nom", "population", "latitude", "longitude", "codes_postaux")
    )
    return [(c, links.get(c[0], [])) for c in certifications], communes, definitions


def generate(count: int, seed: int, models) -> dict:  # one linear recipe, easier to read whole
    rng = random.Random(seed)
    started = time.perf_counter()
    certifications, communes, definitions = load_sources(models)
    if not certifications or not communes:
        sys.exit("generate_offers: import the referentials first (spro import all)")
    # Cumulated weights, computed once (rng.choices would re-add them at every draw).
    weights = list(itertools.accumulate(c[2] for c in communes))
    # Certifications that lead to a métier are offered more often (as in the real catalogue).
    cert_weights = list(itertools.accumulate(3 if fiches else 1 for _, fiches in certifications))

    organismes = []
    for i in range(ORGANISMS):
        insee, nom, _, _, _, cps = rng.choices(communes, cum_weights=weights)[0]
        kind = ORGANISM_KINDS[i % len(ORGANISM_KINDS)]
        organismes.append(
            models.Organisme(
                siret=f"{SIRET_PREFIX}{i:09d}",
                nom=f"{kind} {nom}" if i < len(communes) * 3 else f"{kind} {nom} {i}",
                raison_sociale=f"{kind} {nom}",
                adresse={"ville": nom, "codepostal": cps[0] if cps else ""},
                commune_id=insee,
                content_hash=hashlib.sha1(f"org{i}".encode(), usedforsecurity=False).hexdigest(),
                extras={"bench": True},
            )
        )
    models.Organisme.objects.bulk_create(organismes, batch_size=BATCH)
    by_commune: dict[str, list] = {}
    for org in organismes:
        by_commune.setdefault(org.commune_id, []).append(org)
    commune_index = {c[0]: c for c in communes}
    org_communes = sorted(by_commune)

    written = {"organismes": len(organismes), "formations": 0, "actions": 0, "sessions": 0, "liens_rome": 0}
    base_date = dt.date(2026, 1, 5)
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        formations, plans = [], []
        for n in range(start, start + size):
            (code, libelle, type_libelle, niveau, formacode, nsf, rncp), fiches = rng.choices(
                certifications, cum_weights=cert_weights
            )[0]
            insee = rng.choice(org_communes)
            org = rng.choice(by_commune[insee])
            fiche = fiches[0] if fiches else ""
            definition = (definitions.get(fiche) or "")[:600]
            variant = rng.random()
            if variant < 0.55:
                intitule = libelle
            elif variant < 0.8:
                intitule = f"{libelle} - {rng.choice(RHYTHMS)}"
            else:
                intitule = f"Préparation au {libelle}" if type_libelle else libelle
            formations.append(
                models.Formation(
                    numero=f"{PREFIX}{n:07d}",
                    intitule=intitule[:255],
                    objectif=f"Préparer la certification « {libelle} » ({type_libelle}). {definition}".strip(),
                    resultats_attendus=f"Obtention de la certification {libelle}"[:1000],
                    contenu=definition,
                    certifiante=True,
                    formacode_principal=formacode or "",
                    codes_formacode=[formacode] if formacode else [],
                    codes_nsf=[nsf] if nsf else [],
                    codes_rome=list(fiches),
                    codes_rncp=[rncp] if rncp else [],
                    codes_certifinfo=[code],
                    parcours=rng.choice("1124"),
                    niveau_entree=rng.choice(["0", "1", "4", "5"]),
                    niveau_sortie=LHEO_LEVEL.get(niveau or 0, "0"),
                    organisme_id=org.siret,
                    content_hash=hashlib.sha1(f"{seed}:{n}".encode(), usedforsecurity=False).hexdigest(),
                    extras={"bench": True},
                )
            )
            plans.append((n, insee, fiches))
        models.Formation.objects.bulk_create(formations, batch_size=BATCH)
        actions, links = [], []
        for formation, (n, insee, fiches) in zip(formations, plans, strict=True):
            _, nom, _, lat, lon, cps = commune_index[insee]
            hours = rng.choice([35, 70, 140, 210, 399, 600, 910, 1200])
            alternance = rng.random() < 0.25
            actions.append(
                models.Action(
                    formation_id=formation.pk,
                    numero=f"{PREFIX}{n:07d}-A1",
                    rythme=rng.choice(RHYTHMS),
                    info_public_vise=rng.choice(PUBLICS),
                    modalites_alternance="Contrat d'apprentissage ou de professionnalisation"
                    if alternance
                    else "",
                    modalites_enseignement=rng.choices("012", (70, 20, 10))[0],
                    prise_en_charge_frais_possible=rng.random() < 0.7,
                    financeurs=[{"code": rng.choice(FINANCEURS), "nb_places": rng.choice([8, 12, 15, 20])}],
                    entrees_sorties_permanentes=rng.random() < 0.3,
                    lieu_nom=formation.organisme_id and f"Site de {nom}",
                    lieu_adresse={"ville": nom, "codepostal": cps[0] if cps else ""},
                    lieu_code_insee=insee,
                    lieu_commune_id=insee,
                    latitude=lat,
                    longitude=lon,
                    duree_indicative=f"{hours} heures",
                    nombre_heures_centre=hours,
                    nombre_heures_total=hours,
                    prix_total_ttc=Decimal(hours * rng.choice([9, 12, 15, 18])),
                )
            )
            links.extend(
                models.FormationRome(formation_id=formation.pk, fiche_id=f) for f in dict.fromkeys(fiches)
            )
        models.Action.objects.bulk_create(actions, batch_size=BATCH)
        sessions = []
        for action in actions:
            debut = base_date + dt.timedelta(days=rng.randrange(0, 365))
            sessions.append(
                models.Session(
                    action_id=action.pk,
                    numero="#1",
                    debut=debut,
                    fin=debut + dt.timedelta(days=rng.choice([5, 30, 90, 180, 300])),
                    etat_recrutement=rng.choices("123", (80, 15, 5))[0],
                )
            )
        models.Session.objects.bulk_create(sessions, batch_size=BATCH)
        models.FormationRome.objects.bulk_create(links, batch_size=BATCH)
        written["formations"] += len(formations)
        written["actions"] += len(actions)
        written["sessions"] += len(sessions)
        written["liens_rome"] += len(links)
        print(f"  {written['formations']:>7} offres ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    written["seconds"] = round(time.perf_counter() - started, 1)
    written["certifications_used_from"] = len(certifications)
    written["communes_used_from"] = len(communes)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--no-reindex", action="store_true")
    parser.add_argument("--clear-only", action="store_true", help="delete the generated rows and stop")
    args = parser.parse_args()
    common.setup_django()
    from types import SimpleNamespace

    from django.db import transaction

    from spro.referentials.certifications.models import Certification, CertificationMetier
    from spro.referentials.geo.models import Commune
    from spro.referentials.offers.models import Action, Formation, FormationRome, OrganismeFormation, Session
    from spro.referentials.rome.models import FicheMetier

    models = SimpleNamespace(
        Certification=Certification,
        CertificationMetier=CertificationMetier,
        Commune=Commune,
        FicheMetier=FicheMetier,
        Organisme=OrganismeFormation,
        Formation=Formation,
        FormationRome=FormationRome,
        Action=Action,
        Session=Session,
    )
    started = time.perf_counter()
    with transaction.atomic():
        deleted = clear(models)
    result: dict = {
        "benchmark": "generate-offers",
        "database": common.backend_name(),
        "deleted_rows": deleted,
    }
    if not args.clear_only:
        with transaction.atomic():
            result.update(generate(args.count, args.seed, models))
        result["seed"] = args.seed
    if not args.no_reindex:
        from spro.search.indexing import rebuild_index

        reindex_started = time.perf_counter()
        build = rebuild_index()
        result["reindex_seconds"] = round(time.perf_counter() - reindex_started, 1)
        result["index_documents"] = build.counts
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    common.write_json(f"search-generate-{result['database']}.json", result)
    import json

    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
