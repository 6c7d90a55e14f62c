"""Signals of the professionalisation events, for higher apps (the monitoring rollups) that follow registrations.

`registrations_changing(sender, event_id=…)` is sent before a write that changes an event's registrations (a
registration, a cancellation and the promotion it brings, attendance, a change of date, type or capacity) and
`registrations_changed(sender, event_id=…)` after it, both inside its transaction (`spro.events.registrations`
only): a receiver retracts the event's figures on the first and adds them again on the second.
"""

from django.dispatch import Signal

registrations_changing = Signal()
registrations_changed = Signal()
