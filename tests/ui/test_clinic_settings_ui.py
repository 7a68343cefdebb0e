"""The clinic's details set in the window are the data folder's (issue 14): a command-line
handout carries the address typed in Settings, the profile chosen in the window is the
commands' default, and what earlier versions kept in the user's preferences moves into
the database once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from radiculopathy_desktop.domain.clinic import ClinicSettings
from radiculopathy_desktop.ui import context as context_mod


def _cli(data: Path, *args: str) -> int:
    from radiculopathy_desktop.cli import main
    return main(["--data-dir", str(data), *args])


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages).split())


def _type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClick(widget, Qt.Key_Delete)
    lines = text.split("\n")
    for n, line in enumerate(lines):
        qtbot.keyClicks(widget, line)
        if n < len(lines) - 1:
            qtbot.keyClick(widget, Qt.Key_Return)


def test_a_command_line_handout_carries_the_clinic_address_set_in_the_window(window, qtbot, context, tmp_path):
    settings = window.show_view("settings")
    _type_into(qtbot, settings.clinic_name, "Riverside Practice")
    _type_into(qtbot, settings.clinic_address, "1 River Lane, Leeds\nTel 0113 496 0000")
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert settings.saved_label.text().startswith("Saved")
    assert context.store.clinic_settings().address == "1 River Lane, Leeds\nTel 0113 496 0000"
    out = tmp_path / "handout.pdf"
    assert _cli(context.store.data_dir, "handout", "P-DUE-case", "--as-of", "2026-03-02", "--sheets",
                "warning_signs", "--out", str(out)) == 0
    text = _pdf_text(out)
    assert "Riverside Practice" in text and "0113 496 0000" in text and "River Lane" in text
    # nothing of it is kept in the user's preferences any more
    assert QSettings().value("clinic/address") is None


def test_the_profile_chosen_in_the_window_is_the_default_of_the_commands(window, qtbot, context, capsys):
    settings = window.show_view("settings")
    settings.profile.setFocus()
    for _ in range(settings.profile.count()):
        if settings.profile.currentData() == "uk":
            break
        qtbot.keyClick(settings.profile, Qt.Key_Down)
    assert settings.profile.currentData() == "uk"
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert context.profile() == "uk"
    capsys.readouterr()
    assert _cli(context.store.data_dir, "settings", "get", "guideline_profile") == 0
    assert capsys.readouterr().out.strip() == "uk"
    assert _cli(context.store.data_dir, "outcomes", "--from", "2025-12-01", "--to", "2026-03-02",
                "--as-of", "2026-03-02") == 0
    assert "US profile" not in capsys.readouterr().out


def test_a_bad_address_is_said_beside_nothing_saved(window, qtbot, context):
    settings = window.show_view("settings")
    settings.clinic_address.setPlainText("x" * 501)
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert "Clinic address" in settings.message.text() and not settings.saved_label.text()
    assert context.store.clinic_settings().address == ""


def test_the_preferences_of_earlier_versions_move_into_the_database_once(context):
    prefs = QSettings()
    prefs.setValue("clinic/address", "12 Old Road\nTel 555 0100")
    prefs.setValue("guideline/profile", "uk")
    prefs.sync()
    assert context_mod.move_clinic_preferences(context) is True
    assert context.store.clinic_settings() == ClinicSettings(address="12 Old Road\nTel 555 0100", profile="uk")
    moved = [e for e in context.store.audit() if e.action == "settings_changed" and "clinic_address" in e.detail]
    assert len(moved) == 1 and moved[0].detail["clinic_address"] == ["", "12 Old Road\nTel 555 0100"]
    assert context.store.setting(context_mod.MOVED_SETTING) is True  # this database has had the move
    # later changes in the window are not undone by a second start
    context.store.set_clinic_settings(context.clinic().updated(address="New address", profile="us"), user="dr.a")
    assert context_mod.move_clinic_preferences(context) is False
    assert context.clinic().address == "New address" and context.profile() == "us"
    # nothing was lost: the old values stay where they were
    assert QSettings().value("clinic/address") == "12 Old Road\nTel 555 0100"


def test_the_move_keeps_what_the_database_already_has(context):
    context.store.set_clinic_settings(ClinicSettings(address="Stored address", profile="us"), user="dr.a")
    prefs = QSettings()
    prefs.setValue("clinic/address", "Preference address")
    prefs.sync()
    assert context_mod.move_clinic_preferences(context) is False
    assert context.clinic().address == "Stored address"


def test_the_window_start_moves_the_preferences(qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui import app as app_module

    prefs = QSettings()
    prefs.setValue("clinic/address", "7 Start Street")
    prefs.sync()
    controller = app_module.AppController(QApplication.instance(), tmp_path / "fresh",
                                          exec_dialog=lambda d: (_ for _ in ()).throw(AssertionError(d)))
    try:
        assert controller.start() is None
        assert controller.store.clinic_settings().address == "7 Start Street"
    finally:
        controller.shutdown()
    with CaseStore.open(tmp_path / "other") as other:  # a second data folder keeps its own (empty) details
        assert other.clinic_settings().address == ""


def test_a_settings_save_keeps_what_another_process_changed_meanwhile(window, qtbot, context, capsys):
    """The window is open on Settings; IT sets the country, profile, address and review
    window from the command line (another process, its own connection). The window shows
    them; a GP then types only a clinic name and saves: IT's values are kept, not reverted
    to what the form had shown (red-team #3)."""
    settings = window.show_view("settings")
    assert context.store.clinic_settings().country is None  # read by the window: cached there
    data = context.store.data_dir
    for key, value in (("clinic_country", "uk"), ("guideline_profile", "uk"), ("clinic_address", "From IT"),
                       ("window_end_day", "90")):
        assert _cli(data, "settings", "set", key, value) == 0
    capsys.readouterr()
    # the window's store sees it at once (the emergency number on handouts follows the country)
    assert context.store.clinic_settings() == ClinicSettings(name="", address="From IT", country="uk", profile="uk")
    _type_into(qtbot, settings.clinic_name, "GP typed name")
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert settings.saved_label.text().startswith("Saved")
    assert context.store.clinic_settings() == ClinicSettings(name="GP typed name", address="From IT", country="uk",
                                                             profile="uk")
    assert context.store.get_settings().window_end_day == 90
    assert context.store.audit()[-1].detail == {"clinic_name": ["", "GP typed name"]}
    # and the form now shows what is stored
    assert settings.clinic_address.toPlainText() == "From IT"
    assert settings.country.currentData() == "uk" and settings.profile.currentData() == "uk"
    assert settings.fields["window_end_day"].value() == 90


def test_showing_settings_again_shows_another_process_change(window, qtbot, context, capsys):
    window.show_view("settings")
    window.show_view("worklist")
    assert _cli(context.store.data_dir, "settings", "set", "clinic_address", "New address") == 0
    capsys.readouterr()
    settings = window.show_view("settings")
    assert settings.clinic_address.toPlainText() == "New address"


def _legacy(address: str | None = None, profile: str | None = None) -> None:
    prefs = QSettings()
    if address is not None:
        prefs.setValue("clinic/address", address)
    if profile is not None:
        prefs.setValue("guideline/profile", profile)
    prefs.sync()


def _context_on(path: Path, demo: bool = False):
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    store = CaseStore.open(path)
    return AppContext(store=store, hub=EventHub(), data_dir=path, demo=demo)


def test_a_demo_folder_opened_first_does_not_take_the_move_from_the_real_one(tmp_path):
    """Red-team #2: the README's quick start opens --demo first; the clinic's real data folder
    must still get the UK profile and address the user had before the upgrade."""
    _legacy("1 Old Street\nLeeds LS1 1AA", "uk")
    demo = _context_on(tmp_path / "demo", demo=True)
    try:
        assert context_mod.move_clinic_preferences(demo) is False
        assert demo.store.clinic_settings() == ClinicSettings()
        assert demo.store.setting(context_mod.MOVED_SETTING) is None and demo.store.audit_count() == 0
    finally:
        demo.store.close()
    real = _context_on(tmp_path / "real")
    try:
        assert context_mod.move_clinic_preferences(real) is True
        assert real.store.clinic_settings() == ClinicSettings(address="1 Old Street\nLeeds LS1 1AA", profile="uk")
    finally:
        real.store.close()
    # a second real folder gets them too (the marker is the database's, not the user's)
    second = _context_on(tmp_path / "second")
    try:
        assert context_mod.move_clinic_preferences(second) is True
        assert second.profile() == "uk"
    finally:
        second.store.close()
    assert QSettings().value("guideline/profile") == "uk"  # never deleted


def test_a_restored_pre_upgrade_backup_gets_the_preferences_again(tmp_path):
    """Red-team #7: a backup taken before the upgrade has neither the values nor the marker;
    after restoring it the move runs again. A database's own values still win."""
    from radiculopathy_desktop.storage import backup as bk
    from radiculopathy_desktop.storage.store import CaseStore

    data = tmp_path / "data"
    CaseStore.open(data).close()
    made = bk.backup_database(data)  # before the upgrade's move
    _legacy("1 Old Street", "uk")
    ctx = _context_on(data)
    try:
        assert context_mod.move_clinic_preferences(ctx) is True
        ctx.store.set_clinic_settings(ctx.clinic().updated(name="Riverside"), user="dr.a")
        assert context_mod.move_clinic_preferences(ctx) is False  # once per database
    finally:
        ctx.store.close()
    bk.restore(made.path, data)
    ctx = _context_on(data)
    try:
        assert ctx.clinic() == ClinicSettings()  # the restored database, as it was
        assert context_mod.move_clinic_preferences(ctx) is True
        assert ctx.clinic() == ClinicSettings(address="1 Old Street", profile="uk")
    finally:
        ctx.store.close()
    # a database that has its own address keeps it (the profile it never chose is moved)
    other = tmp_path / "other"
    with CaseStore.open(other) as s:
        s.set_clinic_settings(ClinicSettings(address="Own address"), user="it")
    ctx = _context_on(other)
    try:
        assert context_mod.move_clinic_preferences(ctx) is True
        assert ctx.clinic() == ClinicSettings(address="Own address", profile="uk")
        assert ctx.store.setting(context_mod.MOVED_SETTING) is True
    finally:
        ctx.store.close()


def test_a_bad_legacy_address_does_not_drop_the_profile_and_is_said(tmp_path):
    """Red-team #2, second trigger: each legacy value is moved on its own. Tabs pasted into the
    old address become spaces; one too long for the new rules is skipped with a notice for
    the window, and the profile still moves."""
    _legacy("1 Old Street\tLeeds\nTel\t0113 496 0000", "uk")
    ctx = _context_on(tmp_path / "tabs")
    try:
        assert context_mod.move_clinic_preferences(ctx) is True
        assert ctx.clinic() == ClinicSettings(address="1 Old Street Leeds\nTel 0113 496 0000", profile="uk")
    finally:
        ctx.store.close()
    _legacy("x" * 501, "uk")
    ctx = _context_on(tmp_path / "long")
    notices: list[str] = []
    try:
        assert context_mod.move_clinic_preferences(ctx, notices) is True
        assert ctx.clinic() == ClinicSettings(address="", profile="uk")
        [notice] = notices
        assert "clinic address" in notice and "Settings" in notice
    finally:
        ctx.store.close()
    assert QSettings().value("clinic/address") == "x" * 501  # kept for the user to copy


def test_reading_another_guideline_changes_nothing_stored(window, qtbot, context):
    """Red-team #10: the Guideline view's combo chooses which guideline to READ; it starts at
    the clinic's profile and never changes the clinic's default (no write, no audit row)."""
    context.store.set_clinic_settings(context.clinic().updated(name="Riverside"), user="dr.a")
    audit_before = context.store.audit_count()
    view = window.show_view("guideline")
    assert view.profile.currentData() == "us" == context.profile()
    view.profile.setFocus()
    index = view.profile.findData("uk")
    while view.profile.currentIndex() != index:
        qtbot.keyClick(view.profile, Qt.Key_Down if view.profile.currentIndex() < index else Qt.Key_Up)
    assert "NICE" in view.browser.toPlainText()
    assert context.profile() == "us" and context.store.setting("guideline_profile") is None
    assert context.store.audit_count() == audit_before
    assert "Reading only" in view.reading_note.text() and "Settings" in view.reading_note.text()
    # another settings change leaves the guideline being read alone
    context.ops.run(lambda store: store.set_settings({"window_start_day": 35}, user="t"), parent=window)
    assert view.profile.currentData() == "uk"
    # the clinic's profile changed in Settings: the view shows the clinic's guideline
    settings = window.show_view("settings")
    set_to = settings.profile.findData("uk")
    settings.profile.setCurrentIndex(set_to)
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert context.profile() == "uk"
    context.ops.run(lambda store: store.set_clinic_settings(store.clinic_settings().updated(profile="us"), user="t"),
                    parent=window)
    assert view.profile.currentData() == "us" and view.reading_note.text() == ""
