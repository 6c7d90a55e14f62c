"""The code formats of the project, each defined once: what a well-formed code looks like, and where it comes from.

Each format is a compiled pattern anchored at both ends (`\\A…\\Z`), so `match` and `fullmatch` agree and a trailing
newline is refused. A pattern checks the shape only: `INSEE_COMMUNE.match("20004")` is true although no commune has
that code (Corsican communes are 2A… or 2B… since 1976); whether a code exists is the referential's business.

Importers, forms, API schemas and commands reuse these instead of writing their own. A pattern that reads one
file's layout (a diploma code with its separator, a postal code inside a sentence) stays with that file's reader.
Digits are `\\d`, as the importers always read them (Python's `re` also accepts non-ASCII decimal digits).
"""

from __future__ import annotations

import re

# Geography (INSEE's Code officiel géographique, COG; La Poste)

#: INSEE commune code (COG): 5 digits, or 2A/2B and 3 digits for Corsica ("75056", "2A004"). Not a postal code.
INSEE_COMMUNE = re.compile(r"\A(?:\d{5}|2[AB]\d{3})\Z")

#: French postal code (La Poste): 5 digits ("75001", "97133"); a CEDEX code has the same form.
POSTAL_CODE = re.compile(r"\A\d{5}\Z")

#: Département code as the COG writes it: 2 digits, 2A/2B, or 3 digits overseas ("01", "2A", "971", "975").
DEPARTEMENT = re.compile(r"\A(?:\d{2,3}|2[AB])\Z")

#: Département code padded to 3 characters, as INSEE's localised-unemployment file and the académie file write it
#: ("001", "02A", also "2A", "971"): read with `DEPARTEMENT_PADDED`, store with `unpad_departement`.
DEPARTEMENT_PADDED = re.compile(r"\A(?:\d{3}|0?2[AB])\Z")

#: Région code as the COG (geo.api.gouv.fr) writes it: 2 digits, or 3 for a collectivité d'outre-mer listed among
#: the régions ("11", "84", "975").
REGION = re.compile(r"\A\d{2,3}\Z")

#: Région code of INSEE's statistics (metropolitan régions and DROM only): 2 digits ("11", "04").
REGION_INSEE = re.compile(r"\A\d{2}\Z")

#: Académie code (Éducation nationale, BCN file of académies): 2 digits ("01", "43").
ACADEMIE = re.compile(r"\A\d{2}\Z")

#: SIREN (INSEE's register of legal units), here the code of an EPCI: 9 digits ("200054781").
SIREN = re.compile(r"\A\d{9}\Z")

#: Country code, ISO 3166-1 alpha-2 ("FR", "BE").
COUNTRY = re.compile(r"\A[A-Z]{2}\Z")

# Jobs (France Travail's ROME; the ILO's ISCO)

#: ROME code of a job sheet (fiche métier, ROME v3 and 4.0): the grand domaine letter A–N and 4 digits ("M1805").
ROME = re.compile(r"\A[A-N]\d{4}\Z")

#: ROME grand domaine: one capital letter ("M").
ROME_GRAND_DOMAINE = re.compile(r"\A[A-Z]\Z")

#: ROME domaine professionnel: the grand domaine letter and 2 digits ("M18").
ROME_DOMAINE = re.compile(r"\A[A-Z]\d{2}\Z")

#: OGR code (France Travail's numbering of appellations, skills and contexts in the ROME): 1 to 9 digits ("38972").
OGR = re.compile(r"\A\d{1,9}\Z")

#: ISCO-08 occupation group (ILO), any level from the major group to the unit group: 1 to 4 digits ("2", "2512").
ISCO = re.compile(r"\A\d{1,4}\Z")

# Schools and diplomas (Éducation nationale: BCN, RAMSESE)

#: CFD, code formation diplôme of the BCN: 8 digits or capitals ("40025214", "50022106").
CFD = re.compile(r"\A[0-9A-Z]{8}\Z")

#: BCN level code (NIVEAU_FORMATION_DIPLOME): 3 digits or capitals ("500", "320").
BCN_LEVEL = re.compile(r"\A[0-9A-Z]{3}\Z")

#: UAI of a school (RAMSESE): 7 digits and a capital check letter ("0750655E"); `uai_is_valid` in
#: spro.referentials.formations.places also checks the letter.
UAI = re.compile(r"\A\d{7}[A-Z]\Z")

#: An identifier in a UAI column that is not always a true UAI (the apprenticeship offer file): 8 digits or capitals.
UAI_LOOSE = re.compile(r"\A[0-9A-Z]{8}\Z")

#: INE, identifiant national élève (Éducation nationale, the SIEI lists): 11 digits or capitals ("1234567890A",
#: "070803003JF"); its check character differs by generation (BEA, BE, apprentices), so only the shape is checked.
INE = re.compile(r"\A[0-9A-Z]{11}\Z")


def unpad_departement(code: str) -> str:
    """A `DEPARTEMENT_PADDED` code in the COG's form: '001' → '01', '02A' → '2A'; '971' and '2A' stay."""
    return code[1:] if len(code) == 3 and code.startswith("0") else code
