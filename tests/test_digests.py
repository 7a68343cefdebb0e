"""The start-up's SHA-256 (``radiculopathy_desktop.digests``, issue 17) gives hashlib's digests.

The window lock's name, the review facts' settings key and the derived data's digests are
stored or shared between processes: a different digest would make every tracker rewrite its
derived data, or two windows miss each other's lock. So the built-in SHA-256 must give exactly
hashlib's bytes, for empty, short, long and multi-part input.
"""

from __future__ import annotations

import hashlib

from radiculopathy_desktop import digests
from radiculopathy_desktop.storage import facts, store
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.ui import single_instance


def test_the_built_in_sha256_gives_hashlib_s_digests():
    samples = [b"", b"a", "Ærø\0/home/ünï".encode("utf-8", "surrogatepass"), bytes(range(256)) * 4099]
    for data in samples:
        assert digests.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    parts = digests.sha256()
    whole = hashlib.sha256()
    for data in samples:
        parts.update(data)
        whole.update(data)
    assert parts.hexdigest() == whole.hexdigest()
    # the FIPS 180-4 example, "abc"
    assert digests.sha256(b"abc").hexdigest() == ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


def test_the_start_up_s_digests_are_the_ones_hashlib_gave(tmp_path):
    """What the three callers store or share is unchanged by the switch from hashlib."""
    import json

    settings = default_review_settings()
    values = {k: getattr(settings, k) for k in facts.FACT_SETTINGS} | {"facts_version": facts.REVIEW_FACTS_VERSION}
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert facts.facts_key(settings) == hashlib.sha256(text.encode()).hexdigest()[:16]

    from radiculopathy_desktop.domain.medicine_files import ALERT_DATA_FILES
    folder = resource_path("medicines")
    whole = hashlib.sha256()
    for name in sorted(ALERT_DATA_FILES):
        whole.update(name.encode() + b"\0" + (folder / name).read_bytes())
    assert store.medicine_alert_digest(folder) == whole.hexdigest()[:16]

    import os
    resolved = os.path.normcase(str(tmp_path.resolve()))
    expected = hashlib.sha256(f"{single_instance._user()}\0{resolved}".encode("utf-8", "surrogatepass")).hexdigest()
    assert single_instance.folder_key(tmp_path) == expected[:32]
