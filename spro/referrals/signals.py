"""Signals of the referral aggregate, for higher apps (the monitoring rollups) that must follow its writes.

`referral_changed(sender, referral, from_status, to_status, at)` is sent inside the transaction of the write: at the
creation (`from_status` "") and at each status change by `spro.referrals.workflow.apply` (`at`: the transition's
time, as logged). A receiver that writes (the rollups) commits or rolls back with it.
"""

from django.dispatch import Signal

referral_changed = Signal()
