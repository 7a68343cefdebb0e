"""The same-day visit warning says "an eighth record", not "a eighth record" (seen when two
command-line writers added visits to one case on one day)."""
import pytest

from radiculopathy_desktop.domain.episodes import a_ordinal


@pytest.mark.parametrize("n, words", [(2, "a second"), (3, "a third"), (7, "a seventh"), (8, "an eighth"),
                                      (9, "a ninth"), (10, "a tenth"), (11, "an 11th"), (12, "a 12th"),
                                      (18, "an 18th"), (21, "a 21st"), (80, "an 80th"), (88, "an 88th"),
                                      (100, "a 100th"), (800, "an 800th")])
def test_the_article_follows_how_the_ordinal_is_spoken(n, words):
    assert a_ordinal(n) == words
