"""SHA-256 for the start-up path, without loading OpenSSL (issue 17).

``hashlib.sha256`` is OpenSSL's: importing :mod:`hashlib` loads ``_hashlib`` (libcrypto and its
initialisation) and ``_blake2``, about 10 M instructions of a start-up whose figure is measured
against a bare window. Before the worklist's first paint the app only needs SHA-256 of short texts
and of the alert data files (the window lock's name, the review facts' settings key, the derived
data's digests), so it uses CPython's own built-in SHA-256, as the standard library's ``random``
does for the same reason. The digests are the same bytes (SHA-256 is SHA-256:
``tests/test_digests.py`` compares them with hashlib's); the fallback is hashlib's where an
interpreter has no built-in module. Anything else (scrypt, backups' checksums) still uses hashlib.
"""

from __future__ import annotations

try:  # CPython 3.11
    from _sha256 import sha256
except ImportError:  # pragma: no cover - other interpreters and versions
    try:  # CPython 3.12+
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256

__all__ = ["sha256"]
