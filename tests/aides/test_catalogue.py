"""The scheme files: strict validation with the file, the line and the field of each error (errors vs warnings),
the built-in national catalogue, and the Region's folder that adds and overrides schemes."""

from __future__ import annotations

import datetime as dt

import pytest

from spro.aides import catalogue
from spro.aides.catalogue import DispositifError, parse_file
from tests.aides.support import VALID, write

#: The built-in national codes of docs/contracts.md (« Schemes and aids »).
CONTRACT_CODES = {
    "cpf",
    "ptp",
    "bilan-competences",
    "vae",
    "cep",
    "cej",
    "e2c",
    "epide",
    "service-civique",
    "obligation-formation",
    "droit-retour-formation",
    "aide-permis-apprentis",
    "mobili-jeune",
    "agefiph",
    "erasmus-plus",
    "corps-europeen-solidarite",
}
#: Written from the mobility and housing aids of data/aides/mobiville/ (France Travail, 2022).
MOBIVILLE_CODES = {
    "visale",
    "avance-loca-pass",
    "mobili-pass",
    "bail-mobilite",
    "aide-mobilite-france-travail",
    "dossierfacile",
}


def errors_of(path):
    with pytest.raises(DispositifError) as raised:
        parse_file(path)
    return str(raised.value).splitlines()


def test_the_national_catalogue_is_valid_and_holds_every_contract_code():
    report = catalogue.check(region=None)
    assert report.errors == []
    built = catalogue.build(catalogue.NATIONAL_DIRECTORY, None)
    ids = {d.id for d in built.dispositifs}
    assert ids >= CONTRACT_CODES | MOBIVILLE_CODES
    assert report.checked == len(ids)


def test_every_national_scheme_cites_its_source_and_a_check_date():
    for d in catalogue.build(catalogue.NATIONAL_DIRECTORY, None).dispositifs:
        assert d.source_url.startswith("https://"), d.id
        assert "d’après" in d.source, d.id
        assert d.verifie_le <= dt.date.today()


def test_the_schemes_from_the_2022_mobility_file_warn_until_checked_again():
    warnings = "\n".join(catalogue.check(region=None).warnings)
    for code in MOBIVILLE_CODES:
        assert (
            f"{code}.yaml, ligne" in warnings and "vérifiée il y a plus de 12 mois (2022-11-08)" in warnings
        )


def test_a_valid_file_parses(tmp_path):
    d = parse_file(write(tmp_path))
    assert d.id == "bretagne-transport" and d.pour_qui.territoire.regions == ["53"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    max: 25",
            "    max: 250",
            "ligne 7, champ 'pour_qui.age.max' : doit être inférieur ou égal à 120",
        ),
        (
            "    max: 25",
            "    max: 12",
            "ligne 5, champ 'pour_qui.age' : âge minimum (16) supérieur à l'âge maximum (12)",
        ),
        ("[demandeur-emploi]", "[chomeur]", "ligne 8, champ 'pour_qui.statuts' : statut inconnu : chomeur"),
        (
            'regions: ["53"]',
            'regions: ["5"]',
            "ligne 10, champ 'pour_qui.territoire.regions' : code région mal formé : 5",
        ),
        (
            "structures: [ML]",
            "structures: [MLX]",
            "ligne 13, champ 'structures' : type de structure inconnu : MLX",
        ),
        (
            "https://www.example.org/aide",
            "www.example.org/aide",
            "ligne 14, champ 'source_url' : adresse web attendue",
        ),
        (
            "verifie_le: 2026-11-01",
            "verifie_le: 1er novembre",
            "ligne 16, champ 'verifie_le' : date attendue (AAAA-MM-JJ)",
        ),
        (
            "verifie_le: 2026-11-01",
            "verifie_le: 2999-01-01",
            "ligne 16, champ 'verifie_le' : date dans le futur",
        ),
        ("structures: [ML]", "structures: [ML]\ncouleur: bleu", "ligne 14, champ 'couleur' : champ inconnu"),
        (
            "ce_que_ca_apporte: Jusqu’à 200 € par an.\n",
            "",
            "champ 'ce_que_ca_apporte' : champ obligatoire manquant",
        ),
        (
            "id: bretagne-transport",
            "id: Bretagne_Transport",
            "ligne 1, champ 'id' : lettres minuscules, chiffres et tirets",
        ),
        (
            "  statuts: [demandeur-emploi]",
            "  statuts: [demandeur-emploi]\n  niveaux: [bac]",
            "ligne 9, champ 'pour_qui.niveaux' : niveau inconnu : bac",
        ),
    ],
)
def test_each_error_names_its_line_and_field(tmp_path, old, new, expected):
    text = VALID.format(id="bretagne-transport")
    assert old in text
    errors = errors_of(write(tmp_path, text=text.replace(old, new)))
    assert any(line.startswith("bretagne-transport.yaml") and expected in line for line in errors), errors


def test_every_error_of_a_file_is_listed_not_only_the_first(tmp_path):
    text = VALID.format(id="bretagne-transport").replace("max: 25", "max: 250").replace("[ML]", "[MLX]")
    errors = errors_of(write(tmp_path, text=text))
    assert len(errors) == 2 and "ligne 7" in errors[0] and "ligne 13" in errors[1]


def test_invalid_yaml_gives_its_line(tmp_path):
    text = VALID.format(id="bretagne-transport").replace(
        "  statuts: [demandeur-emploi]", "  statuts: [demandeur"
    )
    errors = errors_of(write(tmp_path, text=text))
    assert errors[0].startswith("bretagne-transport.yaml, ligne") and "YAML invalide" in errors[0]


def test_the_id_must_be_the_file_name(tmp_path):
    errors = errors_of(write(tmp_path, name="autre-nom"))
    assert errors == [
        "autre-nom.yaml, ligne 1, champ 'id' : « bretagne-transport » ne correspond pas au nom du fichier "
        "(attendu : autre-nom)"
    ]


def test_a_case_without_condition_is_refused(tmp_path):
    text = VALID.format(id="bretagne-transport").replace(
        "  statuts: [demandeur-emploi]\n", "  cas:\n    - libelle: Tout le monde\n"
    )
    errors = errors_of(write(tmp_path, text=text))
    assert any("ligne 9, champ 'pour_qui.cas[0]' : un cas sans condition" in e for e in errors), errors


def test_a_check_older_than_twelve_months_is_a_warning_not_an_error(tmp_path):
    path = write(tmp_path, text=VALID.format(id="bretagne-transport").replace("2026-11-01", "2025-01-15"))
    d = parse_file(path)  # no error: the scheme stays in service
    warnings = catalogue.warnings_of(d, path.name, path, today=dt.date(2026, 12, 7))
    assert warnings == [
        "bretagne-transport.yaml, ligne 16, champ 'verifie_le' : avertissement, vérifiée il y a plus de 12 mois "
        "(2025-01-15) : relisez la source officielle et mettez la date à jour"
    ]
    recent = catalogue.warnings_of(d, path.name, path, today=dt.date(2025, 6, 1))
    assert recent == []


def test_a_region_file_adds_a_scheme_and_overrides_a_national_one(tmp_path):
    region = tmp_path / "dispositifs"
    write(region)
    cej = (catalogue.NATIONAL_DIRECTORY / "cej.yaml").read_text(encoding="utf-8")
    write(
        region,
        "cej",
        cej.replace("Contrat d’engagement jeune (CEJ)", "Contrat d’engagement jeune en Bretagne"),
    )
    built = catalogue.build(catalogue.NATIONAL_DIRECTORY, region)
    assert built.get("cej").titre == "Contrat d’engagement jeune en Bretagne"
    assert built.get("bretagne-transport") is not None
    assert built.origines["cej"] == "region" and built.origines["cpf"] == "national"
    assert built.remplaces == ("cej",)
    assert [d.id for d in built.dispositifs].count("cej") == 1
    assert catalogue.check(region=region).overrides == ["cej"]


def test_the_region_folder_is_the_dispositifs_folder_of_the_rules_folder(settings, tmp_path):
    settings.SPRO_ANSWER_RULES_DIR = str(tmp_path)
    assert catalogue.region_directory() == tmp_path / "dispositifs"
    settings.SPRO_ANSWER_RULES_DIR = ""
    assert catalogue.region_directory() is None


def test_an_invalid_region_file_names_its_folder_and_refuses_the_catalogue(tmp_path):
    region = tmp_path / "dispositifs"
    write(region, text=VALID.format(id="bretagne-transport").replace("[ML]", "[MLX]"))
    with pytest.raises(DispositifError) as raised:
        catalogue.build(catalogue.NATIONAL_DIRECTORY, region)
    assert str(raised.value).startswith("dispositifs/bretagne-transport.yaml, ligne 13, champ 'structures'")


def test_load_reads_again_after_an_edit_and_keeps_the_last_valid_catalogue(tmp_path, caplog):
    national = tmp_path / "national"
    path = write(national)
    first = catalogue.load(national, use_settings=False)
    assert first.get("bretagne-transport").titre == "Aide régionale au transport"
    import os

    path.write_text(
        VALID.format(id="bretagne-transport").replace("Aide régionale", "Aide de la Région"), "utf-8"
    )
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert (
        catalogue.load(national, use_settings=False).get("bretagne-transport").titre.startswith("Aide de la")
    )
    path.write_text("id: [", "utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 2 * 10**9))
    kept = catalogue.load(national, use_settings=False)
    assert kept.get("bretagne-transport").titre.startswith("Aide de la")
    assert "catalogue des aides non rechargé" in caplog.text


def test_a_missing_or_empty_national_catalogue_is_an_error(tmp_path):
    with pytest.raises(DispositifError, match="catalogue national introuvable ou vide"):
        catalogue.build(tmp_path / "absent", None)
