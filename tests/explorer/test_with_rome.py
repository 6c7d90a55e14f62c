"""The explorer on the real ROME 4.0 (imported once for the module, rolled back): the pages, the bad parameters,
the anonymous count, the summary download, and gender invariance.

What could depend on gender in the pipeline, and why it does not:
- the questionnaire: it never asks gender (no such field), and its labels only show; scoring reads item ids;
- the fiches: ROME writes labels « Infirmier / Infirmière »; the first answer's index reads both forms, but the
  explorer's vectors read codes only (RIASEC letters, centres d'intérêt codes), and ties are broken by ROME code;
- the address: an extra parameter (« genre=f ») is ignored.
The tests rewrite every fiche and appellation label in the masculine only, then in the feminine only, and check
that the ranking (codes and scores) is identical.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest

from spro.answer import metiers
from spro.explorer import referential
from spro.explorer.models import DailyCount
from spro.explorer.questionnaire import Questionnaire, get_questionnaire
from spro.explorer.scoring import compute_profile, rank
from spro.referentials.rome.importers import RomeDataset
from spro.referentials.rome.models import Appellation, FicheMetier
from spro.search.details import split_gender
from tests.conftest import imported

pytestmark = pytest.mark.django_db

LEA = "r1=1&r2=2&r3=1&r8=3&r9=2&r14=1&r22=3&r23=2&r30=0"
PROFILES = [
    {8: 3, 9: 3, 1: 2, 11: 1, 31: 0},  # animals and nature
    {21: 3, 19: 3, 18: 2, 2: 0, 5: 0},  # technology and puzzles
    {1: 3, 2: 3, 3: 2, 4: 2, 26: 0},  # care and children
    {12: 3, 11: 3, 13: 2, 30: 1, 22: 0},  # building, hands, driving
    {1: 3, 2: 3, 3: 0, 4: 0, 5: 0},  # care and children only: many ties, which labels must not break
]


@pytest.fixture(scope="module")
def rome(django_db_setup, django_db_blocker):
    with imported(django_db_blocker, RomeDataset()):
        metiers.clear_index()
        referential.clear()
        yield
    metiers.clear_index()
    referential.clear()


def codes(html: str) -> list[str]:
    return re.findall(r'<h3 id="metier-([A-Z]\d{4})">', html)


def test_the_questionnaire_page_is_one_get_form_of_fieldsets_with_legends(rome, client):
    response = client.get("/explorer")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="get" action="/explorer/resultats"' in html
    q = get_questionnaire()
    assert html.count("<legend>") == len(q.items)
    names = set(re.findall(r"<input[^>]* name=\"([^\"]+)\"", html)) - {"q"}  # q: the header search box
    assert names == {item.param for item in q.items}
    for word in ("genre", "sexe", "csrfmiddlewaretoken"):
        assert f'name="{word}' not in html


def test_the_site_map_links_to_the_explorer(rome, client):
    assert 'href="/explorer"' in client.get("/plan-du-site/").content.decode()


def test_lea_gets_metiers_with_reasons_and_links_and_one_anonymous_count(rome, client):
    response = client.get(f"/explorer/resultats?{LEA}")
    assert response.status_code == 200
    html = response.content.decode()
    found = codes(html)
    assert 10 <= len(found) <= 20
    assert len({FicheMetier.objects.get(code_rome=c).parent_id or c for c in found}) == len(found)
    assert f'href="/metiers/{found[0]}"' in html
    # Each métier opens the choice: the formations that lead to it and the métiers one can reach from it.
    first = FicheMetier.objects.get(code_rome=found[0])
    assert f'href="/metiers/{found[0]}/parcours"' in html
    assert f'href="/recherche?q={quote_plus(first.libelle)}&amp;type=formation"' in html
    assert "Vous aimez : prendre soin des animaux" in html or "Vous aimez : dessiner" in html
    assert "Télécharger mon résumé" in html
    assert [(d.questionnaires) for d in DailyCount.objects.all()] == [1]
    # Adjusting the results is not a new questionnaire; nothing else is kept (no session, no cookie).
    client.get(f"/explorer/resultats?{LEA}&niveau_max=3")
    assert DailyCount.objects.get().questionnaires == 1
    assert not response.cookies


def test_animal_lovers_get_animal_metiers_first(rome, client):
    ranked = rank(compute_profile(PROFILES[0], get_questionnaire()), referential.get_referential().matrix)
    # Grand domaine A: agriculture, espaces verts, soins aux animaux.
    assert ranked[0].row.code.startswith("A")
    assert any("animaux" in r.row.libelle.lower() or "canin" in r.row.libelle.lower() for r in ranked[:3])


def test_adjustments_exclude_a_domain(rome, client):
    html = client.get(f"/explorer/resultats?{LEA}&sans=A").content.decode()
    assert codes(html) and not any(c.startswith("A") for c in codes(html))
    assert 'value="A" id="id_sans_0" checked' in html


@pytest.mark.parametrize(
    "query, message",
    [
        (
            "r1=7&r2=1&r3=1&r4=1&r5=1",
            "Soigner des personnes, les aider à aller mieux : choisissez une des réponses",
        ),
        ("r1=abc&r2=1&r3=1&r4=1&r5=1", "choisissez une des réponses proposées"),
        ("r1=1&r2=1", "Répondez à au moins 5 questions (vous avez répondu à 2)"),
        ("", "Répondez à au moins 5 questions (vous avez répondu à 0)"),
        ("r1=%00&r2=1&r3=1&r4=1&r5=1", "choisissez une des réponses proposées"),
    ],
)
def test_bad_answers_come_back_with_an_error_summary(rome, client, query, message):
    response = client.get(f"/explorer/resultats?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="notice notice--error error-summary" role="alert"' in html and "autofocus" in html
    assert message in html
    assert "<title>Erreur" in html
    assert not DailyCount.objects.exists()


@pytest.mark.parametrize("query", ["sans=Z", "niveau_max=99", "niveau_max=x&sans=%FF"])
def test_bad_adjustments_are_named_and_the_results_still_show(rome, client, query):
    response = client.get(f"/explorer/resultats?{LEA}&{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and codes(html)


def test_odd_addresses_never_give_a_500(rome, client):
    for query in (
        "r1=1&r1=2&r2=1&r3=1&r4=1&r5=1",
        "r999=3&" + LEA,
        "x" * 3000,
        LEA + "&sans=A&sans=A",
        "r1=",
    ):
        assert client.get(f"/explorer/resultats?{query}").status_code == 200
        assert client.get(f"/explorer/resume?{query}").status_code == 200


def test_the_summary_download_is_built_from_the_address(rome, client):
    response = client.get(f"/explorer/resume?{LEA}&sans=J")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mes-centres-interet.txt"'
    text = response.content.decode()
    page = client.get(f"/explorer/resultats?{LEA}&sans=J").content.decode()
    assert [
        line.split("(")[-1].rstrip(")") for line in text.splitlines() if re.match(r"^\d+\. ", line)
    ] == codes(page)
    assert f"/explorer/resultats?{LEA}&sans=J" in text


def test_everything_disliked_says_so_without_metiers(rome, client):
    html = client.get("/explorer/resultats?r1=0&r2=0&r3=0&r4=0&r5=0").content.decode()
    assert "Vous avez répondu « Pas du tout » partout" in html and not codes(html)


def _rankings() -> list[list[tuple[str, float]]]:
    matrix = referential.get_referential().matrix
    q = get_questionnaire()
    return [[(r.row.code, round(r.score, 12)) for r in rank(compute_profile(p, q), matrix)] for p in PROFILES]


def _relabel(form: int, fiches: dict[str, str], apps: dict[str, str]) -> None:
    """Every fiche and appellation label in one gender only (0 masculine, 1 feminine), from the ROME labels
    `fiches` and `apps`; caches rebuilt."""
    rows = list(FicheMetier.objects.all())
    for fiche in rows:
        fiche.libelle = split_gender(fiches[fiche.code_rome])[form]
    FicheMetier.objects.bulk_update(rows, ["libelle"], batch_size=500)
    appellations = list(Appellation.objects.all())
    for app in appellations:
        app.libelle_long = split_gender(apps[app.code_ogr])[form]
    Appellation.objects.bulk_update(appellations, ["libelle_long"], batch_size=1000)
    metiers.clear_index()
    referential.clear()


def test_the_ranking_is_identical_for_labels_in_the_feminine_and_the_masculine(rome, client):
    try:
        fiches = dict(FicheMetier.objects.values_list("code_rome", "libelle"))
        apps = dict(Appellation.objects.values_list("code_ogr", "libelle_long"))
        both = _rankings()
        page = codes(client.get(f"/explorer/resultats?{LEA}").content.decode())
        _relabel(0, fiches, apps)
        assert FicheMetier.objects.get(code_rome="J1506").libelle.startswith("Infirmier en")
        masculine = _rankings()
        page_m = codes(client.get(f"/explorer/resultats?{LEA}").content.decode())
        _relabel(1, fiches, apps)
        assert FicheMetier.objects.get(code_rome="J1506").libelle.startswith("Infirmière en")
        feminine = _rankings()
        page_f = codes(client.get(f"/explorer/resultats?{LEA}").content.decode())
    finally:
        metiers.clear_index()
        referential.clear()
    assert all(len(r) == 20 for r in both)
    assert masculine == both and feminine == both
    assert page_m == page == page_f


def test_a_gender_parameter_changes_nothing(rome, client):
    pages = [
        client.get(f"/explorer/resultats?{LEA}{extra}").content.decode()
        for extra in ("", "&genre=f", "&genre=m")
    ]
    assert codes(pages[0]) and codes(pages[0]) == codes(pages[1]) == codes(pages[2])


def test_questionnaire_labels_written_differently_give_the_same_profile():
    q = get_questionnaire()
    data = q.model_dump()
    for group in data["groupes"]:
        for item in group["items"]:
            item["libelle"] = f"Activité numéro {item['id']} écrite autrement"
    other = Questionnaire.model_validate(data)
    for answers in PROFILES:
        assert compute_profile(answers, other) == compute_profile(answers, q)


def _texts(html: str) -> str:
    """The page's own sentences: the lead, list items and paragraphs of its content, tags removed."""
    main = html[html.index("<h1") : html.index("</main>")]
    main = re.sub(r"<form.*?</form>", "", main, flags=re.DOTALL)  # the answers and controls are not prose
    parts = re.findall(r"<(?:p|li)[^>]*>(.*?)</(?:p|li)>", main, flags=re.DOTALL)
    return "\n".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", part)).strip() for part in parts)


def test_the_texts_a_pupil_reads_are_easy(rome, client):
    """Part 4's measure (spro.core.readability, Kandel & Moles ≥ 70, sentences ≤ 15 words) on the questionnaire's
    items and on the explorer's own sentences (the ROME labels quoted on the results are France Travail's)."""
    from spro.core.readability import MAX_SENTENCE_WORDS, MIN_SCORE, measure

    items = measure("\n".join(item.libelle + "." for item in get_questionnaire().items))
    assert items.score >= MIN_SCORE and items.longest_sentence <= MAX_SENTENCE_WORDS, items
    intro = measure(_texts(client.get("/explorer").content.decode()))
    assert intro.score >= MIN_SCORE and intro.longest_sentence <= MAX_SENTENCE_WORDS, intro
    html = client.get(f"/explorer/resultats?{LEA}").content.decode()
    start, end = html.index('id="titre-comment"'), html.index("</section>", html.index('id="titre-comment"'))
    how = measure(_texts("<h1>" + html[start:end] + "</main>"))
    assert how.score >= MIN_SCORE and how.longest_sentence <= MAX_SENTENCE_WORDS, how
