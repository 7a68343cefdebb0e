"""wording29: three (or more) NSAIDs taken at once are never told "Two NSAIDs ...; stop one".

From the source, not the code: the US NSAID class labelling (Motrin, Celebrex prescribing information,
Drug Interactions table; sources.toml nsaid-class-label) says the combined use of two NSAIDs, or an NSAID
with salicylates, is not recommended: no added benefit, more GI bleeding and kidney harm. Taken three at
once, all but one are to stop; "stop one" would leave two. Boundaries: two NSAIDs keep the two-NSAID
words; three and four (ibuprofen, naproxen, Arthrotec, etoricoxib) get the several words, on the alert
(banner, Review list, worklist mark and its Why tip: the alert's action) and in the pathway's review of
an NSAID already taken (uk NICE NG59 and us ACP 2017 wording)."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.medications import assess_medications
from tests.helpers.example_case import l5_case

AS_OF = dt.date(2026, 11, 25)
IBU, NAP, ART, ETO = ("ibuprofeno 600 mg 2 comprimidos tres veces al día", "naproxen 500mg bd",
                      "Arthrotec 50 bd", "etoricoxib 60mg od")
TWO_WORDS = "Two NSAIDs together: no added benefit, more GI bleeding and kidney harm; stop one."
SEVERAL_WORDS = "More than two NSAIDs together: no added benefit, more GI bleeding and kidney harm; stop all but one."


def _nsaid_alert(names, profile):
    case = l5_case([{"name": n} for n in names])
    alerts = [a for a in medicine_alerts(assess_medications(case.intake, AS_OF, profile=profile))
              if a.kind == "interaction" and "NSAIDs together" in a.text]
    assert len(alerts) == 1, alerts
    return alerts[0]


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("names,words", [
    ((IBU, NAP), TWO_WORDS),
    ((NAP, ART), TWO_WORDS),
    ((IBU, NAP, ART), SEVERAL_WORDS),
    ((IBU, NAP, ART, ETO), SEVERAL_WORDS),
])
def test_the_alert_counts_the_nsaids(names, words, profile):
    alert = _nsaid_alert(names, profile)
    assert len(alert.medicines) == len(names)
    assert alert.text.startswith("Taking ") and words in alert.text, alert.text
    assert alert.status_label == "Avoid"
    if words == SEVERAL_WORDS:
        assert "Two NSAIDs" not in alert.text and "stop one." not in alert.text


def test_the_worklist_mark_says_stop_all_but_one():
    """The worklist's Medicine alerts mark (and its Why tip, AlertMark.words) keep the alert's words."""
    from radiculopathy_desktop.domain.worklist_marks import alert_marks

    for names, words in (((IBU, NAP), "stop one."), ((IBU, NAP, ART), "stop all but one.")):
        said = [m for m in alert_marks(l5_case([{"name": n} for n in names]), AS_OF, "uk")
                if "NSAIDs together" in m.action]
        assert len(said) == 1 and said[0].label == "Avoid", said
        assert words in said[0].words() and len(said[0].medicines) == len(names)


@pytest.mark.parametrize("names", [(IBU, NAP), (IBU, NAP, ART)])
def test_the_nsaid_rows_say_no_more_than_one_at_a_time(names):
    """The ibuprofen and naproxen rows' own note (rule nsaid-duplicate) counts no "two" (H-MED-564)."""
    case = l5_case([{"name": n} for n in names])
    report = assess_medications(case.intake, AS_OF, profile="uk")
    notes = [r.text for row in report.rows for r in row.reasons if r.rule.split("@")[0] == "nsaid-duplicate"]
    assert len(notes) == 2, notes  # the ibuprofen row and the naproxen row
    assert all(t.endswith("do not take NSAIDs together (no more than one at a time).") for t in notes), notes
    assert not any("two NSAIDs" in t for t in notes)


def _review(names, profile):
    case = l5_case([{"name": n} for n in names],
                   treatments_tried=[{"code": "advice_self_management", "started": "2026-11-19"}])
    data = assess_case(case, AS_OF, profile=profile).to_dict()
    recs = [r for s in data["pathway"]["steps"] if s["id"] == "medicines" for r in s["recommendations"]
            if r["id"] == "nsaid"]
    assert len(recs) == 1
    return recs[0]["taking_now"]["text"]


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_the_pathway_review_of_several_nsaids_says_review_them_stop_all_but_one(profile):
    text = _review((IBU, NAP, ART), profile)
    assert "review them:" in text and "stop all but one" in text, text
    assert "review it rather than start another NSAID" not in text
    assert "Do not add a second NSAID" not in text  # a second (and third) is already taken


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_the_pathway_review_of_one_nsaid_is_unchanged(profile):
    text = _review((NAP,), profile)
    assert "review it rather than start another NSAID" in text and "Do not add a second NSAID." in text
    assert "stop all but one" not in text


# --------------------------------------------------------------------------- the data is checked
@pytest.mark.parametrize("several, in_profile, message", [
    (3, None, "text_several must be a text"),
    ("t", {"uk": {"text": "t", "source": ["nsaid-class-label"]}}, "not beside in_profile"),
    ("t {nope}", None, "unknown placeholder"),
])
def test_a_bad_text_several_is_refused(several, in_profile, message):
    import copy

    from radiculopathy_desktop.domain.medications import MedicineDataError
    from tests.domain.test_rule_sources_per_profile_src18 import _build, _raw

    raw = copy.deepcopy(_raw())
    ix = next(i for i in raw["rules.toml"]["interaction"] if i["id"] == "ix-two-nsaids")
    ix["text_several"] = several
    if in_profile:
        ix["in_profile"] = in_profile
    with pytest.raises(MedicineDataError, match=message):
        _build(raw)
