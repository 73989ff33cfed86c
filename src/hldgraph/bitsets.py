"""Sets of small numbers (a name index's labels) as arrays of bits, and how many of several sets
hold each number, for :class:`hldgraph.finder.Finder`.

Counting the query's words per label with one array of counts as long as the index
(``np.bincount``) costs a pass over every label, and a common word (a quarter of all labels hold
"meeting") as many increments as the labels holding it. As bits, a set of 219,000 labels is
3,422 machine words: a union, an intersection or a count over sets is a few passes over those,
whatever the sets hold. Counts are kept as bit planes (plane *i* holds the labels whose count has
bit *i*), added to as a binary adder adds (:func:`count`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Little-endian 64-bit words, so that a set seen as bytes lists its numbers in order.
WORD = np.dtype("<u8")
#: Numbers set one by one (ufunc.at) below this many, through an array of booleans above.
_ONE_BY_ONE = 2048
_ONE = np.uint64(1)


def size(n: int) -> int:
    """The words a set of the numbers 0 … ``n`` - 1 takes."""
    return (n + 63) >> 6


def of(numbers: np.ndarray, n: int) -> np.ndarray:
    """The set of ``numbers`` (each 0 … ``n`` - 1, in any order, repeats allowed)."""
    numbers = np.asarray(numbers, dtype=np.int64)
    if len(numbers) < _ONE_BY_ONE:
        bits = np.zeros(size(n), dtype=WORD)
        np.bitwise_or.at(bits, numbers >> 6, np.left_shift(_ONE, (numbers & 63).astype(WORD)))
        return bits
    holds = np.zeros(size(n) << 6, dtype=bool)
    holds[numbers] = True
    return np.packbits(holds, bitorder="little").view(WORD)


def count(sets: Sequence[np.ndarray]) -> list[np.ndarray]:
    """How many of ``sets`` hold each number, as bit planes: plane *i* is the set of numbers
    whose count has bit *i*; there are ``len(sets).bit_length()`` planes."""
    planes: list[np.ndarray] = []
    for added, bits in enumerate(sets, start=1):
        carry = bits
        for i, plane in enumerate(planes):
            planes[i], carry = plane ^ carry, plane & carry
        if added.bit_length() > len(planes):  # only now can a count need another bit
            planes.append(carry)
    return planes


def exactly(planes: Sequence[np.ndarray], inverse: Sequence[np.ndarray], most: int
            ) -> np.ndarray:
    """The numbers held by exactly ``most`` sets (1 … 2 ** len(planes) - 1), from the planes
    of :func:`count` and their complements (``inverse``)."""
    level = (planes if most & 1 else inverse)[0]
    for i in range(1, len(planes)):
        level = level & (planes[i] if most >> i & 1 else inverse[i])
    return level


def first(bits: np.ndarray, limit: int) -> np.ndarray:
    """The numbers of the set ``bits`` in increasing order, sliced ``[:limit]`` as a list is
    (a negative ``limit`` leaves that many out at the end); only the words holding the first
    ``limit`` numbers are unpacked."""
    nonzero = np.flatnonzero(bits)
    if limit > 0:
        ends = np.cumsum(np.bitwise_count(bits[nonzero]))
        nonzero = nonzero[:int(np.searchsorted(ends, limit)) + 1]
    unpacked = np.unpackbits(bits[nonzero].view(np.uint8), bitorder="little")
    # as booleans (unpacked bits are 0 or 1), one dimension: a 2-D nonzero cost 6 times more
    held = np.flatnonzero(unpacked.view(bool))  # bit i: bit i % 64 of word i // 64
    return (nonzero[held >> 6] * 64 + (held & 63))[:limit]
