"""Signals of the first-contact log, for higher apps (the monitoring rollups) that must follow its writes.

`first_contacts_recorded(sender, contacts=[FirstContact, …])` is sent inside the transaction that saved them: a
receiver that writes (the rollups) commits or rolls back with them. Whoever writes contacts in bulk sends it too.
"""

from django.dispatch import Signal

first_contacts_recorded = Signal()
