"""Issue 12 "done when": for every example case (the medicine-hazard examples included),
the assess JSON, the CLI text, the window's medicine table and the handout doses agree on
each medicine's status, under both profiles."""

from __future__ import annotations

import datetime as dt
import json
from html import unescape

import pytest

from radiculopathy_desktop.commands.assessment_text import assessment_text
from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import MedicineStatus
from radiculopathy_desktop.reports.handouts import doses_from_engine
from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.ui.pathway_view import medications_html

EXAMPLES = sorted(resource_path("examples").glob("*.json"))
AS_OF = dt.date(2026, 11, 21)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_json_text_window_and_handout_agree(path, profile):
    case = parse_case(json.loads(path.read_text(encoding="utf-8")))
    data = assess_case(case, AS_OF, profile=profile).to_dict()
    meds = data["medications"]
    text = assessment_text(data)
    html = unescape(medications_html(meds))
    doses = doses_from_engine(case, AS_OF, profile=profile)
    lines = text.splitlines()
    for row in meds["rows"]:
        label = row["label"][:29]
        line = next(l for l in lines if l.startswith(f"  {label}"))
        mark = MedicineStatus(row["status"]).label.upper()  # the text report's mark: the one label, in capitals
        if row["status"] == "avoid" and row.get("guideline_position"):
            mark = row["status_label"].upper()
        assert mark in line, (row["drug"], line)
        assert f">{row['status_label']}" in html or row["status_label"] in html, row["drug"]
        if not meds["fully_checked"]:
            assert row["status"] != "ok"
    # a handout never doses a class whose every row the table advises against; a medicine
    # taken now above its maximum gets the sheet that says so and how it comes down (no dose
    # to take: red-team rt9 F1)
    by_class: dict[str, list] = {}
    for row in meds["rows"]:
        by_class.setdefault(row["treatment_code"], []).append(row["status"])
    for cls, statuses in by_class.items():
        if all(s in ("avoid", "contraindicated") for s in statuses):
            # taken now at a lower dose: the sheet that asks before the next dose (rt11 F3), except
            # a steroid rated avoid only for the NSAID beside it: kept, "do not stop it suddenly",
            # the NSAID named and the AVOID told to the clinician (rt13 F5), or rated avoid only by
            # the guideline's "do not offer" for sciatica (uk: NICE NG59; rt14 F3): kept likewise
            nsaid_taken = any("nsaid" in m["classes"] for m in meds["current_medicines"])
            # since fxh20 (rt21 F1) a medicine rated Avoid above its maximum gets the ask-first box, the
            # dose said under it (``over``), never "take no more than X from now on"
            assert (cls not in doses or doses[cls].above_max
                    or (doses[cls].avoid_box and (doses[cls].taken_now or doses[cls].over or doses[cls].dose_check))
                    or (cls == "oral_corticosteroid" and doses[cls].taken_now and doses[cls].avoid
                        and (doses[cls].caution_box or not nsaid_taken) and doses[cls].avoid_box is None)), cls
    # the medicine the patient takes is the one the sheet names
    for m in meds["current_medicines"]:
        for cls in {r["treatment_code"] for r in meds["rows"] if r["class"] in m["classes"]}:
            if cls in doses and len(m["generics"]) == 1:
                named = doses[cls].dose_range.lower()
                assert m["generics"][0] in named or m["name"].lower() in named, (cls, named)
    for name in meds["unrecognised_medicines"]:
        assert name in text and name in html
