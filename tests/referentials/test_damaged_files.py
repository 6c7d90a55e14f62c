"""A truncated or damaged compressed file is a one-line import error (file, line), a recorded failed run, and the
previous data untouched (issue 12: it used to be an EOFError traceback with no run recorded)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from spro.referentials.geo.importers import GeoDataset
from spro.referentials.geo.models import Commune, Epci
from spro.referentials.importing import run_dataset
from spro.referentials.importing.errors import ImportFailure
from spro.referentials.importing.readers import open_binary, read_csv, read_json
from spro.referentials.models import ImportRun

pytestmark = pytest.mark.django_db


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_truncated_csv_gz_names_the_file_and_the_line_reached(tmp_path):
    path = tmp_path / "rows.csv.gz"
    path.write_bytes(
        gzip.compress(("code,nom\n" + "".join(f"{i},Commune {i}\n" for i in range(50_000))).encode())
    )
    truncate(path)
    with pytest.raises(ImportFailure) as caught:
        for _row in read_csv(path, required_columns=("code", "nom")):
            pass
    assert caught.value.source == str(path)
    assert caught.value.line is not None and caught.value.line > 1
    assert "truncated or damaged" in str(caught.value)
    assert str(caught.value).startswith(f"rows.csv.gz, line {caught.value.line}: ")


def test_a_truncated_or_corrupt_json_gz_is_an_import_failure(tmp_path):
    path = tmp_path / "data.json.gz"
    path.write_bytes(gzip.compress(b'[{"a": 1}]' * 1000))
    truncate(path)
    with pytest.raises(ImportFailure, match="data.json.gz: the compressed file is truncated or damaged"):
        read_json(path)
    corrupt = bytearray(gzip.compress(b'{"a": "' + b"x" * 5000 + b'"}'))
    corrupt[20:40] = b"\xff" * 20  # damaged deflate data (or a wrong checksum): never a zlib.error traceback
    path.write_bytes(bytes(corrupt))
    with pytest.raises(ImportFailure, match="truncated or damaged"):
        read_json(path)


def test_every_way_of_reading_a_damaged_stream_fails_the_same_way(tmp_path):
    path = tmp_path / "lines.gz"
    path.write_bytes(gzip.compress(b"line\n" * 100_000))
    truncate(path)
    for read in (lambda s: s.read(), lambda s: list(s), lambda s: [s.read1(1 << 16) for _ in range(100)]):
        raw, stream = open_binary(path)
        with raw, pytest.raises(ImportFailure):
            read(stream)


@pytest.mark.parametrize("name", ["communes_fr_2026.csv.gz", "epci.json.gz"])
def test_a_truncated_official_file_records_a_failed_run_and_keeps_the_data(geo_folder, name):
    assert run_dataset(GeoDataset()).status == "success"
    communes, epcis = Commune.objects.count(), Epci.objects.count()
    truncate(geo_folder / name)
    report = run_dataset(GeoDataset(), path=geo_folder)
    assert report.status == "failed"
    assert report.error.startswith(f"{name}")
    assert "truncated or damaged" in report.error
    run = ImportRun.objects.filter(dataset="geo").latest("pk")
    assert (run.status, run.error) == ("failed", report.error)
    assert (Commune.objects.count(), Epci.objects.count()) == (communes, epcis)


def test_an_unexpected_error_is_recorded_as_a_failed_run_then_raised(geo_folder, monkeypatch):
    def broken_load(self, ctx):
        raise KeyError("a defect, not a bad file")

    monkeypatch.setattr(GeoDataset, "load", broken_load)
    with pytest.raises(KeyError):
        run_dataset(GeoDataset(), path=geo_folder)
    run = ImportRun.objects.filter(dataset="geo").latest("pk")
    assert run.status == "failed"
    assert run.error.startswith("unexpected error: KeyError")


def test_a_plain_file_is_read_as_before(tmp_path):
    path = tmp_path / "plain.json"
    path.write_text('{"ok": true}', encoding="utf-8")
    raw, stream = open_binary(path)
    with raw:
        assert isinstance(stream, io.BufferedReader)
    assert read_json(path) == {"ok": True}
