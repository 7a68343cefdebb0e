"""A visit or decision holding a lone surrogate (half of a UTF-16 pair, no character: text
pasted from a damaged source, a kept copy edited by hand) is kept on this computer without
loss, and saving it is refused naming the field on both engines (red team rt17 F13, id18,
H-UI-282).

Before: ``offline_drafts.keep()`` / ``keep_write()`` (documented "never raises") raised
``UnicodeEncodeError``: ``json.dump(..., ensure_ascii=False)`` into a UTF-8 file cannot write a
lone surrogate, the ``.tmp`` file was removed, and the dialog only logged it, so the crash and
lock protection silently did not exist for that visit. ``add_visit`` / ``record_decision``
failed part way with ``UnicodeEncodeError`` (an "unexpected error" naming nothing).
Now the file is written with JSON escapes (``\\ud83d``), which read back to exactly what was
typed; the store refuses before writing anything, naming the field and the character.
"""

from __future__ import annotations

import dataclasses
import stat

import pytest

from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, ValidationError
from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.ui import offline_drafts
from tracker_support import ANCHOR, make_case

STORE_ENGINES = ("sqlite", "postgresql")
BROKEN = "pain \ud83d worse"  # a lone high surrogate: what a paste cut in the middle of an emoji leaves


def _write(key="a1b2c3d4e5f6", data=None) -> offline_drafts.KeptWrite:
    return offline_drafts.KeptWrite(key=key, kind="visit", case_id="K-1",
                                    data=data or {"date": ANCHOR.isoformat(), "leg_nrs": 4, "notes": BROKEN},
                                    user="dr.a", typed_at="2026-11-30T10:00:00+00:00", based_on="x", patient="Ann",
                                    why=offline_drafts.UNSAVED)


@pytest.mark.parametrize("surrogate", ["\ud800", "\udbff", "\udc00", "\udfff"])  # both ends of both halves
def test_a_typed_visit_with_a_lone_surrogate_is_kept_losslessly(tmp_path, surrogate):
    write = _write(data={"date": ANCHOR.isoformat(), "leg_nrs": 4, "notes": f"Ünïcode {surrogate} 痛"})
    assert offline_drafts.keep_write(tmp_path, write) is True  # raised UnicodeEncodeError before
    path = tmp_path / "offline-drafts" / "writes" / "a1b2c3d4e5f6.json"
    raw = path.read_bytes()
    raw.decode("utf-8")  # the file is valid UTF-8 text (the surrogate is a JSON escape)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    (back,) = offline_drafts.kept_writes(tmp_path)
    assert back == write  # exactly what was typed, the surrogate and the other non-ASCII letters
    assert not list(path.parent.glob(".draft-*"))  # no temporary file left


def test_text_without_a_surrogate_is_still_written_as_typed(tmp_path):
    """Boundary: ordinary non-ASCII text (and an emoji: a whole pair) stays readable UTF-8 in the file."""
    write = _write(data={"date": ANCHOR.isoformat(), "notes": "Ünïcode 痛 😀"})
    assert offline_drafts.keep_write(tmp_path, write)
    text = (tmp_path / "offline-drafts" / "writes" / "a1b2c3d4e5f6.json").read_text(encoding="utf-8")
    assert "Ünïcode 痛 😀" in text and "\\u" not in text


def test_an_intake_draft_with_a_lone_surrogate_is_kept_and_named_when_read(tmp_path):
    """The intake's draft (``keep``): kept, not raised; read back, the broken character is named
    (``_broken_text``), so the next New intake says which field instead of dropping it."""
    assert offline_drafts.keep(tmp_path, "intake", {"data": {"patient_name": "Al\ud800ex"}}) is True
    value, why = offline_drafts.read(tmp_path, "intake")
    assert value is None and why.startswith("its patient_name holds a broken character (U+D800")


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui")
def test_a_value_json_cannot_hold_is_not_kept_and_never_raises(tmp_path, caplog):
    assert offline_drafts.keep(tmp_path, "intake", {"when": object()}) is False
    assert offline_drafts.keep_write(tmp_path, _write(data={"date": ANCHOR, "notes": "x"})) is False
    assert not (tmp_path / "offline-drafts" / "intake.json").exists()
    assert caplog.text.count("draft not kept on this computer either (TypeError)") == 2  # the kind only


def _snapshot(store):
    return store.get_case("K-1"), store.audit_count()


@pytest.mark.parametrize("notes", [BROKEN, "\udfff", "end \udc00"])
def test_saving_a_visit_with_a_lone_surrogate_is_refused_naming_the_field(store, notes):
    store.import_cases([make_case("K-1")], user="dr.a")
    before = _snapshot(store)
    with pytest.raises(ValidationError) as refused:
        store.add_visit("K-1", FollowUpVisit(ANCHOR, leg_nrs=3, notes=notes), user="dr.a", write_key="k" * 32)
    (error,) = refused.value.errors
    at = next(n for n, ch in enumerate(notes) if "\ud800" <= ch <= "\udfff")
    assert error.field == "visit.notes"
    assert error.message.startswith(f"visit.notes holds U+{ord(notes[at]):04X} (character {at + 1}), half of a "
                                    "UTF-16 surrogate pair and not a character: it cannot be stored, so nothing was "
                                    "saved")
    assert _snapshot(store) == before


def test_saving_a_decision_with_a_lone_surrogate_is_refused_naming_the_field(store):
    store.import_cases([make_case("K-1")], user="dr.a")
    before = _snapshot(store)
    with pytest.raises(ValidationError) as refused:
        store.record_decision("K-1", Decision(ANCHOR, DecisionKind.PATIENT_DECLINED, by="Dr \udc00A"), user="dr.a")
    assert [e.field for e in refused.value.errors] == ["decision.by"]
    assert _snapshot(store) == before


def test_a_visit_with_whole_characters_is_saved(store):
    """Boundary: an emoji (a surrogate *pair* in UTF-16, one character in Python) is text, saved as typed."""
    store.import_cases([make_case("K-1")], user="dr.a")
    store.add_visit("K-1", FollowUpVisit(ANCHOR, leg_nrs=3, notes="pain 😀 better"), user="dr.a")
    assert store.get_case("K-1").visits[-1].notes == "pain 😀 better"


def test_a_kept_copy_with_a_lone_surrogate_is_not_saved_and_stays_kept(store, tmp_path):
    """The window's offer of kept items (``offline_replay.replay``): the item is refused in words
    naming the field; nothing is saved, and the copy stays on disk."""
    from radiculopathy_desktop.ui import offline_replay

    store.import_cases([make_case("K-1")], user="dr.a")
    case = store.get_case("K-1")
    write = dataclasses.replace(_write(), based_on=offline_drafts.case_digest(case))
    assert offline_drafts.keep_write(tmp_path, write)
    (kept,) = offline_drafts.kept_writes(tmp_path)
    before = _snapshot(store)
    result = offline_replay.replay(store, kept, ANCHOR, user="dr.a")
    assert result.outcome == "invalid" and "visit.notes holds U+D83D (character 6)" in result.message
    assert _snapshot(store) == before
    assert offline_drafts.kept_writes(tmp_path) == [kept]
