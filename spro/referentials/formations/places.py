"""Text normalisation, UAI checks and commune resolution shared by the formation importers.

Establishment files give a postal code and a city name, often in upper case, abbreviated (« ST », « STE ») and
with a CEDEX suffix; the COG gives the commune's name and its postal codes. A commune is linked only when the
match is unambiguous, so a wrong link is never invented.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

from spro.core import codes

UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # 23 letters: I, O and Q are not used

_CEDEX = re.compile(r"\bCEDE?X?\b.*$")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_ABBREVIATIONS = {"ST": "SAINT", "STE": "SAINTE", "LEZ": "LES"}


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalise_label(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a label (used in derived ids: never change it)."""
    return " ".join(strip_accents(text).casefold().split())


@lru_cache(maxsize=100_000)  # the 35 000 commune names are normalised by each dataset that links communes
def normalise_city(text: str) -> str:
    """« ST ETIENNE DU ROUVRAY CEDEX » and « Saint-Étienne-du-Rouvray » give « SAINT ETIENNE DU ROUVRAY »."""
    value = strip_accents(text).upper().replace("Œ", "OE")
    value = _CEDEX.sub("", value)
    words = _NON_ALNUM.sub(" ", value).split()
    while words and words[-1].isdigit():  # « LYON 07 », « BELLEY 06 »
        words.pop()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def uai_is_valid(uai: str) -> bool:
    """7 digits and the check letter: the letter is the 7-digit number modulo 23 in UAI_LETTERS."""
    return bool(codes.UAI.match(uai)) and UAI_LETTERS[int(uai[:7]) % 23] == uai[7]


def departement_of_postal_code(postal_code: str) -> str | None:
    """Département code implied by a French postal code (CEDEX codes included); None when not French."""
    if not codes.POSTAL_CODE.match(postal_code) or postal_code == "00000":
        return None
    if postal_code.startswith("20"):
        return "2A" if postal_code < "20200" else "2B"
    if postal_code.startswith(("97", "98")):
        # Saint-Barthélemy and Saint-Martin use Guadeloupe codes; 977xx and 978xx are La Réunion's CEDEX.
        special = {"97133": "977", "97150": "978"}
        prefix = postal_code[:3]
        return special.get(postal_code, "974" if prefix in ("977", "978") else prefix)
    return postal_code[:2]


def departement_of_uai(uai: str) -> str | None:
    """Département in which a UAI was registered (metropolitan France and the five DROM only).

    The first three digits are the département ("001" … "095", "620" = 2A, "720" = 2B, "971" … "976");
    overseas collectivities use académie codes ("983", "984"…) that are not INSEE codes, so they give None.
    """
    prefix = uai[:3]
    if prefix == "620":
        return "2A"
    if prefix == "720":
        return "2B"
    if prefix.startswith("0") and "01" <= prefix[1:] <= "95":
        return prefix[1:]
    if "971" <= prefix <= "976":
        return prefix
    return None


class CommuneResolver:
    """In-memory index of the active communes: resolve (postal code, city) without one query per row."""

    def __init__(self) -> None:
        from spro.referentials.geo.models import Commune

        self.by_postal_code: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.by_departement_name: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.departement_of: dict[str, str] = {}
        self.arrondissements: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        rows = Commune.objects.filter(is_active=True).values_list(
            "code_insee", "nom", "type", "commune_parente_id", "departement_id", "codes_postaux"
        )
        for code, nom, kind, parent, departement, postal_codes in rows:
            self.departement_of[code] = departement
            if kind != Commune.Type.COMMUNE:
                self.arrondissements[parent].append((code, postal_codes or []))
                continue
            name = normalise_city(nom)
            for postal_code in postal_codes or []:
                self.by_postal_code[postal_code].append((code, name))
            self.by_departement_name[(departement, name)].append(code)

    def resolve(self, postal_code: str, city: str) -> str | None:
        """INSEE code of the commune, or None when absent or ambiguous.

        1. a commune with this postal code and this name; 2. otherwise (CEDEX codes are not in the COG's
        postal codes) the only commune of that name in the postal code's département; 3. otherwise the only
        commune of this postal code whose name begins or ends with the given name (merged communes). In Paris,
        Lyon and Marseille the arrondissement is preferred when the postal code designates exactly one.
        """
        name = normalise_city(city)
        if not name:
            return None
        by_postal_code = self.by_postal_code.get(postal_code, ())
        found = {code for code, candidate in by_postal_code if candidate == name}
        if len(found) != 1:
            departement = departement_of_postal_code(postal_code)
            found = set(self.by_departement_name.get((departement, name), ())) if departement else set()
        if len(found) != 1:
            # Communes merged since the source was written: « ANCENIS » is now « Ancenis-Saint-Géréon »,
            # « COURCOURONNES » « Évry-Courcouronnes ». Only among the communes of that very postal code.
            found = {
                code
                for code, candidate in by_postal_code
                if candidate.startswith(f"{name} ") or candidate.endswith(f" {name}")
            }
        if len(found) != 1:
            return None
        code = found.pop()
        districts = [c for c, codes in self.arrondissements.get(code, ()) if postal_code in codes]
        return districts[0] if len(districts) == 1 else code
