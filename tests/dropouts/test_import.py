"""`spro decrochage import`: the contract of docs/contracts.md « Dropout lists », rejections, idempotence, merges."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from spro.dropouts.models import ImportedLine, ImportRun, Listing, MergeRecord, YoungPerson
from tests.dropouts.conftest import born, left, line, run_import, write_list


def test_a_valid_list_creates_each_young_person_and_answers_the_contract_json(zone_world):
    path = write_list(
        zone_world["tmp"], line(ine="1234567890A"), line(nom="Martin", prenom="Noah", date_naissance=born(19))
    )
    assert run_import(path) == {"crees": 2, "fusionnes": 0, "inchanges": 0, "erreurs": []}
    assert YoungPerson.objects.count() == 2
    run = ImportRun.objects.get()
    assert (run.lines, run.created, run.campaign.code) == (2, 2, "2025-11")
    assert Listing.objects.filter(campaign__code="2025-11").count() == 2


def test_reimporting_the_same_file_changes_nothing(zone_world):
    path = write_list(zone_world["tmp"], line(ine="1234567890A"), line(nom="Martin", prenom="Noah"))
    run_import(path)
    before = list(YoungPerson.objects.order_by("pk").values_list("pk", "updated_at"))
    assert run_import(path) == {"crees": 0, "fusionnes": 0, "inchanges": 2, "erreurs": []}
    assert list(YoungPerson.objects.order_by("pk").values_list("pk", "updated_at")) == before
    assert MergeRecord.objects.count() == 0


def test_reimport_is_unchanged_even_when_a_later_line_of_the_file_merged_into_an_earlier_one(zone_world):
    path = write_list(
        zone_world["tmp"], line(), line(nom="LE-GALL", prenom="maelys", telephone="06 39 98 00 02")
    )
    assert run_import(path) == {"crees": 1, "fusionnes": 1, "inchanges": 0, "erreurs": []}
    assert run_import(path) == {"crees": 0, "fusionnes": 0, "inchanges": 2, "erreurs": []}


def test_headers_are_case_insensitive_in_any_order_and_a_bom_and_french_dates_are_accepted(zone_world):
    header = "STATUT;Date_Sortie;Commune;Date_Naissance;Prenom;NOM"
    path = write_list(
        zone_world["tmp"], "apprenti;01/09/2025;35238;15/01/2005;Inès;Durand", header=header, bom=True
    )
    assert run_import(path)["crees"] == 1
    person = YoungPerson.objects.get()
    assert (person.prenom, person.birth_date.isoformat(), person.school_status) == (
        "Inès",
        "2005-01-15",
        "apprenti",
    )


def test_the_mapping_option_renames_a_sources_headers(zone_world):
    header = "INE_ELEVE;NOM_ELEVE;PRENOM;DATE_NAISSANCE;COMMUNE;DATE_SORTIE;STATUT"
    path = write_list(
        zone_world["tmp"], f"1234567890A;Kerouac;Jean;{born(20)};29232;{left()};scolaire", header=header
    )
    result = run_import(path, "2025-11", "--correspondance", "INE_ELEVE=ine,nom_eleve=nom")
    assert result["crees"] == 1
    assert YoungPerson.objects.get().ine == "1234567890A"


# --- rejections: every error listed with its line and field, nothing written, non-zero exit --------------------


def _rejected(path, campaign="2025-11") -> list[dict]:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("decrochage", "import", str(path), "--campagne", campaign, "--json", stdout=out)
    assert raised.value.returncode == 1
    assert (
        YoungPerson.objects.count() == 0
        and ImportRun.objects.count() == 0
        and ImportedLine.objects.count() == 0
    )
    document = __import__("json").loads(out.getvalue())
    assert (document["crees"], document["fusionnes"], document["inchanges"]) == (0, 0, 0)
    return document["erreurs"]


@pytest.mark.parametrize(
    ("values", "champ", "fragment"),
    [
        ({"date_naissance": "31/02/2005"}, "date_naissance", "date invalide"),
        ({"date_sortie": "2025-13-01"}, "date_sortie", "date invalide"),
        ({"date_sortie": "2999-01-01"}, "date_sortie", "date dans le futur"),
        ({"date_naissance": "2999-01-01"}, "date_naissance", "date dans le futur"),
        ({"date_naissance": born(14), "date_sortie": left(10)}, "date_naissance", "moins de 15 ans"),
        ({"date_naissance": born(27)}, "date_naissance", "plus de 26 ans"),
        ({"ine": "12345"}, "ine", "INE invalide"),
        ({"commune": "2923"}, "commune", "code INSEE"),
        ({"statut": "etudiant"}, "statut", "inconnu"),
        ({"nom": ""}, "nom", "obligatoire"),
        ({"uai": "12"}, "uai", "UAI invalide"),
    ],
)
def test_a_bad_line_rejects_the_whole_file(zone_world, values, champ, fragment):
    path = write_list(zone_world["tmp"], line(nom="Valide", ine="1234567890A"), line(**values))
    errors = _rejected(path)
    assert len(errors) == 1
    assert (errors[0]["ligne"], errors[0]["champ"]) == (3, champ)
    assert fragment in errors[0]["message"]


def test_every_error_of_the_file_is_listed(zone_world):
    path = write_list(zone_world["tmp"], line(statut="x"), line(), line(commune="", ine="abc"))
    errors = _rejected(path)
    assert [(e["ligne"], e["champ"]) for e in errors] == [(2, "statut"), (4, "commune"), (4, "ine")]


def test_an_ine_given_twice_in_one_file_is_an_error(zone_world):
    path = write_list(zone_world["tmp"], line(ine="1234567890A"), line(ine="1234567890a", nom="Autre"))
    errors = _rejected(path)
    assert errors == [{"ligne": 3, "champ": "ine", "message": "INE déjà donné ligne 2"}]


def test_a_missing_column_is_named(zone_world):
    path = write_list(zone_world["tmp"], "Le Gall;Maëlys;29232", header="nom;prenom;commune")
    errors = _rejected(path)
    assert {(e["ligne"], e["champ"]) for e in errors} == {
        (1, "date_naissance"),
        (1, "date_sortie"),
        (1, "statut"),
    }
    assert errors[0]["message"] == "colonne obligatoire absente"


def test_a_file_not_in_utf8_is_rejected_with_a_clear_message(zone_world):
    path = zone_world["tmp"] / "latin1.csv"
    good = f"Martin;Noah;{born(20)};29232;{left()};scolaire"
    text = "\n".join(
        ["nom;prenom;date_naissance;commune;date_sortie;statut", good, good.replace("Noah", "Maëlys")]
    )
    path.write_bytes(text.encode("cp1252"))
    errors = _rejected(path)
    assert len(errors) == 1
    assert "UTF-8" in errors[0]["message"] and errors[0]["ligne"] == 3
    assert "0xeb" in errors[0]["message"]


def test_a_line_with_the_wrong_number_of_cells_is_an_error(zone_world):
    path = write_list(zone_world["tmp"], line(), "Le Gall,Maëlys,2006-01-01")
    errors = _rejected(path)
    assert errors[0]["ligne"] == 3 and "colonne(s)" in errors[0]["message"]


def test_a_bad_campaign_code_is_refused(zone_world):
    with pytest.raises(CommandError):
        run_import(write_list(zone_world["tmp"], line()), "2025-13")
    assert YoungPerson.objects.count() == 0


def test_the_text_output_lists_each_error_on_stderr(zone_world):
    from io import StringIO

    from django.core.management import call_command

    err = StringIO()
    with pytest.raises(CommandError, match="fichier rejeté : 1 erreur"):
        call_command(
            "decrochage",
            "import",
            str(write_list(zone_world["tmp"], line(statut="x"))),
            "--campagne",
            "2025-11",
            stderr=err,
        )
    assert "liste.csv, ligne 2, champ « statut »" in err.getvalue()


# --- merges ---------------------------------------------------------------------------------------------------


def test_a_known_young_person_is_merged_by_ine_first(zone_world):
    run_import(write_list(zone_world["tmp"], line(ine="1234567890A")))
    later = write_list(
        zone_world["tmp"],
        line(ine="1234567890A", nom="Le Gall-Morvan", telephone="06 39 98 11 11"),
        name="b.csv",
    )
    assert run_import(later, "2026-01") == {"crees": 0, "fusionnes": 1, "inchanges": 0, "erreurs": []}
    person = YoungPerson.objects.get()
    assert person.telephone == "06 39 98 11 11"
    assert set(person.campaigns.values_list("code", flat=True)) == {"2025-11", "2026-01"}
    merge = MergeRecord.objects.get()
    assert (merge.matched_by, merge.changed_fields, merge.campaign_added) == ("ine", ["telephone"], True)


def test_names_and_birth_date_match_despite_accents_hyphens_spaces_and_case(zone_world):
    run_import(write_list(zone_world["tmp"], line(nom="Le Gall", prenom="Maëlys")))
    later = write_list(
        zone_world["tmp"], line(nom="LE-GALL", prenom="MAELYS", commune="29039", courriel=""), name="b.csv"
    )
    assert run_import(later) == {"crees": 0, "fusionnes": 1, "inchanges": 0, "erreurs": []}
    person = YoungPerson.objects.get()
    assert person.commune == "29039"
    assert person.courriel == "maelys@example.org"  # an empty cell never erases what is known
    assert MergeRecord.objects.get().matched_by == "identite"


def test_same_names_with_another_birth_date_are_two_people(zone_world):
    path = write_list(zone_world["tmp"], line(), line(date_naissance=born(21)))
    assert run_import(path)["crees"] == 2


def test_same_names_and_birth_date_with_two_different_ine_are_two_people(zone_world):
    path = write_list(zone_world["tmp"], line(ine="1234567890A"), line(ine="1234567890B"))
    assert run_import(path)["crees"] == 2


def test_a_line_identical_in_content_to_what_is_known_in_the_same_campaign_is_unchanged(zone_world):
    run_import(write_list(zone_world["tmp"], line()))
    fewer = write_list(zone_world["tmp"], line(telephone="", courriel=""), name="b.csv")
    assert run_import(fewer) == {"crees": 0, "fusionnes": 0, "inchanges": 1, "erreurs": []}


def test_a_large_file_crosses_batches_and_merges_across_them(zone_world, monkeypatch):
    from spro.dropouts import importing

    monkeypatch.setattr(importing, "BATCH", 3)
    lines = [line(nom=f"Nom{n}", ine=f"{n:010d}A") for n in range(7)]
    lines.append(line(nom="NOM2", ine="", telephone="06 39 98 22 22"))  # merges into line 4, two batches back
    assert run_import(write_list(zone_world["tmp"], *lines)) == {
        "crees": 7,
        "fusionnes": 1,
        "inchanges": 0,
        "erreurs": [],
    }
    assert run_import(write_list(zone_world["tmp"], *lines))["inchanges"] == 8


def test_a_malformed_mapping_is_refused_before_reading(zone_world):
    with pytest.raises(CommandError, match="correspondance"):
        run_import(write_list(zone_world["tmp"], line()), "2025-11", "--correspondance", "INE_ELEVE=inconnue")
    assert YoungPerson.objects.count() == 0
