"""The log of referential imports: what was imported, from which file (by checksum), with what result."""

from django.db import models


class ImportRun(models.Model):
    class Status(models.TextChoices):
        SUCCESS = "success", "réussi"
        FAILED = "failed", "échoué (rien n'a été écrit)"
        DRY_RUN = "dry-run", "essai à blanc (rien n'a été écrit)"

    dataset = models.CharField("jeu de données", max_length=40, db_index=True)
    started_at = models.DateTimeField("date", auto_now_add=True)
    status = models.CharField("résultat", max_length=10, choices=Status.choices)
    dry_run = models.BooleanField("essai à blanc", default=False)
    files = models.JSONField("fichiers (nom, sha256)", default=dict)
    counts = models.JSONField("décomptes par modèle", default=dict)
    warning_count = models.PositiveIntegerField("avertissements", default=0)
    error = models.TextField("erreur", blank=True)
    seconds = models.FloatField("durée (s)", default=0)

    class Meta:
        verbose_name = "import de référentiel"
        verbose_name_plural = "imports de référentiels"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dataset} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def total_changes(self) -> int:
        return sum(
            c.get("created", 0) + c.get("updated", 0) + c.get("retired", 0) + c.get("deleted", 0)
            for c in self.counts.values()
        )
