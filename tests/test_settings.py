"""Settings: every one documented, read from the environment, and checked at start-up."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from hldgraph.errors import SettingsError
from hldgraph.settings import Settings, load_settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", fields(Settings), ids=lambda f: f.name)
def test_every_setting_is_documented(field):
    assert f"`HLDGRAPH_{field.name.upper()}`" in README
    assert field.metadata["help"]


def test_environment_and_overrides(monkeypatch):
    monkeypatch.setenv("HLDGRAPH_PORT", "9001")
    monkeypatch.setenv("HLDGRAPH_FEDERATION", "yes")
    s = load_settings(workers=3)
    assert (s.port, s.federation, s.workers) == (9001, True, 3)


@pytest.mark.parametrize("env, value, message", [
    ("HLDGRAPH_PORT", "eighty", "HLDGRAPH_PORT: 'eighty' is not a valid int"),
    ("HLDGRAPH_FEDERATION", "perhaps", "HLDGRAPH_FEDERATION"),
    ("HLDGRAPH_STORE", "postgres", "store must be one of"),
    ("HLDGRAPH_BASE_IRI", "https://example.org/no-slash", "base_iri must be"),
    ("HLDGRAPH_QUERY_TIME_LIMIT_S", "0", "query_time_limit_s must be positive"),
])
def test_bad_values_are_named(monkeypatch, env, value, message):
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()


def test_the_remote_store_needs_its_url():
    with pytest.raises(SettingsError, match="store=sparql needs sparql_url"):
        load_settings(store="sparql")
