"""What the professional pages of the dropout chain show and change (docs/decrochage.md « Pages »): the list of the
young people a user may read, its filters and its audit; the coordinator's assignment, import from a page and
nominative export. The views (`spro/dropouts/views.py`) only read the request and render.

The names are encrypted at rest: nothing is sorted or searched on them in SQL. The list is ordered by what is in
clear (the priority list, then the leaving date and the number) and only the rows of the page shown are loaded,
so only their names are decrypted. Each page view, import and export is one audit event naming what was shown.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from spro import audit
from spro.accounts.models import Membership
from spro.core import uploads
from spro.core.documents import Sheet, to_ods
from spro.directory.models import Structure
from spro.dropouts import access
from spro.dropouts.counts import priority_counts
from spro.dropouts.importing import ImportResult, import_list
from spro.dropouts.models import Campaign, MergeRecord, PsadZone, YoungPerson
from spro.dropouts.reading import ImportRejected, LineError, read_rows, validate_file
from spro.dropouts.vocabularies import Priority

#: The lists in the order a coordinator works them: the minors under the obligation of training first.
PRIORITY_ORDER = (Priority.PRIORITAIRE, Priority.A_CONTACTER, Priority.INJOIGNABLE, Priority.TRAITE)
PER_PAGE = 50
#: The directory structures offered besides the zone's rules' ones when assigning (those of the PSAD's département).
MAX_PARTNER_CHOICES = 400
EXPORT_FORMATS = ("csv", "ods")


# --- who sees what ----------------------------------------------------------------------------------------------


def member_structure_ids(user) -> list[int]:
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return []
    return list(Membership.objects.filter(user=user).values_list("structure_id", flat=True))


def _rule(user, ids: list[int] | None = None) -> tuple[list[int], list[int]]:
    """The zones whose PSAD the user is a member of, and the user's structures (as partners)."""
    ids = member_structure_ids(user) if ids is None else ids
    if not ids:
        return [], []
    return list(PsadZone.objects.filter(psad_structure_id__in=ids).values_list("pk", flat=True)), ids


def _in(field: str, ids: list[int]) -> Q:
    """One id: an equality, so that the (zone|partner, priority, left_on, id) index gives the order."""
    return Q(**{field: ids[0]}) if len(ids) == 1 else Q(**{f"{field}__in": ids})


def visible(user, ids: list[int] | None = None) -> QuerySet[YoungPerson]:
    """`access.visible_young_people`'s rule (zone's PSAD member or assigned partner's member), written with the
    user's structure ids so that the database needs no join and no DISTINCT on a zone of 50,000 young people
    (tests/dropouts/test_pages.py checks both give the same people for every role). When the user's structures
    partner nobody outside their zones (a coordinator), only the zones are filtered: the index serves the order."""
    zones, ids = _rule(user, ids)
    if not ids:
        return YoungPerson.objects.none()
    people = YoungPerson.objects.all()
    if not zones:
        return people.filter(_in("partner_id", ids))
    if not people.filter(_in("partner_id", ids)).exclude(zone_id__in=zones).exists():
        return people.filter(_in("zone_id", zones))
    return people.filter(Q(zone_id__in=zones) | Q(partner_id__in=ids))


@dataclass(frozen=True)
class Filters:
    campaign: int | None = None
    zone: int | None = None
    priority: str = ""
    partner: int | None = None

    def query(self) -> str:
        pairs = (
            ("campagne", self.campaign),
            ("zone", self.zone),
            ("liste", self.priority),
            ("partenaire", self.partner),
        )
        return "&".join(f"{k}={v}" for k, v in pairs if v)

    def describe(self) -> str:
        parts = [
            f"{k} {v}"
            for k, v in (
                ("campagne", self.campaign),
                ("zone", self.zone),
                ("liste", self.priority),
                ("partenaire", self.partner),
            )
            if v
        ]
        return ", ".join(parts) or "sans filtre"


@dataclass(frozen=True)
class Choices:
    campaigns: list[tuple[int, str]]
    zones: list[tuple[int, str]]
    partners: list[tuple[int, str]]


def _zones_seen(ids: list[int]) -> list[PsadZone]:
    """The zones whose PSAD is one of `ids` (the user's structures), or whose rules name one of them."""
    mine = set(ids)
    if not mine:
        return []
    return [
        zone
        for zone in PsadZone.objects.only("pk", "nom", "psad_structure_id", "rules").order_by("nom", "pk")
        if zone.psad_structure_id in mine or any(rule.get("structure_id") in mine for rule in zone.rules)
    ]


def filter_choices(user, ids: list[int] | None = None) -> Choices:
    zones = _zones_seen(member_structure_ids(user) if ids is None else ids)
    partner_ids = {rule.get("structure_id") for zone in zones for rule in zone.rules}
    partners = Structure.objects.filter(pk__in=[pk for pk in partner_ids if pk]).order_by("nom", "pk")
    return Choices(
        campaigns=list(Campaign.objects.order_by("-code").values_list("pk", "code")[:60]),
        zones=[(z.pk, z.nom) for z in zones],
        partners=list(partners.values_list("pk", "nom")),
    )


def parse_filters(params: Any, choices: Choices) -> Filters:
    """The filters of a query string; an unknown or malformed value is ignored (never a 500)."""

    def pick(name: str, allowed: Iterable[int]) -> int | None:
        value = str(params.get(name, "") or "")
        if value.isdigit() and int(value) in set(allowed):
            return int(value)
        return None

    priority = str(params.get("liste", "") or "")
    return Filters(
        campaign=pick("campagne", (pk for pk, _ in choices.campaigns)),
        zone=pick("zone", (pk for pk, _ in choices.zones)),
        priority=priority if priority in Priority.values else "",
        partner=pick("partenaire", (pk for pk, _ in choices.partners)),
    )


def _priority_rank() -> Case:
    return Case(
        *(When(priority=code, then=Value(rank)) for rank, code in enumerate(PRIORITY_ORDER)),
        default=Value(len(PRIORITY_ORDER)),
        output_field=IntegerField(),
    )


class ListPage(Sequence):
    """The list in the working order for `Paginator`: its length from one count per list (priority; kept between
    requests by `spro.dropouts.counts` until the young people change), and a slice
    as one query per list it spans, each in the index's order (left_on, id) with OFFSET/LIMIT on the primary keys
    only; then the page's rows (names decrypted for them only). No sort of the whole zone, even for a deep page."""

    def __init__(self, queryset: QuerySet[YoungPerson]) -> None:
        self.queryset = queryset
        counts = priority_counts(queryset)
        self.segments = [(code, counts.get(code, 0)) for code in PRIORITY_ORDER]

    def __len__(self) -> int:
        return sum(n for _, n in self.segments)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("ListPage is sliced by Paginator only")
        start, stop = item.start or 0, min(item.stop if item.stop is not None else len(self), len(self))
        ids: list[int] = []
        offset = 0
        for code, n in self.segments:
            low, high = max(start - offset, 0), min(stop - offset, n)
            if low < high:
                segment = self.queryset.filter(priority=code).order_by("left_on", "pk")
                ids.extend(segment.values_list("pk", flat=True)[low:high])
            offset += n
        rows = {
            row["pk"]: row
            for row in YoungPerson.objects.filter(pk__in=ids).values(
                "pk",
                "nom",
                "prenom",
                "birth_date",
                "commune",
                "left_on",
                "priority",
                "zone__nom",
                "partner__nom",
            )
        }
        return [rows[pk] for pk in ids if pk in rows]


def filtered(queryset: QuerySet[YoungPerson], filters: Filters) -> QuerySet[YoungPerson]:
    if filters.campaign:
        queryset = queryset.filter(
            listings__campaign_id=filters.campaign
        )  # one listing per person and campaign
    if filters.zone:
        queryset = queryset.filter(zone_id=filters.zone)
    if filters.priority:
        queryset = queryset.filter(priority=filters.priority)
    if filters.partner:
        queryset = queryset.filter(partner_id=filters.partner)
    return queryset


def young_people(user, filters: Filters, ids: list[int] | None = None) -> ListPage:
    """The list's rows as plain values (no model instances: rendering 50 rows stays a few milliseconds), the
    prioritaires first, then by leaving date; the names are decrypted only for the rows of the page sliced."""
    return ListPage(filtered(visible(user, ids), filters))


def record_list_read(user, people: Sequence[dict[str, Any]], page: int, filters: Filters) -> None:
    """One audit event per page of the list shown, naming the young people on it."""
    numbers = ",".join(str(p["pk"]) for p in people)
    detail = f"liste p. {page} ({filters.describe()}) : {numbers or 'aucun'}"
    audit.record(user, "dropout.list", ("dropouts.youngperson", "liste"), detail=detail)


# --- the record ------------------------------------------------------------------------------------------------


def merges_of(person: YoungPerson) -> list[MergeRecord]:
    """The merge history, without the encrypted before-values and line (the changed fields' names are enough)."""
    return list(
        person.merges.select_related("import_run__campaign")
        .defer("before", "line_values")
        .order_by("-at", "-pk")
    )


def partner_choices(person: YoungPerson) -> list[Structure]:
    """The zone's rules' structures first, then the active directory structures of the PSAD's département."""
    zone = person.zone
    if zone is None:
        return []
    rule_ids = [rule["structure_id"] for rule in zone.rules if rule.get("structure_id")]
    first = list(Structure.objects.filter(pk__in=rule_ids).order_by("nom", "pk"))
    psad = zone.psad_structure
    others = Structure.objects.active().exclude(pk__in=rule_ids).order_by("nom", "pk")
    departement = psad.commune.departement_id if psad.commune_id and psad.commune else None
    if departement:
        others = others.filter(commune__departement_id=departement)
    return first + list(others.only("pk", "nom")[:MAX_PARTNER_CHOICES])


class AssignError(ValueError):
    """The assignment asked is not allowed (the message is French)."""


@transaction.atomic
def assign(user, person: YoungPerson, *, partner: Structure | None, priority: str) -> list[str]:
    """The coordinator changes the partner and the list of a young person of their zone; the fields changed."""
    if not access.can_assign(user, person):
        raise PermissionDenied("Seuls les coordinateurs de la zone affectent ses jeunes.")
    if priority not in Priority.values:
        raise AssignError("Choisissez une liste.")
    if partner is not None and partner.pk not in {s.pk for s in partner_choices(person)}:
        raise AssignError("Cette structure n’est pas proposée pour cette zone.")
    changed = []
    new_partner_id = partner.pk if partner else None
    if person.partner_id != new_partner_id:
        changed.append(f"partenaire {person.partner_id or '–'} → {new_partner_id or '–'}")
        person.partner = partner
    if person.priority != priority:
        changed.append(f"liste {person.priority} → {priority}")
        person.priority = priority
    if changed:
        person.save(update_fields=["partner", "priority", "updated_at"])
        structure = person.zone.psad_structure if person.zone else None
        audit.record(user, "dropout.assign", person, structure=structure, detail="; ".join(changed))
    return changed


# --- import from the page -----------------------------------------------------------------------------------------


def import_upload(
    user, upload: Any, campaign: str, *, mapping: dict[str, str] | None = None, today: date | None = None
) -> ImportResult:
    """A coordinator's list: checked by `spro.core.uploads` (CSV by content, size), then the CLI's import, all or
    nothing. A line whose commune is outside the user's zones is an error too: a coordinator imports for their
    zones only. `mapping`: the file's headers → the contract's columns, as the CLI's `--correspondance`
    (`reading.parse_mapping`). Raises `uploads.UploadError` or `ImportRejected` (nothing written), PermissionDenied."""
    from django.utils import timezone

    zones = list(access.coordinated_zones(user))
    if not zones:
        raise PermissionDenied("Seuls les coordinateurs d’une plateforme importent une liste.")
    checked = uploads.inspect(upload)
    if checked.kind.value != "csv":
        raise uploads.UploadError("Envoyez la liste au format CSV (séparateur « ; », UTF-8).")
    today = today or timezone.localdate()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (checked.original_name or "liste.csv")
        if hasattr(upload, "seek"):
            upload.seek(0)
        with path.open("wb") as handle:
            for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
                handle.write(chunk)
        mapping = mapping or {}
        errors = validate_file(path, mapping, today)
        if not errors:
            communes = {commune for zone in zones for commune in zone.communes}
            errors = [
                LineError(
                    row.line,
                    "commune",
                    f"la commune {row.commune} n’est pas dans une zone que vous coordonnez",
                )
                for row in read_rows(path, mapping, today)
                if row.commune not in communes
            ]
        if errors:
            raise ImportRejected(errors)
        result = import_list(path, campaign, mapping=mapping, user=user, today=today)
    audit.record(
        user,
        "dropout.import",
        ("dropouts.importrun", result.run_id),
        structure=zones[0].psad_structure,
        detail=f"{checked.original_name} ({checked.sha256[:12]}) : {result.crees} créés, "
        f"{result.fusionnes} fusionnés, {result.inchanges} inchangés",
    )
    return result


# --- the nominative export ----------------------------------------------------------------------------------------

EXPORT_HEADERS = [
    "numéro",
    "nom",
    "prénom",
    "date de naissance",
    "INE",
    "commune (INSEE)",
    "téléphone",
    "courriel",
    "responsable légal",
    "dernier établissement (UAI)",
    "dernière formation",
    "date de sortie",
    "statut",
    "liste",
    "zone",
    "structure partenaire",
]


def export_rows(user) -> tuple[list[list[str]], list[PsadZone]]:
    """Every young person of the zones the user coordinates, decrypted, in the list's order; PermissionDenied for
    anyone else (partners never export)."""
    zones = list(access.coordinated_zones(user))
    if not zones:
        raise PermissionDenied("Seuls les coordinateurs de la plateforme exportent la liste nominative.")
    people = (
        YoungPerson.objects.filter(zone__in=zones)
        .annotate(rank=_priority_rank())
        .order_by("rank", "left_on", "pk")
        .select_related("zone", "partner")
    )
    priorities, statuses = (
        dict(Priority.choices),
        dict(YoungPerson._meta.get_field("school_status").choices or []),
    )
    rows = [
        [
            str(p.pk),
            p.nom,
            p.prenom,
            p.birth_date.isoformat(),
            p.ine,
            p.commune,
            p.telephone,
            p.courriel,
            p.responsable_legal,
            p.uai,
            p.formation,
            p.left_on.isoformat(),
            str(statuses.get(p.school_status, p.school_status)),
            str(priorities.get(p.priority, p.priority)),
            p.zone.nom if p.zone else "",
            p.partner.nom if p.partner else "",
        ]
        for p in people.iterator(chunk_size=2000)
    ]
    return rows, zones


def _csv_safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula (= + - @) is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def export(user, fmt: str) -> tuple[bytes, int]:
    """The coordinator's nominative list as CSV (UTF-8 with BOM, « ; ») or ODS; one audit event with the rows."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format inconnu : {fmt}")
    rows, zones = export_rows(user)
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(EXPORT_HEADERS)
        writer.writerows([_csv_safe(cell) for cell in row] for row in rows)
        content = buffer.getvalue().encode("utf-8")
    else:
        content = to_ods([Sheet("Jeunes", EXPORT_HEADERS, rows)])
    audit.record(
        user,
        "dropout.export",
        ("dropouts.psadzone", ",".join(str(z.pk) for z in zones)),
        structure=zones[0].psad_structure,
        detail=f"export {fmt} : {len(rows)} lignes, zones {', '.join(z.code for z in zones)}",
    )
    return content, len(rows)
