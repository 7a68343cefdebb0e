"""The opioid total's own alert labels have Spanish wording, held as strictly as the dose phrases
(mme23 item 4, H-MED-412).

mme22's labels ("Reassess opioid dose" at 50-89 MME/day, "High opioid dose" at 90 or more, "... if
for pain" beside methadone or buprenorphine: rules.toml ``alert_label``) had no Spanish wording;
a Spanish surface naming them would have printed English. resources/medicines/dose_phrases_es.toml
``[alert_labels]`` now holds them and handouts.tr_alert_label refuses a label without one, as tr
refuses a dose phrase (H-MED-6). The words keep the labels' asks: "reassess" (CDC 2016
recommendation 5, "carefully reassess ... >=50 MME/day") is never "reduce" or "avoid" in Spanish.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.reports import handouts as h


def _labels() -> list[str]:
    return sorted({label for label, _after in load_medicine_data().alert_labels.values()})


def test_every_label_the_medicine_data_gives_has_spanish_wording():
    labels = _labels()
    assert len(labels) == 4  # the 50 and 90 labels, each also "if for pain"
    for label in labels:
        es = h.tr_alert_label("es", label)
        assert es and es != label and not any(w in es for w in ("opioid dose", "for pain")), (label, es)
    # every Spanish label is a label of the data (none left over from a renamed one)
    assert sorted(h.alert_label_wording("es")) == labels


@pytest.mark.parametrize("label, ask", [
    ("Reassess opioid dose", "Reevaluar"), ("Reassess opioid dose if for pain", "Reevaluar"),
    ("High opioid dose", "alta"), ("High opioid dose if for pain", "alta"),
])
def test_the_spanish_keeps_the_ask_and_the_for_pain_caveat(label, ask):
    es = h.tr_alert_label("es", label)
    assert ask in es
    assert not any(w in es.lower() for w in ("evitar", "reducir", "suspender", "dejar"))
    assert ("si es para el dolor" in es) == label.endswith("if for pain")


def test_a_label_without_spanish_is_an_error_not_english():
    assert h.tr_alert_label("en", "High opioid dose") == "High opioid dose"
    with pytest.raises(h.MissingTranslationError, match="alert label"):
        h.tr_alert_label("es", "Opioid dose: reassess")  # mme22's first wording, never translated
