"""`assess` text and JSON give the same step order and states (rd13 D13): the S1 example on
2026-11-30, both profiles. us (ACP/APS 2007 Rec. 4): imaging now, the injection next and
needing it; uk (NICE NG59): imaging next at 9 weeks (the due review's surgical opinion is Now, path33), the injection next without an imaging
condition; both: medicines "review" naming the gabapentin (us REDUCE DOSE, uk AVOID)."""

from __future__ import annotations

import json
import re

import pytest

from radiculopathy_desktop.resources import resource_path
from tests.helpers.cli_run import run_main

S1 = str(resource_path("examples", "routine_s1_follow_up_due.json"))
MARKERS = {"current": ">>", "done": "ok", "review": "!!", "next": "..", "later": "  ", "not_applicable": "--"}


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_text_and_json_agree_on_order_and_states(capsys, profile):
    code, out, _ = run_main(capsys, ["assess", S1, "--as-of", "2026-11-30", "--profile", profile, "--format", "json"],
                            fresh_output=True)
    assert code == 0
    steps = json.loads(out)["pathway"]["steps"]
    assert [s["id"] for s in steps] == ["self_care", "non_drug", "medicines", "imaging", "injections",
                                        "surgical_opinion"]
    states = {s["id"]: s["state"] for s in steps}
    # path33 (H-PATH-907): the review is due at 9 weeks, so the surgical opinion is the one Now step; us keeps imaging
    # Now beside it (ACP/APS 2007: it comes before the surgical step), uk makes it Next (NICE NG59 1.1.5: imaging is
    # not needed before a referral for a specialist opinion)
    imaging = {"us": "current", "uk": "next"}[profile]
    assert (states["medicines"], states["imaging"], states["injections"]) == ("review", imaging, "next")
    assert states["surgical_opinion"] == "current"
    code, text, _ = run_main(capsys, ["assess", S1, "--as-of", "2026-11-30", "--profile", profile], fresh_output=True)
    assert code == 0
    shown = re.findall(r"^ (..) (\d)\. (.+?) \[([a-z ]+)\]$", text, flags=re.M)
    assert [(int(n), title, state.replace(" ", "_")) for _, n, title, state in shown] == [
        (s["order"], s["title"], s["state"]) for s in steps]
    assert all(marker == MARKERS[state.replace(" ", "_")] for marker, _, _, state in shown)
    # us: the renal maximum (REDUCE DOSE); uk: NICE does not offer gabapentinoids for sciatica (AVOID)
    rating = {"us": "reduce dose", "uk": "avoid"}[profile]
    assert f"Review: gabapentin: {rating} (see the medicine alerts)" in text
    assert next(s for s in steps if s["id"] == "medicines")["why"][0].startswith(f"Review: gabapentin: {rating}")
    injection_why = next(s for s in steps if s["id"] == "injections")["why"]
    if profile == "us":
        assert injection_why[0].startswith("Needs step 4 (Imaging) first")
        assert "Needs step 4 (Imaging) first" in text
    else:
        assert not any(w.startswith("Needs step") for w in injection_why)
