"""Signals of the first personalised answer, sent inside the transaction that stores its anonymous statistic row, so
that the indicators (spro.monitoring, issue 19) keep their rollups in step: `stat` is the `AnswerStat` (categories
only, no text, no identity)."""

from django.dispatch import Signal

answer_recorded = Signal()  # sender=AnswerStat, stat=…
