"""Issue 17, round st23: the start-up to the painted worklist makes no Python ``QFont``, builds no
``QEventLoop``, connects no delayed ``QTimer.singleShot`` through ``QMetaMethod``, and PySide6's
check of each imported module's source reads the file's bytes (``ui.app.quicken_pyside_source_check``),
and the user sees the same window.

Each of those classes, the first time PySide6 makes it, builds its enums (``QFont``'s eight:
~10 M instructions with its uses; ``QEventLoop``'s flags ~1.3 M; ``QMetaMethod``'s two ~1.4 M).
The filter buttons are sized for their labels in bold before the first paint: those widths now
come from a probe button's style-sheet bold (``worklist._bold_button_metrics``); the ~3 s
fallback timers set before the paint are ``lazy_qt.single_shot``. These tests hold that the
widths are Qt's own bold widths of the same font, whatever the application's font, that the
checked (bold) label is never clipped, and that ``single_shot`` behaves as
``QTimer.singleShot(ms, receiver, slot)`` does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from radiculopathy_desktop.domain.followup import STATUS_ORDER
from radiculopathy_desktop.ui import lazy_qt, worklist

#: The style's padding and the coloured edge added to the bold label (``worklist._fit_bold``).
PADDING = 2 * 8 + 6 + 12


def _qfont_bold_width(button: QPushButton, text: str) -> int:
    """The width the code measured before st23: the button's own font, made bold with QFont."""
    font = QFont(button.font())
    font.setBold(True)
    return QFontMetrics(font).horizontalAdvance(text)


@pytest.fixture
def app_font():
    """Set the application's font for one test, and put the original back."""
    app = QApplication.instance()
    original = QFont(app.font())

    def use(family: str | None, points: float | None):
        font = QFont(original)
        if family:
            font.setFamily(family)
        if points:
            font.setPointSizeF(points)
        app.setFont(font)
        return app.font()
    yield use
    app.setFont(original)


LABELS = ["Surgical review", "Medicine alerts", *[s.label for s in STATUS_ORDER],
          "Surgical review (46459)", "Medicine alerts (0)", "Überprüfung Ärztin (12)", "wwwwwwwwww", "iiiiiiiiii", ""]


@pytest.mark.parametrize("family,points", [(None, None), (None, 16), ("DejaVu Serif", 11), ("DejaVu Sans Mono", 7.5)],
                         ids=["default", "16 pt", "serif 11 pt", "mono 7.5 pt"])
def test_the_probe_gives_qt_s_bold_width_of_a_new_button_s_font(qapp, app_font, family, points):
    """For every label (and wide, narrow, accented and empty text), at the default font and with
    the application's font changed (size, family), the probe's bold width is the width QFont's
    own bold gives for a new push button's font, to the pixel."""
    app_font(family, points)
    bold = worklist._bold_button_metrics()
    button = worklist._FilterButton("x")
    for text in LABELS:
        assert bold.horizontalAdvance(text) == _qfont_bold_width(button, text), text
    # and (a proportional font) bold is wider than regular for a real label: the check above is not vacuous
    if "Mono" not in (family or ""):
        assert bold.horizontalAdvance("Surgical review") > button.fontMetrics().horizontalAdvance("Surgical review")


def test_each_filter_button_at_the_first_paint_fits_its_label_in_bold(qtbot, context):
    """The worklist as built (before the counts arrive): each filter button's minimum width is its
    label's bold width plus the padding; once the status colours apply (the checked button is
    drawn bold) the checked label still fits, for every button checked in turn by a click."""
    view = worklist.WorklistView(context)
    qtbot.addWidget(view)
    buttons = [view.all_button, view.medicines_button, *[view.filter_buttons[s.value] for s in STATUS_ORDER]]
    for button in buttons:
        assert button.minimumWidth() == _qfont_bold_width(button, button.text()) + PADDING, button.text()
    view.resize(1200, 700)
    view.show()
    qtbot.waitUntil(lambda: view.counts_as_of is not None)  # after the first paint: colours and counts
    for button in buttons:
        qtbot.mouseClick(button, lazy_qt.Qt.LeftButton)
        assert button.isChecked()
        assert button.width() >= _qfont_bold_width(button, button.text()) + PADDING, button.text()


def test_counts_arriving_after_the_paint_still_refit_the_buttons(qtbot, context):
    """A label that grows with its count is measured again (the button's own font then)."""
    view = worklist.WorklistView(context)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.counts_as_of is not None)
    assert "(" in view.all_button.text()
    for button in (view.all_button, view.medicines_button):
        assert button.minimumWidth() == _qfont_bold_width(button, button.text()) + PADDING, button.text()


# -- lazy_qt.single_shot ------------------------------------------------------------------------

def test_single_shot_calls_once_after_its_delay_and_leaves_no_timer(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    calls = []
    lazy_qt.single_shot(30, owner, lambda: calls.append(1))
    from PySide6.QtCore import QTimer
    assert calls == [] and len(owner.findChildren(QTimer)) == 1
    qtbot.waitUntil(lambda: calls == [1], timeout=2000)
    qtbot.wait(100)
    assert calls == [1]
    qtbot.waitUntil(lambda: owner.findChildren(QTimer) == [], timeout=2000)  # deleted once it has fired


def test_single_shot_never_fires_once_its_receiver_is_gone(qtbot):
    import shiboken6
    owner = QWidget()
    calls = []
    lazy_qt.single_shot(30, owner, lambda: calls.append(1))
    shiboken6.delete(owner)
    qtbot.wait(150)
    assert calls == []


@pytest.mark.parametrize("ms", [0, -5])
def test_single_shot_refuses_no_delay(ms):
    """A delay of 0 is Qt's queued call, which has no such cost: that stays QTimer.singleShot."""
    with pytest.raises(ValueError):
        lazy_qt.single_shot(ms, QWidget(), lambda: None)


# -- the real start-up, in a fresh process -----------------------------------------------------

_START = r'''
import json, os, sys
from pathlib import Path
import radiculopathy_desktop.ui.app as app_module
real = app_module.create_window
NAMES = {"PySide6.QtGui": ("QFont",), "PySide6.QtCore": ("QEventLoop", "QMetaMethod")}
def made():
    return {module: sorted(n for n in names if n in vars(sys.modules[module])) for module, names in NAMES.items()}
def create_window(context):
    window = real(context)
    view = window.views["worklist"]
    def painted():
        if view.model.rowCount():
            print(json.dumps({"rows": view.model.rowCount(), "made": made(),
                              "widths": {b.text(): b.minimumWidth() for b in view.filter_buttons.values()}}), flush=True)
    def counted():
        from PySide6.QtGui import QFont, QFontMetrics
        widths = {}
        for b in view.filter_buttons.values():
            font = QFont(b.font()); font.setBold(True)
            widths[b.text()] = QFontMetrics(font).horizontalAdvance(b.text()) + 2 * 8 + 6 + 12  # worklist._fit_bold's padding
        print(json.dumps({"counted": True, "widths": {b.text(): b.minimumWidth() for b in view.filter_buttons.values()},
                          "bold_after": widths}), flush=True)
        os._exit(0)
    window.worklist_painted.connect(painted)
    view.counts_shown.connect(counted)
    return window
app_module.create_window = create_window
sys.exit(app_module.run_app(Path(sys.argv[1])))
'''


def test_the_real_start_up_makes_no_qfont_event_loop_or_meta_method_before_its_first_paint(store):
    """On the real start-up path (run_app) in a fresh process: when the worklist first paints its
    rows, PySide6 has made neither QFont nor QEventLoop nor QMetaMethod; once the counts are on the
    buttons, each button's minimum width is its label's bold width (QFont's) plus the padding."""
    out = subprocess.run([sys.executable, "-c", _START, str(store.data_dir)], capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode == 0, out.stderr[-3000:]
    lines = [json.loads(line) for line in out.stdout.strip().splitlines() if line.startswith("{")]
    at_paint, after = lines[0], lines[-1]
    assert at_paint["rows"] > 0
    assert at_paint["made"] == {"PySide6.QtGui": [], "PySide6.QtCore": []}
    assert after["counted"] and after["widths"] == after["bold_after"]
    assert all(width > PADDING for width in at_paint["widths"].values())


# -- PySide6's check of each imported module's source ------------------------------------------

_FEATURE_DICT = r'''
import json, os, sys
from pathlib import Path
import radiculopathy_desktop.ui.app as app_module
real = app_module.create_window
def create_window(context):
    window = real(context)
    view = window.views["worklist"]
    def painted():
        if view.model.rowCount():
            feature = sys.modules["shibokensupport.feature"]
            check = feature._mod_uses_pyside
            original = getattr(check, "original", check)
            answers = {name: (flag, original(sys.modules[name])) for name, flag in feature.pyside_feature_dict.items()
                       if name in sys.modules}
            print(json.dumps({"quick": getattr(check, "quick_source_check", False), "answers": answers}), flush=True)
            os._exit(0)
    window.worklist_painted.connect(painted)
    return window
app_module.create_window = create_window
sys.exit(app_module.run_app(Path(sys.argv[1])))
'''


def test_pyside_s_module_check_gives_its_own_answers_on_the_real_start_up(store):
    """On the real start-up path: the quick check is in place, and for every module PySide6 has
    classified by the first paint (the app's, the standard library's, PySide6's own), its answer
    (uses PySide6: 0, does not: -1) is what PySide6's own check says of that module."""
    out = subprocess.run([sys.executable, "-c", _FEATURE_DICT, str(store.data_dir)], capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads([line for line in out.stdout.splitlines() if line.startswith("{")][-1])
    assert result["quick"] is True
    answers = result["answers"]
    assert len(answers) > 30
    assert {name: flag for name, (flag, _own) in answers.items()} == \
        {name: (0 if own else -1) for name, (_flag, own) in answers.items()}
    # both kinds are there: the window's modules use PySide6, the storage layer does not
    assert answers["radiculopathy_desktop.ui.worklist"][0] == 0
    assert answers["radiculopathy_desktop.storage.store"][0] == -1


def test_the_quick_check_answers_as_pyside_does_for_every_loaded_module(qapp, monkeypatch, tmp_path):
    """Every module loaded in this test process (source files, built-ins, extension modules), a
    file that cannot be read any more, and a source file in another encoding: the same answers."""
    import importlib.util

    from radiculopathy_desktop.ui import app as app_module
    feature = sys.modules["shibokensupport.feature"]  # loaded by PySide6 with itself
    own = getattr(feature._mod_uses_pyside, "original", feature._mod_uses_pyside)
    monkeypatch.setattr(feature, "_mod_uses_pyside", own)
    assert app_module.quicken_pyside_source_check() is True
    quick = feature._mod_uses_pyside
    assert quick is not own and app_module.quicken_pyside_source_check() is False  # once
    modules = [m for m in list(sys.modules.values()) if m is not None]
    assert sum(1 for m in modules if str(getattr(m, "__file__", "")).endswith(".py")) > 100
    for module in modules:
        assert quick(module) == own(module), module.__name__
    latin = tmp_path / "latin_module.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\n# caf\xe9\nNAME = 'PySide6 is named here'\n")
    gone = tmp_path / "gone_module.py"
    gone.write_text("import os\n")
    for path in (latin, gone):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if path is gone:
            gone.unlink()  # unreadable now: PySide6's own check answers (False: no source)
        assert quick(module) == own(module), path.name
    assert quick(module) is False


def test_without_pyside_s_check_nothing_is_changed(monkeypatch):
    from radiculopathy_desktop.ui import app as app_module
    feature = sys.modules["shibokensupport.feature"]
    monkeypatch.delattr(feature, "_mod_uses_pyside")
    assert app_module.quicken_pyside_source_check() is False
    assert not hasattr(feature, "_mod_uses_pyside")
