"""The "did you mean" filter counts shared letters for every known name at once with bit
masks (issue 17). It must keep exactly the names difflib's ``quick_ratio`` test keeps
(2 x shared letters, repeats counted / both lengths >= the cutoff), in known-name order:
checked here against that definition written out plainly, over every known name with a
slip, words with many repeated letters (counts of several bits), long and short words,
letters in no name, and random strings."""

from __future__ import annotations

import random
import string
from collections import Counter

from radiculopathy_desktop.domain.medications import SUGGESTION_CUTOFF, load_medicine_data


def _by_definition(word: str, names: tuple[str, ...]) -> list[str]:
    have = Counter(word)
    out = []
    for name in names:
        shared = sum(min(n, have[ch]) for ch, n in Counter(name).items())
        if shared and 2.0 * shared / (len(word) + len(name)) >= SUGGESTION_CUTOFF:
            out.append(name)
    return out


def _words(names: tuple[str, ...]):
    rng = random.Random(93)
    letters = string.ascii_lowercase
    for name in names:
        yield name
        i = rng.randrange(len(name))
        yield name[:i] + name[i + 1:]  # a letter left out
        yield name[:i] + rng.choice(letters) + name[i:]  # one too many
        yield name[:i] + rng.choice(letters) + name[i + 1:]  # one wrong
        yield name + name[-3:]  # repeats
    for _ in range(300):
        yield "".join(rng.choice(letters + " -/0123456789") for _ in range(rng.randint(1, 30)))
    yield from ("a", "zz", "q" * 40, "eeeeeeeeeeeeeeeeeeee", "paracetamol" * 3, "ibuprofène", "μορφίνη", "xyzzy",
                "co-codamol", "tylenol 3", "oxycodone/paracetamol")


def test_the_bit_mask_filter_keeps_exactly_the_names_the_quick_ratio_test_keeps():
    data = load_medicine_data()
    names = data.known_names()
    kept = 0
    for word in _words(names):
        expected = _by_definition(word, names)
        assert data._could_match(word) == expected, word
        kept += len(expected)
    assert kept > len(names)  # the words reach many names, not only none


def test_the_masks_are_made_once_per_loaded_data_from_the_known_names():
    data = load_medicine_data()
    names, masks, by_length = data._letter_masks()
    assert data._letter_masks() is data._letter_masks()
    assert names == data.known_names()
    for i, name in enumerate(names):
        assert [length for length, mask in by_length if mask >> i & 1] == [len(name)]
        for ch, count in Counter(name).items():
            assert all(masks[(ch, k)] >> i & 1 for k in range(1, count + 1))
            assert not masks.get((ch, count + 1), 0) >> i & 1


def _lcs_by_table(a: str, b: str) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def test_the_bit_parallel_longest_common_subsequence_equals_the_table_method():
    from radiculopathy_desktop.domain.medications import _lcs_length

    rng = random.Random(7)
    pairs = [("", ""), ("", "abc"), ("abc", ""), ("metformin", "matrifen"), ("aaaa", "aa"), ("abcabc", "cbacba")]
    for _ in range(3000):
        alphabet = rng.choice(["ab", "abcde", string.ascii_lowercase, "aé μ"])
        pairs.append(("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70))),
                      "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70)))))
    for a, b in pairs:
        assert _lcs_length(a, b) == _lcs_by_table(a, b), (a, b)


def test_the_closest_name_is_difflibs_over_every_known_name():
    """Names passed over by the subsequence bound are never the answer: the closest name is
    ``difflib.get_close_matches`` over every known name, for every word above."""
    import difflib

    data = load_medicine_data()
    names = data.known_names()
    answered = 0
    for word in _words(names):
        expected = difflib.get_close_matches(word, names, n=1, cutoff=SUGGESTION_CUTOFF)
        assert data._closest(word) == (expected[0] if expected else None), word
        answered += bool(expected)
    assert answered > len(names)
