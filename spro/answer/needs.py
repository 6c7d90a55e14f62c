"""Needs (`besoins`) expressed by a request: every need, best first, with a 0..1 score and the evidence.

Why a lexicon as data: the words people use for a need ("je cherche du taf", "faire une VAE", "reprendre l'école")
are French usage that a Region's staff know better than code does, so they live in `rules/besoins.yaml`
(docs/answer-besoins.md), validated at load with clear errors, and re-read when the file changes.

How a score is made:
1. the text is folded by the search normaliser (accents, case, elisions, gender and plural forms), clause by clause;
2. each cue of the lexicon that occurs, not negated ("je ne veux pas de formation"), adds its weight; the weights of
   one need combine as independent evidence: score = 1 − ∏(1 − poids), so two weak cues beat one, never above 1;
3. the profile rules of the file then add their weight the same way (a disability stated → `handicap`; a job
   seeker who says nothing else → `recherche-emploi`; 16–25 and left school → `retour-formation`…);
4. needs under the file's `seuil` are dropped; if none is left, the file's default (`decouvrir-metiers`, low score).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from spro.answer.facts import CLAUSE, MAX_CHARS, NEGATIONS, folded_clauses, negated
from spro.answer.types import BesoinScore, MetierMatch, Profile
from spro.core.normaliser import fold_word, split_words
from spro.core.rulefiles import MESSAGES, FileCache, RuleFile, RuleFileError
from spro.core.vocabularies.besoins import Besoin
from spro.core.vocabularies.statuts import KNOWN_STATUTS

DEFAULT_FILE = Path(__file__).resolve().parent / "rules" / "besoins.yaml"
FILE_NAME = "besoins.yaml"
NIVEAUX = ("sans", "3", "4", "5", "6", "7", "8")
_WORD = "[a-z0-9]+"
#: Letters left by an elision written without its apostrophe in a cue ("offre d emploi"): the text's elisions are
#: dropped by the normaliser, so the cue drops them too.
_ELIDED = frozenset({"d", "l", "j", "n", "s", "c", "m", "t", "qu"})
#: Determiners carry no need: inside a cue of several words they are dropped, so that "reprendre une ferme" also
#: finds "reprendre la ferme de mes parents" (the gap of `ecart_max` words lets any determiner through).
_DETERMINERS = frozenset(
    {"le", "la", "les", "un", "une", "des", "du", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses"}
    | {"ce", "cet", "cette", "ces", "notre", "nos", "votre", "vos", "leur", "leurs"}
)
_ELIDED_OR_DETERMINER = _ELIDED | _DETERMINERS


class BesoinsFileError(RuleFileError):
    """`besoins.yaml` is invalid: the message names the file, the need or rule, and the field, in French."""


# --- The file -------------------------------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Poids = Annotated[float, Field(gt=0, le=1)]


def _check_cue(cue: str) -> str:
    words = [w for token in cue.split() for w in split_words(token.rstrip("*"))]
    if not words:
        raise ValueError(f"indice vide ou sans lettre : « {cue} »")
    if "*" in cue.replace("* ", " ").rstrip("*"):
        raise ValueError(f"« * » seulement en fin de mot : « {cue} »")
    return cue


class BesoinLexique(_Strict):
    description: str = ""
    #: false for needs that a negation expresses ("je n'ai pas de logement", "pas de voiture").
    annule_par_negation: bool = True
    indices: dict[str, Poids] = Field(min_length=1)

    @field_validator("indices")
    @classmethod
    def _cues(cls, value: dict[str, float]) -> dict[str, float]:
        for cue in value:
            _check_cue(cue)
        return value


class AgeBornes(_Strict):
    min: int | None = Field(default=None, ge=0, le=120)
    max: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def _ordered(self) -> AgeBornes:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("« min » est plus grand que « max »")
        return self


class Quand(_Strict):
    statuts: list[str] | None = None
    age: AgeBornes | None = None
    handicap: bool | None = None
    a_quitte_formation: bool | None = None
    niveau: list[str] | None = None
    metier: bool | None = None
    seul: bool | None = None  # true: only when the text (its cues, or a rule with `texte`) expressed no need
    texte: list[str] | None = None  # any of these cues occurs in the text, not negated

    @field_validator("statuts")
    @classmethod
    def _statuts(cls, value: list[str] | None) -> list[str] | None:
        for statut in value or ():
            if statut not in KNOWN_STATUTS:
                raise ValueError(f"statut inconnu « {statut} » (attendus : {', '.join(KNOWN_STATUTS)})")
        return value

    @field_validator("niveau")
    @classmethod
    def _niveau(cls, value: list[str] | None) -> list[str] | None:
        for niveau in value or ():
            if niveau not in NIVEAUX:
                raise ValueError(f"niveau inconnu « {niveau} » (attendus : {', '.join(NIVEAUX)})")
        return value

    @field_validator("texte")
    @classmethod
    def _texte(cls, value: list[str] | None) -> list[str] | None:
        for cue in value or ():
            _check_cue(cue)
        return value


def _besoin_code(value: str) -> str:
    if value not in Besoin.values:
        raise ValueError(f"besoin inconnu « {value} » (attendus : {', '.join(Besoin.values)})")
    return value


class RegleProfil(_Strict):
    id: str = Field(min_length=1)
    besoin: str
    poids: Poids
    quand: Quand
    preuve: str = Field(min_length=1)

    _code = field_validator("besoin")(classmethod(lambda cls, v: _besoin_code(v)))


class Defaut(_Strict):
    besoin: str
    score: Poids

    _code = field_validator("besoin")(classmethod(lambda cls, v: _besoin_code(v)))


class BesoinsFile(_Strict):
    version: int = Field(ge=1)
    date: str
    seuil: float = Field(ge=0, lt=1)
    max_besoins: int = Field(ge=1, le=12)
    ecart_max: int = Field(default=2, ge=0, le=5)
    defaut: Defaut
    besoins: dict[str, BesoinLexique]
    profil: list[RegleProfil] = Field(default_factory=list)

    @field_validator("besoins")
    @classmethod
    def _codes(cls, value: dict[str, BesoinLexique]) -> dict[str, BesoinLexique]:
        for code in value:
            _besoin_code(code)
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> BesoinsFile:
        seen: set[str] = set()
        for rule in self.profil:
            if rule.id in seen:
                raise ValueError(f"règle de profil « {rule.id} » en double")
            seen.add(rule.id)
        return self


def _location(name: str, data: Any, loc: tuple[Any, ...]) -> str:
    """ "besoins.yaml, besoin « vae », indice « … », champ « poids »" from a pydantic error location."""
    parts = [name]
    if loc[:1] == ("besoins",) and len(loc) >= 2:
        parts.append(f"besoin « {loc[1]} »")
        if len(loc) >= 4 and loc[2] == "indices":
            parts.append(f"indice « {loc[3]} », champ « poids »")
        elif len(loc) >= 3:
            parts.append(f"champ « {'.'.join(str(p) for p in loc[2:])} »")
    elif loc[:1] == ("profil",) and len(loc) >= 2 and isinstance(loc[1], int):
        rules = data.get("profil") if isinstance(data, dict) else None
        rule = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        parts.append(f"règle de profil « {rule_id or f'n° {loc[1] + 1}'} »")
        if len(loc) >= 3:
            parts.append(f"champ « {'.'.join(str(p) for p in loc[2:])} »")
    elif loc:
        parts.append(f"champ « {'.'.join(str(p) for p in loc)} »")
    return ", ".join(parts)


#: A weight out of range says the range (every bound of the file's weights is 0 excluded … 1).
_MESSAGES = {
    **MESSAGES,
    "greater_than": "doit être entre 0 (exclu) et 1 (reçu : {input!r})",
    "less_than_equal": "doit être entre 0 (exclu) et 1 (reçu : {input!r})",
}
_FILE = RuleFile(
    BesoinsFile,
    BesoinsFileError,
    _location,
    "le fichier doit commencer par « version », « date », « seuil »…",
    _MESSAGES,
)


def parse_file(path: Path) -> BesoinsFile:
    """Read and validate a needs lexicon; BesoinsFileError with every problem (file, need or rule, field)."""
    return _FILE.parse(path)


# --- Compiled lexicon -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CompiledCue:
    text: str  # as written in the file (the evidence shown)
    pattern: re.Pattern[str]
    weight: float
    negatable: bool  # false when the cue carries its own negation ("sais pas quoi faire")
    first: str  # the first folded word (or prefix): the cue is only tried when the text has it
    first_is_prefix: bool


@dataclass(frozen=True)
class Lexicon:
    source: BesoinsFile
    cues: dict[str, tuple[CompiledCue, ...]]  # besoin → cues, file order
    rule_cues: dict[str, tuple[CompiledCue, ...]]  # profile rule id → its `texte` cues
    order: dict[str, int]  # besoin → rank in the file (ties)


def compile_cue(cue: str, weight: float, gap: int, *, negatable: bool = True) -> CompiledCue:
    """A cue as a regex over folded words: each word folded like the text ("formations" → "formation"), a final
    "*" makes a prefix ("reconver*"), and up to `gap` other words may sit between two cue words."""
    parts: list[str] = []
    words: list[tuple[str, bool]] = []
    tokens = cue.split()
    meaningful = [p for t in tokens for p in split_words(t.rstrip("*")) if p not in _ELIDED_OR_DETERMINER]
    # determiners are dropped only when two words or more remain ("du travail" stays: "travail" alone is too vague)
    skipped = _ELIDED_OR_DETERMINER if len(meaningful) >= 2 else _ELIDED
    for token in tokens:
        prefix = token.endswith("*")
        pieces = [p for p in split_words(token.rstrip("*")) if len(tokens) == 1 or p not in skipped]
        for i, piece in enumerate(pieces):
            is_prefix = prefix and i == len(pieces) - 1
            words.append((piece if is_prefix else fold_word(piece), is_prefix))
            parts.append(re.escape(piece) + "[a-z0-9]*" if is_prefix else re.escape(fold_word(piece)))
    between = f"(?: {_WORD}){{0,{gap}}} "
    pattern = re.compile(rf"(?<![a-z0-9])(?:{between.join(parts)})(?![a-z0-9])")
    negatable = negatable and not any(w in NEGATIONS or w == "rien" for w, _ in words)
    return CompiledCue(cue, pattern, weight, negatable, first=words[0][0], first_is_prefix=words[0][1])


def _compile(source: BesoinsFile) -> Lexicon:
    gap = source.ecart_max
    cues = {
        code: tuple(
            compile_cue(cue, weight, gap, negatable=lexique.annule_par_negation)
            for cue, weight in lexique.indices.items()
        )
        for code, lexique in source.besoins.items()
    }
    rule_cues = {
        rule.id: tuple(compile_cue(cue, 1.0, gap) for cue in rule.quand.texte or ()) for rule in source.profil
    }
    order = {code: i for i, code in enumerate(source.besoins)}
    for code in Besoin.values:
        order.setdefault(code, len(order))
    return Lexicon(source, cues, rule_cues, order)


def lexicon_path() -> Path:
    """The Region's copy in `SPRO_ANSWER_RULES_DIR` when it has one, else the file shipped with the package."""
    configured = getattr(settings, "SPRO_ANSWER_RULES_DIR", None)
    if configured and (Path(configured) / FILE_NAME).exists():
        return Path(configured) / FILE_NAME
    return DEFAULT_FILE


#: Per file, compiled; an invalid edit raises BesoinsFileError (the lexicon is never half-applied).
_cache: FileCache[Path, Lexicon] = FileCache(
    lambda path: _compile(parse_file(path)), lambda path: [path], BesoinsFileError
)


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The validated, compiled lexicon; cached per file and re-read when the file changes (an invalid edit raises
    BesoinsFileError rather than being half-applied)."""
    return _cache.get(Path(path or lexicon_path()).resolve())


# --- Detection ------------------------------------------------------------------------------------------------------
def _folded(text: str) -> str:
    """The request as folded words (gender and plural folded too), clauses separated by CLAUSE."""
    return " ".join(word if word == CLAUSE else fold_word(word) for word in folded_clauses(text).split())


def _spans(cue: CompiledCue, words: str, vocabulary: frozenset[str]) -> list[tuple[int, int]]:
    """Where the cue occurs, not negated. The first-word test skips most cues without running their regex."""
    if cue.first_is_prefix:
        if not any(word.startswith(cue.first) for word in vocabulary):
            return []
    elif cue.first not in vocabulary:
        return []
    return [
        (m.start(), m.end())
        for m in cue.pattern.finditer(words)
        if not (cue.negatable and negated(words, m.start()))
    ]


def _occurs(cue: CompiledCue, words: str, vocabulary: frozenset[str]) -> bool:
    return bool(_spans(cue, words, vocabulary))


def _rule_applies(
    rule: RegleProfil,
    cues: tuple[CompiledCue, ...],
    words: str,
    vocabulary: frozenset[str],
    context: tuple[Profile, list[MetierMatch], bool],
) -> bool:
    profile, metiers, text_found = context
    q = rule.quand
    if q.statuts is not None and profile.statut not in q.statuts:
        return False
    if q.age is not None:
        if profile.age is None:
            return False
        if (q.age.min is not None and profile.age < q.age.min) or (
            q.age.max is not None and profile.age > q.age.max
        ):
            return False
    if q.handicap is not None and bool(profile.handicap) != q.handicap:
        return False
    if q.a_quitte_formation is not None and bool(profile.a_quitte_formation) != q.a_quitte_formation:
        return False
    if q.niveau is not None and profile.niveau not in q.niveau:
        return False
    if q.metier is not None and bool(metiers) != q.metier:
        return False
    if q.seul is not None and (not text_found) != q.seul:
        return False
    return not cues or any(_occurs(cue, words, vocabulary) for cue in cues)


def detect_besoins(text: str, profile: Profile, metiers: list[MetierMatch]) -> list[BesoinScore]:
    """Every need the request expresses, best first (score 0..1, evidence = cues matched and profile facts).

    Never empty: when nothing matches, the file's default need with its low score. Never raises on any text.
    """
    lexicon = load_lexicon()
    source = lexicon.source
    words = _folded((text or "")[:MAX_CHARS])
    vocabulary = frozenset(words.split())
    misses: dict[str, float] = {}  # besoin → ∏(1 − poids)
    evidence: dict[str, list[str]] = {}
    for code, cues in lexicon.cues.items():
        found = [(span, cue) for cue in cues for span in _spans(cue, words, vocabulary)[:1]]
        # Overlapping cues of one need are one piece of evidence ("perdre salaire" inside "sans perdre mon
        # salaire"): the heaviest counts, the others are ignored.
        taken: list[tuple[int, int]] = []
        for (start, end), cue in sorted(found, key=lambda item: -item[1].weight):
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            misses[code] = misses.get(code, 1.0) * (1 - cue.weight)
            evidence.setdefault(code, []).append(cue.text)
    # Rules that read the text (`texte`) count as the text for `seul`: they run first, in file order.
    reads_text = [rule for rule in source.profil if rule.quand.texte and rule.quand.seul is None]
    context = (profile, metiers, False)
    for rule in reads_text:
        if _rule_applies(rule, lexicon.rule_cues[rule.id], words, vocabulary, context):
            misses[rule.besoin] = misses.get(rule.besoin, 1.0) * (1 - rule.poids)
            evidence.setdefault(rule.besoin, []).append(rule.preuve)
    text_found = any(1 - miss >= source.seuil for miss in misses.values())
    context = (profile, metiers, text_found)
    for rule in source.profil:
        if rule in reads_text:
            continue
        if _rule_applies(rule, lexicon.rule_cues[rule.id], words, vocabulary, context):
            misses[rule.besoin] = misses.get(rule.besoin, 1.0) * (1 - rule.poids)
            evidence.setdefault(rule.besoin, []).append(rule.preuve)
    scores = [
        BesoinScore(code, round(1 - miss, 4), tuple(evidence[code]))
        for code, miss in misses.items()
        if 1 - miss >= source.seuil
    ]
    scores = _pupil_first_orientation(scores, profile, words, vocabulary)
    scores.sort(key=lambda b: (-b.score, lexicon.order.get(b.code, 99)))
    if not scores:
        return [BesoinScore(source.defaut.besoin, source.defaut.score, ("par défaut",))]
    return scores[: source.max_besoins]


# --- Pupils and their parents ----------------------------------------------------------------------------------
#: School statuts: a pupil (or a parent writing for one) is first helped to discover métiers and choose a formation.
PUPIL_STATUTS = frozenset({"collegien", "lyceen"})
PUPIL_MAX_AGE = 15  # below 16, school is compulsory: whatever the statut, orientation comes first
#: The words by which a pupil does ask for a job (a summer job, a patron for an apprenticeship, some money): only
#: then may job search stay among their needs. « je veux travailler avec les animaux » is a wish for a métier.
PUPIL_JOB_CUES = (
    "job",
    "jobs",
    "petit boulot",
    "petits boulots",
    "patron",
    "patronne",
    "employeur",
    "entreprise",
    "saisonnier",
    "saison",
    "argent",
    "gagner",
    "cv",
    "postuler",
    "embauche",
    "cherche emploi",
    "cherche travail",
    "cherche du travail",
    "cherche boulot",
    "trouver emploi",
    "trouver travail",
    "trouver du travail",
    "premier emploi",
    "contrat",
)
_PUPIL_JOB = tuple(compile_cue(cue, 1.0, 2) for cue in PUPIL_JOB_CUES)


def is_pupil(profile: Profile) -> bool:
    """A collégien·ne or lycéen·ne, a child under 16, or a child a parent writes for."""
    return bool(
        profile.statut in PUPIL_STATUTS
        or profile.for_child
        or (profile.age is not None and profile.age <= PUPIL_MAX_AGE)
    )


def _pupil_first_orientation(
    scores: list[BesoinScore], profile: Profile, words: str, vocabulary: frozenset[str]
) -> list[BesoinScore]:
    """For a pupil who does not ask for a job (PUPIL_JOB_CUES), job search is not a need: their wish to « work
    with… » is a wish for a métier, so it becomes « discover métiers » (with the same strength)."""
    job = next((b for b in scores if b.code == Besoin.RECHERCHE_EMPLOI.value), None)
    if job is None or not is_pupil(profile) or any(_occurs(cue, words, vocabulary) for cue in _PUPIL_JOB):
        return scores
    kept = [b for b in scores if b is not job]
    discover = next((b for b in kept if b.code == Besoin.DECOUVRIR_METIERS.value), None)
    evidence = ("élève : découvrir les métiers avant de chercher un emploi",)
    if discover is None:
        kept.append(BesoinScore(Besoin.DECOUVRIR_METIERS.value, job.score, evidence))
    elif discover.score < job.score:
        kept[kept.index(discover)] = BesoinScore(discover.code, job.score, discover.evidence + evidence)
    return kept


# --- Requests in another language ----------------------------------------------------------------------------------
#: The few words by which a request written in English, Spanish, German or Portuguese says its main need: enough to
#: send a newcomer to the right places while the answer invites them to write in French (the lexicon reads French).
FOREIGN_CUES: dict[str, frozenset[str]] = {
    "recherche-emploi": frozenset(
        [
            "job",
            "jobs",
            "work",
            "working",
            "employment",
            "trabajo",
            "trabajar",
            "empleo",
            "arbeit",
            "arbeiten",
            "stelle",
            "trabalho",
            "trabalhar",
            "emprego",
        ]
    ),
    "choisir-formation": frozenset(
        [
            "study",
            "studies",
            "studying",
            "course",
            "courses",
            "training",
            "estudiar",
            "estudios",
            "curso",
            "cursos",
            "formacion",
            "studieren",
            "studium",
            "ausbildung",
            "kurs",
            "estudar",
            "curso",
        ]
    ),
    "mobilite-internationale": frozenset(["abroad", "erasmus", "extranjero", "ausland", "exterior"]),
}


def detect_besoins_foreign(text: str) -> list[BesoinScore]:
    """The needs a request in another language states with the words of FOREIGN_CUES (best first), else the
    generic `decouvrir-metiers`: a modest reading, said as such in the answer's warning."""
    words = set(split_words(text[:MAX_CHARS]))
    found = [
        BesoinScore(code, 0.6, tuple(sorted(words & cues)))
        for code, cues in FOREIGN_CUES.items()
        if words & cues
    ]
    return found or [BesoinScore(Besoin.DECOUVRIR_METIERS.value, 0.5, ("langue",))]
