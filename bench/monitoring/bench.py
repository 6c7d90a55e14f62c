"""Monitoring indicators benchmark (issue 19): p95 of random indicator × breakdown × territory × period queries
through the rollups, against a naive GROUP BY on the source table measured in the same run (shared machines: only
same-run ratios mean something).

    DATABASE_URL=... .venv/bin/python bench/monitoring/bench.py [--contacts 5000000] [--queries 200] [--smoke]

Needs a migrated database (bench/monitoring/run.sh makes one per backend). Deterministic (seeded):
- geography: the referential's communes when imported, else a synthetic région (5 départements, 400 communes, 40
  EPCI, 12 bassins); structures: the directory's when imported, else 300 synthetic ones;
- `--contacts` first contacts over 12 months written straight into the source table (COPY on PostgreSQL, batched
  inserts on SQLite), then the rollups by `spro.monitoring.rollups.rebuild` (generation and rebuild times are
  reported, not the target);
- queries: breakdown among none/canal/tranche_age/statut/besoin/reponse, level among none and the five territory
  levels, 1 to 12 months, a territory filter one time in four, every structure or one structure's scope;
  `spro.monitoring.query.run` (with the suppression) vs the same cells by GROUP BY over the source rows.
Prints one JSON object (also $SPRO_BENCH_OUT or bench/out/monitoring-<vendor>.json). Referrals are not generated:
their rollups are not built yet (docs/pilotage.md).
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
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")

TARGET_MS = {"postgresql": 300.0, "sqlite": 1000.0}
FIRST_MONTH = dt.date(2025, 1, 1)
MONTHS = 12


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    return {
        "calls": len(values),
        "p50_ms": round(percentile(values, 0.5), 2),
        "p95_ms": round(percentile(values, 0.95), 2),
        "max_ms": round(max(values), 2),
        "mean_ms": round(statistics.fmean(values), 2),
    }


def geography(rng: random.Random) -> list[tuple[str, str | None]]:
    """(commune, its département) pairs to place contacts; synthetic when the referential is not imported."""
    from spro.referentials.geo.models import BassinEmploi, Commune, Departement, Epci, Region

    communes = list(Commune.objects.values_list("code_insee", "departement_id")[:2000])
    if communes:
        return communes
    region = Region.objects.create(code="99", nom="Région du banc d’essai", zone="metro")
    departements = [
        Departement.objects.create(code=f"9{i}", nom=f"Département {i}", region=region, zone="metro")
        for i in range(5)
    ]
    epcis = [Epci.objects.create(code=f"2{i:08d}", nom=f"EPCI {i}", type="CC") for i in range(40)]
    bassins = [BassinEmploi.objects.create(code=f"99{i:02d}", nom=f"Bassin {i}") for i in range(12)]
    rows = []
    for i in range(400):
        departement = departements[i % 5]
        rows.append(
            Commune(
                code_insee=f"{departement.code}{i:03d}",
                nom=f"Commune {i}",
                type="commune-actuelle",
                departement=departement,
                region=region,
                epci=epcis[i % 40],
                bassin_emploi=bassins[i % 12],
            )
        )
    Commune.objects.bulk_create(rows)
    return [(c.code_insee, c.departement_id) for c in rows]


def structures() -> list[int]:
    from spro.directory.models import Structure

    ids = list(Structure.objects.values_list("pk", flat=True)[:300])
    if ids:
        return ids
    Structure.objects.bulk_create(
        Structure(di_id=f"bench-{i}", source="bench", nom=f"Structure {i}", date_maj=dt.date(2025, 1, 1))
        for i in range(300)
    )
    return list(Structure.objects.values_list("pk", flat=True))


def generate(n: int, rng: random.Random) -> float:
    """Write `n` first contacts into the source table; returns the seconds taken."""
    from django.db import connection, transaction

    from spro.contacts.models import FirstContact
    from spro.contacts.vocabularies import Reponse, TrancheAge
    from spro.core.vocabularies.besoins import Besoin
    from spro.core.vocabularies.canaux import Canal
    from spro.core.vocabularies.statuts import Statut

    places = geography(rng)
    structure_ids = structures()
    channels, ages, statuts, answers, needs = (
        Canal.values,
        TrancheAge.values,
        Statut.values,
        Reponse.values,
        Besoin.values,
    )
    columns = [
        "structure_id",
        "recorded_at",
        "date",
        "channel",
        "age_band",
        "statut",
        "commune_id",
        "departement_id",
        "besoins",
        "answer_given",
        "referred_to_typologie",
    ]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    start = time.perf_counter()

    def rows(count: int):
        for _ in range(count):
            commune, departement = rng.choice(places)
            without_commune = rng.random() < 0.1
            yield (
                rng.choice(structure_ids),
                now,
                FIRST_MONTH + dt.timedelta(days=rng.randrange(365)),
                rng.choice(channels),
                rng.choice(ages),
                rng.choice(statuts),
                None if without_commune else commune,
                departement if without_commune else None,
                json.dumps(rng.sample(needs, rng.choice((1, 1, 2)))),
                rng.choice(answers),
                "",
            )

    table = FirstContact._meta.db_table
    batch = 100_000
    with transaction.atomic():
        for offset in range(0, n, batch):
            chunk = list(rows(min(batch, n - offset)))
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in chunk:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", chunk)
    return time.perf_counter() - start


def naive(level: str, dimension: str, months, structure: int | None, territories: list[str] | None) -> list:
    """The same cells by GROUP BY over the source rows (the baseline)."""
    from django.db import connection

    from spro.monitoring import rollups

    base = rollups.contact_base_sql()
    territory = "''" if level == rollups.WHOLE else f"base.{level}"
    value = {"": "''", "besoin": "b.value"}.get(
        dimension, f"base.{rollups.CONTACT_DIMENSIONS.get(dimension, '')}"
    )
    join = " " + rollups.besoins_join("base") if dimension == "besoin" else ""
    where = ["base.day >= %s", "base.day < %s"]
    params: list = [months.start, query_add_months(months.end, 1)]
    if structure is not None:
        where.append("base.structure_id = %s")
        params.append(structure)
    if territories is not None:
        where.append(f"{territory} IN ({', '.join(['%s'] * len(territories))})")
        params.extend(territories)
    grouped = ", ".join(e for e in (territory, value) if e != "''") or "1"
    sql = (
        f"SELECT {territory}, {value}, COUNT(*) FROM ({base}) base{join} "
        f"WHERE {' AND '.join(where)} GROUP BY {grouped}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def query_add_months(day: dt.date, months: int) -> dt.date:
    from spro.monitoring.query import add_months

    return add_months(day, months)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="2,000 contacts and 10 queries: the script runs")
    args = parser.parse_args()
    if args.smoke:
        args.contacts, args.queries = 2_000, 10

    import django

    django.setup()
    from django.db import connection

    from spro.contacts.models import FirstContact
    from spro.monitoring import query, rollups
    from spro.monitoring.models import Rollup
    from spro.referentials.geo.models import Commune, Departement

    rng = random.Random(19)
    vendor = connection.vendor
    generation_s = generate(args.contacts, rng) if not FirstContact.objects.exists() else 0.0
    start = time.perf_counter()
    rollups.rebuild()
    rebuild_s = time.perf_counter() - start
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    structure_ids = list(
        FirstContact.objects.order_by().values_list("structure_id", flat=True).distinct()[:300]
    )
    departements = list(
        Departement.objects.filter(pk__in=Commune.objects.values("departement_id")).values_list(
            "pk", flat=True
        )
    )
    breakdowns = [None, "canal", "tranche_age", "statut", "besoin", "reponse"]
    levels = [None, "commune", "epci", "departement", "bassin", "region"]
    engine: list[float] = []
    baseline: list[float] = []
    mismatches = 0
    for _ in range(args.queries):
        breakdown, level = rng.choice(breakdowns), rng.choice(levels)
        length = rng.randint(1, MONTHS)
        first = query.add_months(FIRST_MONTH, rng.randrange(MONTHS - length + 1))
        months = query.Period(first, query.add_months(first, length - 1))
        territory = None
        if rng.random() < 0.25 and departements and level in (None, "commune", "departement"):
            territory = ("departement", rng.choice(departements))
        one_structure = level in (None, "departement", "region") and rng.random() < 0.5 and structure_ids
        structure = rng.choice(structure_ids) if one_structure else None
        scope = query.Scope((structure,) if structure is not None else None, public_only=False)
        t0 = time.perf_counter()
        result = query.run(
            rollups.CONTACTS, scope, breakdown=breakdown, level=level, territory=territory, months=months
        )
        engine.append((time.perf_counter() - t0) * 1000)
        row_level = level or (territory[0] if territory else rollups.WHOLE)
        territories = None
        if territory is not None:
            territories = (
                [territory[1]]
                if row_level == "departement"
                else list(Commune.objects.filter(departement_id=territory[1]).values_list("pk", flat=True))
            )
        t0 = time.perf_counter()
        cells = naive(row_level, breakdown or "", months, structure, territories)
        baseline.append((time.perf_counter() - t0) * 1000)
        if breakdown is None and row_level == rollups.WHOLE:
            expected = sum(n for _t, _v, n in cells)
            if isinstance(result.total, int) and result.total != expected:
                mismatches += 1
    report = {
        "benchmark": "monitoring",
        "database": vendor,
        "smoke": args.smoke,
        "date": dt.date.today().isoformat(),
        "first_contacts": FirstContact.objects.count(),
        "referrals": 0,
        "rollup_rows": Rollup.objects.count(),
        "generation_s": round(generation_s, 1),
        "rebuild_s": round(rebuild_s, 1),
        "queries": args.queries,
        "engine": summary(engine),
        "baseline_naive_group_by": summary(baseline),
        "ratio_p95_baseline_to_engine": round(
            percentile(baseline, 0.95) / max(percentile(engine, 0.95), 1e-6), 1
        ),
        "target_p95_ms": TARGET_MS[vendor],
        "total_mismatches": mismatches,
    }
    out = Path(os.environ.get("SPRO_BENCH_OUT") or ROOT / "bench" / "out")
    out.mkdir(parents=True, exist_ok=True)
    (out / f"monitoring-{vendor}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
