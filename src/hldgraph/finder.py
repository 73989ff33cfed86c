"""Finds things by name in a build's lookup file: the search box, the suggest services and the
reconciliation service rank with this one index.

Searching the whole calendar with a fuzzy scorer would cost a call per label (about 200,000 at
100,000 events); instead, the words of every folded label (:func:`hldgraph.names.fold`) point to
the labels that hold them. A query's words are looked up exactly, by prefix (the word being
typed) and, from four letters, fuzzily among the distinct words (rapidfuzz); the labels holding
most of them, shortest first, are then scored whole (:func:`hldgraph.names.similarity`).
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from hldgraph.lookup import Contents, Entry
from hldgraph.names import LESS, PART, compact, fold, prefix_similarity, words
from hldgraph.urls import ORG, SCHEMA, SKOS

#: The kinds of thing the reconciliation service offers as types, as bits of a mask.
KINDS = {str(SCHEMA.Event): 1, str(ORG.Organization): 2, str(SCHEMA.Place): 4,
         str(SKOS.Concept): 8}
ANY = 0xFF
OTHER = 0x10
#: Labels scored whole per query, at most: those holding most of the query's words.
CANDIDATES = 120
#: A word of the query this close to a word of the index (rapidfuzz ratio) is that word.
WORD_CUTOFF = 80
#: Folded labels at most this long also stand for their compact form ("un desa" → "undesa").
COMPACT_MAX = 16


@dataclass(frozen=True)
class Hit:
    """A thing found: its entry, its score (0-100) and the label that matched best."""

    entry: Entry
    score: float
    label: str


def kind_mask(types: Iterable[str]) -> int:
    """The bits of :data:`KINDS` of a thing's types (:data:`OTHER` when it has none of them)."""
    return sum({KINDS[t] for t in types if t in KINDS}) or OTHER


class Finder:
    """Every label of a lookup file, folded and indexed by word."""

    def __init__(self, contents: Contents) -> None:
        self.contents = contents
        self.entries = contents.entries
        self.by_id = {e.id: i for i, e in enumerate(self.entries)}
        self.folded: list[str] = []
        owner: list[int] = []
        postings: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            for text, _ in e.labels:
                folded = fold(text)
                if not folded:
                    continue
                n = len(self.folded)
                self.folded.append(folded)
                owner.append(i)
                keys = set(words(folded))
                if " " in folded and len(folded) <= COMPACT_MAX:
                    keys.add(compact(folded))
                for key in keys:
                    postings.setdefault(key, []).append(n)
        self.owner = np.array(owner, dtype=np.int32)
        self.length = np.array([len(f) for f in self.folded], dtype=np.int32)
        masks = [kind_mask(e.types) for e in self.entries]
        self.kind = np.array([masks[i] for i in owner], dtype=np.uint8)
        self.vocabulary = sorted(postings)
        self.postings = {w: np.array(p, dtype=np.int32) for w, p in postings.items()}
        self.ids: dict[tuple[str, str], list[int]] = {}
        for i, e in enumerate(self.entries):
            for key in ("wikidata", "geonames"):
                for value in e.props.get(key, []):
                    self.ids.setdefault((key, value.casefold()), []).append(i)
        self._words = lru_cache(maxsize=4096)(self._find_words)
        # a build's index lives as long as the process: the collector need not walk it again
        gc.collect()
        gc.freeze()

    def __len__(self) -> int:
        return len(self.entries)

    def entry(self, iri: str) -> Entry | None:
        return self.entries[self.by_id[iri]] if iri in self.by_id else None

    def search(self, text: str, kinds: int = ANY, limit: int = 10, typing: bool = False
               ) -> list[Hit]:
        """The things whose labels best match ``text``, best first, at most ``limit``; only those
        of ``kinds`` (bits of :data:`KINDS`). ``typing``: the last word is still being typed
        (suggest, the search box as you type), so it may be the start of a word."""
        query = fold(text)
        if not query or limit <= 0:
            return []
        labels = self._candidates(query, kinds, typing)
        folded = [self.folded[n] for n in labels.tolist()]
        scores = self._scores(query, folded, typing).tolist()
        best: dict[int, tuple[float, str]] = {}
        for owner, label, s in zip(self.owner[labels].tolist(), folded, scores, strict=True):
            if owner not in best or s > best[owner][0]:
                best[owner] = (s, label)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], len(kv[1][1]),
                                                      self.entries[kv[0]].id))
        return [Hit(self.entries[owner], s, label) for owner, (s, label) in ranked[:limit]]

    @staticmethod
    def _scores(query: str, labels: list[str], typing: bool) -> np.ndarray:
        """:func:`hldgraph.names.similarity` (or :func:`~hldgraph.names.prefix_similarity`
        while typing) of each label, computed by rapidfuzz for all labels at once."""
        if not labels:
            return np.zeros(0)
        if typing:
            return np.array([prefix_similarity(query, label) for label in labels])
        matrix = [process.cdist([query], labels, scorer=s)[0]
                  for s in (fuzz.ratio, fuzz.token_sort_ratio, fuzz.token_set_ratio)]
        share = np.where(np.array([len(label) for label in labels]) >= len(query), PART, LESS)
        scores = np.maximum(np.maximum(matrix[0], matrix[1]), share * matrix[2])
        same = [label == query or compact(label) == compact(query) for label in labels]
        return np.where(same, 100.0, scores).astype(float)

    def with_id(self, key: str, value: str) -> list[Entry]:
        """The things whose ``key`` (wikidata, geonames) is ``value`` (``Q71``, its IRI, …)."""
        value = value.rstrip("/").rsplit("/", 1)[-1].casefold()
        return [self.entries[i] for i in self.ids.get((key, value), [])]

    def of_kinds(self, kinds: int) -> list[Entry]:
        """Every thing of ``kinds``, in IRI order."""
        return [e for e in self.entries if kind_mask(e.types) & kinds]

    def _candidates(self, query: str, kinds: int, typing: bool) -> np.ndarray:
        """The labels (indexes) holding most of the query's words, shortest first."""
        qwords = words(query)
        counts = np.zeros(len(self.folded), dtype=np.int16)
        for i, word in enumerate(qwords):
            found = self._words(word, typing and i == len(qwords) - 1)
            if found:  # a label counts once per word of the query, whichever variant it holds
                holds = np.zeros(len(self.folded), dtype=bool)
                for w in found:
                    holds[self.postings[w]] = True
                counts += holds
        if len(qwords) > 1 and compact(query) in self.postings:  # "UN DESA" is "UNDESA"
            counts[self.postings[compact(query)]] += len(qwords)
        if kinds != ANY:
            counts[(self.kind & kinds) == 0] = 0
        labels = np.flatnonzero(counts)
        if len(labels) > CANDIDATES:  # most words of the query first, then the shortest
            key = self.length[labels] - counts[labels].astype(np.int32) * 4096
            labels = labels[np.argpartition(key, CANDIDATES)[:CANDIDATES]]
        return labels

    def _find_words(self, word: str, typed: bool) -> list[str]:
        """Words of the index that stand for ``word``: itself, those it starts (``typed``) and,
        from four letters, those a typo or two away."""
        found = [word] if word in self.postings else []
        if typed:
            start = bisect.bisect_left(self.vocabulary, word)
            stop = bisect.bisect_left(self.vocabulary, word + "\uffff", lo=start)
            found += self.vocabulary[start:min(stop, start + 200)]
        if len(word) >= 4:
            found += [w for w, _, _ in process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=8)]
        return list(dict.fromkeys(found))
