"""Generate a large LHÉO 2.3 file shaped like the real Onisep sample, for the importer benchmark.

Titles come from real ROME 4.0 appellations (with their ROME code), places from the real COG 2026 communes; each
formation has 1–4 actions with 1–4 sessions each, organismes are drawn from a fixed pool so that many offers share
one. The output is deterministic for a given seed and size, and valid against lheo-2.3.xsd.

    .venv/bin/python bench/lheo/generate.py --size-mb 300 --output bench/out/lheo-300mb.xml
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import random
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SAMPLE = DATA / "offers" / "exemple-bts-onisep.lheo-2.3.xml"


def _sample_texts() -> dict[str, str]:
    """The long descriptive texts of the real sample, still XML-escaped, as they appear in real exports."""
    text = SAMPLE.read_text(encoding="utf-8")
    return {
        name: re.search(rf"<{name}>(.*?)</{name}>", text, re.S).group(1)
        for name in ("objectif-formation", "resultats-attendus", "contenu-formation")
    }


def _appellations() -> list[tuple[str, str]]:
    path = DATA / "rome_v4" / "unix_referentiel_appellation_v460_utf8.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return [(row["libelle_appellation_court"], row["code_rome"]) for row in csv.DictReader(handle)]


def _communes() -> list[dict[str, str]]:
    path = DATA / "geo" / "communes_fr_2026.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return [
            row
            for row in csv.DictReader(handle)
            if row["type"] == "commune-actuelle" and row["codes_postaux"] and row["latitude"]
        ]


def _address(commune: dict[str, str], line: str, numero: int) -> str:
    return (
        f'<adresse numero="{numero}">\n<ligne>{escape(line)}</ligne>\n'
        f"<codepostal>{commune['codes_postaux'].split('|')[0]}</codepostal>\n"
        f"<ville>{escape(commune['nom'][:50])}</ville>\n"
        f"<departement>{commune['code_departement']}</departement>\n"
        f"<code-INSEE-commune>{commune['code_insee']}</code-INSEE-commune>\n"
        f"<region>{commune['code_region']}</region>\n<pays>FR</pays>\n"
        f"<geolocalisation>\n<latitude>{commune['latitude']}</latitude>\n"
        f"<longitude>{commune['longitude']}</longitude>\n</geolocalisation>\n</adresse>\n"
    )


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.texts = _sample_texts()
        self.appellations = _appellations()
        self.communes = _communes()
        self.rome_codes = sorted({code for _, code in self.appellations})
        self.organismes = [self._organisme(index) for index in range(2000)]

    def _organisme(self, index: int) -> tuple[str, dict[str, str], str]:
        rng = self.rng
        commune = rng.choice(self.communes)
        siret = f"{rng.randrange(10**13, 10**14)}"
        name = f"Organisme de formation {index + 1} {commune['nom']}"[:250]
        xml = (
            f'<organisme-formation-responsable numero="{index + 1}">\n'
            f"<numero-activite>{rng.randrange(10**10, 10**11)}</numero-activite>\n"
            f"<SIRET-organisme-formation>\n<SIRET>{siret}</SIRET>\n</SIRET-organisme-formation>\n"
            f"<nom-organisme>{escape(name)}</nom-organisme>\n<raison-sociale>{escape(name)}</raison-sociale>\n"
            f'<coordonnees-organisme>\n<coordonnees numero="{index + 1}">\n'
            + _address(commune, f"{rng.randrange(1, 200)} rue de la Formation", index + 1)
            + f"<telfixe>\n<numtel>0{rng.randrange(100000000, 999999999)}</numtel>\n</telfixe>\n"
            f"<courriel>contact{index + 1}@organisme.example</courriel>\n"
            f"<web>\n<urlweb>www.organisme{index + 1}.example</urlweb>\n</web>\n"
            f"</coordonnees>\n</coordonnees-organisme>\n"
            f'<contact-organisme>\n<coordonnees numero="{index + 1}">\n'
            f"<courriel>contact{index + 1}@organisme.example</courriel>\n</coordonnees>\n</contact-organisme>\n"
            f'<extras info="ETAB">\n<extra info="ORG_ID">{index + 1}</extra>\n</extras>\n'
            f"</organisme-formation-responsable>\n"
        )
        return siret, commune, xml

    def _session(self, numero: str, commune: dict[str, str], place: str) -> str:
        rng = self.rng
        year = rng.randrange(2025, 2028)
        month = rng.randrange(1, 13)
        start = f"{year}{month:02d}{rng.randrange(1, 29):02d}"
        end = f"{year + rng.randrange(0, 3)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
        if rng.random() < 0.03:
            start, end = "00000000", "99999999"
        if end < start:
            start, end = end, start
        return (
            f'<session numero="{numero}">\n<periode>\n<debut>{start}</debut>\n<fin>{end}</fin>\n</periode>\n'
            f"<adresse-inscription>\n{_address(commune, place[:50], 1)}</adresse-inscription>\n"
            f"<etat-recrutement>{rng.choice('1112')}</etat-recrutement>\n</session>\n"
        )

    def _action(self, numero: str, sessions: int) -> str:
        rng = self.rng
        commune = rng.choice(self.communes)
        code_insee = (
            commune["code_insee"] if rng.random() > 0.005 else "99999"
        )  # a few unknown codes: warnings
        place = f"Centre de formation de {commune['nom']}"
        hours = rng.randrange(35, 1500)
        funders = "".join(
            f"<organisme-financeur>\n<code-financeur>{code}</code-financeur>\n"
            f"<nb-places-financees>{rng.randrange(1, 30)}</nb-places-financees>\n"
            f"</organisme-financeur>\n"
            for code in rng.sample(["2", "4", "5", "10", "13", "16"], rng.randrange(0, 3))
        )
        location = (
            f'<lieu-de-formation>\n<coordonnees numero="{numero}">\n<ligne>{escape(place[:50])}</ligne>\n'
            + _address(commune, f"{rng.randrange(1, 300)} avenue des Métiers", 1).replace(
                f"<code-INSEE-commune>{commune['code_insee']}<", f"<code-INSEE-commune>{code_insee}<"
            )
            + "</coordonnees>\n</lieu-de-formation>\n"
        )
        return (
            f'<action numero="{numero}">\n'
            f"<rythme-formation>{rng.choice(['Temps plein', 'Temps partiel', 'En soirée'])}</rythme-formation>\n"
            f'<code-public-vise ref="V12">{rng.choice(["81061", "80056", "80019", "83056"])}</code-public-vise>\n'
            f"<niveau-entree-obligatoire>{rng.randrange(2)}</niveau-entree-obligatoire>\n"
            f"<modalites-alternance>{rng.choice(['-', '2 semaines en centre, 2 semaines en entreprise'])}"
            f"</modalites-alternance>\n<modalites-enseignement>{rng.randrange(3)}</modalites-enseignement>\n"
            f"<conditions-specifiques>Entretien de motivation et tests de positionnement.</conditions-specifiques>\n"
            f"<prise-en-charge-frais-possible>{rng.randrange(2)}</prise-en-charge-frais-possible>\n"
            + location
            + f"<modalites-entrees-sorties>{rng.randrange(2)}</modalites-entrees-sorties>\n"
            f"<url-action>\n<urlweb>www.formation.example/actions/{numero}</urlweb>\n</url-action>\n"
            + "".join(self._session(f"{numero}-S{index + 1}", commune, place) for index in range(sessions))
            + f"<hebergement>{rng.choice(['Non', 'Internat', 'Foyer de jeunes travailleurs'])}</hebergement>\n"
            f"<prix-total-TTC>{rng.randrange(500, 15000)}</prix-total-TTC>\n"
            f"<duree-indicative>{hours} heures</duree-indicative>\n"
            f"<nombre-heures-centre>{hours * 2 // 3}</nombre-heures-centre>\n"
            f"<nombre-heures-entreprise>{hours - hours * 2 // 3}</nombre-heures-entreprise>\n"
            f"<nombre-heures-total>{hours}</nombre-heures-total>\n"
            f"<detail-conditions-prise-en-charge>CPF, Région, France Travail selon statut.</detail-conditions-"
            f"prise-en-charge>\n<conventionnement>{rng.randrange(2)}</conventionnement>\n"
            + funders
            + f'<extras info="ACTION">\n<extra info="ACT_ID">{numero}</extra>\n</extras>\n</action>\n'
        )

    def formation(self, index: int) -> str:
        rng = self.rng
        title, rome = rng.choice(self.appellations)
        romes = [rome] + rng.sample(self.rome_codes, rng.randrange(0, 3))
        if rng.random() < 0.01:
            romes.append("Z9999")  # a code absent from ROME 4.0: warning, kept in codes_rome
        numero = f"F{index:08d}"
        siret, _, organisme = rng.choice(self.organismes)
        texts = self.texts
        actions = "".join(
            self._action(f"{numero}-A{a + 1}", rng.randrange(1, 5)) for a in range(rng.randrange(1, 5))
        )
        principal = ' tag="principal"'
        formacodes = "".join(
            f'<code-FORMACODE ref="V12"{principal if i == 0 else ""}>'
            f"{rng.randrange(10000, 99999)}</code-FORMACODE>\n"
            for i in range(rng.randrange(1, 4))
        )
        intitule = f"{title} – parcours {rng.choice(['qualifiant', 'certifiant', 'modulaire'])}"
        return (
            f'<formation numero="{numero}" datemaj="2026{rng.randrange(1, 13):02d}01">\n<domaine-formation>\n'
            + formacodes
            + f"<code-NSF>{rng.randrange(100, 999)}</code-NSF>\n"
            + "".join(f"<code-ROME>{code}</code-ROME>\n" for code in dict.fromkeys(romes))
            + f"</domaine-formation>\n<intitule-formation>{escape(intitule[:255])}</intitule-formation>\n"
            f"<objectif-formation>{escape(title)} : {texts['objectif-formation']}</objectif-formation>\n"
            f"<resultats-attendus>{texts['resultats-attendus']}</resultats-attendus>\n"
            f"<contenu-formation>{texts['contenu-formation']}</contenu-formation>\n"
            f"<certifiante>{rng.randrange(2)}</certifiante>\n"
            f"<contact-formation>\n<coordonnees>\n<courriel>info@formation.example</courriel>\n</coordonnees>\n"
            f"</contact-formation>\n<parcours-de-formation>{rng.randrange(1, 5)}</parcours-de-formation>\n"
            f"<code-niveau-entree>{rng.choice(['0', '1', '4', '5', '6'])}</code-niveau-entree>\n"
            f"<certification>\n<code-RNCP>{rng.randrange(100, 40000)}</code-RNCP>\n"
            f"<code-CERTIFINFO>{rng.randrange(1000, 120000)}</code-CERTIFINFO>\n</certification>\n"
            f"<code-niveau-sortie>{rng.choice(['4', '5', '6', '7'])}</code-niveau-sortie>\n"
            f"<url-formation>\n<urlweb>www.formation.example/{numero}</urlweb>\n</url-formation>\n"
            + actions
            + organisme
            + f'<extras info="FORMATION">\n<extra info="FOR_ID">{index}</extra>\n</extras>\n</formation>\n'
        )


def generate(output: Path, size_mb: float, seed: int = 2026) -> dict[str, int]:
    """Write formations until the file reaches `size_mb` megabytes (10^6 bytes); returns counts."""
    generator = Generator(seed)
    target = int(size_mb * 1_000_000)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(output.suffix + ".part")
    written = formations = 0
    footer = b"</offres>\n</lheo>\n"
    with open(tmp, "wb") as handle:
        buffer = io.BufferedWriter(handle, buffer_size=1 << 20)
        header = b'<?xml version="1.0" encoding="UTF-8"?>\n<lheo xmlns="http://lheo.gouv.fr/2.3">\n<offres>\n'
        buffer.write(header)
        written += len(header)
        while written + len(footer) < target or formations == 0:
            chunk = generator.formation(formations).encode()
            buffer.write(chunk)
            written += len(chunk)
            formations += 1
        buffer.write(footer)
        buffer.flush()
    tmp.replace(output)
    return {"bytes": written + len(footer), "formations": formations}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    result = generate(args.output, args.size_mb, args.seed)
    print(
        f"{args.output}: {result['formations']} formations, {result['bytes'] / 1e6:.1f} MB", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
