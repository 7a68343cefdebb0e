"""unrec34 (H-UI-532): the window's stepped-care view says, beside each medicine it offers, that the offer is
provisional while a medicine taken now is not recognised ("naproxn 500mg bd", "apixban 5mg bd": possibly an NSAID and
an anticoagulant, rated Avoid together once read; rules.toml ix-nsaid-anticoagulant), naming the names to check: the
same words as ``assess`` (tests/cli/test_assess_step3_provisional_unrec34.py). The offer itself is kept (NICE NG59's).
Recognised names give no such badge."""

from __future__ import annotations

from tests.ui.test_pathway_already_taking_ui import _open


def test_the_nsaid_offer_is_badged_provisional_with_the_names_to_check(window, qtbot, store, context):
    text = _open(window, qtbot, store, context, "uk", [{"name": "naproxn 500mg bd"}, {"name": "apixban 5mg bd"}],
                 sex="male")
    i = text.index("NICE recommends considering an oral NSAID")
    after = text[i:i + 1200]
    assert ('Provisional Provisional: "naproxn 500mg bd" (did you mean naproxen?), "apixban 5mg bd" (did you mean '
            "apixaban?) are not recognised") in after
    assert "Check the names (enter the generic name) before acting on this." in after


def test_recognised_names_are_not_badged_provisional(window, qtbot, store, context):
    text = _open(window, qtbot, store, context, "uk", [{"name": "paracetamol 1g qds"}], sex="male")
    assert "NICE recommends considering an oral NSAID" in text and "Provisional" not in text
