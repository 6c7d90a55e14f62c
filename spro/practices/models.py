"""The register's entries (good practices and difficulties) and their attachments (docs/bonnes-pratiques.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from spro.core.vocabularies.territoires import TerritoryLevel
from spro.directory.models import Structure
from spro.practices.vocabularies import Kind, RefusalReason, Status, Theme

TITLE_MAX = 200
TEXT_MAX = 20_000


class Practice(models.Model):
    """One entry: written by a structure's members (or a network head, with no structure), submitted, then
    published or refused by the Region. `search_text` is the folded title and text, for the search."""

    title = models.CharField("titre", max_length=TITLE_MAX)
    kind = models.CharField("nature", max_length=20, choices=Kind.choices)
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)
    network = models.CharField(
        "réseau", max_length=20, blank=True, help_text="typologie de structure (ML, CIO…)"
    )
    territory_level = models.CharField("niveau de territoire", max_length=12, choices=TerritoryLevel.choices)
    territory_code = models.CharField("code du territoire", max_length=9)
    text = models.TextField("texte", max_length=TEXT_MAX)
    author_structure = models.ForeignKey(
        Structure, null=True, blank=True, on_delete=models.PROTECT, related_name="practices"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField("état", max_length=12, choices=Status.choices, default=Status.BROUILLON)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(
        "motif du refus", max_length=30, blank=True, choices=RefusalReason.choices
    )
    review_comment = models.TextField("commentaire de la Région", blank=True, max_length=2000)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["status", "theme"])]

    def __str__(self) -> str:
        return self.title

    @property
    def structure(self) -> Structure | None:
        """The audit's structure (`spro.audit.record` reads `obj.structure`)."""
        return self.author_structure


class Attachment(models.Model):
    """A file joined to an entry, checked and stored by `spro.core.uploads`."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    path = models.CharField(max_length=300, editable=False)
    original_name = models.CharField("nom d’origine", max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
