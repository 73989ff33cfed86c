"""schema.org markup that search engines accept, read with a real extractor (extruct).

Google's rules: https://developers.google.com/search/docs/appearance/structured-data/event
(required: name, startDate, location with its address; recommended: description, endDate,
eventStatus, organizer with url, eventAttendanceMode) and .../dataset (required: name,
description of 50 to 5000 characters; recommended: url, license, creator, distribution with
contentUrl and encodingFormat, keywords, temporalCoverage, spatialCoverage, identifier).
"""

from __future__ import annotations

import extruct
import pytest
import requests

from tests.conftest import select

BASE = "https://w3id.org/hld2006/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
#: A page of each kind of thing, and the schema.org type it is marked up with.
PAGE_TYPES = {
    "doc/event/7.html": "Event", "doc/org/iom.html": "Organization",
    "doc/place/geneva.html": "Place", "doc/resolution/a-res-60-227.html": "Legislation",
    "doc/resolution/a-res-60-227/para/15.html": "Legislation",
    "doc/initiative/3.html": "CreativeWork", "doc/theme/migration-and-development.html":
    "DefinedTerm", "doc/themes.html": "DefinedTermSet", "doc/dataset/hld2006.html": "Dataset",
    "doc/catalog.html": "DataCatalog", "": "Dataset", "doc/graph/source.html": "Dataset",
}


def json_ld(live: str, path: str, lang: str = "en") -> list[dict]:
    r = requests.get(f"{live}/{path}", params={"lang": lang}, headers={"Accept": BROWSER},
                     timeout=60)
    assert r.status_code == 200, path
    return extruct.extract(r.text, base_url=f"{live}/{path}", syntaxes=["json-ld"],
                           uniform=True)["json-ld"]


def _page_of(live: str, url: str) -> str:
    """A url of the markup (under the base IRI) as served by the test server."""
    assert url.startswith(BASE), url
    return live + "/" + url.removeprefix(BASE)


@pytest.mark.parametrize("path,type_", PAGE_TYPES.items())
def test_every_page_type_has_one_typed_json_ld(live, path, type_):
    items = json_ld(live, path)
    assert len(items) == 1 and items[0]["@type"] == type_


def _events(live: str) -> list[str]:
    rows = select(live, "SELECT ?e WHERE { ?e a <http://schema.org/Event> }")
    return [r["e"].removeprefix(BASE + "id/") for r in rows]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_event_page_meets_googles_event_rules(live, lang):
    events = _events(live)
    assert len(events) >= 50
    organisers: set[str] = set()
    for path in events:
        [e] = json_ld(live, f"doc/{path}.html", lang)
        assert e["@type"] == "Event" and e["name"] and e["startDate"], path
        place = e["location"]
        assert place["@type"] == "Place" and place["name"], path
        address = place["address"]
        assert address["@type"] == "PostalAddress", path
        assert address["addressLocality"] and len(address["addressCountry"]) == 2, path
        assert e["endDate"] >= e["startDate"], path
        assert e["eventStatus"] == "https://schema.org/EventScheduled"
        assert e["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
        assert len(e["description"]) > len(e["name"]) and place["name"] in e["description"]
        assert e["inLanguage"] == lang
        for org in e["organizer"]:
            assert org["@type"] == "Organization" and org["name"] and org["url"], path
            organisers.add(org["url"])
    for url in organisers:  # each organiser's url is its page
        r = requests.get(_page_of(live, url), headers={"Accept": BROWSER}, timeout=60)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html"), url


def _check_dataset(d: dict) -> None:
    assert d["@type"] == "Dataset" and d["name"]
    assert 50 <= len(d["description"]) <= 5000
    for key in ("url", "license", "keywords", "temporalCoverage", "spatialCoverage",
                "identifier", "isAccessibleForFree", "isBasedOn"):
        assert d.get(key), key
    assert d["creator"]["name"] and d["creator"]["@type"] == "Organization"
    assert d["distribution"]
    for dist in d["distribution"]:
        assert dist["@type"] == "DataDownload"
        assert dist["contentUrl"].startswith("http") and dist["encodingFormat"], dist


def test_the_dataset_page_carries_the_whole_dataset_as_the_landing_page(live):
    [landing] = json_ld(live, "")
    [own] = json_ld(live, "doc/dataset/hld2006.html")
    _check_dataset(landing)
    _check_dataset(own)
    assert {k: v for k, v in own.items() if k != "@context"} == \
        {k: v for k, v in landing.items() if k != "@context"}
    r = requests.get(f"{live}/id/dataset/hld2006", headers={"Accept": BROWSER},
                     allow_redirects=False, timeout=60)
    assert r.status_code == 303 and r.headers["Location"] == "/doc/dataset/hld2006.html"


def test_the_catalogue_page_is_a_data_catalog_of_the_dataset(live):
    [c] = json_ld(live, "doc/catalog.html")
    [d] = json_ld(live, "")
    assert c["@type"] == "DataCatalog" and c["name"]
    assert [x["@id"] for x in c["dataset"]] == [d["@id"]]
    assert c["dataset"][0]["@type"] == "Dataset"
