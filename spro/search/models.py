"""The search index: one flat row per searchable thing (métier, formation, certification, structure).

Built from the referentials by `spro.search.indexing.rebuild_index` (never edited by hand). The normalised
title and text are what both full-text backends index (SQLite FTS5 table `search_fts`, PostgreSQL tsvector
column `search_tsv`, created by raw SQL in migrations guarded by vendor), so that both see identical tokens.
"""

from __future__ import annotations

from django.db import models

from spro.core.vocabularies.document_types import MODEL_CHOICES


class SearchDocument(models.Model):
    type = models.CharField(max_length=20, choices=MODEL_CHOICES)  # spro/core/vocabularies/document_types.py
    code = models.CharField(
        max_length=300, help_text="code ROME pour un métier, identifiant de la plateforme sinon"
    )
    titre = models.CharField(max_length=500)
    sous_titre = models.CharField("sous-titre", max_length=500, blank=True)
    url = models.CharField(max_length=400)
    titre_norm = models.TextField("titre normalisé")
    texte_norm = models.TextField("texte normalisé", blank=True)
    phrases_norm = models.TextField(
        "libellés normalisés",
        blank=True,
        help_text="titre et appellations normalisés, « |a b|c d| » : bonus de titre exact",
    )
    niveau = models.CharField(
        max_length=2, blank=True, help_text="niveau du cadre national des certifications (3 = CAP … 8)"
    )
    modalites = models.JSONField(default=list, help_text="initiale, apprentissage, continue, distance")
    filtres = models.CharField(
        max_length=400,
        blank=True,
        help_text="modalités et publics sous forme « |mod:apprentissage|pub:jeunes| » (filtre portable)",
    )
    code_departement = models.CharField(max_length=3, blank=True)
    code_region = models.CharField(max_length=3, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    domaine = models.CharField(max_length=10, blank=True, help_text="grand domaine ROME (lettre)")
    publics = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "document de recherche"
        verbose_name_plural = "documents de recherche"
        constraints = [models.UniqueConstraint(fields=["type", "code"], name="search_document_type_code")]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="search_doc_latlon"),
            models.Index(fields=["code_departement"], name="search_doc_dep"),
            models.Index(fields=["code_region"], name="search_doc_region"),
        ]

    def __str__(self) -> str:
        return f"{self.type}:{self.code} {self.titre}"


class SearchVocabulary(models.Model):
    """Every token of the index with its document frequency: typo correction, suggestions, ranking (idf)."""

    token = models.CharField(max_length=100, primary_key=True)
    df = models.PositiveIntegerField("fréquence documentaire")
    df_titre = models.PositiveIntegerField("fréquence dans les titres", default=0)

    class Meta:
        verbose_name = "mot du vocabulaire"
        verbose_name_plural = "vocabulaire de la recherche"

    def __str__(self) -> str:
        return f"{self.token} ({self.df})"


class IndexBuild(models.Model):
    """One rebuild of the index: when, how many documents, how long (also a cache key for the vocabulary)."""

    built_at = models.DateTimeField(auto_now_add=True)
    documents = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = "construction de l'index"
        verbose_name_plural = "constructions de l'index"
        ordering = ["-built_at"]

    def __str__(self) -> str:
        return f"index du {self.built_at:%d/%m/%Y %H:%M} ({self.documents} documents)"
