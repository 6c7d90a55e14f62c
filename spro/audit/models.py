"""Audit log of access to personal data: who read or changed what, when, for which structure.

Append-only through the ORM: an existing row cannot be saved again or deleted, and the manager's querysets refuse
`update()` and `delete()`. The user and structure are PROTECTed, so deleting them cannot erase the trail
(accounts are deactivated, structures retired). Rows hold references and a short detail, never the personal
data itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("le journal d’audit ne se modifie pas")

    def delete(self):
        raise AuditLogIsAppendOnly("le journal d’audit ne s’efface pas")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogIsAppendOnly("le journal d’audit ne se modifie pas")


class Action(models.TextChoices):
    """Usual actions; other apps may record their own lower-case codes (e.g. `referral.accept`)."""

    VIEW = "view", "Consultation"
    EXPORT = "export", "Export"
    CHANGE = "change", "Modification"
    ANONYMISE = "anonymise", "Anonymisation"
    DELETE = "delete", "Suppression"


class AuditEvent(models.Model):
    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="utilisateur",
        help_text="Vide pour une action du système (commande planifiée) ou de la personne elle-même.",
    )
    action = models.CharField(max_length=50, db_index=True)
    object_type = models.CharField("type d’objet", max_length=100)
    object_id = models.CharField("identifiant de l’objet", max_length=64)
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure",
    )
    detail = models.CharField("précision", max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement d’audit"
        verbose_name_plural = "journal d’audit"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("un événement d’audit enregistré ne se modifie pas")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("un événement d’audit ne s’efface pas")
