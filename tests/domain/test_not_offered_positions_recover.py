"""A guideline that fails to load must not cost the medicine table NICE's "do not offer" rows
for the rest of the session.

NICE NG59 ("Pharmacological management of sciatica", 2020 update) says not to offer gabapentinoids for sciatica; the uk profile's medicine
table shows that position beside the medicine (one source of truth with the pathway). Before
this fix the positions were cached per profile and phase even when the guideline could not be
loaded: one failed load (a file being replaced, a malformed edit) left every later uk
assessment in the process without the position, silently, and ``clear_guideline_cache`` did not
bring it back.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain import guideline as guideline_mod
from radiculopathy_desktop.domain import medications
from radiculopathy_desktop.domain.guideline import GuidelineError, clear_guideline_cache
from radiculopathy_desktop.domain.phase import phase_name


@pytest.fixture(autouse=True)
def _fresh_caches():
    clear_guideline_cache()
    medications._not_offered_cached.cache_clear()
    yield
    clear_guideline_cache()
    medications._not_offered_cached.cache_clear()


PHASE = phase_name(30)


def test_a_failed_guideline_load_is_not_remembered(monkeypatch):
    real = guideline_mod.load_guideline

    def broken(profile, resources_dir=None):
        raise GuidelineError("uk.toml: not valid TOML (test)")

    monkeypatch.setattr(guideline_mod, "load_guideline", broken)
    assert medications._not_offered("uk", PHASE) == {}  # the pathway reports the error itself

    monkeypatch.setattr(guideline_mod, "load_guideline", real)
    positions = medications._not_offered("uk", PHASE)
    assert "gabapentinoid" in positions
    reason, position = positions["gabapentinoid"]
    assert position["organisation"] == "NICE"
    assert "NG59" in position["source"]


def test_an_error_that_is_not_the_guideline_s_own_propagates(monkeypatch):
    def crashing(profile, resources_dir=None):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(guideline_mod, "load_guideline", crashing)
    with pytest.raises(RuntimeError):
        medications._not_offered("uk", PHASE)


def test_clearing_the_guideline_cache_reworks_the_positions(monkeypatch):
    real = guideline_mod.load_guideline
    loads = []

    def counting(profile, resources_dir=None):
        loads.append(profile)
        return real(profile, resources_dir)

    monkeypatch.setattr(guideline_mod, "load_guideline", counting)
    first = medications._not_offered("uk", PHASE)
    assert medications._not_offered("uk", PHASE) == first
    assert loads == ["uk"]  # worked out once per profile and phase
    clear_guideline_cache()
    assert medications._not_offered("uk", PHASE) == first
    assert loads == ["uk", "uk"]  # read again from the guideline after the cache was cleared
