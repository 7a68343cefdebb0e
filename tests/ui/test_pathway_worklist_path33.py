"""path33, in the window as a clinician uses it (H-UI-520, H-UI-521, H-PATH-907, H-FU-909, H-FU-910):

* a case whose review is due and whose patient has tried every step the ladder offers: the page's
  stepped care has one step Now, the surgical opinion ("Now: 6. Surgical opinion"), and the
  epidural already given says the review decides whether it goes on (it read "Injections Now"
  beside "Surgical opinion Now");
* after a referral recorded by keys, the page's monitoring says what follows (awaiting the
  surgical opinion; the red-flag safety net) and no "Suggested next visit";
* the worklist's status says "Due; would not consider surgery" for a patient who said so, its
  tooltip the whole sentence; another patient's row says "Due";
* the kept-items bar names what is kept ("1 visit and 1 decision"), never "visit or decision"."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.ui import offline_drafts

from .conftest import TODAY, case_dict
from .window_steps import record_referral_by_keys

#: a step row of the page's stepped-care table in the state "Now" ("5. Injections and procedures Now")
NOW_ROW = re.compile(r"\b\d\. [A-Za-z -]+? Now\b")
TRIED = [{"code": "advice_self_management"}, {"code": "manual_therapy"}, {"code": "nsaid"},
         {"code": "epidural_steroid_injection"}]


def _pathway(window) -> str:
    return re.sub(r"\s+", " ", window.patient_view.pathway.toPlainText())


def _add(context, c: dict) -> None:
    context.store.import_cases([parse_case(c)], user="test")


def _due(pid: str, name: str, **more) -> dict:
    visit = {"date": (TODAY - dt.timedelta(days=5)).isoformat(), "leg_nrs": 7, "back_nrs": 4, "odi_percent": 42}
    return dict(case_dict(pid, name, 52, visits=[visit]), **more)


def test_a_due_review_with_every_step_tried_has_one_step_now(window, qtbot, context):
    _add(context, _due("P-ZEV", "Zev Tried", treatments_tried=TRIED))
    window.open_case("P-ZEV-case")
    text = _pathway(window)
    assert "Now: 6. Surgical opinion" in text
    assert NOW_ROW.findall(text) == ["6. Surgical opinion Now"]
    assert "5. Injections and procedures Tried" in text
    assert "Step 6 (Surgical opinion) is Now: the review is due. It decides whether this care goes on" in text
    assert "continue this step and review" not in text


def test_after_a_referral_the_page_says_what_follows_not_a_next_visit(window, qtbot, context):
    window.open_case("P-DUE-case")
    before = _pathway(window)
    assert "Suggested next visit:" in before and "Monitoring at follow-up" in before
    # nothing tried: self-care is Now beside the due review and says why; the page leads with the review
    assert "Now: 6. Surgical opinion" in before
    assert NOW_ROW.findall(before) == ["1. Self-care and staying active Now", "6. Surgical opinion Now"]
    assert "Now together with step 6 (Surgical opinion), the review due" in before
    record_referral_by_keys(window, qtbot, "P-DUE-case")
    qtbot.waitUntil(lambda: "closed" in window.patient_view.status.text().lower())
    text = _pathway(window)
    assert "Suggested next visit" not in text
    assert "Monitoring while awaiting the surgical opinion" in text
    assert (f"Next: Referred for a surgical opinion on {TODAY.strftime('%-d %b %Y')} (decision recorded): "
            "awaiting the surgical opinion. No routine next visit; if worse, see the safety net below.") in text
    assert "new bladder or bowel problems" in text and "gets worse while waiting" in text


def test_the_worklist_status_says_the_patient_would_not_consider_surgery(window, qtbot, context):
    _add(context, _due("P-RAE", "Rae Wish", would_consider_intervention="no"))
    _add(context, _due("P-YAN", "Yan Yes", would_consider_intervention="yes"))
    view = window.views["worklist"]
    view.refresh()
    qtbot.waitUntil(lambda: {"P-RAE-case", "P-YAN-case"} <= {r.case_id for r in view.model.rows}, timeout=5000)
    row = {view.model.rows[r].case_id: r for r in range(view.model.rowCount())}
    status = view.model.index(row["P-RAE-case"], 0)
    # window35: the wish in a column of its own beside the status ("Patient wish": "No surgery")
    assert view.model.data(status) == "Due"
    assert view.model.data(view.model.index(row["P-RAE-case"], 1)) == "No surgery"
    assert view.model.headerData(1, Qt.Horizontal) == "Patient wish"
    tip = view.model.data(status, Qt.ToolTipRole)
    assert "The patient would not consider an injection or surgery (recorded at the intake)" in tip
    assert 'record the decision "patient declined"' in tip
    assert view.model.data(view.model.index(row["P-YAN-case"], 0)) == "Due"
    assert view.model.data(view.model.index(row["P-YAN-case"], 1)) == ""
    assert "would not consider" not in view.model.data(view.model.index(row["P-YAN-case"], 0), Qt.ToolTipRole)


def _kept(context, kind: str, data: dict) -> None:
    case = context.store.get_case("P-DUE-case")
    write = offline_drafts.KeptWrite(
        key=offline_drafts.new_write_key(), kind=kind, case_id="P-DUE-case", data=data, user="Dr Ann",
        typed_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        based_on=offline_drafts.case_digest(case), patient=case.patient.name, why=offline_drafts.UNSAVED)
    assert offline_drafts.keep_write(context.data_dir, write)


def test_the_kept_items_bar_names_what_is_kept(window, qtbot, context):
    day = (TODAY - dt.timedelta(days=1)).isoformat()
    _kept(context, "visit", {"date": day, "leg_nrs": 3, "back_nrs": 2})
    bar = window._kept_writes_bar(local=True)
    bar.refresh()
    assert bar.isVisible() and bar.label.text().startswith("1 visit typed and not saved is kept on this computer")
    _kept(context, "decision", {"date": day, "kind": "continue_conservative_care",
                                "until": (TODAY + dt.timedelta(days=14)).isoformat(), "by": "Dr Ann"})
    bar.refresh()
    said = bar.label.text()
    assert said.startswith("1 visit and 1 decision typed and not saved are kept on this computer")
    assert "visit or decision" not in said


def test_kept_count_names_each_kind_one_and_many():
    from types import SimpleNamespace as W

    from radiculopathy_desktop.ui.offline_replay import kept_count

    def of(*kinds):
        return kept_count([W(kind=k) for k in kinds])

    assert of("visit") == "1 visit"
    assert of("decision", "decision") == "2 decisions"
    assert of("decision", "visit") == "1 visit and 1 decision"  # visits first, as the dialogs are offered
    assert of("visit", "visit", "decision", "medicines") == "2 visits, 1 decision and 1 medicine list"
    assert of("conditions") == "1 change of conditions"
    assert of("conditions", "conditions", "medicines", "medicines") == "2 medicine lists and 2 changes of conditions"


def test_a_kept_item_that_cannot_be_read_names_every_kind_it_may_have_held(window, qtbot, context):
    folder = context.data_dir / offline_drafts.FOLDER / offline_drafts.WRITES
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "abcdef123456.json").write_bytes(b"{not json")
    bar = window._kept_writes_bar(local=True)
    bar.refresh()
    assert bar.isVisible() and "A kept item that cannot be read" in bar.label.text()
    review = bar.review()
    qtbot.addWidget(review)
    lines = [review.list.item(i).text() for i in range(review.list.count())]
    line = next(t for t in lines if "cannot be read" in t)
    # it may have held any kept kind (medfix2 keeps medicine lists and conditions too): all are named
    assert line.endswith("If it held a visit, a decision, a medicine list or a change of conditions, type it again.")
