"""The codes each public fiche keeps for professionals, in its « Pour les professionnels » fold-out.

A young reader sees words, never a register's code (docs/design.md, « Codes belong to professionals »); advisers
and training bodies still need every code, so each page passes them, as (label, value) pairs, to the one shared
include `core/_pro_codes.html`, which skips empty values. The detail dicts (and so the public API) are unchanged:
these functions only choose what a page shows where.
"""

from __future__ import annotations

from typing import Any

Pairs = list[tuple[str, Any]]

#: Fields of a formation's « L’essentiel » (`details.formation_detail`, « champs ») that are codes.
FORMATION_CODE_LABELS = frozenset(
    {"Code UAI", "Code RNCP", "Codes RNCP", "Identifiant ONISEP", "Identifiant LHÉO"}
)


def _riasec(value: dict[str, str] | None) -> str:
    return f"{value['libelle']} ({value['code']})" if value else ""


def metier_codes(m: dict[str, Any]) -> Pairs:
    """The fiche métier's codes: ROME, its domains, the parent code its certifications come from, RIASEC."""
    parent = m.get("certifications_parent")
    domaine = m["domaine"]
    return [
        ("Code ROME", m["code_rome"]),
        ("Domaine professionnel (ROME)", f"{domaine['code']} {domaine['libelle']}"),
        (
            "Grand domaine (ROME)",
            f"{domaine['grand_domaine']['code']} {domaine['grand_domaine']['libelle']}",
        ),
        (
            "Certifications reprises du code ROME",
            f"{parent['code_rome']} {parent['libelle']}" if parent else "",
        ),
        ("Profil RIASEC, intérêt majeur", _riasec(m["riasec"]["majeur"])),
        ("Profil RIASEC, intérêt mineur", _riasec(m["riasec"]["mineur"])),
    ]


def split_formation_fields(f: dict[str, Any]) -> tuple[list[dict[str, str]], Pairs]:
    """A formation's fields as (what « L’essentiel » shows, the codes for the fold-out), order kept."""
    shown = [field for field in f["champs"] if field["libelle"] not in FORMATION_CODE_LABELS]
    codes = [
        (field["libelle"], field["valeur"])
        for field in f["champs"]
        if field["libelle"] in FORMATION_CODE_LABELS
    ]
    return shown, codes


def certification_codes(c: dict[str, Any]) -> Pairs:
    """A certification's codes: Certif Info, RNCP and RS, NSF, Formacode, the Éducation nationale's, old ROME."""
    nsf, formacode, bcn = c.get("nsf"), c.get("formacode"), c.get("diplome_bcn")
    return [
        ("Code Certif Info", c["code"]),
        (
            "Fiche RNCP (Répertoire national des certifications professionnelles)",
            f"RNCP{c['code_rncp']}" if c["code_rncp"] else "",
        ),
        ("Répertoire spécifique (RS)", c["codes_rs"]),
        ("Code formation diplôme (CFD)", c["code_cfd"]),
        ("Diplôme de l’Éducation nationale (BCN)", f"{bcn['code']} {bcn['libelle']}" if bcn else ""),
        ("Spécialité (NSF)", f"{nsf['code']} {nsf['libelle']}" if nsf else ""),
        ("Formacode", f"{formacode['code']} {formacode['libelle']}" if formacode else ""),
        ("Codes ROME hors du répertoire actuel", c["codes_rome_hors_rome4"]),
    ]
