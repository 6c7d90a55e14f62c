"""Indicators of the dropout chain for the State and the Region (docs/decrochage.md, « Indicateurs »): per campaign
and PSAD zone, counts only, never a row; small counts hidden through `spro.core.disclosure`.

What is counted, for the young people listed in the campaign (`Listing`), in the zone they are assigned to today;
the chain's work counts when it falls within the campaign (from its opening day, to its closing day if closed):
- listed; contacted (at least one attempt); reached (an attempt that reached them, `REACHED_RESULTS`, or a situation
  found); unreachable (contacted, never reached); not contacted yet (neither);
- situation found, by type (the latest one); solution entered, by type (the first one);
- in a solution at 3 and at 6 months (a follow-up done at that month finding them still in it or in another);
- the same for the minors of 16 and 17 on the reference day (the obligation of training).

Why the tables have this shape: a hidden cell must not come back from any published sum. Each table is published
with its margins as cells: a total line (the sum of the zones, in every column) and, when the columns split a whole,
that whole as a column (« listed » = reached + unreachable + not contacted; « situation found » = the sum of its
types; « solution entered » = the sum of its types). Every row and every column is then one equation over cells, and
`disclosure.suppress_table` is run with each line's total given as 0 (a published total that reveals nothing): it
then guarantees that no line has exactly one hidden cell, margins included. Columns that are not a split (contacted,
in solution at 3 and 6 months) sit in a table without row equation, only the total line. Counts of different
tables are never sums of one another (contacted is not reached + unreachable: a young person may be reached by a
situation found without an attempt).

Who sees them (`visible_zones`): the Region's and the State's pilots (territorial roles `pilote_region`,
`pilote_etat`) and the platform admin see every zone; a PSAD coordinator sees their zones; nobody else (partners
read their young people's records, not indicators).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from spro import audit
from spro.accounts.models import TerritorialRole
from spro.accounts.permissions import is_platform_admin, scopes_with_role
from spro.core import documents
from spro.core.disclosure import Shown, suppress_table
from spro.dropouts.access import coordinated_zones
from spro.dropouts.models import (
    Campaign,
    ContactAttempt,
    FollowUp,
    Listing,
    PsadZone,
    SituationRecord,
    Solution,
)
from spro.dropouts.vocabularies import REACHED_RESULTS, FollowUpOutcome, Situation, SolutionType
from spro.dropouts.zones import age_on

TOTAL = "_total"
TOTAL_LABEL = "Total"
NO_ZONE = "_sans_zone"
NO_ZONE_LABEL = "Sans zone"
STILL_IN_SOLUTION = frozenset({FollowUpOutcome.TOUJOURS_EN_SOLUTION, FollowUpOutcome.AUTRE_SOLUTION})
#: Young people read at once when a whole campaign is counted (`chunked_facts`): the memory of a count (the tables,
#: the steering's rollups recomputed by an import) stays flat in the campaign's size.
CHUNK = 50_000


class IndicatorError(ValueError):
    """A campaign or zone that does not exist, or a malformed code."""


# --- who sees what ---------------------------------------------------------------------------------------------


def is_pilot(user) -> bool:
    """The Region's or the State's pilot (any scope), or the platform admin: every zone, aggregates only."""
    return (
        is_platform_admin(user)
        or scopes_with_role(user, TerritorialRole.PILOTE_REGION, TerritorialRole.PILOTE_ETAT).exists()
    )


def visible_zones(user) -> list[PsadZone] | None:
    """The zones whose indicators `user` sees; None means every zone (and the young people without a zone).
    PermissionDenied for anyone else."""
    if is_pilot(user):
        return None
    zones = list(coordinated_zones(user).order_by("code"))
    if not zones:
        raise PermissionDenied(
            "Les indicateurs sont réservés aux pilotes de la Région et de l’État et aux coordinateurs des PSAD."
        )
    return zones


# --- the tables ----------------------------------------------------------------------------------------------------


@dataclass
class Table:
    """One published table: `rows` are (zone code, zone label, shown cells by column code), the total line last."""

    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[tuple[str, str, dict[str, Shown]]] = field(default_factory=list)


@dataclass
class Indicators:
    campaign: Campaign
    on: date
    zones: list[tuple[str, str]]
    tables: list[Table]

    def as_json(self) -> dict[str, object]:
        return {
            "campagne": self.campaign.code,
            "date": self.on.isoformat(),
            "zones": [{"code": code, "nom": label} for code, label in self.zones],
            "tableaux": [
                {
                    "cle": table.key,
                    "titre": table.title,
                    "colonnes": [{"code": code, "libelle": label} for code, label in table.columns],
                    "lignes": [
                        {"zone": code, "nom": label, "valeurs": cells} for code, label, cells in table.rows
                    ],
                }
                for table in self.tables
            ],
        }


CONTACT_COLUMNS = [
    ("listes", "Jeunes listés"),
    ("joints", "Joints ou situation connue"),
    ("injoignables", "Contactés, jamais joints"),
    ("non_contactes", "Pas encore contactés"),
]
FOLLOW_COLUMNS = [
    ("contactes", "Contactés (au moins une tentative)"),
    ("en_solution_3_mois", "En solution au suivi à 3 mois"),
    ("en_solution_6_mois", "En solution au suivi à 6 mois"),
]
SITUATION_COLUMNS = [("situations", "Situation constatée"), *Situation.choices]
SOLUTION_COLUMNS = [("solutions", "Entrés en solution"), *SolutionType.choices]


@dataclass
class _Person:
    zone: str
    minor: bool
    commune: str = ""  # INSEE code (the monitoring rollups' territory), never shown here
    structure: int | None = None  # the zone's PSAD structure (the monitoring rollups' structure)
    contacted: bool = False
    reached: bool = False
    situation: str = ""
    solution: str = ""
    in_solution: set[int] = field(default_factory=set)


def _window(campaign: Campaign, name: str) -> Q:
    condition = Q(**{f"{name}__gte": campaign.opened_on})
    if campaign.closed_on is not None:
        condition &= Q(**{f"{name}__lte": campaign.closed_on})
    return condition


def facts(
    campaign: Campaign,
    zone_ids: list[int] | None,
    on: date,
    person_ids: Collection[int] | None = None,
    *,
    between: tuple[int, int] | None = None,
) -> dict[int, _Person]:
    """Each listed young person's facts (of `person_ids` only when given; of the ids from `between[0]` to
    `between[1]` included when given), in a few queries (values only: nothing decrypted). The one definition of what
    counts, read by these tables and by the monitoring rollups."""
    listings = Listing.objects.filter(campaign=campaign)
    if zone_ids is not None:
        listings = listings.filter(person__zone_id__in=zone_ids)
    listed = Q(person__listings__campaign=campaign)
    if person_ids is not None:
        listings = listings.filter(person_id__in=person_ids)
        listed &= Q(person_id__in=person_ids)
    if between is not None:  # (a foreign key has no `range` lookup)
        listings = listings.filter(person_id__gte=between[0], person_id__lte=between[1])
        listed &= Q(person_id__gte=between[0], person_id__lte=between[1])
    people: dict[int, _Person] = {}
    for pk, zone_code, birth, commune, structure in listings.values_list(
        "person_id",
        "person__zone__code",
        "person__birth_date",
        "person__commune",
        "person__zone__psad_structure_id",
    ):
        people[pk] = _Person(
            zone=zone_code or NO_ZONE,
            minor=16 <= age_on(birth, on) < 18,
            commune=commune,
            structure=structure,
        )
    for pk, result in ContactAttempt.objects.filter(listed, _window(campaign, "made_on")).values_list(
        "person_id", "result"
    ):
        if pk in people:
            people[pk].contacted = True
            people[pk].reached |= result in REACHED_RESULTS
    situations = SituationRecord.objects.filter(listed, _window(campaign, "found_on")).order_by(
        "found_on", "id"
    )
    for pk, situation in situations.values_list("person_id", "situation"):
        if pk in people:
            people[pk].reached = True
            people[pk].situation = situation  # the latest wins
    solutions = Solution.objects.filter(listed, _window(campaign, "started_on")).order_by(
        "-started_on", "-id"
    )
    for pk, solution_type in solutions.values_list("person_id", "solution_type"):
        if pk in people:
            people[pk].solution = solution_type  # the first wins
    follow_ups = FollowUp.objects.filter(
        solution__person__listings__campaign=campaign,
        done_on__isnull=False,
        outcome__in=STILL_IN_SOLUTION,
    ).filter(_window(campaign, "solution__started_on"))
    if person_ids is not None:
        follow_ups = follow_ups.filter(solution__person_id__in=person_ids)
    if between is not None:
        follow_ups = follow_ups.filter(
            solution__person_id__gte=between[0], solution__person_id__lte=between[1]
        )
    for pk, month in follow_ups.values_list("solution__person_id", "month"):
        if pk in people:
            people[pk].in_solution.add(month)
    return people


def person_ranges(campaign: Campaign, size: int | None = None) -> Iterator[tuple[int, int]]:
    """The campaign's listed young people as consecutive ranges of ids (first, last, included) of `size` each
    (`CHUNK` by default), in id order: one query of at most `size` ids per range, so that reading a campaign of
    any size holds one range at a time (pk ranges, not IN lists: no bound-parameter limit)."""
    size = CHUNK if size is None else size
    if size < 1:
        raise ValueError(f"taille de tranche invalide : {size}")
    listed = (
        Listing.objects.filter(campaign=campaign).order_by("person_id").values_list("person_id", flat=True)
    )
    ids = list(listed[:size])
    while ids:
        yield ids[0], ids[-1]
        ids = list(listed.filter(person_id__gt=ids[-1])[:size]) if len(ids) == size else []


def chunked_facts(
    campaign: Campaign, zone_ids: list[int] | None, on: date, size: int | None = None
) -> Iterator[dict[int, _Person]]:
    """`facts` of the whole campaign, one range of `person_ranges` at a time: a young person's facts all fall in
    one range, so a sum over the ranges is the sum over the campaign, and the memory does not grow with it."""
    for first, last in person_ranges(campaign, size):
        yield facts(campaign, zone_ids, on, between=(first, last))


def columns_of(person: _Person) -> list[str]:
    """The columns one young person counts 1 in (a situation type and a solution type prefixed « sol: »)."""
    columns = ["listes"]
    if person.reached:
        columns.append("joints")
    elif person.contacted:
        columns.append("injoignables")
    else:
        columns.append("non_contactes")
    if person.contacted:
        columns.append("contactes")
    columns += [f"en_solution_{month}_mois" for month in sorted(person.in_solution)]
    if person.situation:
        columns += ["situations", person.situation]
    if person.solution:
        columns += ["solutions", "sol:" + person.solution]
    return columns


def _count(
    people: Iterable[_Person], counts: dict[str, dict[str, int]] | None = None
) -> dict[str, dict[str, int]]:
    """Raw counts by zone code, every column of every table (added to `counts` when given)."""
    counts = {} if counts is None else counts
    for person in people:
        row = counts.setdefault(person.zone, {})
        for column in columns_of(person):
            row[column] = row.get(column, 0) + 1
    return counts


def protect(counts: Mapping[str, Mapping[str, int]], columns: list[str], *, split: bool) -> dict:
    """Shown cells of a table whose total line (key TOTAL) is added here; with `split`, the first column is the sum
    of the others. Every line is an equation whose members are cells (see the module's docstring)."""
    cells = {zone: {column: int(counts[zone].get(column, 0)) for column in columns} for zone in counts}
    cells[TOTAL] = {column: sum(cells[zone][column] for zone in counts) for column in columns}
    table = suppress_table(
        cells,
        row_totals={zone: 0 for zone in cells} if split else None,
        column_totals={column: 0 for column in columns},
    )
    return table.cells


def _table(
    key: str,
    title: str,
    columns: list[tuple[str, str]],
    counts: dict[str, dict[str, int]],
    zones: list[tuple[str, str]],
    *,
    split: bool,
    prefix: str = "",
) -> Table:
    codes = [code for code, _ in columns]
    raw = {
        zone: {code: counts.get(zone, {}).get(_column_key(code, prefix), 0) for code in codes}
        for zone, _ in zones
    }
    shown = protect(raw, codes, split=split)
    rows = [(zone, label, shown[zone]) for zone, label in zones]
    rows.append((TOTAL, TOTAL_LABEL, shown[TOTAL]))
    return Table(key=key, title=title, columns=columns, rows=rows)


def _column_key(code: str, prefix: str) -> str:
    return prefix + code if prefix and code in SolutionType.values else code


def _tables(
    counts: dict[str, dict[str, int]], zones: list[tuple[str, str]], suffix: str, who: str
) -> list[Table]:
    return [
        _table(
            f"contact{suffix}", f"Contact des jeunes listés{who}", CONTACT_COLUMNS, counts, zones, split=True
        ),
        _table(
            f"suivi{suffix}",
            f"Contacts et maintien en solution{who}",
            FOLLOW_COLUMNS,
            counts,
            zones,
            split=False,
        ),
        _table(
            f"situations{suffix}",
            f"Situations constatées, par type{who}",
            SITUATION_COLUMNS,
            counts,
            zones,
            split=True,
        ),
        _table(
            f"solutions{suffix}",
            f"Entrées en solution, par type{who}",
            SOLUTION_COLUMNS,
            counts,
            zones,
            split=True,
            prefix="sol:",
        ),
    ]


def campaign_or_error(code: str) -> Campaign:
    campaign = Campaign.objects.filter(code=code).first()
    if campaign is None:
        raise IndicatorError(f"campagne « {code} » inconnue")
    return campaign


def compute(
    campaign: Campaign, zones: list[PsadZone] | None, *, with_no_zone: bool, on: date | None = None
) -> Indicators:
    """The published tables for `zones` (None: every zone), all young people then the minors of 16 and 17."""
    on = on or timezone.localdate()
    chosen = list(zones) if zones is not None else list(PsadZone.objects.order_by("code"))
    rows = [(zone.code, zone.nom) for zone in chosen]
    if with_no_zone:
        rows.append((NO_ZONE, NO_ZONE_LABEL))
    everyone: dict[str, dict[str, int]] = {}
    minors: dict[str, dict[str, int]] = {}
    for people in chunked_facts(campaign, None if zones is None else [zone.pk for zone in chosen], on):
        _count(people.values(), everyone)
        _count((person for person in people.values() if person.minor), minors)
    tables = _tables(everyone, rows, "", "") + _tables(
        minors, rows, "_mineurs", " — mineurs de 16 et 17 ans (obligation de formation)"
    )
    return Indicators(campaign=campaign, on=on, zones=rows, tables=tables)


def for_user(user, campaign_code: str, zone_code: str = "", on: date | None = None) -> Indicators:
    """The indicators `user` may see, for one campaign and optionally one zone; one audit event (no row read)."""
    allowed = visible_zones(user)
    campaign = campaign_or_error(campaign_code)
    if zone_code:
        pool = allowed if allowed is not None else list(PsadZone.objects.all())
        chosen = [zone for zone in pool if zone.code == zone_code]
        if not chosen:
            raise IndicatorError(f"zone « {zone_code} » inconnue ou hors de vos zones")
        result = compute(campaign, chosen, with_no_zone=False, on=on)
    else:
        result = compute(campaign, allowed, with_no_zone=allowed is None, on=on)
    audit.record(
        user, "dropout.indicators", campaign, detail=f"indicateurs {campaign.code} {zone_code or 'toutes'}"
    )
    return result


# --- exports -------------------------------------------------------------------------------------------------------


def csv_rows(result: Indicators) -> list[list[object]]:
    """One long table: campaign, table, zone, indicator, shown value (« < 5 », « masqué » as shown on the page)."""
    out: list[list[object]] = [["campagne", "tableau", "zone", "nom de la zone", "indicateur", "valeur"]]
    for table in result.tables:
        for zone, label, cells in table.rows:
            for code, column in table.columns:
                out.append([result.campaign.code, table.title, zone, label, column, cells[code]])
    return out


def sheets(result: Indicators) -> list[documents.Sheet]:
    """One sheet per table, zones as rows (numbers stay numbers, hidden cells are text)."""
    return [
        documents.Sheet(
            name=table.key,
            headers=["Zone", *[label for _, label in table.columns]],
            rows=[[label, *[cells[code] for code, _ in table.columns]] for _, label, cells in table.rows],
        )
        for table in result.tables
    ]
