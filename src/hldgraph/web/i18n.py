# Typographic dashes are meant in these texts.
# ruff: noqa: RUF001, RUF002
"""The choice of a page's language, and its dates and numbers in that language.

The pages' own words, and French punctuation in them, are :mod:`hldgraph.messages` (one table
for the web layer and for the pages the build writes); they are named here too, as the web
layer has always imported them.
"""

from __future__ import annotations

import datetime as dt

from flask import request

from hldgraph.charts import MONTHS
from hldgraph.errors import HldgraphError
from hldgraph.messages import LANGS as LANGS
from hldgraph.messages import MESSAGES as MESSAGES
from hldgraph.messages import translate as translate
from hldgraph.messages import typeset as typeset
from hldgraph.qvalues import MalformedQvalue, check
from hldgraph.web.http import single


def choose_lang() -> str:
    """``?lang=`` if given, else the best of the browser's Accept-Language, else English.
    A ``?lang=`` this site does not speak is a 400 naming it (it used to be ignored, so a
    mistyped link silently gave another language), and so is a second ``?lang=``; so is an
    Accept-Language with a malformed q-value (:class:`~hldgraph.qvalues.MalformedQvalue`,
    RFC 9110 §12.4.2), as an Accept with one is."""
    asked = single("lang", "")
    if asked and asked not in LANGS:
        raise HldgraphError(f"lang={asked!r} is not a language of this site; use "
                            + " or ".join(LANGS), 400)
    return asked or _accepted()


def layout_lang() -> str:
    """:func:`choose_lang` without its 400s, for what every page's layout shows, the error
    page included (which must render whatever the request asked: English when the error is
    Accept-Language's own)."""
    asked = request.args.get("lang", "")
    if asked in LANGS:
        return asked
    try:
        return _accepted()
    except MalformedQvalue:
        return "en"


def _accepted() -> str:
    """The first of :data:`LANGS` that Accept-Language's ranges find, most preferred first
    (by q-value; ties in the header's order), by RFC 4647 §3.4's lookup (a range loses its
    last subtag until it names a language here: ``fr-CH`` finds ``fr``); ``*`` finds the
    first that no range refuses (``q=0``); none: English. Its q-values are read by the rule
    of every header's (:func:`hldgraph.qvalues.check`): a malformed one raises
    MalformedQvalue."""
    check(request.headers.get("Accept-Language", ""), "Accept-Language")
    # werkzeug lists the ranges most specific first, "*" last whatever its q-value
    ranges = sorted(request.accept_languages, key=lambda r: -r[1])
    refused = {tag.lower() for tag, quality in ranges if quality <= 0}
    for tag, quality in ranges:
        if quality <= 0:
            break
        if tag == "*":
            return next((lang for lang in LANGS if lang not in refused), "en")
        subtags = tag.lower().split("-")
        while subtags:
            if (found := "-".join(subtags)) in LANGS:
                return found
            subtags.pop()
    return "en"


def month_name(month: int, lang: str) -> str:
    return MONTHS[lang][month - 1]


def number(n: int, lang: str) -> str:
    """``3,695`` in English, ``3\u202f695`` in French (a narrow no-break space groups the
    thousands; a comma is the French decimal mark)."""
    grouped = f"{n:,}"
    return grouped.replace(",", "\u202f") if lang == "fr" else grouped


def date_span(start: dt.date, end: dt.date | None, lang: str) -> str:
    """``8–17 February 2006``, ``27 February – 10 March 2006`` (``8-17 février 2006`` in French)."""
    end = end or start

    def day(d: dt.date) -> str:
        return "1er" if lang == "fr" and d.day == 1 else str(d.day)

    if start == end:
        return f"{day(start)} {month_name(start.month, lang)} {start.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{day(start)}–{day(end)} {month_name(end.month, lang)} {end.year}"
    return (f"{day(start)} {month_name(start.month, lang)} – "
            f"{day(end)} {month_name(end.month, lang)} {end.year}")
