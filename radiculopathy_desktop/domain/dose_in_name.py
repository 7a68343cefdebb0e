"""Medicine names as clinicians type them: the spelling of a strength and a regimen written in
the name (cmb17). Pure Python, no Qt; the words come from drugs.toml ``[name_reading]`` (data,
with its source), never from this code.

- :func:`spell` puts a typed name in the form the data spells names: lower case, one space,
  a fraction or division slash as "/", "30 / 500" as "30/500", "no." as "no", "30/500-caps" as
  "30/500 caps". A dash between two numbers ("30-500", "30–500") is NOT turned into a slash
  here: "200-400" is a range; :meth:`MedicineData.spelled` does so only when the pair is a
  strength the product is sold in (drugs.toml ``[combination_products]``), which is unambiguous.
- :func:`find_regimen` finds a regimen written in the name ("2 tablets four times a day",
  "400mg tds", "x2", "bd") and returns the name without it, so the name is recognised and the
  regimen can be read into a daily dose when the dose field is empty (medications.read_recorded_dose).
"""

from __future__ import annotations

import re
from typing import Any, Mapping, NamedTuple

_NUMBER = r"\d+(?:\.\d+)?"


class NameReading(NamedTuple):
    """drugs.toml ``[name_reading]``: the spellings and regimen words read in a medicine's name."""

    slashes: tuple[str, ...]  # characters that are "/" in a strength (fraction slash, division slash)
    dashes: tuple[str, ...]  # dashes that may stand for "/" between two numbers (only for a sold strength)
    count_words: frozenset[str]  # "tablets", "caps": a number before one is the count a dose
    number_words: Mapping[str, float]  # "two" -> 2
    times_a_day: Mapping[str, float]  # "tds" -> 3, "four times a day" -> 4
    as_needed: tuple[str, ...]  # "prn", "as needed": the daily dose taken is not known
    ambiguous: Mapping[str, str]  # a name that means two medicines -> what it could mean
    source: str
    #: matches any text that may hold a regimen (a frequency, a count word, "x2", "every"):
    #: without a match there is none, so the full reading is skipped (issue 17: it runs for
    #: every current medicine of every assessment)
    trigger: Any = None

    @classmethod
    def empty(cls) -> "NameReading":
        return cls((), (), frozenset(), {}, {}, (), {}, "")

    def may_hold_regimen(self, text: str) -> bool:
        return self.trigger is not None and self.trigger.search(text) is not None


class Regimen(NamedTuple):
    """A regimen written in a medicine's name."""

    words: str  # as found in the name ("2 tablets four times a day")
    count: float | None  # tablets (or doses) each time; None: not written (one)
    count_word: str  # "tablets" / "capsules" / "" when not written
    times_a_day: float | None  # None: not written or not readable
    as_needed: bool
    problem: str  # why no daily amount can be read from it ("" when it can)

    @property
    def doses_a_day(self) -> float | None:
        """Tablets (or doses) a day, when the regimen gives them unambiguously."""
        if self.problem or self.as_needed or self.times_a_day is None:
            return None
        return (self.count or 1) * self.times_a_day


def load_name_reading(e: Mapping[str, Any] | None, source: str) -> NameReading:
    """``[name_reading]`` from drugs.toml, checked (a wrong entry names itself)."""
    if not e:
        return NameReading.empty()
    where = "drugs.toml: name_reading"

    def strings(key: str) -> tuple[str, ...]:
        value = e.get(key, [])
        if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
            raise ValueError(f"{where}.{key} must be a list of non-empty strings")
        return tuple(value)

    def numbers(key: str) -> dict[str, float]:
        value = e.get(key, {})
        if not isinstance(value, dict) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in value.values()):
            raise ValueError(f"{where}.{key} must map words to positive numbers")
        return {" ".join(k.lower().split()): float(v) for k, v in value.items()}

    ambiguous = e.get("ambiguous", {})
    if not isinstance(ambiguous, dict) or not all(isinstance(v, str) and v for v in ambiguous.values()):
        raise ValueError(f"{where}.ambiguous must map names to what they could mean")
    count_words = frozenset(w.lower() for w in strings("count_words"))
    times = numbers("times_a_day")
    as_needed = tuple(" ".join(w.lower().split()) for w in strings("as_needed"))
    words = sorted({*count_words, *times, *as_needed}, key=len, reverse=True)
    trigger = re.compile(r"(?<![a-z])(?:" + "|".join([*(re.escape(w) for w in words), r"[x×]", r"every",
                                                       r"hourly", r"q\d+h"]) + r")(?![a-z])")
    return NameReading(strings("slashes"), strings("dashes"), count_words, numbers("number_words"), times, as_needed,
                       {k.lower(): v for k, v in ambiguous.items()}, source, trigger)


def spell(name: str, reading: NameReading) -> str:
    """The typed name in the data's spelling (see the module): never a guess at a medicine."""
    text = name.lower()
    for ch in reading.slashes:
        text = text.replace(ch, "/")
    text = re.sub(rf"({_NUMBER})\s*/\s*(?=\d)", r"\1/", text)
    text = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\b)", "", text)  # "q.d.s." -> "qds.", "b.i.d" -> "bid"
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)  # "no. 3" -> "no 3"; 37.5 stays
    text = re.sub(r"#\s+(?=\d)", "#", text)
    text = re.sub(r"(\d)-(?=[a-z])", r"\1 ", text)  # "30/500-caps"
    return " ".join(text.split())


def dash_pairs(text: str, reading: NameReading) -> list[re.Match]:
    """Two numbers joined by a dash in an already spelled name ("30-500", "30–500mg")."""
    if not reading.dashes:
        return []
    dashes = "".join(re.escape(d) for d in reading.dashes)
    return list(re.finditer(rf"(?<![\w.])({_NUMBER})\s*[{dashes}]\s*({_NUMBER})(?=\s*(?:mg\b|[^\w.]|$))", text))


def _number(word: str, reading: NameReading) -> float | None:
    if re.fullmatch(_NUMBER, word):
        return float(word)
    return reading.number_words.get(word)


def find_regimen(text: str, reading: NameReading) -> tuple[str, Regimen | None]:
    """The regimen written in a spelled name, and the name without it. None when the name
    holds no count ("2 tablets", "x2") and no frequency ("tds", "twice a day")."""
    if not reading.may_hold_regimen(text):
        return text, None
    spans: list[tuple[int, int]] = []
    problems: list[str] = []
    numword = "|".join([_NUMBER, *(re.escape(w) for w in sorted(reading.number_words, key=len, reverse=True))])
    dashes = "".join(re.escape(d) for d in ("-", *reading.dashes)) or "-"
    units = "|".join(re.escape(w) for w in sorted(reading.count_words, key=len, reverse=True))

    def taken(m: re.Match) -> bool:
        return any(a < m.end() and m.start() < b for a, b in spans)

    # frequencies: a range ("every 4-6 hours", "4-6 hourly") is never read
    times: list[float] = []
    for m in re.finditer(rf"\b(?:every\s+|q)?{_NUMBER}\s*(?:[{dashes}]|to|or)\s*{_NUMBER}\s*(?:hours?|hourly|h)\b", text):
        spans.append(m.span())
        problems.append(f"\"{m.group(0)}\" is a range of times")
    for m in re.finditer(rf"\b(?:every\s+({_NUMBER})\s*(?:hours?|h)|q({_NUMBER})h|({_NUMBER})\s*hourly)\b", text):
        if taken(m):
            continue
        hours = float(next(g for g in m.groups() if g))
        spans.append(m.span())
        if hours > 0 and (24 / hours).is_integer():
            times.append(24 / hours)
        else:
            problems.append(f"\"{m.group(0)}\" is not a whole number of times a day")
    for phrase in sorted(reading.times_a_day, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w/]){re.escape(phrase)}(?![\w/])", text):
            if taken(m):
                continue
            spans.append(m.span())
            times.append(reading.times_a_day[phrase])
    needed = False
    for phrase in sorted(reading.as_needed, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w/]){re.escape(phrase)}(?![\w/])", text):
            if not taken(m):
                spans.append(m.span())
                needed = True
    # counts: "1-2 tablets" / "1 or 2 tablets" is a range; "2 tablets", "2 x", "x2", "two caps"
    counts: list[float] = []
    unit_word = ""
    if units:
        for m in re.finditer(rf"(?<![\w./#])({numword})\s*(?:[{dashes}]|to|or)\s*({numword})\s*({units})\b", text):
            spans.append(m.span())
            problems.append(f"\"{m.group(0)}\" is a range of tablets")
        for m in re.finditer(rf"(?<![\w./#])({numword})\s*({units})\b", text):
            if not taken(m):
                spans.append(m.span())
                counts.append(_number(m.group(1), reading))
                unit_word = m.group(2)
    for m in re.finditer(rf"(?<![\w./#])({numword})\s*[x×](?=\s|$)|(?<![\w./#])[x×]\s*({numword})(?![\w./])", text):
        if not taken(m):
            spans.append(m.span())
            counts.append(_number(m.group(1) or m.group(2), reading))
    if not spans:
        return text, None
    spans.sort()
    words = " ".join(text[a:b] for a, b in spans)
    rest = text
    for a, b in reversed(spans):
        rest = rest[:a] + " " + rest[b:]
    rest = " ".join(rest.split())
    if len(set(times)) > 1:
        problems.append(f"it gives {len(times)} different frequencies")
    if len(set(counts)) > 1:
        problems.append(f"it gives {len(counts)} different numbers of tablets")
    if counts and (counts[0] is None or counts[0] <= 0):
        problems.append("its number of tablets is not a number")
    count = counts[0] if counts and not problems else None
    return rest, Regimen(words, count, unit_word, times[0] if times and len(set(times)) == 1 else None,
                         needed, "; ".join(problems))


def strength_mg(text: str) -> tuple[float | None, str]:
    """The one strength of a single-ingredient product written in a spelled name with its
    regimen removed, in mg ("400mg", "500", "1g", "500 micrograms"), or why there is none:
    no number, more than one, or a liquid's concentration ("10mg/ml", whose mg a dose is not
    known without the volume)."""
    if re.search(rf"{_NUMBER}\s*(?:mg|mcg|micrograms?|µg|ug|g)?\s*/\s*(?:{_NUMBER})?\s*ml\b", text):
        return None, "the name gives a liquid's concentration, not the mg of a dose"
    found = re.findall(rf"(?<![\w.#/])({_NUMBER})\s*(mg|mcg|micrograms?|µg|ug|grams?|g|ml|%|units?|iu)?(?![\w./])", text)
    if not found:
        return None, "the name gives no strength"
    if len(found) > 1:
        return None, "the name gives more than one number (" + ", ".join(n + u for n, u in found) + ")"
    number, unit = float(found[0][0]), found[0][1]
    factor = {"": 1.0, "mg": 1.0, "g": 1000.0, "gram": 1000.0, "grams": 1000.0, "mcg": 0.001, "microgram": 0.001,
              "micrograms": 0.001, "µg": 0.001, "ug": 0.001}.get(unit)
    if factor is None:
        return None, f"the name's strength is in {unit}, not mg"
    return round(number * factor, 6), ""
