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
from functools import lru_cache
import unicodedata
from typing import Any, Mapping, NamedTuple

#: Why a regimen in the name cannot be read when no strength was typed: the window's and the
#: worklist's short reason says that, not "cannot be read" (gp20 F13)
NO_STRENGTH = "the name gives no strength"

_NUMBER = r"\d+(?:\.\d+)?"
#: rt26: a range of intervals written "q4-6h" ("every 4 to 6 hours"): read as that is, never as a number of times
_Q_RANGE = r"q\s*\d+\s*[-\u2010-\u2014\u2212]\s*\d+\s*(?:hrs?|hours?|h)"
#: spell28: "4 hrly", "6 hrly" as "4 hourly" (the BNF's and UK charts' short form); "hrly" alone (every hour?) is a
#: round 30 merge: a number of hours right after "per", "por", "an" or "/" is a rate's ("25 mcg per 24 hours")
_PER_BEFORE_RE = re.compile(r"(?:(?<![\w])(?:per|por|an)|/)\s*$")
#: word of hours left unread, so the dose is asked about, never multiplied by 24
_HOURLY = r"(?:hourly|hrly)"
#: route27: the hours of "q4h", "every 4 hours" as written: "h", "hr", "hrs", "hour", "hours" ("q4hrs", "q 4 h")
#: esread2 (H-MED-582): and "hs", the short form Spanish (Argentine, Uruguayan) prescriptions write ("c/8 hs", "c/8hs")
_HOURS = r"(?:hours?|hrs?|horas?|hs|h)"
#: rt26: a number of times a day written with "/day", "per day" or "times" ("2x/day", "3/day", "3 times a day",
#: "3 times daily", "2x per day"): group 1 is the number. "2x daily" and "x3 daily" are a count and "daily", as before
_TIMES_A_DAY_RE = re.compile(r"(?<![\w./#])[x×]?\s*(\d+(?:\.\d+)?)\s*(?:[x×]\s*)?"
                             r"(?:/\s*day|per\s+day|times\s*(?:a\s+day|per\s+day|/\s*day|daily|day))(?![\w/])")
#: route27: a total a day written right after a strength and its unit ("1200mg/day", "400mg per day", "400 mg a
#: day", "1,2 g / day"): group 1 is the "/day" words. The strength is then the daily total, as "400mg daily" (once
#: a day) already reads; beside a number of tablets it is asked about ("2 tabs 400mg/day": 400 or 800?)
_STRENGTH_WITH_UNIT = r"\d+(?:\.\d+)?\s*(?:mg|mcg|microgram(?:os?|s)?|µg|ug|gram(?:os?|s)?|g)"
_STRENGTH_BEFORE_TOTAL = rf"(?<![\w.]){_STRENGTH_WITH_UNIT}"
_TOTAL_A_DAY_WORDS = ("/ day", "per day", "a day")


def _phrases(words) -> str:
    """esread2: an alternation of written phrases, longest first, each as typed: a space between two words is any
    spaces, and a "/" may have spaces on either side ("veces/día", "veces / día", "/día")."""
    return "|".join(r"\s*/\s*".join(r"\s+".join(re.escape(p) for p in part.split()) for part in w.split("/"))
                    for w in sorted(words, key=len, reverse=True))


def _total_a_day_re(words: tuple[str, ...] = ()) -> re.Pattern:
    """esread: a strength and its unit followed by the words of a day's total: "/day", "per day", "a day" and the
    data's own ([name_reading] total_a_day_words: the Spanish "al día", "por día", "/día", "diarios"). Group 1 is
    those words. esread2: built from the words directly (it was made by string-replacing the English pattern)."""
    return re.compile(rf"{_STRENGTH_BEFORE_TOTAL}(\s*(?:{_phrases((*_TOTAL_A_DAY_WORDS, *words))}))(?![\w/])")


_TOTAL_A_DAY_RE = _total_a_day_re()
#: rt26: more than this many times a day written that way is no frequency a tablet is taken at (q2h is 12):
#: "1200/day" is a daily amount, so it is never read as 1200 times a day
_MOST_TIMES_A_DAY = 12
#: redteam28: a tablet is split into halves or quarters ("1/2 tab", "3/4 tab"); "1/2" before "tab" is never a
#: strength (a combination's "30/500" has three digits after its slash)
_MOST_PARTS_OF_A_TABLET = 4
#: rt26: a decimal comma ("1,5 mg", "0,125 mg", "12,5mg") or a thousands comma ("1,500 mg": one thousand five
#: hundred), read only right before a unit of weight or volume, where it is one of those and nothing else
_UNIT_AFTER = r"(?=\s*(?:mg|mcg|microgram(?:os?|s)?|µg|ug|g|gram(?:os?|s)?|ml)(?![a-z]))"
_DECIMAL_COMMA_RE = re.compile(rf"(?<![\d.,])(0),(\d+){_UNIT_AFTER}|(?<![\d.,])([1-9]\d*),(\d{{1,2}}){_UNIT_AFTER}")
_THOUSANDS_COMMA_RE = re.compile(rf"(?<![\d.,])([1-9]),(\d{{3}}){_UNIT_AFTER}")
#: fhirnsaid35 (H-MED-725): a decimal comma in a combination's strength written without a unit ("Zaldiar 37,5/325",
#: as Spanish writes the ficha técnica's "37,5 mg/325 mg"), on either side of its slash. Read only where it cannot be
#: a thousands separator, decided by the digits after the comma: one or two ("37,5", "37,50"), or any after a 0
#: ("0,125"). Three digits after a comma ("1,000/...") may be thousands: left as written (asked about), as before
_STRENGTH_COMMA = r"(?:(0),(\d+)|([1-9]\d*),(\d{1,2}))"
_STRENGTH_DECIMAL_COMMA_RE = re.compile(rf"(?<![\d.,]){_STRENGTH_COMMA}(?=\s*/\s*\d)"
                                        rf"|(?<=\d/){_STRENGTH_COMMA}(?![\d,])")
#: forms29 (H-MED-536): a vulgar fraction typed as one character ("½ tab", "1½ tabs", as a phone's or a
#: chart's symbol gives it): "½" is "1/2" (read as half a tablet where a tablet word follows, asked about
#: elsewhere, as "1/2" is), and a whole number glued before it ("1½") is that number and the fraction, 1.5.
#: A space between them ("1 ½") is left as two numbers, which are asked about
_VULGAR_FRACTIONS = {"\u00bd": (1, 2), "\u00bc": (1, 4), "\u00be": (3, 4)}
_GLUED_FRACTION_RE = re.compile(r"(?<![\d.,])(\d+)([\u00bd\u00bc\u00be])")
#: forms29 (H-MED-536): tablets at the times of a day written as a pattern ("1-1-1", "1-0-1", "2-0-2", "1-1-1-1":
#: morning, midday, evening and, with four, night): the tablets of a day are their sum, whichever times the
#: places stand for. Three or four whole numbers of 0 to 4, at least one not 0; two numbers ("1-2") stay a range
#: (asked about), and a pattern beside another count or frequency is asked about
_DAY_PATTERN_RE = re.compile(r"(?<![\w./#-])([0-4])(?:\s*-\s*([0-4]))(?:\s*-\s*([0-4]))(?:\s*-\s*([0-4]))?(?![\w./-])")
#: forms29 (H-MED-537): how long a course lasts ("x 5 days", "x5 days", "for 5 days", "for 2 weeks"): said, and it
#: does not change the daily dose (a course of 5 days of 400 mg tds is 1200 mg a day on each of them)
#: gptry29 (H-MED-550): and in Spanish ("durante 5 días", "durante una semana", "por 7 días", "x 5 días": sources.toml
#: spanish-prescription-wording), read as the English are; before, "ibuprofeno 600 mg 1 comprimido cada 8 horas
#: durante 5 días" left "durante 5 días" in the name, so ibuprofen was not recognised and none of its alerts shown
#: esread2 (H-MED-584): a range of days ("durante 5-7 días", "x 5-7 days", "for 5 to 7 days") is a course's length
#: too: the daily dose is the same on each day, whatever the course's length
_DURATION_RE = re.compile(r"(?<![\w/])(?:[x\u00d7]\s*|for\s+|durante\s+|por\s+)"
                          r"(\d+(?:\s*(?:[-\u2010-\u2014]|a|to)\s*\d+)?|one|two|three|four|five|six|seven|ten|fourteen"
                          r"|un|una|uno|dos|tres|cuatro|cinco|seis|siete|diez|catorce|quince)"
                          r"\s*(?:days?|weeks?|wks?|d[i\u00ed]as?|semanas?)(?![\w/])")


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
    #: frequencies that each name one time of day ("mane", "nocte"): written together they are
    #: added up ("mane nocte" = twice a day), never collapsed into one (fx17)
    times_of_day: frozenset[str] = frozenset()
    #: spell28: numbers of hours spelled in words that are no count of tablets ("every six hours",
    #: "eight hourly"): read only as hours, so "six" is never a number of tablets
    hour_words: Mapping[str, float] = {}
    #: esread: the words of "every N hours" before the hours ("every", "cada", "c/" as in "c/8h")
    every_words: tuple[str, ...] = ()
    #: esread: the words joining the two ends of a range ("1-2 tablets", "1 to 2", "cada 6 o 8 horas")
    range_words: tuple[str, ...] = ()
    #: esread: the words after a number of times a day ("veces al día": "5 veces al día", "dos veces al dia")
    times_after_number: tuple[str, ...] = ()
    #: esread: what a count word counts, in the words every output uses ("comprimidos" -> "tablets")
    count_units: Mapping[str, str] = {}
    #: esread: a strength followed by "/day", "per day", "a day" or the data's words ("al día") is a day's total
    total_a_day: Any = _TOTAL_A_DAY_RE
    total_a_day_words: tuple[str, ...] = ()
    #: forms29 (H-MED-538): words of a single dose given once ("stat": at once), no dose taken every day
    once_only: tuple[str, ...] = ()
    #: forms29 (H-MED-539): frequencies of less than once a day that give no daily dose ("monthly")
    not_daily: tuple[str, ...] = ()
    #: unread30 (H-MED-574): words of a regimen that are never read into a daily dose ("qod", "then", "with food"):
    #: after a known medicine's name (and strength) they keep the medicine recognised with its dose asked about
    not_read: tuple[str, ...] = ()
    #: esread2 (H-MED-581): part of one tablet in words, read only right before a count word ("medio comprimido")
    count_fractions: Mapping[str, float] = {}
    #: esread2 (H-MED-581): the word joining a count to the strength after it ("1 comprimido de 600 mg")
    count_before_strength: tuple[str, ...] = ()
    #: weekly (H-MED-605): how many days a week a medicine is taken ([name_reading] week_*): "a week", "semanal"
    week_words: tuple[str, ...] = ()
    #: the words between a number and a week word ("2 times a week", "dos veces por semana", "2x weekly")
    week_times_words: tuple[str, ...] = ()
    #: typed35 (H-MED-719): words that are a week word only right after a word of week_times_words ("2 x week",
    #: "3 x 4 x wk"), never alone ("for 1 week" is a course's length)
    week_words_after_times: tuple[str, ...] = ()
    #: words before a week word that make it a course's length ("for a week"), never a frequency
    week_course_words: tuple[str, ...] = ()
    #: "once", "twice", "thrice" before a week word ("twice weekly") -> days a week
    week_times: Mapping[str, float] = {}
    #: a day of the week -> its number (1 Monday .. 7 Sunday): different days written are that many days a week
    week_days: Mapping[str, float] = {}
    #: words before a day of the week ("on", "every", "los") and between two ("and", ",", "y"): part of the regimen
    week_days_words_before: tuple[str, ...] = ()
    week_days_joins: tuple[str, ...] = ()
    #: words meaning twice a week or every two weeks ("biweekly"): never read either way
    week_unclear: tuple[str, ...] = ()
    #: once in two weeks ("fortnightly", "quincenal"): less often than once a week
    week_less_often: tuple[str, ...] = ()
    #: the units of "every N days" ("days", "días")
    week_day_units: tuple[str, ...] = ()
    #: readers33 (H-MED-680): words between a strength (or a count word) and a number of hours that mean "every that
    #: many hours", as "/" does ("ibuprofen 800mg per 4 hours": every 4 hours)
    per_hours_words: tuple[str, ...] = ()
    #: readers33 (H-MED-680): such words that may also mean "for that many hours" (the Spanish "por": "800 mg por 4
    #: horas", every 4 hours or for 4 hours?): asked, never read
    per_hours_unclear: tuple[str, ...] = ()
    #: mtx31 (H-MED-661), data since readers33 (H-MED-686): week words that say once a week by themselves ("weekly",
    #: "semanal") or begin with a once word ("once a week", "una vez por semana", "1 x semana"): [name_reading]
    #: week_once_words, week_once_starts; None when the data holds none (no week words say once a week)
    once_a_week: Any = None
    #: nxread34 (H-MED-711): words of once a day that, right after an "N x M" ("3 x 4 daily", "3 x 4 a day", "3 x 4 al
    #: día"), leave it the same either-way reading as a plain "N x M" (N x M tablets a day either way): [name_reading]
    #: n_x_m_day_words, each a times_a_day word of once a day
    n_x_m_day_words: frozenset[str] = frozenset()
    #: dose36 (H-MED-732): what, written right after an "N x M" with or without a space, says "a day" as the words above
    #: do ("3 x 4/d", "3 x 4/day": the same either-way reading as "3 x 4 daily"): [name_reading] n_x_m_day_suffixes
    n_x_m_day_suffixes: tuple[str, ...] = ()
    #: nxread34: what a medicine is taken for, written at the end of its name with no brackets ("tramadol 50mg qds for
    #: pain", "para el dolor"): [name_reading] trailing_indications, matched as the whole end of the name (group 1: the
    #: name before it, group 2: the words); None when the data holds none
    trailing_indications: Any = None

    @classmethod
    def empty(cls) -> "NameReading":
        return cls((), (), frozenset(), {}, {}, (), {}, "")

    @property
    def largest_count(self) -> float:
        """The largest number of tablets a count word spells ("four"): a bare number up to it
        written before a frequency may be a count, so it is never read as a strength in mg."""
        return max(self.number_words.values(), default=0.0)

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
    #: a count written as a bare number right before its frequency ("3 qds", "2 q4h"), with no
    #: "tablets" or "x" (fx17): it is a number of tablets only for a product whose strength is
    #: written or fixed apart from it, and never mg; the words ("3 qds") when there is one
    bare_count: str = ""
    #: forms29 (H-MED-537): what the regimen's other words say and how they were read (a course's length, "every
    #: other day" as half a dose a day), said with the reading; "" when nothing more
    note: str = ""
    #: weekly (H-MED-605): days a week written ("twice weekly": 2, "weekly": 1, "fortnightly": 0.5, "every 3 days":
    #: 7/3); None when no week frequency is written. It gives no daily dose: a weekly_only medicine (methotrexate)
    #: written on more than one day a week is asked about (medications.read_recorded_dose)
    days_a_week: float | None = None
    #: the week frequency's words as written ("twice weekly", "on mondays and thursdays")
    week_words: str = ""
    #: words that may mean twice a week or every two weeks ("biweekly"), as written; "" when none
    week_unclear: str = ""
    #: nxm (H-MED-675): the two numbers of an "N x M" written with no frequency ("3 x 4", "3x4", "3 × 4"), when that is
    #: the only thing asked about the regimen: N tablets M times a day or M tablets N times a day. Both orders give
    #: N x M tablets a day, so the daily dose is checked against the maximum while which was meant is still asked
    either_way: tuple[float, float] = ()
    #: nxread34 (H-MED-710): an "N x M" followed by a week word ("3 x 4 per week", "3 x 4 weekly", "3 x 4 a la semana"),
    #: as asked: N tablets on M days a week, or N x M tablets on one day a week (N x M tablets a week either way). It
    #: gives no daily dose; a medicine not taken weekly asks it (medications.read_recorded_dose), never silence
    week_nxm: str = ""

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
    # readers32 (H-MED-639): a count word is read however its accents are typed: composed ("cáps"), decomposed (NFD,
    # "ca\u0301ps": the name is composed before it is read, medications._undecorated) or left off ("capsulas" for
    # "cápsulas"): each accented word of the data counts without its accents too, so the data lists the accented
    # spelling and the reader never misses the plain one
    count_words = frozenset(v for w in strings("count_words") for v in _with_accents_folded(w.lower()))
    times = numbers("times_a_day")
    as_needed = tuple(" ".join(w.lower().split()) for w in strings("as_needed"))
    times_of_day = frozenset(" ".join(w.lower().split()) for w in strings("times_of_day"))
    once_only = tuple(" ".join(w.lower().split()) for w in strings("once_only"))
    not_daily = tuple(" ".join(w.lower().split()) for w in strings("not_daily"))
    # forms29 (H-MED-536): Roman numerals as a count of tablets ("ii tabs qds", as UK charts write it): number
    # words like "two", kept apart in the data so "iv" (intravenous) is never one
    number_words = {**numbers("number_words"), **numbers("roman_numerals")}
    if "iv" in number_words:
        raise ValueError(f"{where}.roman_numerals must not hold \"iv\" (a route: intravenous)")
    words = sorted({*count_words, *times, *as_needed, *once_only, *not_daily}, key=len, reverse=True)
    if not times_of_day <= set(times) or any(times[w] != 1 for w in times_of_day):
        raise ValueError(f"{where}.times_of_day must be frequencies of once a day listed in times_a_day")
    every_words = tuple(" ".join(w.lower().split()) for w in strings("every_words"))
    range_words = tuple(" ".join(w.lower().split()) for w in strings("range_words"))
    after_number = tuple(" ".join(w.lower().split()) for w in strings("times_after_number"))
    count_units = e.get("count_units", {})
    if not isinstance(count_units, dict) or not all(isinstance(v, str) and v for v in count_units.values()):
        raise ValueError(f"{where}.count_units must map count words to what they count")
    count_units = {f: v for k, v in count_units.items() for f in _with_accents_folded(k.lower())}
    total_a_day_words = tuple(" ".join(w.lower().split()) for w in strings("total_a_day_words"))
    total_a_day = _total_a_day_re(total_a_day_words)
    count_fractions = numbers("count_fractions")
    if any(v >= 1 for v in count_fractions.values()):
        raise ValueError(f"{where}.count_fractions must be parts of one tablet (below 1)")
    count_before_strength = tuple(" ".join(w.lower().split()) for w in strings("count_before_strength"))
    if not set(count_units) <= count_words:
        raise ValueError(f"{where}.count_units must name only words of count_words")
    # weekly (H-MED-605): the words of how many days a week
    week = {k: tuple(" ".join(w.lower().split()) for w in strings(k))
            for k in ("week_words", "week_times_words", "week_words_after_times", "week_course_words", "week_days_words_before", "week_days_joins", "week_unclear",
                      "week_less_often", "week_day_units", "per_hours_words", "per_hours_unclear")}
    once_words = tuple(" ".join(w.lower().split()) for w in strings("week_once_words"))
    once_starts = tuple(" ".join(w.lower().split()) for w in strings("week_once_starts"))
    once_a_week = re.compile(r"^(?:" + "|".join([*(re.escape(w) for w in once_words),
                                                 *([rf"(?:{_phrases(once_starts)})\b.*"] if once_starts else [])])
                             + r")$") if once_words or once_starts else None
    n_x_m_day_words = frozenset(" ".join(w.lower().split()) for w in strings("n_x_m_day_words"))
    n_x_m_day_suffixes = tuple(" ".join(w.lower().split()) for w in strings("n_x_m_day_suffixes"))
    if any(not w.startswith("/") or any(c.isdigit() for c in w) for w in n_x_m_day_suffixes):
        raise ValueError(f"{where}.n_x_m_day_suffixes must each begin with \"/\" and hold no number")
    if any(times.get(w) != 1 for w in n_x_m_day_words):
        raise ValueError(f"{where}.n_x_m_day_words must be frequencies of once a day listed in times_a_day")
    indications = tuple(" ".join(w.lower().split()) for w in strings("trailing_indications"))
    if any(any(c.isdigit() for c in w) for w in indications):
        raise ValueError(f"{where}.trailing_indications must hold no number (a number may be a dose or a regimen)")
    trailing_indications = (re.compile(rf"(\S.*?)\s+({_phrases(indications)})[\s.]*", re.IGNORECASE)
                            if indications else None)
    week_times, week_days = numbers("week_times"), numbers("week_days")
    if any(not 1 <= v <= 7 or not v.is_integer() for v in (*week_times.values(), *week_days.values())):
        raise ValueError(f"{where}.week_times and week_days must be whole numbers of 1 to 7")
    if week["week_words"] and not week["week_times_words"]:
        raise ValueError(f"{where}.week_words needs week_times_words (the words of \"2 times a week\")")
    if week["week_words_after_times"] and (not week["week_times_words"] or any(
            any(c.isdigit() for c in w) or w in week["week_words"] for w in week["week_words_after_times"])):
        raise ValueError(f"{where}.week_words_after_times needs week_times_words, and holds no number and no word of "
                         "week_words (those are read alone)")
    trigger = re.compile(r"(?<![a-z])(?:" + "|".join([*(re.escape(w) for w in words), r"[x×]",
                                                       _phrases(after_number) if after_number else r"(?!)",
                                                       # esread2: a number of hours with no "every" ("8hs") is asked
                                                       rf"\d+\s*{_HOURS}",
                                                       # "c/8h", "c/hora": the word of "every" and what follows it
                                                       *(re.escape(w) + ("" if w[-1].isalpha() else r"\s*\w*")
                                                         for w in every_words),
                                                       r"hourly", r"hrly", r"q\s*\d+\s*" + _HOURS, _Q_RANGE, r"times",
                                                       # redteam29: a frequency word with no "a day" is asked about
                                                       r"once", r"twice", r"thrice",
                                                       # weekly (H-MED-605): a week frequency, a day of the week
                                                       *(_phrases([w]) for w in (*week["week_words"], *week["week_unclear"],
                                                                                 *week["week_less_often"], *week_days)),
                                                       r"/\s*day", r"per\s+day", r"a\s+day",
                                                       total_a_day.pattern, _DURATION_RE.pattern,
                                                       _DAY_PATTERN_RE.pattern, r"\d*[\u00bd\u00bc\u00be]"]) + r")(?![a-z])"
                         # readers33 (H-MED-681): a week word with its slash right after a unit ("15mg/week")
                         + "".join(f"|{re.escape(w)}(?![a-z])" for w in week["week_words"] if w.startswith("/")))
    return NameReading(strings("slashes"), strings("dashes"), count_words, number_words, times, as_needed,
                       {k.lower(): v for k, v in ambiguous.items()}, source, trigger, times_of_day, numbers("hour_words"),
                       every_words, range_words, after_number, count_units, total_a_day,
                       total_a_day_words, once_only, not_daily,
                       tuple(" ".join(w.lower().split()) for w in strings("regimen_words_not_read")),
                       # esread2: by keyword, so another field added beside them can never take their place
                       count_fractions=count_fractions, count_before_strength=count_before_strength,
                       week_times=week_times, week_days=week_days, once_a_week=once_a_week,
                       n_x_m_day_words=n_x_m_day_words, n_x_m_day_suffixes=n_x_m_day_suffixes,
                       trailing_indications=trailing_indications, **week)


def _with_accents_folded(word: str) -> tuple[str, ...]:
    """readers32 (H-MED-639): ``word`` composed (NFC), and without its accents when it has any ("cápsulas" ->
    "cápsulas", "capsulas"); only marks on a letter are taken off (no other letter is changed)."""
    composed = unicodedata.normalize("NFC", word)
    plain = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", composed)
                                                 if not unicodedata.combining(c)))
    return (composed,) if plain == composed else (composed, plain)


def spell(name: str, reading: NameReading) -> str:
    """The typed name in the data's spelling (see the module): never a guess at a medicine."""
    # redteam28 (H-MED-491): the Greek small letter mu ("μg", U+03BC, what a Greek keyboard or a
    # phone's symbol list gives) is the micro sign ("µg", U+00B5) the units are written with; before, "10 μg"
    # lost its unit and was read as 10 mg, a thousand times the dose
    text = name.lower().replace("\u03bc", "\u00b5")
    text = _GLUED_FRACTION_RE.sub(lambda m: _n(int(m.group(1)) + _fraction(m.group(2))), text)  # forms29: "1½" -> "1.5"
    for ch, (top, bottom) in _VULGAR_FRACTIONS.items():
        text = text.replace(ch, f" {top}/{bottom}")  # forms29: "½ tab" -> "1/2 tab"
    for ch in reading.slashes:
        text = text.replace(ch, "/")
    text = _SLASH_SPACES_RE.sub(r"\1/", text)
    text = _ABBREVIATION_DOT_RE.sub("", text)  # "q.d.s." -> "qds.", "b.i.d" -> "bid"
    text = _LEADING_DOT_RE.sub("0.", text)  # ".5mg" -> "0.5mg", never "5mg" (fx17)
    text = _LONE_DOT_RE.sub(" ", text)  # "no. 3" -> "no 3"; 37.5 stays
    text = _HASH_SPACE_RE.sub("#", text)
    text = _THOUSANDS_COMMA_RE.sub(r"\1\2", text)  # rt26: "1,500 mg" -> "1500 mg"
    text = _DECIMAL_COMMA_RE.sub(lambda m: ".".join(g for g in m.groups() if g is not None), text)  # rt26: "1,5 mg"
    # fhirnsaid35: "37,5/325" -> "37.5/325"
    text = _STRENGTH_DECIMAL_COMMA_RE.sub(lambda m: ".".join(g for g in m.groups() if g is not None), text)
    text = _NUMBER_DASH_WORD_RE.sub(r"\1 ", text)  # "30/500-caps"
    return " ".join(text.split())


# :func:`spell`'s patterns, compiled once (issue 17: they were looked up in ``re``'s cache on every name)
_SLASH_SPACES_RE = re.compile(rf"({_NUMBER})\s*/\s*(?=\d)")
_ABBREVIATION_DOT_RE = re.compile(r"(?<=\b[a-z])\.(?=[a-z]\b)")
_LEADING_DOT_RE = re.compile(r"(?<![\w.])\.(?=\d)")
_LONE_DOT_RE = re.compile(r"(?<!\d)\.|\.(?!\d)")
_HASH_SPACE_RE = re.compile(r"#\s+(?=\d)")
_NUMBER_DASH_WORD_RE = re.compile(r"(\d)-(?=[a-z])")


def _fraction(ch: str) -> float:
    top, bottom = _VULGAR_FRACTIONS[ch]
    return top / bottom


def dash_pairs(text: str, reading: NameReading) -> list[re.Match]:
    """Two numbers joined by a dash in an already spelled name ("30-500", "30–500mg")."""
    if not reading.dashes:
        return []
    return list(_dash_pair_re(reading.dashes).finditer(text))


@lru_cache(maxsize=8)
def _dash_pair_re(dashes: tuple[str, ...]) -> re.Pattern:
    """:func:`dash_pairs`' pattern for the data's dashes, compiled once per loaded data's dashes (issue 17)."""
    chars = "".join(re.escape(d) for d in dashes)
    return re.compile(rf"(?<![\w.])({_NUMBER})\s*[{chars}]\s*({_NUMBER})(?=\s*(?:mg\b|[^\w.]|$))")


def _number(word: str, reading: NameReading) -> float | None:
    if re.fullmatch(_NUMBER, word):
        return float(word)
    return reading.number_words.get(word)


def find_regimen(text: str, reading: NameReading, *, hours_after_strength: bool = False) -> tuple[str, Regimen | None]:
    """The regimen written in a spelled name, and the name without it. None when the name
    holds no count ("2 tablets", "x2") and no frequency ("tds", "twice a day").

    ``hours_after_strength`` (readers32, H-MED-638): a number of hours after a strength and a slash ("ibuprofen
    800 mg/4h", "paracetamol 1g/4h") is read as every that many hours, as "800 mg c/4h" is. Only the caller that
    knows the medicine asks for it (:func:`~radiculopathy_desktop.domain.medications.read_recorded_dose`, for a
    medicine that is not written as, and does not come as, a skin patch): for a patch the hours are its wear time
    ("fentanyl 25mcg/72h"), and without it they are left as before.

    Every count is tied to the frequency it stands before: "2 tabs mane 2 tabs nocte" and
    "mane nocte" are added up (times of day, ``[name_reading] times_of_day``), and a count or
    frequency the reading cannot place is a problem ("check the dose"), never dropped (fx17)."""
    if not reading.may_hold_regimen(text):
        return text, None
    spans: list[tuple[int, int]] = []
    problems: list[str] = []
    numword = "|".join([_NUMBER, *(re.escape(w) for w in sorted(reading.number_words, key=len, reverse=True))])
    dashes = "".join(re.escape(d) for d in ("-", *reading.dashes)) or "-"
    units = "|".join(re.escape(w) for w in sorted(reading.count_words, key=len, reverse=True))
    # esread: the range words ("to", "or", and the Spanish "a", "o", "u") and the words of "every N hours" ("every",
    # "cada", "c/") are data ([name_reading] range_words, every_words); a word is followed by a space, "c/" need not be
    ranged = "".join(f"|{re.escape(w)}" for w in sorted(reading.range_words, key=len, reverse=True))
    every = "|".join(re.escape(w) + (r"\s+" if w[-1].isalpha() else r"\s*")
                     for w in sorted(reading.every_words, key=len, reverse=True)) or r"(?!)"

    def taken(m: re.Match) -> bool:
        return any(a < m.end() and m.start() < b for a, b in spans)

    notes: list[str] = []
    # forms29 (H-MED-537): a course's length ("x 5 days", "for 5 days") is how long, never a count of tablets
    for m in _DURATION_RE.finditer(text):
        spans.append(m.span())
        notes.append(f"\"{m.group(0)}\" is how long the course lasts, not a number of tablets: the daily dose is the "
                     "same on each day of it")
    # forms29 (H-MED-538): "stat" is one dose at once, no dose taken every day
    for phrase in sorted(reading.once_only, key=len, reverse=True):
        # with a bare count before it ("ii stat": 2 tablets at once), part of the same words
        for m in re.finditer(rf"(?<![\w./#])(?:(?:{numword})\s+)?{re.escape(phrase)}(?![\w/])", text):
            if not taken(m):
                spans.append(m.span())
                problems.append(f"\"{m.group(0)}\" is one dose given at once, not a dose taken every day")
    # forms29 (H-MED-539): "monthly" (a monthly injection) gives no dose a day
    for phrase in sorted(reading.not_daily, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w/]){re.escape(phrase)}(?![\w/])", text):
            if not taken(m):
                spans.append(m.span())
                problems.append(f"\"{m.group(0)}\" is less often than once a day, so it gives no daily dose")
    week, week_unclear, week_nxm = _week_frequencies(text, reading, numword, every, spans, problems)
    # forms29 (H-MED-536): "1-1-1", "1-0-1": tablets at the times of a day, their sum a day
    patterns: list[tuple[int, int, float, str]] = []  # as a frequency: start, end, tablets a day, words
    for m in _DAY_PATTERN_RE.finditer(text):
        places = [int(g) for g in m.groups() if g is not None]
        spans.append(m.span())
        if not any(places):
            problems.append(f"\"{m.group(0)}\" gives no tablet at any time of the day")
            continue
        patterns.append((m.start(), m.end(), float(sum(places)), m.group(0)))

    # frequencies: a range ("every 4-6 hours", "4-6 hourly") is never read
    freqs: list[tuple[int, int, float, str]] = []  # start, end, times a day, words
    # route27: "q4-6hrs", "q 4-6 h" as "q4-6h"
    # esread: the ends written in words too ("cada seis a ocho horas", "every four to six hours"), as leaflets write them
    hourword = "|".join([numword, *(re.escape(w) for w in sorted(reading.hour_words, key=len, reverse=True))])
    for m in re.finditer(rf"(?<![\w/])(?:(?:{every})|q\s*)?(?:{hourword})\s*(?:[{dashes}]{ranged})\s*"
                         rf"(?:{hourword})\s*(?:{_HOURLY}|{_HOURS})\b", text):
        spans.append(m.span())
        problems.append(f"\"{m.group(0)}\" is a range of times")
    # rt27 H1: the hours spelled as the reading's number words too ("every four hours", "four hourly"), as
    # patient leaflets write them; before, the words were dropped as form words and the regimen went unread
    for m in re.finditer(rf"(?<![\w/])(?:(?:{every})({hourword})\s*{_HOURS}|q\s*({_NUMBER})\s*{_HOURS}|({hourword})\s*{_HOURLY})\b",
                         text):
        if taken(m):
            continue
        word = next(g for g in m.groups() if g)
        hours = _number(word, reading) or reading.hour_words.get(word) or 0.0
        spans.append(m.span())
        if hours == 1:
            # spell28: "every 1 hour", "1 hrly": 24 doses a day is almost surely a slip; asked about, never read
            problems.append(f"\"{m.group(0)}\" is every hour (24 times a day)")
        elif hours > 0 and (24 / hours).is_integer():
            freqs.append((m.start(), m.end(), 24 / hours, m.group(0)))
        else:
            problems.append(f"\"{m.group(0)}\" is not a whole number of times a day")
    # readers31 (H-MED-623): a number of hours right after a count word and a slash ("ibuprofen 800mg 2 comp/6h",
    # "1 tab / 8 h", "1 comprimido/8 horas"): the count is taken every that many hours, as "2 comp c/6h" is. Only
    # after a count word: after a strength ("25 mcg/72h", "10 mg/24h") the hours stay a rate's, as before. Before,
    # the slash hid the hours, the count was read with no frequency and the dose was not checked (6,400 mg of
    # ibuprofen a day said nothing)
    # readers32 (H-MED-638): and after a strength and its unit ("ibuprofen 800 mg/4h", "paracetamol 1g/4h",
    # "ibuprofeno 600mg/8h") when the caller says the medicine is no patch (``hours_after_strength``): 800 mg every 4
    # hours, 4,800 mg a day. A number of mg "per 4 hours" is that daily amount whether it is read as a dose every 4
    # hours or as a rate, so the daily amount is the same either way; only a patch's strength is itself a rate (mcg
    # an hour), its hours how long it is worn. Before, the hours were taken as a rate's and nothing was read or asked
    after = [rf"(?<![a-z])(?:{units})"] if units else []
    if hours_after_strength:
        after.append(rf"(?<![\w.]){_STRENGTH_WITH_UNIT}")
        # readers33 (H-MED-683): and after a volume ("paracetamol 100mg/5ml/8h", "ibuprofen 100mg/5ml 10ml/8h"): every 8
        # hours; the concentration then gives no mg a dose unless read so, and is asked about (strength_mg). Before,
        # "10ml/8h" was taken as part of a strength and the name's dose was neither read nor asked about
        after.append(rf"(?:(?<![\w.]){_NUMBER}\s*|(?<=/))ml")  # "100mg/ml/8h" too
    if after:
        # readers33 (H-MED-680): "per" as "/" ("ibuprofen 800mg per 4 hours": 800 mg every 4 hours, 4,800 mg a day; it
        # was left unread, so no maximum was checked); the Spanish "por" may also be "for 4 hours" (as "por 7 días" is
        # a course's length): asked, naming both readings ([name_reading] per_hours_words, per_hours_unclear)
        per = "|".join(["/", *(rf"(?<![\w/]){re.escape(w)}(?![\w/])" for w in reading.per_hours_words)])
        unclear_per = "|".join(rf"(?<![\w/]){re.escape(w)}(?![\w/])" for w in reading.per_hours_unclear) or r"(?!)"
        for m in re.finditer(rf"(?:{'|'.join(after)})(\s*(?:({unclear_per})|{per})\s*({hourword})\s*{_HOURS})(?![\w/])", text):
            if any(a < m.end(1) and m.start(1) < b for a, b in spans):
                continue
            hours = _number(m.group(3), reading) or reading.hour_words.get(m.group(3)) or 0.0
            spans.append(m.span(1))
            words = m.group(1).strip()
            if m.group(2):
                n = _n(hours) if hours else m.group(3)
                problems.append(f"\"{words}\" may mean every {n} hours or for {n} hours (how long), so how often it "
                                f"is taken could not be read: write \"cada {n} horas\" (every {n} hours) or how many times "
                                "a day")
            elif hours == 1:
                problems.append(f"\"{words}\" is every hour (24 times a day)")
            elif hours > 0 and (24 / hours).is_integer():
                freqs.append((m.start(1), m.end(1), 24 / hours, words))
            else:
                problems.append(f"\"{words}\" is not a whole number of times a day")
    # esread2 (H-MED-582): a number of hours with no "every", "cada", "c/" or "q" before it ("ibuprofeno 600 mg 8hs",
    # "8 horas", "600mg 8h"): every 8 hours, or at 8 o'clock ("a las 8 hs")? Asked, never read, and never left in
    # the name (it made the medicine NOT RECOGNISED, every alert on it lost)
    for m in re.finditer(rf"(?<![\w./#])(?:{hourword})\s*{_HOURS}(?![\w/])", text):
        # "25 mcg per 24 hours", "10 mg por 24 horas", "25mcg / 24h": the hours of a strength's rate, which the
        # strength's own reading says (a patch's wear time or micrograms per hours), never a second question
        if not taken(m) and not _PER_BEFORE_RE.search(text, 0, m.start()):
            spans.append(m.span())
            problems.append(f"\"{m.group(0)}\" (how often it is taken: every {m.group(0).rstrip('hrsoua ')} hours, or at a "
                            "time of day?) could not be read")
    total_a_day = ""
    for m in reading.total_a_day.finditer(text):  # route27: "1200mg/day", "400mg per day": the daily total
        if any(a < m.end(1) and m.start(1) < b for a, b in spans):
            continue
        spans.append(m.span(1))
        freqs.append((m.start(1), m.end(1), 1.0, m.group(1).strip()))
        total_a_day = m.group(0).strip()
    times_found = [(m, float(m.group(1))) for m in _TIMES_A_DAY_RE.finditer(text)]  # rt26: "2x/day", "3 times a day"
    if reading.times_after_number:
        # esread: "5 veces al día", "dos veces al dia" ([name_reading] times_after_number): the number is written
        # in figures, as a number word or as a word of hours ("seis veces al día"), read as "5 times a day" is
        after = _phrases(reading.times_after_number)
        for m in re.finditer(rf"(?<![\w./#])({hourword})\s*(?:{after})(?![\w/])", text):
            times_found.append((m, _number(m.group(1), reading) or reading.hour_words.get(m.group(1)) or 0.0))
    for m, times in sorted(times_found, key=lambda found: found[0].start()):
        if taken(m):
            continue
        r = re.search(rf"(?<![\w./#])(?:{hourword})\s*(?:[{dashes}]{ranged})\s*$", text[:m.start()])
        if r is not None:
            # esread: "3 a 4 veces al día", "de dos a tres veces al día", "3-4 times a day": a range of times, never read
            spans.append((r.start(), m.end()))
            problems.append(f"\"{text[r.start():m.end()].strip()}\" is a range of times a day")
            continue
        spans.append(m.span())
        if 1 <= times <= _MOST_TIMES_A_DAY and times.is_integer():
            freqs.append((m.start(), m.end(), times, m.group(0).strip()))
        else:
            problems.append(f"\"{m.group(0).strip()}\" is not a number of times a day")
    # esread (before the phrases, so that "al día" alone is not read out of it): words of a number of times a day left unread ("veces al día" with no number, "siete veces al día") are
    # how often it is taken too: asked about, never a name left unrecognised as if no frequency were written
    if reading.times_after_number:
        for m in re.finditer(rf"(?<![\w/])(?:{_phrases(reading.times_after_number)})(?![\w/])", text):
            if not taken(m):
                spans.append(m.span())
                problems.append(f"\"{m.group(0)}\" (how often it is taken) could not be read")
    for phrase in sorted(reading.times_a_day, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w/]){re.escape(phrase)}(?![\w/])", text):
            if taken(m):
                continue
            spans.append(m.span())
            freqs.append((m.start(), m.end(), reading.times_a_day[phrase], phrase))
    freqs.extend(patterns)
    freqs.sort()
    needed = False
    for phrase in sorted(reading.as_needed, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w/]){re.escape(phrase)}(?![\w/])", text):
            if not taken(m):
                spans.append(m.span())
                needed = True
    # readers31 (H-MED-624): two numbers joined by "x" with no frequency read ("co-codamol 30/500 3 x 4", "2 x 4",
    # "ibuprofen 400mg 2 x 3"): 3 tablets 4 times a day, 4 tablets 3 times a day (as "3 x 1" is written where the
    # times come first), or 3 tablets for 4 days? Asked, naming the tablets a day the first two give, never read as a
    # count alone (the second number was left in the name and the dose was not checked: 12 tablets of co-codamol
    # 30/500, 6 g of paracetamol, said nothing). Not a count glued to a strength ("2x10mg", "2 x 400mg"), not a
    # course's length ("x 5 days", read above), not a product's number ("no 3 x2", "#3 x2"), nor a number above 12 or
    # two above the largest count ("Fentalis 50 x2": two 50 patches, read as before)
    either_way: tuple[float, float] = ()
    # nxread34 (H-MED-711): "3 x 4 daily", "3 x 4 a day", "3 x 4 al día": a word of once a day right after the "N x M"
    # ([name_reading] n_x_m_day_words) leaves every reading of it N x M tablets a day, as a plain "3 x 4" is; it was
    # asked as "2 different numbers of tablets" (a wrong reason) and its opioid total dropped. Any other frequency
    # ("3 x 4 bd", "3 x 4 od") or words between them are asked as before
    day_word = (freqs[0] if len(freqs) == 1 and freqs[0] not in patterns and freqs[0][3] in reading.n_x_m_day_words
                else None)
    # dose36 (H-MED-732): "3 x 4/d", "3 x 4/day" ([name_reading] n_x_m_day_suffixes): "/d" is per day, read as "3 x 4
    # daily" is (N x M tablets a day either way, still asked which); it was '"4/d" could not be read' and not counted
    suffix = rf"(?P<per_day>\s*(?:{_phrases(reading.n_x_m_day_suffixes)}))?" if reading.n_x_m_day_suffixes else ""
    if not freqs or day_word is not None:
        for m in re.finditer(rf"(?<![\w./#])(?<!\bno )({numword})\s*[x×]\s*({numword}){suffix}(?![\w./])"
                             r"(?!\s*(?:mg|mcg|µg|ug|micro|gram|g\b|ml|%|units?\b|iu\b))", text):
            a, b = _number(m.group(1), reading) or 0.0, _number(m.group(2), reading) or 0.0
            if taken(m) or max(a, b) > _MOST_TIMES_A_DAY or min(a, b) > reading.largest_count:
                continue  # "Fentalis 50 x2": a strength (two 50 patches), as before
            per_day_suffix = bool(suffix) and m.group("per_day") is not None
            if per_day_suffix and day_word is not None:
                continue  # "3 x 4/d daily": two words of a day, asked as before
            if day_word is not None and (day_word[0] < m.end() or text[m.end():day_word[0]].strip()):
                continue  # the word of a day is not right after it: read as before
            spans.append(m.span())
            # mtx31 (H-MED-663): equal numbers ("3 x 3") give one reading a day, said once; one is singular
            def each(n: str, t: str) -> str:
                one_n, one_t = _number(n, reading) == 1, _number(t, reading) == 1
                return f"{n} tablet{'' if one_n else 's'} {'once' if one_t else t + ' times'} a day"

            x, y = m.group(1), m.group(2)
            a_day = f"{each(x, y)}, {each(y, x)}" if a != b else each(x, y)
            total = f" ({_n(a * b)} tablets a day{' either way' if a != b else ''})" if a and b else ""
            written = m.group(0) if day_word is None else text[m.start():day_word[1]]
            per_day = "" if day_word is None and not per_day_suffix else " a day"
            problems.append(f"\"{written}\" may be {a_day}{total}, or {x} tablet{'' if a == 1 else 's'}{per_day} for {y} "
                            f"day{'' if b == 1 else 's'}; write the number of tablets before how often they are taken "
                            "(e.g. \"2 tablets four times a day\")")
            either_way = (a, b) if a and b and not either_way and len(problems) == 1 else ()
            nxm_problem = problems[-1]
    # counts: "1-2 tablets" / "1 or 2 tablets" is a range; "2 tablets", "2 x", "x2", "two caps"
    counts: list[tuple[int, float | None]] = []  # where, how many
    unit_word = ""
    if units:
        # redteam28 (H-MED-490): a fraction of a tablet ("1/2 tab", "3/4 tablet") is that many tablets; before,
        # the "1/2" was passed over and a whole tablet was read (twice the dose of "morphine 20mg 1/2 tab qds")
        for m in re.finditer(rf"(?<![\w./#])([1-9])/([1-9])\s*({units})\b", text):
            spans.append(m.span())
            top, bottom = int(m.group(1)), int(m.group(2))
            if top < bottom <= _MOST_PARTS_OF_A_TABLET:
                counts.append((m.start(), top / bottom))
                unit_word = m.group(3)
            else:
                problems.append(f"\"{m.group(0)}\" is not a part of one tablet this reading knows")
        for m in re.finditer(rf"(?<![\w./#])({numword})\s*(?:[{dashes}]{ranged})\s*({numword})\s*({units})\b", text):
            if taken(m):
                continue
            spans.append(m.span())
            problems.append(f"\"{m.group(0)}\" is a range of tablets")
        # esread2 (H-MED-581): half a tablet in words ("medio comprimido", "media tableta"), as "1/2 comprimido" is
        if reading.count_fractions:
            halves = "|".join(re.escape(w) for w in sorted(reading.count_fractions, key=len, reverse=True))
            for m in re.finditer(rf"(?<![\w./#])({halves})\s+({units})\b", text):
                if not taken(m):
                    spans.append(m.span())
                    counts.append((m.start(), reading.count_fractions[m.group(1)]))
                    unit_word = m.group(2)
        # esread2 (H-MED-581): the count before the strength it is of ("1 comprimido de 600 mg", "2 tablets of
        # 400mg"): the joining word is part of the count, so the name is left with its strength alone
        joined = "|".join(re.escape(w) for w in reading.count_before_strength) or "(?!)"
        for m in re.finditer(rf"(?<![\w./#])({numword})\s*({units})\b(?:\s+({joined})(?=\s+\d))?", text):
            if not taken(m):
                spans.append(m.span(3) if m.group(3) else m.span())
                if m.group(3):
                    spans.append((m.start(), m.end(2)))
                counts.append((m.start(), _number(m.group(1), reading)))
                unit_word = m.group(2)
    # rt26: "2x10mg", "2x30/500" (a count glued to the strength it is of, with its unit or a "/") as "2 x 10mg";
    # never "3 x2" ("tylenol no 3 x2 qds": the 3 is the product's number)
    for m in re.finditer(r"(?<![\w./#])([1-9])[x×](?=\d+(?:\.\d+)?(?:\s*(?:mg|mcg|µg|ug|microgram(?:os?|s)?|gram(?:os?|s)?|g)(?![a-z])|/\d))",
                         text):
        spans.append(m.span())
        counts.append((m.start(), float(m.group(1))))
    freq_ends = {end: w for _s, end, _t, w in freqs}
    for m in re.finditer(rf"(?<![\w./#])({numword})\s*[x×](?=\s|$)|(?<![\w./#])[x×]\s*({numword})(?![\w./])", text):
        if not taken(m):
            spans.append(m.span())
            if len(text[:m.start()].rstrip()) in freq_ends:
                # forms29 (H-MED-535): "bd x2", "tds x2": after its frequency "x2" may be 2 tablets each time, for
                # 2 days, or the frequency said again (twice); before, it was read as 2 tablets (twice the dose)
                n, freq = m.group(1) or m.group(2), freq_ends[len(text[:m.start()].rstrip())]
                problems.append(f"\"{freq} {m.group(0)}\": \"{m.group(0)}\" after its frequency may mean {n} tablets "
                                f"each time, for {n} days, or {n} times; write the number of tablets before the frequency "
                                f"(e.g. \"{n} tablets {freq}\")")
                continue
            counts.append((m.start(), _number(m.group(1) or m.group(2), reading)))
    # a bare number right before a frequency ("3 qds", "2 q4h", "two every 4 hours"): a count
    # or a strength, decided by the caller (fx17); never left in the name to be dropped
    bare: list[str] = []
    for start, end, _t, words in freqs:
        if (start, end, _t, words) in patterns:
            continue  # forms29: "400 1-1-1": a number before a pattern of tablets is no count
        r = re.search(rf"(?<![\w./#])({numword})\s*(?:[{dashes}]{ranged})\s*({numword})\s+$", text[:start])
        if (r is not None and not any(a < start and r.start() < b for a, b in spans)
                and all((_number(g, reading) or 0) <= reading.largest_count for g in r.groups())):
            spans.append((r.start(), r.end()))  # "1-2 qds": a range of tablets, never read
            problems.append(f"\"{r.group(0).strip()} {words}\" is a range of tablets")
            continue
        m = re.search(rf"(?<![\w./#{dashes}])({numword})\s+$", text[:start])  # not "30-500 qds"
        if m is None:
            continue
        if any(a < start and m.start() < b for a, b in spans):
            continue
        spans.append((m.start(), m.end()))
        counts.append((m.start(), _number(m.group(1), reading)))
        bare.append(f"{m.group(1)} {words}")
    # redteam28 (H-MED-490): a fraction with no count word ("morphine 20mg 1/2 qds", "1/2 bd") is part of a tablet
    # or a second number; it is asked about, never passed over as if one tablet were written
    for m in re.finditer(r"(?<![\w./#])([1-9])/([1-9])(?![\w./])", text):
        if taken(m) or not freqs:
            continue
        if int(m.group(1)) < int(m.group(2)) <= _MOST_PARTS_OF_A_TABLET:
            spans.append(m.span())
            problems.append(f"\"{m.group(0)}\" may be part of a tablet, and no number of tablets is written with it")
    # "mane and nocte": the joining word between two frequencies is part of the regimen
    for (_s1, end1, _t1, _w1), (start2, _e2, _t2, _w2) in zip(freqs, freqs[1:]):
        between = text[end1:start2]
        joins = [w for w in re.findall(r"\S+", between)]
        if joins and all(w in ("and", "&", "+", ",") for w in joins):
            spans.append((end1, start2))
    # rt27 H1: a word of hours left unread ("every six hours", "every hour", "hourly", "two hrly") is how
    # often the medicine is taken, never a form word to drop: the dose is then to check, not read as if
    # no frequency were written. A patch's rate ("25 micrograms/hour", "12 mcg per hour") is its strength.
    for m in re.finditer(r"\b(?:hours?|hrs?|hourly|hrly|horas?)\b", text):
        if taken(m) or re.search(r"(?:(?<!\bc)/|\bper\b|\ban\b)\s*(?:\d+\s*)?$", text[:m.start()]):  # not "c/ hora"
            continue
        # esread: with the word of "every" before it ("cada hora", "every hour"): "cada" is no form word, and left in
        # the name it made "paracetamol 1 g cada hora" not recognised, not asked about
        e = re.search(rf"(?<![\w/])(?:{every})$", text[:m.start()])
        start = e.start() if e is not None and not any(a < m.start() and e.start() < b for a, b in spans) else m.start()
        spans.append((start, m.end()))
        problems.append(f"\"{text[start:m.end()]}\" (how often it is taken) could not be read")
    # redteam29 (H-MED-556): "twice", "once", "3 times", "times 3" with no "a day" or "daily" read with them are how
    # often it is taken too (twice a day? twice only?): asked about, never dropped as form words so that the medicine
    # was recognised with no dose read or asked ("methotrexate 2.5mg twice"). "once weekly", "twice a week" give
    # no daily dose and are left, as "weekly" is. review29: "times" with no number ("2 tabs times a day", "x times
    # a day") asks too; it was dropped as a form word and "a day" read as once a day (800 mg for 2 x 400 mg tds?)
    for m in re.finditer(r"(?<![\w/])(?:(?:\d+|" + "|".join(re.escape(w) for w in reading.number_words)
                         + r")\s*times|once|twice|thrice|times\s*\d+|times)(?![\w/])", text):
        if taken(m) or re.match(r"\s*(?:(?:a|per|each|every)\s+)?(?:week|weekly|wk)\b", text[m.end():]):
            continue
        spans.append(m.span())
        problems.append(f"\"{m.group(0)}\" (how often it is taken) could not be read")
    if not spans:
        return text, None
    spans.sort()
    # esread2: the word joining a count to its strength ("de") is taken out of the name but is no regimen word
    words = " ".join(text[a:b].strip() for a, b in spans
                     if text[a:b].strip() and text[a:b].strip() not in reading.count_before_strength)
    rest = text
    for a, b in reversed(spans):
        rest = rest[:a] + " " + rest[b:]
    rest = " ".join(rest.split())
    times: float | None = None
    count: float | None = None
    values = [c for _w, c in counts]
    if any(c is None or c <= 0 for c in values):
        problems.append("its number of tablets is not a number")
    elif len(freqs) == 1:
        times = freqs[0][2]
        if len(set(values)) > 1:
            problems.append(f"it gives {len(values)} different numbers of tablets")
        elif len(values) > 1 and bare:
            # redteam29 (H-MED-557): a count and a bare number before one frequency ("2 tabs 2 a day": 2 tablets,
            # or 2 tablets twice a day?) were read as one count when equal, half the dose if twice a day was meant
            problems.append(f"it gives {len(values)} numbers of tablets (\"{bare[0]}\" beside a number of tablets)")
        elif len(values) > 1:
            # review29: two counts with one frequency are never one count: "1 cap morning, 1 cap at night" (the
            # morning not read) was 1 capsule once a day, half the dose meant; asked, as unequal counts are
            problems.append(f"it gives {len(values)} numbers of tablets")
        count = values[0] if values else None
        if patterns and values:
            # forms29 (H-MED-536): "2 tabs 1-0-1": 2 tablets at each time, or the pattern's tablets? Never a guess
            problems.append(f"\"{freqs[0][3]}\" gives the tablets at each time of the day, and a number of tablets is "
                            "written too")
        elif patterns:
            notes.append(f"\"{freqs[0][3]}\" is tablets at the times of a day ({_n(times)} tablets a day)")
        elif times < 1:
            notes.append(f"\"{freqs[0][3]}\" is one dose every 2 days, counted as half a dose a day against a "
                         "daily maximum")
    elif len(freqs) > 1:
        phrases = [w for _s, _e, _t, w in freqs]
        if not all(w in reading.times_of_day for w in phrases) or len(set(phrases)) < len(phrases):
            problems.append(f"it gives {len(freqs)} different frequencies ({', '.join(phrases)})")
        elif not counts:
            times = float(len(freqs))  # "mane nocte": once each, twice a day
        else:
            # each time of day needs its own count written before it: "2 tabs mane 1 tab nocte"
            starts = [s for s, _e, _t, _w in freqs]
            owned: list[list[float]] = [[] for _f in freqs]
            for where, c in counts:
                i = sum(1 for s in starts if s < where)  # the frequency it stands before
                if i >= len(freqs):
                    owned = []
                    break
                owned[i].append(c)
            if not owned or any(len(o) != 1 for o in owned):
                problems.append(f"its numbers of tablets ({', '.join(_n(c) for c in values)}) do not each stand "
                                f"before one of its times of day ({', '.join(phrases)})")
            else:
                times = sum(o[0] for o in owned)  # tablets a day, taken across the times of day
    if total_a_day and counts and not problems:
        # route27: "2 tabs 400mg/day": 400 mg a day in all, or 2 x 400? Never a guess
        problems.append(f"\"{total_a_day}\" is a total a day, and a number of tablets is written too")
    if problems:
        times, count = None, None
    days_a_week = max((d for d, _w in week), default=None)
    if len({d for d, _w in week}) > 1:
        week_unclear = [*week_unclear, " and ".join(f"\"{w}\"" for _d, w in week)]  # "weekly on mondays and thursdays"
    if either_way and needed and problems == [nxm_problem] and not counts and not week and not week_unclear:
        # dose36 (H-MED-733): "3 x 4 prn": taken as needed, at most N x M tablets a day either way; what is taken a day
        # is not known, so it is asked as any "as needed" regimen is ("2 tabs qds prn": "as needed (up to 8 tablets a
        # day)"), naming that most, never counted (it was asked only which of the readings was meant)
        a, b = either_way
        problems = [f"it is taken as needed (up to {_n(a * b)} tablets a day{' either way' if a != b else ''}), and "
                    f"{nxm_problem.split('; write the number')[0]}, so how much is taken a day is not known; write the "
                    "number of tablets before how often they are taken at most (e.g. \"2 tablets four times a day when "
                    "needed\")"]
    if either_way and (problems != [nxm_problem] or counts or needed or week or week_unclear):
        either_way = ()  # nxm: another count, frequency or question beside it: its daily dose is not known either way
    return rest, Regimen(words, count, unit_word, times, needed, "; ".join(problems), "; ".join(bare),
                         "; ".join(notes), days_a_week, " ".join(w for _d, w in week), "; ".join(week_unclear),
                         either_way, "; ".join(week_nxm))


def _week_frequencies(text: str, reading: NameReading, numword: str, every: str, spans: list[tuple[int, int]],
                      problems: list[str]) -> tuple[list[tuple[float, str]], list[str], list[str]]:
    """weekly (H-MED-605): how many days a week the name says ([name_reading] week_*): "twice weekly", "2 times a
    week", "dos veces por semana", "x2 a week" (2), "weekly", "una vez por semana", "every Monday" (1), "on Mondays and
    Thursdays" (2), "every 3 days" (7/3, and asked: less often than once a day), "fortnightly" (0.5); and the words
    that may mean twice a week or every two weeks ("biweekly"). Their spans are added to ``spans``, so they are no
    part of the name and never read as a count or a dose a day. Returns (days a week, words) found, the unclear
    words, and (nxread34) the questions of an "N x M" before a week word (also among the unclear words)."""
    week: list[tuple[float, str]] = []
    unclear: list[str] = []
    nxm: list[str] = []
    if not reading.week_words:
        return week, unclear, nxm

    def taken(m: re.Match) -> bool:
        return any(a < m.end() and m.start() < b for a, b in spans)

    for phrase in sorted((*reading.week_unclear, *reading.week_less_often), key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w/-])(?:{_phrases([phrase])})(?![\w/])", text):
            if not taken(m):
                spans.append(m.span())
                if phrase in reading.week_unclear:
                    unclear.append(f"\"{m.group(0)}\" may mean twice a week or every two weeks")
                else:
                    week.append((0.5, m.group(0)))
    if reading.week_day_units:
        for m in re.finditer(rf"(?<![\w/])(?:{every})({numword})\s*(?:{_phrases(reading.week_day_units)})(?![\w/])", text):
            if taken(m) or m.group(0) in reading.times_a_day:  # "cada 2 días" is read as every other day
                continue
            spans.append(m.span())
            n = _number(m.group(1), reading)
            if n is not None and n >= 2 and n.is_integer():
                week.append((7 / n, m.group(0)))
                problems.append(f"\"{m.group(0)}\" is less often than once a day, so it gives no daily dose")
            else:
                problems.append(f"\"{m.group(0)}\" (how often it is taken) could not be read")
    if reading.week_days:
        days = "|".join(re.escape(w) for w in sorted(reading.week_days, key=len, reverse=True))
        before = "|".join(re.escape(w) for w in sorted(reading.week_days_words_before, key=len, reverse=True)) or "(?!)"
        joins = "|".join(re.escape(w) for w in sorted(reading.week_days_joins, key=len, reverse=True)) or "(?!)"
        one = rf"(?:(?:{before})\s+)?(?:{days})"
        for m in re.finditer(rf"(?<![\w/])(?:{one})(?:\s*(?:{joins})\s*{one})*(?![\w/])", text):
            if taken(m):
                continue
            spans.append(m.span())
            written = {reading.week_days[d] for d in re.findall(rf"(?<![\w/])(?:{days})(?![\w/])", m.group(0))}
            week.append((float(len(written)), m.group(0)))
    wk = _phrases(reading.week_words)
    times = _phrases(reading.week_times_words)
    # typed35 (H-MED-719): "2 x week", "3 x 4 x wk", "3 x 4 x weekly": a word of week_times_words may stand between
    # the number (or "x N") and the week word, and week_words_after_times are week words only right after one
    after = _phrases(reading.week_words_after_times) if reading.week_words_after_times else "(?!)"
    onces = "|".join(re.escape(w) for w in sorted(reading.week_times, key=len, reverse=True)) or "(?!)"
    course = re.compile(rf"(?<![\w/])(?:{_phrases(reading.week_course_words)})\s*$") if reading.week_course_words else None
    # readers33 (H-MED-681): a week word that begins with a slash may follow the strength's unit with no space
    # ("methotrexate 15mg/week", "15mg/semana": once a week); before, the letter before the slash hid it, the name
    # was NOT RECOGNISED and the methotrexate interactions (NSAIDs) were lost. Only after a strength (a digit, "g" of
    # mg/mcg/g, "ml"): "od/week", "bd/week" are not read (a daily frequency then a week word is asked, mtx31)
    # dose36 (H-MED-731): the "x" of "x 4 x week" may follow the first number with no space ("3x4xweek", "3x4x wk"),
    # read as "3 x 4 x week"; before, the digit before it hid it and the name was NOT RECOGNISED
    for m in re.finditer(rf"(?:(?<![\w./#])(?:(?:(?P<n1>{numword})\s*(?P<t1>{times})|(?P<once>{onces}))\s*)?"
                         rf"|(?:(?<![\w./#])|(?<=\d))[x\u00d7]\s*(?P<n2>{numword})(?:\s*(?P<t2>{times}))?\s*"
                         rf"|(?:(?<=\d)|(?<=g)|(?<=ml))(?=/))"
                         rf"(?:{wk}|(?P<after>{after}))(?![\w/])", text):
        if taken(m) or (course is not None and course.search(text, 0, m.start())):
            continue  # "tds for a week": a course's length, left as before
        if m.group("after") and not (m.group("t1") or m.group("t2")):
            continue  # "week" alone ("for 1 week"): not a week word
        before = re.search(rf"(?<![\w./#])({numword})\s*$", text[:m.start()]) if m.group("n2") else None
        if before is not None:
            # mtx31 (H-MED-664): "2 x 3 weekly": 2 tablets 3 days a week, or 2 x 3 tablets once a week? Asked as such,
            # never only as "more than one day a week"
            spans.append((before.start(), m.end()))
            unclear.append(f"\"{text[before.start():m.end()]}\" may be {before.group(1)} tablets {m.group('n2')} days a week, "
                           f"or {before.group(1)} x {m.group('n2')} tablets on one day a week")
            a, b = _number(before.group(1), reading), _number(m.group("n2"), reading)
            total = f" ({_n(a * b)} tablets a week either way)" if a and b else ""
            nxm.append(f"{unclear[-1]}{total}: a number of tablets in a week, so no daily dose can be read from it")
            continue
        spans.append(m.span())
        number = m.group("n1") or m.group("n2")
        n = _number(number, reading) if number else reading.week_times.get(m.group("once") or "", 1.0)
        if n is not None and 1 <= n <= 7 and n.is_integer():
            week.append((n, m.group(0)))
        else:
            problems.append(f"\"{m.group(0)}\" is not a number of days a week")
    return week, unclear, nxm


def _n(x: float | None) -> str:
    return "?" if x is None else (str(int(x)) if float(x).is_integer() else str(x))


def strength_mg(text: str) -> tuple[float | None, str]:
    """The one strength of a single-ingredient product written in a spelled name with its
    regimen removed, in mg ("400mg", "500", "1g", "500 micrograms"), or why there is none:
    no number, more than one, or a liquid's concentration ("10mg/ml", whose mg a dose is not
    known without the volume)."""
    if re.search(rf"{_NUMBER}\s*(?:mg|mcg|microgram(?:os?|s)?|µg|ug|g)?\s*/\s*(?:{_NUMBER})?\s*ml\b", text):
        return None, "the name gives a liquid's concentration, not the mg of a dose"
    # redteam28 (H-MED-495): a number is read with no unit only when no unit follows it: "25 mcg/hr" (a patch's
    # rate) or "10 mcgs" is never the bare number 25 or 10 read as mg, as it was when the unit itself did not end
    # the match (the unit was then skipped and the number taken alone)
    found = re.findall(rf"(?<![\w.#/])({_NUMBER})(?:\s*(mg|mcg|microgram(?:os?|s)?|µg|ug|gram(?:os?|s)?|gr|g|ml|%|units?|iu)(?![\w./])|"
                       rf"(?![\w./])(?!\s*(?:mg|mcg|micro|µ|ug|g|ml|%|unit|iu)))", text)
    if not found:
        return None, NO_STRENGTH
    if len(found) > 1:
        return None, "the name gives more than one number (" + ", ".join(n + u for n, u in found) + ")"
    if re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", found[0][0]) and found[0][1]:
        # rt27 H2: "1.000 mg", "1.200mg": a dot between thousands (as Spanish and much of Europe write
        # 1000) or a decimal no tablet is sold at; read either way it would be 1000 times out
        n = found[0][0]
        return None, (f"the name's strength \"{n} {found[0][1]}\" may be {n.replace('.', '')} {found[0][1]} "
                      f"(a dot between thousands) or {float(n):g} {found[0][1]}")
    number, unit = float(found[0][0]), found[0][1]
    if unit == "gr":
        # esread2 (H-MED-584): "paracetamol 1 gr c/8h": "gr" is gramos as Spanish prescriptions abbreviate it, and the
        # apothecary grain (64.8 mg; "aspirin 5 gr") in old English notation: 15 times apart, so it is asked about
        n = found[0][0]
        return None, (f"the name's strength \"{n} gr\" may be grams ({_n(number * 1000)} mg, \"gr\" as Spanish writes "
                      "gramos) or grains (the apothecary grain, about 65 mg each)")
    # gptry29 (H-MED-551): the Spanish "gramo(s)", "microgramo(s)" ("paracetamol 1 gramo cada 8 horas"; a Spanish
    # leaflet's "no más de 3 gramos (3 comprimidos) en 24 horas") are grams and micrograms
    factor = {"": 1.0, "mg": 1.0, "g": 1000.0, "gram": 1000.0, "grams": 1000.0, "gramo": 1000.0, "gramos": 1000.0,
              "mcg": 0.001, "microgram": 0.001, "micrograms": 0.001, "microgramo": 0.001, "microgramos": 0.001,
              "µg": 0.001, "ug": 0.001}.get(unit)
    if factor is None:
        return None, f"the name's strength is in {unit}, not mg"
    return round(number * factor, 6), ""
