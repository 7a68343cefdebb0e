"""Byte-for-byte golden checks: the SHA-256 of each named output against a stored JSON file.

``RD_UPDATE_GOLDEN=1`` rewrites the file from the outputs (only for a deliberate change of
output, said in the commit)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def assert_outputs_match_golden(outputs: dict[str, bytes], golden: Path, tmp_path: Path) -> None:
    """Every output's digest is the stored one and no output is missing or new; the outputs
    that differ are written to ``tmp_path`` (named after the output) for a look."""
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(outputs.items())}
    if os.environ.get("RD_UPDATE_GOLDEN") == "1":
        golden.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    differing = sorted(n for n in expected.keys() | digests.keys() if expected.get(n) != digests.get(n))
    for name in differing:
        if name in outputs:
            (tmp_path / (name.replace(" ", "_") + ".out")).write_bytes(outputs[name])
    assert not differing, f"outputs changed (written to {tmp_path}): {differing}"
