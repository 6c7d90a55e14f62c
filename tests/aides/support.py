"""Helpers of the aids tests: a valid scheme file written in a temporary folder, then broken on purpose."""

from __future__ import annotations

from pathlib import Path

VALID = """\
id: {id}
titre: Aide régionale au transport
resume: Une aide de la Région pour payer les trajets vers la formation.
pour_qui:
  age:
    min: 16
    max: 25
  statuts: [demandeur-emploi]
  territoire:
    regions: ["53"]
ce_que_ca_apporte: Jusqu’à 200 € par an.
comment_en_beneficier: Demandez-la à la Mission locale.
structures: [ML]
source_url: https://www.example.org/aide
source: Rédigé d’après la page officielle à cette adresse.
verifie_le: 2026-11-01
"""


def write(
    folder: Path, id_: str = "bretagne-transport", text: str | None = None, name: str | None = None
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or id_}.yaml"
    path.write_text(text if text is not None else VALID.format(id=id_), encoding="utf-8")
    return path
