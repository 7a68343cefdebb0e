"""The kept copy's typist is kept in the audit when another user saves it (ui19 not done, H-DATA-365).

ui19 made "Save under my name (Dr Ben)" ask before Dr Ben saves a visit kept as typed by Dr Ann, but
the audit entry then said only "Dr Ben": who typed it was asked about on screen and lost. The entry
now keeps ``typed_as`` (the kept file's name, a claim: rt8 F10) beside its ``user`` (Dr Ben, who
checked and saved it), and the case's Access history says it. Driven by keys (Tab to Save, Space),
as ui19's tests are. The clinic server's path is checked in test_clinic_server_live.py.
"""

from __future__ import annotations

from .test_kept_visit_typed_by_another import CASE, _alt_s, _dialog, _keep, _visits


def test_saved_under_my_name_the_audit_keeps_who_the_kept_copy_says_typed_it(window, qtbot, context):
    context.set_user("Dr Ben")
    _keep(context, "Dr Ann")
    review = _dialog(qtbot, context)
    _alt_s(qtbot, review)  # asked first
    assert _visits(context) == []
    _alt_s(qtbot, review)  # "Save under my name (Dr Ben)"
    assert len(_visits(context)) == 1
    [entry] = [e for e in context.store.audit(CASE) if e.action == "visit_added"]
    assert entry.user == "Dr Ben" and entry.detail["typed_as"] == "Dr Ann"
    # the case's Access history says both
    window.open_case(CASE)
    history = window.patient_view.history
    window.patient_view.tabs.setCurrentWidget(history)  # the "Access history" tab
    qtbot.waitUntil(lambda: history.table.rowCount() > 0)
    rows = [[history.table.item(r, c).text() for c in range(history.table.columnCount())]
            for r in range(history.table.rowCount())]
    [row] = [r for r in rows if r[2] == "Follow-up visit added"]
    assert row[1] == "Dr Ben"
    assert "typed as Dr Ann in a copy kept on a workstation, checked and saved by this user" in row[3]


def test_the_typist_saving_their_own_kept_visit_adds_no_claim(window, qtbot, context):
    """Boundary: the same user (spaces aside): nothing is claimed beside them."""
    context.set_user("Dr Ann")
    _keep(context, " Dr Ann ")
    review = _dialog(qtbot, context)
    _alt_s(qtbot, review)
    assert len(_visits(context)) == 1
    [entry] = [e for e in context.store.audit(CASE) if e.action == "visit_added"]
    assert entry.user == "Dr Ann" and "typed_as" not in entry.detail
