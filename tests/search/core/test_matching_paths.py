"""How matches are found: relaxed matching when no document holds every word, the PostgreSQL posting arrays
against the GIN index, the in-memory snapshot (filters, browse order, reload after a rebuild)."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection

from spro.search import snapshot as snapshots
from spro.search.backends import get_backend, postgresql
from spro.search.service import parse_query, search, vocabulary
from spro.search.snapshot import parse_ids

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    return [hit.code for hit in response.resultats]


def test_when_no_document_holds_every_word_those_holding_all_but_one_are_the_answer(index):
    # No formation is in Rennes *and* in apprenticeship *and* about web development: the ones holding three of
    # the four words come back, not every document that only says "alternance" or "rennes".
    response = search("developeur web alternance rennes")
    assert set(codes(response)) == {"certifinfo-100002", "parcoursup-a1", "parcoursup-a2"}
    assert response.total == 3


def test_relaxation_respects_the_filters(index):
    # No métier holds three of the words: among métiers, the best level is two words (développeur web).
    response = search("developeur web alternance rennes", type="metier")
    assert codes(response)[:1] == ["M1805"]
    assert all(hit.type == "metier" for hit in response.resultats)


def test_two_words_that_never_meet_give_both(index):
    response = search("infirmier boulanger")
    found = set(codes(response))
    assert {"J1506", "D1102"} <= found


def test_browsing_by_filter_is_in_title_order_across_pages(index):
    everything = search("", departement="35", par_page=50).resultats
    page2 = search("", departement="35", par_page=2, page=2).resultats
    assert [hit.code for hit in page2] == [hit.code for hit in everything[2:4]]


def test_snapshot_drops_ids_it_does_not_hold_and_reloads_for_a_new_build(index):
    vocab = vocabulary()
    snap = snapshots.snapshot(vocab.build_id)
    assert snapshots.snapshot(vocab.build_id) is snap
    beyond = np.array([int(snap.ids[0]), snap.size + 5], dtype=np.int64)
    assert snap.known(beyond).tolist() == [int(snap.ids[0])]
    other = snapshots.snapshot(("another build", None))
    assert other is not snap and other.ids.tolist() == snap.ids.tolist()


def test_vocabulary_is_kept_until_a_new_index_build_appears(index):
    from spro.search.models import IndexBuild, SearchVocabulary

    vocab = vocabulary()
    assert vocabulary() is vocab
    SearchVocabulary.objects.create(token="motnouveau", df=1)
    assert "motnouveau" not in vocabulary().df  # same build: the kept vocabulary
    IndexBuild.objects.create(documents=vocab.documents)
    fresh = vocabulary()
    assert fresh is not vocab and fresh.df["motnouveau"] == 1 and fresh.build_id != vocab.build_id


def test_parse_ids_sorts_and_deduplicates():
    assert parse_ids("5,3,3,9").tolist() == [3, 5, 9]
    assert parse_ids("").size == 0
    assert parse_ids(None).size == 0


@pytest.mark.parametrize(
    ("query", "mode"),
    [("infirmier", "and"), ("developpeur web", "and"), ("formation", "and"), ("infirmier boulanger", "or")],
)
def test_postgresql_posting_arrays_give_the_same_ids_as_the_gin_index(index, monkeypatch, query, mode):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    vocab = vocabulary()
    groups = [list(g.tokens) for g in parse_query(query, vocab.df) if g.known]
    backend = get_backend()
    through_gin = backend.match_ids(groups, mode)  # no frequencies: always the GIN index
    monkeypatch.setattr(postgresql, "GIN_MAX_DOCUMENTS", -1)
    through_postings = backend.match_ids(groups, mode, vocab.df)
    assert through_gin.size > 0
    assert through_postings.tolist() == through_gin.tolist()
