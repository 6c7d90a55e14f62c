"""Rollups kept in step with their sources: each write of a source adds its cells in the same transaction, and
`rebuild` recomputes everything from the sources (`spro indicateurs reconstruire`; incremental == rebuilt is tested).

A source row adds 1 to one cell per (structure scope, territory level, breakdown value): scope 0 (every structure)
at levels `ensemble`, commune, EPCI, département, bassin, région; its own structure at `ensemble`, département and
région (`STRUCTURE_LEVELS`); the total (dimension "") and
each breakdown the indicator allows (a contact with two needs counts once under each need). So any indicator ×
breakdown × territory × months reads a few hundred rows, never the source table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import import_module

from django.db import connection, transaction

from spro.contacts.models import FirstContact
from spro.monitoring.models import Rollup
from spro.referentials.geo.models import Commune, Departement

CONTACTS = "premiers-contacts"
ALL_STRUCTURES = 0
WHOLE = "ensemble"
LEVELS = ("commune", "epci", "departement", "bassin", "region")
#: One structure's rows stop at these levels: its contacts per commune would make nearly one row per contact (a
#: structure or a network reads its own figures as a whole, per département or per région).
STRUCTURE_LEVELS = (WHOLE, "departement", "region")

#: The breakdowns computed for first contacts: dimension → the contact's column.
CONTACT_DIMENSIONS = {
    "canal": "channel",
    "tranche_age": "age_band",
    "statut": "statut",
    "reponse": "answer_given",
}

#: Indicators computed from rollups, with the breakdowns their rollups hold (a declaration may allow no other).
COMPUTED: dict[str, tuple[str, ...]] = {
    CONTACTS: (*CONTACT_DIMENSIONS, "besoin"),
    "orientations": ("issue", "delai"),
    # spro/monitoring/sources/<module>.py (its DIMENSIONS):
    "exploration": (),
    "decrochage-issues": ("contact", "suivi", "situation", "solution", "obligation_formation"),
    "evenements-participation": ("inscription", "presence", "type_structure", "reseau", "type_evenement"),
}

Key = tuple[
    str, int, str, str, dt.date, str, str
]  # indicator, structure, level, dimension, month, territory, value


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


@dataclass(frozen=True)
class Place:
    """A row's territory at every level ("" when not known)."""

    commune: str = ""
    epci: str = ""
    departement: str = ""
    bassin: str = ""
    region: str = ""

    def levels(self) -> list[tuple[str, str]]:
        return [(WHOLE, "")] + [(level, getattr(self, level)) for level in LEVELS]


def places(communes: Iterable[str | None], departements: Iterable[str | None]) -> tuple[dict, dict]:
    """Commune code → Place and département code → Place, in two queries."""
    by_commune = {
        row[0]: Place(row[0], row[1] or "", row[2], row[3] or "", row[4])
        for row in Commune.objects.filter(pk__in={c for c in communes if c}).values_list(
            "code_insee", "epci_id", "departement_id", "bassin_emploi_id", "region_id"
        )
    }
    by_departement = {
        code: Place(departement=code, region=region)
        for code, region in Departement.objects.filter(pk__in={d for d in departements if d}).values_list(
            "code", "region_id"
        )
    }
    return by_commune, by_departement


def contact_cells(contacts: Sequence[FirstContact]) -> Counter[Key]:
    """The cells the contacts add 1 to."""
    by_commune, by_departement = places(
        (c.commune_id for c in contacts), (c.departement_id for c in contacts)
    )
    cells: Counter[Key] = Counter()
    for contact in contacts:
        place = (
            by_commune.get(contact.commune_id or "")
            or by_departement.get(contact.departement_id or "")
            or Place()
        )
        month = month_of(contact.date)
        values = [("", "")] + [(dim, getattr(contact, column)) for dim, column in CONTACT_DIMENSIONS.items()]
        values += [("besoin", code) for code in dict.fromkeys(contact.besoins or [])]
        for structure in (ALL_STRUCTURES, contact.structure_id):
            for level, territory in place.levels():
                if structure != ALL_STRUCTURES and level not in STRUCTURE_LEVELS:
                    continue
                for dimension, value in values:
                    cells[(CONTACTS, structure, level, dimension, month, territory, value)] += 1
    return cells


def _table() -> str:
    return connection.ops.quote_name(Rollup._meta.db_table)


UPSERT_COLUMNS = "indicator, structure_id, level, dimension, month, territory, value, count"
CONFLICT = "indicator, structure_id, level, dimension, month, territory, value"


def add(cells: Counter[Key]) -> None:
    """Add the counts to their cells (insert or increment), in the caller's transaction."""
    if not cells:
        return
    table = _table()
    sql = (
        f"INSERT INTO {table} ({UPSERT_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "  # noqa: S608 - names
        f"ON CONFLICT ({CONFLICT}) DO UPDATE SET count = {table}.count + excluded.count"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, n) for key, n in cells.items()])


def on_first_contacts(sender, contacts: Sequence[FirstContact], **_kwargs) -> None:
    """`spro.contacts.signals.first_contacts_recorded`: add the contacts to the rollups (same transaction)."""
    add(contact_cells(contacts))


# --- rebuilding from the sources ------------------------------------------------------------------------------


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"substr({column}, 1, 7) || '-01'"


def besoins_join(alias: str) -> str:
    if connection.vendor == "postgresql":
        return f"CROSS JOIN LATERAL jsonb_array_elements_text({alias}.besoins) AS b(value)"
    return f"JOIN json_each({alias}.besoins) AS b"


def contact_base_sql() -> str:
    """One line per contact with its month and its territory at every level (the commune's, else the
    département's)."""
    fc = FirstContact._meta.db_table
    commune = Commune._meta.db_table
    departement = Departement._meta.db_table
    return (
        f"SELECT fc.id, fc.structure_id, fc.date AS day, {_month_sql('fc.date')} AS month, "  # noqa: S608 - model names
        "COALESCE(c.code_insee, '') AS commune, COALESCE(c.epci_id, '') AS epci, "
        "COALESCE(c.departement_id, d.code, '') AS departement, COALESCE(c.bassin_emploi_id, '') AS bassin, "
        "COALESCE(c.region_id, d.region_id, '') AS region, "
        "fc.channel, fc.age_band, fc.statut, fc.answer_given, fc.besoins "
        f"FROM {fc} fc LEFT JOIN {commune} c ON c.code_insee = fc.commune_id "
        f"LEFT JOIN {departement} d ON d.code = fc.departement_id AND fc.commune_id IS NULL"
    )


def _statements(
    indicator: str,
    base: str,
    dimensions: list[tuple[str, str, str]],
    *,
    per_structure: bool = True,
    levels: tuple[str, ...] = (WHOLE, *LEVELS),
) -> list[str]:
    """INSERT … SELECT … GROUP BY statements writing every cell of `indicator` from `base` (one line per source row
    with `month`, one column per territory level in `levels` and, if `per_structure`, `structure_id`);
    `dimensions`: (name, SQL value, join). Scope 0 is written at `levels`, each structure at `STRUCTURE_LEVELS`."""
    table = _table()
    statements = []
    scopes = [(str(ALL_STRUCTURES), "", levels)]
    if per_structure:
        scopes.append(("base.structure_id", "base.structure_id, ", STRUCTURE_LEVELS))
    for structure, group, scope_levels in scopes:
        # A constant is not grouped by (PostgreSQL refuses it; GROUP BY 0 would name a column by position).
        for level in scope_levels:
            territory = "''" if level == WHOLE else f"base.{level}"
            for dimension, value, join in dimensions:
                grouped = ", ".join(e for e in ("base.month", territory, value) if e != "''")
                statements.append(
                    f"INSERT INTO {table} ({UPSERT_COLUMNS}) "  # noqa: S608 - constants only
                    f"SELECT '{indicator}', {structure}, '{level}', '{dimension}', base.month, {territory}, "
                    f"{value}, COUNT(*) FROM ({base}) base{join} "
                    f"GROUP BY {group}{grouped}"
                )
    return statements


def contact_statements() -> list[str]:
    """Every first-contact cell from the source table."""
    dimensions = [("", "''", "")] + [(d, f"base.{c}", "") for d, c in CONTACT_DIMENSIONS.items()]
    dimensions.append(("besoin", "b.value", " " + besoins_join("base")))
    return _statements(CONTACTS, contact_base_sql(), dimensions)


# --- referrals (« orientations »): current outcome and delay to the first answer -------------------------------------

REFERRALS = "orientations"  # a key of COMPUTED
NO_ANSWER = "sans-reponse"
#: Delay bands to the first answer (acceptance or refusal), upper bound in seconds (None: no bound).
DELAY_BANDS: list[tuple[str, str, int | None]] = [
    ("moins-2-jours", "Moins de 2 jours", 2 * 86400),
    ("2-7-jours", "2 à 7 jours", 7 * 86400),
    ("8-30-jours", "8 à 30 jours", 30 * 86400),
    ("plus-30-jours", "Plus de 30 jours", None),
]
ANSWERED = ("acceptee", "refusee")
WAITING = ("nouvelle", "vue")


def delay_band(seconds: float) -> str:
    for code, _label, bound in DELAY_BANDS:
        if bound is None or seconds < bound:
            return code
    raise AssertionError("unreachable")  # pragma: no cover - the last band has no bound


def referral_cells(referral, deltas: list[tuple[str, str, int]], place: Place | None = None) -> Counter[Key]:
    """The cells of one referral (month of its creation, its commune, its structure) changed by `deltas`; `place`
    is its commune's, looked up when not given (a caller counting many referrals looks the communes up once)."""
    if place is None:
        by_commune, _ = places([referral.commune_id], [])
        place = by_commune.get(referral.commune_id or "") or Place()
    month = month_of(referral.created_at.astimezone(dt.UTC).date())
    cells: Counter[Key] = Counter()
    for structure in (ALL_STRUCTURES, referral.structure_id):
        for level, territory in place.levels():
            if structure != ALL_STRUCTURES and level not in STRUCTURE_LEVELS:
                continue
            for dimension, value, n in deltas:
                cells[(REFERRALS, structure, level, dimension, month, territory, value)] += n
    return cells


def referral_deltas(
    created_at: dt.datetime, from_status: str, to_status: str, at: dt.datetime
) -> list[tuple[str, str, int]]:
    """(dimension, value, ±1) of one change: a new referral counts once (no answer yet); a status change moves it
    from one outcome to the other, and its first answer from « sans réponse » to its delay band."""
    if not from_status:
        return [("", "", 1), ("issue", to_status, 1), ("delai", NO_ANSWER, 1)]
    deltas = []
    if from_status != to_status:
        deltas += [("issue", from_status, -1), ("issue", to_status, 1)]
    if from_status in WAITING and to_status in ANSWERED:
        band = delay_band((at - created_at).total_seconds())
        deltas += [("delai", NO_ANSWER, -1), ("delai", band, 1)]
    return deltas


def on_referral_changed(
    sender, referral, from_status: str, to_status: str, at: dt.datetime, **_kwargs
) -> None:
    """`spro.referrals.signals.referral_changed`: the referral's cells move by `referral_deltas`."""
    cells = referral_cells(referral, referral_deltas(referral.created_at, from_status, to_status, at))
    add(cells)
    emptied = [key for key, n in cells.items() if n < 0]
    if emptied:  # a cell back to 0 is removed, as a rebuild would not write it
        table = _table()
        sql = (
            f"DELETE FROM {table} WHERE indicator = %s AND structure_id = %s AND level = %s "  # noqa: S608 - names
            "AND dimension = %s AND month = %s AND territory = %s AND value = %s AND count = 0"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, emptied)


def _seconds_between(start: str, end: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({end} - {start}))"
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


def referral_base_sql() -> str:
    """One line per referral: its month, territory at every level (its commune's), status and delay band."""
    from spro.referrals.models import Referral, ReferralTransition

    commune = Commune._meta.db_table
    seconds = _seconds_between("r.created_at", "f.first_at")
    bands = " ".join(
        f"WHEN {seconds} < {bound} THEN '{code}'" for code, _label, bound in DELAY_BANDS if bound is not None
    )
    answered = ", ".join(f"'{s}'" for s in ANSWERED)
    waiting = ", ".join(f"'{s}'" for s in WAITING)
    return (
        f"SELECT r.id, r.structure_id, {_month_sql('r.created_at')} AS month, "  # noqa: S608 - constants only
        "COALESCE(c.code_insee, '') AS commune, COALESCE(c.epci_id, '') AS epci, "
        "COALESCE(c.departement_id, '') AS departement, COALESCE(c.bassin_emploi_id, '') AS bassin, "
        "COALESCE(c.region_id, '') AS region, r.status, "
        f"CASE WHEN f.first_at IS NULL THEN '{NO_ANSWER}' {bands} ELSE '{DELAY_BANDS[-1][0]}' END AS delai "
        f"FROM {Referral._meta.db_table} r LEFT JOIN {commune} c ON c.code_insee = r.commune_id "
        f"LEFT JOIN (SELECT referral_id, MIN(at) AS first_at FROM {ReferralTransition._meta.db_table} "
        f"WHERE to_status IN ({answered}) AND from_status IN ({waiting}) GROUP BY referral_id) f "
        "ON f.referral_id = r.id"
    )


def referral_statements() -> list[str]:
    dimensions = [("", "''", ""), ("issue", "base.status", ""), ("delai", "base.delai", "")]
    return _statements(REFERRALS, referral_base_sql(), dimensions)


def _source_statements(name: str) -> Callable[[], list[str]]:
    def statements() -> list[str]:
        return import_module(f"spro.monitoring.sources.{name}").statements()

    return statements


def _source_rebuild(name: str) -> Callable[[], None]:
    def rebuild() -> None:
        import_module(f"spro.monitoring.sources.{name}").rebuild()

    return rebuild


STATEMENTS = {
    CONTACTS: contact_statements,
    REFERRALS: referral_statements,
    "exploration": _source_statements("exploration"),
}
#: Indicators whose rebuild is a function of their source module (it replaces their rows itself).
REBUILDERS: dict[str, Callable[[], None]] = {
    "decrochage-issues": _source_rebuild("dropouts"),
    "evenements-participation": _source_rebuild("events"),
}

# --- the sources of spro/monitoring/sources/, one module each (imported here: they use the helpers above) ---------
from spro.monitoring.sources import accompaniments, answers, feedback  # noqa: E402

COMPUTED[answers.CODE] = answers.BREAKDOWNS
STATEMENTS[answers.CODE] = answers.statements
COMPUTED[accompaniments.CODE] = accompaniments.BREAKDOWNS
STATEMENTS[accompaniments.CODE] = accompaniments.statements
COMPUTED[feedback.SATISFACTION] = feedback.SATISFACTION_BREAKDOWNS
STATEMENTS[feedback.SATISFACTION] = feedback.satisfaction_statements
COMPUTED[feedback.FOLLOW_UP] = feedback.FOLLOW_UP_BREAKDOWNS
STATEMENTS[feedback.FOLLOW_UP] = feedback.follow_up_statements


def rebuild(indicators: Sequence[str] | None = None) -> dict[str, int]:
    """Recompute the rollups of `indicators` (default: every computed one) from their sources, atomically.

    Returns the number of rollup rows per indicator."""
    codes = list(indicators or COMPUTED)
    unknown = [code for code in codes if code not in COMPUTED]
    if unknown:
        raise ValueError(f"indicateur non calculé : {', '.join(unknown)}")
    written = {}
    with transaction.atomic():
        for code in codes:
            if code in REBUILDERS:
                REBUILDERS[code]()
            else:
                Rollup.objects.filter(indicator=code).delete()
                with connection.cursor() as cursor:
                    for statement in STATEMENTS[code]():
                        cursor.execute(statement)
            written[code] = Rollup.objects.filter(indicator=code).count()
    return written
