"""« Les aides qui peuvent vous concerner » on the first answer (spro/answer/aides.py): evaluated from the address's
codes (an age band, never an exact age), only the schemes that hold for every age of the band, a link to /aides."""

from __future__ import annotations

from spro.answer.aides import aides_of
from spro.answer.presentation import AgeBand
from spro.answer.types import Analysis, Answer, Profile


def answer_for(**profile) -> Answer:
    return Answer(Analysis(besoins=[], metiers=[], profile=Profile(**profile)), [], [], [])


def test_a_16_or_17_year_old_who_left_school_sees_the_schemes_that_hold_for_both_ages():
    found = aides_of(answer_for(age=AgeBand("16-17"), statut="sans-activite", niveau="sans"), shown=50)
    codes = {r.dispositif.id for r in found.aides}
    # CEJ and the obligation de formation hold at 16 and 17; EPIDE starts at 17: « peut-être », so not shown.
    assert {"cej", "obligation-formation", "droit-retour-formation"} <= codes
    assert "epide" not in codes and "cpf" not in codes
    assert all(r.eligibilite == "oui" for r in found.aides)
    assert found.total == len(found.aides)


def test_the_answer_shows_a_few_and_links_to_the_page_with_the_codes_but_no_age():
    found = aides_of(answer_for(age=AgeBand("18-25"), statut="demandeur-emploi", handicap=True))
    assert len(found.aides) == 4 < found.total
    assert found.url == "/aides?statut=demandeur-emploi&handicap=oui"


def test_a_parent_writing_for_a_child_gets_the_childs_schemes():
    said = {"age": AgeBand("31-plus"), "statut": "sans-activite", "child_age": AgeBand("16-17")}
    for_child = {r.dispositif.id for r in aides_of(answer_for(for_child=True, **said), shown=50).aides}
    for_parent = {r.dispositif.id for r in aides_of(answer_for(for_child=False, **said), shown=50).aides}
    assert "obligation-formation" in for_child and "obligation-formation" not in for_parent
