"""Signals of the explorer, for higher apps (the monitoring rollups) that follow its anonymous count.

`questionnaire_counted(sender, day=date)` is sent inside the transaction that added one to the day's count
(`spro.explorer.models.count_completed`): a day and nothing else, as the count itself.
"""

from django.dispatch import Signal

questionnaire_counted = Signal()
