"""spro.core.csvfiles: the CSV reading the State figures and the dropout lists share (header, lines, encoding)."""

from __future__ import annotations

import hashlib

from spro.core.csvfiles import LineError, file_sha256, read_records


def _read(tmp_path, content: bytes, **options):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    options.setdefault("required", ("a", "b"))
    return list(read_records(path, **options))


def test_lines_are_read_by_column_trimmed_and_blank_lines_skipped(tmp_path):
    records = _read(tmp_path, "\ufeffA ; b\n 1 ;2\n;\n3;4\n".encode())
    assert records == [(2, {"a": "1", "b": "2"}, []), (4, {"a": "3", "b": "4"}, [])]


def test_header_problems_stop_the_reading(tmp_path):
    records = _read(tmp_path, b"a;x;x\n1;2;3\n", known=("a", "b"))
    assert records == [
        (
            1,
            None,
            [
                LineError(1, "b", "colonne obligatoire absente"),
                LineError(1, "x", "colonne inconnue"),
                LineError(1, "x", "colonne inconnue"),
                LineError(1, "x", "colonne en double"),
            ],
        )
    ]


def test_unknown_columns_are_allowed_without_known_and_headers_can_be_renamed(tmp_path):
    records = _read(tmp_path, b"NOM_SOURCE;b;extra\n1;2;3\n", rename={"nom_source": "a"})
    assert records == [(2, {"a": "1", "b": "2", "extra": "3"}, [])]


def test_a_line_with_the_wrong_number_of_cells_is_named(tmp_path):
    records = _read(tmp_path, b"a;b\n1;2\n1,2\n")
    assert records[1] == (3, None, [LineError(3, "", "1 colonne(s) au lieu de 2 (séparateur « ; »)")])


def test_a_file_not_in_utf8_names_its_first_bad_line_and_byte(tmp_path):
    records = _read(tmp_path, "a;b\n1;2\nMaëlys;3\n".encode("cp1252"))
    line, values, errors = records[-1]
    assert (line, values) == (3, None)
    assert errors[0].ligne == 3 and "0xeb" in errors[0].message and "UTF-8" in errors[0].message
    assert str(errors[0]).startswith("ligne 3 : encodage")


def test_an_empty_file_and_the_digest(tmp_path):
    assert _read(tmp_path, b"") == [
        (1, None, [LineError(1, "", "fichier vide : une ligne d’en-tête est attendue")])
    ]
    path = tmp_path / "f.csv"
    assert file_sha256(path) == hashlib.sha256(b"").hexdigest()
    assert str(LineError(2, "b", "obligatoire")) == "ligne 2, champ « b » : obligatoire"
