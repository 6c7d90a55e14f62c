"""Monitoring indicators benchmark (issue 19): p95 of random indicator × breakdown × territory × period queries
through the rollups, against a naive GROUP BY on the source tables measured in the same run (shared machines: only
same-run ratios mean something).

    DATABASE_URL=... .venv/bin/python bench/monitoring/bench.py [--contacts 5000000] [--referrals 1000000]
        [--queries 200] [--baseline-queries N] [--rebuild] [--smoke]

Needs a migrated database (bench/monitoring/run.sh makes one per backend). Deterministic (seeded):
- geography: the referential's communes when imported, else a synthetic région (5 départements, 400 communes, 40
  EPCI, 12 bassins); structures: the directory's when imported, else 300 synthetic ones;
- `--contacts` first contacts over the 12 months of 2025, in date order, written straight into the source table
  (COPY on PostgreSQL, batched inserts on SQLite), columns drawn per batch;
- `--referrals` referrals (« orientations ») over the same months, with their transitions: 10 % left nouvelle,
  10 % vue, 35 % acceptée, 15 % refusée, 15 % clôturée after an acceptance, 10 % expirée, 5 % retirée; the first
  answer (acceptance or refusal) comes after a delay drawn so that every band fills (< 2 days, 2–7, 8–30, > 30);
- rollups maintained incrementally: each batch's cells are counted by the code the write hooks use
  (`rollups.contact_cells`; `rollups.referral_deltas` + `referral_cells` for each transition) and added by
  `rollups.add` (the upsert of the hooks), never recomputed from the sources; `--rebuild` recomputes them instead
  by `rollups.rebuild()` (timed). Memory stays flat: one batch of rows plus the cells (bounded by months ×
  territories × values × structures, not by the rows);
- queries, per indicator (`--queries` each): for first contacts a breakdown among none/canal/tranche_age/statut/
  besoin/reponse, for referrals among none/issue/delai; a level among none and the five territory levels, 1 to 12
  months, a département filter one time in four, every structure or one structure's scope;
  `spro.monitoring.query.run` (with the suppression) vs the same cells by GROUP BY over the source rows (the
  baseline; `--baseline-queries N` measures it on the first N queries of each indicator only, when it is too slow
  to run for all). Totals are compared on total-only queries (`total_mismatches`); `--verify` (and `--smoke`)
  checks afterwards that `rollups.rebuild()` writes exactly the rows the incremental path wrote.
Prints one JSON object (also $SPRO_BENCH_OUT or bench/out/monitoring-<vendor>.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

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


BATCH = 100_000
ROLLUP_FIELDS = ("indicator", "structure_id", "level", "dimension", "month", "territory", "value", "count")


def _write(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Rows straight into a table: COPY on PostgreSQL, one executemany on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _stamp(moment: dt.datetime):
    """A datetime as the backend stores it (SQLite: naive UTC text, as Django writes it)."""
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(moment)


def _sqlite_bulk_settings() -> None:
    """SQLite: a bench database written once, read after: no fsync per commit, a large page cache."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB


def generate(n: int, rng: random.Random, cells: Counter, *, count_cells: bool) -> float:
    """Write `n` first contacts into the source table and count their cells into `cells`; returns the seconds."""
    from django.db import transaction

    from spro.contacts.models import FirstContact
    from spro.contacts.vocabularies import Reponse, TrancheAge
    from spro.core.vocabularies.besoins import Besoin
    from spro.core.vocabularies.canaux import Canal
    from spro.core.vocabularies.statuts import Statut
    from spro.monitoring import rollups

    places = geography(rng)
    structure_ids = structures()
    needs = Besoin.values
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
    recorded = _stamp(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    start = time.perf_counter()
    table = FirstContact._meta.db_table
    with transaction.atomic():
        for offset in range(0, n, BATCH):
            count = min(BATCH, n - offset)
            # In date order (as contacts are recorded), one column drawn at a time.
            days = [FIRST_MONTH + dt.timedelta(days=(offset + j) * 365 // n) for j in range(count)]
            where = rng.choices(places, k=count)
            without_commune = [r < 0.1 for r in (rng.random() for _ in range(count))]
            besoins = [rng.sample(needs, k) for k in rng.choices((1, 1, 2), k=count)]
            batch = list(
                zip(
                    rng.choices(structure_ids, k=count),
                    days,
                    rng.choices(Canal.values, k=count),
                    rng.choices(TrancheAge.values, k=count),
                    rng.choices(Statut.values, k=count),
                    [None if w else p[0] for w, p in zip(without_commune, where, strict=True)],
                    [p[1] if w else None for w, p in zip(without_commune, where, strict=True)],
                    besoins,
                    rng.choices(Reponse.values, k=count),
                    strict=True,
                )
            )
            _write(
                table,
                columns,
                [
                    (
                        row[0],
                        recorded,
                        row[1],
                        row[2],
                        row[3],
                        row[4],
                        row[5],
                        row[6],
                        json.dumps(row[7]),
                        row[8],
                        "",
                    )
                    for row in batch
                ],
            )
            if count_cells:
                contacts = [
                    SimpleNamespace(
                        structure_id=row[0],
                        date=row[1],
                        channel=row[2],
                        age_band=row[3],
                        statut=row[4],
                        commune_id=row[5],
                        departement_id=row[6],
                        besoins=row[7],
                        answer_given=row[8],
                    )
                    for row in batch
                ]
                cells.update(rollups.contact_cells(contacts))
    return time.perf_counter() - start


#: (status, share); each status's transitions are drawn in `referral_story`.
REFERRAL_STATUSES = [
    ("nouvelle", 0.10),
    ("vue", 0.10),
    ("acceptee", 0.35),
    ("refusee", 0.15),
    ("cloturee", 0.15),
    ("expiree", 0.10),
    ("retiree", 0.05),
]
#: Delay to the first answer: (share, lowest and highest seconds), so that every delay band fills.
ANSWER_DELAYS = [
    (0.35, 600, 2 * 86400 - 1),
    (0.30, 2 * 86400, 7 * 86400 - 1),
    (0.25, 7 * 86400, 30 * 86400 - 1),
]
ANSWER_DELAYS.append((0.10, 30 * 86400, 90 * 86400))


def referral_story(
    status: str, created: dt.datetime, rng: random.Random
) -> list[tuple[str, str, dt.datetime]]:
    """(from, to, at) of a referral that ends in `status`, from its creation."""
    story = [("", "nouvelle", created)]
    if status in ("expiree", "retiree"):
        return [*story, ("nouvelle", status, created + dt.timedelta(days=30 if status == "expiree" else 1))]
    if status == "nouvelle":
        return story
    ((low, high),) = rng.choices(
        [(lo, hi) for _w, lo, hi in ANSWER_DELAYS], [w for w, _lo, _hi in ANSWER_DELAYS]
    )
    delay = dt.timedelta(seconds=rng.randint(low, high))
    story.append(("nouvelle", "vue", created + delay * 0.3))
    if status == "vue":
        return story
    answer = "refusee" if status == "refusee" else "acceptee"
    story.append(("vue", answer, created + delay))
    if status == "cloturee":
        story.append(("acceptee", "cloturee", created + delay + dt.timedelta(days=14)))
    return story


def generate_referrals(n: int, rng: random.Random, cells: Counter, *, count_cells: bool) -> float:
    """Write `n` referrals and their transitions; count their cells into `cells`; returns the seconds taken."""
    from django.db import connection, transaction

    from spro.directory.models import Structure
    from spro.monitoring import rollups
    from spro.referentials.geo.models import Commune
    from spro.referrals.models import Referral, ReferralTransition
    from spro.referrals.vocabularies import DeclineReason, Outcome

    communes = list(Commune.objects.values_list("code_insee", flat=True)[:2000])
    by_commune, _ = rollups.places(communes, [])
    structure_ids = list(Structure.objects.values_list("pk", flat=True)[:300])
    statuses = [s for s, _ in REFERRAL_STATUSES]
    weights = [w for _, w in REFERRAL_STATUSES]
    columns = [
        "id",
        "public_id",
        "structure_id",
        "created_at",
        "updated_at",
        "status",
        "first_name",
        "contact_channel",
        "contact_value",
        "message",
        "besoins",
        "commune_id",
        "consent_text_version",
        "consent_given_at",
        "follow_token_hash",
        "follow_link_expires_at",
        "expires_at",
        "idempotency_key_hash",
        "appointment_at",
        "appointment_channel",
        "appointment_place",
        "decline_reason",
        "outcome",
    ]
    transition_columns = ["referral_id", "from_status", "to_status", "at", "by_person", "reason", "note"]
    postgres = connection.vendor == "postgresql"
    year = 365 * 86400
    start = time.perf_counter()
    with transaction.atomic():
        for offset in range(0, n, BATCH):
            count = min(BATCH, n - offset)
            rows, transitions = [], []
            for j, status, structure, commune in zip(
                range(offset, offset + count),
                rng.choices(statuses, weights, k=count),
                rng.choices(structure_ids, k=count),
                rng.choices(communes, k=count),
                strict=True,
            ):
                commune = None if j % 20 == 0 else commune  # 5 % without a commune
                created = dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=j * year // n)
                story = referral_story(status, created, rng)
                last = story[-1][2]
                accepted = next((at for _f, to, at in story if to == "acceptee"), None)
                public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                rows.append(
                    (
                        j + 1,
                        public_id if postgres else public_id.hex,
                        structure,
                        _stamp(created),
                        _stamp(last),
                        status,
                        "Banc",
                        "courriel",
                        f"personne{j}@exemple.invalid",
                        "",
                        "[]",
                        commune,
                        "banc",
                        _stamp(created),
                        None,
                        _stamp(created + dt.timedelta(days=730)),
                        _stamp(created + dt.timedelta(days=30)),
                        f"{j:064x}",
                        _stamp(accepted + dt.timedelta(days=7)) if accepted else None,
                        "",
                        "",
                        DeclineReason.AUTRE.value if status == "refusee" else "",
                        Outcome.AUTRE.value if status == "cloturee" else "",
                    )
                )
                transitions += [(j + 1, f, t, _stamp(at), False, "", "") for f, t, at in story]
                if count_cells:
                    place = by_commune.get(commune or "") or rollups.Place()
                    referral = SimpleNamespace(created_at=created, commune_id=commune, structure_id=structure)
                    for from_status, to_status, at in story:
                        deltas = rollups.referral_deltas(created, from_status, to_status, at)
                        cells.update(rollups.referral_cells(referral, deltas, place))
            _write(Referral._meta.db_table, columns, rows)
            _write(ReferralTransition._meta.db_table, transition_columns, transitions)
        if postgres and n:
            with connection.cursor() as cursor:
                for model in (Referral, ReferralTransition):
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
                    )
    return time.perf_counter() - start


def add_cells(cells: Counter) -> float:
    """The counted cells into the rollups by the hooks' upsert, in batches; returns the seconds taken."""
    from django.db import transaction

    from spro.monitoring import rollups

    start = time.perf_counter()
    items = [(key, n) for key, n in cells.items() if n]
    with transaction.atomic():
        for offset in range(0, len(items), BATCH):
            rollups.add(Counter(dict(items[offset : offset + BATCH])))
    return time.perf_counter() - start


def naive(indicator: str, level: str, dimension: str, months, structure: int | None, territories) -> list:
    """The same cells by GROUP BY over the source rows (the baseline)."""
    from django.db import connection

    from spro.monitoring import rollups

    territory = "''" if level == rollups.WHOLE else f"base.{level}"
    join = ""
    if indicator == rollups.CONTACTS:
        base = rollups.contact_base_sql()
        value = {"": "''", "besoin": "b.value"}.get(
            dimension, f"base.{rollups.CONTACT_DIMENSIONS.get(dimension, '')}"
        )
        join = " " + rollups.besoins_join("base") if dimension == "besoin" else ""
        where = ["base.day >= %s", "base.day < %s"]
        params: list = [months.start, add_months(months.end, 1)]
    else:
        base = rollups.referral_base_sql()
        value = {"": "''", "issue": "base.status", "delai": "base.delai"}[dimension]
        where = ["base.month >= %s", "base.month <= %s"]
        params = [months.start, months.end]
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


BREAKDOWNS = {
    "premiers-contacts": [None, "canal", "tranche_age", "statut", "besoin", "reponse"],
    "orientations": [None, "issue", "delai"],
}


def measure(indicator: str, queries: int, baseline_queries: int, rng: random.Random) -> dict:
    """`queries` random queries of one indicator: engine vs baseline."""
    from spro.monitoring import query, rollups
    from spro.referentials.geo.models import Commune, Departement

    source = rollups_source(indicator)
    structure_ids = list(source.order_by().values_list("structure_id", flat=True).distinct()[:300])
    departements = list(
        Departement.objects.filter(pk__in=Commune.objects.values("departement_id")).values_list(
            "pk", flat=True
        )
    )
    levels = [None, "commune", "epci", "departement", "bassin", "region"]
    engine: list[float] = []
    baseline: list[float] = []
    mismatches = 0
    for number in range(queries):
        breakdown, level = rng.choice(BREAKDOWNS[indicator]), rng.choice(levels)
        length = rng.randint(1, MONTHS)
        first = add_months(FIRST_MONTH, rng.randrange(MONTHS - length + 1))
        months = query.Period(first, add_months(first, length - 1))
        territory = None
        if rng.random() < 0.25 and departements and level in (None, "commune", "departement"):
            territory = ("departement", rng.choice(departements))
        one_structure = level in (None, "departement", "region") and rng.random() < 0.5 and structure_ids
        structure = rng.choice(structure_ids) if one_structure else None
        scope = query.Scope((structure,) if structure is not None else None, public_only=False)
        t0 = time.perf_counter()
        result = query.run(
            indicator, scope, breakdown=breakdown, level=level, territory=territory, months=months
        )
        engine.append((time.perf_counter() - t0) * 1000)
        if number >= baseline_queries:
            continue
        row_level = level or (territory[0] if territory else rollups.WHOLE)
        territories = None
        if territory is not None:
            territories = (
                [territory[1]]
                if row_level == "departement"
                else list(Commune.objects.filter(departement_id=territory[1]).values_list("pk", flat=True))
            )
        t0 = time.perf_counter()
        cells = naive(indicator, row_level, breakdown or "", months, structure, territories)
        baseline.append((time.perf_counter() - t0) * 1000)
        if breakdown is None and row_level == rollups.WHOLE:
            expected = sum(n for _t, _v, n in cells)
            if isinstance(result.total, int) and result.total != expected:
                mismatches += 1
    report = {"queries": queries, "engine": summary(engine), "total_mismatches": mismatches}
    if baseline:
        same = engine[: len(baseline)]
        report |= {
            "baseline_queries": len(baseline),
            "engine_on_baseline_queries": summary(same),
            "baseline_naive_group_by": summary(baseline),
            "ratio_p95_baseline_to_engine": round(
                percentile(baseline, 0.95) / max(percentile(same, 0.95), 1e-6), 1
            ),
        }
    return report


def rollups_source(indicator: str):
    from spro.contacts.models import FirstContact
    from spro.referrals.models import Referral

    return (FirstContact if indicator == "premiers-contacts" else Referral).objects


def add_months(day: dt.date, months: int) -> dt.date:
    from spro.core.months import add_months as shift

    return shift(day, months)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5_000_000)
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200, help="random queries per indicator")
    parser.add_argument(
        "--baseline-queries", type=int, default=None, help="naive baseline on the first N queries only"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="recompute the rollups instead of adding cells"
    )
    parser.add_argument(
        "--verify", action="store_true", help="after the queries, check that a rebuild gives the same rollups"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="2,000 contacts, 500 referrals, 10 queries, --verify"
    )
    args = parser.parse_args()
    if args.smoke:
        args.contacts, args.referrals, args.queries, args.verify = 2_000, 500, 10, True
    baseline_queries = (
        args.queries if args.baseline_queries is None else min(args.baseline_queries, args.queries)
    )

    import django

    django.setup()
    from django.db import connection

    from spro.contacts.models import FirstContact
    from spro.monitoring import rollups
    from spro.monitoring.models import Rollup
    from spro.referrals.models import Referral, ReferralTransition

    rng = random.Random(19)
    vendor = connection.vendor
    _sqlite_bulk_settings()
    cells: Counter = Counter()
    fresh = not FirstContact.objects.exists() and not Referral.objects.exists()
    generation_s = generate(args.contacts, rng, cells, count_cells=not args.rebuild) if fresh else 0.0
    referrals_s = (
        generate_referrals(args.referrals, rng, cells, count_cells=not args.rebuild) if fresh else 0.0
    )
    counted_cells = len(cells)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.rebuild or not fresh:
        start = time.perf_counter()
        rollups.rebuild()
        rollups_s, rollups_how = time.perf_counter() - start, "rebuild"
    else:
        rollups_s, rollups_how = add_cells(cells), "incremental (hooks' cells and upsert, per batch of rows)"
    del cells
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    measured = {
        code: measure(code, args.queries, baseline_queries, rng)
        for code in (rollups.CONTACTS, rollups.REFERRALS)
        if rollups_source(code).exists()
    }
    report = {
        "benchmark": "monitoring",
        "database": vendor,
        "smoke": args.smoke,
        "date": dt.date.today().isoformat(),
        "first_contacts": FirstContact.objects.count(),
        "referrals": Referral.objects.count(),
        "referral_transitions": ReferralTransition.objects.count(),
        "rollup_rows": Rollup.objects.count(),
        "rollups": rollups_how,
        "counted_cells": counted_cells,
        "generation_contacts_s": round(generation_s, 1),
        "generation_referrals_s": round(referrals_s, 1),
        "rollups_s": round(rollups_s, 1),
        "peak_rss_mb_after_generation": round(peak_mb),
        "target_p95_ms": TARGET_MS[vendor],
        "indicators": measured,
    }
    if args.verify:
        # Only the indicators this bench generates: the database may hold other sources' rows (the smoke tests
        # share one database between benches, and some of them bulk-load without the hooks).
        generated = [rollups.CONTACTS, rollups.REFERRALS]
        own = Rollup.objects.filter(indicator__in=generated)
        kept = set(own.values_list(*ROLLUP_FIELDS))
        rollups.rebuild(generated)
        report["incremental_equals_rebuild"] = kept == set(own.values_list(*ROLLUP_FIELDS))
    out = Path(os.environ.get("SPRO_BENCH_OUT") or ROOT / "bench" / "out")
    out.mkdir(parents=True, exist_ok=True)
    (out / f"monitoring-{vendor}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
