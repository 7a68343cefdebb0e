"""wording30 (H-UI-461..465): what the clinician's alerts and the patient's sheets say follows how many medicines
they are about, and which.

- An interaction alert names three medicines "a, b and c" (a pair "a with b"), never "a with b with c"; its action
  is about taking them together ("Review now: do not continue them together"); a contraindicated pair is stopped by stopping
  one of them ("Stop one of them"), one medicine keeps "Stop it".
- A "Check the dose" alert names only the products whose dose is to check: fentanyl "25mcg/24h" (micrograms per
  24 hours, not a patch's rate: duragesic label) beside codeine 30mg qds, whose dose was read, is about the fentanyl.
- The patient sheet's box for a dose far from any usual one (typed in grams? H-MED-511) ends "Do not stop it
  suddenly" only for a medicine the medicine data lists as stopped gradually (classes.toml [stop_gradually]:
  opioids, gabapentinoids ..., each with its label source); paracetamol or an NSAID gets "Until then, do not change
  how much you take on your own" (stopping them at once is no harm their labels warn of).
- Two products containing misoprostol (Arthrotec and misoprostol) are "each of them contains misoprostol", "while
  you take them" (misoprostol-label, arthrotec-label: boxed warning; contraception), in English and Spanish.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import assess_medications, load_medicine_data
from radiculopathy_desktop.domain.pathway_medicines import treatments_to_review
from radiculopathy_desktop.domain.worklist_marks import alert_marks
from radiculopathy_desktop.storage.store import DOSE_ALERTS_VERSION
from tests.helpers.pdf_text import handout_pdf_words
from tests.reports.test_contraindicated_words_agree import AS_OF, case, window_alerts

GENERAL = ["about_sciatica", "warning_signs"]


def _alert(meds, weeks=None, kind=None, label=None):
    """The one window alert of ``kind`` (or ``label``) for a patient taking ``meds``."""
    found = [a for a in window_alerts(case(meds, weeks))
             if (kind is None or a.kind == kind) and (label is None or a.status_label == label)]
    assert len(found) == 1, found
    return found[0]


# --- interactions: the heading's list and the action's pronoun --------------------------------------------------

THREE_NSAIDS = [("ibuprofen", 1200), ("naproxen", 1000), ("diclofenac", 150)]
#: an interaction's action is about taking them together (round 30 merge): "stop or change them" read as stopping
#: an anticoagulant beside an NSAID too
TOGETHER = "Review now: do not continue them together unless there is a clear reason."


#: mtxavoid (H-MED-670): three medicines of different kinds whose rule keeps no side are all reviewed with the prescriber
ALL_THREE = ("Review them all with the prescriber now: do not continue them together unless there is a clear "
             "reason.")


@pytest.mark.parametrize("meds, heading, action", [
    (THREE_NSAIDS, "Taking ibuprofen, naproxen and diclofenac: More than two NSAIDs together", TOGETHER),
    ([("ibuprofen", 1200), ("lisinopril", 10), ("furosemide", 40)],
     "Taking ibuprofen, lisinopril and furosemide: NSAID with an ACE inhibitor/ARB and a diuretic", ALL_THREE),
    ([("ibuprofen", 1200), ("naproxen", 1000)], "Taking ibuprofen with naproxen: Two NSAIDs together", TOGETHER),
])
def test_an_interaction_alert_lists_its_medicines_and_says_them(meds, heading, action):
    alert = _alert(meds, kind="interaction")
    assert alert.text.startswith(heading), alert.text
    assert " with naproxen with " not in alert.text and " with lisinopril with " not in alert.text
    assert alert.action == action and alert.text.endswith(action)


def test_an_nsaid_with_an_anticoagulant_never_says_stop_them():
    # round 30 merge: "stop or change them" after "NSAID with an anticoagulant" read as stopping the anticoagulant
    # too (stroke, clot); the pair's action is about taking them together, and a text about the NSAID alone says "it"
    # avoidside (H-MED-600): the action names the NSAID to review and keeps the anticoagulant (rules.toml keep)
    alert = _alert([("naproxen", 1000), ("apixaban", 10)], kind="interaction")
    assert alert.text.startswith("Taking naproxen with apixaban: NSAID with an anticoagulant")
    keep = ("Review now: stop or change naproxen unless there is a clear reason to continue; keep apixaban: do not "
            "stop it without its prescriber (stopping an anticoagulant on its own raises the risk of clots and stroke).")
    assert alert.action == keep and "stop or change them" not in alert.text
    from radiculopathy_desktop.domain.medicine_alerts import one_medicine_action
    from radiculopathy_desktop.domain.vocab import MedicineStatus

    assert one_medicine_action(MedicineStatus.AVOID, alert.action) == keep  # already about the one to review
    assert one_medicine_action(MedicineStatus.AVOID, TOGETHER) == (
        "Review now: stop or change it unless there is a clear reason to continue.")


def test_a_contraindicated_pair_is_stopped_by_stopping_one_of_them():
    # mtxavoid (H-MED-670): the rule keeps no side, so which one stops is the prescriber's decision
    alert = _alert([("cyclobenzaprine", 15), ("phenelzine", 45)], kind="interaction")
    assert alert.text == ("Taking cyclobenzaprine with phenelzine: Cyclobenzaprine with an MAO inhibitor: "
                          "contraindicated. Review both with the prescriber now: they must not be taken together; "
                          "with the prescriber, stop one of them and choose another option.")


def test_one_medicine_is_it_and_two_products_on_one_row_are_them_with_their_dose_in_all():
    (one,) = window_alerts(case([("ibuprofen", 1200)], 31))
    assert one.text.startswith("Taking ibuprofen 1200 mg/day: contraindicated") and one.text.endswith(
        "Stop it and choose another option.")
    row = _alert([("ibuprofen", 1200), ("Nurofen 200mg", 600)], 31, kind="medicine")
    assert row.text.startswith("Taking ibuprofen and nurofen 200mg (1800 mg/day in all): contraindicated"), row.text
    assert row.action == "Stop them and choose another option."


def test_the_worklist_mark_and_the_pathway_say_the_same_three():
    c = case(THREE_NSAIDS)
    (mark,) = alert_marks(c, AS_OF, "us")
    assert mark.words() == ("Avoid: ibuprofen, naproxen, diclofenac. More than two NSAIDs together: no added benefit, "
                            f"more GI bleeding and kidney harm; stop all but one. {TOGETHER}")
    assert ("nsaid", "ibuprofen, naproxen and diclofenac: avoid") in treatments_to_review(
        assess_medications(c.intake, AS_OF))
    assert DOSE_ALERTS_VERSION >= 42  # stored marks are worded again


def test_do_not_stop_two_tapered_medicines_is_or():
    alert = _alert([("oxycodone 5mg qds", 20), ("diazepam 5mg tds", 15)], kind="interaction")
    assert "do not stop oxycodone 5mg qds or diazepam 5mg tds suddenly" in alert.action


# --- a dose to check: only the products whose dose is to check ---------------------------------------------------

FENTANYL = "fentanyl 25mcg/24h"


@pytest.mark.parametrize("others, named", [
    ((), (FENTANYL,)),
    (("codeine 30mg qds",), (FENTANYL,)),  # read: 120 mg a day, not to check
    # "bd x2" is asked too: typed35 (H-MED-717) its own "Check the dose", never named in the fentanyl's
    (("codeine 30mg bd x2",), (FENTANYL,)),
])
def test_a_check_the_dose_alert_names_only_what_is_to_check(others, named):
    c = case([(FENTANYL, None), *((o, None) for o in others)])
    alert, *rest = [a for a in window_alerts(c) if a.status_label == "Check the dose"]
    assert alert.medicines == named
    heading = named[0] if len(named) == 1 else f"{named[0]} and {named[1]}"
    assert alert.text.startswith(f"Taking {heading}: Check the dose: {FENTANYL}: "), alert.text
    asked = [o for o in others if "x2" in o]
    assert [a.medicines for a in rest] == [(o,) for o in asked]
    assert [a.text.startswith(f"Check the dose: {o}: ") for a, o in zip(rest, asked)] == [True] * len(asked)
    marks = [m for m in alert_marks(c, AS_OF, "us") if m.label == "Check the dose"]
    assert [m.medicines for m in marks] == [named, *((o,) for o in asked)]


# --- the patient's box for a dose far below any usual one --------------------------------------------------------

BOX_END = {"en": "check the dose on your medicine's label with your prescriber or pharmacist.",
           "es": "revise la dosis de la etiqueta de su medicamento con su profesional o su farmacéutico."}
NOT_SUDDENLY = {"en": "Do not stop it suddenly.", "es": "No lo deje de golpe."}
NEUTRAL = {"en": "Until then, do not change how much you take on your own.",
           "es": "Hasta entonces, no cambie por su cuenta la cantidad que toma."}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name, mg, generic, sheet", [
    ("paracetamol", 4, "acetaminophen", "med_acetaminophen"),  # 4 g typed as 4
    ("ibuprofen", 1.2, "ibuprofen", "med_nsaid"),
    ("gabapentin", 1, "gabapentin", "med_gabapentinoid"),
])
def test_the_far_below_box_ends_as_the_data_says_to_stop_it(tmp_path, lang, name, mg, generic, sheet):
    text = handout_pdf_words(case([(name, mg)]), tmp_path, lang, sheets=[sheet])
    gradually = load_medicine_data().stopped_gradually((generic,)) is not None
    assert gradually is (generic == "gabapentin")  # the data's table: gabapentinoids, not paracetamol or NSAIDs
    ending = NOT_SUDDENLY[lang] if gradually else NEUTRAL[lang]
    assert f"{BOX_END[lang]} {ending}" in text, text
    if not gradually:
        assert NOT_SUDDENLY[lang] not in text


# --- misoprostol in two products or more ------------------------------------------------------------------------

MISO_ONE = {"en": "It contains misoprostol", "es": "Contiene misoprostol"}
MISO_THEM = {"en": ("Each of them contains misoprostol, which must not be taken at any time in pregnancy",
                    "use reliable birth control while you take them.",
                    "do not take your next dose of either: call Clinic on 555 straight away."),
             "es": ("Cada uno de ellos contiene misoprostol, que no debe tomarse en ningún momento del embarazo",
                    "use un método anticonceptivo fiable mientras los tome.",
                    "no tome la siguiente dosis de ninguno de ellos y llame enseguida a Clinic al 555.")}
AND = {"en": "and", "es": "y"}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("names", [["misoprostol 200mcg"], ["Arthrotec 50 bd", "misoprostol 200mcg"],
                                   ["Arthrotec 50 bd", "Cytotec", "misoprostol 200mcg"]])
def test_the_birth_control_box_counts_the_products(tmp_path, lang, names):
    text = handout_pdf_words(case([(n, None) for n in names]), tmp_path, lang, sheets=GENERAL)
    # plainwords (H-MED-647): "bd" in plain words, in brackets in the list
    said = [n.lower().replace(" bd", {"en": " (twice a day)", "es": " (dos veces al día)"}[lang]) for n in names]
    # sheets36 (H-MED-744): Arthrotec printed as its label prints it (display_names.toml)
    said = [n.replace("arthrotec", "Arthrotec") for n in said]
    listed = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} {AND[lang]} {said[-1]}"
    assert listed in text, text
    if len(names) == 1:
        assert MISO_ONE[lang] in text and MISO_THEM[lang][0] not in text
    else:
        assert MISO_ONE[lang] not in text
        for words in MISO_THEM[lang]:
            assert words in text, text


@pytest.mark.parametrize("lang, words", [
    ("en", ("Do not take them You take Arthrotec 50 (twice a day) and misoprostol 200mcg. Do not take them: each of "
            "them contains misoprostol")),
    ("es", ("No los tome Usted toma Arthrotec 50 (dos veces al día) y misoprostol 200mcg. No los tome: cada uno de "
            "ellos contiene misoprostol")),
])
def test_pregnant_with_two_misoprostol_products_is_do_not_take_them_each_of_them(tmp_path, lang, words):
    text = handout_pdf_words(case([("Arthrotec 50 bd", None), ("misoprostol 200mcg", None)], 10), tmp_path, lang,
                             sheets=GENERAL)
    assert words in text, text
    assert {"en": "Do not take it ", "es": "No lo tome "}[lang] not in text


# --- the clinician's notes printed with the handout --------------------------------------------------------------

def _notices(meds, sheets):
    from radiculopathy_desktop.reports import handouts as h

    req = h.request_for_case(case(meds), AS_OF, clinic_name="Clinic", clinic_contact="555", lang="en",
                             sheets=list(sheets))
    return " ".join(h.dose_notices(req))


def test_the_notes_list_three_products_once_each_and_a_birth_control_box_with_and():
    three = _notices(THREE_NSAIDS, ["med_nsaid"])
    assert ("taken together (ibuprofen 1200 mg a day, naproxen 1000 mg a day and diclofenac 150 mg a day)"
            in three), three
    miso = _notices([("Arthrotec 50 bd", None), ("misoprostol 200mcg", None)], GENERAL)
    assert "rates: arthrotec 50 bd and misoprostol 200mcg: BIRTH CONTROL ADVICE." in miso, miso


# --- "do not stop it suddenly" under the dose of one opioid, "them" under two ------------------------------------

KEEP_TAPER = {("en", 1): "Do not stop it suddenly. If it needs to stop, your clinician will lower it step by step.",
              ("en", 2): "Do not stop them suddenly. If they need to stop, your clinician will lower them step by step.",
              ("es", 1): "No lo deje de golpe. Si hay que dejarlo, su profesional se lo bajará paso a paso.",
              ("es", 2): "No los deje de golpe. Si hay que dejarlos, su profesional se los bajará paso a paso."}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds", [[("oxycodone", 20)], [("oxycodone", 20), ("morphine", 30)],
                                  [("oxycodone", 15), ("oxycontin", 15)]])
def test_the_opioid_sheet_says_not_to_stop_it_or_them_suddenly(tmp_path, lang, meds):
    text = handout_pdf_words(case(meds), tmp_path, lang, sheets=["med_opioid"])
    count = min(len(meds), 2)
    assert KEEP_TAPER[(lang, count)] in text, text
    assert KEEP_TAPER[(lang, 3 - count)] not in text


def test_a_steroid_beside_two_nsaids_names_the_nsaids_first_in_the_plural():
    """Beers 2023 (a corticosteroid with an NSAID at 65 or over): the NSAIDs are the ones to review first, the
    steroid is never stopped suddenly (BNF); two NSAIDs are "the NSAIDs ... stopping them"."""
    import copy

    from radiculopathy_desktop.domain.intake import parse_case
    from tests.reports.test_contraindicated_words_agree import BASE

    d = copy.deepcopy(BASE)
    d["patient"].pop("birth_date", None)
    d["patient"]["age_years"] = 73
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} for n, mg in
                      (("prednisolone", 10), ("naproxen", 1000), ("ibuprofen", 1200))]
    (steroid,) = [a for a in window_alerts(parse_case(d)) if a.medicines == ("prednisolone",)]
    assert ("Review naproxen and ibuprofen (the NSAIDs) first: stopping them ends this combination. For "
            "prednisolone, do not stop it suddenly") in steroid.action, steroid.action
