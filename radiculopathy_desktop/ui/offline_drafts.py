"""Drafts kept on this computer while the clinic server cannot be reached.

On the local file, a draft is saved in the database on this computer. On a clinic
server, a draft is saved on the server (per login); when the server cannot be reached
(``StorageErrorKind.UNREACHABLE``) the unfinished intake is kept here instead, in the
workstation's data folder (``offline-drafts/KEY.json``, owner-only: 0700 folder, 0600
file, written atomically), so nothing typed is lost. The next draft saved on the server
removes it; reopening New intake prefers it, since it is newer than the server's copy.

A visit or a decision whose save could not reach the server is kept here too
(``offline-drafts/writes/KEY.json``, :class:`KeptWrite`, ``why`` "unreachable"), and so, on a
local file as on a server, is one being typed (``why`` "unsaved"): the dialog writes what is
typed shortly after each change, at once when the window locks and from the crash guard, so a
session ended by the operating system while the window is locked (logout, shutdown) or a crash
loses nothing; the next start offers it. Either way it carries the write key the dialog
made for it once (``PgStore.add_visit(write_key=...)``): however many times it is then
saved (the dialog's Save again, the replay the window offers when the server is back, a
replay interrupted by another drop), the server stores it once. Each keeps a digest of
the case as it was shown when it was typed, so a case changed on the server meanwhile is
noticed before the replay adds to it (:mod:`radiculopathy_desktop.ui.offline_replay`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("radiculopathy_desktop.ui")

FOLDER = "offline-drafts"


def _path(data_dir: Path | None, key: str) -> Path | None:
    if data_dir is None or not key.replace("_", "").replace("-", "").isalnum():
        return None
    return Path(data_dir) / FOLDER / f"{key}.json"


def keep(data_dir: Path | None, key: str, value: Any) -> bool:
    """Write the draft to this computer; True when it is kept (never raises)."""
    return _write(_path(data_dir, key), value)


def _json_text(value: Any) -> str:
    """``value`` as the JSON text written to disk: UTF-8 as typed, except when it holds a lone
    surrogate (half of a UTF-16 pair, no character: pasted from a broken source), which UTF-8
    cannot hold; then every non-ASCII character is written as a JSON escape (``\\ud83d``),
    which reads back to exactly what was typed (red team rt17 F13: the write raised, and the
    typed visit was not kept). Raises TypeError/ValueError for a value JSON cannot hold."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, ensure_ascii=True)
    return text


def _write(path: Path | None, value: Any) -> bool:
    """Write ``value`` as JSON to ``path`` atomically, owner-only; True when written. Never
    raises: what cannot be written is logged (its kind only) and False returned."""
    if path is None:
        return False
    try:
        text = _json_text(value)
    except (TypeError, ValueError, RecursionError) as exc:
        log.warning("draft not kept on this computer either (%s)", type(exc).__name__)
        return False
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".draft-", suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        log.warning("draft not kept on this computer either (%s)", type(exc).__name__)
        return False
    return True


#: No draft is nested deeper than this. An intake draft is about four levels deep (the draft,
#: its fields, a group such as the medicines, one medicine); a file nested far deeper was not
#: written by this program, and reading it on would only fail further on (red-team rt9 F11).
MAX_DEPTH = 16


def _too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` (decoded JSON) holds lists or objects nested more than ``limit`` deep
    (walked without recursion, so a deep value cannot raise here)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _decode(path: Path) -> tuple[Any | None, str | None]:
    """The JSON in ``path`` and None; None, None when there is no file; or None and why it
    cannot be read, in words. Any failure to read or decode it is "cannot be read": never
    raised (a RecursionError from a file nested thousands deep kept New intake from opening,
    every time: red-team rt9 F11)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, None
    except UnicodeDecodeError:
        return None, "it is not text"
    except OSError as exc:
        return None, f"it cannot be opened ({type(exc).__name__})"
    except MemoryError:
        return None, "it is too large to be a draft"
    try:
        value = json.loads(text)
    except RecursionError:
        return None, "it is nested too deeply to be a draft"
    except MemoryError:
        return None, "it is too large to be a draft"
    except ValueError as exc:
        return None, _not_json_reason(exc)
    except Exception as exc:  # noqa: BLE001 - whatever else the decoder raises: not a draft, said in words
        return None, f"it cannot be decoded ({type(exc).__name__})"
    if _too_deep(value):
        return None, "it is nested too deeply to be a draft"
    broken = _broken_text(value)
    if broken:
        return None, broken
    return value, None


def _not_json_reason(exc: ValueError) -> str:
    """Why ``json.loads`` refused a kept file, in words. A whole number of more than 4,300
    digits is valid JSON that Python will not convert (``sys.get_int_max_str_digits``): it is
    said as such, not as "not JSON" (red-team rt10 F10)."""
    if hasattr(exc, "msg"):
        return f"it is not complete JSON ({exc.msg} at character {exc.pos})"
    if "integer string conversion" in str(exc):
        return "it holds a number too long to read (more than 4,300 digits)"
    return "it is not JSON"


def _broken_text(value: Any) -> str | None:
    """Why a decoded draft holds text that cannot be shown as it is: a lone surrogate
    (``"Al\\ud800ex"``: half of a UTF-16 pair, no character at all) would be dropped by the
    form, changing the name without a word (red-team rt10 F10). The field is named."""
    from radiculopathy_desktop.domain.characters import walk_text

    try:
        fields = value.get("data") if isinstance(value, dict) and isinstance(value.get("data"), (dict, list)) \
            else value  # a form's fields are under "data": named as the form names them
        for field, text, _ in walk_text(fields):
            for n, ch in enumerate(text):
                if "\ud800" <= ch <= "\udfff":
                    return (f"its {field} holds a broken character (U+{ord(ch):04X}, half of a character pair, "
                            f"at character {n + 1})")
    except RecursionError:
        return "it is nested too deeply to be a draft"
    return None


def load(data_dir: Path | None, key: str) -> Any | None:
    path = _path(data_dir, key)
    if path is None:
        return None
    value, unreadable = _decode(path)
    if unreadable:
        log.warning("a draft kept on this computer cannot be read (%s)", unreadable.split(" (")[0])
    return value


def read(data_dir: Path | None, key: str) -> tuple[Any | None, str | None]:
    """The draft kept here and None, or None and why the file there cannot be read (in words:
    not text, not JSON, nested too deeply, too large)."""
    path = _path(data_dir, key)
    if path is None:
        return None, None
    return _decode(path)


SET_ASIDE = "set-aside"


def set_aside(data_dir: Path | None, key: str, value: Any = None) -> Path | None:
    """Move the draft kept here for ``key`` aside, renamed, never deleted (red-team rt8 F6).

    With ``value`` (a draft read from the database), that value is written there instead.
    The copy is owner-only (0600 in a 0700 folder) in ``offline-drafts/set-aside/`` as
    ``KEY-YYYYMMDDTHHMMSSZ.json``; its path, or None when it could not be moved (logged)."""
    import datetime as dt
    source = _path(data_dir, key)
    if source is None:
        return None
    folder = source.parent / SET_ASIDE
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{key}-{stamp}.json"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{key}-{stamp}-{n}.json"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(source.parent, 0o700)
        os.chmod(folder, 0o700)
        if value is None:
            os.replace(source, target)
            os.chmod(target, 0o600)
        elif not _write(target, value):
            return None
    except OSError as exc:
        log.warning("a draft that cannot be read was not set aside (%s)", type(exc).__name__)
        return None
    return target


def discard(data_dir: Path | None, key: str) -> None:
    """The draft is on the server again (or the intake was saved): the local copy goes."""
    path = _path(data_dir, key)
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# --------------------------------------------------------------------------- visits and decisions kept here
WRITES = "writes"
#: "medicines" and "conditions": a case page's Edit medicines / Edit conditions whose save could
#: not reach the server (medfix2, H-DATA-904); ``data`` holds what was typed and what was shown
KINDS = ("visit", "decision", "medicines", "conditions")
#: Why an item is kept: its save could not reach the clinic server, or it was typed and not yet
#: saved when the window locked, crashed or was ended (the dialog's own copy while typing).
UNREACHABLE = "unreachable"
UNSAVED = "unsaved"
WHYS = (UNREACHABLE, UNSAVED)


@dataclass(frozen=True)
class KeptWrite:
    """A visit or decision typed while the server could not be reached, not yet saved."""

    key: str  # the write key (also the file name): the server saves it once
    kind: str  # "visit" or "decision"
    case_id: str
    data: dict  # what was typed, as the dialog's data() gives it (parse_visit / parse_decision input)
    user: str  # who typed it (the audit's user)
    typed_at: str  # ISO time it was kept
    based_on: str  # case_digest() of the case as it was shown when it was typed
    patient: str = ""  # the patient's name or ID, to list it in words
    acknowledged: dict | None = None  # a decision's acknowledged standing red flags (to_audit())
    why: str = UNREACHABLE  # UNREACHABLE or UNSAVED (files kept before this field: unreachable)

    def describe(self, patient: str | None = None) -> str:
        """The item in words; ``patient``: the name to show (the stored case's), else the file's."""
        d = self.data
        if self.kind in CORRECTIONS:
            return f"{correction_words(self.kind, d)} for {patient or self.patient or self.case_id}, case {self.case_id}"
        if self.kind == "visit":
            scores = [f"{label} {d[k]}" for k, label in (("leg_nrs", "leg pain"), ("back_nrs", "back pain"),
                                                          ("odi_percent", "ODI"), ("rmdq", "RMDQ")) if k in d]
            what = f"Visit of {d.get('date', '?')}" + (f" ({', '.join(scores)})" if scores else "")
        else:
            from radiculopathy_desktop.domain.vocabulary import DECISIONS
            what = f"Decision of {d.get('date', '?')}: {DECISIONS.get(d.get('kind'), d.get('kind'))}"
        # the note typed with it: often what tells two kept items apart (gp17 F14: the bar and the
        # list said "Visit of 2026-11-30 (leg pain 3, back pain 2)" without "Stopped naproxen...")
        note = d.get("notes") if self.kind == "visit" else d.get("note")
        if isinstance(note, str) and note.strip():
            what += f", note “{_shortened(note)}”"
        return f"{what} for {patient or self.patient or self.case_id}, case {self.case_id}"


#: The kinds that correct a saved case's intake (Edit medicines, Edit conditions): saved by
#: replacing what the editor was shown (``store.set_medicines`` / ``set_conditions``), no write key.
CORRECTIONS = ("medicines", "conditions")


def correction_words(kind: str, data: dict) -> str:
    """A kept correction in words ("Medicines corrected to: paracetamol 3000 mg a day")."""
    if kind == "medicines":
        meds = [m for m in data.get("medicines") or () if isinstance(m, dict)]
        listed = "; ".join(f"{m.get('name')} {m['daily_dose_mg']:g} mg a day"
                           if isinstance(m.get("daily_dose_mg"), (int, float)) else f"{m.get('name')}"
                           for m in meds) or "none"
        return f"Medicines corrected to: {listed}"
    from radiculopathy_desktop.domain.conditions_edit import audit_detail, change_words
    before, after = data.get("shown"), data.get("conditions")
    if isinstance(before, dict) and isinstance(after, dict):
        return f"Conditions corrected: {change_words(audit_detail(before, after))}"
    return "Conditions corrected"


#: The most of a kept item's note its description quotes (the rest is in the item itself).
NOTE_SHOWN = 80


def _shortened(note: str) -> str:
    """A note on one line, at most :data:`NOTE_SHOWN` characters (cut at a word, "…" when cut)."""
    text = " ".join(note.split())
    if len(text) <= NOTE_SHOWN:
        return text
    cut = text[:NOTE_SHOWN].rsplit(" ", 1)[0] or text[:NOTE_SHOWN]
    return cut.rstrip(" ,;:") + "…"


def new_write_key() -> str:
    return uuid.uuid4().hex


def case_digest(case) -> str:
    """A fingerprint of a case's whole record: differs once anything was added or changed."""
    import hashlib

    from radiculopathy_desktop.domain.intake import case_to_dict
    text = json.dumps(case_to_dict(case), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _write_path(data_dir: Path | None, key: str) -> Path | None:
    if data_dir is None or not key.isalnum():
        return None
    return Path(data_dir) / FOLDER / WRITES / f"{key}.json"


def keep_write(data_dir: Path | None, write: KeptWrite) -> bool:
    """Keep ``write`` on this computer (replacing an earlier copy with the same key); never raises."""
    path = _write_path(data_dir, write.key)
    if path is None or write.kind not in KINDS:
        return False
    with contextlib.suppress(OSError):
        path.parent.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent.parent, 0o700)
    return _write(path, asdict(write))


def kept_writes(data_dir: Path | None) -> list[KeptWrite]:
    """The visits and decisions kept here, oldest first (a file that cannot be read is left alone)."""
    if data_dir is None:
        return []
    folder = Path(data_dir) / FOLDER / WRITES
    found = []
    try:
        paths = sorted(folder.glob("*.json"))
    except OSError:
        return []
    for path in paths:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            write = KeptWrite(**raw)
            if (write.kind not in KINDS or write.key != path.stem or not isinstance(write.data, dict)
                    or write.why not in WHYS or _too_deep(write.data)):
                raise ValueError("not a kept write")
        except FileNotFoundError:
            continue
        except (OSError, ValueError, TypeError, RecursionError, MemoryError) as exc:  # a deep file too
            log.warning("a visit or decision kept on this computer cannot be read (%s)", type(exc).__name__)
            continue
        found.append(write)
    return sorted(found, key=lambda w: (w.typed_at, w.key))


def discard_write(data_dir: Path | None, key: str) -> None:
    """Saved on the server (or discarded by the user): the local copy goes."""
    path = _write_path(data_dir, key)
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _unreadable_reason(path: Path) -> str | None:
    """Why the kept-write file ``path`` cannot be used as a :class:`KeptWrite` (in words), or
    None when it can (what :func:`kept_writes` reads, checked field by field)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        return "it is not text"
    except RecursionError:
        return "it is nested too deeply to read"
    except ValueError as exc:
        return _not_json_reason(exc)
    except OSError as exc:
        return f"it cannot be opened ({type(exc).__name__})"
    if not isinstance(raw, dict):
        return "it does not hold a kept visit or decision"
    try:
        write = KeptWrite(**raw)
    except TypeError:
        return "it does not hold the fields of a kept visit or decision"
    if write.kind not in KINDS or not isinstance(write.data, dict) or write.why not in WHYS:
        return "it does not hold a kept visit or decision"
    if _too_deep(write.data):
        return "it is nested too deeply to read"
    if write.key != path.stem:
        return "its write key is not its file name"
    texts = (write.case_id, write.user, write.typed_at, write.based_on, write.patient)
    if not all(isinstance(t, str) for t in texts) or not write.case_id:
        return "a field of it is not text"
    from radiculopathy_desktop.storage.access import typist_name_problem

    problem = typist_name_problem(write.user)  # the typist it names goes into the audit (sav21)
    if problem is not None:
        return f"the name of who typed it is not one the record may keep: {problem}"
    # what the list and the replay read of what was typed (red team rt17 F15: a decision whose
    # kind was a list made every start fail, and no kept item was offered)
    from radiculopathy_desktop.domain.vocabulary import DECISIONS

    if write.kind in CORRECTIONS:  # an Edit medicines / Edit conditions kept (medfix2): no date of its own
        return _correction_problem(write.kind, write.data)
    if not isinstance(write.data.get("date"), str):
        return "its date is not a date"
    if write.kind == "decision" and not (isinstance(write.data.get("kind"), str) and write.data["kind"] in DECISIONS):
        return "its decision is not one the app records"
    if write.acknowledged is not None and not isinstance(write.acknowledged, dict):
        return "a field of it is not what a kept decision holds"
    return None


def _correction_problem(kind: str, data: dict) -> str | None:
    """Why a kept correction's ``data`` cannot be replayed (in words), or None: medicines are lists
    of {name: text, daily_dose_mg: number or absent}; conditions are objects."""
    if kind == "medicines":
        for key in ("medicines", "shown"):
            items = data.get(key)
            if not isinstance(items, list) or not all(
                    isinstance(m, dict) and isinstance(m.get("name"), str)
                    and (m.get("daily_dose_mg") is None or (isinstance(m.get("daily_dose_mg"), (int, float))
                                                            and not isinstance(m.get("daily_dose_mg"), bool)))
                    for m in items):
                return "its medicine list is not one the app records"
        return None
    if not isinstance(data.get("conditions"), dict) or not isinstance(data.get("shown"), dict):
        return "its conditions are not what the app records"
    return None


def set_aside_unreadable_writes(data_dir: Path | None) -> list[tuple[str, str, Path | None]]:
    """Move each kept-write file that cannot be read aside (red-team rt8 F10): renamed into
    ``offline-drafts/set-aside/`` (0600 in a 0700 folder), never deleted, like a damaged
    draft. Returns (file name, why, where it went or None when it could not be moved), so
    the window lists it instead of skipping it silently."""
    if data_dir is None:
        return []
    folder = Path(data_dir) / FOLDER / WRITES
    try:
        paths = sorted(folder.glob("*.json"))
    except OSError:
        return []
    out = []
    for path in paths:
        why = _unreadable_reason(path)
        if why is None:
            continue
        import datetime as dt
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside = Path(data_dir) / FOLDER / SET_ASIDE
        target = aside / f"kept-{path.stem}-{stamp}.json"
        n = 1
        while target.exists():
            n += 1
            target = aside / f"kept-{path.stem}-{stamp}-{n}.json"
        try:
            aside.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(aside, 0o700)
            os.replace(path, target)
            os.chmod(target, 0o600)
        except OSError as exc:
            log.warning("a kept visit or decision that cannot be read was not set aside (%s)", type(exc).__name__)
            target = None
        out.append((path.name, why, target))
    return out


#: Said in Edit medicines / Edit conditions when a save could not reach the server and what was
#: typed is kept on this computer (the visit dialog's words).
CORRECTION_KEPT = ("Not saved yet: the clinic server cannot be reached, so this {what} is kept on this computer. "
                   "When the server is back, save it here or from the window's offer to save what was kept.")
CORRECTION_NOT_KEPT = ("Not saved: the clinic server cannot be reached, and what is typed could not be kept on this "
                       "computer either: keep this window open and save again when the server is back.")


def keep_correction(context, kind: str, case, data: dict, key: str | None = None) -> str | None:
    """Keep a correction typed in Edit medicines / Edit conditions whose save could not reach the
    server (medfix2, H-DATA-904) under ``key`` (the dialog's: a second failure replaces its copy);
    the key kept under, or None when it could not be written. Never raises."""
    import datetime as dt

    key = key or new_write_key()
    try:
        kept = keep_write(getattr(context, "data_dir", None), KeptWrite(
            key=key, kind=kind, case_id=case.case_id, data=data, user=context.user,
            typed_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            based_on=case_digest(case), patient=case.patient.name or case.patient.id, why=UNREACHABLE))
    except Exception as exc:  # noqa: BLE001 - the dialog keeps what is typed either way
        log.warning("a typed %s could not be kept on this computer (%s)", kind, type(exc).__name__)
        kept = False
    changed = getattr(context, "extra", {}).get("kept_writes_changed")
    if kept and changed is not None:
        changed()
    return key if kept else None


def forget_correction(context, key: str | None) -> None:
    """The dialog saved it itself: its kept copy is not offered any more."""
    if key:
        discard_write(getattr(context, "data_dir", None), key)
        changed = getattr(context, "extra", {}).get("kept_writes_changed")
        if changed is not None:
            changed()
