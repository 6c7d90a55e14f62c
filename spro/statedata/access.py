"""Who imports and who reads the State figures (docs/donnees-etat.md « Accès »): built on
`spro.accounts.permissions`, never on roles tested elsewhere.

Import: the State pilots and the Region pilots (any scope). Reading: the pilots, and the CREFOP members, who
steer the SPRO with them. The figures are activity counts of public services, not rows about persons.
"""

from __future__ import annotations

from spro.accounts.models import TerritorialRole
from spro.accounts.permissions import scopes_with_role

IMPORT_ROLES = (TerritorialRole.PILOTE_ETAT, TerritorialRole.PILOTE_REGION)
READ_ROLES = (*IMPORT_ROLES, TerritorialRole.MEMBRE_CREFOP)


def can_import(user) -> bool:
    return scopes_with_role(user, *IMPORT_ROLES).exists()


def can_read(user) -> bool:
    return scopes_with_role(user, *READ_ROLES).exists()
