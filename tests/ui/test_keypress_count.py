"""How many key presses an ordinary intake takes, typed as a clinician would.

The typical patient: no red flags, two medicines (the kind of patient most intakes
are). The test types the whole intake with the keyboard only, counts every key press
(a key with its modifiers held counts once; each character typed counts once), checks
that what was typed is what was saved, and prints the count.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .conftest import TODAY


def focus():
    return QApplication.focusWidget()


class Typist:
    """Sends keys to whatever has focus, as a keyboard would, and counts them."""

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.presses = 0

    def key(self, key, modifier=Qt.NoModifier, times: int = 1) -> None:
        for _ in range(times):
            self.qtbot.keyClick(focus(), key, modifier)
            QApplication.processEvents()  # what a person's pause between keys lets happen
            self.presses += 1

    def type(self, text: str) -> None:
        for ch in text:
            self.qtbot.keyClicks(focus(), ch)
            QApplication.processEvents()
            self.presses += 1

    def tab_to(self, predicate, limit: int = 40) -> None:
        for _ in range(limit):
            if predicate(focus()):
                return
            self.key(Qt.Key_Tab)
        raise AssertionError(f"Tab never reached the wanted field; stuck on {focus()!r}")


TYPICAL = {
    "id": "P-TYPICAL", "name": "Alex Typical", "birth_date": "1968-04-12", "sex": "female",
    "onset_date": "2026-02-09", "side": "right", "regions": ["buttock", "posterior_thigh", "lateral_foot"],
    "leg_nrs": 7, "back_nrs": 4, "odi_percent": 40,
    "medicines": [("ibuprofen", 1200), ("paracetamol", 4000)],
}


def type_typical_intake(window, qtbot) -> tuple[Typist, str]:
    """The shortest keyboard path through the intake for TYPICAL; returns the typist and the saved case ID."""
    t = Typist(qtbot)
    t.key(Qt.Key_3, Qt.ControlModifier)  # New intake
    wiz = window.views["intake"]
    p = wiz.pages[0]
    assert focus() is p.pid
    t.type(TYPICAL["id"])
    t.key(Qt.Key_Tab)
    t.type(TYPICAL["name"])
    t.key(Qt.Key_Tab)
    t.type(TYPICAL["birth_date"])
    t.tab_to(lambda w: w is p.sex)
    t.type("f")
    t.key(Qt.Key_T, Qt.AltModifier)  # "Symptoms s&tarted on"
    assert focus() is p.onset
    t.type(TYPICAL["onset_date"].replace("-", ""))
    t.key(Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 1, wiz.pages[0].form.errors

    s = wiz.pages[1]
    t.key(Qt.Key_Right)
    if s.side.value() != "right":
        t.key(Qt.Key_Space)
    assert s.side.value() == "right"
    t.tab_to(lambda w: w is s.diagram)
    from radiculopathy_desktop.ui.leg_diagram import ORDER
    at = 0
    for region in sorted(TYPICAL["regions"], key=ORDER.index):
        t.key(Qt.Key_Right, times=ORDER.index(region) - at)
        at = ORDER.index(region)
        t.key(Qt.Key_Space)
    assert s.regions == set(TYPICAL["regions"])
    t.key(Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 2

    r = wiz.pages[2]
    for key, group in r.groups.items():  # one key per question: N answers No and moves on
        assert focus() in group.buttons.values(), key
        t.key(Qt.Key_N)
        assert group.value() == "no"
    t.key(Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 3
    t.key(Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 4
    sc = wiz.pages[4]
    assert focus() is sc.leg
    t.type(str(TYPICAL["leg_nrs"]))
    t.key(Qt.Key_Tab)
    t.type(str(TYPICAL["back_nrs"]))
    t.key(Qt.Key_Tab)
    t.type(str(TYPICAL["odi_percent"]))
    t.key(Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 5, sc.form.errors["pain.leg_nrs"].text()
    c = wiz.pages[5]
    for name, dose in TYPICAL["medicines"]:
        t.key(Qt.Key_M, Qt.AltModifier)
        t.type(name)
        t.key(Qt.Key_Return)
        t.key(Qt.Key_Right)
        t.type(str(dose))
        t.key(Qt.Key_Return)
    assert c.medicines() == ([{"name": n, "daily_dose_mg": float(d)} for n, d in TYPICAL["medicines"]], [])
    assert all(not b.currentData() for b in c.flags.values())  # no condition changed by the typing
    t.key(Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 6
    t.key(Qt.Key_Return, Qt.ControlModifier)
    return t, window.patient_view.case_id


# The same intake typed on the window before issue 13 (commit acf39c4): 152 presses, with
# Ctrl+A before the leg pain score (else its first digit was lost), a pause after Alt+M
# (the button's mnemonic clicked 100 ms later, so typing went to another field), three
# presses per red-flag question (Tab, Right, Space) and Tab x3 to the onset date.
BASELINE_PRESSES = 152


def test_typical_intake_key_presses(window, qtbot, context):
    t, case_id = type_typical_intake(window, qtbot)
    case = context.store.get_case(case_id)
    p, i = case.patient, case.intake
    assert (p.id, p.name, p.birth_date.isoformat(), p.sex) == (TYPICAL["id"], TYPICAL["name"],
                                                                TYPICAL["birth_date"], TYPICAL["sex"])
    assert i.onset_date.isoformat() == TYPICAL["onset_date"] and i.visit_date == TODAY
    assert i.side == TYPICAL["side"] and set(i.regions) == set(TYPICAL["regions"])
    assert set(i.red_flags.values()) == {"no"}
    assert (i.leg_nrs, i.back_nrs, i.function.odi_percent) == (TYPICAL["leg_nrs"], TYPICAL["back_nrs"],
                                                              TYPICAL["odi_percent"])
    assert [(m.name, m.daily_dose_mg) for m in i.medicines] == TYPICAL["medicines"]
    print(f"\nTypical intake (no red flags, two medicines): {t.presses} key presses "
          f"(before issue 13: {BASELINE_PRESSES})")
    assert t.presses < BASELINE_PRESSES
