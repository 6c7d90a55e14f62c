"""Import and export of data·inclusion documents: schema validity, idempotence, atomic rejection, deduplication."""

from __future__ import annotations

import csv
import io
import json

import jsonschema_rs
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from spro.directory.datainclusion import export_document
from spro.directory.models import Service, Structure, ZoneCompetence

from .conftest import import_file, service, structure

pytestmark = pytest.mark.django_db


def official_validator(kind: str):
    path = settings.DATA_DIR / "directory" / "schema" / "v1" / f"{kind}.json"
    return jsonschema_rs.validator_for(json.loads(path.read_text(encoding="utf-8")), validate_formats=True)


def assert_valid(document: dict) -> None:
    for kind in ("structure", "service"):
        validator = official_validator(kind)
        for record in document[f"{kind}s"]:
            errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(record)]
            assert not errors, (record["id"], errors)


def full_document():
    return (
        [
            structure(
                "a", siret="13003013300016", site_web="https://example.org", courriel="cio@example.org"
            ),
            structure(
                "b",
                code_insee="29019",
                typologie="ML",
                publics=["jeunes"],
                age_min=16,
                age_max=25,
                accessibilite_pmr=True,
                accessibilite_lieu="https://acceslibre.beta.gouv.fr/app/x/",
                fermetures_temporaires=[{"debut": "2026-12-24", "fin": "2026-12-31", "motif": "Congés"}],
                zone_competence=["29019", "242900314"],
                reseaux_porteurs=["mission-locale"],
            ),
            structure(
                "c", code_insee=None, commune=None, latitude=None, longitude=None, zone_competence=None
            ),
        ],
        [service("a"), service("a", 2, type="information", publics=["tous-publics"]), service("b")],
    )


def test_every_exported_record_validates_against_the_official_schema(geo, write_document):
    report = import_file(write_document(*full_document()))
    assert report.status == "success", report.error

    document = export_document()

    assert len(document["structures"]) == 3 and len(document["services"]) == 3
    assert_valid(document)
    b = next(s for s in document["structures"] if s["id"] == "test--b")
    assert b["typologie"] == "ML" and b["age_min"] == 16 and b["age_max"] == 25
    assert b["langues"] == ["fr", "fsl"] and b["canaux"] == ["sur-place", "telephone"]
    assert b["fermetures_temporaires"] == [{"debut": "2026-12-24", "fin": "2026-12-31", "motif": "Congés"}]
    assert b["zone_competence"] == ["242900314", "29019"]
    assert b["demo"] is False and b["verification_perimee"] in (True, False)
    assert b["commune"] == "Brest" and b["code_postal"] == "29000"  # filled in from the geography


def test_import_of_the_export_is_a_no_op(geo, write_document, tmp_path):
    import_file(write_document(*full_document()))
    exported = tmp_path / "export.json"
    call_command("export", "structures", "--format", "data-inclusion", "--output", str(exported))

    again = import_file(exported)

    assert again.status == "success", again.error
    assert again.totals.changes == 0
    assert again.totals.unchanged == 3 + 3 + 3  # structures, services, zone rows
    second = tmp_path / "export-2.json"
    call_command("export", "structures", "--output", str(second))
    assert second.read_bytes() == exported.read_bytes()


def test_csv_export_has_one_line_per_structure_with_the_extensions(geo, write_document):
    import_file(write_document(*full_document()))
    out = io.StringIO()
    call_command("export", "structures", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["id"] for r in rows] == ["test--a", "test--b", "test--c"]
    b = rows[1]
    assert b["typologie"] == "ML" and b["langues"] == "fr|fsl" and b["zone_competence"] == "242900314|29019"
    assert b["fermetures_temporaires"] == "2026-12-24/2026-12-31 Congés"
    services = io.StringIO()
    call_command("export", "services", "--format", "csv", stdout=services)
    assert len(list(csv.DictReader(io.StringIO(services.getvalue())))) == 3


def test_zone_of_competence_is_indexed_and_follows_a_new_version(geo, write_document):
    import_file(write_document([structure("a", zone_competence=["35", "35238"])]))
    assert set(ZoneCompetence.objects.values_list("niveau", "code")) == {
        ("departement", "35"),
        ("commune", "35238"),
    }

    report = import_file(write_document([structure("a", zone_competence=["243500139"])]))

    assert report.totals.created == 1 and report.totals.deleted == 2
    assert list(ZoneCompetence.objects.values_list("niveau", "code")) == [("epci", "243500139")]


def test_a_record_missing_from_a_newer_file_of_its_source_is_retired(geo, write_document):
    import_file(write_document([structure("a"), structure("b", nom="Autre structure")]))
    report = import_file(write_document([structure("a")]))
    assert report.totals.retired == 1
    assert not Structure.objects.get(di_id="test--b").is_active
    assert [s["id"] for s in export_document()["structures"]] == ["test--a"]


@pytest.mark.parametrize(
    ("bad", "field", "words"),
    [
        ({"nom": "ab"}, "nom", "schéma"),
        ({"date_maj": "2026-13-45"}, "date_maj", "schéma"),
        ({"courriel": "pas-un-courriel"}, "courriel", "schéma"),
        ({"typologie": "LYCEE_HOTELIER"}, "typologie", "typologie inconnue"),
        ({"latitude": 95.0}, "latitude", "hors limites"),
        ({"longitude": None}, "latitude", "ensemble"),
        ({"code_insee": "99999"}, "code_insee", "commune inconnue"),
        ({"langues": ["klingon"]}, "langues", "inconnu"),
        ({"age_min": 30, "age_max": 16}, "age_min", "supérieur"),
        (
            {"fermetures_temporaires": [{"debut": "2026-05-01", "fin": "2026-04-01"}]},
            "fermetures_temporaires",
            "finit",
        ),
        ({"zone_competence": ["région-53"]}, "zone_competence", "territoire"),
    ],
)
def test_bad_record_rejects_the_whole_file_with_its_index_and_field(geo, write_document, bad, field, words):
    import_file(write_document([structure("ok")]))
    before = list(Structure.objects.values_list("di_id", "nom", "date_maj"))
    path = write_document([structure("ok", nom="Nom changé"), structure("new"), structure("bad", **bad)])

    report = import_file(path)

    assert report.status == "failed"
    assert "structures[2]" in report.error and "test--bad" in report.error, report.error
    assert f"field '{field}'" in report.error and words in report.error, report.error
    assert list(Structure.objects.values_list("di_id", "nom", "date_maj")) == before  # nothing written
    with pytest.raises(CommandError, match=r"structures\[2\]"):
        call_command("import", "structures", str(path), "--no-progress", stdout=io.StringIO())


def test_bad_service_and_unknown_structure_are_rejected(geo, write_document):
    report = import_file(write_document([structure("a")], [service("a", publics=["tous-publics", "jeunes"])]))
    assert report.status == "failed" and "services[0]" in report.error and "tous-publics" in report.error
    report = import_file(write_document([structure("a")], [service("zzz")]))
    assert report.status == "failed" and "structure inconnue" in report.error
    assert not Structure.objects.exists() and not Service.objects.exists()


def test_malformed_documents_are_rejected(geo, tmp_path, write_document):
    path = tmp_path / "broken.json"
    path.write_text('{"structures": [', encoding="utf-8")
    assert "malformed JSON" in import_file(path).error
    path.write_text('[{"id": "x"}]', encoding="utf-8")
    assert "data·inclusion document" in import_file(path).error
    report = import_file(write_document([structure("a"), structure("a")]))
    assert "en double" in report.error


def test_same_siret_is_merged_into_the_first_record_with_a_warning(geo, write_document):
    path = write_document(
        [
            structure("a", siret="13003013300016"),
            structure("b", nom="Tout autre nom", siret="13003013300016", code_insee="29019"),
        ],
        [service("a"), service("b")],
    )

    report = import_file(path)

    assert report.status == "success", report.error
    assert list(Structure.objects.values_list("di_id", flat=True)) == ["test--a"]
    assert report.totals.rejected == 1
    assert any("doublon de 'test--a'" in str(w) and "SIRET" in str(w) for w in report.warnings)
    # The duplicate's services now belong to the record kept.
    assert set(Service.objects.values_list("structure__di_id", flat=True)) == {"test--a"}
    assert Service.objects.count() == 2


def test_same_normalised_name_within_100_m_is_one_record_but_not_at_500_m(geo, write_document):
    near = structure("b", nom="  structure A ", latitude=48.1113 + 0.0005, longitude=-1.6800)  # ≈ 56 m
    far = structure("c", nom="STRUCTURE a", latitude=48.1113 + 0.0045, longitude=-1.6800)  # ≈ 500 m
    report = import_file(write_document([structure("a", nom="Structure À"), near, far]))
    assert report.status == "success", report.error
    assert sorted(Structure.objects.values_list("di_id", flat=True)) == ["test--a", "test--c"]
    assert any("même nom à 56 m" in str(w) for w in report.warnings), report.warnings


def test_a_duplicate_of_another_source_already_in_the_directory_is_not_created(geo, write_document):
    import_file(write_document([structure("a", siret="13003013300016")]))
    other = structure("x", source="autre", siret="13003013300016")
    other["id"] = "autre--x"
    report = import_file(write_document([other]))
    assert report.status == "success"
    assert not Structure.objects.filter(di_id="autre--x").exists()
    assert report.totals.rejected == 1


def test_unsupported_opening_hours_and_unknown_zone_codes_are_warnings(geo, write_document):
    report = import_file(
        write_document(
            [structure("a", horaires_accueil="Jan-Mar Mo 10:00-12:00", zone_competence=["35", "75056"])]
        )
    )
    assert report.status == "success", report.error
    messages = " ".join(map(str, report.warnings))
    assert "horaires hors du sous-ensemble" in messages and "75056" in messages
    created = Structure.objects.get()
    assert created.horaires_accueil == "Jan-Mar Mo 10:00-12:00"
    assert created.zone_competence == ["35"]


def test_structures_dataset_is_registered_after_geo():
    from spro.referentials.importing.registry import in_dependency_order

    names = [dataset.name for dataset in in_dependency_order()]
    assert "structures" in names and names.index("geo") < names.index("structures")
