"""« Les aides qui peuvent vous concerner » on the first answer (issue 15): the schemes and aids of the catalogue
(`spro.aides`) evaluated from what the answer's address carries — age band, statut, diploma level, disability,
commune — never from the text. Only the schemes that hold for every age of the band are shown (« oui »); the page
links to `/aides`, where the person can give an exact age and see the « peut-être » ones too."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from spro.aides.evaluation import OPEN_TO_ALL, Resultat
from spro.aides.service import aides_for, situation
from spro.answer.presentation import AGE_BANDS, AgeBand
from spro.answer.types import Answer

#: How many schemes the answer shows; the rest are one link away (/aides).
SHOWN = 4


@dataclass(frozen=True)
class AidesOfAnswer:
    aides: list[Resultat] = field(default_factory=list)
    total: int = 0
    url: str = ""


def aides_of(result: Answer, shown: int = SHOWN) -> AidesOfAnswer:
    """The schemes that concern the person the answer is for (the child when a parent writes for one)."""
    subject = result.analysis.profile.subject()
    age, age_max = subject.age, None
    if isinstance(age, AgeBand):
        age_max = next(high for code, _low, high, _words in AGE_BANDS if code == age.code)
    found = [
        r
        for r in aides_for(
            situation(
                age=int(age) if age is not None else None,
                age_max=age_max,
                statut=subject.statut,
                handicap=subject.handicap,
                niveau=subject.niveau,
                commune=subject.commune,
            )
        )
        if r.eligibilite == "oui"
    ]
    # The schemes made for the person first: the more of their conditions the person meets (age, statut, level,
    # territory…), the more targeted; a scheme open to everyone comes last. Ties keep the catalogue's title order.
    found.sort(key=lambda r: -len([reason for reason in r.raisons if reason != OPEN_TO_ALL]))
    # The link says what the address already says (codes), never an age: /aides asks for it.
    query = {
        "statut": subject.statut or "",
        "niveau": subject.niveau or "",
        "handicap": {True: "oui", False: "non", None: ""}[subject.handicap],
        "commune": subject.commune or "",
    }
    url = reverse("aides:aides") + "?" + urlencode({k: v for k, v in query.items() if v})
    return AidesOfAnswer(found[:shown], len(found), url.rstrip("?"))
