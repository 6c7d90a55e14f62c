"""The catalogue files: the packaged one is valid; a Region's folder adds, replaces and hides entries; every error
names the file, the line and the field, in French; `spro parcours check` exits 1 on an error."""

from __future__ import annotations

import textwrap

import pytest
from django.core.management import CommandError, call_command

from spro.pathways import catalogue


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def test_packaged_catalogue_is_valid_and_consistent():
    current = catalogue.build(catalogue.PACKAGED_DIRECTORY, None)
    assert {"formation", "emploi", "logement", "mobilite", "sante", "ressources", "handicap"} <= set(
        current.axes
    )
    assert all(o.axe in current.axes for o in current.objectifs.values())
    assert all(set(a.objectifs) <= set(current.objectifs) for a in current.actions.values())
    assert catalogue.check() == []


def test_a_region_adds_replaces_and_hides(tmp_path):
    region = write(
        tmp_path / "parcours",
        "bretagne.yaml",
        """\
        version: 1
        axes:
          - code: logement
            libelle: Se loger en Bretagne
          - code: numerique
            masque: true
        objectifs:
          - code: se-former-numerique
            masque: true
          - code: trouver-colocation
            axe: logement
            libelle: Trouver une colocation
        actions:
          - code: atelier-numerique
            masque: true
          - code: visiter-colocation
            objectifs: [trouver-colocation]
            libelle: Visiter une colocation
        """,
    )
    current = catalogue.build(catalogue.PACKAGED_DIRECTORY, region)
    assert current.axe_label("logement") == "Se loger en Bretagne"
    assert "numerique" not in current.axes and "se-former-numerique" not in current.objectifs
    assert [a.code for a in current.actions_of("trouver-colocation")] == ["visiter-colocation"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "version: 1\naxes:\n  - code: Logement\n    libelle: Logement\n",
            "bretagne.yaml, ligne 3, champ 'axes[0].code' : lettres minuscules, chiffres et tirets seulement",
        ),
        (
            "version: 1\nobjectifs:\n  - code: vivre\n    axe: nulle-part\n    libelle: Vivre\n",
            "ligne 4, champ 'objectifs[0].axe' : axe inconnu (nulle-part)",
        ),
        (
            "version: 1\nactions:\n  - code: agir\n    libelle: Agir vite\n    objectifs: [rien]\n",
            "ligne 5, champ 'actions[0].objectifs' : objectif inconnu (rien)",
        ),
        ("version: 1\naxes:\n  - code: sport\n", "ligne 3, champ 'axes[0]"),
        (
            "version: 1\naxes:\n  - code: sport\n    libelle: Sport\n    couleur: bleu\n",
            "ligne 5, champ 'axes[0].couleur'",
        ),
        ("version: 2\n", "ligne 1, champ 'version'"),
        ("axes: [\n", "bretagne.yaml, ligne"),
        (
            "version: 1\naxes:\n  - code: sport\n    libelle: Sport\n  - code: sport\n    libelle: Sport encore\n",
            "ligne 5, champ 'axes[1].code' : code en double (sport)",
        ),
    ],
)
def test_errors_name_the_file_line_and_field(tmp_path, text, expected):
    region = tmp_path / "parcours"
    region.mkdir()
    (region / "bretagne.yaml").write_text(text, encoding="utf-8")
    problems = catalogue.check(region=region)
    assert problems, text
    assert any(expected in line for line in problems), problems
    assert all(line.startswith("parcours/bretagne.yaml") for line in problems), problems


def test_command(tmp_path, capsys):
    call_command("parcours", "check")
    assert "Catalogue valide" in capsys.readouterr().out
    bad = write(tmp_path / "parcours", "x.yaml", "version: 1\naxes:\n  - code: sport\n")
    with pytest.raises(CommandError):
        call_command("parcours", "check", str(bad))
    assert "parcours/x.yaml, ligne 3" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("parcours", "check", str(tmp_path / "absent"))


def test_the_site_reads_the_region_folder(settings, tmp_path):
    write(
        tmp_path / "parcours", "a.yaml", "version: 1\naxes:\n  - code: sport\n    libelle: Faire du sport\n"
    )
    settings.SPRO_ANSWER_RULES_DIR = str(tmp_path)
    assert catalogue.load().axe_label("sport") == "Faire du sport"
