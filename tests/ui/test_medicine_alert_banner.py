"""Red-team A1 in the window: a current medicine that must be stopped, changed or reduced is a
banner at the top of the patient page (above the stepped-care pane), the assessment's own
medicine_alerts list; no banner when nothing must change."""

from __future__ import annotations

from tests.ui.conftest import case_dict


def _open(window, qtbot, store, meds, **patient):
    from radiculopathy_desktop.domain.intake import parse_case
    d = case_dict("P-BAN", "Bea Banner", 10)
    d["patient"].update(patient)
    d["medicines"] = meds
    store.import_cases([parse_case(d)], user="test")
    window.open_case("P-BAN-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    return window.patient_view


def test_ibuprofen_at_32_weeks_is_a_banner_above_the_stepped_care(window, qtbot, store):
    view = _open(window, qtbot, store, [{"name": "ibuprofen", "daily_dose_mg": 1200}], sex="female",
                 pregnancy_weeks=32)
    banner = view.medicine_alert_banner
    qtbot.waitUntil(banner.isVisible)
    text = " ".join(banner.text().split())
    assert "Medicine safety: 1 current medicine to stop, change, reduce or review" in text
    assert "Contraindicated" in text and "Taking ibuprofen 1200 mg/day" in text and "30 weeks" in text
    # above the fold: the banner sits above the tabs, not at the end of the medicine table
    assert banner.mapTo(view, banner.rect().topLeft()).y() < view.tabs.mapTo(view, view.tabs.rect().topLeft()).y()
    assert "Medicine safety alerts" in banner.accessibleName()


def test_no_banner_when_nothing_must_change_and_it_goes_when_the_next_case_is_clean(window, qtbot, store):
    from radiculopathy_desktop.domain.intake import parse_case
    view = _open(window, qtbot, store, [{"name": "ibuprofen", "daily_dose_mg": 1200}], sex="female",
                 pregnancy_weeks=32)
    qtbot.waitUntil(view.medicine_alert_banner.isVisible)
    d = case_dict("P-OK", "Olly Okay", 10)
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    store.import_cases([parse_case(d)], user="test")
    window.open_case("P-OK-case")
    qtbot.waitUntil(lambda: view.case_id == "P-OK-case")
    assert not view.medicine_alert_banner.isVisible() and view.medicine_alert_banner.text() == ""


def test_the_pathway_nsaid_recommendation_says_not_for_this_patient(window, qtbot, store):
    # issue 12 §6: NSAIDs contraindicated from 30 weeks; the pathway says so beside "Consider an oral NSAID"
    view = _open(window, qtbot, store, [{"name": "ibuprofen", "daily_dose_mg": 1200}], sex="female",
                 pregnancy_weeks=32)
    # The medicines step is not the current one here (she already takes an NSAID), so its
    # recommendations are folded: unfold them as the clinician does ("Show the details").
    view.pathway.set_details_open(True)
    text = " ".join(view.pathway.toPlainText().split())
    i = text.index("Not for this patient: Contraindicated")
    # pathnsaid: the us profile's NSAID recommendation, just above, names the ibuprofen she takes and
    # is badged "Not for this patient", never "Recommend" (nor reviewed as if it could go on)
    assert ("Not for this patient Already taking ibuprofen (1200 mg/day): not for this patient, see why below "
            "and the medicine alerts.") in text[i - 300:i]
    assert "Recommend If a medicine is wanted, use an NSAID" not in text
    assert "NSAID (non-aspirin): contraindicated for this patient" in text[i:i + 200] and "30 weeks" in text[i:i + 400]


def test_a_long_term_steroid_beside_an_nsaid_is_not_told_stop_in_the_banner(window, qtbot, store):
    # gp14 G3: the banner's action for the steroid is the assessment's (domain/medicine_alerts.py),
    # the same words as `assess` and the summary: the NSAID first, the steroid never stopped suddenly
    view = _open(window, qtbot, store, [{"name": "prednisolone", "daily_dose_mg": 10},
                                        {"name": "naproxen", "daily_dose_mg": 1000}], age_years=73)
    banner = view.medicine_alert_banner
    qtbot.waitUntil(banner.isVisible)
    text = " ".join(banner.text().split())
    steroid = text[text.index("Taking prednisolone"):]
    assert "Review naproxen (the NSAID) first" in steroid
    assert "do not stop it suddenly: reduce gradually with the prescriber" in steroid
    naproxen = text[text.index("Taking naproxen"):text.index("Taking prednisolone")]
    assert "stop or change it" in naproxen  # the NSAID is the one to stop or change


def test_the_banner_counts_alerts_and_medicines_apart_when_one_medicine_carries_two(window, qtbot, store):
    """gp20 F6: "Medicine safety: 5 current medicines to stop, change or reduce" for a man taking 3:
    the banner counted alerts and called them medicines. Pregabalin above its maximum, diazepam and
    morphine at 120 MME/day carry four alerts (morphine alone, with diazepam, with pregabalin;
    pregabalin alone): four alerts on three medicines, said as both. (spell28: a row whose only reason
    is a pair's is said by the pair, so codeine 240 mg with the same two is now two alerts.)"""
    view = _open(window, qtbot, store, [{"name": "pregabalin", "daily_dose_mg": 900},
                                        {"name": "diazepam", "daily_dose_mg": 15},
                                        {"name": "morphine", "daily_dose_mg": 120}])
    banner = view.medicine_alert_banner
    qtbot.waitUntil(banner.isVisible)
    text = " ".join(banner.text().split())
    items = text.count("<li>")
    assert items > 3  # the case this test is about: more alerts than medicines
    assert f"Medicine safety: {items} alerts on 3 current medicines to stop, change, reduce or review" in text
