"""Red-team A3 in the window: the patient's triage badge says INCOMPLETE (not Routine) while a
cauda equina question is unanswered, with the ask-now action listed."""

from __future__ import annotations

from tests.ui.conftest import case_dict


def test_triage_badge_says_incomplete_while_cauda_equina_is_unanswered(window, qtbot, store):
    from radiculopathy_desktop.domain.intake import parse_case
    d = case_dict("P-CES", "Cee Unknown", 10, red_flags={"saddle_anaesthesia": "unknown"})
    store.import_cases([parse_case(d)], user="test")
    window.open_case("P-CES-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    text = " ".join(window.patient_view.pathway.toPlainText().split())
    assert "Red-flag triage: INCOMPLETE: ask the cauda equina questions now" in text
    assert "Red-flag triage: Routine" not in text
    assert "Ask now: saddle (perineal) numbness" in text
