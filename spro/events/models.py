"""Models of spro.events (docs/evenements.md).

* Working groups of the network (`GroupeTravail`, `MembreGroupe`, `Reunion`, `DocumentGroupe`): seen only by their
  members and the Region's SPRO team.
* Professionalisation events (`EvenementPro`) and their registrations (`Inscription`): a seat number per confirmed
  registration (unique per event, so two registrations never share a seat), the waiting list ordered by
  registration time, attendance only (no training record: the employer keeps training prerogatives).
* The public communication (`Actualite`, `RendezVous`): news and agenda entries, moderated; only `publiee` is public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from spro.events.vocabularies import (
    Moderation,
    Presence,
    Public,
    StatutInscription,
    TypeEvenementPro,
    TypeRendezVous,
)

# ----------------------------------------------------------------------------------------------- working groups


class GroupeTravail(models.Model):
    titre = models.CharField("intitulé", max_length=200)
    objet = models.TextField("objet du groupe", blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="MembreGroupe",
        related_name="groupes_travail",
        verbose_name="membres",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "groupe de travail"
        verbose_name_plural = "groupes de travail"
        ordering = ["titre", "id"]

    def __str__(self) -> str:
        return self.titre


class MembreGroupe(models.Model):
    groupe = models.ForeignKey(GroupeTravail, on_delete=models.CASCADE, related_name="adhesions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField("ajouté le", auto_now_add=True)

    class Meta:
        verbose_name = "membre d’un groupe de travail"
        verbose_name_plural = "membres des groupes de travail"
        constraints = [models.UniqueConstraint(fields=["groupe", "user"], name="events_membre_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.groupe}"


class Reunion(models.Model):
    groupe = models.ForeignKey(GroupeTravail, on_delete=models.CASCADE, related_name="reunions")
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin")
    lieu = models.CharField("lieu", max_length=300, help_text="Adresse, ou « visioconférence » avec le lien.")
    ordre_du_jour = models.TextField("ordre du jour", blank=True)

    class Meta:
        verbose_name = "réunion d’un groupe de travail"
        verbose_name_plural = "réunions des groupes de travail"
        ordering = ["debut", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(fin__gte=models.F("debut")), name="events_reunion_dates")
        ]

    def __str__(self) -> str:
        return f"{self.groupe} – {self.debut:%d/%m/%Y}"


class DocumentGroupe(models.Model):
    """A document shared in a group: its bytes are stored by `spro.core.uploads` (checked type and size, checksum),
    and served only after `permissions.can_view_group`."""

    groupe = models.ForeignKey(GroupeTravail, on_delete=models.CASCADE, related_name="documents")
    titre = models.CharField("titre", max_length=200)
    fichier = models.CharField("fichier (chemin de stockage)", max_length=300)
    nom_fichier = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField("type", max_length=100)
    taille = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="déposé par",
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "document d’un groupe de travail"
        verbose_name_plural = "documents des groupes de travail"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.titre


# ------------------------------------------------------------------------------------ professionalisation events


class EvenementPro(models.Model):
    """A professionalisation event initiated by the Region (mutual knowledge, common culture of the network)."""

    titre = models.CharField("intitulé", max_length=200)
    #: The kind of event (`TypeEvenementPro`): what `evenements-participation` breaks participation down by.
    type = models.CharField(
        "type d’événement", max_length=20, choices=TypeEvenementPro.choices, default=TypeEvenementPro.AUTRE
    )
    description = models.TextField("programme", blank=True)
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin")
    lieu = models.CharField("lieu", max_length=300)
    capacite = models.PositiveIntegerField(
        "nombre de places", help_text="Au-delà, les inscriptions vont en liste d’attente."
    )
    annule = models.BooleanField("annulé", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "événement de professionnalisation"
        verbose_name_plural = "événements de professionnalisation"
        ordering = ["debut", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(fin__gte=models.F("debut")), name="events_evenement_dates"),
            models.CheckConstraint(condition=Q(capacite__gte=1), name="events_evenement_capacite"),
            models.CheckConstraint(
                condition=Q(type__in=TypeEvenementPro.values), name="events_evenement_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.titre} ({self.debut:%d/%m/%Y})"


class Inscription(models.Model):
    """One professional's registration. A confirmed one holds a seat (1..capacity, unique per event); a waiting one
    has none and waits in order of `registered_at`; a cancelled one keeps its row (one row per person and event)."""

    evenement = models.ForeignKey(EvenementPro, on_delete=models.CASCADE, related_name="inscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inscriptions_evenements"
    )
    statut = models.CharField("statut", max_length=12, choices=StatutInscription.choices)
    place = models.PositiveIntegerField("place", null=True, blank=True)
    registered_at = models.DateTimeField("inscrit le")
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    presence = models.CharField("présence", max_length=8, choices=Presence.choices, default="", blank=True)
    #: The structure the person works for when registering (their first membership): what the indicators count the
    #: registration under, kept so a later change of membership does not move a past registration.
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="au titre de la structure",
    )

    class Meta:
        verbose_name = "inscription à un événement"
        verbose_name_plural = "inscriptions aux événements"
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evenement", "user"], name="events_inscription_unique"),
            models.UniqueConstraint(fields=["evenement", "place"], name="events_inscription_place_unique"),
            models.CheckConstraint(
                condition=Q(statut__in=StatutInscription.values), name="events_inscription_statut_valid"
            ),
            models.CheckConstraint(
                condition=(Q(statut="confirmee") & Q(place__isnull=False) & Q(place__gte=1))
                | (~Q(statut="confirmee") & Q(place__isnull=True)),
                name="events_inscription_place_iff_confirmee",
            ),
            models.CheckConstraint(
                condition=Q(presence__in=Presence.values), name="events_inscription_presence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.evenement} ({self.get_statut_display()})"


# ------------------------------------------------------------------------------------------ public communication


class PublicEntry(models.Model):
    """What news and agenda entries share: author, moderation, territory, public."""

    titre = models.CharField("titre", max_length=200)
    texte = models.TextField("texte")
    public = models.CharField("public", max_length=20, choices=Public.choices, default=Public.TOUS)
    commune = models.ForeignKey(
        "geo.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    departement = models.ForeignKey(
        "geo.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    region = models.ForeignKey(
        "geo.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="région"
    )
    statut = models.CharField("statut", max_length=10, choices=Moderation.choices, default=Moderation.SOUMISE)
    motif_refus = models.CharField("motif du refus", max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="auteur",
    )
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure qui propose",
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField("relue le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        # The territory is stated at one level; the levels above are derived, so that a filter by département or
        # région finds an entry given by its commune.
        if self.commune is not None:
            self.departement_id = self.commune.departement_id
            self.region_id = self.commune.region_id
        elif self.departement is not None:
            self.region_id = self.departement.region_id
        super().save(*args, **kwargs)

    @property
    def territoire(self) -> str:
        if self.commune_id:
            return str(self.commune)
        if self.departement_id:
            return str(self.departement)
        if self.region_id:
            return str(self.region)
        return "Toute la région"


class Actualite(PublicEntry):
    class Meta:
        verbose_name = "actualité"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statut__in=Moderation.values), name="events_actualite_statut_valid"
            ),
            models.CheckConstraint(
                condition=~Q(statut="publiee") | Q(published_at__isnull=False),
                name="events_actualite_published_at",
            ),
        ]

    def __str__(self) -> str:
        return self.titre


class RendezVous(PublicEntry):
    """An entry of the public agenda: a forum, a salon, an open day, an information meeting."""

    type = models.CharField("type", max_length=30, choices=TypeRendezVous.choices)
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin")
    lieu = models.CharField("lieu (adresse)", max_length=300)
    lien = models.URLField("lien pour en savoir plus", blank=True)

    class Meta:
        verbose_name = "rendez-vous de l’agenda"
        verbose_name_plural = "rendez-vous de l’agenda"
        ordering = ["debut", "id"]
        indexes = [models.Index(fields=["statut", "debut"])]
        constraints = [
            models.CheckConstraint(condition=Q(statut__in=Moderation.values), name="events_rdv_statut_valid"),
            models.CheckConstraint(condition=Q(type__in=TypeRendezVous.values), name="events_rdv_type_valid"),
            models.CheckConstraint(condition=Q(fin__gte=models.F("debut")), name="events_rdv_dates"),
            models.CheckConstraint(
                condition=~Q(statut="publiee") | Q(published_at__isnull=False), name="events_rdv_published_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.titre} ({self.debut:%d/%m/%Y})"
