"""Signals of the dropout chain, for higher apps (the monitoring rollups) that follow its writes. Each is sent
inside the transaction of the write it announces, from the domain services only (never from views); a receiver
that writes commits or rolls back with it. They carry ids, never a name.

- `work_changing(sender, person_ids=[…])` before a write that changes what these young people count as (a contact
  attempt, a situation, a solution, its end, a follow-up, a new assignment), and `work_changed(sender,
  person_ids=[…])` after it: a receiver retracts their old figures on the first and adds the new ones on the second.
- `lists_changed(sender, campaign_ids=[…] or None)` after a write that changes many young people at once (an import,
  zones loaded, a merge undone, the demo data, a campaign closed): their figures are recomputed for these campaigns
  (None: every campaign).
"""

from django.dispatch import Signal

work_changing = Signal()
work_changed = Signal()
lists_changed = Signal()
