"""alert_heads (issue 17): the medicines and status label of each medicine alert, in the
alerts' order, without wording them, for the pathway's "review" steps. It must select
exactly what medicine_alerts selects: compared on the 500-patient cohort (both profiles,
three dates) and every shipped example, with rows, interactions, notes and dose checks
among the alerts."""

from __future__ import annotations

from collections import Counter

from radiculopathy_desktop.domain.medications import CHECK_DOSE_LABEL, assess_medications
from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts, together_names
from radiculopathy_desktop.domain.pathway_medicines import treatments_to_review
from tests.domain.test_compiled_medicine_rules import _patients


def test_alert_heads_are_the_medicines_and_labels_of_the_alerts_in_their_order():
    kinds: Counter = Counter()
    labels: Counter = Counter()
    for intake, as_of, profile in _patients():
        report = assess_medications(intake, as_of, profile=profile)
        alerts = medicine_alerts(report)
        assert alert_heads(report) == tuple((a.medicines, a.status_label) for a in alerts), (intake, as_of, profile)
        kinds.update(a.kind for a in alerts)
        labels.update(a.status_label for a in alerts)
    assert min(kinds["medicine"], kinds["interaction"], kinds["note"]) > 10, kinds
    assert labels[CHECK_DOSE_LABEL] > 10 and len(labels) >= 4, labels


def test_treatments_to_review_words_each_alert_by_its_medicines_and_label():
    """What the pathway's review steps say is made from the alerts' medicines and labels:
    the same words as from the worded alerts."""
    reviewed = 0
    for intake, as_of, profile in _patients():
        report = assess_medications(intake, as_of, profile=profile)
        from radiculopathy_desktop.domain.pathway_medicines import treatment_codes_by_medicine

        code_of = treatment_codes_by_medicine(report)
        expected: dict = {}
        for alert in medicine_alerts(report):
            # a combination in the alert's own words, the same for each of its medicines (gp26 F3)
            # three or more listed "a, b and c" (wording30), a pair "a with b"
            words = f"{together_names(alert.medicines)}: {alert.status_label.lower()}"
            if alert.kept:  # pathstep31: the medicine to review and the one to keep, as the alert's own fields say
                review = [m for m in alert.medicines if m not in alert.kept]
                words += (f", review {' and '.join(dict.fromkeys(review))} now and keep "
                          f"{' and '.join(dict.fromkeys(alert.kept))} (do not stop without its prescriber)")
            elif alert.both:  # mtxavoid (H-MED-671): no side to keep, so every medicine is reviewed with the prescriber
                words += f" together, review {'both' if len(set(alert.medicines)) < 3 else 'them all'} with the prescriber"
            for name in alert.medicines:
                if code_of.get(name):
                    for code in sorted(code_of[name]):
                        expected[(code, words)] = None
        assert treatments_to_review(report, code_of) == tuple(expected)
        reviewed += bool(expected)
    assert reviewed > 100
