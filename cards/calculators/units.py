"""Quantities with units ("15 min", "10,240 MB", "$0.20") for typed answers and quiz distractors.

Pure: never imports Django, never uses floats for amounts (Decimals only), never raises on odd text.

Conversions: time to seconds; data to bytes with binary prefixes (1 KB = 1024 B, 1 MB = 1024 KB),
because AWS states Lambda memory and storage that way ("10,240 MB (10 GB)"); money to USD (cents
allowed); Lambda compute to GB-seconds; counts to units (1k = 1,000, 1M = 1,000,000); percent
stays percent. Months and years are not converted (their length is ambiguous): "6 months" is a
count of months.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

TIME = "time"
DATA = "data"
MONEY = "money"
COUNT = "count"
PERCENT = "percent"
COMPUTE = "compute"

_KIB = Decimal(1024)
_NONE = ("", "", Decimal(0))

# spelling (lower case) -> (unit symbol, dimension, size in the dimension's base unit)
_UNITS: dict[str, tuple[str, str, Decimal]] = {}


def _add(symbol: str, dimension: str, size, *spellings: str) -> None:
    for spelling in (symbol, *spellings):
        _UNITS[spelling.lower()] = (symbol, dimension, Decimal(size))


_add("ns", TIME, "0.000000001", "nanosecond", "nanoseconds")
_add("µs", TIME, "0.000001", "us", "μs", "microsecond", "microseconds")
_add("ms", TIME, "0.001", "msec", "msecs", "millisecond", "milliseconds")
_add("s", TIME, 1, "sec", "secs", "second", "seconds")
_add("min", TIME, 60, "mins", "minute", "minutes")
_add("h", TIME, 3600, "hr", "hrs", "hour", "hours")
_add("d", TIME, 86400, "day", "days")
_add("week", TIME, 7 * 86400, "w", "wk", "wks", "weeks")
_add("B", DATA, 1, "byte", "bytes")
_add("KB", DATA, _KIB, "kib", "kilobyte", "kilobytes")
_add("MB", DATA, _KIB**2, "mib", "megabyte", "megabytes")
_add("GB", DATA, _KIB**3, "gib", "gigabyte", "gigabytes")
_add("TB", DATA, _KIB**4, "tib", "terabyte", "terabytes")
_add("USD", MONEY, 1, "$", "us$", "dollar", "dollars")
_add("cents", MONEY, "0.01", "cent", "¢")
_add("%", PERCENT, 1, "percent", "pct", "per cent")
_add("GB-s", COMPUTE, 1, "gb-sec", "gb-second", "gb-seconds", "gbs", "gb-secs")
_add("MB-s", COMPUTE, 1 / _KIB, "mb-sec", "mb-second", "mb-seconds", "mb-secs")

# Count multipliers. "M" (million) and "m" (minute) differ only by case, so both are matched
# case-sensitively before the case-insensitive unit table.
_MULTIPLIERS = {
    "k": Decimal(1000),
    "K": Decimal(1000),
    "thousand": Decimal(1000),
    "M": Decimal(10**6),
    "mn": Decimal(10**6),
    "million": Decimal(10**6),
    "bn": Decimal(10**9),
    "billion": Decimal(10**9),
}

_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+"
_QUANTITY = re.compile(
    rf"(?P<pre>\$|us\$|usd)?\s*(?P<number>{_NUMBER})\s*(?P<unit>[^\d\s].*?)?",
    re.IGNORECASE,
)
_PART = re.compile(rf"\s*({_NUMBER})\s*([a-zµμ]+)", re.IGNORECASE)
# Words after a number that are no unit name what is counted: "5 layers", "1,000 executions".
_NOUN = re.compile(r"[a-z][a-z\-]*(?: [a-z][a-z\-]*){0,2}")


@dataclass(frozen=True)
class Quantity:
    """A number as written with its unit symbol ("" for a bare number) and its dimension."""

    value: Decimal
    unit: str
    dimension: str

    def __post_init__(self):
        if self.dimension != COUNT and _UNITS.get(self.unit.lower(), _NONE)[1] != self.dimension:
            raise ValueError(f"{self.unit!r} is not a unit of {self.dimension}.")

    @property
    def base(self) -> Decimal:
        """The amount in the dimension's base unit: seconds, bytes, USD, GB-s, units, percent."""
        if self.dimension == COUNT:
            return self.value
        return self.value * _UNITS[self.unit.lower()][2]


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))  # _NUMBER only lets valid decimals through


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    text = re.sub(r"[*_=`]{1,2}", "", text)  # emphasis and highlight marks copied from notes
    return re.sub(r"\s+", " ", text).strip().rstrip(".;").strip()


def _singular(noun: str) -> str:
    return " ".join(
        word[:-1] if word.endswith("s") and len(word) > 2 else word
        for word in noun.casefold().split()
    )


@lru_cache(maxsize=1 << 14)
def parse_quantity(text: str) -> Quantity | None:
    """A Quantity from "15 min", "900 seconds", "10,240 MB", "$0.20", "1k", "50%", "1h 30min";
    None when the text is not a number with an optional unit this module knows. Kept for the
    texts seen lately: a deck's tables repeat the same few figures in every note."""
    text = _clean(text)
    match = _QUANTITY.fullmatch(text)
    if match is None:
        return None
    value = _number(match["number"])
    unit = (match["unit"] or "").strip()
    if match["pre"]:
        return Quantity(value, "USD", MONEY) if unit.lower() in ("", "usd") else None
    if unit == "":
        return Quantity(value, "", COUNT)
    word, _, noun = unit.partition(" ")
    if word in _MULTIPLIERS:
        value *= _MULTIPLIERS[word]
        known = _UNITS.get(noun.lower())
        if known:
            return Quantity(value, known[0], known[1])
        if noun and not _NOUN.fullmatch(noun.lower()):
            return None
        return Quantity(value, noun, COUNT)
    if unit == "m":
        return Quantity(value, "min", TIME)
    known = _UNITS.get(unit.lower())
    if known:
        return Quantity(value, known[0], known[1])
    compound = _compound_time(text)
    if compound:
        return compound
    if _NOUN.fullmatch(unit.lower()):
        return Quantity(value, unit, COUNT)
    return None


def _compound_time(text: str) -> Quantity | None:
    """ "1h 30min" or "2 min 30 s": a sum of time parts, expressed in the smallest unit used."""
    parts = []
    position = 0
    while position < len(text):
        match = _PART.match(text, position)
        if match is None:
            return None
        symbol, dimension, size = _UNITS.get("min" if match[2] == "m" else match[2].lower(), _NONE)
        if dimension != TIME:
            return None
        parts.append((_number(match[1]), symbol, size))
        position = match.end()
    if len(parts) < 2:
        return None
    seconds = sum(value * size for value, _, size in parts)
    _, smallest, size = min(parts, key=lambda part: part[2])
    return Quantity(seconds / size, smallest, TIME)


def _as_quantity(item: "str | Quantity") -> Quantity | None:
    return item if isinstance(item, Quantity) else parse_quantity(item)


def _close(a: Decimal, b: Decimal, rel_tol: Decimal) -> bool:
    return abs(a - b) <= rel_tol * max(abs(a), abs(b))


def equivalent(a: "str | Quantity", b: "str | Quantity", *, rel_tol=Decimal("0.001")) -> bool:
    """True when both are the same amount: "15 min" == "900 s", "10 GB" == "10,240 MB".

    A bare number equals any quantity with that number as written ("15" == "15 min",
    "5" == "5 layers", but "15" != "900 s"), because a typed answer often leaves out the unit the
    question asked for. Counts of different things ("5 layers", "5 functions") and different
    dimensions are never equal; text that is not a quantity equals nothing.
    """
    qa, qb = _as_quantity(a), _as_quantity(b)
    if qa is None or qb is None:
        return False
    if qa.dimension == COUNT and qa.unit == "":
        return _close(qa.value, qb.value, rel_tol)
    if qb.dimension == COUNT and qb.unit == "":
        return equivalent(qb, qa, rel_tol=rel_tol)
    if qa.dimension != qb.dimension:
        return False
    if qa.dimension == COUNT and _singular(qa.unit) != _singular(qb.unit):
        return False
    return _close(qa.base, qb.base, rel_tol)


def _normalised_text(text: str) -> str:
    text = _clean(text).casefold().replace(",", "")
    return re.sub(r"\s+", " ", text).strip(" .;:!'\"")


def check_typed_answer(typed: str, expected: str) -> bool:
    """Lenient about case, spaces, commas and units; exact text when the answer is no quantity."""
    if not typed.strip():
        return False
    if parse_quantity(expected) is not None and parse_quantity(typed) is not None:
        return equivalent(typed, expected)
    return _normalised_text(typed) == _normalised_text(expected)


def _digits(value: Decimal) -> str:
    value = value.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return f"{value:,f}"


def format_quantity(q: Quantity) -> str:
    """ "15 min", "10,240 MB", "$0.20", "1,000", "50%", "5 layers"."""
    if q.unit == "USD":
        value = q.value
        if value == value.quantize(Decimal("0.01")):
            value = value.quantize(Decimal("0.01"))
        sign = "-" if value < 0 else ""
        return f"{sign}${abs(value):,f}"
    if q.unit == "%":
        return f"{_digits(q.value)}%"
    if q.unit == "":
        return _digits(q.value)
    return f"{_digits(q.value)} {q.unit}"
