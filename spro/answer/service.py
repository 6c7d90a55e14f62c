"""The first personalised answer: validate the request, analyse it, route it, assemble the `Answer`.

The page, the API and `spro analyse` all call `answer()`, so they give the same answer to the same request. This
module only validates and assembles: the analysers (`metiers`, `facts`, `needs`) and the routing (`routing`) each
live in their own module and can change without touching the others.

Privacy: the free text is only passed to the analysers. It is never stored, never logged, and never put in an
exception message (an `AnswerError` names the problem, not the text).
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from spro.answer import facts as facts_module
from spro.answer import languages, routing
from spro.answer import metiers as metiers_module
from spro.answer import needs as needs_module
from spro.answer.types import Analysis, Answer, AnswerError, BesoinScore, Facts, MetierMatch, Profile
from spro.core.forms import MAX_AGE, MIN_AGE
from spro.core.vocabularies.besoins import Besoin
from spro.core.vocabularies.statuts import KNOWN_STATUTS, Statut
from spro.referentials.geo.api import error_payload
from spro.referentials.geo.resolver import resolve

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: Longest text accepted at all (beyond it, the request is refused: a sign of a misuse, not of a person).
MAX_TEXT_CHARS = 100_000
#: Only the beginning of a long story is analysed: what a person needs is said early, and the analysis time stays
#: bounded (a 20,000-character text gets an answer, with a warning).
ANALYSED_CHARS = 5_000
PROFILE_KEYS = ("age", "statut", "handicap", "commune")
#: Statuts for which the form's age can contradict the text or itself (a 12-year-old employee).
WORKING_STATUTS = {"salarie", "demandeur-emploi", "independant"}
MIN_WORKING_AGE = 16
STATUT_LABELS = dict(Statut.choices)

#: Said before each reason when a parent writes for a child (the reasons speak to the person concerned).
FOR_CHILD_PREFIX = "Pour votre enfant : "

WARNING_TRUNCATED = (
    "Votre texte est très long : seuls ses {n} premiers caractères ont été analysés. Pour une réponse plus précise, "
    "résumez votre situation en quelques phrases."
)
WARNING_LANGUAGE = (
    "Votre message ne semble pas écrit en français. Pour une réponse personnalisée, écrivez-nous en français, même "
    "simplement. En attendant, voici les lieux qui accueillent et informent tout le monde, gratuitement."
)
WARNING_NO_TEXT = (
    "Vous n’avez pas décrit votre situation : cette réponse ne tient compte que de votre profil. Décrivez votre "
    "projet en quelques mots pour une réponse plus précise."
)


# --- Validation -----------------------------------------------------------------------------------------------------
def validate_text(text: Any) -> str:
    """The text, stripped; `AnswerError` if it is not a string or is absurdly long."""
    if text is None:
        return ""
    if not isinstance(text, str):
        raise AnswerError("Le texte de la question doit être une chaîne de caractères.", "texte-invalide")
    if len(text) > MAX_TEXT_CHARS:
        raise AnswerError(
            f"Le texte est trop long ({MAX_TEXT_CHARS:,} caractères au plus).".replace(",", "\u202f"),
            "texte-trop-long",
        )
    # Control characters (except line breaks and tabs) carry no meaning and can break downstream tools.
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text).strip()


def validate_profile(profile: Any) -> dict[str, Any]:
    """The form's profile, checked against docs/contracts.md; `AnswerError` with a stable code on the first problem."""
    if profile is None:
        return {}
    if not isinstance(profile, dict):
        raise AnswerError(
            "Le profil doit être un objet JSON (age, statut, handicap, commune).", "profil-invalide"
        )
    unknown = sorted(str(key) for key in profile if key not in PROFILE_KEYS)
    if unknown:
        raise AnswerError(
            f"Clé(s) de profil inconnue(s) : {', '.join(unknown)[:200]}. Clés possibles : {', '.join(PROFILE_KEYS)}.",
            "profil-cle-inconnue",
        )
    clean: dict[str, Any] = {}
    age = profile.get("age")
    if age is not None:
        if isinstance(age, bool) or not isinstance(age, int) or not MIN_AGE <= age <= MAX_AGE:
            raise AnswerError(
                f"L’âge doit être un nombre entier entre {MIN_AGE} et {MAX_AGE}.", "age-invalide"
            )
        clean["age"] = age
    statut = profile.get("statut")
    if statut is not None and statut != "":
        if not isinstance(statut, str) or statut not in KNOWN_STATUTS:
            raise AnswerError(
                f"Statut inconnu. Valeurs possibles : {', '.join(KNOWN_STATUTS)}.", "statut-invalide"
            )
        clean["statut"] = statut
    handicap = profile.get("handicap")
    if handicap is not None:
        if not isinstance(handicap, bool):
            raise AnswerError("Le champ « handicap » doit valoir true ou false.", "handicap-invalide")
        clean["handicap"] = handicap
    commune = profile.get("commune")
    if commune is not None and commune != "":
        clean["commune"] = _commune_code(commune)
    return clean


def _commune_code(value: Any) -> str:
    """The INSEE code of the profile's commune, read by the one resolver: a valid INSEE code first (the API's
    contract), else a name, a postal code or both. `AnswerError` `commune-ambigue` (with `extra["choix"]`) or
    `commune-inconnue` otherwise."""
    if not isinstance(value, str):
        raise AnswerError("La commune doit être une chaîne de caractères.", "commune-inconnue")
    resolution = resolve(value, insee_first=True)
    if resolution.commune is None:
        detail, code, extra = error_payload(resolution)
        raise AnswerError(detail, code, extra)
    return resolution.commune.code_insee


# --- Merge ------------------------------------------------------------------------------------------------------------
def merge_profile(form: dict[str, Any], facts: Facts) -> tuple[Profile, list[str]]:
    """The form wins; the text fills the gaps (`from_text` names them). Returns the profile and the warnings about
    contradictions between the form and the text, or inside the form (the answer is still given)."""
    profile = Profile(
        age=form.get("age"),
        statut=form.get("statut"),
        handicap=form.get("handicap"),
        commune=form.get("commune"),
    )
    warnings: list[str] = []
    for name in (
        "age",
        "statut",
        "handicap",
        "commune",
        "niveau",
        "a_quitte_formation",
        "for_child",
        "child_age",
    ):
        stated = getattr(facts, name, None)
        if stated is None:
            continue
        current = getattr(profile, name)
        if current is None:
            setattr(profile, name, stated)
            profile.from_text.add(name)
        elif name == "age" and stated != current:
            warnings.append(
                f"Votre message indique {stated} ans mais le formulaire {current} ans : "
                "nous avons retenu l’âge du formulaire."
            )
        elif name == "statut" and stated != current:
            warnings.append(
                f"Votre message et le formulaire ne disent pas la même chose de votre situation : nous avons retenu "
                f"celle du formulaire ({STATUT_LABELS.get(current, current).lower()})."
            )
    warnings.extend(profile_contradictions(profile))
    return profile, warnings


def profile_contradictions(profile: Profile) -> list[str]:
    """Combinations that cannot both be true: said, never refused (the person may have made a typing slip)."""
    warnings = []
    if profile.age is not None and profile.statut in WORKING_STATUTS and profile.age < MIN_WORKING_AGE:
        label = STATUT_LABELS.get(profile.statut, profile.statut).lower()
        warnings.append(
            f"Vous indiquez {profile.age} ans et le statut « {label} », ce qui est inhabituel avant "
            f"{MIN_WORKING_AGE} ans : vérifiez votre âge ou votre situation. La réponse ci-dessous tient compte des "
            "deux."
        )
    if profile.age is not None and profile.statut == "collegien" and profile.age > 18:
        warnings.append(
            f"Vous indiquez {profile.age} ans et le statut « collégien ou collégienne » : vérifiez votre âge ou "
            "votre situation."
        )
    return warnings


# --- The answer -------------------------------------------------------------------------------------------------------
@sensitive_variables("text", "clean_text")
def answer(text: Any, profile: dict | None = None, *, model: str | None = None) -> Answer:
    """The first personalised answer to `text` and the optional form `profile` (docs/contracts.md).

    `model`: the embedding re-ranker of the métiers, `settings.SPRO_ANSWER_MODEL` when None ("none": lexical only).

    Raises `AnswerError(detail, code)` on bad input: text not a string or over `MAX_TEXT_CHARS`; profile with an
    unknown key, an age outside 10..100, an unknown statut, a commune that is not an INSEE code in force, a
    non-boolean handicap; empty text with an empty profile ("texte-vide": nothing to answer). A long text, a text
    in another language and a contradictory profile get an answer with warnings (`Analysis.warnings`).
    """
    clean_text = validate_text(text)
    form = validate_profile(profile)
    if not clean_text and not form:
        raise AnswerError(
            "Décrivez votre situation ou votre projet en quelques mots (ou renseignez votre profil).",
            "texte-vide",
        )
    warnings: list[str] = []
    if len(clean_text) > ANALYSED_CHARS:
        clean_text = _cut(clean_text, ANALYSED_CHARS)
        warnings.append(WARNING_TRUNCATED.format(n=f"{ANALYSED_CHARS:,}".replace(",", "\u202f")))

    language = _run("langue", languages.detect_language, clean_text) if clean_text else "fr"
    if language != "fr":
        # Not analysed (the analysers read French): a French answer; a few words give the main need if they can
        # (needs.FOREIGN_CUES), else the generic reception places.
        profile_obj, merge_warnings = merge_profile(form, Facts())
        metiers: list[MetierMatch] = []
        besoins = _run("besoins", needs_module.detect_besoins_foreign, clean_text)
        warnings = [WARNING_LANGUAGE, *warnings, *merge_warnings]
    else:
        profile_obj, merge_warnings = merge_profile(
            form, _run("faits", facts_module.extract_facts, clean_text) if clean_text else Facts()
        )
        warnings.extend(merge_warnings)
        if clean_text:
            model = model if model is not None else settings.SPRO_ANSWER_MODEL
            described: list[MetierMatch] = []
            metiers = _run(
                "metiers", metiers_module.match_metiers, clean_text, model=model, described=described
            )
            _works_from_job_named(profile_obj, described)
        else:
            metiers = []
            warnings.append(WARNING_NO_TEXT)
        besoins = _run("besoins", needs_module.detect_besoins, clean_text, profile_obj.subject(), metiers)
        if not besoins:
            besoins = [BesoinScore(Besoin.DECOUVRIR_METIERS.value, 0.3, ("par défaut",))]
    # Needs and routing read the person the answer is for: the child when a parent writes for one.
    subject = profile_obj.subject()
    orientations = _run("orientation", routing.route, subject, besoins, metiers)
    if subject.for_child:
        for orientation in orientations:
            orientation.raison = f"{FOR_CHILD_PREFIX}{orientation.raison[:1].lower()}{orientation.raison[1:]}"
            if orientation.raison_facile:
                facile = orientation.raison_facile
                orientation.raison_facile = f"{FOR_CHILD_PREFIX}{facile[:1].lower()}{facile[1:]}"
    etapes, ressources = _run("etapes", routing.next_steps, subject, besoins, metiers)
    analysis = Analysis(
        besoins=besoins, metiers=metiers, profile=profile_obj, language=language, warnings=warnings
    )
    logger.debug(
        "answer: %d besoin(s), %d métier(s), %d orientation(s), langue %s",
        len(besoins),
        len(metiers),
        len(orientations),
        language,
    )
    return Answer(analysis=analysis, orientations=orientations, etapes=etapes, ressources=ressources)


def _works_from_job_named(profile: Profile, described: list[MetierMatch]) -> None:
    """« Je suis aide-soignante », « cariste depuis 15 ans »: someone who names their job works. With no statut
    from the form or the text, they are taken as « salarié » (so a change of job goes to the CEP, not the CIO) —
    never for a pupil or a child a parent writes for."""
    if not described or profile.statut is not None or profile.for_child:
        return
    if profile.age is not None and profile.age < MIN_WORKING_AGE:
        return
    profile.statut = Statut.SALARIE.value
    profile.from_text.add("statut")


class AnswerFailure(RuntimeError):
    """A bug in one of the analysers (not bad input). Its message names the stage and the exception class only:
    the original message may quote the person's text, so it is never logged nor chained."""


def _run(stage: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call one stage of the analysis; an unexpected exception becomes an `AnswerFailure` without the text, logged
    with the code locations of its traceback (file, line, function) but not its message nor its variables."""
    try:
        return function(*args, **kwargs)
    except AnswerError:
        raise
    except Exception as exc:  # re-raised below, stripped of what could quote the text
        frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        logger.error("answer: stage %s failed with %s at\n%s", stage, type(exc).__name__, frames)
        failure = AnswerFailure(f"analyse impossible (étape {stage}, {type(exc).__name__})")
    raise failure


def _cut(text: str, limit: int) -> str:
    """The first `limit` characters, cut at the last space so that no word is cut in two."""
    head = text[:limit]
    space = head.rfind(" ")
    return head[:space] if space > limit * 0.8 else head
