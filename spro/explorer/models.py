"""Anonymous count of the questionnaires completed per day: a date and a number, nothing else (no answer, no
profile, no address, no time of day), so that nothing about a person is kept (PRODUCT.md: anonymity)."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from spro.explorer.signals import questionnaire_counted


class DailyCount(models.Model):
    date = models.DateField("date", unique=True)
    questionnaires = models.PositiveIntegerField("questionnaires remplis", default=0)

    class Meta:
        verbose_name = "questionnaires d’intérêts remplis (compte anonyme par jour)"
        verbose_name_plural = verbose_name
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date} : {self.questionnaires}"


def count_completed() -> None:
    """Add one to today's count (one UPDATE; the day's row is created by the first one), and announce it in the
    same transaction (`signals.questionnaire_counted`: the monitoring rollups follow it)."""
    today = timezone.localdate()
    with transaction.atomic():
        if not DailyCount.objects.filter(date=today).update(questionnaires=F("questionnaires") + 1):
            try:
                with transaction.atomic():
                    DailyCount.objects.create(date=today, questionnaires=1)
            except IntegrityError:  # created meanwhile by another request
                DailyCount.objects.filter(date=today).update(questionnaires=F("questionnaires") + 1)
        questionnaire_counted.send(sender=DailyCount, day=today)
