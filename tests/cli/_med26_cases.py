"""A case file for the med26 CLI tests: the shipped routine L5 example with other medicines
(and, if asked, a pregnancy answer)."""

from __future__ import annotations

import json

from radiculopathy_desktop.resources import resource_path


def case_file(tmp_path, medicines, **patient) -> str:
    case = json.loads(resource_path("examples", "routine_l5_acute.json").read_text())
    case["medicines"] = [{"name": name} for name in medicines]
    case["patient"].update(patient)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    return str(path)
