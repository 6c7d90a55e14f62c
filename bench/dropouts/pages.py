"""Dropout pages benchmark (issue 17): p95 of the PSAD coordinator's list (/pro/decrochage) with a large zone
(50,000 young people), beside baselines measured in the same run (these machines are shared, so only same-run
ratios mean something). Target: the coordinator's list p95 ≤ 50 ms.

    DATABASE_URL=... .venv/bin/python bench/dropouts/pages.py [--people 50000] [--calls 200] [--smoke]

Needs a migrated database (bench/dropouts/pages.sh makes a fresh one per backend). Generated with bulk_create
(names encrypted as in production, by `EncryptedTextField`): one PSAD zone with its PSAD, CIO and Mission locale,
`--people` young people in it (a tenth minors, `prioritaire`; the rest spread over the other lists; half assigned
to each partner) listed in one campaign, and `--others` young people of a second zone the coordinator does not
see. Measured through Django's test client, logged in (each page writes its audit event, as in production):
- `coordinator_list`: /pro/decrochage, the first page of the zone's list (the issue's figure);
- `coordinator_list_deep`: a page in the middle of the list (OFFSET);
- `coordinator_list_filtered`: /pro/decrochage?liste=a_contacter&campagne=<id>;
- `partner_list`: /pro/decrochage for a member of the zone's CIO (half the zone);
- `record`: /pro/decrochage/jeunes/<id> for the coordinator (audited read, assignment form);
- baselines: `health` (/health/: one SELECT 1 and a cache round-trip through the whole middleware stack) and
  `plain_query` (one indexed row read by primary key, without HTTP).
Prints one JSON object (also bench/out/dropouts-pages-<vendor>.json, or under $SPRO_BENCH_OUT).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.stats import SqlTimer, percentile, summary  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")

TARGET_P95_MS = 50.0
BATCH = 5000
PRIORITIES = ["a_contacter"] * 6 + ["injoignable"] * 2 + ["traite"]


def generate(people: int, others: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from spro.accounts.models import Membership
    from spro.directory.models import Structure
    from spro.dropouts.models import Campaign, ImportRun, Listing, PsadZone, YoungPerson

    rng = random.Random(17)
    today = dt.date.today()
    with transaction.atomic():
        structures = {
            name: Structure.objects.update_or_create(
                di_id=f"bench-dropouts--{name}",
                defaults={
                    "source": "bench-dropouts",
                    "nom": f"{label} (test)",
                    "typologie": typologie,
                    "date_maj": today,
                },
            )[0]
            for name, label, typologie in [
                ("psad-a", "PSAD de la zone A", "PSAD"),
                ("cio-a", "CIO de la zone A", "CIO"),
                ("ml-a", "Mission locale de la zone A", "ML"),
                ("psad-b", "PSAD de la zone B", "PSAD"),
                ("ml-b", "Mission locale de la zone B", "ML"),
            ]
        }
        zone_a = PsadZone.objects.create(
            code="bench-a",
            nom="Zone A (test)",
            psad_structure=structures["psad-a"],
            communes=["29232"],
            rules=[
                {"nom": "mineurs", "si": {"age": {"max": 17}}, "structure_id": structures["cio-a"].pk},
                {"nom": "autres", "si": {}, "structure_id": structures["ml-a"].pk},
            ],
        )
        zone_b = PsadZone.objects.create(
            code="bench-b",
            nom="Zone B (test)",
            psad_structure=structures["psad-b"],
            communes=["35238"],
            rules=[{"nom": "tous", "si": {}, "structure_id": structures["ml-b"].pk}],
        )
        users = get_user_model().objects
        # Kept between runs (the audit log holds them): got or created.
        coordinator = users.get_or_create(username="coordinateur-bench")[0]
        Membership.objects.get_or_create(
            user=coordinator, structure=structures["psad-a"], role="admin_structure"
        )
        partner = users.get_or_create(username="cio-bench")[0]
        Membership.objects.get_or_create(user=partner, structure=structures["cio-a"], role="conseiller")
        campaign, _ = Campaign.objects.get_or_create(
            code="2026-10", defaults={"opened_on": dt.date(2026, 10, 1)}
        )
        run = ImportRun.objects.create(campaign=campaign, file_name="bench-pages.csv", sha256="0" * 64)
    for start in range(0, people + others, BATCH):
        stop = min(people + others, start + BATCH)
        with transaction.atomic():
            rows = []
            for i in range(start, stop):
                in_a = i < people
                minor = i % 10 == 0
                birth = today - dt.timedelta(
                    days=(16 * 365 + 40) if minor else rng.randint(18 * 365, 24 * 365)
                )
                if in_a:
                    partner_id = structures["cio-a"].pk if i % 2 == 0 else structures["ml-a"].pk
                else:
                    partner_id = structures["ml-b"].pk
                rows.append(
                    YoungPerson(
                        identity_hash=f"bench{i:059d}",
                        nom=f"Nom-{i}",
                        prenom="Prénom",
                        birth_date=birth,
                        commune="29232" if in_a else "35238",
                        left_on=today - dt.timedelta(days=20 + i % 300),
                        school_status="scolaire" if i % 4 else "apprenti",
                        zone_id=(zone_a if in_a else zone_b).pk,
                        partner_id=partner_id,
                        priority="prioritaire" if minor else PRIORITIES[i % len(PRIORITIES)],
                    )
                )
            created = YoungPerson.objects.bulk_create(rows)
            Listing.objects.bulk_create(Listing(person=p, campaign=campaign, import_run=run) for p in created)
    ids = list(YoungPerson.objects.filter(zone=zone_a).values_list("pk", flat=True)[:1000])
    return {"coordinator": coordinator, "partner": partner, "campaign": campaign.pk, "ids": ids}


def cleanup() -> None:
    """Delete the young people and zones `generate` wrote, so that the next benchmark on the same database (the smoke
    run shares one) finds none of them. Its structures (source « bench-dropouts », apart from the network bench's
    « bench ») and users stay: the audit log of the measured page views holds them."""
    from django.db import transaction

    from spro.dropouts.models import ImportRun, PsadZone, YoungPerson

    with transaction.atomic():
        YoungPerson.objects.filter(zone__code__in=["bench-a", "bench-b"]).delete()
        ImportRun.objects.filter(file_name="bench-pages.csv").delete()
        PsadZone.objects.filter(code__in=["bench-a", "bench-b"]).delete()


def analyse() -> None:
    """Statistics, and on PostgreSQL the visibility map that autovacuum sets in production after a bulk insert
    (without it an index-only scan reads the table's rows too)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--others", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="tiny run, figures meaningless")
    args = parser.parse_args()
    people, others = (500, 100) if args.smoke else (args.people, args.others)
    calls = 10 if args.smoke else args.calls
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host checks
    started = time.perf_counter()
    try:
        return measure(args, people, others, calls, started)
    finally:
        cleanup()


def measure(args: argparse.Namespace, people: int, others: int, calls: int, started: float) -> int:
    from django.db import connection
    from django.test import Client

    from spro.dropouts.models import YoungPerson

    data = generate(people, others)
    analyse()
    generate_s = time.perf_counter() - started
    coordinator, partner = Client(), Client()
    coordinator.force_login(data["coordinator"])
    partner.force_login(data["partner"])
    rng = random.Random(7)
    middle = max(1, people // 50 // 2)
    pages = {
        "coordinator_list": (coordinator, lambda: "/pro/decrochage"),
        "coordinator_list_deep": (coordinator, lambda: f"/pro/decrochage?page={middle}"),
        "coordinator_list_filtered": (
            coordinator,
            lambda: f"/pro/decrochage?liste=a_contacter&campagne={data['campaign']}",
        ),
        "partner_list": (partner, lambda: "/pro/decrochage"),
        "record": (coordinator, lambda: f"/pro/decrochage/jeunes/{rng.choice(data['ids'])}"),
        "health": (coordinator, lambda: "/health/"),
    }
    measures: dict[str, list[float]] = {name: [] for name in pages}
    sql_ms: dict[str, list[float]] = {name: [] for name in pages}
    queries: dict[str, list[int]] = {name: [] for name in pages}
    plain: list[float] = []
    pk = data["ids"][0]
    for round_ in range(calls + 5):  # 5 warm-up rounds, not counted
        for name, (client, url_of) in pages.items():
            url = url_of()
            sql = SqlTimer()
            t = time.perf_counter()
            with connection.execute_wrapper(sql):
                response = client.get(url)
            elapsed = (time.perf_counter() - t) * 1000
            if response.status_code != 200:
                print(f"{name}: {url} answered {response.status_code}", file=sys.stderr)
                return 1
            if round_ >= 5:
                measures[name].append(elapsed)
                sql_ms[name].append(sql.ms)
                queries[name].append(sql.count)
        t = time.perf_counter()
        YoungPerson.objects.filter(pk=pk).values_list("commune", flat=True).first()
        if round_ >= 5:
            plain.append((time.perf_counter() - t) * 1000)
    results = {name: summary(values) for name, values in measures.items()}
    for name in pages:
        results[name]["sql_p95_ms"] = round(percentile(sql_ms[name], 95), 3)
        results[name]["queries_max"] = max(queries[name])
    results["plain_query"] = summary(plain)
    health_p95 = results["health"]["p95_ms"]
    result = {
        "benchmark": "dropouts-pages",
        "smoke": args.smoke,
        "date": dt.date.today().isoformat(),
        "vendor": connection.vendor,
        "zone_people": people,
        "other_zone_people": others,
        "generate_s": round(generate_s, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "target_p95_ms": TARGET_P95_MS,
        "pages": results,
        "ratio_p95_over_health": {
            name: round(results[name]["p95_ms"] / max(health_p95, 1e-9), 1)
            for name in pages
            if name != "health"
        },
        "coordinator_list_met": results["coordinator_list"]["p95_ms"] <= TARGET_P95_MS,
    }
    out_dir = Path(os.environ.get("SPRO_BENCH_OUT", ROOT / "bench" / "out"))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"dropouts-pages-{connection.vendor}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
