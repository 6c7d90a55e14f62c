"""The types of documents the search finds (`type` in the search result, docs/contracts.md#search-result).

One code list for the search index's model, its in-memory snapshot, the service's facets, the `/recherche` page,
the API schema and `spro recherche --type`. Each code has its value (stored, never renamed: add new ones at the
end), the label a person reads next to one result, the plural label of the facet, and a description.

The order of `DOCUMENT_TYPES` is stable: the search snapshot stores a type as its index in it (int8), so a new type
is appended, never inserted.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentType:
    value: str
    label: str  # one result: « Métier »
    label_plural: str  # the facet: « Métiers »
    description: str


DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    DocumentType(
        "metier",
        "Métier",
        "Métiers",
        "Une fiche métier du ROME 4.0 (code ROME), avec ses appellations.",
    ),
    DocumentType(
        "formation",
        "Formation",
        "Formations",
        "Une formation : ONISEP, Parcoursup, master ou offre de formation continue (LHÉO), en un lieu.",
    ),
    DocumentType(
        "certification",
        "Certification",
        "Certifications",
        "Un diplôme, un titre ou un CQP de Certif Info.",
    ),
    DocumentType(
        "structure",
        "Structure",
        "Structures",
        "Une structure du réseau du service public régional de l’orientation (annuaire).",
    ),
)

#: value → DocumentType
BY_VALUE: dict[str, DocumentType] = {t.value: t for t in DOCUMENT_TYPES}
#: the values, in the stable order (the snapshot's int8 index)
VALUES: tuple[str, ...] = tuple(t.value for t in DOCUMENT_TYPES)
#: value → label of one result (« Métier »)
LABELS: dict[str, str] = {t.value: t.label for t in DOCUMENT_TYPES}
#: value → label of the facet (« Métiers »)
PLURAL_LABELS: dict[str, str] = {t.value: t.label_plural for t in DOCUMENT_TYPES}
#: Django choices of the index's model: the lower-case label, as the search migrations stored it
MODEL_CHOICES: list[tuple[str, str]] = [(t.value, t.label.lower()) for t in DOCUMENT_TYPES]
