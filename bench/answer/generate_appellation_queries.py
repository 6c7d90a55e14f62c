"""Generate bench/answer/appellations.jsonl: queries written from real ROME appellations, as people type them.

Deterministic (fixed seed): appellations are sampled across every grand domaine (proportionally, at least
MIN_PER_DOMAINE each), then each one is turned into ONE variant, in rotation:

- gender-m / gender-f: the masculine or the feminine form of a "Masculin / Féminin" label (ROME's own words);
- sans-accents: lowercase, no accents;
- faute: one realistic typo in one of the longest words (letter dropped, doubled, two letters swapped, a final
  "é" written "er" or "e", "é" written "e");
- phrase: embedded in a sentence ("je voudrais devenir …", "je cherche un travail de … à Brest");
- sms: SMS style ("jveu etre …", "chui … jcherche du taf"), lowercase, no accents, sometimes a letter dropped.

The variants are written from the labels only, never from the matcher's behaviour. Reads the ROME file the
product ships (data/rome_v4, else ../shared/data/rome_v4). Usage: python bench/answer/generate_appellation_queries.py
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SEED = 20261128
COUNT = 600
MIN_PER_DOMAINE = 20
OUT = Path(__file__).resolve().parent / "appellations.jsonl"
VARIANTS = ("gender-m", "gender-f", "sans-accents", "faute", "phrase", "sms")
FILE = "unix_referentiel_appellation_v460_utf8.csv"

PHRASES = (
    "je voudrais devenir {x}",
    "je cherche un travail de {x} à Brest",
    "mon rêve c'est d'être {x}",
    "j'aimerais travailler comme {x}, comment faire ?",
    "Bonjour, je souhaite me reconvertir pour devenir {x}. Quelles formations existent ?",
    "je suis en terminale et je voudrais être {x} plus tard",
    "Après 15 ans dans la vente je veux faire une formation de {x}",
    "quelles sont les études pour être {x} ?",
)
SMS = (
    "jveu etre {x}",
    "chui {x} jcherche du taf",
    "jvoudrai devenir {x} svp",
    "slt jsuis interessé par le metier de {x}",
    "kel formation pr etre {x}",
)


def _source() -> Path:
    for base in (ROOT / "data" / "rome_v4", ROOT.parent / "shared" / "data" / "rome_v4"):
        for name in (FILE, FILE + ".gz"):
            if (base / name).exists():
                return base / name
    raise SystemExit(f"{FILE} not found in data/rome_v4 or ../shared/data/rome_v4")


def _rows(path: Path) -> list[dict[str, str]]:
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as handle:
            raw = handle.read()
    else:
        raw = path.read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def plain(label: str) -> str:
    """The label as people would say it: no parenthesised acronym, no "- IBODE -" tail."""
    text = re.sub(r"\([^)]*\)", " ", label)
    text = re.sub(r"\s-\s?[A-Z]{2,}\s?-?", " ", text)
    return " ".join(text.split())


def typo(text: str, rng: random.Random) -> str:
    """One realistic typo in one of the two longest words (≥ 5 letters), the rest lowercased."""
    words = text.lower().split()
    long_words = sorted(
        (i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()), key=lambda i: -len(words[i])
    )
    if not long_words:
        return strip_accents(text.lower())
    i = rng.choice(long_words[:2])
    w = words[i]
    kinds = ["drop", "double", "swap"]
    if w.endswith("é") or w.endswith("er"):
        kinds.append("final")
    if "é" in w or "è" in w:
        kinds.append("accent")
    kind = rng.choice(kinds)
    j = rng.randrange(1, len(w) - 1)
    if kind == "drop":
        w = w[:j] + w[j + 1 :]
    elif kind == "double":
        w = w[: j + 1] + w[j] + w[j + 1 :]
    elif kind == "swap":
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == "final":
        w = w[:-1] + "er" if w.endswith("é") else w[:-2] + rng.choice(["é", "ez", "e"])
    else:
        w = w.replace("é", "e", 1).replace("è", "e", 1)
    words[i] = w
    return " ".join(words)


def _stem(word: str) -> str:
    return strip_accents(word.lower())[:3]


def gender_form(label: str, feminine: bool) -> str:
    """One gender form of a "Masculin complément / Féminin complément" label (written here, independently of
    the product's parser): the last k words before " / " pair with the first k after it, when their stems agree;
    the words before them and after them are shared."""
    if " / " not in label:
        return label
    left, right = label.split(" / ", 1)
    lw, rw = left.split(), right.split()
    paired = 1
    for k in range(min(len(lw), len(rw)), 0, -1):
        if all(_stem(m) == _stem(f) for m, f in zip(lw[-k:], rw[:k], strict=True)):
            paired = k
            break
    if feminine:
        return " ".join(lw[: len(lw) - paired] + rw)
    return " ".join(lw + rw[paired:])


def make(label: str, variant: str, rng: random.Random) -> str:
    if variant == "gender-m":
        return gender_form(label, False)
    if variant == "gender-f":
        return gender_form(label, True)
    spoken = plain(gender_form(label, rng.random() < 0.5))
    if variant == "sans-accents":
        return strip_accents(spoken.lower())
    if variant == "faute":
        return typo(spoken, rng)
    if variant == "phrase":
        return rng.choice(PHRASES).format(x=spoken.lower() if rng.random() < 0.7 else spoken)
    words = strip_accents(spoken.lower())
    if rng.random() < 0.3:
        words = typo(words, rng)
    return rng.choice(SMS).format(x=words)


def main() -> None:
    rng = random.Random(SEED)
    rows = [r for r in _rows(_source()) if r.get("peu_usite", "N") != "O"]
    by_domaine: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r["code_ogr"].zfill(9)):
        by_domaine[row["code_rome"][0]].append(row)
    total = sum(len(v) for v in by_domaine.values())
    picked: list[dict[str, str]] = []
    for domaine in sorted(by_domaine):
        pool = by_domaine[domaine]
        want = max(MIN_PER_DOMAINE, round(COUNT * len(pool) / total))
        picked.extend(rng.sample(pool, min(want, len(pool))))
    rng.shuffle(picked)
    lines = []
    for n, row in enumerate(picked, 1):
        variant = VARIANTS[n % len(VARIANTS)]
        text = make(row["libelle_appellation_long"], variant, rng)
        lines.append(
            {
                "id": f"app-{n:04d}",
                "text": text,
                "variant": variant,
                "appellation": row["code_ogr"],
                "libelle": row["libelle_appellation_long"],
                "expected": {"rome": [row["code_rome"]]},
            }
        )
    with open(OUT, "w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{len(lines)} queries written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
