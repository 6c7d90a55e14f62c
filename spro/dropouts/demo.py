"""`spro decrochage demo`: a deterministic synthetic campaign for the demo Region (« données fictives »).

No real person: first names and names are drawn from short fixed lists with a seed made of the campaign's code,
birth dates and leaving dates are set from the campaign's month, telephones are in the range 06 39 98 xx xx kept
by the ARCEP for fiction, e-mails at example.org (RFC 2606). Needs the demo network of Bretagne
(`spro import structures`) for the PSAD and partner structures of the demo zones
(`data/demo/bretagne/decrochage/zones/`, loaded here). Running it again for the same campaign changes nothing
(the import is idempotent).
"""

from __future__ import annotations

import csv
import random
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from spro.dropouts import importing, reading, zones
from spro.dropouts.models import PsadZone

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
    return Loaded(campaign, PsadZone.objects.count(), result)
