"""Profile facts stated in a free-text request: age, statut, disability, diploma level, dropout, place.

Why: people describe their situation in the text more often than they fill in a form ("j'ai 17 ans, j'ai arrêté le
lycée, j'habite à Lorient"). The routing needs these facts; the form still wins when both say something
(`service.merge_profile`).

Everything works on the search normaliser's folded words (`spro.core.normaliser.split_words`): accents, case,
apostrophes and elisions are gone, so "agée", "agee" and "AGÉE" read the same and "j'ai" reads "ai". The cue
patterns below are regular expressions over those words joined by single spaces. Negation ("je ne suis pas au
chômage") is read in the few words before a cue. Commune names are loaded once from `geo.Commune` and kept in
memory; only a place named after a preposition cue ("à", "sur", "près de", "vers", "j'habite") is taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spro.answer.types import Facts
from spro.core.normaliser import split_words
from spro.referentials.geo import resolver
from spro.referentials.geo.resolver import CommuneIndex

# --- Words --------------------------------------------------------------------------------------------------------
#: Words that, in the few words before a cue, turn it into its negation ("je ne suis pas au chômage").
NEGATIONS = frozenset({"ne", "pas", "jamais", "plus", "non", "aucun", "aucune", "ni"})
NEGATION_WINDOW = 3
#: Clause separator put between the words of two clauses (punctuation is lost in the folded words).
CLAUSE = "|"
_CLAUSE_SPLIT = re.compile(r"[.,;:!?()\[\]\n]+")

#: Verbs that say the person left school: a school word right after one of them is not the current statut.
_QUIT = (
    r"(?:arrete|arreter|quitte|quitter|abandonne|abandonner|lache|lacher|decroche|decrocher|vire|"
    r"viree|exclu|exclue|renvoye|renvoyee|sorti|sortie)"
)
_SCHOOL = (
    r"(?:le |la |les |mon |ma |mes |du |de |en )?(?:lycee|ecole|college|cours|etudes|fac|faculte|"
    r"universite|formation|apprentissage|cap|bac|bts|scolarite|seconde|premiere|1ere|terminale|3e|"
    r"3eme|l1|l2)"
)


def _words_before(words: str, start: int, count: int) -> list[str]:
    """The last `count` words before `start`, in the same clause (a bounded slice: long texts stay linear)."""
    head = words[max(0, start - 40 * count) : start].rsplit(CLAUSE, 1)[-1].split()
    return head[-count:] if start - 40 * count <= 0 else head[1:][-count:]


def _rx(pattern: str) -> re.Pattern[str]:
    """A cue pattern over space-joined folded words, anchored on word boundaries."""
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")


# --- Age ------------------------------------------------------------------------------------------------------------
#: "j'ai 17 ans", "jai 17ans", "g 17 ans" (SMS), "âgé de 45 ans", "j'en ai 18", "moi 17 ans", and "17 ans" opening
#: the text or a clause ("Sortant de prison, 24 ans, je cherche…") unless a complement follows ("10 ans de métier").
_AGE_STRONG = (
    _rx(r"(?:ai|jai|j ai|g|age|agee|ages|agees|moi|fais|fete|vais avoir|aurai) (?:de )?(\d{1,2}) ?ans?"),
    _rx(r"en ai (\d{1,2})(?! ?(?:mois|heures|euros|km|semaines|jours|enfants|fois|an|ans d))"),
    re.compile(
        r"(?:^|\| )(?:bonjour |salut |slt |bjr |hello )?(\d{1,2}) ?ans?"
        r"(?![a-z0-9])(?! (?:de|d|dans|chez|en|que|qu|a|au|comme|sans|avec)(?![a-z0-9]))"
    ),
)
#: Weaker: "il a 16 ans", "à 50 ans", "mon fils de 14 ans" (not "il y a 10 ans", not "depuis 8 ans").
_AGE_WEAK = (
    _rx(r"(?<!y )a (\d{1,2}) ?ans?(?! d experience| experience)"),
    _rx(r"(?:fils|fille|enfant|ado|adolescent|adolescente|jeune|garcon|homme|femme) (?:de )?(\d{1,2}) ?ans?"),
    # « Chauffeur routier de 50 ans, … » : a self-description opening the text or a clause (14 and over only).
    re.compile(r"(?:^|\| )(?:[a-z]+ ){1,3}de (1[4-9]|[2-9]\d) ans(?![a-z0-9])(?! d)"),
)
MIN_AGE, MAX_AGE = 6, 99
#: Only the beginning of a very long text is read (a situation is told early; the time stays bounded).
MAX_CHARS = 6_000


def _age(words: str, *, strong_only: bool = False) -> int | None:
    for patterns in (_AGE_STRONG[:2],) if strong_only else (_AGE_STRONG, _AGE_WEAK):
        for pattern in patterns:
            for match in pattern.finditer(words):
                value = int(match.group(1))
                before = _words_before(words, match.start(), 1)
                if patterns is _AGE_WEAK and ("depuis" in before or "pendant" in before):
                    continue
                if MIN_AGE <= value <= MAX_AGE:
                    return value
    return None


# --- Writing for a child -------------------------------------------------------------------------------------------
#: A parent (or a grandparent…) writing for a child: « mon fils a 16 ans », « ma fille est en seconde ». The child is
#: the person the answer is for, so the routing uses the child's age and school statut, never as the writer's age.
_CHILD = (
    r"(?:mon|ma|notre|pour mon|pour ma|de mon|de ma) (?:fils|fille|enfant|ado|adolescent|adolescente|garcon|"
    r"petit fils|petite fille|neveu|niece|filleul|filleule|beau fils|belle fille)"
)
#: The child is the subject of the request: a wish, a situation or an age follows its mention.
_CHILD_SUBJECT = _rx(
    _CHILD
    + r"(?: de \d{1,2} ?ans?)?(?: \d{1,2} ?ans?)? (?:veut|voudrait|aimerait|souhaite|cherche|est|a|ne|n|"
    r"fait|va|hesite|adore|aime|passe|termine|prepare|entre|rentre|qui|s|se|il|elle|reve|pense|doit|part|"
    r"arrete|refuse|voudrais|\|)"
)
_CHILD_FOR = _rx(r"pour (?:mon|ma|notre) (?:fils|fille|enfant|ado|adolescent|adolescente)")
#: The child's age: « mon fils de 15 ans », « ma fille a 17 ans », « il a 16 ans », « mon fils, 16 ans ».
_CHILD_AGE = (
    _rx(_CHILD + r" (?:de |qui a |a |\| )?(\d{1,2}) ?ans?"),
    _rx(r"(?:il|elle|ils) (?:a|aura|va avoir) (\d{1,2}) ?ans?"),
)
#: A first-person wish about the writer's own project (« je voudrais reprendre un travail ») : then a child named
#: in passing (« ma fille a 3 ans ») is not the subject, unless the child's own wish is stated.
_OWN_WISH = _rx(r"(?:je|j) (?:veux|voudrais|cherche|souhaite|aimerais|recherche|suis|travaille)")
_CHILD_WISH = _rx(
    _CHILD + r"(?: de \d{1,2} ?ans?)? (?:veut|voudrait|aimerait|souhaite|cherche|reve|hesite|ne)"
)
MIN_CHILD_AGE = 10  # a younger child is not the one asking for orientation


def _for_child(words: str) -> tuple[bool | None, int | None]:
    """(True, the child's age or None) when the text is written for a child; (None, None) otherwise."""
    if not (_CHILD_SUBJECT.search(words) or _CHILD_FOR.search(words)):
        return None, None
    age = None
    for pattern in _CHILD_AGE:
        match = pattern.search(words)
        if match:
            age = int(match.group(1))
            break
    if age is not None and age < MIN_CHILD_AGE:
        return None, None
    if _OWN_WISH.search(words) and not (_CHILD_WISH.search(words) or _CHILD_FOR.search(words)):
        return None, None
    return True, age


# --- Statut ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float
    school: bool = False  # a school word: ignored right after a "quit" verb
    wish: bool = False  # ignored after "devenir", "créer"… (a project, not a situation)


def _cue(pattern: str, weight: float, *, school: bool = False, wish: bool = False) -> Cue:
    return Cue(_rx(pattern), weight, school, wish)


STATUT_CUES: dict[str, tuple[Cue, ...]] = {
    "collegien": (
        _cue(
            (
                r"(?:en|suis en|ma|la|apres la|apres ma) (?:3e|3eme|3 eme|troisieme|4e|4eme|quatrieme|5e|5eme|"
                r"cinquieme|6e|6eme|sixieme)"
            ),
            3,
            school=True,
        ),
        _cue(r"collegien|collegienne|collegiens", 3, school=True),
        _cue(r"(?:au|mon|du|le) college", 2, school=True),
    ),
    "lyceen": (
        _cue(
            r"(?:en|suis en) (?:terminale|tle|tale|term|seconde|2nde|2de|premiere|1ere|1re)(?! annee)",
            3,
            school=True,
        ),
        _cue(r"lyceen|lyceenne|lyceens", 3, school=True),
        _cue(
            r"(?:suis|est|es) en (?:bac pro|bac techno|bac general|bac|1ere|1re|tle|2nde|2de)", 2, school=True
        ),
        _cue(r"(?:au|mon|du|le|en) lycee", 2, school=True),
        _cue(
            r"bac en cours|passe (?:le |mon )?bac|prepare (?:le |mon )?bac|passer (?:le |mon )?bac cette annee",
            2,
            school=True,
        ),
    ),
    "etudiant": (
        _cue(r"etudiant|etudiante|etudiants|etudiantes", 3, school=True),
        _cue(
            r"en (?:l1|l2|l3|m1|m2|licence|master|bts|dut|but|prepa|classe preparatoire|iut|doctorat|these|fac)",
            3,
            school=True,
        ),
        _cue(
            r"(?:bts|but|dut|licence|master) (?:1|2|3|1ere|2eme|premiere|deuxieme|troisieme) annee",
            2,
            school=True,
        ),
        _cue(r"(?:en|suis en) (?:1ere|1re|premiere|2eme|2e|deuxieme|3eme|troisieme) annee", 2, school=True),
        _cue(
            r"(?:a la|la|en|ma) fac|(?:a l|l) universite|ecole de commerce|ecole d ingenieur|ecole ingenieur",
            2,
            school=True,
        ),
    ),
    "salarie": (
        _cue(r"salarie|salariee|salaries", 3, wish=True),
        _cue(r"en cdi|en cdd|mon cdi|mon cdd|un cdi|en interim|interimaire|contrat a duree", 2),
        _cue(r"(?:je |j )?(?:travaille|bosse) (?:comme|en|dans|chez|a|au|depuis)", 2),
        _cue(r"mon employeur|mon patron|ma patronne|mon entreprise|mon poste|mon chef", 2),
        _cue(r"fonctionnaire|agent public|contractuel|contractuelle", 2, wish=True),
        _cue(r"(?:suis|je suis) cadre|cadre (?:dans|chez|en|depuis)", 2),
        _cue(r"depuis (?:\d{1,2}|plus de \d{1,2}) ans", 1),
    ),
    "demandeur-emploi": (
        _cue(r"chomage|chomeur|chomeuse|chomeurs", 3),
        _cue(r"demandeur emploi|demandeuse emploi|demandeurs emploi|sans emploi|sans travail|sans boulot", 3),
        _cue(r"inscrite? (?:a |au |chez )?(?:france travail|pole emploi|pe|ft)", 3),
        _cue(r"licencie|licenciee|licenciement|rupture conventionnelle|fin de contrat|fin de mission", 3),
        _cue(r"pas de (?:boulot|travail|emploi|taf|job)|plus de (?:boulot|travail|emploi)", 2),
        _cue(r"touche (?:le |l )?(?:are|chomage)|allocations? chomage", 3),
    ),
    "independant": (
        _cue(
            (
                r"auto entrepreneur|autoentrepreneur|auto entrepreneuse|micro entreprise|micro entrepreneur|"
                r"microentreprise"
            ),
            3,
            wish=True,
        ),
        _cue(
            (
                r"a mon compte|a mon propre compte|independant|independante|freelance|free lance|"
                r"profession liberale|en liberal"
            ),
            3,
            wish=True,
        ),
        _cue(
            (
                r"artisan|artisane|commercant|commercante|chef d entreprise|cheffe d entreprise|gerant|gerante|"
                r"exploitant agricole|exploitante agricole|agriculteur|agricultrice"
            ),
            2,
            wish=True,
        ),
    ),
    "sans-activite": (
        _cue(r"(?:mere|pere|femme|homme|parent|reste) au foyer|au foyer", 3),
        _cue(r"sans activite|inactif|inactive|sans rien faire|fais rien|ne fais rien|fait rien", 3),
        _cue(r"ne travaille pas|ai jamais travaille|jamais travaille|travaille plus", 3),
        _cue(r"retraite|retraitee|a la retraite", 2),
        _cue(r"au rsa|touche le rsa|beneficiaire du rsa", 2),
    ),
}
_WISH_BEFORE = frozenset({"devenir", "creer", "passer", "etre", "lancer", "installer", "redevenir", "comme"})
_SCHOOL_QUIT = _rx(_QUIT + r"(?: \w+){0,3}")
#: Cues that contain their own negation: never negated again.
_SELF_NEGATED = frozenset(
    {"ne travaille pas", "ai jamais travaille", "jamais travaille", "travaille plus", "ne fais rien"}
)


def negated(words: str, start: int) -> bool:
    """True when a negation word is among the few words before `start`, in the same clause."""
    clause = _words_before(words, start, 6)
    window = clause[-NEGATION_WINDOW:]
    offset = len(clause) - len(window)
    for i, word in enumerate(window):
        # "en plus de mon CDI", "de plus": not a negation.
        if word == "plus" and offset + i > 0 and clause[offset + i - 1] in {"en", "de", "le", "au", "non"}:
            continue
        # "je ne sais pas vers quoi me tourner": doubt, not the negation of what follows.
        if {clause[j] for j in (offset + i - 1, offset + i + 1) if 0 <= j < len(clause)} & _DOUBT:
            continue
        if word in NEGATIONS:
            return True
    return False


_DOUBT = frozenset({"sais", "sait", "savoir", "jsp", "connais"})


def _statut(words: str, quit_spans: list[tuple[int, int]]) -> str | None:
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    for statut, cues in STATUT_CUES.items():
        for cue in cues:
            if cue.weight <= 0:
                continue
            for match in cue.pattern.finditer(words):
                text = match.group(0)
                if text not in _SELF_NEGATED and negated(words, match.start()):
                    continue
                before = _words_before(words, match.start(), 2)
                if cue.wish and any(word in _WISH_BEFORE for word in before):
                    continue
                if cue.school and any(a <= match.start() <= b + 1 for a, b in quit_spans):
                    continue
                scores[statut] = scores.get(statut, 0.0) + cue.weight
                first.setdefault(statut, match.start())
                break  # each cue counts once
    # The weak "depuis N ans" alone says someone works only if nothing else was said.
    if not scores:
        return None
    return max(scores, key=lambda s: (scores[s], -first[s]))


# --- Disability -----------------------------------------------------------------------------------------------------
_HANDICAP = _rx(
    r"rqth|handicap|handicape|handicapee|handicapes|travailleur handicape|travailleuse handicapee|aah|mdph|"
    r"invalidite|pension d invalidite|autiste|autisme|sourd|sourde|malentendant|malentendante|aveugle|malvoyant|"
    r"malvoyante|fauteuil roulant|dyslexie|dyslexique|dyspraxie|trisomie|trisomique|ime|esat|cap emploi"
)


def _handicap(words: str) -> bool | None:
    seen = False
    for match in _HANDICAP.finditer(words):
        if negated(words, match.start()):
            return seen
        seen = True
    return True if seen else None


# --- Diploma level --------------------------------------------------------------------------------------------------
_NO_DIPLOMA = _rx(
    r"sans diplome|sans diplomes|pas de diplome|pas de diplomes|aucun diplome|pas diplome|pas diplomee|"
    r"jamais eu (?:le |mon |de )?(?:cap|bac|diplome)|sans qualification|pas de qualification|sans rien|"
    r"pa de diplome|pas le bac|pas eu (?:le |mon )?(?:bac|cap|brevet)|rate (?:le |mon )?(?:bac|cap)"
)
_LEVELS: tuple[tuple[str, str], ...] = (  # (pattern, niveau) highest first
    (r"doctorat|these|phd|docteur|docteure|bac 8", "8"),
    (r"master|masters|m2|mba|ingenieur|ingenieure|bac 5|dea|dess|grande ecole", "7"),
    (r"licence|licence pro|bachelor|bac 3|bac 4|but", "6"),
    (r"bts|dut|deust|bac 2|deug", "5"),
    (
        r"bac pro|bac techno|bac general|bac es|bac s|bac l|bac stmg|bac st2s|bac|baccalaureat|bp|brevet professionnel",
        "4",
    ),
    (r"cap|bep|cap bep|capa|titre pro niveau 3", "3"),
)
_HOLD = (
    r"(?:(?:ai|jai|eu|obtenu|titulaire|avec|possede|detiens) (?:un |une |le |la |mon |ma |mes |d un |du |de )?|"
    r"(?<!un )(?<!par )(?<!le )(?<!mon )(?:diplome|diplomee|diplomes|diplomees) (?:un |une |du |de |d un |en )?|"
    r"niveau )"
)
_LEVEL_HELD = tuple((_rx(_HOLD + f"(?:{pattern})"), niveau) for pattern, niveau in _LEVELS)
_LEVEL_IN_POCKET = tuple(
    (_rx(f"(?:{pattern}) (?:en poche|obtenu|valide)"), niveau) for pattern, niveau in _LEVELS
)
#: Currently studying at a level means the level below is held ("en BTS" → bac).
_LEVEL_STUDYING: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        _rx(
            (
                r"en (?:bts|dut|but|l1|l2|l3|licence|prepa|classe preparatoire|iut)|(?:bts|but|dut|licence) (?:1|"
                r"2|3|1ere|2eme|premiere|deuxieme) annee"
            )
        ),
        "4",
    ),
    (_rx(r"en (?:master|m1|m2)|master (?:1|2)"), "6"),
)


def _niveau(words: str) -> str | None:
    found: list[str] = []
    for group in (_LEVEL_HELD, _LEVEL_IN_POCKET):
        for pattern, niveau in group:
            for match in pattern.finditer(words):
                if not negated(words, match.start()):
                    found.append(niveau)
                    break
    if found:
        return max(found, key=lambda n: int(n))
    if _NO_DIPLOMA.search(words):
        return "sans"
    for pattern, niveau in _LEVEL_STUDYING:
        if pattern.search(words):
            return niveau
    return None


# --- Dropout --------------------------------------------------------------------------------------------------------
_DROPOUT = _rx(
    rf"{_QUIT} (?:\w+ )?{_SCHOOL}|{_QUIT} (?:d aller|aller) (?:en cours|a l ecole|au lycee)|"
    r"descolarise|descolarisee|decrocheur|decrocheuse|decrochage|ai decroche|jai decroche|"
    r"(?:plus|pas) (?:aller )?(?:a l ecole|en cours|au lycee|au college)|quitte (?:le systeme scolaire|l ecole)|"
    r"sorti du systeme scolaire|sortie du systeme scolaire"
)


#: "je pense arrêter mes études": a project, not a fact.
_PROJECT_BEFORE = frozenset(
    {"pense", "veux", "vais", "voudrais", "envie", "peur", "hesite", "compte", "faut"}
)


def _dropout(words: str) -> tuple[bool | None, list[tuple[int, int]]]:
    spans = [(m.start(), m.end()) for m in _DROPOUT.finditer(words)]
    kept = [
        span
        for span in spans
        if (not negated(words, span[0]) or words[span[0] :].startswith(("plus", "pas")))
        and not set(_words_before(words, span[0], 2)) & _PROJECT_BEFORE
    ]
    return (True if kept else None), kept


# --- Commune --------------------------------------------------------------------------------------------------------
#: A place is read only right after one of these (a preposition or a verb of living), so that the many communes
#: named like common words ("Cours", "Job", "Plan") are not read in ordinary sentences.
_PLACE_CUES = (
    ("a",),
    ("au",),
    ("sur",),
    ("vers",),
    ("pres", "de"),
    ("autour", "de"),
    ("cote", "de"),
    ("region", "de"),
    ("secteur", "de"),
    ("proche", "de"),
    ("habite",),
    ("habite", "a"),
    ("vis", "a"),
    ("dans",),
    ("sur", "le", "secteur", "de"),
)
_CONTRACTED_ARTICLES: dict[tuple[str, ...], tuple[str, ...]] = {("au",): ("le",), ("aux",): ("les",)}
_PLACE_CUE_FIRST = frozenset(cue[0] for cue in _PLACE_CUES)
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints"}
#: Single-word commune names that are ordinary words of a request (read only if named with a capital letter).
_COMMON = frozenset(
    [
        "cours",
        "job",
        "plan",
        "vie",
        "mer",
        "pont",
        "bourg",
        "tour",
        "tours",
        "vue",
        "bar",
        "port",
        "faire",
        "domicile",
        "distance",
        "temps",
        "mi",
        "rien",
        "moi",
        "bac",
        "bien",
        "long",
        "cote",
        "centre",
        "foyer",
        "poste",
        "plus",
        "place",
        "mars",
        "juillet",
        "octobre",
        "lycee",
        "ecole",
        "eu",
        "y",
        "mon",
        "ma",
        "gare",
        "camp",
        "marche",
        "saint",
        "pas",
        "aides",
        "aide",
        "mission",
        "ferme",
        "ville",
    ]
)
_MAX_NAME_WORDS = 6


def commune_index() -> CommuneIndex:
    """The communes in force, from the one commune resolver (`spro.referentials.geo.resolver`), which reloads them
    after a newer successful geography import (one lookup per call)."""
    return resolver.get_index()


def clear_commune_index() -> None:
    """Forget the loaded communes (after a geography import, and between tests)."""
    resolver.clear_index()


#: A postal code in the text, not an amount or a count ("25000 euros", "35000 habitants").
_POSTCODE = re.compile(
    r"(?<![0-9])([0-9]{5})(?![0-9])(?! ?(?:euros?|eur|e|€|km|kms|habitants?|personnes?|salaries?|salariés?)\b)",
    re.IGNORECASE,
)
_NAME_BEFORE = re.compile(r"([A-Za-zÀ-ÿ'’ -]{2,60})$")
_NAME_AFTER = re.compile(r"^([A-Za-zÀ-ÿ'’ -]{2,60})")


def _commune(text: str, words: list[str]) -> str | None:
    """The INSEE code of the commune the text names after a place cue, or next to a postal code.

    A postal code never reads as an INSEE code: « Lorient 56100 » and « 56100 Lorient » are Lorient, the postal
    code only choosing among communes of that name.
    """
    index = commune_index()
    if not index:
        return None
    names = index.names_words
    words = [_ABBREVIATIONS.get(word, word) for word in words]
    capitalised = {w for w in split_words(" ".join(t for t in re.findall(r"\b\w+", text) if t[:1].isupper()))}
    by_postcode = _commune_by_postcode(text, index)
    for position, word in enumerate(words):
        if word not in _PLACE_CUE_FIRST:
            continue
        for cue in _PLACE_CUES:
            end = position + len(cue)
            if tuple(words[position:end]) != cue:
                continue
            article = _CONTRACTED_ARTICLES.get(cue, ())  # "au Mans" → Le Mans, "aux Lilas" → Les Lilas
            for length in range(min(_MAX_NAME_WORDS, len(words) - end), 0, -1):
                key = tuple(words[end : end + length])
                code = names.get(article + key) or names.get(key)
                if code is None:
                    continue
                if length == 1 and (key[0] in _COMMON or len(key[0]) < 3) and key[0] not in capitalised:
                    continue
                if by_postcode and index.by_code[by_postcode].nom == index.by_code[code].nom:
                    return by_postcode  # a homonym: the postal code next to the name says which one
                return code
    return by_postcode or _commune_alone(text, index)


#: Where a text is cut into segments that may be a place written alone: « …, 19 ans, Brest », « Lannion : je… »,
#: « Auray. 19 ans. », « Dinan - 25 ans », « (16 ans, Concarneau) ». A hyphen inside a name (Saint-Brieuc) does not cut.
_SEGMENTS = re.compile(r"[,;:.!?()\[\]\n/]+|\s[-–—]\s")


def _commune_alone(text: str, index: resolver.CommuneIndex) -> str | None:
    """A commune written alone as a whole segment of the text, with its capital letter, when no place cue or postal
    code named one (signatures and headings: « …, j'ai 21 ans, Lorient »). The whole segment must be the name, so a
    sentence never reads as a place; common words (« Cours », « École ») are never read this way."""
    for segment in _SEGMENTS.split(text):
        segment = segment.strip(" -–—'’\"«»")
        if not segment[:1].isupper() or len(segment) < 3:
            continue
        key = tuple(_ABBREVIATIONS.get(word, word) for word in resolver.name_words(segment))
        if not key or (len(key) == 1 and key[0] in _COMMON | _FIRST_NAMES):
            continue
        code = index.names_words.get(key)
        # One word alone could be a signature or a hamlet named like a word: only a town of some size is read.
        if code is not None and (len(key) > 1 or index.by_code[code].population >= _ALONE_MIN_POPULATION):
            return code
    return None


#: First names that are also (small) communes: « Cordialement, Marie » is a signature.
_FIRST_NAMES = frozenset(["marie", "romain", "francois", "rene"])
_ALONE_MIN_POPULATION = 1000


def _commune_by_postcode(text: str, index: resolver.CommuneIndex) -> str | None:
    """A commune named by a postal code in the text: the one whose name is written next to it, else (a code
    followed by a word, as in an address) the most populated commune it serves."""
    for match in _POSTCODE.finditer(text):
        candidates = index.by_postal.get(match.group(1))
        if not candidates:
            continue
        before = _NAME_BEFORE.search(text[: match.start()].rstrip(" ,(-"))
        after = _NAME_AFTER.search(text[match.end() :].lstrip(" ,)-"))
        for side in (before, after):
            if side is None:
                continue
            side_words = resolver.name_words(side.group(1))
            for ref in candidates:
                own = resolver.name_words(ref.nom)
                if (
                    own
                    and len(side_words) >= len(own)
                    and (side_words[-len(own) :] == own or side_words[: len(own)] == own)
                ):
                    return ref.code_insee
        # « code postal 29200 », « cp 22200 », and a place cue: « j'habite au 29200 », « dans le 56300 », « à 35000 ».
        said = before is not None and re.search(
            r"(?:\b(?:code postal|cp)(?: est| :)?"
            r"|\b(?:habite|vis|suis|sommes|reside|réside)(?: a| à| au| dans le| sur)?"
            r"|\b(?:au|dans le|sur le|a|à|vers|pres de|près de))$",
            before.group(1).strip(),
            re.I,
        )
        if said or (after is not None and after.group(1).strip()):
            return candidates[0].code_insee
    return None


# --- Public API -----------------------------------------------------------------------------------------------------
def folded_clauses(text: str) -> str:
    """The folded words of `text`, one space apart, with CLAUSE between two clauses (so that cues and negations
    never reach across a full stop or a comma)."""
    clauses = (" ".join(split_words(clause)) for clause in _CLAUSE_SPLIT.split(text or ""))
    return f" {CLAUSE} ".join(clause for clause in clauses if clause)


# --- Facts -----------------------------------------------------------------------------------------------------
def extract_facts(text: str) -> Facts:
    """The facts the text states (each None when it does not say). Never raises on any string."""
    if not text or not text.strip():
        return Facts()
    text = text[:MAX_CHARS]
    word_list = split_words(text)
    words = folded_clauses(text)
    dropout, quit_spans = _dropout(words)
    for_child, child_age = _for_child(words)
    return Facts(
        # For a child, only « j'ai 45 ans » is the writer's age (« il a 16 ans » is the child's).
        age=_age(words, strong_only=bool(for_child)),
        for_child=for_child,
        child_age=child_age,
        statut=_statut(words, quit_spans),
        handicap=_handicap(words),
        commune=_commune(text, word_list),
        niveau=_niveau(words),
        a_quitte_formation=dropout,
    )
