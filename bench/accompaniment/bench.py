"""Accompaniment and pathway pages benchmark (issue 16): p95 of the pathway pages and of the conseiller's lists with
100,000 accompaniments and their pathways, beside baselines measured in the same run (these machines are shared, so
only same-run ratios mean something).

    DATABASE_URL=... .venv/bin/python bench/accompaniment/bench.py [--accompaniments 100000] [--calls 200] [--smoke]

Needs a migrated, empty database (bench/accompaniment/run.sh makes one per backend). Generated with bulk_create:
`--structures` structures (50), the accompaniments spread evenly over them (2,000 each at 100,000), each with its
own pathway (one axis, two steps, three actions of which one appointment, one log entry) shared with its structure,
one conseiller member of the first structure, who is the referent of its accompaniments. Measured through Django's
test client, logged in as that conseiller (each pro read writes its audit record, as in production):
- `pro_pathway`: /pro/parcours/<public_id> (a pathway shared with the structure, read by the conseiller);
- `person_pathway`: /parcours/<token> (the person's page behind the private link);
- `pro_accompaniment`: /pro/accompagnements/<public_id> (the accompaniment's page);
- `accompaniment_list`: /pro/accompagnements (the conseiller's list, first page of the structure's 2,000);
- `pathway_list`: /pro/parcours (the pathways shared with the structure);
- baselines: `health` (/health/: one SELECT 1 and a cache round-trip through the whole middleware stack) and
  `plain_query` (one indexed row read by primary key, without HTTP).
Prints one JSON object (also bench/out/accompaniment-<vendor>.json, or under $SPRO_BENCH_OUT).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# This file's own name (`bench`) would hide the bench package (bench/stats.py): its folder leaves the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.stats import SqlTimer, percentile, summary  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spro.settings")

TARGET_P95_MS = 50.0
BATCH = 5000


def token_of(i: int) -> str:
    """A private link's token of the right shape (43 URL-safe characters, as secrets.token_urlsafe(32) gives)."""
    return f"bench{i:038d}"


def generate(count: int, structures_count: int) -> dict:
    """The data set; returns what the measures need (the conseiller, the first structure's ids and tokens)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from spro.accompaniment.models import Accompaniment
    from spro.accounts.models import Membership
    from spro.directory.models import Structure
    from spro.pathways.models import Action, Focus, Objective, Pathway, PathwayChange, PathwayShare

    now = timezone.now()
    rng = random.Random(16)
    with transaction.atomic():
        structures = Structure.objects.bulk_create(
            Structure(
                di_id=f"bench--cep-{n}",
                source="bench",
                nom=f"Opérateur CEP de test {n:03d}",
                typologie="CEP",
                date_maj=dt.date(2026, 12, 1),
            )
            for n in range(structures_count)
        )
        user = get_user_model().objects.create_user(
            username="conseillere-bench", email="conseillere@example.org", password="x" * 20
        )
        Membership.objects.create(user=user, structure=structures[0], role="conseiller")

    first_ids: list[str] = []
    first_tokens: list[str] = []
    first_accompaniments: list[str] = []
    levels = ["niveau-1", "niveau-2"]
    outcomes = ["projet-defini", "formation-engagee", "vae-engagee", "mobilite-interne", "changement-emploi"]
    for start in range(0, count, BATCH):
        stop = min(count, start + BATCH)
        with transaction.atomic():
            pathways = Pathway.objects.bulk_create(
                Pathway(
                    goal_kind="projet",
                    goal_label=f"Devenir technicienne de maintenance {i}",
                    origin="direct",
                    link_token_hash=hashlib.sha256(token_of(i).encode("ascii")).hexdigest(),
                    link_created_at=now,
                )
                for i in range(start, stop)
            )
            focuses = Focus.objects.bulk_create(Focus(pathway=p, code="emploi") for p in pathways)
            objectives = Objective.objects.bulk_create(
                Objective(focus=f, label=label, position=n)
                for f in focuses
                for n, label in enumerate(("Faire le point sur mes compétences", "Choisir une formation"))
            )
            actions = []
            for n, objective in enumerate(objectives):
                structure = structures[(start + n // 2) % structures_count]
                actions.append(Action(objective=objective, label="Lire la fiche métier", status="fait"))
                if n % 2 == 0:
                    actions.append(
                        Action(
                            objective=objective,
                            label="Rendez-vous avec la conseillère",
                            appointment_at=now + dt.timedelta(days=rng.randint(-60, 30)),
                            appointment_channel="sur-place",
                            proposed_by_structure=structure,
                            proposed_at=now - dt.timedelta(days=90),
                            proposal_state="accepted",
                        )
                    )
            Action.objects.bulk_create(actions)
            PathwayChange.objects.bulk_create(
                PathwayChange(pathway=p, by_person=True, kind="created", description="Parcours créé")
                for p in pathways
            )
            PathwayShare.objects.bulk_create(
                PathwayShare(
                    pathway=p,
                    structure=structures[i % structures_count],
                    parts=["objectifs", "actions", "rendez-vous", "journal"],
                    consent_text_version="bench",
                    given_at=now - dt.timedelta(days=100),
                    expires_at=now + dt.timedelta(days=265),
                )
                for i, p in zip(range(start, stop), pathways, strict=True)
            )
            rows = []
            for i, p in zip(range(start, stop), pathways, strict=True):
                closed = i % 3 == 0
                structure = structures[i % structures_count]
                rows.append(
                    Accompaniment(
                        structure=structure,
                        pathway=p,
                        origin="sur-place",
                        first_name="Karim",
                        contact_channel="courriel",
                        contact_value=f"personne{i}@example.org",
                        consent_text_version="bench",
                        consent_given_at=now - dt.timedelta(days=100),
                        opened_at=now - dt.timedelta(days=rng.randint(1, 700), minutes=i % 1440),
                        status="clos" if closed else "ouvert",
                        closed_at=now if closed else None,
                        outcome="projet-defini" if closed else "",
                        referent=user if structure.pk == structures[0].pk else None,
                        cep_level=levels[i % 2],
                        cep_stage="termine" if closed else "analyse-situation",
                        cep_outcome=outcomes[i % len(outcomes)] if closed else "",
                    )
                )
            created = Accompaniment.objects.bulk_create(rows)
            for i, p, a in zip(range(start, stop), pathways, created, strict=True):
                if i % structures_count == 0:
                    first_ids.append(str(p.public_id))
                    first_tokens.append(token_of(i))
                    first_accompaniments.append(str(a.public_id))
    return {
        "user": user,
        "structure": structures[0],
        "pathway_ids": first_ids,
        "tokens": first_tokens,
        "accompaniment_ids": first_accompaniments,
    }


def existing() -> dict:
    """What the measures need, read back from a database a previous run generated (`--reuse`)."""
    from django.contrib.auth import get_user_model

    from spro.accompaniment.models import Accompaniment

    user = get_user_model().objects.get(username="conseillere-bench")
    structure = user.memberships.get().structure
    rows = list(
        Accompaniment.objects.filter(structure=structure).values_list(
            "public_id", "pathway__public_id", "pathway__goal_label"
        )
    )
    return {
        "user": user,
        "structure": structure,
        "pathway_ids": [str(p) for _, p, _ in rows],
        "tokens": [token_of(int(label.rsplit(" ", 1)[1])) for _, _, label in rows],
        "accompaniment_ids": [str(a) for a, _, _ in rows],
        "count": Accompaniment.objects.count(),
    }


def analyse() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accompaniments", type=int, default=100_000)
    parser.add_argument("--structures", type=int, default=50)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="tiny run, figures meaningless")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure again on the data a previous run generated (SQLite file kept)",
    )
    args = parser.parse_args()
    count = 1_000 if args.smoke else args.accompaniments
    calls = 10 if args.smoke else args.calls

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from spro.directory.models import Structure

    setup_test_environment()  # the test client's host checks
    started = time.perf_counter()
    if args.reuse:
        data = existing()
        count = data["count"]
    else:
        data = generate(count, args.structures)
        analyse()
    generate_s = time.perf_counter() - started

    client = Client()
    client.force_login(data["user"])
    rng = random.Random(7)
    pages = {
        "pro_pathway": lambda: f"/pro/parcours/{rng.choice(data['pathway_ids'])}",
        "person_pathway": lambda: f"/parcours/{rng.choice(data['tokens'])}",
        "pro_accompaniment": lambda: f"/pro/accompagnements/{rng.choice(data['accompaniment_ids'])}",
        "accompaniment_list": lambda: "/pro/accompagnements",
        "pathway_list": lambda: "/pro/parcours",
        "health": lambda: "/health/",
    }
    person = Client()  # the person has no account: a separate client, no session
    measures: dict[str, list[float]] = {name: [] for name in pages}
    sql_ms: dict[str, list[float]] = {name: [] for name in pages}
    queries: dict[str, list[int]] = {name: [] for name in pages}
    slowest: dict[str, tuple[float, str]] = {name: (0.0, "") for name in pages}
    plain: list[float] = []
    pk = data["structure"].pk
    for round_ in range(calls + 5):  # 5 warm-up rounds, not counted
        for name, url_of in pages.items():
            url = url_of()
            who = person if name == "person_pathway" else client
            sql = SqlTimer()
            t = time.perf_counter()
            with connection.execute_wrapper(sql):
                response = who.get(url)
            elapsed = (time.perf_counter() - t) * 1000
            if response.status_code != 200:
                print(f"{name}: {url} answered {response.status_code}", file=sys.stderr)
                return 1
            if round_ >= 5:
                measures[name].append(elapsed)
                sql_ms[name].append(sql.ms)
                queries[name].append(sql.count)
                if sql.slowest is not None and sql.slowest[0] > slowest[name][0]:
                    slowest[name] = sql.slowest
        t = time.perf_counter()
        Structure.objects.filter(pk=pk).values_list("nom", flat=True).first()
        if round_ >= 5:
            plain.append((time.perf_counter() - t) * 1000)

    results = {name: summary(values) for name, values in measures.items()}
    for name in pages:
        results[name]["sql_p95_ms"] = round(percentile(sql_ms[name], 95), 3)
        results[name]["queries_max"] = max(queries[name])
        results[name]["slowest_query_ms"] = round(slowest[name][0], 3)
        results[name]["slowest_query"] = slowest[name][1][:300]
    results["plain_query"] = summary(plain)
    health_p95 = results["health"]["p95_ms"]
    result = {
        "benchmark": "accompaniment",
        "smoke": args.smoke,
        "date": dt.date.today().isoformat(),
        "vendor": connection.vendor,
        "accompaniments": count,
        "structures": args.structures,
        "per_structure": count // args.structures,
        "generate_s": round(generate_s, 1),
        "reused_data": args.reuse,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "target_p95_ms": TARGET_P95_MS,
        "pages": results,
        "ratio_p95_over_health": {
            name: round(results[name]["p95_ms"] / max(health_p95, 1e-9), 1)
            for name in pages
            if name != "health"
        },
        "over_target": sorted(
            name for name in pages if name != "health" and results[name]["p95_ms"] > TARGET_P95_MS
        ),
    }
    out_dir = Path(os.environ.get("SPRO_BENCH_OUT", ROOT / "bench" / "out"))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"accompaniment-{connection.vendor}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
