"""docs/seed-coverage.md names a real place for every seed recommendation (issue 18).

The doc lists each recommendation sentence of both seed summaries with where it appears
(pathway step or recommendation per profile, check, monitoring item, disagreement, imaging
rule, red-flag question, intake condition) and the handout section. This test fails if a
listed place does not exist, so the doc cannot drift from the content.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.guideline import CHECK_IDS, MONITORING_IDS, load_guideline
from radiculopathy_desktop.domain.vocabulary import BOOLEAN_CONDITIONS, RED_FLAG_QUESTIONS, SPECIAL_CONSIDERATIONS
from radiculopathy_desktop.reports.handout_content import LANGUAGES, load_sheet

DOC = Path(__file__).resolve().parents[2] / "docs" / "seed-coverage.md"
POSITIONS = {"offered", "offered with cautions", "disputed", "not for radicular pain", "not offered"}
ROW = re.compile(r"^\| (S[12]-\d\d) \|(.*)\|\s*$")


def rows() -> list[dict]:
    out = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if not m:
            continue
        cells = [c.strip() for c in m.group(2).split(" | ")]
        assert len(cells) == 5, f"{m.group(1)}: expected 5 cells after the id, got {len(cells)}"
        sentence, pathway, handout, position, evidence = cells
        out.append({"id": m.group(1), "sentence": sentence, "pathway": re.findall(r"`([^`]+)`", pathway),
                    "handout": re.findall(r"`([^`]+)`", handout), "handout_cell": handout,
                    "position": position, "evidence": evidence})
    return out


ROWS = rows()


def test_the_doc_lists_both_seeds_without_gaps_or_duplicates():
    ids = [r["id"] for r in ROWS]
    assert len(ids) == len(set(ids))
    for seed, n in (("S1", 19), ("S2", 37)):
        mine = sorted(i for i in ids if i.startswith(seed))
        assert mine == [f"{seed}-{k:02d}" for k in range(1, n + 1)], f"{seed} rows missing or out of order"


def _exists(token: str) -> bool:
    kind, _, rest = token.partition(":")
    if kind in ("us", "uk"):
        g = load_guideline(kind)
        step_id, _, rec_id = rest.partition(".")
        try:
            step = g.step(step_id)
        except KeyError:
            return False
        return not rec_id or any(r.id == rec_id for r in step.recommendations)
    if kind == "check":
        return rest in CHECK_IDS and all(load_guideline(p).check(rest) for p in ("us", "uk"))
    if kind == "monitoring":
        return rest in MONITORING_IDS and all(load_guideline(p).monitoring_item(rest) for p in ("us", "uk"))
    if kind == "disagreement":
        return any(d.id == rest for p in ("us", "uk") for d in load_guideline(p).disagreements)
    if kind == "imaging":
        profile, _, rule = rest.partition(":")
        g = load_guideline(profile)
        return any(r.id == rule for r in (*g.red_flag_imaging, *g.routine_imaging))
    if kind == "red_flag":
        return rest in RED_FLAG_QUESTIONS
    if kind == "condition":
        return rest in BOOLEAN_CONDITIONS or rest in SPECIAL_CONSIDERATIONS or rest == "pain_classification"
    return False


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_every_listed_pathway_place_exists(row):
    assert row["pathway"], f"{row['id']} has no place in the pathway"
    missing = [t for t in row["pathway"] if not _exists(t)]
    assert not missing, f"{row['id']}: no such place: {missing}"


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_every_listed_handout_section_exists_in_both_languages(row):
    if not row["handout"]:
        assert row["handout_cell"] == "-", f"{row['id']}: handout cell must list sections or be '-'"
        return
    for token in row["handout"]:
        sheet_id, _, heading = token.partition("#")
        en = load_sheet(sheet_id, "en")
        headings = [s.heading for s in en.sections]
        assert heading in headings, f"{row['id']}: {sheet_id} has no section {heading!r}"
        index = headings.index(heading)
        for lang in LANGUAGES:
            assert len(load_sheet(sheet_id, lang).sections) > index, f"{row['id']}: {lang} {sheet_id} lacks it"


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_every_row_states_a_position_and_its_primary_evidence(row):
    assert row["position"] in POSITIONS, f"{row['id']}: unknown position {row['position']!r}"
    assert row["evidence"] and row["sentence"]
    if row["position"] == "disputed":
        # both sides shown: a disagreement, or a recommendation whose data is marked disputed
        disputed = any(t.startswith("disagreement:") for t in row["pathway"])
        assert disputed, f"{row['id']}: a disputed row must point at the disagreement that shows both sides"


def test_a_place_that_does_not_exist_is_caught():
    assert not _exists("us:non_drug.no_such_recommendation")
    assert not _exists("uk:no_such_step")
    assert not _exists("check:no_such_check")
    assert not _exists("red_flag:no_such_question")
    assert _exists("uk:injections.medial_branch_rf") and _exists("monitoring:reimaging")
