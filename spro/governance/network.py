"""The public list of the SPRO network's members (`/reseau`) and its open data (CSV, data·inclusion JSON).

Public data only: the structure (from the directory), its network, label, commitments, dates and the version of the
charter it signed, with the day; never who signed (a person).

The JSON is the directory's data·inclusion document (`spro.directory.datainclusion.export_document`) restricted to
the members, each structure record carrying one more field, `spro_membre` (its membership); the CSV is one line per
member.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from spro.directory import vocabularies
from spro.directory.datainclusion import export_document
from spro.governance.models import Charter, CharterSignature, NetworkMember
from spro.governance.services import current_members

CSV_COLUMNS = (
    "structure_id",
    "nom",
    "commune",
    "code_insee",
    "departement",
    "departement_nom",
    "reseau",
    "reseau_libelle",
    "label",
    "engagements",
    "membre_depuis",
    "membre_jusqu_au",
    "charte_version_signee",
    "charte_signee_le",
    "charte_version_en_vigueur",
)


def network_label(code: str) -> str:
    return vocabularies.typologies().get(code, code) if code else "Autre réseau"


@dataclass
class NetworkGroup:
    code: str
    label: str
    members: list[NetworkMember] = field(default_factory=list)


@dataclass
class TerritoryGroup:
    code: str
    label: str
    networks: list[NetworkGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(n.members) for n in self.networks)


def members(departement: str = "", network: str = "", on: dt.date | None = None) -> list[NetworkMember]:
    rows = current_members(on).prefetch_related(
        Prefetch(
            "signatures",
            queryset=CharterSignature.objects.select_related("charter").order_by("-charter__version"),
        )
    )
    if departement:
        rows = rows.filter(structure__commune__departement_id=departement)
    if network:
        rows = rows.filter(network=network)
    return list(rows.order_by("structure__nom", "pk"))


def last_signature(member: NetworkMember) -> CharterSignature | None:
    signatures = list(member.signatures.all())  # prefetched, newest version first
    return signatures[0] if signatures else None


def by_territory(rows: list[NetworkMember]) -> list[TerritoryGroup]:
    """Members grouped by département, then by network, both in label order."""
    grouped: dict[tuple[str, str], dict[str, list[NetworkMember]]] = defaultdict(lambda: defaultdict(list))
    for member in rows:
        commune = member.structure.commune
        territory = (
            (commune.departement_id, f"{commune.departement.nom} ({commune.departement_id})")
            if commune is not None
            else ("", "Territoire non renseigné")
        )
        grouped[territory][member.network].append(member)
    result = []
    for (code, label), networks in sorted(grouped.items(), key=lambda item: (item[0][0] == "", item[0][0])):
        result.append(
            TerritoryGroup(
                code,
                label,
                sorted(
                    (NetworkGroup(n, network_label(n), m) for n, m in networks.items()),
                    key=lambda g: (g.code == "", g.label.lower()),
                ),
            )
        )
    return result


def territory_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for member in current_members():
        commune = member.structure.commune
        if commune is not None:
            seen[commune.departement_id] = f"{commune.departement.nom} ({commune.departement_id})"
    return sorted(seen.items())


def network_choices() -> list[tuple[str, str]]:
    codes = {m.network for m in current_members()}
    return sorted(((code, network_label(code)) for code in codes), key=lambda item: item[1].lower())


def membership_record(member: NetworkMember, current: Charter | None) -> dict[str, Any]:
    signature = last_signature(member)
    return {
        "reseau": member.network or None,
        "reseau_libelle": network_label(member.network) if member.network else None,
        "label": member.label or None,
        "engagements": member.commitments or None,
        "membre_depuis": member.started_on.isoformat(),
        "membre_jusqu_au": member.ended_on.isoformat() if member.ended_on else None,
        "charte_version_signee": signature.charter.version if signature else None,
        "charte_signee_le": timezone.localdate(signature.signed_at).isoformat() if signature else None,
        "charte_version_en_vigueur": current.version if current else None,
    }


def open_data_json(today: dt.date | None = None) -> str:
    rows = members(on=today)
    current = Charter.current()
    by_structure = {m.structure_id: m for m in rows}
    document = export_document([m.structure for m in rows], today=today)
    ids = {m.structure.di_id: m for m in by_structure.values()}
    for record in document["structures"]:
        record["spro_membre"] = membership_record(ids[record["id"]], current)
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def open_data_csv(today: dt.date | None = None) -> str:
    current = Charter.current()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for member in members(on=today):
        structure = member.structure
        commune = structure.commune
        record = membership_record(member, current)
        row = {
            "structure_id": structure.di_id,
            "nom": structure.nom,
            "commune": structure.commune_nom or (commune.nom if commune else ""),
            "code_insee": structure.commune_id or "",
            "departement": commune.departement_id if commune else "",
            "departement_nom": commune.departement.nom if commune else "",
            **record,
        }
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
    return out.getvalue()
