"""Edit medicines and Edit conditions keep what was typed on this computer when the clinic
server cannot be reached (medfix2; H-DATA-904), as the visit and decision dialogs do.

Before, a save that could not reach the server kept the corrected list in the dialog only:
closing it (or the window) lost the correction. Now it is kept in the data folder
(``offline-drafts/writes``), offered when the server is back, and saved once: replayed over the
list the dialog was shown, refused when another workstation corrected it meanwhile.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import Medicine
from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.ui import offline_drafts
from radiculopathy_desktop.ui.offline_replay import replay

from .conftest import TODAY
from .test_edit_conditions_medfix2 import CASE as CON_CASE, _open_editor as _open_conditions, _seed as _seed_conditions, \
    _type_egfr
from .test_edit_medicines_medfix import CASE as MED_CASE, _gone, _open_editor as _open_medicines, \
    _seed as _seed_medicines
from .test_pregnancy_intake import key


def _unreachable(*_a, **_k):
    raise StorageError(StorageErrorKind.UNREACHABLE, "The clinic server cannot be reached. Nothing was saved.")


def _kept(window, kind):
    return [w for w in offline_drafts.kept_writes(window.context.data_dir) if w.kind == kind]


def test_a_medicine_list_not_saved_for_a_lost_server_is_kept_and_saved_once_when_back(window, qtbot, store,
                                                                                       monkeypatch):
    from radiculopathy_desktop.ui import errors as ui_errors
    monkeypatch.setattr(ui_errors, "show_error", lambda *a, **k: None)
    _seed_medicines(store)
    dialog = _open_medicines(window, qtbot)
    dialog.meds.setCurrentCell(0, 0)
    key(qtbot, Qt.Key_V, Qt.AltModifier)  # ibuprofen removed
    monkeypatch.setattr(store, "set_medicines", _unreachable)
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert dialog.isVisible() and "kept on this computer" in dialog.error.text()
    [write] = _kept(window, "medicines")
    assert write.why == offline_drafts.UNREACHABLE and write.case_id == MED_CASE
    assert write.data["medicines"] == [{"name": "gabapentin", "daily_dose_mg": 900.0}]
    assert "Medicines corrected to: gabapentin 900 mg a day" in write.describe()
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # the server still away: one copy, not two
    assert len(_kept(window, "medicines")) == 1
    dialog.done(0)  # the dialog closed: the copy stays, for the window to offer
    assert len(_kept(window, "medicines")) == 1
    bar = window._kept_writes_bar(local=True)  # the window's offer (built at once on a server)
    bar.refresh()
    # a medicine list, not "1 visit or decision" (path33: named as what it is, not "1 change")
    assert bar.isVisible() and "1 medicine list typed while" in bar.label.text()
    assert "visit or decision" not in bar.label.text()
    monkeypatch.undo()
    # the server is back: the window's offer saves it, once
    result = replay(store, write, TODAY, user="dr.back")
    assert result.outcome == "saved"
    assert store.get_case(MED_CASE).intake.medicines == (Medicine("gabapentin", 900.0),)
    assert replay(store, write, TODAY, user="dr.back").outcome == "already"
    assert [e.user for e in store.audit(MED_CASE) if e.action == "medicines_changed"] == ["dr.back"]


def test_a_kept_list_is_not_saved_over_a_correction_made_elsewhere_until_the_user_chooses(window, qtbot, store,
                                                                                           monkeypatch):
    from radiculopathy_desktop.ui import errors as ui_errors
    monkeypatch.setattr(ui_errors, "show_error", lambda *a, **k: None)
    _seed_medicines(store)
    dialog = _open_medicines(window, qtbot)
    dialog.meds.setCurrentCell(0, 0)
    key(qtbot, Qt.Key_V, Qt.AltModifier)
    monkeypatch.setattr(store, "set_medicines", _unreachable)
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    dialog.done(0)
    monkeypatch.undo()
    [write] = _kept(window, "medicines")
    store.set_medicines(MED_CASE, [Medicine("ibuprofen", 1200.0)], user="dr.elsewhere",
                        shown=(Medicine("ibuprofen", 1200.0), Medicine("gabapentin", 900.0)))
    result = replay(store, write, TODAY, user="dr.back")
    assert result.outcome == "changed" and "medicines were changed" in result.message
    assert store.get_case(MED_CASE).intake.medicines == (Medicine("ibuprofen", 1200.0),)
    assert replay(store, write, TODAY, changed_ok=True, user="dr.back").outcome == "saved"  # told, chosen
    assert store.get_case(MED_CASE).intake.medicines == (Medicine("gabapentin", 900.0),)


def test_a_change_of_conditions_not_saved_for_a_lost_server_is_kept_and_saved_when_back(window, qtbot, store,
                                                                                        monkeypatch):
    from radiculopathy_desktop.ui import errors as ui_errors
    monkeypatch.setattr(ui_errors, "show_error", lambda *a, **k: None)
    _seed_conditions(store, 75)
    dialog = _open_conditions(window, qtbot)
    _type_egfr(qtbot, dialog, "25")
    monkeypatch.setattr(store, "set_conditions", _unreachable)
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert dialog.isVisible() and "kept on this computer" in dialog.error.text()
    [write] = _kept(window, "conditions")
    assert write.data["conditions"]["egfr"] == 25 and write.data["shown"]["egfr"] == 75
    assert "eGFR 75 mL/min/1.73m² → 25 mL/min/1.73m²" in write.describe()
    monkeypatch.undo()
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # the server back before the dialog closed: saved here
    qtbot.waitUntil(lambda: _gone(dialog))
    assert store.get_case(CON_CASE).intake.conditions.egfr == 25
    assert _kept(window, "conditions") == []  # saved from the dialog: its kept copy is not offered


def test_kept_conditions_are_refused_when_changed_elsewhere_and_saved_once(store):
    import datetime as dt

    from radiculopathy_desktop.domain.intake import parse_case
    from .conftest import case_dict
    d = case_dict("P-K", "Kay Kept", 20)
    d["conditions"] = {"egfr": 75}
    store.import_cases([parse_case(d)], user="test")
    write = offline_drafts.KeptWrite(key=offline_drafts.new_write_key(), kind="conditions", case_id="P-K-case",
                                     data={"conditions": {"egfr": 25}, "shown": {"egfr": 75}}, user="dr.a",
                                     typed_at=dt.datetime.now(dt.timezone.utc).isoformat(), based_on="")
    store.set_conditions("P-K-case", {"egfr": 60}, user="dr.elsewhere", shown=store.get_case("P-K-case"))
    assert replay(store, write, TODAY, user="dr.a").outcome == "changed"
    assert store.get_case("P-K-case").intake.conditions.egfr == 60
    assert replay(store, write, TODAY, changed_ok=True, user="dr.a").outcome == "saved"
    assert replay(store, write, TODAY, user="dr.a").outcome == "already"
    assert store.get_case("P-K-case").intake.conditions.egfr == 25


@pytest.mark.parametrize("kind, data", [
    ("medicines", {"medicines": [{"name": 5}], "shown": []}),
    ("medicines", {"medicines": [{"name": "ibuprofen", "daily_dose_mg": "1200"}], "shown": []}),
    ("medicines", {"medicines": [{"name": "ibuprofen"}]}),
    ("conditions", {"conditions": ["egfr", 25], "shown": {}}),
])
def test_a_kept_correction_that_cannot_be_replayed_is_set_aside_not_offered(tmp_path, kind, data):
    import dataclasses
    import json

    key = offline_drafts.new_write_key()
    write = offline_drafts.KeptWrite(key=key, kind=kind, case_id="C-1", data={"medicines": [], "shown": []}
                                     if kind == "medicines" else {"conditions": {}, "shown": {}}, user="dr.a",
                                     typed_at="2026-12-03T07:00:00+00:00", based_on="")
    assert offline_drafts.keep_write(tmp_path, write)
    assert offline_drafts.set_aside_unreadable_writes(tmp_path) == []  # a well-formed one stays
    path = tmp_path / offline_drafts.FOLDER / offline_drafts.WRITES / f"{key}.json"
    path.write_text(json.dumps(dataclasses.asdict(dataclasses.replace(write, data=data))), encoding="utf-8")
    [(name, why, _where)] = offline_drafts.set_aside_unreadable_writes(tmp_path)
    assert name == f"{key}.json" and ("medicine list" in why or "conditions" in why)
