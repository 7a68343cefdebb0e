"""Save one screenshot per view from the running app on a demo cohort (light and dark).

    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb .venv/bin/python docs/screenshots/take_screenshots.py
    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=2 \
        .venv/bin/python docs/screenshots/take_screenshots.py      # 200%: the *-200.png files

The window keeps the size it opens at on that screen (the default, as a new user sees it).
(offscreen works too, but its 800x800 screen caps the size of dialogs)
"""
import datetime
import os
import sys
import tempfile
from pathlib import Path

# The window's preferences (QSettings) and logs go to a throwaway home, never the real one.
_home = tempfile.mkdtemp(prefix="rd-shots-home-")
for _var, _sub in (("HOME", ""), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                   ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
    os.environ[_var] = os.path.join(_home, _sub)

from PySide6.QtGui import QColor, QPalette

from radiculopathy_desktop.ui.app import create_window, ensure_application, open_store, populate_demo
from radiculopathy_desktop.ui.context import AppContext
from radiculopathy_desktop.ui.events import EventHub

OUT = Path(__file__).parent
app = ensure_application()
folder = Path(tempfile.mkdtemp())
store = open_store(folder)
populate_demo(store, 400)
ctx = AppContext(store=store, hub=EventHub(), data_dir=folder, demo=True)
w = create_window(ctx)
w.show()
app.processEvents()
SCALED = os.environ.get("QT_SCALE_FACTOR", "1") not in ("", "1")


def shot(name, widget=None):
    for _ in range(3):
        app.processEvents()
    (widget or w).grab().save(str(OUT / f"{name}{'-200' if SCALED else ''}.png"))


if SCALED:  # 200% text on a 1920x1080 screen: the main screens, every control in reach
    shot("worklist")
    w.open_case(w.views["worklist"].model.case_id(3))
    shot("pathway")
    visit = w.patient_view.add_visit()
    visit.show()
    shot("visit", visit)
    visit.reject()
    wiz = w.show_view("intake")
    wiz._go("red_flags")
    shot("intake-red-flags")
    w.show_view("settings")
    shot("settings")
    w.close()
    store.close()
    sys.exit(0)

shot("worklist")
wl = w.views["worklist"]
w.open_case(wl.model.case_id(3))
shot("pathway")
handout = w.patient_view.print_handout()
handout.adjustSize()
for _ in range(3):
    app.processEvents()
handout.grab().save(str(OUT / "handout-dialog.png"))
handout.close()
about = w.show_about()
about.adjustSize()
for _ in range(3):
    app.processEvents()
about.grab().save(str(OUT / "about.png"))
about.close()
w.patient_view.tabs.setCurrentIndex(1)
shot("timeline")
w.patient_view.tabs.setCurrentIndex(2)
shot("access-history")
w.patient_view.tabs.setCurrentIndex(0)
visit = w.patient_view.add_visit()
visit.rescreen.setChecked(True)
visit.flags["fever"].set_value("yes")
visit.show()
for _ in range(3):
    app.processEvents()
visit.grab().save(str(OUT / "visit-red-flags.png"))
visit.reject()
w.show_view("patients").search_box.setText("Ros")
w.views["patients"].search()
shot("patients")
wiz = w.show_view("intake")
shot("intake-patient")
wiz.page("patient").pid.setText("DEMO-NEW-1")
wiz.page("patient").age.setValue(58)
wiz.page("patient").onset.set_day(ctx.today() - datetime.timedelta(days=21))
wiz.next()
wiz.page("symptoms").load({"side": "left", "regions": ["buttock", "lateral_leg", "dorsum_foot", "great_toe"]})
shot("intake-symptoms")
wiz.next()
wiz.page("red_flags").groups["saddle_anaesthesia"].set_value("yes")
shot("intake-red-flags")
wiz._go("scores")  # the scores step: STarT Back as the nine answers
shot("intake-scores")
guideline = w.show_view("guideline")
shot("guideline")
guideline.tabs.setCurrentIndex(1)
shot("guideline-review")
guideline.tabs.setCurrentIndex(0)
settings_view = w.show_view("settings")
shot("settings")
settings_view.backups.backup_button.click()
settings_view.backups.wait_for_worker()
for _ in range(5):
    app.processEvents()
settings_view.backups.grab().save(str(OUT / "settings-backups.png"))
dark = QPalette()
for role, colour in ((QPalette.Window, "#202124"), (QPalette.WindowText, "#e8eaed"), (QPalette.Base, "#17181a"),
                     (QPalette.AlternateBase, "#25272a"), (QPalette.Text, "#e8eaed"), (QPalette.Button, "#2d2f33"),
                     (QPalette.ButtonText, "#e8eaed"), (QPalette.Highlight, "#3b6fb6"),
                     (QPalette.HighlightedText, "#ffffff")):
    dark.setColor(role, QColor(colour))
app.setPalette(dark)
ctx.hub.settings_changed.emit()
w.show_view("worklist")
shot("worklist-dark")
w.open_case(wl.model.case_id(3))
w.patient_view.tabs.setCurrentIndex(1)
shot("timeline-dark")
wiz.dirty = False
wiz.reset()  # (Start over asks first; the demo discards without the question)
wiz.autosave_timer.stop()
# the lock screen (a passphrase set for this demo only)
app.setPalette(app.style().standardPalette())
from radiculopathy_desktop.storage import access  # noqa: E402

access.set_passphrase(store, "demo passphrase", "demo passphrase", user="demo")
w.lock.reload()
w.lock.lock("manual")
shot("lock-screen")
w.lock.shutdown()
store.close()

# first run: a window on an empty database (light palette again)
app.setPalette(app.style().standardPalette())
empty_folder = Path(tempfile.mkdtemp())
empty_store = open_store(empty_folder)
empty_ctx = AppContext(store=empty_store, hub=EventHub(), data_dir=empty_folder)
w.close()
w = create_window(empty_ctx)
w.show()
shot("first-run")
w.close()
empty_store.close()
