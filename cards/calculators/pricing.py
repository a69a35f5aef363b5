"""AWS Lambda monthly cost and limits checks, from the figures in content/_facts/.

Pure: never imports Django and never uses floats for money (Decimals throughout). Bad input raises
ValueError with a one-line message; a setting over a Lambda limit is a result, not an error.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from cards.calculators.facts import Fact, Facts, format_fact, format_number, load_facts

ARCHITECTURES = {"x86_64": "x86", "arm64": "arm"}

# Over ten trillion invocations a month (about 3.8 million a second) is a typo, not a workload.
MAX_REQUESTS = 10**13

CENT = Decimal("0.01")
ZERO = Decimal(0)
MB_PER_GB = Decimal(1024)
MILLION = Decimal(1_000_000)

# As AWS's Lambda pages use them: 1 KB = 1,024 bytes, 1 MB = 1,024 KB, 1 GB = 1,024 MB.
BYTES_PER = {"bytes": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}

# A value over this many times its limit is treated as a unit mistake (ms for s, bytes for KB).
IMPLAUSIBLE_FACTOR = 1000


# --- Pricing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostLine:
    """One row of the bill: quantity x unit_price = amount (USD, exact)."""

    label: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "quantity": _plain(self.quantity),
            "unit": self.unit,
            "unit_price": _plain(self.unit_price),
            "amount": _plain(self.amount),
        }


@dataclass(frozen=True)
class PricingResult:
    total_usd: Decimal  # rounded to cents (ROUND_HALF_UP), for display
    total_exact_usd: Decimal
    requests_usd: Decimal  # the parts are exact; round only what you show
    compute_usd: Decimal
    storage_usd: Decimal
    gb_seconds: Decimal  # compute used this month, before the free tier
    storage_gb_seconds: Decimal  # ephemeral storage above the free 512 MB
    billed_duration_ms: int  # the duration rounded up to the next whole ms
    free_tier_applied: dict  # {"requests": int, "gb_seconds": Decimal} deducted
    lines: list[CostLine] = field(default_factory=list)
    arch: str = "x86_64"

    def to_dict(self) -> dict:
        return {
            "total_usd": _plain(self.total_usd),
            "total_exact_usd": _plain(self.total_exact_usd),
            "requests_usd": _plain(self.requests_usd),
            "compute_usd": _plain(self.compute_usd),
            "storage_usd": _plain(self.storage_usd),
            "gb_seconds": _plain(self.gb_seconds),
            "storage_gb_seconds": _plain(self.storage_gb_seconds),
            "billed_duration_ms": self.billed_duration_ms,
            "free_tier_applied": {
                "requests": self.free_tier_applied["requests"],
                "gb_seconds": _plain(self.free_tier_applied["gb_seconds"]),
            },
            "arch": self.arch,
            "lines": [line.to_dict() for line in self.lines],
        }


def monthly_cost(
    *,
    requests: int,
    duration_ms: Decimal,
    memory_mb: int,
    arch: str = "x86_64",
    ephemeral_mb: int = 512,
    free_tier: bool = True,
    facts: Facts | None = None,
) -> PricingResult:
    """On-demand cost of one function for a month: requests, tiered duration, ephemeral storage.

    Duration is billed per invocation, rounded up to the next whole ms. Duration tiers count the
    month's total GB-seconds; the free tier covers the first (dearest) GB-seconds of tier 1.

    AWS grants one free tier per account, shared by x86 and Arm functions in aggregate. This
    calculator prices one function, so it gives that function the whole allowance, once; pass
    free_tier=False when other functions in the account already use it up.
    """
    facts = facts if facts is not None else load_facts()
    family = _architecture(arch)
    requests = _whole_number("requests", requests, minimum=0, maximum=MAX_REQUESTS)
    duration = _number("duration_ms", duration_ms)
    timeout_ms = _in_unit(facts.get("timeout.max"), "ms")
    if duration <= 0:
        raise ValueError(f"duration_ms must be more than 0, not {duration_ms}")
    if duration > timeout_ms:
        raise ValueError(
            f"duration_ms={format_number(duration)} is longer than Lambda's maximum timeout "
            f"of {format_fact(facts.get('timeout.max'))}"
        )
    memory_mb = _setting_in_range("memory_mb", memory_mb, facts, "memory.min", "memory.max")
    ephemeral_mb = _setting_in_range("ephemeral_mb", ephemeral_mb, facts, "tmp.min", "tmp.max")

    with localcontext() as context:
        context.prec = 60  # enough for ten trillion requests x 900,000 ms without rounding
        billed_ms = int(duration.to_integral_value(rounding=ROUND_CEILING))
        seconds = Decimal(requests) * billed_ms / 1000
        gb_seconds = seconds * memory_mb / MB_PER_GB

        lines: list[CostLine] = []
        free_requests = min(requests, int(facts.get("free.requests").value)) if free_tier else 0
        free_gb_seconds = min(gb_seconds, facts.get("free.gb_seconds").value) if free_tier else 0

        request_price = facts.get("price.requests.per_million").value / MILLION
        if free_requests:
            lines.append(
                CostLine("Requests, free tier", Decimal(free_requests), "requests", ZERO, ZERO)
            )
        billable_requests = Decimal(requests - free_requests)
        requests_usd = billable_requests * request_price
        lines.append(
            CostLine("Requests", billable_requests, "requests", request_price, requests_usd)
        )

        if free_gb_seconds:
            lines.append(CostLine("Compute, free tier", free_gb_seconds, "GB-seconds", ZERO, ZERO))
        compute_usd = Decimal(0)
        for label, start, end, rate in _duration_tiers(facts, family, arch):
            # Billable GB-seconds are [free_gb_seconds, gb_seconds); each tier covers [start, end).
            low = max(start, free_gb_seconds)
            high = gb_seconds if end is None else min(end, gb_seconds)
            if high > low:
                amount = (high - low) * rate
                compute_usd += amount
                lines.append(CostLine(label, high - low, "GB-seconds", rate, amount))

        included_mb = facts.get("price.ephemeral.included").value
        storage_gb_seconds = seconds * (ephemeral_mb - included_mb) / MB_PER_GB
        storage_usd = Decimal(0)
        if storage_gb_seconds > 0:
            storage_price = facts.get("price.ephemeral.gb_second").value
            storage_usd = storage_gb_seconds * storage_price
            lines.append(
                CostLine(
                    f"Ephemeral storage above {format_number(included_mb)} MB",
                    storage_gb_seconds,
                    "GB-seconds",
                    storage_price,
                    storage_usd,
                )
            )

        total = requests_usd + compute_usd + storage_usd
    return PricingResult(
        total_usd=total.quantize(CENT, rounding=ROUND_HALF_UP),
        total_exact_usd=total,
        requests_usd=requests_usd,
        compute_usd=compute_usd,
        storage_usd=storage_usd,
        gb_seconds=gb_seconds,
        storage_gb_seconds=storage_gb_seconds,
        billed_duration_ms=billed_ms,
        free_tier_applied={"requests": free_requests, "gb_seconds": Decimal(free_gb_seconds)},
        lines=lines,
        arch=arch,
    )


def _architecture(arch: str) -> str:
    if not isinstance(arch, str) or arch not in ARCHITECTURES:
        raise ValueError(f"arch must be one of {', '.join(ARCHITECTURES)}, not {arch!r}")
    return ARCHITECTURES[arch]


def _duration_tiers(facts: Facts, family: str, arch: str):
    """(label, start, end or None, rate) for each duration tier of one architecture."""
    first = facts.get(f"price.{family}.tier1.up_to").value
    second = facts.get(f"price.{family}.tier2.up_to").value
    rates = [facts.get(f"price.{family}.gb_second.tier{n}").value for n in (1, 2, 3)]
    return [
        (f"Compute ({arch}), first {_billions(first)} GB-seconds", Decimal(0), first, rates[0]),
        (
            f"Compute ({arch}), next {_billions(second - first)} GB-seconds",
            first,
            second,
            rates[1],
        ),
        (f"Compute ({arch}), over {_billions(second)} GB-seconds", second, None, rates[2]),
    ]


def _billions(value: Decimal) -> str:
    return f"{format_number(value / 1_000_000_000)} billion"


# --- Limits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LimitFinding:
    """A setting over (or under) a Lambda limit, or close to one."""

    field: str  # the input it is about, e.g. "memory_mb"
    name: str  # the fact key of the limit, e.g. "memory.max"
    label: str
    value: Decimal
    unit: str  # the unit of value, maximum and minimum
    maximum: Decimal | None
    minimum: Decimal | None
    adjustable: bool
    source: str
    hint: str
    message: str

    def to_dict(self) -> dict:
        return {
            "field": self.field,
            "name": self.name,
            "label": self.label,
            "value": _plain(self.value),
            "unit": self.unit,
            "maximum": None if self.maximum is None else _plain(self.maximum),
            "minimum": None if self.minimum is None else _plain(self.minimum),
            "adjustable": self.adjustable,
            "source": self.source,
            "hint": self.hint,
            "message": self.message,
        }


@dataclass(frozen=True)
class LimitsResult:
    ok: bool
    violations: list[LimitFinding]
    warnings: list[LimitFinding]  # within 10% of a maximum, still allowed
    checked: list[str]  # the inputs that were given and checked

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "violations": [finding.to_dict() for finding in self.violations],
            "warnings": [finding.to_dict() for finding in self.warnings],
            "checked": list(self.checked),
        }


@dataclass(frozen=True)
class _Limit:
    field: str
    what: str  # how the message names the setting
    unit: str  # unit of the input
    maximum: str  # fact key
    minimum: str | None = None  # fact key
    whole: bool = False  # set in whole units (memory and /tmp in 1 MB steps, layers)
    step: str = ""  # how the whole-unit rule is said, e.g. "1 MB steps"
    positive: bool = False  # zero is not a setting at all, only a mistake


_MB_STEPS = {"whole": True, "step": "1 MB steps", "positive": True}

_LIMITS = (
    _Limit("memory_mb", "Memory", "MB", "memory.max", "memory.min", **_MB_STEPS),
    _Limit("timeout_s", "Timeout", "seconds", "timeout.max", positive=True),
    _Limit("env_bytes", "Environment variables", "bytes", "env_vars.max"),
    _Limit("zip_mb", "Zipped deployment package", "MB", "package.zip.max"),
    _Limit("unzipped_mb", "Unzipped deployment package", "MB", "package.unzipped.max"),
    _Limit("layers", "Layer count", "layers", "layers.max", whole=True, step="whole layers"),
    _Limit("tmp_mb", "/tmp storage", "MB", "tmp.max", "tmp.min", **_MB_STEPS),
    _Limit("sync_payload_kb", "Synchronous payload", "KB", "payload.sync.max"),
)

WARNING_SHARE = Decimal("0.9")


def check_limits(
    *,
    memory_mb=None,
    timeout_s=None,
    env_bytes=None,
    zip_mb=None,
    unzipped_mb=None,
    layers=None,
    tmp_mb=None,
    sync_payload_kb=None,
    facts: Facts | None = None,
) -> LimitsResult:
    """Check a function's settings against Lambda's limits; None means "not given".

    Exactly at a maximum is allowed; one past it is a violation. Memory and /tmp go in 1 MB
    steps between their minimum and maximum. Values within 10% of a maximum are warnings.
    """
    facts = facts if facts is not None else load_facts()
    given = {
        "memory_mb": memory_mb,
        "timeout_s": timeout_s,
        "env_bytes": env_bytes,
        "zip_mb": zip_mb,
        "unzipped_mb": unzipped_mb,
        "layers": layers,
        "tmp_mb": tmp_mb,
        "sync_payload_kb": sync_payload_kb,
    }
    violations: list[LimitFinding] = []
    warnings: list[LimitFinding] = []
    checked: list[str] = []
    for limit in _LIMITS:
        raw = given[limit.field]
        if raw is None:
            continue
        checked.append(limit.field)
        value = _number(limit.field, raw)
        found, warning = _check_one(limit, value, facts)
        violations += found
        if warning:
            warnings.append(warning)
    return LimitsResult(
        ok=not violations, violations=violations, warnings=warnings, checked=checked
    )


def _check_one(limit: _Limit, value: Decimal, facts: Facts):
    top = facts.get(limit.maximum)
    maximum = _in_unit(top, limit.unit)
    if value < 0 or (limit.positive and value == 0):
        must = "more than 0" if limit.positive else "0 or more"
        raise ValueError(f"{limit.field} must be {must}, not {format_number(value)}")
    if value > maximum * IMPLAUSIBLE_FACTOR:
        raise ValueError(
            f"{limit.field}={format_number(value)} is over {IMPLAUSIBLE_FACTOR:,} times Lambda's "
            f"limit of {format_fact(top)}; check the unit"
        )
    shown = f"{limit.what} {format_number(value)}"
    if limit.unit != "layers":
        shown += f" {limit.unit}"
    found: list[LimitFinding] = []
    if value > maximum:
        found.append(
            _finding(
                limit,
                value,
                top,
                maximum=maximum,
                hint=_hint(limit.field, top, facts),
                message=f"{shown} is over the maximum of {_limit_text(top, maximum, limit.unit)}",
            )
        )
    if limit.minimum is not None:
        bottom = facts.get(limit.minimum)
        minimum = _in_unit(bottom, limit.unit)
        if value < minimum:
            found.append(
                _finding(
                    limit,
                    value,
                    bottom,
                    minimum=minimum,
                    hint=f"set at least {format_fact(bottom)}",
                    message=f"{shown} is under the minimum of {format_fact(bottom)}",
                )
            )
    if limit.whole and value != value.to_integral_value():
        step_key = limit.maximum.rsplit(".", 1)[0] + ".step"
        found.append(
            _finding(
                limit,
                value,
                facts.get(step_key) if step_key in facts else top,
                hint=f"use a whole number ({limit.step})",
                message=f"{shown} is not a whole number; it is set in {limit.step}",
            )
        )
    warning = None
    if not found and value >= maximum * WARNING_SHARE:
        warning = _finding(
            limit,
            value,
            top,
            maximum=maximum,
            hint=_hint(limit.field, top, facts),
            message=f"{shown} is within 10% of the maximum of "
            f"{_limit_text(top, maximum, limit.unit)}",
        )
    return found, warning


def _finding(limit, value, fact: Fact, *, hint: str, message: str, maximum=None, minimum=None):
    return LimitFinding(
        field=limit.field,
        name=fact.key,
        label=fact.label,
        value=value,
        unit=limit.unit,
        maximum=maximum,
        minimum=minimum,
        adjustable=fact.adjustable,
        source=fact.source,
        hint=hint,
        message=message,
    )


def _limit_text(fact: Fact, converted: Decimal, unit: str) -> str:
    """ "6 MB (6,144 KB)" when the input unit differs from the fact's, else "900 seconds"."""
    stated = format_fact(fact)
    if fact.unit == unit:
        return stated
    return f"{stated} ({format_number(converted)} {unit})"


def _hint(field: str, fact: Fact, facts: Facts) -> str:
    if fact.adjustable:
        return "request a quota increase in Service Quotas"
    image = format_fact(facts.get("image.max"))
    unzipped = format_fact(facts.get("package.unzipped.max"))
    return {
        "memory_mb": "split the work across invocations, or run it on Fargate or EC2",
        "timeout_s": "split the work into shorter steps and chain them with Step Functions",
        "env_bytes": "keep large values in SSM Parameter Store or Secrets Manager",
        "zip_mb": f"upload the .zip through Amazon S3 (up to {unzipped} unzipped) "
        f"or use a container image (up to {image})",
        "unzipped_mb": f"use a container image (up to {image})",
        "layers": f"merge layers, or use a container image (up to {image})",
        "tmp_mb": "mount Amazon EFS or stream the data to and from Amazon S3",
        "sync_payload_kb": "put the data in Amazon S3 and pass its key in the payload",
    }[field]


# --- Shared ----------------------------------------------------------------------------------


def _in_unit(fact: Fact, unit: str) -> Decimal:
    """A fact's value in another unit: 6 MB in KB is 6,144; 900 seconds in ms is 900,000."""
    if fact.unit == unit:
        return fact.value
    if fact.unit in BYTES_PER and unit in BYTES_PER:
        return fact.value * BYTES_PER[fact.unit] / BYTES_PER[unit]
    if (fact.unit, unit) == ("seconds", "ms"):
        return fact.value * 1000
    raise ValueError(f"cannot convert {fact.key} from {fact.unit} to {unit}")


def _number(name: str, value) -> Decimal:
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
    return number


def _whole_number(name: str, value, *, minimum: int, maximum: int) -> int:
    number = _number(name, value)
    if number != number.to_integral_value():
        raise ValueError(f"{name} must be a whole number, not {format_number(number)}")
    if not minimum <= number <= maximum:
        raise ValueError(
            f"{name} must be between {minimum:,} and {maximum:,}, not {format_number(number)}"
        )
    return int(number)


def _setting_in_range(name: str, value, facts: Facts, low_key: str, high_key: str) -> int:
    low, high = facts.get(low_key), facts.get(high_key)
    number = _number(name, value)
    if number != number.to_integral_value() or not low.value <= number <= high.value:
        raise ValueError(
            f"{name} must be a whole number of MB from {format_fact(low)} to {format_fact(high)}, "
            f"not {format_number(number)}"
        )
    return int(number)


def _plain(value: Decimal | int) -> str:
    """A Decimal as JSON-safe text without exponent or trailing zeros: "2.733338", "100"."""
    return format_number(Decimal(value)).replace(",", "")
