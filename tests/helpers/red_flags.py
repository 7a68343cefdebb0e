"""Red-flag answers as the domain tests write them."""

from __future__ import annotations

from radiculopathy_desktop.domain import vocabulary as V

# The questions these tests group as cauda equina symptoms (the four cardinal ones and
# bilateral leg symptoms).
CES_QUESTIONS = ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                 "faecal_incontinence_or_loss_of_rectal_sensation", "new_sexual_dysfunction", "bilateral_leg_symptoms")


def answered_no(**answers: str) -> dict[str, str]:
    """Every red-flag question answered "no", except those given (``saddle_anaesthesia="yes"``)."""
    out = {k: "no" for k in V.RED_FLAG_QUESTIONS}
    out.update(answers)
    return out
