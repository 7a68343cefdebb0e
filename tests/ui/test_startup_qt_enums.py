"""The start-up names no ``Qt`` enum before the worklist's first paint, and the user sees the same
window as before (issue 17: start-up at most 1.5x a bare window).

The first use of ``PySide6.QtCore.Qt`` makes PySide6 build its whole namespace (~90 enum classes,
~115 M instructions). Before the first paint the window now uses plain ints where Qt takes them
(``ui/lazy_qt.py``), and the worklist's column header reads its labels from a QStandardItemModel
until just after the first paint (a Python ``headerData`` is called with a ``Qt.Orientation``).
These tests hold what that must not change: the header's words, look, highlighting, sorting by a
click and by keyboard, what a screen reader is told, the status filter bar at 100 % and 200 %,
and the Qt values written as numbers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAccessible, QGuiApplication
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.ui import lazy_qt
from radiculopathy_desktop.ui.worklist import CARE_WEEKS_TIP, COLUMNS, WISH_TIP

LABELS = [label for _key, label in COLUMNS]


# -- the real start-up, in a fresh process -----------------------------------------------------

_START = r'''
import json, os, sys
from pathlib import Path
import radiculopathy_desktop.ui.app as app_module
real = app_module.create_window
def qt_built():
    return "Qt" in vars(sys.modules["PySide6.QtCore"])  # PySide6 adds the name when it builds the namespace
def create_window(context):
    window = real(context)
    view = window.views["worklist"]
    header = view.table.horizontalHeader()
    def painted():
        if view.model.rowCount():
            made = {name: sorted(k for k in ("QIcon", "QDialogButtonBox", "QKeySequence") if k in vars(sys.modules[name]))
                    for name in ("PySide6.QtGui", "PySide6.QtWidgets")}
            print(json.dumps({"qt_built_at_paint": qt_built(), "rows": view.model.rowCount(),
                              "classes_made": made}), flush=True)
    def later():
        labels = [view.model.headerData(c, header.orientation()) for c in range(header.count())]
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtCore import Qt
        view.table.setCurrentIndex(view.model.index(0, 0))
        view.search_box.setFocus()
        QApplication.sendEvent(view.search_box, QKeyEvent(QEvent.KeyPress, Qt.Key_Down, Qt.NoModifier))
        print(json.dumps({"down_in_search_moves_to_row": view.table.currentIndex().row(),
                          "header_on_model": header.model() is view.model,
                          "same_selection": header.selectionModel() is view.table.selectionModel(),
                          "labels_after": labels, "qt_built_after": qt_built()}), flush=True)
        os._exit(0)
    window.worklist_painted.connect(painted)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    window.first_painted.connect(lambda: QTimer.singleShot(50, later))
    return window
app_module.create_window = create_window
sys.exit(app_module.run_app(Path(sys.argv[1])))
'''


def test_the_real_start_up_builds_no_qt_enum_before_its_first_paint(store):
    """On the real start-up path (run_app) in a fresh process: when the worklist first paints its
    rows, PySide6 has not built its Qt namespace (nor QIcon, nor QDialogButtonBox); just after,
    the header follows the table's own model and selection, as a table's header does, with the
    same column names, and the search box's Up and Down filter is on."""
    out = subprocess.run([sys.executable, "-c", _START, str(store.data_dir)], capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode == 0, out.stderr[-3000:]
    lines = [json.loads(line) for line in out.stdout.strip().splitlines() if line.startswith("{")]
    at_paint, after = lines[0], lines[-1]
    assert at_paint["rows"] > 0
    assert at_paint["qt_built_at_paint"] is False
    # nor the classes only later code needs (QIcon through QAction(text, parent)'s overloads,
    # the dialogs' button box, QKeySequence: st22, the shortcuts are set as text), each with its enums
    assert at_paint["classes_made"] == {"PySide6.QtGui": [], "PySide6.QtWidgets": []}
    assert after == {"down_in_search_moves_to_row": 1, "header_on_model": True, "same_selection": True, "labels_after": LABELS,
                     "qt_built_after": True}


def test_exact_fractional_scaling_is_qt_s_own_default_and_the_environment_still_decides(tmp_path):
    """ensure_application no longer sets the scale factor rounding policy (it named a Qt enum):
    Qt 6's default is PassThrough (125 %, 150 % kept exact), and QT_SCALE_FACTOR_ROUNDING_POLICY
    still overrides it, as it did when the policy was set."""
    script = ("import sys\nfrom radiculopathy_desktop.ui.app import ensure_application\n"
              "from PySide6.QtGui import QGuiApplication\nensure_application()\n"
              "print(QGuiApplication.highDpiScaleFactorRoundingPolicy().name)\n")
    seen = {}
    for policy in (None, "Round"):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        env.pop("QT_SCALE_FACTOR_ROUNDING_POLICY", None)
        if policy:
            env["QT_SCALE_FACTOR_ROUNDING_POLICY"] = policy
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env,
                             cwd=tmp_path)
        assert out.returncode == 0, out.stderr[-2000:]
        seen[policy] = out.stdout.strip().splitlines()[-1]
    assert seen == {None: "PassThrough", "Round": "Round"}


# -- the Qt values written as numbers -----------------------------------------------------------

def test_the_numbers_written_for_qt_enums_are_qt_s_values():
    from radiculopathy_desktop.ui import worklist
    assert lazy_qt.QUEUED_CONNECTION == Qt.ConnectionType.QueuedConnection.value
    assert lazy_qt.SINGLE_SHOT_CONNECTION == Qt.ConnectionType.SingleShotConnection.value
    assert lazy_qt.USER_ROLE == Qt.ItemDataRole.UserRole.value
    assert lazy_qt.PLAIN_TEXT == Qt.TextFormat.PlainText.value
    assert lazy_qt.RICH_TEXT == Qt.TextFormat.RichText.value
    assert lazy_qt.TEXT_SELECTABLE_BY_MOUSE == Qt.TextInteractionFlag.TextSelectableByMouse.value
    assert lazy_qt.WIDGET_SHORTCUT == Qt.ShortcutContext.WidgetShortcut.value
    assert lazy_qt.WINDOW_SHORTCUT == Qt.ShortcutContext.WindowShortcut.value
    assert lazy_qt.APPLICATION_SHORTCUT == Qt.ShortcutContext.ApplicationShortcut.value
    roles = Qt.ItemDataRole
    assert (worklist._DISPLAY, worklist._ACCESSIBLE_TEXT, worklist._TOOLTIP, worklist._BACKGROUND,
            worklist._FOREGROUND, worklist._CASE_ID, worklist._STATUS) == (
        roles.DisplayRole.value, roles.AccessibleTextRole.value, roles.ToolTipRole.value, roles.BackgroundRole.value,
        roles.ForegroundRole.value, roles.UserRole.value + 1, roles.UserRole.value + 2)
    assert lazy_qt.Qt.AlignLeft is Qt.AlignLeft and lazy_qt.Qt.Key_Down is Qt.Key_Down


def test_what_was_set_with_numbers_reads_back_as_the_enum(window):
    """Plain text stays plain (patient text is never markup), the lock shortcut works from any
    window of the app, the menu shortcuts from the main window, the worklist's Enter on its table."""
    view = window.views["worklist"]
    for label in (view.why_label, view.read_error, view.settings_note):
        assert label.textFormat() == Qt.PlainText
    assert window.lock.screen.heading.textFormat() == Qt.RichText
    assert window.lock_action.shortcutContext() == Qt.ApplicationShortcut
    assert window.new_intake_action.shortcutContext() == Qt.WindowShortcut
    assert window.new_intake_action.shortcuts() == [window.new_intake_action.shortcut()]
    assert window.new_intake_action.shortcut().toString() == "Ctrl+N"
    from PySide6.QtGui import QShortcut
    enter = [s for s in view.table.findChildren(QShortcut) if s.objectName() == "worklist.open"]
    assert enter and all(s.context() == Qt.WidgetShortcut for s in enter)
    assert [s.key().toString() for s in enter] == [k for k in _keys("worklist.open")]


def _keys(name: str) -> list[str]:
    from PySide6.QtGui import QKeySequence

    from radiculopathy_desktop.ui import shortcuts
    return [QKeySequence(k).toString() for k in shortcuts.row(name).keys]


# -- the column header -------------------------------------------------------------------------

def _worklist(qtbot, context):
    from radiculopathy_desktop.ui.worklist import WorklistView
    view = WorklistView(context)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    return view


def _header_texts(header):
    model = header.model()
    return [model.headerData(c, Qt.Horizontal) for c in range(header.count())]


def _header_tips(header):
    model = header.model()
    return [model.headerData(c, Qt.Horizontal, Qt.ToolTipRole) for c in range(header.count())]


def _follows(view):
    return view.table.horizontalHeader().model() is view.model


def test_the_header_looks_the_same_before_and_after_it_follows_the_model(qtbot, context):
    """Its first paint (labels held by Qt) and every later one (labels from the model) show the
    same words, the same tooltips, the same widths and height, and the same pixels, with the first
    row selected as at start (its sections bold: they meet the selection)."""
    view = _worklist(qtbot, context)
    view.show()  # its first paint is queued: the header still shows the labels model
    header = view.table.horizontalHeader()
    assert not _follows(view) and view.table.selectionModel().hasSelection()
    before = (_header_texts(header), _header_tips(header), [header.sectionSize(c) for c in range(header.count())],
              header.sizeHint(), header.grab().toImage())
    qtbot.waitUntil(lambda: _follows(view))
    assert header.selectionModel() is view.table.selectionModel()
    after = (_header_texts(header), _header_tips(header), [header.sectionSize(c) for c in range(header.count())],
             header.sizeHint(), header.grab().toImage())
    assert before[0] == after[0] == LABELS
    # no tooltips but the "In care" column's, which says it counts weeks of care (fxk20, gp19 F13), and the
    # "Patient wish" column's, which says what its "No surgery" means and when it is not shown (window35)
    assert before[1] == after[1] == [CARE_WEEKS_TIP + "." if label == "In care" else WISH_TIP
                                     if label == "Patient wish" else None for label in LABELS]
    assert before[2:4] == after[2:4]
    assert before[4] == after[4]
    view.table.clearSelection()  # and the highlighting does follow the selection afterwards
    assert header.grab().toImage() != after[4]


@pytest.mark.parametrize("rows", [1, 2])
def test_before_it_follows_the_model_the_header_is_highlighted_as_the_selection_would_make_it(qtbot, context, rows):
    """A section is drawn highlighted when it meets the selection and pressed when its whole
    column is selected (one row, selected): the labels model mirrors both."""
    from radiculopathy_desktop.ui.worklist import WorklistView
    view = WorklistView(context)
    qtbot.addWidget(view)
    view.model.rows = view.model.rows[:rows]  # (only what the header is told; no view has painted)
    view._mirror_selection_on_header()
    header = view.table.horizontalHeader()
    mirrored = header.selectionModel()
    assert [mirrored.isColumnSelected(c) for c in range(header.count())] == [rows == 1] * len(LABELS)
    assert mirrored.hasSelection()
    view.table.clearSelection()
    assert not mirrored.hasSelection()
    view.table.selectRow(0)
    assert mirrored.hasSelection() and mirrored.isRowSelected(0)


def test_a_screen_reader_is_told_the_column_names_before_and_after(qtbot, context):
    """The accessible table's column headers are the model's names, whichever model the header
    shows them from."""
    view = _worklist(qtbot, context)
    view.show()

    def announced():
        table = QAccessible.queryAccessibleInterface(view.table)
        names = []
        for i in range(table.childCount()):
            child = table.child(i)
            if child is not None and child.role() == QAccessible.ColumnHeader:
                names.append(child.text(QAccessible.Name))
        return names
    assert not _follows(view)
    assert announced() == LABELS
    qtbot.waitUntil(lambda: _follows(view))
    assert announced() == LABELS


def test_sorting_by_a_click_on_a_header_and_by_keyboard_is_unchanged(qtbot, window):
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: _follows(view))
    header = view.table.horizontalHeader()
    name_column = [key for key, _label in COLUMNS].index("name")
    x = header.sectionViewportPosition(name_column) + header.sectionSize(name_column) // 2
    from PySide6.QtCore import QPoint
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
    names = [view.model.text(row, "name") for row in view.model.rows]
    assert names == sorted(names, key=str.lower) and len(names) > 1
    assert header.isSortIndicatorShown() and header.sortIndicatorSection() == name_column
    assert header.sortIndicatorOrder() == Qt.AscendingOrder
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
    names = [view.model.text(row, "name") for row in view.model.rows]
    assert names == sorted(names, key=str.lower, reverse=True)
    assert header.sortIndicatorOrder() == Qt.DescendingOrder
    # By keyboard: the table sorts as Qt's own sortByColumn asks the model (ascending unless told)
    view.table.setFocus()
    view.model.sort(name_column)
    names = [view.model.text(row, "name") for row in view.model.rows]
    assert names == sorted(names, key=str.lower)
    view.model.sort(name_column, Qt.DescendingOrder)
    assert [view.model.text(row, "name") for row in view.model.rows] == sorted(names, key=str.lower, reverse=True)
    # the selection and the Why line follow the keys as before
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key_Down)
    assert view.table.currentIndex().row() == 1
    assert view.table.selectionModel().isRowSelected(1)
    assert header.selectionModel() is view.table.selectionModel()


# -- the status filter bar (the flow layout) at 100 % and 200 % ---------------------------------

_BAR = r'''
import json, os, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from radiculopathy_desktop.ui.app import ensure_application
app = ensure_application()
from radiculopathy_desktop.storage.store import CaseStore
from radiculopathy_desktop.ui.context import AppContext
from radiculopathy_desktop.ui.events import EventHub
from radiculopathy_desktop.ui.main_window import MainWindow
import datetime as dt
store = CaseStore.open(Path(sys.argv[1]))
context = AppContext(store=store, hub=EventHub(), data_dir=Path(sys.argv[1]), today=lambda: dt.date(2026, 3, 2))
window = MainWindow(context)
screen = app.primaryScreen().availableGeometry()
window.resize(screen.width(), screen.height())
window.show()
view = window.views["worklist"]
out = []
def check():
    bar = view.filter_bar
    buttons = list(view.filter_buttons.values())
    inside = all(bar.rect().contains(b.geometry()) for b in buttons)
    lines = len({b.geometry().y() for b in buttons})
    overlap = any(a.geometry().intersects(b.geometry()) for i, a in enumerate(buttons) for b in buttons[i + 1:])
    out.append({"bar_height": bar.height(), "height_for_width": bar.layout().heightForWidth(bar.width()),
                "inside": inside, "overlap": overlap, "lines": lines,
                "first_run": view.body.currentWidget() is not view.table,
                "body_height": view.body.height()})
def run():
    for width in (screen.width(), 700 if screen.width() > 700 else 600, screen.width() * 2 // 3):
        window.resize(width, screen.height())
        for _ in range(5):
            app.processEvents()
        check()
    print(json.dumps(out), flush=True)
    os._exit(0)
QTimer.singleShot(300, run)
app.exec()
'''


def _bar_check(tmp_path, data_dir, scale: str):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "Screen1920x1080", "x": 0, "y": 0, "width": 1920,
                                               "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=scale)
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    done = subprocess.run([sys.executable, "-c", _BAR, str(data_dir)], env=env, capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("scale", ["1", "2"])
@pytest.mark.parametrize("cases", [True, False], ids=["with cases", "empty database"])
def test_the_status_filter_bar_keeps_its_height_for_its_width_and_wraps(tmp_path, store, scale, cases):
    """The flow layout no longer says it never expands (that override built the Qt namespace):
    the list below takes all the spare height, so the bar is exactly as tall as its buttons need
    at every width, with every button inside it and none overlapping, at 100 % and at 200 %
    (960x540 logical pixels), with cases and with an empty database (the getting-started panel)."""
    data_dir = store.data_dir
    if not cases:
        from radiculopathy_desktop.storage.store import CaseStore
        data_dir = tmp_path / "empty"
        CaseStore.open(data_dir).close()
    results = _bar_check(tmp_path, data_dir, scale)
    assert len(results) == 3
    for result in results:
        assert result["first_run"] is (not cases)
        assert result["bar_height"] == result["height_for_width"]
        assert result["inside"] and not result["overlap"]
        assert result["body_height"] > result["bar_height"]
    if scale == "2":
        assert max(r["lines"] for r in results) > 1  # at 200 % the buttons wrap onto more lines
