"""The routine L5 example case (resources/examples/routine_l5_acute.json) with the medicines,
conditions and patient facts a test needs, as a parsed Case or as its JSON dict."""

from __future__ import annotations

import copy
import datetime as dt
import json

from radiculopathy_desktop.domain.intake import Case, parse_case
from radiculopathy_desktop.resources import resource_path

BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def l5_case_dict(medicines: list[dict], conditions: dict | None = None, *, onset: dt.date | None = None,
                 treatments_tried: list[dict] | None = None, **patient) -> dict:
    """The example's JSON with ``medicines`` (as recorded: [{"name": ...}]), ``conditions`` and
    ``patient`` facts changed; ``onset`` moves the onset date (the phase); ``treatments_tried``
    replaces the example's (which records an NSAID tried)."""
    d = copy.deepcopy(BASE)
    d["patient"].update(patient)
    d["medicines"] = medicines
    d["conditions"].update(conditions or {})
    if onset is not None:
        d["onset_date"] = onset.isoformat()
    if treatments_tried is not None:
        d["treatments_tried"] = treatments_tried
    return d


def l5_case(medicines: list[dict], conditions: dict | None = None, **kw) -> Case:
    return parse_case(l5_case_dict(medicines, conditions, **kw))
