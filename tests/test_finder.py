"""The one name index (hldgraph.finder) on its own: what a calendar much larger than the leaflet's
asks of it, where labels share most of their words."""

from __future__ import annotations

import itertools

from hldgraph.finder import Finder, Vocabulary
from hldgraph.lookup import Contents, Entry
from hldgraph.names import fold

EVENT = "http://schema.org/Event"
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
