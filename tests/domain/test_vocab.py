"""One vocabulary per concept (issue 14): every member has a label, members are their JSON
strings, the engine's own value lists are the enums, and no second label table is left."""

from __future__ import annotations

import ast
import json
import re
import tokenize
import tomllib
from pathlib import Path

import pytest

import radiculopathy_desktop
from radiculopathy_desktop.domain import followup, guideline, medications, triage, vocabulary
from radiculopathy_desktop.domain.vocab import (
    VOCABULARIES,
    DecisionKind,
    Direction,
    ImagingDecision,
    MedicineStatus,
    ReviewStatus,
    StorageErrorKind,
    Tier,
    member,
    most_urgent,
)
from radiculopathy_desktop.resources import resource_path

PACKAGE = Path(radiculopathy_desktop.__file__).parent


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_every_member_has_one_distinct_label(vocabulary):
    table = VOCABULARIES[vocabulary]
    assert set(table) == set(vocabulary), "the label table names exactly the members"
    labels = [m.label for m in vocabulary]
    assert all(isinstance(x, str) and x.strip() for x in labels)
    assert len(set(labels)) == len(labels), "two members would read the same"


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_members_are_their_json_strings(vocabulary):
    for m in vocabulary:
        assert m == m.value and str(m) == m.value and f"{m}" == m.value
        assert json.dumps({"x": m}) == json.dumps({"x": m.value})
        assert member(vocabulary, m.value) is m
    assert member(vocabulary, "no such value") is None and member(vocabulary, None) is None


def test_the_engine_lists_are_the_enums():
    assert triage.TIERS == guideline.TIERS == guideline.URGENCIES == tuple(Tier)
    assert guideline.DIRECTIONS == tuple(Direction)
    assert guideline.IMAGING_DECISIONS == tuple(ImagingDecision)
    assert medications.STATUSES == tuple(MedicineStatus)
    assert medications.STATUS_LABELS is VOCABULARIES[MedicineStatus]
    assert vocabulary.DECISIONS is VOCABULARIES[DecisionKind]
    assert followup.ReviewStatus is ReviewStatus and followup.STATUS_LABELS is VOCABULARIES[ReviewStatus]
    assert followup.STATUS_ORDER == list(ReviewStatus)
    assert followup.TERMINAL_DECISIONS == {DecisionKind.REFERRED_FOR_SURGICAL_OPINION,
                                           DecisionKind.PATIENT_DECLINED, DecisionKind.RESOLVED_DISCHARGED}


def test_the_schemas_name_the_same_values():
    case = json.loads(resource_path("schemas/case.schema.json").read_text())
    kinds = case["properties"]["decisions"]["items"]["properties"]["kind"]["enum"]
    assert kinds == [k.value for k in DecisionKind]
    text = resource_path("schemas/assessment.schema.json").read_text()
    assert '["ok", "not_fully_checked", "caution", "reduce_dose", "avoid", "contraindicated"]' in text
    assert [m.value for m in MedicineStatus] == ["ok", "not_fully_checked", "caution", "reduce_dose", "avoid",
                                                  "contraindicated"]


def test_every_direction_and_imaging_decision_in_the_guideline_data_is_a_member():
    for path in resource_path("guidelines").glob("*.toml"):
        text = path.read_text()
        for value in re.findall(r'^\s*direction\s*=\s*"(\w+)"', text, re.M):
            assert member(Direction, value), (path.name, value)
        for value in re.findall(r'^\s*decision\s*=\s*"(\w+)"', text, re.M):
            assert member(ImagingDecision, value), (path.name, value)
        tomllib.loads(text)  # and the file is TOML


def test_loaded_content_carries_members_not_bare_strings():
    g = guideline.load_guideline("uk")
    recs = [r for s in g.steps for r in s.recommendations]
    assert recs and all(type(r.direction) is Direction for r in recs)
    assert {Direction.DO_NOT_OFFER, Direction.RECOMMEND} <= {r.direction for r in recs}
    assert all(type(r.decision) is ImagingDecision and type(r.urgency) is Tier
               for r in (*g.routine_imaging, *g.red_flag_imaging))


def test_tier_order_and_words():
    assert [t.rank for t in Tier] == [0, 1, 2]
    assert most_urgent("routine", Tier.URGENT) is Tier.URGENT
    assert most_urgent(Tier.EMERGENCY, "urgent") is Tier.EMERGENCY
    assert most_urgent("routine") is Tier.ROUTINE
    # the words the JSON tier_label and the text report have always printed
    assert [t.label for t in Tier] == ["EMERGENCY", "URGENT (same day)", "Routine"]
    assert [t.action_label for t in Tier] == ["EMERGENCY - act now", "URGENT - same day", "Routine"]


def test_direction_groups():
    assert {d for d in Direction if d.offers} == {Direction.RECOMMEND, Direction.CONSIDER}
    assert {d for d in Direction if d.rules_out} == {Direction.DO_NOT_OFFER, Direction.NOT_RECOMMENDED}
    assert not Direction.DISPUTED.offers and not Direction.DISPUTED.rules_out


def test_a_storage_error_of_an_unknown_kind_fails_where_it_is_written():
    from radiculopathy_desktop.storage.db import StorageError
    assert StorageError("locked", "busy").kind is StorageErrorKind.LOCKED
    with pytest.raises(ValueError):
        StorageError("lockd", "busy")


def _string_literals() -> dict[Path, set[str]]:
    """Every string literal in the package, file by file (comments and longer texts that
    merely mention a label are not tables)."""
    out: dict[Path, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        found = set()
        with tokenize.open(path) as f:
            for tok in tokenize.generate_tokens(f.readline):
                if tok.type == tokenize.STRING and not tok.string.lstrip("rbRB").startswith(("f", "F")):
                    try:
                        found.add(ast.literal_eval(tok.string))
                    except (ValueError, SyntaxError):
                        pass
        out[path] = found
    return out


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_no_second_label_table(vocabulary):
    """Each label is written once, in domain/vocab.py: a copy elsewhere would be a second
    table that can drift (as the tier words did: four tables, three wordings)."""
    words = set()
    for m in vocabulary:
        words.add(m.label)
        if vocabulary is Tier:
            words.add(m.action_label)
    words = {w for w in words if len(w) > 3}  # "OK", "Due": too common to police
    for path, literals in _string_literals().items():
        if path.name == "vocab.py":
            continue
        copies = words & literals
        assert not copies, f"{path.relative_to(PACKAGE)} has its own label(s) {sorted(copies)}"


def test_most_urgent_reads_a_table_of_the_tiers_and_gives_what_the_definition_gives():
    """Issue 17: most_urgent looks each tier up in a table made once from the vocabulary
    (rank and member by string) instead of making Tier(t) and reading .rank per call. Over
    every pair and triple of members and strings it gives the definition's answer (the
    lowest rank), always a Tier member; a string that is no tier is refused as before."""
    import itertools

    import pytest

    from radiculopathy_desktop.domain.vocab import _TIER_RANKED, Tier, most_urgent

    assert {k: v[0] for k, v in _TIER_RANKED.items()} == {t.value: t.rank for t in Tier}
    values = [*Tier, *(t.value for t in Tier)]
    for n in (1, 2, 3):
        for tiers in itertools.product(values, repeat=n):
            got = most_urgent(*tiers)
            assert type(got) is Tier and got == min((Tier(t) for t in tiers), key=lambda t: t.rank)
    with pytest.raises(ValueError):
        most_urgent("routine", "soon")


def test_an_alerts_status_label_is_the_vocabularys_label_read_from_its_table():
    import pytest

    from radiculopathy_desktop.domain.medicine_alerts import _status_label
    from radiculopathy_desktop.domain.vocab import MedicineStatus

    for status in MedicineStatus:
        assert _status_label(status) == _status_label(status.value) == MedicineStatus(status).label
    with pytest.raises(ValueError):
        _status_label("stop")
