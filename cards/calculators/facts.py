"""Read the facts files (content/_facts/*.toml): prices and limits with their source and date.

Pure: never imports Django. Values are Decimals, never floats; a malformed file raises FactsError
naming the file and the fact, rather than yielding a guess.
"""

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "content" / "_facts"

FIELDS = ("label", "value", "unit", "adjustable", "source", "checked")

FACT_REF = re.compile(r"\{\{\s*fact:\s*([A-Za-z0-9_.\-]+)\s*\}\}")


class FactsError(ValueError):
    """A facts file is missing, unreadable or has a fact that is not well formed."""


class UnknownFact(KeyError):
    """A fact key that no facts file defines."""

    def __str__(self) -> str:
        # KeyError's own str() wraps the message in quotes.
        return str(self.args[0])


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: Decimal
    unit: str
    adjustable: bool
    source: str
    checked: date


@dataclass(frozen=True)
class Facts:
    by_key: dict[str, Fact]

    def get(self, key: str) -> Fact:
        try:
            return self.by_key[key]
        except KeyError:
            raise UnknownFact(f"no fact named {key!r} in the facts files") from None

    def __contains__(self, key: object) -> bool:
        return key in self.by_key

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.by_key.values())

    def __len__(self) -> int:
        return len(self.by_key)


def load_facts(path: Path | None = None) -> Facts:
    """All facts from a .toml file or a folder of them (default: content/_facts/).

    Cached until one of the files changes, so editing a facts file needs no restart.
    """
    files = _toml_files(Path(path) if path is not None else DEFAULT_PATH)
    stats = [(file, file.stat()) for file in files]
    return _load(tuple((str(file), stat.st_mtime_ns, stat.st_size) for file, stat in stats))


# Data files beside the facts that are not facts: how notes state them (content/factcheck.py)
# and the runtimes' lifecycle dates (content/runtimes.py).
NOT_FACTS = (".claims.toml", ".runtimes.toml")


def _toml_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(f for f in path.glob("*.toml") if not f.name.endswith(NOT_FACTS))
        if not files:
            raise FactsError(f"{path}: no .toml facts files in this folder")
        return files
    if path.is_file():
        return [path]
    raise FactsError(f"{path}: no such facts file or folder")


@lru_cache(maxsize=8)
def _load(signature: tuple[tuple[str, int, int], ...]) -> Facts:
    by_key: dict[str, Fact] = {}
    seen_in: dict[str, str] = {}
    for name, _mtime, _size in signature:
        try:
            data = tomllib.loads(Path(name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise FactsError(f"{name}: {exc}") from exc
        for key, table in _fact_tables(data, name):
            if key in by_key:
                raise FactsError(f"{name}: fact {key!r} is already defined in {seen_in[key]}")
            by_key[key] = _fact(key, table, name)
            seen_in[key] = name
    return Facts(by_key)


def _fact_tables(data: dict, name: str, prefix: str = "") -> Iterator[tuple[str, dict]]:
    """Walk nested TOML tables; a table with a `value` is a fact named by its dotted path."""
    for part, item in data.items():
        key = f"{prefix}{part}"
        if not isinstance(item, dict):
            raise FactsError(f"{name}: {key!r} is not a table of label, value, unit, ...")
        if "value" in item:
            yield key, item
        else:
            yield from _fact_tables(item, name, prefix=f"{key}.")


def _fact(key: str, table: dict, name: str) -> Fact:
    where = f"{name}: fact {key!r}"
    # Unknown fields first: a misspelt field is also a missing one, and this says which.
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        raise FactsError(f"{where} has unknown fields {', '.join(unknown)}")
    missing = [field for field in FIELDS if field not in table]
    if missing:
        raise FactsError(f"{where} lacks {', '.join(missing)}")
    label, unit, source = table["label"], table["unit"], table["source"]
    for field, text in (("label", label), ("unit", unit), ("source", source)):
        if not isinstance(text, str) or not text.strip():
            raise FactsError(f"{where}: {field} must be non-empty text")
    if not source.startswith(("https://", "http://")):
        raise FactsError(f"{where}: source must be the URL of the page the figure came from")
    if not isinstance(table["adjustable"], bool):
        raise FactsError(f"{where}: adjustable must be true or false")
    checked = table["checked"]
    if isinstance(checked, datetime) or not isinstance(checked, date):
        raise FactsError(f"{where}: checked must be a date such as 2026-11-23")
    return Fact(
        key=key,
        label=label.strip(),
        value=_decimal(table["value"], where),
        unit=unit.strip(),
        adjustable=table["adjustable"],
        source=source.strip(),
        checked=checked,
    )


def _decimal(value: object, where: str) -> Decimal:
    # Floats are refused: 0.0000166667 as a TOML float is not exactly that number.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FactsError(f'{where}: value must be an integer or a decimal in quotes, e.g. "0.20"')
    try:
        number = Decimal(
            value.replace("_", "").replace(",", "") if isinstance(value, str) else value
        )
    except InvalidOperation:
        raise FactsError(f"{where}: value {value!r} is not a number") from None
    if not number.is_finite():
        raise FactsError(f"{where}: value {value!r} is not a finite number")
    return number


def format_number(value: Decimal) -> str:
    """10240 -> "10,240"; 0.0000166667 -> "0.0000166667"; never scientific notation."""
    return f"{_trimmed(value):,f}"


def format_usd(value: Decimal) -> str:
    """$ with at least two decimals and every significant digit: "$0.20", "$0.0000000309"."""
    number = _trimmed(value)
    if -number.as_tuple().exponent < 2:
        number = number.quantize(Decimal("0.01"))
    sign = "-" if number < 0 else ""
    return f"{sign}${abs(number):,f}"


def _trimmed(value: Decimal) -> Decimal:
    # normalize() alone turns 100 into 1E+2; quantizing to 1 brings integers back to plain form
    # (with the precision a number of more digits than the default 28 needs).
    number = value.normalize()
    if number != number.to_integral_value():
        return number
    return number.quantize(Decimal(1), context=Context(prec=max(28, number.adjusted() + 1)))


def rounded(value) -> Decimal:
    """A calculated figure as it is shown: three decimals at most, half up."""
    return Decimal(value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_amount(value, unit: str) -> str:
    """A calculated figure with its unit: "10,240 MB", "5" (layers are counted, not measured)."""
    number = format_number(rounded(value))
    return number if unit == "layers" else f"{number} {unit}"


def format_fact(fact: Fact) -> str:
    """A fact as a person would say it: "900 seconds", "10,240 MB", "$0.20 per 1M requests"."""
    if fact.unit.startswith("USD"):
        rest = fact.unit.removeprefix("USD").strip()
        return f"{format_usd(fact.value)} {rest}".rstrip()
    return f"{format_number(fact.value)} {fact.unit}"


def resolve_fact_refs(text: str, *, facts: Facts | None = None) -> tuple[str, list[str]]:
    """Replace each {{fact:key}} with the formatted fact.

    Returns the new text and the unknown keys (each once, in order of appearance); an unknown
    reference is left in the text as written, so the reader sees it instead of a silent gap.
    """
    facts = facts if facts is not None else load_facts()
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        key = match.group(1)
        if key in facts:
            return format_fact(facts.get(key))
        if key not in unknown:
            unknown.append(key)
        return match.group(0)

    return FACT_REF.sub(replace, text), unknown
