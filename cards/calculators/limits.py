"""Whether a Lambda function's settings fit Lambda's limits, from content/_facts/.

Pure: never imports Django. Bad input raises ValueError with a one-line message; a setting over a
limit is a result, not an error.
"""

from dataclasses import dataclass
from decimal import Decimal

from cards.calculators.facts import Fact, Facts, format_fact, format_number, load_facts
from cards.calculators.inputs import in_unit, plain, to_decimal

# A value over this many times its limit is treated as a unit mistake (ms for s, bytes for KB).
IMPLAUSIBLE_FACTOR = 1000

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
            "value": plain(self.value),
            "unit": self.unit,
            "maximum": None if self.maximum is None else plain(self.maximum),
            "minimum": None if self.minimum is None else plain(self.minimum),
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
        value = to_decimal(limit.field, raw)
        found, warning = _check_one(limit, value, facts)
        violations += found
        if warning:
            warnings.append(warning)
    return LimitsResult(
        ok=not violations, violations=violations, warnings=warnings, checked=checked
    )


def _check_one(limit: _Limit, value: Decimal, facts: Facts):
    top = facts.get(limit.maximum)
    maximum = in_unit(top, limit.unit)
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
        minimum = in_unit(bottom, limit.unit)
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
