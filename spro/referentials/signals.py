"""What the referentials tell the apps built on them, without importing them (docs/architecture.md).

`referentials_imported` is sent by `spro import all` once every dataset is written (never for a dry run). The
search app connects to it to rebuild its index, so that the index never lags behind the referentials. Arguments:
`changed` (a dataset wrote something) and `only_if_missing` (`--if-empty` found nothing to import: only build what
was never built). A receiver returns a line for the command to print, or None.
"""

from __future__ import annotations

from django.dispatch import Signal

referentials_imported = Signal()
