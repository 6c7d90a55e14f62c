"""Network benchmark (issue 4): directory geo search among 20,000 structures, and referral creation throughput.

    DATABASE_URL=... .venv/bin/python bench/network/bench.py [--structures 20000] [--queries 500] [--smoke]

Needs a migrated database with the geo referential imported (bench/network/run.sh prepares one per backend).
Generated structures (`source = "bench"`, deterministic seed) are placed at random communes that have
coordinates, with a typologie and a zone of competence (département, EPCI or a few communes); they are deleted
at the end. Each measure is reported beside a baseline measured in the same run, since these machines are shared:
- geo search: `spro.directory.search.nearest(commune, typologie, rayon_km=30, limit=10)` against a naive scan
  (every active structure of the typologie loaded, haversine in Python, sorted);
- referrals: `spro.referrals` creation through its domain function, against a bare ORM insert of the same rows.
Prints one JSON object (also written to bench/out/network-<vendor>.json, or under $SPRO_BENCH_OUT).
`--smoke`: SMOKE sizes (the test suite's run, so that the benchmark cannot rot unnoticed; figures meaningless).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# This file's own name (`bench`) would hide the bench package (bench/stats.py): its folder leaves the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")

from bench.stats import summary  # noqa: E402

SMOKE = {"structures": 60, "queries": 5, "referrals": 3}
TYPOLOGIES = [
    "CIO", "ML", "FT", "CAP_EMPLOI", "APEC", "TRANSITIONS_PRO", "CEP", "PIJ_BIJ", "CCONS", "CITMET",
    "SCUIO", "PSAD", "DAVA", "E2C", "EPIDE",
]  # fmt: skip


def generate_structures(count: int, rng: random.Random) -> list:
    from spro.directory.models import Structure, ZoneCompetence
    from spro.referentials.geo.models import Commune

    communes = list(
        Commune.objects.filter(is_active=True, latitude__isnull=False).values_list(
            "code_insee", "latitude", "longitude", "departement_id", "epci_id", "nom"
        )
    )
    today = dt.date.today()
    structures, zones = [], []
    for number in range(count):
        code, lat, lon, departement, epci, nom = rng.choice(communes)
        typologie = rng.choice(TYPOLOGIES)
        structures.append(
            Structure(
                di_id=f"bench--{number}",
                source="bench",
                nom=f"{typologie} {nom} {number}",
                typologie=typologie,
                commune_id=code,
                commune_nom=nom,
                latitude=lat + rng.uniform(-0.01, 0.01),
                longitude=lon + rng.uniform(-0.01, 0.01),
                date_maj=today,
            )
        )
    Structure.objects.bulk_create(structures, batch_size=500)
    created = dict(Structure.objects.filter(source="bench").values_list("di_id", "pk"))
    rows = {c[0]: c for c in communes}
    for structure in structures:
        pk = created[structure.di_id]
        draw = rng.random()
        code = structure.commune_id
        row = rows[code]
        if draw < 0.6:
            zones.append(ZoneCompetence(structure_id=pk, niveau="departement", code=row[3]))
        elif draw < 0.9 and row[4]:
            zones.append(ZoneCompetence(structure_id=pk, niveau="epci", code=row[4]))
        else:
            zones.append(ZoneCompetence(structure_id=pk, niveau="commune", code=code))
    ZoneCompetence.objects.bulk_create(zones, batch_size=1000)
    return communes


def bench_geo(communes: list, queries: int, rng: random.Random) -> dict:
    from spro.directory.distance import haversine_km
    from spro.directory.models import Structure
    from spro.directory.search import nearest
    from spro.referentials.geo.models import Commune

    picks = [(rng.choice(communes)[0], rng.choice(TYPOLOGIES)) for _ in range(queries)]
    by_code = {c.code_insee: c for c in Commune.objects.filter(code_insee__in={p[0] for p in picks})}

    def engine(code: str, typologie: str) -> list:
        return [
            hit.structure.pk for hit in nearest(commune=by_code[code], typologie=typologie, limit=10).hits
        ]

    def baseline(code: str, typologie: str) -> list:
        commune = by_code[code]
        rows = Structure.objects.filter(is_active=True, typologie=typologie).values_list(
            "pk", "latitude", "longitude"
        )
        scored = [
            (haversine_km(commune.latitude, commune.longitude, lat, lon), pk)
            for pk, lat, lon in rows
            if lat is not None
        ]
        return [pk for distance, pk in sorted(scored)[:10] if distance <= 30]

    for code, typologie in picks[:20]:  # warm-up
        engine(code, typologie)
        baseline(code, typologie)
    timings: dict[str, list[float]] = {"engine": [], "baseline": []}
    found = []
    for code, typologie in picks:
        for name, func in (("engine", engine), ("baseline", baseline)):
            started = time.perf_counter()
            result = func(code, typologie)
            timings[name].append((time.perf_counter() - started) * 1000)
            if name == "engine":
                found.append(len(result))
    stats = {name: summary(values) for name, values in timings.items()}
    stats["ratio_p95_engine_to_baseline"] = round(stats["engine"]["p95_ms"] / stats["baseline"]["p95_ms"], 3)
    stats["mean_results"] = round(statistics.fmean(found), 2)
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--structures", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--referrals", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--smoke", action="store_true", help=f"tiny sizes {SMOKE} (test suite)")
    args = parser.parse_args()
    if args.smoke:
        args.structures, args.queries, args.referrals = (
            SMOKE["structures"],
            SMOKE["queries"],
            SMOKE["referrals"],
        )
    import django

    django.setup()
    from django.db import connection

    from spro.directory.models import Structure

    rng = random.Random(args.seed)
    Structure.objects.filter(source="bench").delete()
    started = time.perf_counter()
    communes = generate_structures(args.structures, rng)
    generated = time.perf_counter() - started
    try:
        result = {
            "benchmark": "network",
            "smoke": args.smoke,
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "structures": Structure.objects.count(),
            "generation_seconds": round(generated, 1),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "geo_search": bench_geo(communes, args.queries, rng),
        }
        result["referrals"] = bench_referrals(args.referrals)
        result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        Structure.objects.filter(source="bench").delete()
    text = json.dumps(result, indent=2, ensure_ascii=False)
    out = Path(os.environ.get("SPRO_BENCH_OUT") or ROOT / "bench" / "out")
    out.mkdir(parents=True, exist_ok=True)
    (out / f"network-{connection.vendor}.json").write_text(text + "\n")
    print(text)
    return 0


def bench_referrals(count: int) -> dict:
    """Referrals created per second through `spro.referrals.services.create_referral` (idempotency check, log
    entry, outbox e-mails, one transaction each) against a bare `Referral.objects.create` of the same fields."""
    from django.utils import timezone

    from spro.directory.models import Structure
    from spro.referrals import tokens
    from spro.referrals.models import OutboxMessage, Referral
    from spro.referrals.services import CONSENT_TEXT_VERSION, ContactDetails, create_referral

    structure = Structure.objects.filter(source="bench").order_by("pk").first()
    structure.courriel = "accueil@example.org"
    structure.save(update_fields=["courriel"])

    def engine(number: int) -> None:
        details = ContactDetails(
            first_name="Camille",
            contact_channel="courriel",
            contact_value=f"camille.{number}@example.org",
            message="Je voudrais un rendez-vous pour parler de reconversion.",
            besoins=["evolution-professionnelle"],
        )
        create_referral(structure, details, idempotency_key=tokens.new_idempotency_key())

    def baseline(number: int) -> None:
        now = timezone.now()
        key = tokens.new_idempotency_key()
        Referral.objects.create(
            structure=structure,
            first_name="Camille",
            contact_channel="courriel",
            contact_value=f"camille.{number}@example.org",
            message="Je voudrais un rendez-vous pour parler de reconversion.",
            besoins=["evolution-professionnelle"],
            consent_text_version=CONSENT_TEXT_VERSION,
            consent_given_at=now,
            follow_token_hash=tokens.digest(tokens.follow_token(key, tokens.digest(key))),
            follow_link_expires_at=now + dt.timedelta(days=30),
            expires_at=now + dt.timedelta(days=30),
            idempotency_key_hash=tokens.digest(key),
        )

    results = {}
    try:
        for name, func in (("baseline", baseline), ("engine", engine), ("baseline_again", baseline)):
            started = time.perf_counter()
            for number in range(count):
                func(number)
            elapsed = time.perf_counter() - started
            results[name] = {"per_second": round(count / elapsed, 1), "count": count}
    finally:
        OutboxMessage.objects.filter(to__endswith="@example.org").delete()
        Referral.objects.filter(structure=structure).delete()
        # The service's referrals were counted in the steering's rollups by its hook; deleted here, they must not
        # stay counted (the database is left as found: the monitoring bench checks its rollups against a rebuild).
        from spro.monitoring import rollups

        rollups.rebuild([rollups.REFERRALS])
    baseline_rate = (results["baseline"]["per_second"] + results["baseline_again"]["per_second"]) / 2
    results["ratio_engine_to_baseline"] = round(results["engine"]["per_second"] / baseline_rate, 3)
    return results


if __name__ == "__main__":
    sys.exit(main())
