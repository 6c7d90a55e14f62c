"""Which ROME fiches a free French text talks about: lexical matching of the text against every appellation.

Why lexical and in memory: the answer must come in well under 50 ms, work without any model, and reuse the
search normaliser so that what works in the search box (activity nouns, slang, gender and plural forms, missing
accents) works here too. The steps (docs/answer-metiers.md):

1. The index, built once per process (`warm`): every active appellation (both gender forms of its
   "Masculin / Féminin" label) and every fiche label becomes an entry, a tuple of normalised tokens; idf weights
   over the entries; an inverted index token → entries. It is rebuilt when the ROME referential changes (a key made
   of the last successful ROME import and the largest appellation and fiche codes, checked per call with one
   small primary-key query).
2. The text: words → normaliser tokens with their position; a word the index does not know, that is not a French
   word of the search index either, gets its one-edit corrections (search's `corrections`), or two edits for
   long words; cue words tell whether a phrase speaks of the wanted job ("devenir", "je veux être",
   "reconversion", "passer"…) or of the current one ("je suis", "depuis", "actuellement"…).
3. Each entry touched by a token is scored: matched idf × coverage of the entry's idf, × a contiguity bonus when
   the matched words follow each other in the text, × a boost when they sit in a "wanted job" phrase. A fiche
   takes its best entry, with a small bonus for the number of its entries that match too (a fiche whose many
   appellations share the word is the one the word means), and the weak evidence of its compétences and
   activities (only when the labels are not enough).
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np
from django.apps import apps
from django.db import connection

from spro.answer.types import MetierMatch
from spro.core.cache import KeyedCache
from spro.core.normaliser import STOP_WORDS, fold, fold_word, get_normaliser, split_words
from spro.search.details import split_gender

MAX_WORDS = 600  # ~3,500 characters: a long story names the job long before; bounds the time
MAX_CORRECTIONS = 12  # unknown words corrected per text (each costs ~0.5 ms)
TYPO_MIN_LETTERS = 5
TYPO2_MIN_LETTERS = 9
TYPO_WEIGHT = 0.8
TYPO2_WEIGHT = 0.6
MIN_COVERAGE = 0.34  # at least a third of an entry's weight must be in the text
CONTIGUITY_BONUS = 0.5  # all the entry's matched words adjacent and in order: × 1.25
WANTED_BOOST = 1.35  # the entry's words are in a "wanted job" phrase
CURRENT_FACTOR = 0.95  # …or in a "current job" phrase (still listed, after the wanted one)
WANTED_TIER_MIN = 0.3  # a wanted-job fiche goes first if its score is at least 0.3 × the best
SUPPORT_BONUS = 0.06  # × (1 + 0.06 × log2(1 + other entries of the fiche with the same words))
EVIDENCE_WEIGHT = 0.15  # compétences/activities: at most this share of the score
FICHE_LABEL_FACTOR = 1.0
COVERAGE_POWER = 1.5  # score = matched idf × coverage ** COVERAGE_POWER

# Cue words, in folded form (`fold`), matched on the raw words before stop words are dropped.
_WANTED_CUES = (
    "devenir",
    "deviens",
    "reconversion",
    "reconvertir",
    "passer",
    "evoluer",
    "vers",
    "reve",
    "envie",
    "futur",
    "future",
    "apprendre",
    "formation",
    "former",
    "jveu",
    "jvoudrai",
)
_WANTED_PHRASES = (
    ("veux", "etre"),
    ("voudrais", "etre"),
    ("aimerais", "etre"),
    ("souhaite", "etre"),
    ("d", "etre"),
    ("veu", "etre"),
    ("veux", "faire"),
    ("voudrais", "faire"),
    ("aimerais", "faire"),
    ("metier", "de"),
)
_CURRENT_CUES = (
    "suis",
    "chui",
    "jsui",
    "jsuis",
    "suis",
    "actuellement",
    "depuis",
    "ancien",
    "ancienne",
    "etais",
    "etait",
    "ete",
    "travaille",
    "bosse",
    "poste",
    "actuel",
    "actuelle",
)
#: Function words the search normaliser keeps (they are harmless in a search box) but that, in a story, would
#: match appellations by accident ("auprès" of "Auxiliaire de vie sociale auprès d'enfants").
MATCH_STOP_WORDS = frozenset(
    {
        "aupres", "apres", "avant", "depuis", "pendant", "ici", "peu", "peut", "bien", "aussi", "deja", "encore",
        "toujours", "jamais", "alors", "puis", "enfin", "autre", "autres", "meme", "memes", "avoir", "fait", "plus",
    }
)  # fmt: skip
#: Words that head or qualify a few appellations ("Patron / Patronne à la pêche", "Premier / Première d'atelier",
#: "Deuxième assistant opérateur", "Apprenti / Apprentie paysagiste", "Ingénieur de contrats industriels") but that a
#: story uses for something else ("mon patron", "en deuxième année", "mon premier emploi", "je suis apprenti",
#: "mon ancien métier", "mon contrat"): an appellation matched by such words only is not a métier the person named.
STORY_WORDS = frozenset(
    {
        "patron", "patronne", "premier", "premiere", "deuxieme", "second", "seconde", "troisieme", "apprenti",
        "apprentie", "ancien", "ancienne", "nouveau", "nouvelle", "jeune", "petit", "petite", "grand", "grande",
        "contrat", "contrats",
        # Words of the person's situation (issue 12): « en troisième au collège », « après le lycée », « mon fils »,
        # « une formation », « en France » name no métier on their own (« Directeur de collège », « Façonnier
        # d'ouvrages en fils », « Conseiller de France Travail »).
        "college", "lycee", "ecole", "classe", "cours", "etude", "etudes", "formation", "formations", "stage",
        "emploi", "boulot", "metier", "metiers", "fils", "fille", "famille", "maison", "france", "pays", "plus",
        "tard", "alternance", "apprentissage", "diplome", "reconnaissance", "domaine", "secteur", "apres", "avant",
    }
)  # fmt: skip
#: Phrases naming a person met, not a métier wanted (« le médecin du travail m'a déclaré inapte », « ma conseillère
#: France Travail »): blanked before matching. Without a determiner (« devenir médecin du travail ») they stay.
SITUATION_PHRASES = re.compile(
    r"\b(?:le|la|mon|ma|du|au|par le|chez le|chez mon|un|une) (?:medecin|docteur) (?:du travail|traitant|traitante|"
    r"generaliste|de famille)\b|\b(?:mon|ma|le|la|un|une|ta|sa) conseill\w* (?:de |d'|d )?"
    r"(?:france travail|pole emploi|mission locale|cap emploi|orientation)\b|\bfrance travail\b|\bpole emploi\b"
)
#: Activity nouns the search synonyms do not turn into the job noun: « alternance en développement web » is about
#: « Développeur web ». The job noun is added beside the written word (the word itself still counts).
ACTIVITY_ALIASES = {
    "developpement": "developpeur",
    "maconnerie": "macon",
    "patisserie": "patissier",
    "electricite": "electricien",
    "secretariat": "secretaire",
    "graphisme": "graphiste",
    "infographie": "infographiste",
    "elevage": "eleveur",
    "hotellerie": "hotelier",
}
ALIAS_WEIGHT = 0.9
#: Words saying the person wants to leave the job they describe (« je veux changer de métier », « j'ai mal au
#: dos », « j'en ai marre »): that job is then not offered as a target.
_LEAVE = re.compile(
    r"\b(?:changer (?:de |d )?(?:metier|voie|domaine|travail|boulot|job|secteur|vie)|reconver\w*|reconvertir|"
    r"quitter|plus faire|en ai marre|marre de|ne peux plus|peux plus|mal au dos|epuise|epuisee|burn out|"
    r"allergi\w*|autre chose|autre metier|nouveau metier)\b"
)
#: The cues that name a target job firmly (« devenir », « je veux être »): with one, the other fiches of the story
#: (the current job above all) are not targets.
_STRONG_WANTED = re.compile(
    r"\b(?:devenir|deviens|reconvertir|reconversion|(?:veux|voudrais|aimerais|souhaite|veu) (?:etre|devenir))\b"
)
_CLAUSE = re.compile(r"[.;!?\n]+|\bmais\b")


@dataclass(frozen=True)
class Interest:
    """What a person likes, as they say it, and the ROME 4.0 centres d'intérêt (and RIASEC letters) it leads to."""

    said: str  # « les animaux »: shown in the reason
    pattern: re.Pattern[str]  # over the folded text
    centres: tuple[str, ...]  # codes of rome.CentreInteret
    riasec: str  # RIASEC letters of the métiers that suit it best (a tie-break inside the centres)


def _interest(said: str, words: str, centres: tuple[str, ...], riasec: str) -> Interest:
    return Interest(said, re.compile(rf"\b(?:{words})\b"), centres, riasec)


#: Interests people state (« j'aime les animaux et le dessin », « passionné de jeux vidéo »). An interest is not a
#: métier: it leads to the métiers of its centres d'intérêt, with the reason shown.
INTERESTS: tuple[Interest, ...] = (
    _interest("les animaux",
        r"animal|animaux|animale|animales|betes|"
        r"chiens?|chats?|chevaux|cheval|equitation", ("17",), "R"),
    _interest("le dessin", r"dessin|dessins|dessiner|dessine|crayon|bd|manga|mangas|illustration", ("7",), "A"),
    _interest("la nature",
        r"nature|dehors|plein air|exterieur|foret|"
        r"forets|plantes|jardin|jardiner|jardinage", ("9",), "R"),
    _interest("l'environnement", r"environnement|planete|ecologie|climat", ("20",), "RI"),
    _interest("le travail manuel",
        r"bricoler|bricolage|de mes mains|"
        r"avec mes mains|manuel|manuelle|manuels", ("14",), "R"),
    _interest("construire", r"construire|construction|renover|batiment", ("1",), "R"),
    _interest("le sport",
        r"sport|sports|sportif|sportive|activite physique|"
        r"bouger|foot|football|basket|natation", ("13",), "RS"),
    _interest("la cuisine", r"cuisine|cuisiner|patisserie|gastronomie|cuisinier", ("27",), "RA"),
    _interest("les enfants", r"enfants|enfant|bebes|petite enfance", ("21",), "S"),
    _interest(
        "prendre soin des autres",
        r"(?:occuper|prendre soin|aider|soigner) (?:des |les |de )?(?:autres|"
        r"gens|personnes|malades|personnes agees)|soigner|soins",
        ("22",),
        "S",
    ),
    _interest("le contact", r"contact|relationnel|rencontrer des gens", ("4",), "SE"),
    _interest(
        "l'informatique et le numérique",
        r"informatique|ordinateurs?|ordi|jeux? videos?|numerique|"
        r"nouvelles technologies|coder|programmation|internet|robotique",
        ("29",),
        "IR",
    ),
    _interest("les chiffres", r"maths|mathematiques|chiffres|calcul|calculs", ("15",), "CI"),
    _interest("conduire", r"conduire|conduite|piloter|camions?|voitures?|motos?", ("19",), "R"),
    _interest("voyager", r"voyager|voyages?|bouger dans le monde|decouvrir le monde", ("16",), "E"),
    _interest("l'art",
        r"art|arts|artiste|musique|theatre|chanter|"
        r"chant|danse|danser|photos?|photographie|cinema", ("30",), "A"),
    _interest("écrire", r"ecrire|ecriture|lire|lecture|litterature", ("12",), "A"),
    _interest("transmettre", r"transmettre|enseigner|expliquer|apprendre aux autres", ("24",), "S"),
    _interest("protéger et secourir", r"proteger|secourir|sauver des vies|secours", ("23",), "RS"),
    _interest("les sciences", r"sciences?|biologie|chimie|physique|experiences|decouvertes", ("10",), "I"),
    _interest("le commerce", r"vendre|vente|commerce|negocier|business", ("3",), "E"),
    _interest("organiser", r"organiser|planifier|organisation", ("18",), "C"),
    _interest("les autres cultures", r"langues|cultures|autres pays", ("28",), "S"),
)  # fmt: skip
#: An interest counts when a liking is said just before it (« j'aime », « passionnée de », « travailler avec »).
_LIKING = re.compile(
    r"\b(?:aime|aimes|aimons|aiment|adore|adores|adorent|aimerai|aimerais|kiffe|passionne|passionnee|passion|"
    r"interesse|interessee|interessent|attire|attiree|plait|plaisent|fan|fort|forte|bon|bonne|doue|douee|"
    r"travailler avec|travailler dans|bosser avec|occuper|metier avec|metier dans|"
    r"metiers avec|metiers dans|domaine de|domaine du)\b"
)
LIKING_WINDOW = 6  # words between the liking and the interest
MAX_INTEREST_METIERS = 5
OPENING_WORDS = 6  # a job named in the first words of a text describes the writer (« Infirmière épuisée, … »)


@dataclass
class _Entry:
    label: str  # the appellation's label as in ROME (or the fiche's)
    code_rome: str
    tokens: tuple[str, ...]  # unique, in label order
    total: float  # sum of the tokens' idf
    is_fiche: bool


@dataclass
class _Index:
    key: tuple
    entries: list[_Entry]
    postings: dict[str, list[int]]
    posting_arrays: dict[str, np.ndarray]
    story_tokens: frozenset[str]  # STORY_WORDS as index tokens
    totals: np.ndarray  # each entry's total idf
    idf: dict[str, float]
    df: dict[str, int]
    fiche_labels: dict[str, str]
    parents: dict[str, str]
    evidence: dict[str, list[tuple[str, float]]]  # token → [(code_rome, weight)]
    known_words: frozenset[str]  # tokens of the search index: real words, not typos
    deletes: dict[str, list[tuple[str, str]]]  # deletion keys → (written form, index token), for typos
    centres: dict[str, list[tuple[str, bool]]]  # centre d'intérêt code → [(code_rome, principal)]
    centre_labels: dict[str, str]  # centre d'intérêt code → its label (« J'aime m'occuper des animaux »)
    riasec: dict[str, str]  # code_rome → its RIASEC letters (major then minor)
    breadth: dict[str, int]  # code_rome → number of its appellations (a broad, common métier has many)


# --- Index -------------------------------------------------------------------------------------------------------


def _referential_key() -> tuple:
    """What changes when the ROME referential changes: the last successful ROME import and the largest codes
    (primary-key lookups only: ~0.2 ms, where COUNT(*) took 3 ms on PostgreSQL). An edit that is not an import
    and adds no new largest code is seen at the next import or restart."""
    appellation = apps.get_model("rome", "Appellation")._meta.db_table
    fiche = apps.get_model("rome", "FicheMetier")._meta.db_table
    run = apps.get_model("referentials", "ImportRun")._meta.db_table
    with connection.cursor() as cursor:
        # Table names come from the models, never from input.
        sql = (
            f"SELECT (SELECT MAX(code_ogr) FROM {appellation}), (SELECT MAX(code_rome) FROM {fiche}),"  # noqa: S608
            f" (SELECT MAX(id) FROM {run} WHERE dataset = 'rome' AND status = 'success')"
        )
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _label_forms(label: str) -> list[tuple[str, ...]]:
    """The token tuples of a label's masculine and feminine forms (one when they fold to the same tokens)."""
    normaliser = get_normaliser()
    forms: list[tuple[str, ...]] = []
    for form in dict.fromkeys(split_gender(label)):
        toks = tuple(dict.fromkeys(t for t in normaliser.tokens(form) if t not in MATCH_STOP_WORDS))
        if toks and toks not in forms:
            forms.append(toks)
    return forms


def _deletes(word: str, depth: int = 2) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _build(key: tuple) -> _Index:
    Appellation = apps.get_model("rome", "Appellation")
    FicheMetier = apps.get_model("rome", "FicheMetier")
    fiches = {
        code: (libelle, parent or code)
        for code, libelle, parent in FicheMetier.objects.filter(is_active=True).values_list(
            "code_rome", "libelle", "parent_id"
        )
    }
    raw: list[tuple[str, str, tuple[str, ...], bool]] = []
    for code, (label, _parent) in sorted(fiches.items()):
        for toks in _label_forms(label):
            raw.append((label, code, toks, True))
    rows = Appellation.objects.filter(is_active=True, fiche__is_active=True).values_list(
        "libelle_long", "fiche_id"
    )
    for label, code in rows.order_by("code_ogr"):
        for toks in _label_forms(label):
            raw.append((label, code, toks, False))
    # Identical token tuples of the same fiche count once (the fiche label first: it names the fiche best).
    seen: set[tuple[str, tuple[str, ...]]] = set()
    unique = []
    for label, code, toks, is_fiche in raw:
        if (code, toks) not in seen:
            seen.add((code, toks))
            unique.append((label, code, toks, is_fiche))
    # idf over FICHES, not entries: a word shared by the 40 appellations of one fiche ("électricien") names it
    # well, a word spread over 30 fiches ("apprenti", "responsable") does not.
    fiches_of: dict[str, set[str]] = defaultdict(set)
    df: dict[str, int] = defaultdict(int)
    for _label, code, toks, _f in unique:
        for t in toks:
            df[t] += 1
            fiches_of[t].add(code)
    n = len(fiches)
    idf = {t: math.log(1.0 + n / len(codes)) for t, codes in fiches_of.items()}
    entries: list[_Entry] = []
    postings: dict[str, list[int]] = defaultdict(list)
    for label, code, toks, is_fiche in unique:
        for t in toks:
            postings[t].append(len(entries))
        entries.append(_Entry(label, code, toks, sum(idf[t] for t in toks), is_fiche))
    # Typo targets: the tokens AND the written words of the labels (folded, before the gender rules), each
    # mapped to its token, so that "redactice" (one edit from "redactrice") reaches "redacteur".
    surfaces: dict[str, str] = {t: t for t in idf}
    normaliser = get_normaliser()
    for label, _code, _toks, _f in unique:
        for word in split_words(label):
            word_toks = normaliser.word_tokens(word)
            if len(word_toks) == 1 and word_toks[0] in idf:
                surfaces.setdefault(word, word_toks[0])
    deletes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for surface, t in surfaces.items():
        if len(surface) >= TYPO_MIN_LETTERS - 1 and surface.isalpha():
            for d in _deletes(surface, 2 if len(surface) >= TYPO2_MIN_LETTERS - 1 else 1):
                deletes[d].append((surface, t))
    return _Index(
        key=key,
        entries=entries,
        postings=dict(postings),
        posting_arrays={t: np.array(ids, dtype=np.int64) for t, ids in postings.items()},
        story_tokens=frozenset(t for word in STORY_WORDS for t in normaliser.word_tokens(word)),
        totals=np.array([entry.total for entry in entries]),
        idf=idf,
        df=dict(df),
        fiche_labels={code: label for code, (label, _p) in fiches.items()},
        parents={code: parent for code, (_l, parent) in fiches.items()},
        evidence=_evidence(fiches),
        known_words=_known_words(),
        deletes=dict(deletes),
        **_interest_data(fiches),
    )


def _interest_data(fiches: dict[str, tuple[str, str]]) -> dict:
    """ROME 4.0's centres d'intérêt with their fiches, the fiches' RIASEC letters and breadth (appellations)."""
    CentreInteret = apps.get_model("rome", "CentreInteret")
    FicheCentreInteret = apps.get_model("rome", "FicheCentreInteret")
    FicheMetier = apps.get_model("rome", "FicheMetier")
    Appellation = apps.get_model("rome", "Appellation")
    centres: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    links = FicheCentreInteret.objects.filter(centre_interet__is_active=True).values_list(
        "centre_interet_id", "fiche_id", "principal"
    )
    for centre, code, principal in links.order_by("centre_interet_id", "fiche_id"):
        if code in fiches:
            centres[centre].append((code, bool(principal)))
    breadth: dict[str, int] = defaultdict(int)
    for code in Appellation.objects.filter(is_active=True).values_list("fiche_id", flat=True).iterator(2000):
        breadth[code] += 1
    return {
        "centres": dict(centres),
        "centre_labels": dict(CentreInteret.objects.values_list("code", "libelle")),
        "riasec": {
            code: f"{major or ''}{minor or ''}"
            for code, major, minor in FicheMetier.objects.values_list(
                "code_rome", "riasec_majeur", "riasec_mineur"
            )
        },
        "breadth": dict(breadth),
    }


def _evidence(fiches: dict[str, tuple[str, str]]) -> dict[str, list[tuple[str, float]]]:
    """Weak evidence: the words of each fiche's core compétences and activities, tf-idf weighted per fiche."""
    FicheCompetence = apps.get_model("rome", "FicheCompetence")
    normaliser = get_normaliser()
    words: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = FicheCompetence.objects.filter(fiche__is_active=True).values_list(
        "fiche_id", "competence__libelle"
    )
    for code, label in rows.iterator(chunk_size=5000):
        for t in set(normaliser.tokens(label)):
            words[code][t] += 1
    df: dict[str, int] = defaultdict(int)
    for counts in words.values():
        for t in counts:
            df[t] += 1
    n = max(len(words), 1)
    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for code, counts in words.items():
        if code not in fiches:
            continue
        norm = math.sqrt(sum(c for c in counts.values())) or 1.0
        for t, c in counts.items():
            # A word in most fiches says nothing; one in a handful of fiches, many times, says a lot.
            if df[t] <= n // 20:
                out[t].append((code, c * math.log(n / df[t]) / norm))
    return dict(out)


def _known_words() -> frozenset[str]:
    """Real French words, not to be corrected as typos: the search index's vocabulary, and the words of the ROME
    texts themselves (fiche definitions, access, compétence labels), which are there even before any index build."""
    SearchVocabulary = apps.get_model("search", "SearchVocabulary")
    FicheMetier = apps.get_model("rome", "FicheMetier")
    Competence = apps.get_model("rome", "Competence")
    words = set(SearchVocabulary.objects.values_list("token", flat=True))
    normaliser = get_normaliser()
    texts = FicheMetier.objects.values_list("definition", "acces_metier")
    for definition, acces in texts.iterator(chunk_size=500):
        words.update(normaliser.tokens(f"{definition} {acces}"))
    for label in Competence.objects.values_list("libelle", flat=True).iterator(chunk_size=5000):
        words.update(normaliser.tokens(label))
    return frozenset(words)


#: The one index of the process (key "rome"), rebuilt when `_referential_key()` changes; the typo corrections
#: derived from the previous index are dropped then.
_INDEX: KeyedCache[str, _Index] = KeyedCache(
    lambda _name, key: _build(key),
    lambda _name: _referential_key(),
    on_built=lambda _name, _index: _forget_corrections(),
)


def get_index() -> _Index:
    """The index of the current referential (its key is checked at every call: one small query, so that a test
    or a worker never answers from a referential that changed)."""
    return _INDEX.get("rome")


def clear_index() -> None:
    """Forget the index (tests whose referential is rolled back: the next one must not see it)."""
    _INDEX.clear()
    _corrections.cache_clear()


def warm(model: str | None = None) -> None:
    """Build (or check) the in-memory index now, so that the first request does not pay for it (~2 s); with
    `model`, load that embedding re-ranker and its fiche vectors too (spro.answer.embeddings)."""
    index = get_index()
    if model and model != "none":
        from spro.answer import embeddings

        embeddings.warm(model, index)


# --- Text --------------------------------------------------------------------------------------------------------


@dataclass
class _Token:
    token: str
    weight: float
    pos: int
    zone: int  # +1 wanted job, -1 current job, 0 unknown


@functools.lru_cache(maxsize=20_000)
def _corrections(word: str) -> tuple[tuple[str, float], ...]:
    """Index tokens close to an unknown word: one edit, or two for words of TYPO2_MIN_LETTERS letters or more.

    A deletion index (symmetric delete): both the written word and its folded form (gender/plural rules) are
    compared with the index tokens and the labels' written words, so "plombié" reaches "plombier", "boulangé"
    "boulanger" and "redactice" "redacteur" (by "redactrice"). The closest
    tokens first, then the most frequent. (search's `corrections` runs the normaliser on every edit: ~100 ms for
    a cold word, too slow here.)
    """
    index = _INDEX.current("rome")
    if index is None:
        return ()
    limit = 2 if len(word) >= TYPO2_MIN_LETTERS else 1
    found: dict[str, int] = {}
    for variant in {word, fold_word(word)}:
        for d in _deletes(variant, limit):
            for surface, t in index.deletes.get(d, ()):
                dist = _damerau(variant, surface)
                if dist <= limit and dist < found.get(t, 9):
                    found[t] = dist
    if not found:
        return ()
    closest = min(found.values())
    best = sorted((t for t, d in found.items() if d == closest), key=lambda t: (-index.df[t], t))[:3]
    weight = TYPO_WEIGHT if closest <= 1 else TYPO2_WEIGHT
    return tuple((t, weight) for t in best)


def _forget_corrections() -> None:
    _corrections.cache_clear()


def _damerau(a: str, b: str) -> int:
    """Optimal string alignment distance (adjacent transpositions count one)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def _zones(words: list[str]) -> list[int]:
    """Per word: +1 inside a phrase about the wanted job, -1 about the current one, 0 otherwise."""
    zones = [0] * len(words)
    zone = 0
    for i, w in enumerate(words):
        if w == "\x00":  # clause boundary
            zone = 0
            continue
        if w in _WANTED_CUES or (i and (words[i - 1], w) in _WANTED_PHRASES):
            zone = 1
        elif w in _CURRENT_CUES:
            zone = -1
        zones[i] = zone
    # « Cariste à Rennes depuis 15 ans », « Boulanger depuis 20 ans » : a job named before a current-job cue of the
    # same clause, with no wanted-job cue between them, is the current job too.
    pending = False
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if w == "\x00" or zones[i] == 1:
            pending = False
        elif w in _CURRENT_CUES:
            pending = True
        elif pending and zones[i] == 0:
            zones[i] = -1
    return zones


def _text_tokens(text: str, index: _Index) -> list[_Token]:
    normaliser = get_normaliser()
    words: list[str] = []
    for clause in _CLAUSE.split(SITUATION_PHRASES.sub(" ; ", fold(text))):
        words.extend(split_words(clause))
        words.append("\x00")
        if len(words) > MAX_WORDS:
            break
    words = words[:MAX_WORDS]
    zones = _zones(words)
    out: list[_Token] = []
    folded = [fold_word(w) for w in words]
    corrected = 0
    pos = 0
    i = 0
    while i < len(words):
        word = words[i]
        if word == "\x00":
            pos += 2  # no contiguity across clauses
            i += 1
            continue
        key = normaliser.phrase_at(folded, i) if folded[i] in normaliser.phrase_starts else None
        if key:
            expansion = [fold_word(w) for w in normaliser.multi[key] if w not in STOP_WORDS]
            # The words written are the evidence: an expansion longer than them shares their weight.
            weight = min(1.0, len(key) / max(1, len(expansion)))
            for t in expansion:
                if t in index.idf:
                    out.append(_Token(t, weight, pos, zones[i]))
                    pos += 1
            i += len(key)
            continue
        i += 1
        toks = [t for t in normaliser.word_tokens(word) if t not in MATCH_STOP_WORDS]
        if not toks:
            pos += 1  # a stop word: still a gap between two words
            continue
        weight = 1.0 / len(toks)  # "ifsi" → 4 tokens: still one written word of evidence
        alias = ACTIVITY_ALIASES.get(folded[i - 1]) or ACTIVITY_ALIASES.get(word)
        if alias:
            for t in normaliser.word_tokens(alias):
                if t in index.idf and t not in toks:
                    out.append(_Token(t, ALIAS_WEIGHT * weight, pos, zones[i - 1]))
        for t in toks:
            if t in index.idf:
                out.append(_Token(t, weight, pos, zones[i - 1]))
            elif (
                len(word) >= TYPO_MIN_LETTERS
                and word.isalpha()
                and t not in index.known_words
                and corrected < MAX_CORRECTIONS
            ):
                corrected += 1
                for fix, fix_weight in _corrections(word):
                    out.append(_Token(fix, fix_weight * weight, pos, zones[i - 1]))
            pos += 1
    return out


# --- Matching ----------------------------------------------------------------------------------------------------


def match_metiers(
    text: str, *, limit: int = 5, model: str | None = None, described: list[MetierMatch] | None = None
) -> list[MetierMatch]:
    """The ROME fiches the text talks about, best first, with the matched appellation and a score in 0..1.

    `model` names an embedding re-ranker (spro.answer.embeddings); None or "none" is the lexical matcher alone.
    Never raises on odd text: garbage, another language or an empty string give [].
    `described`, when given, receives the fiches the text names as the person's current job (« je suis cariste »,
    « boulanger depuis 20 ans »), listed or not: the person works (service.py reads it for the statut).
    """
    if not isinstance(text, str) or not text.strip() or limit <= 0:
        return []
    index = get_index()
    if model and model != "none":
        from spro.answer import embeddings

        pool = _lexical(text, index, max(limit, embeddings.RERANK_POOL), described)
        return embeddings.rerank(text, pool, index=index, model=model, limit=limit)
    return _lexical(text, index, limit, described)


def _lexical(
    text: str, index: _Index, limit: int, described: list[MetierMatch] | None = None
) -> list[MetierMatch]:
    tokens = _text_tokens(text, index)
    if not tokens:
        return []
    # Each token once, with its best weight, its positions and its zone (wanted wins over current).
    best: dict[str, float] = {}
    positions: dict[str, list[int]] = defaultdict(list)
    zone: dict[str, int] = {}
    for tok in tokens:
        best[tok.token] = max(best.get(tok.token, 0.0), tok.weight)
        positions[tok.token].append(tok.pos)
        zone[tok.token] = max(zone.get(tok.token, -1), tok.zone) if tok.zone else zone.get(tok.token, 0)
    # Accumulated over every entry at once (numpy): a long story touches thousands of entries.
    weighted = np.zeros(len(index.entries))
    raw = np.zeros(len(index.entries))
    for t, w in best.items():
        ids = index.posting_arrays[t]
        weighted[ids] += index.idf[t] * w  # each entry once per token: no repeated index
        raw[ids] += index.idf[t]
    kept = np.nonzero(weighted >= MIN_COVERAGE * index.totals)[0]
    matched = {int(e): float(weighted[e]) for e in kept}
    m_raw = {int(e): float(raw[e]) for e in kept}  # unweighted idf of the matched words, for the zone shares
    support: dict[tuple[str, frozenset[str]], int] = defaultdict(int)
    fiche_label_words: set[tuple[str, frozenset[str]]] = set()
    candidates: list[tuple[float, int, frozenset[str], float, bool, bool]] = []
    for e, m in matched.items():
        entry = index.entries[e]
        coverage = m / entry.total
        if coverage < MIN_COVERAGE:
            continue
        words = frozenset(t for t in entry.tokens if t in best)
        if words <= index.story_tokens:
            continue  # "mon patron", "en deuxième année": not a métier named
        score = m * coverage**COVERAGE_POWER
        if len(words) > 1:
            score *= 1 + CONTIGUITY_BONUS * _contiguity(entry.tokens, positions)
        # A wanted job: most of the matched words are in a "wanted" phrase, the label's head word (the job noun:
        # "infirmier" in "Infirmier en soins généraux") among them.
        head = entry.tokens[0]
        wanted = (
            head in words
            and zone[head] == 1
            and sum(index.idf[t] for t in words if zone[t] == 1) * 2 >= m_raw[e]
        )
        if wanted:
            score *= WANTED_BOOST
        current = not wanted and sum(index.idf[t] for t in words if zone[t] == -1) * 2 >= m_raw[e]
        if current:
            score *= CURRENT_FACTOR
        candidates.append((score, e, words, coverage, wanted, current))
        support[(entry.code_rome, words)] += 1
        if entry.is_fiche:
            fiche_label_words.add((entry.code_rome, words))
    scored: dict[str, _Scored] = {}
    for score, e, words, coverage, wanted, current in candidates:
        entry = index.entries[e]
        total = score * (1 + SUPPORT_BONUS * math.log2(support[(entry.code_rome, words)]))
        previous = scored.get(entry.code_rome)
        if previous is None or total > previous.score or (total == previous.score and entry.is_fiche):
            # Shown: the fiche label when it says the same words as the best appellation (it names the fiche).
            label = (
                index.fiche_labels[entry.code_rome]
                if (entry.code_rome, words) in fiche_label_words
                else entry.label
            )
            first_pos = min(p for t in words for p in positions[t])
            scored[entry.code_rome] = _Scored(total, label, coverage, wanted, words, current, first_pos)
    said = " ".join(split_words(text[: MAX_WORDS * 8]))
    interests = _interests(said)
    if not scored and not interests:
        return []
    out: list[MetierMatch] = []
    if scored:
        _add_evidence(scored, best, index)
        if described is not None:
            described.extend(
                MetierMatch(code, index.fiche_labels.get(code, item.label), item.label, 0.0)
                for code, item in sorted(scored.items(), key=lambda kv: -kv[1].score)
                if item.current
            )
        _drop_jobs_left(scored, said)
    interest_tokens = _interest_tokens(said, interests) | index.story_tokens
    interest_codes = _interest_ranking(
        interests, index, {c for c, item in scored.items() if interests and item.words <= interest_tokens}
    )
    # A fiche matched only by the words of an interest (« Professeur de dessin » for « j'aime le dessin ») is not
    # named: it stays only if the interest's centres d'intérêt lead to it, and then ranks with them.
    named = {c: item for c, item in scored.items() if not (interests and item.words <= interest_tokens)}
    if named:
        top = max(s.score for s in named.values())
        # The wanted job first: a fiche named in a "devenir / je veux être…" phrase, if not far below the best.
        ranked = sorted(
            named.items(),
            key=lambda kv: (not (kv[1].wanted and kv[1].score >= WANTED_TIER_MIN * top), -kv[1].score, kv[0]),
        )
        first = ranked[0][1]
        previous_value = 1.0
        for code, item in ranked:
            # 0..1: how much of its best appellation the text says, for the first; below it, by relative score
            # (never above the one before: the list is best first).
            value = min(previous_value, first.coverage * min(1.0, item.score / first.score) ** 0.5)
            previous_value = value
            out.append(
                MetierMatch(code, index.fiche_labels.get(code, item.label), item.label, round(value, 4))
            )
    if interest_codes:
        lexical = {c for c in scored if c not in named}
        ordered = sorted(interest_codes, key=lambda c: (c not in lexical, -interest_codes[c][0], c))
        value = min([m.score for m in out] + [0.5])
        for code in ordered:
            label = scored[code].label if code in scored else index.fiche_labels[code]
            out.append(
                MetierMatch(
                    code, index.fiche_labels[code], label, round(value, 4), raison=interest_codes[code][1]
                )
            )
    return _one_per_fiche(out, index)[:limit]


def _one_per_fiche(found: list[MetierMatch], index: _Index) -> list[MetierMatch]:
    """One entry per fiche: a child fiche and its parent (« Technicien R&D » and « Technicien de laboratoire de
    recherche-développement ») are one métier in the list; the first (best) of them is kept, with its appellation."""
    seen: set[str] = set()
    out = []
    for match in found:
        family = index.parents.get(match.code_rome, match.code_rome)
        if family not in seen:
            seen.add(family)
            out.append(match)
    return out


def _drop_jobs_left(scored: dict[str, _Scored], said: str) -> None:
    """The job the person wants to leave is not a target: with a firm target (« devenir X »), the current job goes,
    and so does a job the text opens with before naming the target (« Chauffeur routier de 50 ans, je voudrais
    devenir formateur »); when leaving is said (« changer de métier », « mal au dos »), the current job goes."""
    top = max(s.score for s in scored.values())
    tier = {code for code, s in scored.items() if s.wanted and s.score >= WANTED_TIER_MIN * top}
    if tier and _STRONG_WANTED.search(said):
        target_at = min(scored[code].first_pos for code in tier)
        for code in [c for c in scored if c not in tier]:
            item = scored[code]
            if item.current or (item.first_pos < target_at and item.first_pos <= OPENING_WORDS):
                del scored[code]
    elif _LEAVE.search(said):
        for code in [c for c, s in scored.items() if s.current]:
            del scored[code]


def _interests(said: str) -> list[Interest]:
    """The interests the text states after a liking (« j'aime les animaux et le dessin »), in text order."""
    likings = [m.end() for m in _LIKING.finditer(said)]
    if not likings:
        return []
    found: list[tuple[int, Interest]] = []
    for interest in INTERESTS:
        for match in interest.pattern.finditer(said):
            start = match.start()
            if any(end <= start and said.count(" ", end, start) <= LIKING_WINDOW for end in likings):
                found.append((start, interest))
                break
    return [interest for _, interest in sorted(found, key=lambda item: item[0])]


def _interest_tokens(said: str, interests: list[Interest]) -> frozenset[str]:
    """The index tokens of the words that state the interests (matching those alone names no métier)."""
    normaliser = get_normaliser()
    tokens: set[str] = set()
    for interest in interests:
        for match in interest.pattern.finditer(said):
            for word in match.group(0).split():
                tokens.update(normaliser.word_tokens(word))
                tokens.update(normaliser.word_tokens(fold_word(word)))
    return frozenset(tokens)


def _interest_ranking(
    interests: list[Interest], index: _Index, said_too: AbstractSet[str] = frozenset()
) -> dict[str, tuple[float, str]]:
    """The fiches the interests lead to (ROME 4.0 centres d'intérêt), each with a score and the reason shown, at
    most MAX_INTEREST_METIERS: fiches shared by several interests first, then each interest in turn; inside one,
    its main fiches (`principal`), those the interest's words also name (« Toiletteur d'animaux »), those whose
    RIASEC letter suits it, parent (broad) and common fiches first; one fiche per domaine professionnel before a
    second one (« les animaux »: care, grooming and breeding, not five kinds of breeders)."""
    per_interest: list[list[tuple[float, str]]] = []
    membership: dict[str, list[Interest]] = defaultdict(list)
    for interest in interests:
        ranked: dict[str, float] = {}
        for centre in interest.centres:
            for code, principal in index.centres.get(centre, ()):
                letters = index.riasec.get(code, "")
                ranked[code] = max(
                    ranked.get(code, 0.0),
                    1.0
                    + 0.5 * principal
                    + 0.3 * bool(letters[:1] and letters[:1] in interest.riasec)
                    + 0.2 * (index.parents.get(code, code) == code)
                    + 0.1 * math.log1p(index.breadth.get(code, 0))
                    + 0.6 * (code in said_too),
                )
                if interest not in membership[code]:
                    membership[code].append(interest)
        per_interest.append(
            sorted(((score, code) for code, score in ranked.items()), key=lambda i: (-i[0], i[1]))
        )
    out: dict[str, tuple[float, str]] = {}
    families: set[str] = set()
    domaines: set[str] = set()

    def take(code: str, score: float, diverse: bool = False) -> None:
        family = index.parents.get(code, code)
        if code in out or family in families or len(out) >= MAX_INTEREST_METIERS:
            return
        if diverse and code[:3] in domaines:
            return
        families.add(family)
        domaines.add(code[:3])
        reasons = [
            f"vous aimez {interest.said} : centre d'intérêt « {index.centre_labels.get(interest.centres[0], '')} »"
            for interest in membership[code]
        ]
        out[code] = (score, "Parce que " + " ; ".join(reasons))

    # Fiches several interests lead to first (« les animaux et le dessin »: an illustrateur animalier).
    totals = {code: sum(s for lst in per_interest for s, c in lst if c == code) for code in membership}
    for code in sorted((c for c in membership if len(membership[c]) > 1), key=lambda c: (-totals[c], c)):
        take(code, 10.0 + totals[code])
    for diverse in (True, False):
        rank = 0
        while len(out) < MAX_INTEREST_METIERS and any(rank < len(lst) for lst in per_interest):
            for lst in per_interest:
                if rank < len(lst):
                    take(lst[rank][1], 5.0 - rank * 0.01, diverse)
            rank += 1
    return out


@dataclass
class _Scored:
    score: float
    label: str  # the appellation shown
    coverage: float
    wanted: bool
    words: frozenset[str] = frozenset()  # the index tokens of the text that matched it
    current: bool = False  # named in a "current job" phrase
    first_pos: int = 0  # position of its first matched word in the text


def _contiguity(entry_tokens: tuple[str, ...], positions: dict[str, list[int]]) -> float:
    """Share of the entry's consecutive word pairs that are adjacent and in order in the text."""
    present = [t for t in entry_tokens if t in positions]
    if len(present) < 2:
        return 0.0
    pairs = 0
    for a, b in zip(present, present[1:], strict=False):
        pb = set(positions[b])
        if any(p + 1 in pb or p + 2 in pb for p in positions[a]):
            pairs += 1
    return pairs / (len(present) - 1)


def _add_evidence(scored: dict[str, _Scored], best: dict[str, float], index: _Index) -> None:
    """Compétence words shared with the text add at most EVIDENCE_WEIGHT of the top score to a matched fiche."""
    top = max(s.score for s in scored.values())
    extra: dict[str, float] = defaultdict(float)
    for t in best:
        for code, weight in index.evidence.get(t, ()):
            if code in scored:
                extra[code] += weight
    if not extra:
        return
    most = max(extra.values())
    for code, value in extra.items():
        scored[code].score += EVIDENCE_WEIGHT * top * value / most


def parent_code(code_rome: str) -> str:
    """The parent fiche's code (the code itself for a parent fiche): evaluations compare on it."""
    index = get_index()
    return index.parents.get(code_rome, code_rome)
