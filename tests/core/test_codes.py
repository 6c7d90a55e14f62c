"""spro.core.codes: each code format accepts real codes and refuses near misses, whole string only."""

from __future__ import annotations

import re

import pytest

from spro.core import codes

ACCEPTED = {
    "INSEE_COMMUNE": ["75056", "69123", "2A004", "2B033", "97411"],
    "POSTAL_CODE": ["75001", "01000", "97133", "20000"],
    "DEPARTEMENT": ["01", "75", "2A", "2B", "971", "976"],
    "DEPARTEMENT_PADDED": ["001", "075", "02A", "02B", "2A", "971"],
    "REGION": ["11", "84", "94", "975"],
    "REGION_INSEE": ["11", "04", "94"],
    "ACADEMIE": ["01", "43"],
    "SIREN": ["200054781", "243500139"],
    "COUNTRY": ["FR", "BE"],
    "ROME": ["M1805", "J1506", "A1101", "N4101"],
    "ROME_GRAND_DOMAINE": ["M", "A"],
    "ROME_DOMAINE": ["M18", "J15"],
    "OGR": ["38972", "7", "123456789"],
    "ISCO": ["2", "25", "251", "2512"],
    "CFD": ["40025214", "50022106", "3202211A"],
    "BCN_LEVEL": ["500", "320", "46T"],
    "UAI": ["0750655E", "0693446W"],
    "UAI_LOOSE": ["0750655E", "0691234Z", "AB12CD34"],
    "INE": ["1234567890A", "070803003JF"],
}

REFUSED = {
    # 2C does not exist (Corsica is 2A and 2B); 4 or 6 digits are not a commune; a name is not a code.
    "INSEE_COMMUNE": ["2C004", "7505", "750560", "2a004", "Paris", "75 056", ""],
    "POSTAL_CODE": ["7500", "750010", "75 001", "2A000", "F-75001"],
    "DEPARTEMENT": ["1", "2C", "02A", "9711", "A1"],
    "DEPARTEMENT_PADDED": ["01", "2C", "002C", "1", "0971"],
    "REGION": ["1", "1111", "2A"],
    "REGION_INSEE": ["975", "1", "2A"],
    "ACADEMIE": ["1", "123"],
    "SIREN": ["20005478", "2000547810", "200 054 781"],
    "COUNTRY": ["FRA", "fr", "F"],
    # ROME grand domaines run from A to N; a ROME code is a letter and four digits.
    "ROME": ["O1234", "Z9999", "m1805", "M180", "M18055", "1805"],
    "ROME_GRAND_DOMAINE": ["m", "MM", "1"],
    "ROME_DOMAINE": ["M1", "M180", "18"],
    "OGR": ["", "1234567890", "12a"],
    "ISCO": ["12345", "2a"],
    "CFD": ["4002521", "400252140", "4002521a"],
    "BCN_LEVEL": ["50", "5000", "4a0"],
    "UAI": ["07506555", "0750655e", "075065E", "A750655E"],
    "UAI_LOOSE": ["0750655", "0750655e", "0750655EE"],
    "INE": ["1234567890", "1234567890a", "123456789012", "12345-67890"],
}


def test_every_format_is_tested_and_anchored():
    formats = {name for name, value in vars(codes).items() if isinstance(value, re.Pattern)}
    assert formats == set(ACCEPTED) == set(REFUSED)
    for name in formats:
        pattern = getattr(codes, name).pattern
        assert pattern.startswith(r"\A") and pattern.endswith(r"\Z"), name


@pytest.mark.parametrize(("name", "value"), [(n, v) for n, values in ACCEPTED.items() for v in values])
def test_a_real_code_is_accepted(name, value):
    assert getattr(codes, name).match(value)


@pytest.mark.parametrize(("name", "value"), [(n, v) for n, values in REFUSED.items() for v in values])
def test_a_malformed_code_is_refused(name, value):
    assert not getattr(codes, name).match(value)


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_a_code_with_text_around_it_is_refused(name):
    value = ACCEPTED[name][0]
    pattern = getattr(codes, name)
    for wrapped in (f"{value}\n", f" {value}", f"{value}x", f"x{value}"):
        assert not pattern.match(wrapped), wrapped
        assert not pattern.fullmatch(wrapped), wrapped


def test_an_insee_code_checks_the_form_not_the_existence():
    # 20004 has the form of a commune code, but Corsican communes are numbered 2A… and 2B… since 1976: no commune
    # has this code. The format accepts it; the geography referential is what says whether a commune exists.
    assert codes.INSEE_COMMUNE.match("20004")
    assert codes.POSTAL_CODE.match("20000")  # Ajaccio's postal code does start with 20


@pytest.mark.parametrize(
    ("padded", "cog"),
    [("001", "01"), ("075", "75"), ("02A", "2A"), ("02B", "2B"), ("2A", "2A"), ("971", "971")],
)
def test_a_padded_departement_code_reads_as_the_cog_writes_it(padded, cog):
    assert codes.DEPARTEMENT_PADDED.match(padded)
    assert codes.unpad_departement(padded) == cog
    assert codes.DEPARTEMENT.match(cog)
