"""AWS Lambda's monthly cost, from the prices in content/_facts/.

Pure: never imports Django and never uses floats for money (Decimals throughout). Bad input raises
ValueError with a one-line message.
"""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext

from cards.calculators.facts import Facts, format_fact, format_number, load_facts
from cards.calculators.inputs import in_unit, plain, setting_in_range, to_decimal, whole_number

ARCHITECTURES = {"x86_64": "x86", "arm64": "arm"}

# Over ten trillion invocations a month (about 3.8 million a second) is a typo, not a workload.
MAX_REQUESTS = 10**13

CENT = Decimal("0.01")
ZERO = Decimal(0)
MB_PER_GB = Decimal(1024)
MILLION = Decimal(1_000_000)


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
            "quantity": plain(self.quantity),
            "unit": self.unit,
            "unit_price": plain(self.unit_price),
            "amount": plain(self.amount),
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
            "total_usd": plain(self.total_usd),
            "total_exact_usd": plain(self.total_exact_usd),
            "requests_usd": plain(self.requests_usd),
            "compute_usd": plain(self.compute_usd),
            "storage_usd": plain(self.storage_usd),
            "gb_seconds": plain(self.gb_seconds),
            "storage_gb_seconds": plain(self.storage_gb_seconds),
            "billed_duration_ms": self.billed_duration_ms,
            "free_tier_applied": {
                "requests": self.free_tier_applied["requests"],
                "gb_seconds": plain(self.free_tier_applied["gb_seconds"]),
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
    requests = whole_number("requests", requests, minimum=0, maximum=MAX_REQUESTS)
    duration = to_decimal("duration_ms", duration_ms)
    timeout_ms = in_unit(facts.get("timeout.max"), "ms")
    if duration <= 0:
        raise ValueError(f"duration_ms must be more than 0, not {duration_ms}")
    if duration > timeout_ms:
        raise ValueError(
            f"duration_ms={format_number(duration)} is longer than Lambda's maximum timeout "
            f"of {format_fact(facts.get('timeout.max'))}"
        )
    memory_mb = setting_in_range("memory_mb", memory_mb, facts, "memory.min", "memory.max")
    ephemeral_mb = setting_in_range("ephemeral_mb", ephemeral_mb, facts, "tmp.min", "tmp.max")

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
