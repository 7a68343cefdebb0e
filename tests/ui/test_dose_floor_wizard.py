"""The intake window's medicine table refuses a daily dose of 0 or below the floor, naming the
medicine, and keeps what was typed (red-team rt10 F16, H-MED-131): driven key by key."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .conftest import TODAY
from .keyboard import focus

VALID = {"patient": {"id": "P-DOSE", "age_years": 40}, "onset_date": (TODAY - dt.timedelta(days=30)).isoformat(),
         "visit_date": TODAY.isoformat(), "side": "left", "regions": ["buttock"],
         "pain": {"leg_nrs": 6, "back_nrs": 3}}


def _conditions_page(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz.load(dict(VALID, red_flags={k: "no" for k in wiz.page("red_flags").groups}))
    wiz._go("conditions")
    return wiz, wiz.page("conditions")


def _type_medicine(qtbot, name, dose):
    def key(k, mod=Qt.NoModifier):
        qtbot.keyClick(focus(), k, mod)
        QApplication.processEvents()

    def type_(text):
        for ch in text:
            qtbot.keyClicks(focus(), ch)
            QApplication.processEvents()

    key(Qt.Key_M, Qt.AltModifier)  # Add medicine
    type_(name)
    key(Qt.Key_Return)
    key(Qt.Key_Right)
    type_(dose)
    key(Qt.Key_Return)


@pytest.mark.parametrize("typed", ["0", "0.0", "0.001", "0.0099"])
def test_a_zero_or_tiny_dose_is_kept_and_refused_naming_the_medicine(window, qtbot, typed):
    wiz, page = _conditions_page(window, qtbot)
    _type_medicine(qtbot, "gabapentin", typed)
    assert page.meds.item(0, 1).text() == typed
    index = wiz.index
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next
    assert wiz.index == index and page.meds.item(0, 1).text() == typed  # not moved on, nothing lost
    shown = " ".join(label.text() for label in page.form.errors.values()) + wiz.page_error.text()
    assert f"gabapentin {float(typed):g} mg a day is not a dose" in shown
    assert "Leave the dose out if it is not known" in shown


@pytest.mark.parametrize("typed", ["0.01", "0.075", "300"])
def test_the_floor_and_real_doses_are_accepted(window, qtbot, typed):
    wiz, page = _conditions_page(window, qtbot)
    _type_medicine(qtbot, "gabapentin", typed)
    index = wiz.index
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Next
    shown = " ".join(label.text() for label in page.form.errors.values()) + wiz.page_error.text()
    assert "not a dose" not in shown
    assert wiz.index == index + 1
