"""The one name index (hldgraph.finder) on its own: what a calendar much larger than the leaflet's
asks of it, where labels share most of their words."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

import numpy as np

from hldgraph import bitsets
from hldgraph.finder import CANDIDATES, Finder, Vocabulary, _similarities
from hldgraph.lookup import ANY, KINDS, Contents, Entry
from hldgraph.names import fold, similarity

EVENT = "http://schema.org/Event"
ORGANIZATION = "http://www.w3.org/ns/org#Organization"
WORDS = ("regional", "expert", "meeting", "remittances", "labour", "seminar", "panel")
TITLES = [" ".join(t) for t in itertools.permutations(WORDS, 4)]


def _contents() -> Contents:
    """840 events titled with four of seven words in every order, and one whose title is
    longer than all of them."""
    entries = [Entry(f"https://example.org/e/{i}", [EVENT], labels=[(title, "en")])
               for i, title in enumerate(TITLES)]
    entries.append(Entry("https://example.org/e/long", [EVENT],
                         labels=[("Regional expert meeting on remittances and labour", "en")]))
    return Contents("https://example.org/", entries, [], [], {})


def test_a_label_typed_whole_is_found_first_among_many_that_hold_its_words():
    # 120 titles hold three of its words: only the whole name tells it from them
    hits = Finder(_contents()).search("Regional Expert Meeting on Remittances and Labour")
    assert hits[0].entry.id == "https://example.org/e/long" and hits[0].score == 100


def test_a_word_said_twice_counts_once():
    # counted three times, "panel" would put 150 labels holding it alone before the one that
    # holds two other words of the query, and leave that one out of those scored
    entries = [Entry(f"https://example.org/p/{i}", [EVENT], labels=[(f"Panel {i}", "en")])
               for i in range(150)]
    entries.append(Entry("https://example.org/two", [EVENT],
                         labels=[("Expert labour session", "en")]))
    f = Finder(Contents("https://example.org/", entries, [], [], {}))
    found = [h.entry.id for h in f.search("panel panel panel expert labour", limit=200)]
    assert "https://example.org/two" in found


def test_labels_are_numbered_shortest_first():
    f = Finder(_contents())
    assert [len(x) for x in f.folded] == sorted(len(x) for x in f.folded)
    assert fold("Regional expert meeting on remittances and labour") in f.folded


def test_the_vocabulary_finds_typos_by_deletion_and_words_by_prefix():
    v = Vocabulary(["remittances", "regional", "seminar", "session", "organization"])
    assert v.near("remitances", 80, 8) == ["remittances"]  # a letter left out
    assert v.near("seminra", 80, 8) == ["seminar"]  # two letters swapped
    assert v.near("organisatoin", 80, 8) == ["organization"]  # two mistakes in a long word
    assert v.near("xylophone", 80, 8) == []
    assert v.starting("se", 10) == ["seminar", "session"]
    assert v.starting("se", 1) == ["seminar"]


def test_bit_sets_count_the_sets_holding_each_number_as_an_array_of_counts_would():
    rng = np.random.default_rng(3)
    n = 1000  # not a whole number of 64-bit words
    # empty, small (set one by one), and more numbers than bitsets sets one by one, with repeats
    sets = [rng.integers(0, n, size) for size in (0, 5, 300, 999, 3000)]
    planes = bitsets.count([bitsets.of(s, n) for s in sets])
    counts = np.bincount(np.concatenate([np.unique(s) for s in sets]), minlength=n)
    inverse = [~p for p in planes]
    assert len(planes) == len(sets).bit_length()
    for most in range(1, len(sets) + 1):
        level = bitsets.exactly(planes, inverse, most)
        expected = np.flatnonzero(counts == most).tolist()
        assert bitsets.first(level, n).tolist() == expected
        assert bitsets.first(level, 7).tolist() == expected[:7]  # only the first words unpacked
        assert bitsets.first(level, -3).tolist() == expected[:-3]  # sliced as a list is


def _counted_candidates(f: Finder, query: str, kinds: int, typing: bool) -> list[int]:
    """The candidates as the finder chose them before bit sets: an array of counts per label."""
    qwords = list(dict.fromkeys(query.split()))
    held = [np.unique(np.concatenate([f.postings[w] for w in variants]))
            for i, word in enumerate(qwords)
            if (variants := f._words(word, typing and i == len(qwords) - 1))]
    counts = np.bincount(np.concatenate(held or [np.zeros(0, np.int32)]), minlength=len(f.folded))
    if kinds != ANY:
        counts[(f.kind & kinds) == 0] = 0
    named = f._named(query, kinds)
    counts[named] = 0
    chosen = named.tolist()
    for most in range(int(counts.max(initial=0)), 0, -1):
        chosen += np.flatnonzero(counts == most)[:CANDIDATES - len(chosen)].tolist()
        if len(chosen) >= CANDIDATES:
            break
    return chosen


def test_the_labels_scored_are_those_an_array_of_counts_chooses():
    contents = _contents()
    contents.entries += [Entry(f"https://example.org/o/{i}", [ORGANIZATION],
                               labels=[(f"Regional {w} seminar body", "en")])
                         for i, w in enumerate(WORDS)]
    f = Finder(contents)
    for text in ("regional expert meeting", "panel labour panel", "seminar", "remitances expert",
                 "meeting on remittances and labour", "regional exp", "sem", "nothing here"):
        for kinds, typing in itertools.product((ANY, KINDS[EVENT], KINDS[ORGANIZATION]),
                                               (False, True)):
            query = fold(text)
            assert f._candidates(query, kinds, typing).tolist() == \
                _counted_candidates(f, query, kinds, typing), (text, kinds, typing)


def test_close_words_that_tie_are_chosen_alike_in_every_process():
    """Twelve words one letter from the query score alike: the eight kept are the first by
    spelling, whatever order a process's hash seed gives a set (two workers, two front ends
    must answer alike)."""
    words = [f"abcdefg{c}" for c in "hijklmnopqrs"]
    assert Vocabulary(words).near("abcdefgz", 80, 8) == words[:8]
    script = ("from hldgraph.finder import Vocabulary; "
              f"print(Vocabulary({words!r}).near('abcdefgz', 80, 8))")
    seen = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
            for seed in ("1", "2", "3", "4")}
    assert seen == {f"{words[:8]!r}\n"}


def test_more_labels_that_are_the_query_than_are_scored_are_cut_to_the_limit():
    entries = [Entry(f"https://example.org/p/{i}", [EVENT], labels=[("Panel", "en")])
               for i in range(CANDIDATES + 10)]
    entries += [Entry(f"https://example.org/s/{i}", [EVENT], labels=[(f"Panel session {i}", "en")])
                for i in range(50)]
    f = Finder(Contents("https://example.org/", entries, [], [], {}))
    assert len(f._candidates("panel", ANY, typing=False)) == CANDIDATES


def test_search_scores_are_the_numbers_similarity_gives():
    """Search scores every label at once; reconciliation's matching reads the same numbers as
    hldgraph.names.similarity, one by one: they must be equal, not nearly."""
    titles = (*TITLES[:200], "Regional expert meeting on remittances and labour", "UN DESA",
              "undesa", "Gov of Mexico", "Government of Mexico")
    f = Finder(Contents("https://example.org/", [
        Entry(f"https://example.org/e/{i}", [EVENT], labels=[(t, "en")])
        for i, t in enumerate(titles)], [], [], {}))
    numbers = np.arange(len(f.folded))
    for query in ("regional expert meeting", "un desa", "gov mexico", "remitances labour",
                  "seminar panel expert regional"):
        expected = [similarity(query, label) for label in f.folded]
        assert f._scores(query, numbers, f.folded, typing=False).tolist() == expected
        assert _similarities(query, f.folded, f._sorted.tolist(), f.length,
                             f.compact_hash).tolist() == expected


def test_the_ratio_of_sorted_words_is_the_token_sort_ratio():
    """The finder scores the token sort ratio as the plain ratio of names whose words it sorted
    (names.sorted_words): the same numbers as rapidfuzz's, for any folded name (accents,
    digits, other scripts, underscores, runs of spaces and other spaces, none at all)."""
    import random

    from rapidfuzz import fuzz, process

    from hldgraph.names import sorted_words

    letters = [*"ab cd  e_ 1 2 & . , - ' ",
               # accents, ligatures, numerals, Greek, Cyrillic, CJK, Arabic, Hebrew, astral
               *"\xe9\xfc\xdf\u017f\ufb01\u216b\xb2\xbd\u0130\u0131\u01c5\u0390\u03a9\u0436",
               *"\u4e2d\u6587\u0627\u0643\u05d4\U0001d518\U0001f600\u203f\u0663\u0be7",
               # other spaces, a zero-width one, a combining accent
               "\u00a0", "\u2003", "\u200b", "\u0301", "\u1680", "\x1c", "\x85", "\t", "\n",
               "un ", "organisation ", "st. "]
    chosen = random.Random(2006)
    names = [*(fold("".join(chosen.choice(letters) for _ in range(chosen.randint(0, 14))))
               for _ in range(400)), "", "a", "a a", "b a"]
    queries, labels = [*names[:200], "", "a"], names[200:]
    ordered = [sorted_words(label) for label in labels]
    for query in queries:
        expected = process.cdist([query], labels, scorer=fuzz.token_sort_ratio,
                                 dtype=np.float64)[0]
        got = process.cdist([sorted_words(query)], ordered, scorer=fuzz.ratio,
                            dtype=np.float64)[0]
        assert got.tolist() == expected.tolist(), query
