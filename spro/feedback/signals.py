"""Signals of the users' view, sent inside the transaction that stores an answer, so that the indicators
(spro.monitoring, issue 19) can keep their rollups in step the way they do for referrals: `answer` is the stored
`SatisfactionAnswer` (its reasons written) or `OutcomeAnswer`, rows with no link to anyone."""

from django.dispatch import Signal

satisfaction_recorded = Signal()  # sender=SatisfactionAnswer, answer=…, reasons=[codes]
outcome_recorded = Signal()  # sender=OutcomeAnswer, answer=…
