"""unrec34 (H-MED-702): ``assess`` step 3 (Medicines) said "consider: NICE recommends considering an oral NSAID" for a
patient taking "naproxn 500mg bd" and "apixban 5mg bd", names the medicine list does not know: possibly an NSAID and
an anticoagulant (rules.toml ix-nsaid-anticoagulant rates the pair Avoid once the names are read). The names were said
only in the medicine table far below. Each medicine the step offers now says, where it is offered, that it is
provisional, names the unrecognised medicines and asks to check them; the recommendation itself is kept (NICE NG59's).

Boundaries: a recommendation advising against a medicine ("do not offer") is not qualified (no unknown makes it less
safe); recognised names give no "provisional" anywhere; the names corrected give none either.
"""

from __future__ import annotations

import json

import pytest

from tests.cli._med26_cases import case_file
from tests.helpers.cli_run import assess_text, run_main

NAPROXN, APIXBAN = "naproxn 500mg bd", "apixban 5mg bd"


def _step3(text: str) -> str:
    return " ".join(text.split(" 3. Medicines [", 1)[1].split(" 4. Imaging [", 1)[0].split())


def test_step_3_says_its_medicines_are_provisional_where_they_are_offered(capsys, tmp_path):
    step = _step3(assess_text(capsys, case_file(tmp_path, [NAPROXN, APIXBAN]), "--profile", "uk"))
    nsaid = step.split("- consider (provisional): NICE recommends considering an oral NSAID", 1)[1]
    # the qualifier follows the recommendation it qualifies, before the next one
    said = nsaid.split(" - ", 1)[0]
    assert (f'!! Provisional: "{NAPROXN}" (did you mean naproxen?), "{APIXBAN}" (did you mean apixaban?) are '
            "not recognised") in said
    assert "Check the names (enter the generic name) before acting on this." in said
    # advice against a medicine is not qualified
    assert "- do_not_offer: Do not offer paracetamol alone" in step
    assert "do_not_offer (provisional)" not in step and "not_recommended (provisional)" not in step


def test_one_unrecognised_name_is_named_alone(capsys, tmp_path):
    step = _step3(assess_text(capsys, case_file(tmp_path, ["ibuprofin 400mg tds"]), "--profile", "uk"))
    assert ('!! Provisional: "ibuprofin 400mg tds" (did you mean ibuprofen?) is not recognised, so its interactions '
            "and dose were not checked") in step


@pytest.mark.parametrize("names", [["naproxen 500mg bd", "apixaban 5mg bd"], ["paracetamol 1g qds"], []])
def test_recognised_or_corrected_names_are_not_provisional(capsys, tmp_path, names):
    text = assess_text(capsys, case_file(tmp_path, names), "--profile", "uk")
    assert "provisional" not in _step3(text).lower()


def test_assess_json_carries_the_qualifier_on_the_offered_medicine(capsys, tmp_path):
    code, out, _err = run_main(capsys, ["assess", case_file(tmp_path, [NAPROXN, APIXBAN]), "--format", "json",
                                        "--as-of", "2026-11-25", "--profile", "uk"])
    assert code == 0
    data = json.loads(out)
    data = data[0] if isinstance(data, list) else data
    steps = {s["id"]: s for s in data["pathway"]["steps"]}
    recs = [r for s in steps.values() for r in s.get("recommendations", ())]
    marked = [r for r in recs if r.get("provisional")]
    assert marked and all(r["direction"] in ("recommend", "consider") for r in marked)
    assert all(r["provisional"]["medicines"] == [NAPROXN, APIXBAN] for r in marked)
    assert not any(r.get("provisional") for r in recs if r["direction"] in ("do_not_offer", "not_recommended"))
