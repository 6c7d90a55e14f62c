"""`spro decrochage demo`: a deterministic synthetic campaign for the demo Region (« données fictives »).

No real person: first names and names are drawn from short fixed lists with a seed made of the campaign's code,
birth dates and leaving dates are set from the campaign's month, telephones are in the range 06 39 98 xx xx kept
by the ARCEP for fiction, e-mails at example.org (RFC 2606). Needs the demo network of Bretagne
(`spro import structures`) for the PSAD and partner structures of the demo zones
(`data/demo/bretagne/decrochage/zones/`, loaded here). Running it again for the same campaign changes nothing
(the import is idempotent).

The demo campaign also gets some of the chain's work (`add_work`): failed contacts (injoignable), situations, solutions
with follow-ups due and overdue, a follow-up done, and « droit au retour » requests, one open and one offered; dates
are set from today, never before a young person's leaving date.
"""

from __future__ import annotations

import csv
import random
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from spro.dropouts import chain, importing, reading, signals, zones
from spro.dropouts.models import (
    ContactAttempt,
    FollowUp,
    PsadZone,
    ReturnRequest,
    SituationRecord,
    Solution,
    YoungPerson,
)

LABEL = "données fictives"
SIZE = 80

PRENOMS = [
    "Alix",
    "Camille",
    "Noah",
    "Inès",
    "Yanis",
    "Léa",
    "Maël",
    "Nolwenn",
    "Erwan",
    "Sacha",
    "Lou",
    "Tom",
]
NOMS = ["Fictif", "Exemple", "Démo-Martin", "Le Test", "Modèle", "Essai", "Témoin", "Maquette", "Prototype"]
FORMATIONS = [
    "CAP Cuisine",
    "Bac pro Commerce",
    "Seconde générale",
    "CAP Maçon",
    "Bac pro Systèmes numériques",
]
UAIS = ["0290000A", "0290001B", "0350000C", "0350001D"]  # not real schools (fictitious UAI)


class DemoError(ValueError):
    """The demo campaign cannot be built (the demo network is missing)."""


@dataclass(frozen=True)
class Loaded:
    campaign: str
    zones: int
    result: importing.ImportResult
    #: What `add_work` recorded: {"contacts", "situations", "solutions", "suivis_faits", "demandes_de_retour"}.
    work: dict[str, int]


def write_file(path: Path, campaign: str, size: int = SIZE) -> None:
    """The demo list of `campaign`, deterministic (same campaign, same file)."""
    year, month = (int(part) for part in campaign.split("-"))
    first = date(year, month, 1)
    rng = random.Random(f"spro-decrochage-demo-{campaign}")
    communes = [commune for zone in sorted(zones.demo_folder().glob("*.yaml")) for commune in _communes(zone)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(reading.COLUMNS)
        for n in range(size):
            age_days = rng.randint(16 * 365 + 5, 24 * 365)
            birth = first - timedelta(days=age_days)
            left = first - timedelta(days=rng.randint(20, 300))
            minor = (first - birth).days < 18 * 365
            statut = "scolaire" if rng.random() < 0.7 else "apprenti"
            writer.writerow(
                [
                    f"{rng.choice(NOMS)}-{n:03d}",
                    rng.choice(PRENOMS),
                    birth.isoformat(),
                    rng.choice(communes),
                    left.isoformat(),
                    statut,
                    f"DEMO{n:07d}" if n % 3 else "",
                    f"06 39 98 {n // 100:02d} {n % 100:02d}",
                    f"jeune.{n:03d}@example.org" if n % 2 else "",
                    "Parent Fictif" if minor else "",
                    rng.choice(UAIS),
                    rng.choice(FORMATIONS),
                ]
            )


def _communes(path: Path) -> list[str]:
    return list(zones.parse_file(path).communes)


def load(campaign: str | None = None) -> Loaded:
    """Load the demo zones and import the demo list of `campaign` (default: this month)."""
    campaign = campaign or timezone.localdate().strftime("%Y-%m")
    if not reading.CAMPAIGN_CODE.match(campaign):
        raise DemoError(f"campagne « {campaign} » : AAAA-MM attendu")
    real = PsadZone.objects.filter(demo=False)
    if real.exists():
        raise DemoError("des zones réelles sont chargées : la démonstration ne les remplace pas")
    try:
        zones.load_folder(zones.demo_folder())
    except zones.ZoneFileError as error:
        raise DemoError(
            f"{error}\nLe réseau de démonstration manque-t-il ? Le charger : spro import structures"
        ) from None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"demo-decrochage-{campaign}.csv"
        write_file(path, campaign)
        result = importing.import_list(path, campaign)
    return Loaded(campaign, PsadZone.objects.count(), result, add_work(campaign))


#: The demo's work, one entry per young person (the campaign's people in order, those left early enough): the
#: days before today of each step. Contacts: (days ago, channel, result).
_FAILED = [
    (30, "telephone", "pas_de_reponse"),
    (23, "sms", "message_laisse"),
    (15, "courrier", "pas_de_reponse"),
]
_WORK: list[dict[str, Any]] = [
    {"contacts": _FAILED},
    {
        "contacts": _FAILED[:1]
        + [(12, "telephone", "coordonnees_erronees"), (5, "courriel", "pas_de_reponse")]
    },
    {"contacts": [(20, "telephone", "joint")], "situation": (20, "en_emploi")},
    {"contacts": [(40, "telephone", "joint")], "situation": (40, "deja_en_formation")},
    {"contacts": [(60, "telephone", "joint")], "situation": (60, "sans_solution")},
    {"contacts": [(110, "telephone", "joint")], "solution": (100, "apprentissage", "CFA de démonstration")},
    {"contacts": [(200, "visite", "joint")], "solution": (190, "e2c", "E2C de démonstration")},
    {
        "contacts": [(130, "telephone", "joint")],
        "solution": (120, "cej", "Mission locale"),
        "follow_up_done": 25,
    },
    {
        "contacts": [(30, "etablissement", "joint")],
        "solution": (20, "service_civique", "Association fictive"),
    },
    {"return": (25, 18, 6, "CAP Cuisine, lycée de démonstration")},
    {"return": (5, None, None, "")},
]


def add_work(campaign: str) -> dict[str, int]:
    """Record the demo's work on the demo campaign's young people, once (nothing when any is already recorded).
    Written as the system (no user), with the assigned partner as the acting structure."""
    today = timezone.localdate()
    people = list(
        YoungPerson.objects.filter(listings__campaign__code=campaign, partner__isnull=False)
        .select_related("partner")
        .order_by("pk")
    )
    counts = dict.fromkeys(["contacts", "situations", "solutions", "suivis_faits", "demandes_de_retour"], 0)
    if not people or any(
        model.objects.filter(person__in=people).exists()
        for model in (ContactAttempt, SituationRecord, Solution, ReturnRequest)
    ):
        return counts
    with transaction.atomic():
        pool = list(people)
        for work in _WORK:
            earliest = max(
                [c[0] for c in work.get("contacts", [])]
                + [work[k][0] for k in ("situation", "solution", "return") if k in work]
            )
            person = next((p for p in pool if p.left_on <= today - timedelta(days=earliest)), None)
            if person is not None:
                pool.remove(person)
                _work_on(person, work, today, counts)
        signals.lists_changed.send(sender=YoungPerson, campaign_ids=None)
    return counts


def _work_on(person: YoungPerson, work: dict[str, Any], today: date, counts: dict[str, int]) -> None:
    def ago(days: int) -> date:
        return today - timedelta(days=days)

    by = {"by": None, "by_structure": person.partner}
    for days, channel, result in work.get("contacts", []):
        ContactAttempt.objects.create(person=person, channel=channel, made_on=ago(days), result=result, **by)
        counts["contacts"] += 1
    if "situation" in work:
        days, situation = work["situation"]
        SituationRecord.objects.create(person=person, situation=situation, found_on=ago(days), **by)
        counts["situations"] += 1
    if "solution" in work:
        days, solution_type, label = work["solution"]
        solution = Solution.objects.create(
            person=person, solution_type=solution_type, started_on=ago(days), label=label, **by
        )
        follow_ups = FollowUp.objects.bulk_create(
            FollowUp(
                solution=solution, month=month, due_on=chain.follow_up_due_on(solution.started_on, month)
            )
            for month in (3, 6)
        )
        counts["solutions"] += 1
        if "follow_up_done" in work:
            done = follow_ups[0]
            done.done_on, done.outcome = ago(work["follow_up_done"]), "toujours_en_solution"
            done.by_structure = person.partner
            done.save()
            counts["suivis_faits"] += 1
    if "return" in work:
        requested, interview, offer, label = work["return"]
        ReturnRequest.objects.create(
            person=person,
            requested_on=ago(requested),
            channel="telephone",
            interview_on=ago(interview) if interview is not None else None,
            offer_on=ago(offer) if offer is not None else None,
            offer_label=label,
            **by,
        )
        counts["demandes_de_retour"] += 1
    chain.refresh_priority(person)
