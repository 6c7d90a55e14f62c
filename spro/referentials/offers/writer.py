"""`Writer`: the rows of processed chunks into the database, inside the import's one transaction.

A formation whose digest and numero are those of a stored active offer is counted unchanged and writes
nothing. New offers (the whole first import) go in as the rows the chunk processors built, through the
project's bulk-insert engine (`importing.sync.insert_tuples`); a changed offer is read again here and synced
field by field (`ImportContext.sync`), its actions, sessions and ROME links replaced. Organismes: the first
description of a SIRET in the file wins. `finish` retires what the file no longer holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Q
from lxml import etree

from spro.referentials.importing import ImportContext, ImportFailure
from spro.referentials.importing.sync import RowPlan, insert_tuples, row_plan
from spro.referentials.offers.chunks import FOOTER, Chunk
from spro.referentials.offers.lheo import xml_parser
from spro.referentials.offers.models import Action, Formation, FormationRome, OrganismeFormation, Session
from spro.referentials.offers.reader import FormationReader
from spro.referentials.offers.records import (
    ChunkEntry,
    Layouts,
    ParsedFormation,
    WarningRecord,
    formation_rows,
    layouts,
)

FICHE_ATTNAME = FormationRome._meta.get_field("fiche").attname

ORGANISME_FIELDS = [
    "numero_activite",
    "nom",
    "raison_sociale",
    "adresse",
    "commune_id",
    "telephone",
    "courriel",
    "site_web",
    "code_uai",
    "extras",
    "content_hash",
]
FORMATION_FIELDS = [
    "intitule",
    "objectif",
    "resultats_attendus",
    "contenu",
    "certifiante",
    "formacode_principal",
    "codes_formacode",
    "codes_nsf",
    "codes_rome",
    "codes_rncp",
    "codes_certifinfo",
    "codes_rs",
    "parcours",
    "niveau_entree",
    "niveau_sortie",
    "objectif_general",
    "url",
    "organisme_id",
    "extras",
    "content_hash",
]
ACTION_FIELDS = [
    "rythme",
    "codes_public_vise",
    "info_public_vise",
    "niveau_entree_obligatoire",
    "modalites_alternance",
    "modalites_enseignement",
    "conditions_specifiques",
    "prise_en_charge_frais_possible",
    "detail_conditions_prise_en_charge",
    "financeurs",
    "conventionnement",
    "entrees_sorties_permanentes",
    "lieu_nom",
    "lieu_adresse",
    "lieu_code_insee",
    "lieu_commune_id",
    "latitude",
    "longitude",
    "url",
    "duree_indicative",
    "nombre_heures_centre",
    "nombre_heures_entreprise",
    "nombre_heures_total",
    "prix_horaire_ttc",
    "prix_total_ttc",
    "hebergement",
    "restauration",
    "transport",
    "acces_handicapes",
    "modalites_recrutement",
    "modalites_pedagogiques",
    "extras",
]
SESSION_FIELDS = [
    "debut",
    "fin",
    "adresse_inscription",
    "modalites_inscription",
    "etat_recrutement",
    "url",
    "extras",
]

# --------------------------------------------------------------------------------------------------- writing


class PkSet:
    """Primary keys seen during this import, as a bitmap: 1 bit per id, flat memory for millions of offers."""

    def __init__(self) -> None:
        self.bits = bytearray()

    def add(self, pk: int) -> None:
        index = pk >> 3
        if index >= len(self.bits):
            self.bits.extend(bytes(max(index + 1 - len(self.bits), len(self.bits))))
        self.bits[index] |= 1 << (pk & 7)

    def __contains__(self, pk: int) -> bool:
        index = pk >> 3
        return index < len(self.bits) and bool(self.bits[index] & (1 << (pk & 7)))


@dataclass
class Writer:
    """Writes batches of offers: diff by digest, then insert the new offers and sync the changed ones."""

    ctx: ImportContext
    path: Path
    #: the INSEE commune codes and ROME fiches known at import time (to read a changed offer again)
    communes: set[str]
    fiches: set[str]
    seen: PkSet = field(default_factory=PkSet)
    #: SIRET → digest of its first description in the file (bounded by the number of organismes, not offers)
    organismes: dict[str, str] = field(default_factory=dict)
    organisme_conflicts: int = 0
    formations_read: int = 0
    rereader: FormationReader | None = None
    layouts: Layouts = field(default_factory=layouts)
    organisme_plan: RowPlan = field(default_factory=lambda: row_plan(OrganismeFormation))
    link_plan: RowPlan = field(default_factory=lambda: row_plan(FormationRome))

    def flush(self, chunk: Chunk, header: bytes, result: list[tuple]) -> None:
        """Write the formations of one processed chunk (its entries, as `marshal` brought them)."""
        if not result:
            return
        entries = [ChunkEntry._make(entry) for entry in result]
        ctx = self.ctx
        self.formations_read += len(entries)
        keys: set[str] = set()
        for entry in entries:
            if entry.numero in keys:
                raise self._duplicate(entry)
            keys.add(entry.numero)
        self._organismes(entries)
        existing = {
            numero: (pk, digest, active)
            for numero, pk, digest, active in Formation.objects.filter(numero__in=list(keys)).values_list(
                "numero", "pk", "content_hash", "is_active"
            )
        }
        changed: list[ParsedFormation] = []
        created: list[ChunkEntry] = []
        unchanged = {Formation: 0, Action: 0, Session: 0, FormationRome: 0}
        for entry in entries:
            current = existing.get(entry.numero)
            if current is not None:
                pk, digest, active = current
                if pk in self.seen:
                    raise self._duplicate(entry)
                self.seen.add(pk)
                if digest == entry.digest and active:
                    unchanged[Formation] += 1
                    unchanged[Action] += entry.action_count
                    unchanged[Session] += entry.session_count
                    unchanged[FormationRome] += len(entry.fiches)
                    continue
            self._replay(entry.warnings)
            if current is None and entry.row is not None:
                created.append(entry)
                continue
            # Changed, or (rare) not read by the chunk processor because its digest was known: read it here.
            parsed, warnings = self._reread(header, chunk.data[entry.start : entry.end], entry.digest)
            if entry.row is None:
                self._replay(warnings)
            if current is None:
                ((row, actions),) = formation_rows(self.layouts, [parsed])
                created.append(entry._replace(row=row, actions=actions))
            else:
                changed.append(parsed)
        for model, count in unchanged.items():
            if count:
                ctx.counts(model).unchanged += count
        if created:
            self._create(created)
        if changed:
            self._write(changed)

    def _replay(self, warnings: list[WarningRecord]) -> None:
        for message, line, field_name in warnings:
            self.ctx.warn(message, source=self.path, line=line, field=field_name)

    def _reread(self, header: bytes, data: bytes, digest: str) -> tuple[ParsedFormation, list[WarningRecord]]:
        """A changed offer is synced field by field: its records, read again here (rare: updates only).
        Its line numbers are relative to the formation: its warnings come from the chunk processor."""
        if self.rereader is None:
            self.rereader = FormationReader(self.path, self.communes, self.fiches)
        root = etree.fromstring(header + data + FOOTER, _PARSER)
        parsed = self.rereader.read(root[0][0])
        parsed.record["content_hash"] = digest
        return parsed, self.rereader.warnings.take()

    def _duplicate(self, entry: ChunkEntry) -> ImportFailure:
        return ImportFailure(
            f"formation numero {entry.numero!r} appears more than once in the file",
            source=self.path,
            line=entry.line,
            field="numero",
        )

    def _organismes(self, entries: list[ChunkEntry]) -> None:
        """The first description of a SIRET in the file wins, so that a re-import is stable (0 changes)."""
        first: dict[str, tuple[dict[str, Any], list[WarningRecord], str]] = {}
        for entry in entries:
            siret, digest = entry.siret, entry.organisme_digest
            known = self.organismes.get(siret)
            if known is None:
                if entry.organisme_record is None:  # pragma: no cover - the first one in the file is sent
                    raise ImportFailure(f"organisme {siret}: its description was not read", source=self.path)
                self.organismes[siret] = digest
                first[siret] = (entry.organisme_record, entry.organisme_warnings, digest)
            elif known != digest:
                self.organisme_conflicts += 1
                if self.organisme_conflicts <= 20:
                    self.ctx.warn(
                        f"organisme {siret} is described differently by formation {entry.numero}; the first "
                        f"description in the file is kept",
                        source=self.path,
                        line=entry.organisme_line if entry.organisme_record is not None else entry.line,
                        field="organisme-formation-responsable",
                    )
        if not first:
            return
        stored = {
            siret: (digest, active)
            for siret, digest, active in OrganismeFormation.objects.filter(siret__in=list(first)).values_list(
                "siret", "content_hash", "is_active"
            )
        }
        counts = self.ctx.counts(OrganismeFormation)
        new, changed = [], {}
        for siret, (record, warnings, digest) in first.items():
            if stored.get(siret) == (digest, True):
                counts.unchanged += 1
                continue
            self._replay(warnings)
            record = {**record, "content_hash": digest}
            if siret in stored:
                changed[siret] = record
            else:
                new.append({"siret": siret, "is_active": True, **record})
        insert_tuples(self.organisme_plan, self.organisme_plan.tuples(new))
        counts.created += len(new)
        if changed:
            self.ctx.sync(
                OrganismeFormation,
                changed,
                key="siret",
                fields=[name for name in ORGANISME_FIELDS if name != "content_hash"],
                scope=Q(siret__in=list(changed)),
                on_missing="keep",
            )
            # The digest is bookkeeping, not content: stored apart, so that it is never counted as a change.
            OrganismeFormation.objects.bulk_update(
                [
                    OrganismeFormation(siret=siret, content_hash=r["content_hash"])
                    for siret, r in changed.items()
                ],
                ["content_hash"],
                batch_size=500,
            )

    def _create(self, created: list[ChunkEntry]) -> None:
        """New offers (the whole first import): the rows built by the chunk processors, their foreign keys
        filled in here as the new primary keys come back."""
        counts = self.ctx.counts
        counts(Formation).created += len(created)
        counts(Action).created += sum(len(e.actions) for e in created)
        counts(Session).created += sum(len(sessions) for e in created for _, sessions in e.actions)
        counts(FormationRome).created += sum(len(e.fiches) for e in created)
        plans = self.layouts
        pks = insert_tuples(plans.formation, [e.row for e in created], returning=True)
        add = self.seen.add
        for pk in pks:
            add(pk)
        at = plans.action.index("formation_id")
        action_rows, session_lists = [], []
        for pk, entry in zip(pks, created, strict=True):
            for row, sessions in entry.actions:
                action_rows.append((*row[:at], pk, *row[at + 1 :]))
                session_lists.append(sessions)
        action_pks = insert_tuples(plans.action, action_rows, returning=True)
        st = plans.session.index("action_id")
        insert_tuples(
            plans.session,
            [
                (*row[:st], action_pk, *row[st + 1 :])
                for action_pk, sessions in zip(action_pks, session_lists, strict=True)
                for row in sessions
            ],
        )
        links = [
            {"formation_id": pk, FICHE_ATTNAME: code}
            for pk, e in zip(pks, created, strict=True)
            for code in e.fiches
        ]
        insert_tuples(self.link_plan, self.link_plan.tuples(links))

    def _write(self, changed: list[ParsedFormation]) -> None:
        ctx = self.ctx
        keys = [parsed.numero for parsed in changed]
        ctx.sync(
            Formation,
            {p.numero: p.record for p in changed},
            key="numero",
            fields=[name for name in FORMATION_FIELDS if name != "content_hash"],
            scope=Q(numero__in=keys),
            on_missing="keep",
        )
        pks = dict(Formation.objects.filter(numero__in=keys).values_list("numero", "pk"))
        Formation.objects.bulk_update(
            [Formation(pk=pks[p.numero], content_hash=p.record["content_hash"]) for p in changed],
            ["content_hash"],
            batch_size=500,
        )
        for pk in pks.values():
            self.seen.add(pk)
        formation_pks = list(pks.values())
        actions = {(pks[p.numero], a.numero): a.record for p in changed for a in p.actions}
        ctx.sync(
            Action,
            actions,
            key=("formation_id", "numero"),
            fields=ACTION_FIELDS,
            scope=Q(formation_id__in=formation_pks),
            on_missing="delete",
        )
        action_pks = {
            (formation, numero): pk
            for pk, formation, numero in Action.objects.filter(formation_id__in=formation_pks).values_list(
                "pk", "formation_id", "numero"
            )
        }
        sessions = {
            (action_pks[(pks[p.numero], a.numero)], s.numero): s.record
            for p in changed
            for a in p.actions
            for s in a.sessions
        }
        ctx.sync(
            Session,
            sessions,
            key=("action_id", "numero"),
            fields=SESSION_FIELDS,
            scope=Q(action__formation_id__in=formation_pks),
            on_missing="delete",
        )
        links = {(pks[p.numero], code): {} for p in changed for code in p.fiches}
        fiche = FICHE_ATTNAME
        ctx.sync(
            FormationRome,
            links,
            key=("formation_id", fiche),
            fields=[],
            scope=Q(formation_id__in=formation_pks),
            on_missing="delete",
        )

    def _retire(self, model: Any, key: str, kept: Any) -> None:
        """Mark inactive the active rows of `model` whose `key` is not in `kept` (read in chunks, updated by 900)."""
        stale = [
            value
            for value in model.objects.filter(is_active=True)
            .values_list(key, flat=True)
            .iterator(chunk_size=10_000)
            if value not in kept
        ]
        for start in range(0, len(stale), 900):
            model.objects.filter(pk__in=stale[start : start + 900]).update(is_active=False)
        self.ctx.counts(model).retired += len(stale)

    def finish(self) -> None:
        """Retire the offers and organismes that are no longer in the file (their rows stay, inactive)."""
        self._retire(Formation, "pk", self.seen)
        self._retire(OrganismeFormation, "siret", self.organismes)
        if self.organisme_conflicts > 20:
            self.ctx.warn(
                f"{self.organisme_conflicts} formations describe their organisme differently from its first "
                f"description (only the first 20 are listed)",
                source=self.path,
            )


_PARSER = xml_parser()
