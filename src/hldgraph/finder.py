"""Finds things by name in a build's lookup file: the search box, the suggest services and the
reconciliation service rank with this one index.

Searching the whole calendar with a fuzzy scorer would cost a call per label (about 200,000 at
100,000 events); instead, the words of every folded label (:func:`hldgraph.names.fold`) point to
the labels that hold them. A query's words are looked up exactly, by prefix (the word being
typed) and, from four letters, fuzzily among the distinct words (:class:`Vocabulary`); the
labels holding most of them, shortest first, are then scored whole
(:func:`hldgraph.names.similarity`). Labels are numbered shortest first, so that the shortest
of a set are its lowest numbers, and the query's words are counted per label over sets of labels
as bits (:mod:`hldgraph.bitsets`): at 219,000 labels, a few passes over 3,422 machine words
instead of an increment per label holding a word (a common one is held by a quarter of them).
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from hldgraph import bitsets
from hldgraph.labels import Label
from hldgraph.lookup import ANY, Contents, Entry, kind_mask
from hldgraph.names import LESS, PART, compact, fold, prefix_score, sorted_words, words

#: Labels scored whole per query, at most: those holding most of the query's words.
CANDIDATES = 120
#: A word of the query this close to a word of the index (rapidfuzz ratio) is that word.
WORD_CUTOFF = 80
#: Folded labels at most this long also stand for their compact form ("un desa" → "undesa").
COMPACT_MAX = 16
_NONE = np.zeros(0, dtype=np.int32)
#: Words of a prefix (the word being typed) looked up, at most.
PREFIXED = 200
#: Words of queries whose labels are kept as bits (27 kB each at 219,000 labels), at most.
HOLDING = 1024


class Hit(NamedTuple):
    """A thing found: its entry, its score (0-100), the label that matched best (folded) and
    the number of that label among the entry's own (:attr:`written`)."""

    entry: Entry
    score: float
    label: str
    which: int

    @property
    def written(self) -> Label:
        """The label that matched as the graph writes it, with its language."""
        return Label(*self.entry.labels[self.which])


class Finder:
    """Every label of a lookup file, folded and indexed by word."""

    def __init__(self, contents: Contents) -> None:
        self.contents = contents
        self.entries = contents.entries
        self.by_id = {e.id: i for i, e in enumerate(self.entries)}
        self.iris = [e.id for e in self.entries]
        # labels numbered shortest first: "the shortest" of a set of labels is its lowest numbers
        numbered = sorted((fold(text), i, j) for i, e in enumerate(self.entries)
                          for j, (text, _) in enumerate(e.labels))
        numbered.sort(key=lambda fij: len(fij[0]))  # stable: by length, then text and owner
        # a folded label of a thing once, written as the first of its labels that folds so
        firsts = {(folded, i): j for folded, i, j in reversed(numbered) if folded}
        labelled = list(dict.fromkeys((folded, i) for folded, i, _ in numbered if folded))
        self.which = np.array([firsts[fi] for fi in labelled], dtype=np.int32)
        self.folded = [folded for folded, _ in labelled]
        self._folded = np.array(self.folded, dtype=object)  # taken many at once
        # the token sort ratio sorts a label's words at every call: sorted once, they are
        # scored by the plain ratio, the same numbers in a quarter of the time
        self._sorted = np.array([sorted_words(f) for f in self.folded], dtype=object)
        postings: dict[str, list[int]] = {}
        for n, folded in enumerate(self.folded):
            keys = set(words(folded))
            if " " in folded and len(folded) <= COMPACT_MAX:
                keys.add(compact(folded))
            for key in keys:
                postings.setdefault(key, []).append(n)
        self.owner = np.array([i for _, i in labelled], dtype=np.int32)
        masks = [kind_mask(e.types) for e in self.entries]
        self.kind = np.array([masks[i] for _, i in labelled], dtype=np.uint8)
        # what ranking and scoring read per label and per thing, as arrays: taken many at once
        self.length = np.array([len(folded) for folded in self.folded], dtype=np.int32)
        # hashes, not the strings: 2 MB instead of 15 at 219,000 labels (equal hashes checked)
        self.compact_hash = np.array([hash(compact(folded)) for folded in self.folded],
                                     dtype=np.int64)
        self.rank = np.empty(len(self.entries), dtype=np.int32)  # of each thing's IRI
        self.rank[sorted(range(len(self.entries)), key=self.iris.__getitem__)] = \
            np.arange(len(self.entries), dtype=np.int32)
        self.vocabulary = Vocabulary(postings)
        self.postings = {w: np.array(p, dtype=np.int32) for w, p in postings.items()}
        self.ids: dict[tuple[str, str], list[int]] = {}
        for i, e in enumerate(self.entries):
            for key in ("wikidata", "geonames"):
                for value in e.props.get(key, []):
                    self.ids.setdefault((key, value.casefold()), []).append(i)
        # a word held by more labels than a set of them as bits has words is kept as bits too
        self.common = {w: bitsets.of(p, len(self.folded)) for w, p in self.postings.items()
                       if len(p) > bitsets.size(len(self.folded))}
        self._words = lru_cache(maxsize=4096)(self._find_words)
        self._holding = lru_cache(maxsize=HOLDING)(self._find_holding)
        self._of_kinds = lru_cache(maxsize=256)(self._find_of_kinds)
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
        folded = self._folded[labels].tolist()
        scores = self._scores(query, labels, folded, typing)
        owners = self.owner[labels]
        # each thing's best label: its highest score, the first candidate among equals
        order = np.lexsort((np.arange(len(labels)), -scores, owners))
        firsts = np.ones(len(order), dtype=bool)
        firsts[1:] = owners[order[1:]] != owners[order[:-1]]
        best = order[firsts]
        # best score, then shortest label, then IRI (unique)
        best = best[np.lexsort((self.rank[owners[best]], self.length[labels[best]],
                                -scores[best]))][:limit]
        return [Hit(self.entries[owners[i]], s, folded[i], which)
                for i, s, which in zip(best.tolist(), scores[best].tolist(),
                                       self.which[labels[best]].tolist(), strict=True)]

    def _scores(self, query: str, labels: np.ndarray, folded: list[str], typing: bool
                ) -> np.ndarray:
        """:func:`hldgraph.names.similarity` (or :func:`~hldgraph.names.prefix_similarity`
        while typing) of each of ``labels`` (numbers; ``folded``: their text), computed by
        rapidfuzz for all labels at once."""
        if not typing:
            return _similarities(query, folded, self._sorted[labels].tolist(),
                                 self.length[labels], self.compact_hash[labels])
        prefixed = [prefix_score(query, label) for label in folded]
        rest = np.array([s is None for s in prefixed], dtype=bool)
        scores = np.array([100.0 if s is None else s for s in prefixed])
        scores[rest] = _similarities(query, [f for f, r in zip(folded, rest, strict=True) if r],
                                     self._sorted[labels[rest]].tolist(),
                                     self.length[labels[rest]], self.compact_hash[labels[rest]])
        return scores

    def with_id(self, key: str, value: str) -> list[Entry]:
        """The things whose ``key`` (wikidata, geonames) is ``value`` (``Q71``, its IRI, …)."""
        value = value.rstrip("/").rsplit("/", 1)[-1].casefold()
        return [self.entries[i] for i in self.ids.get((key, value), [])]

    def of_kinds(self, kinds: int) -> list[Entry]:
        """Every thing of ``kinds``, in IRI order."""
        return [e for e in self.entries if kind_mask(e.types) & kinds]

    def _candidates(self, query: str, kinds: int, typing: bool) -> np.ndarray:
        """The labels (numbers) to score, :data:`CANDIDATES` at most: those that are the query
        (also without its spaces), then those holding most of its words, the shortest first."""
        qwords = list(dict.fromkeys(words(query)))  # a word said twice is one word
        held = [h for i, word in enumerate(qwords)  # per word, the labels holding a variant
                if (h := self._holding(word, typing and i == len(qwords) - 1)) is not None]
        planes = bitsets.count(held)
        inverse = [~plane for plane in planes]
        allowed = None if kinds == ANY else self._of_kinds(kinds)
        named = self._named(query, kinds)
        if len(named):  # chosen first, whatever they hold
            unnamed = ~bitsets.of(named, len(self.folded))
            allowed = unnamed if allowed is None else allowed & unnamed
        chosen = [named[:CANDIDATES]]
        for most in range(len(held) if len(named) < CANDIDATES else 0, 0, -1):  # most first
            level = bitsets.exactly(planes, inverse, most)
            if allowed is not None:
                level = level & allowed
            if not level.any():  # no label holds that many: the first level that does is
                continue  # the highest count, where an array of counts would begin
            chosen.append(bitsets.first(level, CANDIDATES - sum(map(len, chosen))))
            if sum(map(len, chosen)) >= CANDIDATES:
                break
        return np.concatenate(chosen)

    def _find_holding(self, word: str, typed: bool) -> np.ndarray | None:
        """The labels holding a word that stands for ``word`` (:meth:`_find_words`), as bits
        (:mod:`hldgraph.bitsets`); None where no word of the index does. Read-only: kept."""
        variants = self._words(word, typed)
        if not variants:
            return None
        rare = [self.postings[w] for w in variants if w not in self.common]
        bits = bitsets.of(np.concatenate(rare or [_NONE]), len(self.folded))
        for w in variants:
            if w in self.common:
                bits |= self.common[w]
        bits.flags.writeable = False
        return bits

    def _find_of_kinds(self, kinds: int) -> np.ndarray:
        """The labels of things of ``kinds``, as bits."""
        bits = bitsets.of(np.flatnonzero(self.kind & kinds), len(self.folded))
        bits.flags.writeable = False
        return bits

    def _named(self, query: str, kinds: int) -> np.ndarray:
        """The labels that are ``query``, also written without its spaces ("UN DESA" is
        "UNDESA"), of ``kinds``."""
        # labels are numbered by length, then text: among those of the query's length, by text
        # asked in the array's own type: another would have numpy convert the whole array
        span = np.array([len(query), len(query) + 1], dtype=self.length.dtype)
        lo, hi = self.length.searchsorted(span).tolist()
        start = bisect.bisect_left(self.folded, query, lo, hi)
        same = list(range(start, bisect.bisect_right(self.folded, query, start, hi)))
        if " " in query:
            same += self.postings.get(compact(query), _NONE).tolist()
        if not same:  # most queries: no label is the query (np.unique costs more than this)
            return _NONE
        labels = np.unique(np.array(same, dtype=np.int32))
        return labels[(self.kind[labels] & kinds) != 0]

    def _find_words(self, word: str, typed: bool) -> list[str]:
        """Words of the index that stand for ``word``: itself, those it starts (``typed``) and,
        from four letters, those a typo or two away."""
        v = self.vocabulary
        found = [word] if word in self.postings else []
        if typed:
            found += v.starting(word, PREFIXED)
        if len(word) >= 4:
            found += v.near(word, WORD_CUTOFF, limit=8)
        return list(dict.fromkeys(found))


def _similarities(query: str, labels: list[str], sorted_: list[str], lengths: np.ndarray,
                  hashes: np.ndarray) -> np.ndarray:
    """:func:`hldgraph.names.similarity` of each of ``labels``, by rapidfuzz for all at once,
    in doubles: the very numbers that similarity() computes one by one, so that search, suggest
    and reconciliation score alike. ``sorted_``, ``lengths`` and ``hashes``: the labels'
    :func:`~hldgraph.names.sorted_words`, lengths and hashes of their
    :func:`~hldgraph.names.compact` forms, as the index keeps them."""
    if not labels:
        return np.zeros(0)
    # the token sort ratio is the ratio of the names with their words sorted
    ratio, sort = (process.cdist([q], texts, scorer=fuzz.ratio, dtype=np.float64)[0]
                   for q, texts in ((query, labels), (sorted_words(query), sorted_)))
    share = np.where(lengths >= len(query), PART, LESS)
    scores = np.maximum(ratio, sort)
    # the token set ratio (at most 100, the dearest of the three) can beat only these
    open_ = np.flatnonzero(scores < share * 100)
    if len(open_):
        held = process.cdist([query], [labels[i] for i in open_.tolist()],
                             scorer=fuzz.token_set_ratio, dtype=np.float64)[0]
        scores[open_] = np.maximum(scores[open_], share[open_] * held)
    # a label that is the query is so without its spaces too
    same, whole = hashes == hash(compact(query)), compact(query)
    for i in np.flatnonzero(same).tolist():  # few: an equal hash, then the very string
        same[i] = compact(labels[i]) == whole
    return np.where(same, 100.0, scores).astype(float)


class Vocabulary:
    """The distinct words of the labels: found by prefix (a sorted list) and by typo.

    A typo is found as SymSpell finds one (Wolf Garbe, 2012): every word is indexed under the
    strings it leaves with a letter deleted (two, from :data:`TWO_DELETES` letters), so that a
    word within a deletion or two on either side, a substitution, insertion, deletion or swap
    away, shares a key with it. Those few words are then scored by rapidfuzz's ratio; comparing
    the word with the whole vocabulary would cost 2 ms at 100,000 events.
    """

    #: Words at least this long are indexed (and looked up) with two letters deleted too.
    TWO_DELETES = 8

    def __init__(self, words: Iterable[str]) -> None:
        self.sorted = sorted(words)
        self.deleted: dict[str, list[str]] = {}
        for w in self.sorted:
            for key in self._deletes(w):
                self.deleted.setdefault(key, []).append(w)

    def __len__(self) -> int:
        return len(self.sorted)

    def starting(self, prefix: str, limit: int) -> list[str]:
        """The first ``limit`` words (in order) that start with ``prefix``."""
        start = bisect.bisect_left(self.sorted, prefix)
        stop = bisect.bisect_left(self.sorted, prefix + "\uffff", lo=start)
        return self.sorted[start:min(stop, start + limit)]

    def near(self, word: str, cutoff: float, limit: int) -> list[str]:
        """Words whose rapidfuzz ratio with ``word`` is at least ``cutoff`` (0-100), the
        closest first, at most ``limit``."""
        # a word is indexed under itself too: a deletion of the query may be a word
        close = {w for key in self._deletes(word) for w in self.deleted.get(key, ())}
        found = process.extract(word, list(close), scorer=fuzz.ratio, score_cutoff=cutoff,
                                limit=None)
        # ties broken by the word, not by the set's order, which differs from one process
        # to another (PYTHONHASHSEED): every worker and front end must answer alike
        return [w for w, _, _ in sorted(found, key=lambda f: (-f[1], f[0]))[:limit]]

    @classmethod
    def _deletes(cls, word: str) -> set[str]:
        """``word`` and what it leaves with one letter deleted (two, if long)."""
        keys = {word}
        for _ in range(2 if len(word) >= cls.TWO_DELETES else 1):
            keys |= {k[:i] + k[i + 1:] for k in keys for i in range(len(k))}
        return keys
