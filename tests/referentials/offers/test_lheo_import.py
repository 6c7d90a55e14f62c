"""The LHÉO 2.3 importer: real sample, generated files, idempotence, updates, and blocking errors."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from spro.referentials.geo.models import Commune, Departement, Region
from spro.referentials.importing import run_dataset
from spro.referentials.offers.importers import LheoDataset
from spro.referentials.offers.models import Action, Formation, FormationRome, OrganismeFormation, Session

SAMPLE = Path(settings.DATA_DIR) / "offers" / "exemple-bts-onisep.lheo-2.3.xml"
SAMPLE_22 = Path("/work/shared/data/formation/lheo/exemple-bts-onisep.xml")
BENCH_GENERATOR = Path(__file__).resolve().parents[3] / "bench" / "lheo" / "generate.py"


def _make(model: type[models.Model], **values):
    """Create a row filling every required field with a placeholder, so that tests survive model changes."""
    for field in model._meta.concrete_fields:
        if field.attname in values or field.name in values or field.has_default() or field.null:
            continue
        if getattr(field, "auto_created", False) and field.primary_key:
            continue
        if field.is_relation:
            values[field.name] = field.related_model.objects.first() or _make(field.related_model)
        elif isinstance(field, models.CharField):
            values[field.name] = str(model.objects.count() + 1)[-field.max_length :]
        elif isinstance(field, (models.IntegerField, models.FloatField, models.DecimalField)):
            values[field.name] = 0
        elif isinstance(field, models.BooleanField):
            values[field.name] = False
        elif isinstance(field, models.TextField):
            values[field.name] = ""
    return model.objects.create(**values)


@pytest.fixture
def referentials(db):
    """The commune of the sample (Quimperlé) and two of its three ROME codes (D1408 stays unknown)."""
    region = Region.objects.create(code="53", nom="Bretagne", zone="metro")
    departement = Departement.objects.create(code="29", nom="Finistère", region=region, zone="metro")
    Commune.objects.create(
        code_insee="29233", nom="Quimperlé", type="commune-actuelle", departement=departement, region=region
    )
    fiche = apps.get_model("rome", "FicheMetier")
    for code in ("D1402", "D1403"):
        _make(fiche, code_rome=code, libelle=f"fiche {code}")


def _import(path: Path | None = None, **kwargs):
    return run_dataset(LheoDataset(), path=path, **kwargs)


def _changes(report) -> int:
    return report.totals.changes


def _generator():
    spec = importlib.util.spec_from_file_location("lheo_generate", BENCH_GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _break(tmp_path: Path, old: str, new: str, text: str | None = None) -> Path:
    text = text if text is not None else SAMPLE.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / "offres.xml"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_real_sample_imports_with_expected_counts_and_fields(referentials):
    report = _import()
    assert report.status == "success", report.error
    assert (Formation.objects.count(), Action.objects.count(), Session.objects.count()) == (1, 1, 1)
    formation = Formation.objects.get()
    assert formation.numero == "9436_18706"
    assert formation.intitule == "BTS négociation et relation client"
    assert formation.certifiante is True
    assert formation.objectif.startswith("<p>A la fois vendeur, manager et commercial")
    assert formation.codes_formacode == ["34582", "34076"] and formation.formacode_principal == "34582"
    assert formation.codes_nsf == ["312"]
    assert formation.codes_rome == ["D1402", "D1403", "D1408"]
    assert sorted(formation.fiches_rome.values_list("pk", flat=True)) == ["D1402", "D1403"]
    assert (formation.codes_rncp, formation.codes_certifinfo) == (["474"], ["19004"])
    assert (formation.parcours, formation.niveau_entree, formation.niveau_sortie) == ("4", "0", "6")
    assert formation.extras["extras"]["@info"] == "FORMATION ONISEP"  # what is not modelled is kept

    organisme = formation.organisme
    assert organisme.siret == "19290076900014" and organisme.nom == "Lycée Kerneuzec"
    assert (organisme.telephone, organisme.courriel) == ("02 98 96 48 00", "ce.0290076a@ac-rennes.fr")
    assert organisme.commune_id == "29233" and organisme.adresse["code_postal"] == "29391"
    assert organisme.extras["potentiel"]["code-FORMACODE"][0]["#text"] == "11054"

    action = Action.objects.get()
    assert (action.rythme, action.modalites_enseignement, action.hebergement) == (
        "Temps plein",
        "0",
        "Internat garçons-filles",
    )
    assert action.codes_public_vise == ["81061"] and action.prise_en_charge_frais_possible is True
    assert (action.lieu_nom, action.lieu_commune_id) == ("Lycée Kerneuzec", "29233")
    assert action.latitude == pytest.approx(47.882108) and action.duree_indicative == "2 ans"

    session = Session.objects.get()
    assert str(session.debut) == "2015-09-01" and str(session.fin) == "2017-08-31"
    assert session.adresse_inscription["ville"] == "QUIMPERLÉ"

    warnings = [str(w) for w in report.warnings]
    assert len(warnings) == 1 and "D1408" in warnings[0] and "line 4" in warnings[0]


def test_second_import_of_the_same_file_changes_nothing(referentials):
    assert _import().status == "success"
    again = _import()
    assert again.status == "success"
    assert _changes(again) == 0
    assert again.totals.unchanged >= 4


def test_modified_formation_is_updated_in_place_keeping_its_pk(referentials, tmp_path):
    assert _import().status == "success"
    pk, action_pk = Formation.objects.get().pk, Action.objects.get().pk
    path = _break(
        tmp_path,
        "<intitule-formation>BTS négociation et relation client",
        "<intitule-formation>BTS négociation et digitalisation de la relation client",
    )
    report = _import(path)
    assert report.status == "success", report.error
    formation = Formation.objects.get()
    assert formation.pk == pk and formation.intitule.startswith("BTS négociation et digitalisation")
    assert Action.objects.get().pk == action_pk
    counts = {m.label: m.counts for m in report.models}
    assert counts["offers.Formation"].updated == 1 and counts["offers.Action"].unchanged == 1
    assert _changes(_import(path)) == 0


def test_generated_multi_formation_file_imports_then_reimports_with_no_change(db, tmp_path):
    path = tmp_path / "offres.xml"
    produced = _generator().generate(path, size_mb=0.25, seed=7)
    report = _import(path)
    assert report.status == "success", report.error
    assert Formation.objects.count() == produced["formations"] > 10
    assert Action.objects.count() > Formation.objects.count()
    assert Session.objects.count() >= Action.objects.count()
    assert OrganismeFormation.objects.count() >= 1
    assert not FormationRome.objects.exists()  # no ROME fiche in this database: warnings, raw codes kept
    assert report.warning_count >= Formation.objects.count()
    assert _changes(_import(path)) == 0


def test_parallel_validation_process_gives_the_same_result(db, tmp_path, monkeypatch):
    monkeypatch.setattr(LheoDataset, "parallel_validation_min_bytes", 0)
    path = tmp_path / "offres.xml"
    _generator().generate(path, size_mb=0.1, seed=3)
    report = _import(path)
    assert report.status == "success", report.error
    assert Formation.objects.exists()
    broken = _break(
        tmp_path,
        "<certifiante>1</certifiante>",
        "<certifiante>oui</certifiante>",
        text=path.read_text(encoding="utf-8").replace(
            "<certifiante>0</certifiante>", "<certifiante>1</certifiante>"
        ),
    )
    failed = _import(broken)
    assert failed.status == "failed"
    assert "certifiante" in failed.error and re.search(r"line \d+", failed.error)


def test_digests_from_the_validator_process_match_the_in_process_ones(db, tmp_path, monkeypatch):
    """Big files get their digests from the validator process: a re-import in process must skip everything."""
    path = tmp_path / "offres.xml"
    _generator().generate(path, size_mb=0.2, seed=7)
    monkeypatch.setattr(LheoDataset, "parallel_validation_min_bytes", 0)
    first = _import(path)
    assert first.status == "success", first.error
    pks = set(Formation.objects.values_list("pk", flat=True))
    monkeypatch.setattr(LheoDataset, "parallel_validation_min_bytes", 1 << 40)
    again = _import(path)
    assert again.status == "success", again.error
    assert _changes(again) == 0
    counts = {m.label: m.counts for m in again.models}
    assert counts["offers.Formation"].unchanged == len(pks) == Formation.objects.count()
    assert counts["offers.OrganismeFormation"].unchanged == OrganismeFormation.objects.count()
    assert set(Formation.objects.values_list("pk", flat=True)) == pks
    monkeypatch.setattr(LheoDataset, "parallel_validation_min_bytes", 0)
    assert _changes(_import(path)) == 0


def test_an_error_while_writing_new_offers_fails_the_import_and_writes_nothing(db, tmp_path, monkeypatch):
    from spro.referentials.offers import writer

    path = tmp_path / "offres.xml"
    _generator().generate(path, size_mb=0.2, seed=9)
    monkeypatch.setattr(LheoDataset, "batch_size", 20)
    original = writer.insert_tuples

    def failing(plan, rows, returning=False):
        if plan.model is Session:
            raise RuntimeError("disk full")
        return original(plan, rows, returning=returning)

    monkeypatch.setattr(writer, "insert_tuples", failing)
    # Like any database error: it propagates and the transaction rolls back.
    with pytest.raises(RuntimeError, match="disk full"):
        _import(path)
    assert not Formation.objects.exists() and not OrganismeFormation.objects.exists()


def test_formation_absent_from_a_new_file_is_retired_not_deleted(db, tmp_path):
    generator = _generator()
    big, small = tmp_path / "big.xml", tmp_path / "small.xml"
    generator.generate(big, size_mb=0.1, seed=5)
    generator.generate(small, size_mb=0.05, seed=5)  # same seed: the first formations of the big file
    assert _import(big).status == "success"
    total = Formation.objects.count()
    report = _import(small)
    assert report.status == "success", report.error
    kept = Formation.objects.filter(is_active=True).count()
    assert 0 < kept < total == Formation.objects.count()
    assert {m.label: m.counts for m in report.models}["offers.Formation"].retired == total - kept


def test_truncated_file_fails_with_a_line_number_and_writes_nothing(referentials, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "offres.xml"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    report = _import(path)
    assert report.status == "failed"
    assert "offres.xml" in report.error and re.search(r"line \d+", report.error)
    assert "malformed XML" in report.error
    assert not Formation.objects.exists() and not OrganismeFormation.objects.exists()


def test_truncated_file_after_valid_batches_rolls_everything_back(db, tmp_path, monkeypatch):
    monkeypatch.setattr(LheoDataset, "batch_size", 2)  # several batches are written before the error
    path = tmp_path / "offres.xml"
    _generator().generate(path, size_mb=0.1, seed=11)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.9)])
    report = _import(path)
    assert report.status == "failed" and re.search(r"line \d+", report.error)
    assert not Formation.objects.exists() and not Session.objects.exists()


def test_schema_violation_fails_naming_the_element_and_line(referentials, tmp_path):
    path = _break(tmp_path, "<rythme-formation>Temps plein</rythme-formation>", "")
    report = _import(path)
    assert report.status == "failed"
    assert "LHÉO 2.3 schema" in report.error and "code-public-vise" in report.error
    assert re.search(r"line \d+", report.error)
    assert not Formation.objects.exists()


def test_invalid_code_value_fails_naming_the_field(referentials, tmp_path):
    report = _import(_break(tmp_path, "<certifiante>1</certifiante>", "<certifiante>7</certifiante>"))
    assert report.status == "failed"
    assert "field 'certifiante'" in report.error and "line 17" in report.error


def test_lheo_22_namespace_is_read_as_23_with_a_warning(referentials, tmp_path):
    if SAMPLE_22.exists():
        text = SAMPLE_22.read_text(encoding="utf-8")
    else:  # pragma: no cover - the original 2.2 sample differs from the 2.3 one by its namespace only
        text = SAMPLE.read_text(encoding="utf-8").replace(
            "http://lheo.gouv.fr/2.3", "http://www.lheo.org/2.2"
        )
    assert "http://www.lheo.org/2.2" in text
    path = tmp_path / "offres-22.xml"
    path.write_text(text, encoding="utf-8")
    report = _import(path)
    assert report.status == "success", report.error
    assert Formation.objects.get().numero == "9436_18706"
    assert any("LHÉO 2.2" in str(w) for w in report.warnings)


def test_unknown_namespace_is_refused_with_a_clear_message(db, tmp_path):
    path = _break(tmp_path, "http://lheo.gouv.fr/2.3", "http://www.lheo.org/2.1")
    report = _import(path)
    assert report.status == "failed"
    assert "unsupported LHÉO namespace" in report.error and "http://lheo.gouv.fr/2.3" in report.error


def test_formation_without_numero_is_refused(referentials, tmp_path):
    report = _import(_break(tmp_path, '<formation numero="9436_18706">', "<formation>"))
    assert report.status == "failed"
    assert "field 'numero'" in report.error and "line 4" in report.error


def test_duplicate_formation_numero_is_refused(db, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    start, end = text.index("<formation "), text.index("</formation>") + len("</formation>")
    path = tmp_path / "offres.xml"
    path.write_text(text[:end] + "\n" + text[start:end] + text[end:], encoding="utf-8")
    report = _import(path)
    assert report.status == "failed" and "appears more than once" in report.error


def test_dry_run_writes_nothing(referentials):
    report = _import(dry_run=True)
    assert report.status == "dry-run" and report.totals.created >= 4
    assert not Formation.objects.exists()


# ------------------------------------------------------------------ chunks: in process and in worker processes


def _empty_offers():
    for model in (Session, FormationRome, Action, Formation, OrganismeFormation):
        model.objects.all().delete()


def _snapshot():
    """Every written row without its surrogate keys, to compare two imports of the same file."""
    return {
        "organismes": sorted(
            OrganismeFormation.objects.values_list("siret", "nom", "adresse", "content_hash")
        ),
        "formations": sorted(
            tuple(sorted((k, repr(v)) for k, v in row.items() if k != "id"))
            for row in Formation.objects.values()
        ),
        "actions": sorted(
            tuple(sorted((k, repr(v)) for k, v in row.items() if k not in ("id", "formation_id")))
            for row in Action.objects.values()
        ),
        "sessions": sorted(
            tuple(sorted((k, repr(v)) for k, v in row.items() if k not in ("id", "action_id")))
            for row in Session.objects.values()
        ),
        "links": sorted(FormationRome.objects.values_list("formation__numero", "fiche_id")),
    }


def test_in_process_and_worker_processes_write_the_same_rows(referentials, tmp_path, monkeypatch):
    path = tmp_path / "offres.xml"
    _generator().generate(path, size_mb=0.3, seed=21)
    monkeypatch.setattr(LheoDataset, "batch_size", 7)  # many chunks, dealt to both workers
    monkeypatch.setattr(LheoDataset, "parallel_validation_min_bytes", 1 << 40)
    alone = _import(path)
    assert alone.status == "success", alone.error
    assert not Formation.objects.filter(content_hash="").exists()
    expected, warnings = _snapshot(), [str(w) for w in alone.warnings]
    _empty_offers()
    monkeypatch.setattr(LheoDataset, "parallel_validation_min_bytes", 0)
    parallel = _import(path)
    assert parallel.status == "success", parallel.error
    assert _snapshot() == expected
    assert [str(w) for w in parallel.warnings] == warnings and warnings  # same warnings, same lines
    again = _import(path)
    assert _changes(again) == 0 and again.warning_count == 0  # known digests: nothing read again


def _broken_generated(tmp_path, pattern: str, new: str, occurrence: int) -> tuple[Path, int]:
    """A generated file with the `occurrence`-th match of `pattern` replaced; returns it and the line."""
    path = tmp_path / "offres.xml"
    _generator().generate(path, size_mb=0.3, seed=23)
    text = path.read_text(encoding="utf-8")
    match = list(re.finditer(pattern, text))[occurrence - 1]
    path.write_text(text[: match.start()] + new + text[match.end() :], encoding="utf-8")
    return path, text.count("\n", 0, match.start()) + 1


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("<certifiante>", "<certifiante>9", "LHÉO 2.3 schema"),
        ("</etat-recrutement>", "</etat-recrut>", "malformed XML"),
        ('<formation numero="[^"]*"', "<formation", "needs a numero"),
    ],
)
def test_error_found_in_a_worker_names_the_file_line_and_field_like_in_process(
    db, tmp_path, monkeypatch, old, new, expected
):
    path, line = _broken_generated(tmp_path, old, new, occurrence=15)
    monkeypatch.setattr(LheoDataset, "batch_size", 4)  # the error is in a later chunk, batches written before
    monkeypatch.setattr(LheoDataset, "parallel_validation_min_bytes", 1 << 40)
    alone = _import(path)
    monkeypatch.setattr(LheoDataset, "parallel_validation_min_bytes", 0)
    parallel = _import(path)
    assert alone.status == parallel.status == "failed"
    assert parallel.error == alone.error
    assert expected in parallel.error and "offres.xml" in parallel.error
    assert f"line {line}" in parallel.error
    assert not Formation.objects.exists() and not OrganismeFormation.objects.exists()


def test_a_worker_process_that_dies_fails_the_import_and_writes_nothing(db, tmp_path, monkeypatch):
    from spro.referentials.offers import chunks

    path = tmp_path / "offres.xml"
    _generator().generate(path, size_mb=0.2, seed=25)
    monkeypatch.setattr(LheoDataset, "parallel_validation_min_bytes", 0)
    monkeypatch.setattr(LheoDataset, "batch_size", 5)
    script = "import sys; sys.stdin.buffer.read(100); sys.stderr.write('worker out of memory'); sys.exit(3)"
    monkeypatch.setattr(chunks.WorkerPool, "command", (sys.executable, "-c", script))
    report = _import(path)
    assert report.status == "failed"
    assert "reader process stopped" in report.error and "worker out of memory" in report.error
    assert "offres.xml" in report.error
    assert not Formation.objects.exists() and not OrganismeFormation.objects.exists()


def test_content_after_the_last_formation_is_checked(referentials, tmp_path, monkeypatch):
    text = SAMPLE.read_text(encoding="utf-8")
    path = _break(tmp_path, "</offres>", "</offres><bogus/>", text)
    for threshold in (1 << 40, 0):
        monkeypatch.setattr(LheoDataset, "parallel_validation_min_bytes", threshold)
        report = _import(path)
        assert report.status == "failed" and re.search(r"line \d+", report.error)
        assert "<lheo> must hold one <offres> followed by <extras> only" in report.error
        assert not Formation.objects.exists()


def test_gzip_and_lheo_22_files_go_through_the_workers_too(db, tmp_path, monkeypatch):
    import gzip

    path = tmp_path / "offres.xml"
    _generator().generate(path, size_mb=0.1, seed=27)
    text = path.read_text(encoding="utf-8").replace("http://lheo.gouv.fr/2.3", "http://www.lheo.org/2.2")
    packed = tmp_path / "offres-22.xml.gz"
    packed.write_bytes(gzip.compress(text.encode()))
    monkeypatch.setattr(LheoDataset, "parallel_validation_min_bytes", 0)
    monkeypatch.setattr(LheoDataset, "batch_size", 5)
    report = _import(packed)
    assert report.status == "success", report.error
    assert Formation.objects.count() == text.count("<formation ")
    assert any("LHÉO 2.2" in str(w) for w in report.warnings)
    assert _changes(_import(packed)) == 0


def _regex_digests(prefix: bytes, data: bytes) -> tuple[str, str]:
    """The digests as first computed (regex search, copies): raw_digests must give the same ones."""
    import hashlib

    match = re.search(rb"<organisme-formation-responsable[\s>/]", data)
    end = data.find(b"</organisme-formation-responsable>", match.end()) if match else -1
    if end < 0:
        return hashlib.blake2b(prefix + data, digest_size=20).hexdigest(), ""
    end += len(b"</organisme-formation-responsable>")
    return (
        hashlib.blake2b(prefix + data[: match.start()] + data[end:], digest_size=20).hexdigest(),
        hashlib.blake2b(prefix + data[match.start() : end], digest_size=20).hexdigest(),
    )


@pytest.mark.parametrize(
    "organisme",
    [
        "",
        "<organisme-formation-responsable>\n<x/></organisme-formation-responsable>",
        '<organisme-formation-responsable-bis/><organisme-formation-responsable\tnumero="1">'
        "<x/></organisme-formation-responsable>",
        "<organisme-formation-responsable/>",  # empty element: no closing tag, nothing cut out
    ],
)
def test_raw_digests_hash_the_formation_bytes_in_place_like_the_first_version(organisme):
    from spro.referentials.offers.chunks import raw_digests

    formation = f'<formation numero="1"><intitule-formation>é</intitule-formation>{organisme}</formation>'
    data = ("<formation numero='0'/>\n" + formation + "\n<formation/>").encode()
    start = data.index(b'<formation numero="1"')
    end = data.index(b"</formation>", start) + len(b"</formation>")
    assert raw_digests(b"p" * 20, data, start, end) == _regex_digests(b"p" * 20, data[start:end])
    assert raw_digests(b"p" * 20, data[start:end]) == _regex_digests(b"p" * 20, data[start:end])


def test_flat_address_reading_gives_the_tree_reading_dict_and_order():
    from lxml import etree

    from spro.referentials.offers.reader import FormationReader

    ns = "http://lheo.gouv.fr/2.3"
    common = (
        "<ligne>1 rue A</ligne><ligne>Bât. B</ligne><codepostal>29300</codepostal><ville>Quimperlé</ville>"
        "<code-INSEE-commune>29233</code-INSEE-commune><pays>FR</pays>"
        "<geolocalisation><latitude> 47.87 </latitude><longitude>-3.55</longitude>{geo}</geolocalisation>"
    )
    reader = FormationReader(Path("x.xml"), set(), set())
    for inside, geo in [("", ""), ("<extras><extra info='a'>b</extra></extras>", ""), ("", "<extras/>")]:
        element = etree.fromstring(
            f'<adresse xmlns="{ns}" numero="1"><denomination>Lycée</denomination>'
            + common.format(geo=geo)
            + inside
            + "</adresse>"
        )
        flat, tree = reader.address(element), reader._address_tree(element)
        assert flat == tree and list(flat) == list(tree)
        assert flat["lignes"] == ["1 rue A", "Bât. B"] and flat["latitude"] == "47.87"


@pytest.mark.parametrize("enabled_before", [True, False])
def test_chunk_reading_pauses_the_cycle_collector_and_restores_it(referentials, monkeypatch, enabled_before):
    import gc

    from spro.referentials.offers import chunks
    from spro.referentials.offers.reader import FormationReader

    data = SAMPLE.read_bytes()
    start = chunks.FORMATION_START.search(data).start()
    end = data.rindex(chunks.FORMATION_END) + len(chunks.FORMATION_END)
    processor = chunks.ChunkProcessor(
        {
            "path": str(SAMPLE),
            "header": data[:start],
            "prefix": chunks.Fingerprint({"29233"}, {"D1402", "D1403"}).prefix,
            "schema": str(Path(settings.DATA_DIR) / "offers" / "lheo-2.3.xsd"),
            "communes": ["29233"],
            "fiches": ["D1402", "D1403"],
        }
    )
    seen = []
    read = FormationReader.read

    def spy(self, element):
        seen.append(gc.isenabled())
        return read(self, element)

    monkeypatch.setattr(FormationReader, "read", spy)
    was_enabled = gc.isenabled()
    (gc.enable if enabled_before else gc.disable)()
    try:
        result = processor.process(data[start:end], 0)
        after = gc.isenabled()
    finally:
        (gc.enable if was_enabled else gc.disable)()
    assert result[0] == "ok" and len(result[1]) == len(seen) > 0
    assert seen == [False] * len(seen)  # paused while reading
    assert after is enabled_before  # restored as it was, not forced on


def test_progress_is_reported_in_bytes_of_the_file_up_to_its_size(referentials):
    calls = []
    report = _import(SAMPLE, progress=lambda label, done, total: calls.append((label, done, total)))
    assert report.status == "success", report.error
    size = SAMPLE.stat().st_size
    assert calls and {label for label, _, _ in calls} == {SAMPLE.name}
    assert calls[-1] == (SAMPLE.name, size, size)
