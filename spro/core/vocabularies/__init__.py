"""The platform-wide vocabularies, one module each: every code has its value, its label and its description.

- `besoins`: what a person needs (docs/contracts.md `besoins`), shared by the first-contact log, the referral and
  the answer.
- `document_types`: the kinds of document the search indexes (métier, formation, structure…).
- `canaux`: how a person and a structure are in touch, shared by the first-contact log and the referral.
- `territoires`: the levels of territory (commune, EPCI, département, bassin d’emploi, région), shared by the State
  services' figures and the register of good practices.
- `statuts`: the person's situation (docs/contracts.md `statut`), shared by the first-contact log and the answer.

A vocabulary used by one app only lives in that app (`spro/directory/vocabularies.py`). Import from the module
(`from spro.core.vocabularies.besoins import Besoin`); this package re-exports nothing.
"""
