"""How a name written by a person is compared with the graph's labels: one rule for the search box,
the reconciliation service and the query page's completion.

A name is *folded* (:func:`fold`): accents and case dropped, dots of abbreviations removed
("U.N." → "un"), other punctuation a space, a few spelling variants made one ("organisation" →
"organization", "gov" → "government"). Two folded names are then compared by rapidfuzz's
weighted ratio, which tolerates small typos, word order and a name that is part of another; a
name written without its spaces ("UNDESA" for "UN DESA") is compared by its *compact* form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Spellings of one word that a person treats as the same word (folded forms).
VARIANTS = {
    "organisation": "organization", "organisations": "organizations", "labor": "labour",
    "program": "programme", "programs": "programmes", "gov": "government",
    "govt": "government", "government's": "government", "intl": "international",
    "dept": "department", "centre": "center", "st": "saint", "ste": "sainte", "and": "&",
    "et": "&",
}
_DOTS = re.compile(r"(?<=\w)[.](?=\w|\s|$)")
_OTHER = re.compile(r"[^\w&]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """``"Organisation internationale pour les Migrations (OIM)"`` →
    ``"organization internationale pour les migrations oim"``: no accents, no case, one space
    between words, spelling variants made one (:data:`VARIANTS`)."""
    if not text.isascii():  # ASCII has no accents to drop (NFKD leaves it as it is)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold()
    text = _OTHER.sub(" ", _DOTS.sub("", text)).replace("_", " ")
    return " ".join(VARIANTS.get(word, word) for word in text.split())


def compact(folded: str) -> str:
    """A folded name without its spaces: "un desa" and "undesa" are one name."""
    return folded.replace(" ", "")


def words(folded: str) -> list[str]:
    """The words of a folded name."""
    return folded.split()


def sorted_words(folded: str) -> str:
    """The words of a folded name in alphabetical order, one space apart: what rapidfuzz's
    token sort ratio compares (its ratio of the two names so written); ``folded`` itself where
    its words are in order already."""
    written = " ".join(sorted(folded.split()))
    return folded if written == folded else written


#: A query whose words are all words of a label scores this share of a full match: "Graduate
#: Institute Geneva" names the Graduate Institute of International Studies (Geneva), and
#: "Commission" every commission alike (so none is chosen).
PART = 0.9
#: A label whose words are all words of a longer query says less than the query asks: "UN" is
#: not "UN Population Fund".
LESS = 0.6


def similarity(query: str, label: str) -> float:
    """How well the folded ``label`` matches the folded ``query``, from 0 to 100: 100 for the
    same name (also written without spaces), high for typos (rapidfuzz's ratio) or another word
    order (token sort ratio), :data:`PART` for a name whose words the other holds (token set
    ratio; :data:`LESS` where the label is the shorter). Unlike rapidfuzz's WRatio, one shared
    word ("of") does not make a near match."""
    from rapidfuzz import fuzz  # on first use: with this module, 80 ms of every start-up

    if query == label or compact(query) == compact(label):
        return 100.0
    share = PART if len(query) <= len(label) else LESS
    return max(fuzz.ratio(query, label), fuzz.token_sort_ratio(query, label),
               share * fuzz.token_set_ratio(query, label))


def prefix_similarity(query: str, label: str) -> float:
    """:func:`similarity` for a name being typed: a label that starts with what is typed, or one
    of whose words does, ranks as if it were the whole name, shorter ones first."""
    score = prefix_score(query, label)
    return similarity(query, label) if score is None else score


def prefix_score(query: str, label: str) -> float | None:
    """:func:`prefix_similarity` of a label that starts with ``query`` or one of whose words
    does; None for any other label (its score is :func:`similarity`)."""
    if label.startswith(query) or f" {query}" in label:
        return 100.0 - min(len(label) - len(query), 40) / 4
    return None
