"""Which medicine data files the medicine engine reads, and which of them can change a
stored derived fact (kept apart from ``medications`` so the derived-data version check at
start-up reads them without importing the medicine engine).

``resources/medicines`` holds:

- ``classes.toml``, ``drugs.toml``, ``rules.toml``: the medicine names and classes, the
  dose limits and renal bands, the rules, interactions and current-medicine notes: each can
  change a rating, a maximum or an alert, so the stored dose alerts (the worklist's REDUCE
  DOSE) are derived from them;
- ``sources.toml``: the citation texts and the content version, read by the engine to
  check that every rule cites a source and to print it: no rating, limit or alert is taken
  from it;
- ``routes.toml``: the medicines given by injection, not by mouth (``[injected_forms]``),
  read for the pathway's "taken now", and the opioid skin patches (``[patch_forms]``), read
  for the handouts' heat advice and patch box AND for reading a name: its patch and wear words
  make "fentanyl TTS 25" or "fentanyl 25 mcg/h (changed every 3 days)" fentanyl, not an
  unrecognised medicine (rt22 F2), which changes that case's alerts, so it is digested;
- the handout wording files (``dose_phrases_*.toml``): not read by the engine at all.

The derived-data version (``CaseStore.derived_version``) digests :data:`ALERT_DATA_FILES`
only, so a change of wording or citations does not make every tracker rewrite its derived
data on its first open (100k cases: minutes; closing note 9).
"""

from __future__ import annotations

#: Every file the medicine engine loads (``medications.load_medicine_data``).
DATA_FILES = ("sources.toml", "classes.toml", "drugs.toml", "rules.toml", "routes.toml")
#: The files whose content can change a stored derived fact (a rating, a limit, an alert).
ALERT_DATA_FILES = tuple(name for name in DATA_FILES if name != "sources.toml")
