"""The optional passphrase lock, who is using the app, and the audit of access.

A shared clinic PC: several staff use one window in turn. This module is the
Qt-free half of the lock (the window half is :mod:`radiculopathy_desktop.ui.lock`):

* the lock configuration lives in the store's ``settings`` table under
  :data:`LOCK_KEY` as JSON: a salted ``hashlib.scrypt`` hash of the passphrase with
  its parameters (so they can be raised later without breaking stored hashes), and
  the idle auto-lock choice. The passphrase itself is never stored, logged or
  audited;
* every change is written in the store's write transaction together with a
  ``settings_changed`` audit entry; unlocking, failed attempts, locking and a
  change of user are audited too (never a case event);
* :func:`clear_lock` is the recovery for a forgotten passphrase (for the clinic's
  IT: it removes the lock and audits that it did).

The lock stops people at the screen reading records. It does not encrypt the
database file: that relies on the computer's user accounts and disk encryption.
"""

from __future__ import annotations

import getpass
import logging
import unicodedata
from typing import Any

from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.domain.frozen import FrozenRecord

log = logging.getLogger(__name__)

LOCK_KEY = "access_lock"
MIN_PASSPHRASE = 8
MAX_PASSPHRASE = 1024
MAX_USER_NAME = 40
IDLE_MINUTES_MIN, IDLE_MINUTES_MAX, IDLE_MINUTES_DEFAULT = 1, 240, 10

# scrypt parameters for new hashes (RFC 7914; 16 MiB of memory, about 50 ms). Stored with
# each hash, so raising them later only affects passphrases set from then on.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN, SALT_BYTES = 2 ** 14, 8, 1, 32, 16

# Access events this module writes (none is about a case, so case_id is always NULL).
ACCESS_ACTIONS = ("unlocked", "unlock_failed", "locked", "user_identified")


class AccessError(UserError):
    """A refused lock change (too short, not repeated the same, wrong passphrase...)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, exit_code=2)
        self.field = field


class LockConfig(FrozenRecord):
    """The lock as stored. ``enabled`` is True when a passphrase is set.

    A hand-written frozen record (domain/frozen.py, issue 17: read before the first paint)."""

    _fields = ("enabled", "idle_lock", "idle_minutes", "scrypt")
    enabled: bool
    idle_lock: bool
    idle_minutes: int
    scrypt: dict | None  # {"n", "r", "p", "dklen", "salt", "hash"} (hex); None when off

    def __init__(self, enabled: bool = False, idle_lock: bool = True, idle_minutes: int = IDLE_MINUTES_DEFAULT,
                 scrypt: dict | None = None):
        self._set_fields(enabled, idle_lock, idle_minutes, scrypt)

    @property
    def idle_active(self) -> bool:
        """Whether the window should lock itself after ``idle_minutes`` without input."""
        return self.enabled and self.idle_lock


# --------------------------------------------------------------------------- validation
def name_control_characters(text: str) -> list[str]:
    """The characters of a typed name that are not letters, marks, numbers, punctuation, symbols
    or spaces, as ``U+XXXX`` (a line break, a tab, a right-to-left override U+202E, a
    zero-width or other invisible format character): a name holding one is refused, never
    cleaned silently (sav21), because it can make the audit and the lists read otherwise than
    what was stored (RTL overrides reverse what follows; a line break forges a second line)."""
    return sorted({f"U+{ord(ch):04X}" for ch in text
                   if ch not in _JOINERS
                   and (unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp"))})


#: Zero-width non-joiner and joiner: invisible, but part of a name's correct spelling in Persian
#: and Indic scripts (they join or part letters; they reorder nothing), so they are kept.
_JOINERS = "\u200c\u200d"


def typist_name_problem(text: object) -> str | None:
    """Why ``text`` is not a name or initials the record may keep for who typed something (the
    one rule for the person using the app and for the typist a kept copy names, ``typed_as``;
    sav21): None when it is 1-:data:`MAX_USER_NAME` characters once spaces at either end are
    trimmed, with no control, format or line-break character; else the reason in words, naming
    the limit."""
    if not isinstance(text, str):
        return "the name is not text"
    bad = name_control_characters(text)
    if bad:
        return ("the name holds a line break, tab or other control or invisible character ("
                + ", ".join(bad[:5]) + (", ..." if len(bad) > 5 else "")
                + "); type it on one line with letters, numbers, spaces or punctuation")
    name = " ".join(text.split())
    if not name:
        return "the name is empty"
    if len(name) > MAX_USER_NAME:
        return f"a name or initials of at most {MAX_USER_NAME} characters (this one has {len(name)})"
    return None


def validate_user_name(text: str) -> str:
    """The name or initials of the person using the app: spaces at either end trimmed and runs of
    spaces made one; 1-40 characters; a line break, tab or other control or invisible character
    (a right-to-left override) refused, naming it (sav21: it was made a space silently)."""
    bad = name_control_characters(text or "")
    if bad:
        raise AccessError("The name holds a line break, tab or other control or invisible character ("
                          + ", ".join(bad[:5]) + (", ..." if len(bad) > 5 else "")
                          + "); type it on one line with letters, numbers, spaces or punctuation.", "user")
    name = " ".join((text or "").split())
    if not name:
        raise AccessError("Type your name or initials, so the record shows who did what.", "user")
    if len(name) > MAX_USER_NAME:
        raise AccessError(f"A name or initials of at most {MAX_USER_NAME} characters, please "
                          f"(this one has {len(name)}).", "user")
    if not name.isprintable():
        raise AccessError("The name contains characters that cannot be shown; use letters, numbers, "
                          "spaces or punctuation.", "user")
    return name


def validate_new_passphrase(passphrase: str, again: str) -> str:
    """The new passphrase, or :class:`AccessError` saying why it is refused."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise AccessError(f"The passphrase must be at least {MIN_PASSPHRASE} characters long "
                          f"(this one has {len(passphrase)}). A few unrelated words are easy to remember "
                          "and hard to guess.", "new")
    if len(passphrase) > MAX_PASSPHRASE:
        raise AccessError(f"The passphrase must be at most {MAX_PASSPHRASE} characters long.", "new")
    if passphrase.strip() != passphrase:
        raise AccessError("The passphrase starts or ends with a space; remove it (spaces are easy to miss "
                          "when typing).", "new")
    if passphrase != again:
        raise AccessError("The two new passphrases are different. Type the same passphrase in both boxes.",
                          "again")
    return passphrase


def validate_idle_minutes(minutes: Any) -> int:
    value = minutes if isinstance(minutes, int) and not isinstance(minutes, bool) else -1
    if not IDLE_MINUTES_MIN <= value <= IDLE_MINUTES_MAX:
        raise AccessError(f"The idle time must be a whole number of minutes from {IDLE_MINUTES_MIN} to "
                          f"{IDLE_MINUTES_MAX}.", "idle_minutes")
    return value


# --------------------------------------------------------------------------- hashing
def _encode(passphrase: str) -> bytes:
    # NFC so the same passphrase typed through different keyboards/input methods matches.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    import hashlib  # OpenSSL's scrypt, only when a passphrase is set or checked (issue 17)

    return hashlib.scrypt(_encode(passphrase), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=max(64 * 1024 * 1024, 256 * n * r))


def hash_passphrase(passphrase: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P,
                    dklen: int = SCRYPT_DKLEN, salt: bytes | None = None) -> dict:
    """A new salted scrypt hash with its parameters (what is stored)."""
    import secrets  # here (with hmac below): ~3 M instructions at every start otherwise (issue 17)

    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(passphrase, salt, n, r, p, dklen)
    return {"algorithm": "scrypt", "n": n, "r": r, "p": p, "dklen": dklen, "salt": salt.hex(),
            "hash": digest.hex()}


def passphrase_matches(passphrase: str, stored: dict | None) -> bool:
    """Whether ``passphrase`` gives ``stored`` (constant-time comparison)."""
    if not stored or stored.get("algorithm") != "scrypt":
        return False
    try:
        salt = bytes.fromhex(stored["salt"])
        expected = bytes.fromhex(stored["hash"])
        n, r, p = int(stored["n"]), int(stored["r"]), int(stored["p"])
        if not (2 <= n <= 2 ** 20 and 1 <= r <= 32 and 1 <= p <= 16 and 16 <= len(expected) <= 128):
            raise ValueError("scrypt parameters out of range")
        digest = _scrypt(passphrase, salt, n, r, p, len(expected))
    except (KeyError, TypeError, ValueError):
        log.error("the stored lock passphrase hash cannot be read")
        return False
    import hmac

    return hmac.compare_digest(digest, expected)


# --------------------------------------------------------------------------- who is at the computer
def login_name() -> str:
    """The operating-system login name, for the audit when nobody has identified themselves
    (the window without a lock, every command). "unknown" when the system has none
    (a service account, some containers): the audit still gets a row, never a guess."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # noqa: BLE001 - getpass raises OSError, KeyError or ImportError by platform
        return "unknown"


# --------------------------------------------------------------------------- the stored lock
def _read(store) -> dict | None:
    try:
        value = store.setting(LOCK_KEY)
    except ValueError:  # damaged
        value = False
    if value is None:
        return None
    if not isinstance(value, dict):
        log.error("the stored lock settings cannot be read")
        return {}
    return value


def _config(value: dict | None) -> LockConfig:
    if not value:
        return LockConfig()
    scrypt = value.get("scrypt") if isinstance(value.get("scrypt"), dict) else None
    minutes = value.get("idle_minutes", IDLE_MINUTES_DEFAULT)
    if not isinstance(minutes, int) or not IDLE_MINUTES_MIN <= minutes <= IDLE_MINUTES_MAX:
        minutes = IDLE_MINUTES_DEFAULT
    return LockConfig(enabled=scrypt is not None, idle_lock=bool(value.get("idle_lock", True)),
                      idle_minutes=minutes, scrypt=scrypt)


def load_config(store) -> LockConfig:
    """The lock as stored (off when nothing is stored)."""
    value = _read(store)
    if value == {}:  # unreadable: better locked than open; IT can clear it (see clear_lock)
        return LockConfig(enabled=True, scrypt={"algorithm": "unreadable"})
    return _config(value)


def _store_config(store, config: LockConfig, user: str, detail: dict) -> None:
    value = {"idle_lock": config.idle_lock, "idle_minutes": config.idle_minutes}
    if config.scrypt is not None:
        value["scrypt"] = config.scrypt
    store.put_setting(LOCK_KEY, value, user=user, detail=detail)


def _check_current(config: LockConfig, current: str | None) -> None:
    if config.enabled and not passphrase_matches(current or "", config.scrypt):
        raise AccessError("The current passphrase is not right, so nothing was changed.", "current")


def verify_passphrase(store, passphrase: str) -> bool:
    """Whether ``passphrase`` unlocks the window (False when no lock is set)."""
    config = load_config(store)
    return config.enabled and passphrase_matches(passphrase, config.scrypt)


def update_lock(store, user: str, *, current: str | None = None, new: str | None = None,
                again: str | None = None, idle_lock: bool | None = None,
                idle_minutes: int | None = None) -> LockConfig:
    """Turn the lock on or change its passphrase (``new`` typed twice) and/or the idle
    lock, in one transaction with one ``settings_changed`` audit entry. When a
    passphrase is set, ``current`` must match it or nothing changes."""
    if new is not None:
        validate_new_passphrase(new, again if again is not None else "")
    if idle_minutes is not None:
        validate_idle_minutes(idle_minutes)
    hashed = hash_passphrase(new) if new is not None else None
    with store.transaction():
        before = _config(_read(store))
        _check_current(before, current)
        after = LockConfig(enabled=before.enabled or hashed is not None,
                           idle_lock=before.idle_lock if idle_lock is None else bool(idle_lock),
                           idle_minutes=before.idle_minutes if idle_minutes is None else idle_minutes,
                           scrypt=hashed or before.scrypt)
        if after == before:
            return before
        detail: dict[str, Any] = {}
        if hashed is not None:
            detail[LOCK_KEY] = "passphrase changed" if before.enabled else "turned on"
        if (after.idle_lock, after.idle_minutes) != (before.idle_lock, before.idle_minutes):
            detail.setdefault(LOCK_KEY, "idle lock changed")
            detail.update(idle_lock=after.idle_lock, idle_minutes=after.idle_minutes)
        _store_config(store, after, user, detail)
    log.info("access lock settings changed")
    return after


def set_passphrase(store, new: str, again: str, user: str, current: str | None = None) -> LockConfig:
    """Turn the lock on, or change its passphrase (``current`` must match when one is set)."""
    return update_lock(store, user, current=current, new=new, again=again)


def set_idle(store, idle_lock: bool, minutes: int, user: str, current: str | None = None) -> LockConfig:
    """Change the automatic lock (``current`` must match when a passphrase is set)."""
    return update_lock(store, user, current=current, idle_lock=idle_lock, idle_minutes=minutes)


def disable_lock(store, current: str, user: str) -> LockConfig:
    """Turn the lock off (needs the passphrase). The idle choice is kept for next time."""
    with store.transaction():
        before = _config(_read(store))
        if not before.enabled:
            return before
        _check_current(before, current)
        after = LockConfig(False, before.idle_lock, before.idle_minutes, None)
        _store_config(store, after, user, {LOCK_KEY: "turned off"})
    log.info("access lock turned off")
    return after


def clear_lock(store, user: str) -> bool:
    """Recovery for a forgotten passphrase (for the clinic's IT, at the command line):
    remove the lock whatever its passphrase, and audit that it was removed. True when
    there was a lock to remove."""
    if not store.delete_setting(LOCK_KEY, user=user, detail={LOCK_KEY: "removed (forgotten passphrase)"}):
        return False
    log.info("access lock removed for a forgotten passphrase")
    return True


def record_access(store, user: str, action: str, detail: dict | None = None) -> None:
    """Audit an access event of this module (:data:`ACCESS_ACTIONS`): unlocks, failed
    attempts, locks and a change of user. Never carries a passphrase."""
    if action not in ACCESS_ACTIONS:
        raise ValueError(f"not an access event: {action}")
    store.record_audit(user, action, None, detail or {})


# --------------------------------------------------------------------------- a case's history
def case_history(store, case_id: str, limit: int | None = 200) -> tuple[list, int]:
    """A case's audit entries newest first (at most ``limit``; None for all), and how many there are."""
    return store.audit(case_id, limit=limit, newest_first=True), store.audit_count(case_id)
