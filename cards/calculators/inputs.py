"""Numbers as people type them into a calculator, and facts in other units: Decimals, ranges,
and one-line errors naming the setting.

Pure: never imports Django and never uses floats for money.
"""

import math
from decimal import Decimal, InvalidOperation

from cards.calculators.facts import Fact, Facts, format_fact, format_number

# As AWS's Lambda pages use them: 1 KB = 1,024 bytes, 1 MB = 1,024 KB, 1 GB = 1,024 MB.
BYTES_PER = {"bytes": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
MS_PER = {"ms": 1, "seconds": 1000, "minutes": 60_000, "hours": 3_600_000}


# --- Shared ----------------------------------------------------------------------------------


def in_unit(fact: Fact, unit: str) -> Decimal:
    """A fact's value in another unit: 6 MB in KB is 6,144; 5 minutes in seconds is 300."""
    if fact.unit == unit:
        return fact.value
    if fact.unit in BYTES_PER and unit in BYTES_PER:
        return fact.value * BYTES_PER[fact.unit] / BYTES_PER[unit]
    if fact.unit in MS_PER and unit in MS_PER:
        return fact.value * MS_PER[fact.unit] / MS_PER[unit]
    raise ValueError(f"cannot convert {fact.key} from {fact.unit} to {unit}")


# No Lambda figure needs more digits than this; written out, 1e999999 would be a megabyte.
MAX_EXPONENT = 24


def to_decimal(name: str, value) -> Decimal:
    """Any finite number (int, Decimal, float or numeric text) as a Decimal."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, not {value!r}")
    try:
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, not {value!r}")
            number = Decimal(str(value))
        else:
            number = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError):
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    if number and not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise ValueError(f"{name} must be between 1e-{MAX_EXPONENT} and 1e{MAX_EXPONENT}")
    return number


def whole_number(name: str, value, *, minimum: int, maximum: int) -> int:
    number = to_decimal(name, value)
    if number != number.to_integral_value():
        raise ValueError(f"{name} must be a whole number, not {format_number(number)}")
    if not minimum <= number <= maximum:
        raise ValueError(
            f"{name} must be between {minimum:,} and {maximum:,}, not {format_number(number)}"
        )
    return int(number)


def setting_in_range(name: str, value, facts: Facts, low_key: str, high_key: str) -> int:
    low, high = facts.get(low_key), facts.get(high_key)
    number = to_decimal(name, value)
    if number != number.to_integral_value() or not low.value <= number <= high.value:
        raise ValueError(
            f"{name} must be a whole number of MB from {format_fact(low)} to {format_fact(high)}, "
            f"not {format_number(number)}"
        )
    return int(number)


def plain(value: Decimal | int) -> str:
    """A Decimal as JSON-safe text without exponent or trailing zeros: "2.733338", "100"."""
    return format_number(Decimal(value)).replace(",", "")
