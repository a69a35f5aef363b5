"""AWS Lambda's monthly cost, from the prices in content/_facts/: requests and duration, and the
optional charges AWS's pricing page works examples for (provisioned concurrency, SnapStart,
response streaming, Lambda@Edge, tenant isolation, durable functions, provisioned event pollers,
Managed Instances).

Pure: never imports Django and never uses floats for money (Decimals throughout). Bad input raises
ValueError with a one-line message. A price the facts file does not hold (AWS's Arm rates for
provisioned concurrency, SnapStart, streaming and tenant isolation could not be read) is refused,
never guessed.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext

from cards.calculators.facts import Facts, UnknownFact, format_fact, format_number, load_facts
from cards.calculators.inputs import in_unit, plain, setting_in_range, to_decimal, whole_number

ARCHITECTURES = {"x86_64": "x86", "arm64": "arm"}

# How the function runs: on demand (the default), as Lambda@Edge behind CloudFront, or on EC2
# instances that Lambda manages (Lambda Managed Instances, which bill no duration).
COMPUTE_TYPES = ("on-demand", "edge", "managed-instances")
EVENT_POLLERS = ("kafka", "sqs")

# Over ten trillion invocations a month (about 3.8 million a second) is a typo, not a workload.
MAX_REQUESTS = 10**13
# The longest month: settings "enabled for N hours" cannot exceed it.
HOURS_IN_LONGEST_MONTH = 31 * 24
# Counts of environments, versions, instance-hours and the like beyond this are typos.
MAX_COUNT = 10**12

# The parts of a bill, in the order the result lists them; JSON names each as "<part>_usd".
PARTS = (
    "requests",
    "compute",
    "storage",
    "provisioned",
    "snapstart",
    "streaming",
    "tenant_isolation",
    "durable",
    "event_pollers",
    "instances",
)

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
    part: str = "compute"  # which of PARTS it adds to

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
    compute_usd: (
        Decimal  # all duration charges: on demand, with provisioned concurrency, at the edge
    )
    storage_usd: Decimal
    gb_seconds: Decimal  # on-demand compute used this month, before the free tier
    storage_gb_seconds: Decimal  # ephemeral storage above the free 512 MB
    billed_duration_ms: int  # the duration rounded up to the next whole ms
    free_tier_applied: dict  # {"requests": int, "gb_seconds": Decimal} deducted
    lines: list[CostLine] = field(default_factory=list)
    arch: str = "x86_64"
    compute_type: str = "on-demand"
    parts: dict = field(default_factory=dict)  # every one of PARTS -> exact USD
    extra_requests: int = 0  # billed for asynchronous events over 256 KB
    provisioned_gb_seconds: Decimal = Decimal(0)  # provisioned concurrency configured, as billed
    streamed_gb: Decimal = Decimal(0)  # streamed beyond the free 6 MB of each response
    free_streaming_gb: Decimal = Decimal(0)  # of which the free tier covered
    fact_keys: tuple = ()  # every fact the bill read, for citing its sources

    def part(self, name: str) -> Decimal:
        return self.parts.get(name, Decimal(0))

    def to_dict(self) -> dict:
        return {
            "total_usd": plain(self.total_usd),
            "total_exact_usd": plain(self.total_exact_usd),
            "requests_usd": plain(self.requests_usd),
            "compute_usd": plain(self.compute_usd),
            "storage_usd": plain(self.storage_usd),
            **{f"{name}_usd": plain(self.part(name)) for name in PARTS[3:]},
            "gb_seconds": plain(self.gb_seconds),
            "storage_gb_seconds": plain(self.storage_gb_seconds),
            "provisioned_gb_seconds": plain(self.provisioned_gb_seconds),
            "billed_duration_ms": self.billed_duration_ms,
            "extra_requests": self.extra_requests,
            "streamed_gb": plain(self.streamed_gb),
            "free_tier_applied": {
                "requests": self.free_tier_applied["requests"],
                "gb_seconds": plain(self.free_tier_applied["gb_seconds"]),
            },
            "free_streaming_gb": plain(self.free_streaming_gb),
            "arch": self.arch,
            "compute_type": self.compute_type,
            "lines": [line.to_dict() for line in self.lines],
        }


@dataclass
class _Usage:
    """The validated inputs, in the units the arithmetic uses."""

    requests: int
    billed_ms: int
    memory_mb: int
    gb: Decimal  # memory in GB (1 GB = 1,024 MB, as on AWS's pages)
    family: str
    arch: str
    ephemeral_mb: int
    free_tier: bool
    compute: str
    async_event_kb: Decimal
    provisioned_concurrency: int
    provisioned_seconds: int  # billed, rounded up to the granularity
    provisioned_requests: int
    provisioned_billed_ms: int
    snapstart_versions: int
    snapstart_seconds: Decimal  # per version, at least the minimum
    snapstart_restores: int
    streamed_requests: int
    streamed_mb: Decimal
    streaming_free_tier: bool
    tenant_environments: int
    durable_operations: int
    durable_written_gb: Decimal
    durable_retained_gb_months: Decimal
    event_poller_hours: Decimal
    event_poller: str
    instance_hours: Decimal
    instance_hourly_usd: Decimal
    instance_on_demand_hourly_usd: Decimal


def monthly_cost(
    *,
    requests: int,
    duration_ms: Decimal,
    memory_mb: int,
    arch: str = "x86_64",
    ephemeral_mb: int = 512,
    free_tier: bool = True,
    compute: str = "on-demand",
    async_event_kb=0,
    provisioned_concurrency=0,
    provisioned_hours=0,
    provisioned_requests=0,
    provisioned_duration_ms=None,
    snapstart_versions=0,
    snapstart_hours=0,
    snapstart_restores=0,
    streamed_requests=0,
    streamed_mb=0,
    streaming_free_tier: bool | None = None,
    tenant_environments=0,
    durable_operations=0,
    durable_written_gb=0,
    durable_retained_gb_months=0,
    event_poller_hours=0,
    event_poller: str = "kafka",
    instance_hours=0,
    instance_hourly_usd=None,
    instance_on_demand_hourly_usd=None,
    facts: Facts | None = None,
) -> PricingResult:
    """The cost of one function for a month: requests, tiered duration, ephemeral storage, and
    whichever optional charges the arguments switch on (all off by default).

    Duration is billed per invocation, rounded up to the next whole ms. Duration tiers count the
    month's total on-demand GB-seconds; the free tier covers the first (dearest) GB-seconds of
    tier 1.

    AWS grants one free tier per account, shared by x86 and Arm functions in aggregate. This
    calculator prices one function, so it gives that function the whole allowance, once; pass
    free_tier=False when other functions in the account already use it up.

    Provisioned concurrency: `provisioned_concurrency` environments for `provisioned_hours`
    (billed up to the next 5 minutes), serving `provisioned_requests` of the month's requests at
    `provisioned_duration_ms` (default: duration_ms). The pricing page says the free tier "does
    not apply to functions enabling Provisioned Concurrency", yet its own example deducts the free
    requests from all of them and the free GB-seconds from the on-demand duration; this follows
    the example, and never frees the provisioned charges themselves.

    An asynchronous event over 256 KB counts as one more request per further 64 KB; AWS gives no
    worked example, so a part of 64 KB counting as a whole one is this calculator's reading of
    "1 additional request for each 64 KB of chunk".
    """
    facts = _Recording(facts if facts is not None else load_facts())
    usage = _usage(
        facts,
        requests=requests,
        duration_ms=duration_ms,
        memory_mb=memory_mb,
        arch=arch,
        ephemeral_mb=ephemeral_mb,
        free_tier=free_tier,
        compute=compute,
        async_event_kb=async_event_kb,
        provisioned_concurrency=provisioned_concurrency,
        provisioned_hours=provisioned_hours,
        provisioned_requests=provisioned_requests,
        provisioned_duration_ms=provisioned_duration_ms,
        snapstart_versions=snapstart_versions,
        snapstart_hours=snapstart_hours,
        snapstart_restores=snapstart_restores,
        streamed_requests=streamed_requests,
        streamed_mb=streamed_mb,
        streaming_free_tier=streaming_free_tier,
        tenant_environments=tenant_environments,
        durable_operations=durable_operations,
        durable_written_gb=durable_written_gb,
        durable_retained_gb_months=durable_retained_gb_months,
        event_poller_hours=event_poller_hours,
        event_poller=event_poller,
        instance_hours=instance_hours,
        instance_hourly_usd=instance_hourly_usd,
        instance_on_demand_hourly_usd=instance_on_demand_hourly_usd,
    )
    with localcontext() as context:
        context.prec = 60  # enough for ten trillion requests x 900,000 ms without rounding
        return _bill(usage, facts)


class _Recording:
    """The facts, noting each one the bill reads, so a page can cite exactly its sources."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.keys: list[str] = []

    def get(self, key: str):
        fact = self.facts.get(key)
        if key not in self.keys:
            self.keys.append(key)
        return fact

    def __contains__(self, key: object) -> bool:
        return key in self.facts


def _bill(usage: _Usage, facts: _Recording) -> PricingResult:
    lines: list[CostLine] = []
    extra_requests = _async_extra_requests(usage, facts)
    free_requests = 0
    gb_seconds = free_gb_seconds = Decimal(0)
    provisioned_gb_seconds = Decimal(0)
    storage_gb_seconds = Decimal(0)
    streamed = (Decimal(0), Decimal(0))

    if usage.compute == "edge":
        gb_seconds = _edge(lines, usage, facts)
    else:
        free_requests = _requests(lines, usage, extra_requests, facts)
        if usage.compute == "on-demand":
            gb_seconds, free_gb_seconds = _on_demand_duration(lines, usage, facts)
            provisioned_gb_seconds = _provisioned(lines, usage, facts)
            storage_gb_seconds = _ephemeral_storage(lines, usage, facts)
            _snapstart(lines, usage, facts)
            _tenant_isolation(lines, usage, facts)
        else:
            _managed_instances(lines, usage, facts)
        streamed = _streaming(lines, usage, facts)
        _durable(lines, usage, facts)
        _event_pollers(lines, usage, facts)

    parts = {
        name: sum((line.amount for line in lines if line.part == name), Decimal(0))
        for name in PARTS
    }
    total = sum(parts.values(), Decimal(0))
    return PricingResult(
        total_usd=total.quantize(CENT, rounding=ROUND_HALF_UP),
        total_exact_usd=total,
        requests_usd=parts["requests"],
        compute_usd=parts["compute"],
        storage_usd=parts["storage"],
        gb_seconds=gb_seconds,
        storage_gb_seconds=storage_gb_seconds,
        billed_duration_ms=usage.billed_ms,
        free_tier_applied={"requests": free_requests, "gb_seconds": Decimal(free_gb_seconds)},
        lines=lines,
        arch=usage.arch,
        compute_type=usage.compute,
        parts=parts,
        extra_requests=extra_requests,
        provisioned_gb_seconds=provisioned_gb_seconds,
        streamed_gb=streamed[0],
        free_streaming_gb=streamed[1],
        fact_keys=tuple(facts.keys),
    )


# --- Inputs ----------------------------------------------------------------------------------


def _usage(facts: Facts, **given) -> _Usage:
    family = _architecture(given["arch"])
    compute = given["compute"]
    if compute not in COMPUTE_TYPES:
        raise ValueError(f"compute must be one of {', '.join(COMPUTE_TYPES)}, not {compute!r}")
    requests = whole_number("requests", given["requests"], minimum=0, maximum=MAX_REQUESTS)
    billed_ms = _billed_ms("duration_ms", given["duration_ms"], facts)
    memory_mb = setting_in_range("memory_mb", given["memory_mb"], facts, "memory.min", "memory.max")
    ephemeral_mb = setting_in_range(
        "ephemeral_mb", given["ephemeral_mb"], facts, "tmp.min", "tmp.max"
    )

    def count(name: str, maximum: int = MAX_COUNT) -> int:
        return whole_number(name, given[name], minimum=0, maximum=maximum)

    def amount(name: str) -> Decimal:
        value = to_decimal(name, given[name])
        if value < 0:
            raise ValueError(f"{name} must be 0 or more, not {format_number(value)}")
        return value

    def hours(name: str) -> Decimal:
        value = amount(name)
        if value > HOURS_IN_LONGEST_MONTH:
            raise ValueError(
                f"{name} must be at most {HOURS_IN_LONGEST_MONTH} (31 days), not "
                f"{format_number(value)}"
            )
        return value

    async_kb = amount("async_event_kb")
    async_max_kb = in_unit(facts.get("payload.async.max"), "KB") if async_kb else 0
    if async_kb > async_max_kb:
        raise ValueError(
            f"async_event_kb must be at most {format_number(async_max_kb)} (the asynchronous "
            f"payload limit of {format_fact(facts.get('payload.async.max'))}), not "
            f"{format_number(async_kb)}"
        )

    concurrency = count("provisioned_concurrency")
    pc_hours = hours("provisioned_hours")
    pc_requests = count("provisioned_requests", maximum=MAX_REQUESTS)
    if concurrency and not pc_hours:
        raise ValueError(
            "provisioned_hours must be more than 0 when provisioned_concurrency is set"
        )
    if not concurrency and (pc_hours or pc_requests):
        raise ValueError(
            "provisioned_concurrency must be set for provisioned_hours or provisioned_requests"
        )
    if pc_requests > requests:
        raise ValueError(
            f"provisioned_requests ({pc_requests:,}) cannot be more than requests ({requests:,})"
        )
    pc_duration = given["provisioned_duration_ms"]
    pc_billed_ms = (
        billed_ms
        if pc_duration in (None, "")
        else _billed_ms("provisioned_duration_ms", pc_duration, facts)
    )
    pc_seconds = 0
    if concurrency:
        step = in_unit(facts.get("price.provisioned.granularity"), "seconds")
        pc_seconds = int(math.ceil(pc_hours * 3600 / step) * step)

    versions = count("snapstart_versions")
    snap_hours = hours("snapstart_hours")
    restores = count("snapstart_restores", maximum=MAX_REQUESTS)
    if versions and not snap_hours:
        raise ValueError("snapstart_hours must be more than 0 when snapstart_versions is set")
    if not versions and (snap_hours or restores):
        raise ValueError("snapstart_versions must be set for snapstart_hours or snapstart_restores")
    if versions and concurrency:
        raise ValueError("SnapStart does not support provisioned concurrency: set only one of them")
    snap_seconds = Decimal(0)
    if versions:
        minimum = in_unit(facts.get("price.snapstart.min_cache"), "seconds")
        snap_seconds = max(snap_hours * 3600, minimum)

    streamed_requests = count("streamed_requests", maximum=MAX_REQUESTS)
    if streamed_requests > requests:
        raise ValueError(
            f"streamed_requests ({streamed_requests:,}) cannot be more than requests ({requests:,})"
        )
    streamed_mb = amount("streamed_mb")
    streamed_max = in_unit(facts.get("payload.streamed.max"), "MB") if streamed_mb else 0
    if streamed_mb > streamed_max:
        raise ValueError(
            f"streamed_mb must be at most {format_number(streamed_max)} (the streamed response "
            f"limit), not {format_number(streamed_mb)}"
        )

    poller = given["event_poller"]
    if poller not in EVENT_POLLERS:
        raise ValueError(f"event_poller must be one of {', '.join(EVENT_POLLERS)}, not {poller!r}")

    instance_hours = amount("instance_hours")
    on_demand_hourly = given["instance_on_demand_hourly_usd"]
    on_demand_hourly = (
        Decimal(0) if on_demand_hourly in (None, "") else amount("instance_on_demand_hourly_usd")
    )
    hourly = given["instance_hourly_usd"]
    hourly = on_demand_hourly if hourly in (None, "") else amount("instance_hourly_usd")

    usage = _Usage(
        requests=requests,
        billed_ms=billed_ms,
        memory_mb=memory_mb,
        gb=Decimal(memory_mb) / MB_PER_GB,
        family=family,
        arch=given["arch"],
        ephemeral_mb=ephemeral_mb,
        free_tier=bool(given["free_tier"]) and compute != "edge",
        compute=compute,
        async_event_kb=async_kb,
        provisioned_concurrency=concurrency,
        provisioned_seconds=pc_seconds,
        provisioned_requests=pc_requests,
        provisioned_billed_ms=pc_billed_ms,
        snapstart_versions=versions,
        snapstart_seconds=snap_seconds,
        snapstart_restores=restores,
        streamed_requests=streamed_requests,
        streamed_mb=streamed_mb,
        streaming_free_tier=(
            given["free_tier"]
            if given["streaming_free_tier"] is None
            else given["streaming_free_tier"]
        ),
        tenant_environments=count("tenant_environments"),
        durable_operations=count("durable_operations"),
        durable_written_gb=amount("durable_written_gb"),
        durable_retained_gb_months=amount("durable_retained_gb_months"),
        event_poller_hours=amount("event_poller_hours"),
        event_poller=poller,
        instance_hours=instance_hours,
        instance_hourly_usd=hourly,
        instance_on_demand_hourly_usd=on_demand_hourly,
    )
    _check_compute_type(usage)
    return usage


def _billed_ms(name: str, value, facts: Facts) -> int:
    duration = to_decimal(name, value)
    timeout_ms = in_unit(facts.get("timeout.max"), "ms")
    if duration <= 0:
        raise ValueError(f"{name} must be more than 0, not {value}")
    if duration > timeout_ms:
        raise ValueError(
            f"{name}={format_number(duration)} is longer than Lambda's maximum timeout "
            f"of {format_fact(facts.get('timeout.max'))}"
        )
    return int(duration.to_integral_value(rounding=ROUND_CEILING))


# Inputs each compute type does not price here, with how the error names them.
_ON_DEMAND_ONLY = {
    "provisioned_concurrency": "provisioned concurrency",
    "snapstart_versions": "SnapStart",
    "tenant_environments": "tenant isolation",
}
_NOT_AT_THE_EDGE = {
    **_ON_DEMAND_ONLY,
    "async_event_kb": "asynchronous event size",
    "streamed_requests": "response streaming",
    "durable_operations": "durable functions",
    "durable_written_gb": "durable functions",
    "durable_retained_gb_months": "durable functions",
    "event_poller_hours": "event pollers",
    "instance_hours": "Managed Instances",
}


def _check_compute_type(usage: _Usage) -> None:
    if usage.compute == "on-demand" and usage.instance_hours:
        raise ValueError("instance_hours needs compute=managed-instances")
    if usage.compute == "managed-instances":
        _refuse(usage, _ON_DEMAND_ONLY, "for Lambda Managed Instances")
        if usage.instance_hours and not usage.instance_on_demand_hourly_usd:
            raise ValueError(
                "instance_on_demand_hourly_usd is needed: the management fee is a share of the "
                "EC2 on-demand price"
            )
    if usage.compute == "edge":
        _refuse(usage, _NOT_AT_THE_EDGE, "for Lambda@Edge")
    if usage.compute != "on-demand" and usage.ephemeral_mb != 512:
        where = {"edge": "Lambda@Edge", "managed-instances": "Lambda Managed Instances"}
        raise ValueError(
            f"ephemeral_mb: this calculator prices no ephemeral storage for {where[usage.compute]}"
        )


def _refuse(usage: _Usage, names: dict, where: str) -> None:
    for name, feature in names.items():
        if getattr(usage, name):
            raise ValueError(f"{name}: this calculator prices no {feature} {where}")


def _architecture(arch: str) -> str:
    if not isinstance(arch, str) or arch not in ARCHITECTURES:
        raise ValueError(f"arch must be one of {', '.join(ARCHITECTURES)}, not {arch!r}")
    return ARCHITECTURES[arch]


def _price(facts: Facts, key: str, what: str, usage: _Usage) -> Decimal:
    """A price from the facts file; for a missing Arm rate, a refusal that says why."""
    try:
        return facts.get(key).value
    except UnknownFact:
        raise ValueError(
            f"arch=arm64: no Arm price for {what} in the facts file (AWS's pricing page draws "
            f"it in the browser and none of its examples uses it, so it could not be checked); "
            f"this calculator prices {what} for x86_64 only"
        ) from None


# --- The charges -------------------------------------------------------------------------------


def _requests(lines: list[CostLine], usage: _Usage, extra: int, facts: Facts) -> int:
    """Requests (with the extra ones for large asynchronous events) less the free tier."""
    total = usage.requests + extra
    free = min(total, int(facts.get("free.requests").value)) if usage.free_tier else 0
    price = facts.get("price.requests.per_million").value / MILLION
    if free:
        lines.append(
            CostLine("Requests, free tier", Decimal(free), "requests", ZERO, ZERO, "requests")
        )
    billable = Decimal(max(usage.requests - free, 0))
    lines.append(CostLine("Requests", billable, "requests", price, billable * price, "requests"))
    if extra:
        billable_extra = Decimal(min(extra, total - free))
        included = format_fact(facts.get("price.async.included"))
        chunk = format_fact(facts.get("price.async.chunk"))
        lines.append(
            CostLine(
                f"Requests for asynchronous events over {included}, one per {chunk} more",
                billable_extra,
                "requests",
                price,
                billable_extra * price,
                "requests",
            )
        )
    return free


def _async_extra_requests(usage: _Usage, facts: Facts) -> int:
    if not usage.async_event_kb:
        return 0
    included = in_unit(facts.get("price.async.included"), "KB")
    chunk = in_unit(facts.get("price.async.chunk"), "KB")
    over = usage.async_event_kb - included
    if over <= 0:
        return 0
    return usage.requests * int(math.ceil(over / chunk))


def _on_demand_duration(lines: list[CostLine], usage: _Usage, facts: Facts):
    on_demand = usage.requests - usage.provisioned_requests
    gb_seconds = Decimal(on_demand) * usage.billed_ms / 1000 * usage.gb
    free = min(gb_seconds, facts.get("free.gb_seconds").value) if usage.free_tier else ZERO
    if free:
        lines.append(CostLine("Compute, free tier", free, "GB-seconds", ZERO, ZERO))
    for label, start, end, rate in _duration_tiers(facts, usage.family, usage.arch):
        # Billable GB-seconds are [free, gb_seconds); each tier covers [start, end).
        low = max(start, free)
        high = gb_seconds if end is None else min(end, gb_seconds)
        if high > low:
            lines.append(CostLine(label, high - low, "GB-seconds", rate, (high - low) * rate))
    return gb_seconds, free


def _provisioned(lines: list[CostLine], usage: _Usage, facts: Facts) -> Decimal:
    if not usage.provisioned_concurrency:
        return ZERO
    what = "provisioned concurrency"
    capacity_price = _price(facts, f"price.provisioned.{usage.family}.gb_second", what, usage)
    duration_price = _price(facts, f"price.provisioned.{usage.family}.duration", what, usage)
    configured = usage.provisioned_concurrency * usage.gb * usage.provisioned_seconds
    hours = format_number(Decimal(usage.provisioned_seconds) / 3600)
    lines.append(
        CostLine(
            f"Provisioned concurrency ({usage.arch}), {usage.provisioned_concurrency:,} x "
            f"{usage.memory_mb:,} MB for {hours} h",
            configured,
            "GB-seconds",
            capacity_price,
            configured * capacity_price,
            "provisioned",
        )
    )
    if usage.provisioned_requests:
        used = Decimal(usage.provisioned_requests) * usage.provisioned_billed_ms / 1000 * usage.gb
        lines.append(
            CostLine(
                f"Compute with provisioned concurrency ({usage.arch})",
                used,
                "GB-seconds",
                duration_price,
                used * duration_price,
            )
        )
    return configured


def _ephemeral_storage(lines: list[CostLine], usage: _Usage, facts: Facts) -> Decimal:
    included_mb = facts.get("price.ephemeral.included").value
    seconds = (
        Decimal(usage.requests - usage.provisioned_requests) * usage.billed_ms
        + Decimal(usage.provisioned_requests) * usage.provisioned_billed_ms
    ) / 1000
    storage_gb_seconds = seconds * (usage.ephemeral_mb - included_mb) / MB_PER_GB
    if storage_gb_seconds > 0:
        price = facts.get("price.ephemeral.gb_second").value
        lines.append(
            CostLine(
                f"Ephemeral storage above {format_number(included_mb)} MB",
                storage_gb_seconds,
                "GB-seconds",
                price,
                storage_gb_seconds * price,
                "storage",
            )
        )
    return storage_gb_seconds


def _snapstart(lines: list[CostLine], usage: _Usage, facts: Facts) -> None:
    if not usage.snapstart_versions:
        return
    cache_price = _price(facts, f"price.snapstart.{usage.family}.cache", "SnapStart", usage)
    restore_price = _price(facts, f"price.snapstart.{usage.family}.restore", "SnapStart", usage)
    cached = usage.snapstart_versions * usage.gb * usage.snapstart_seconds
    lines.append(
        CostLine(
            f"SnapStart cache ({usage.arch}), {usage.snapstart_versions:,} version(s), at least "
            f"{format_fact(facts.get('price.snapstart.min_cache'))} each",
            cached,
            "GB-seconds",
            cache_price,
            cached * cache_price,
            "snapstart",
        )
    )
    if usage.snapstart_restores:
        restored = usage.snapstart_restores * usage.gb
        lines.append(
            CostLine(
                f"SnapStart restores ({usage.arch}), {usage.snapstart_restores:,}",
                restored,
                "GB",
                restore_price,
                restored * restore_price,
                "snapstart",
            )
        )


def _streaming(lines: list[CostLine], usage: _Usage, facts: Facts) -> tuple[Decimal, Decimal]:
    """Bytes streamed beyond the free part of each response; the monthly free tier is taken off
    those (the page does not say whether the free first 6 MB also use it up)."""
    if not (usage.streamed_requests and usage.streamed_mb):
        return ZERO, ZERO
    free_mb = in_unit(facts.get("price.streaming.free_per_response"), "MB")
    over_mb = max(usage.streamed_mb - free_mb, ZERO)
    streamed_gb = usage.streamed_requests * over_mb / MB_PER_GB
    if not streamed_gb:
        return ZERO, ZERO
    price = _price(facts, f"price.streaming.{usage.family}.gb", "response streaming", usage)
    free_gb = in_unit(facts.get("free.streaming"), "GB")
    free = min(streamed_gb, free_gb) if usage.streaming_free_tier else ZERO
    label = f"Response streaming beyond {format_number(free_mb)} MB a response"
    if free:
        lines.append(CostLine(f"{label}, free tier", free, "GB", ZERO, ZERO, "streaming"))
    billable = streamed_gb - free
    lines.append(CostLine(label, billable, "GB", price, billable * price, "streaming"))
    return streamed_gb, free


def _tenant_isolation(lines: list[CostLine], usage: _Usage, facts: Facts) -> None:
    if not usage.tenant_environments:
        return
    price = _price(facts, f"price.tenant.{usage.family}.environment_gb", "tenant isolation", usage)
    quantity = usage.tenant_environments * usage.gb
    lines.append(
        CostLine(
            f"Tenant isolation, {usage.tenant_environments:,} new execution environments",
            quantity,
            "environment-GB",
            price,
            quantity * price,
            "tenant_isolation",
        )
    )


def _durable(lines: list[CostLine], usage: _Usage, facts: Facts) -> None:
    charges = [
        ("Durable operations", Decimal(usage.durable_operations), "operations", "operations"),
        ("Durable data written", usage.durable_written_gb, "GB", "written"),
        ("Durable data retained", usage.durable_retained_gb_months, "GB-months", "retained"),
    ]
    for label, quantity, unit, name in charges:
        if quantity:
            price = facts.get(f"price.durable.{name}").value
            if name == "operations":
                price /= MILLION  # the fact is per million operations
            lines.append(CostLine(label, quantity, unit, price, quantity * price, "durable"))


def _event_pollers(lines: list[CostLine], usage: _Usage, facts: Facts) -> None:
    if not usage.event_poller_hours:
        return
    price = facts.get(f"price.esm.epu.{usage.event_poller}").value
    name = {"kafka": "Kafka", "sqs": "Amazon SQS"}[usage.event_poller]
    lines.append(
        CostLine(
            f"Provisioned event pollers ({name})",
            usage.event_poller_hours,
            "EPU-hours",
            price,
            usage.event_poller_hours * price,
            "event_pollers",
        )
    )


def _managed_instances(lines: list[CostLine], usage: _Usage, facts: Facts) -> None:
    """EC2 instance charges at the price paid, and the fee on the on-demand price; no duration."""
    if not usage.instance_hours:
        return
    fee = facts.get("price.managed_instances.fee").value / 100
    lines.append(
        CostLine(
            "EC2 instances for Managed Instances",
            usage.instance_hours,
            "instance-hours",
            usage.instance_hourly_usd,
            usage.instance_hours * usage.instance_hourly_usd,
            "instances",
        )
    )
    fee_per_hour = usage.instance_on_demand_hourly_usd * fee
    lines.append(
        CostLine(
            f"Managed Instances management fee, {format_number(fee * 100)}% of the on-demand price",
            usage.instance_hours,
            "instance-hours",
            fee_per_hour,
            usage.instance_hours * fee_per_hour,
            "instances",
        )
    )


def _edge(lines: list[CostLine], usage: _Usage, facts: Facts) -> Decimal:
    """Lambda@Edge: its own request and compute prices, per 128 MB-second, no free tier."""
    request_price = facts.get("price.edge.requests").value / MILLION
    requests = Decimal(usage.requests)
    lines.append(
        CostLine(
            "Lambda@Edge requests",
            requests,
            "requests",
            request_price,
            requests * request_price,
            "requests",
        )
    )
    seconds = requests * usage.billed_ms / 1000
    units = seconds * usage.memory_mb / 128
    price = facts.get("price.edge.mb128_second").value
    lines.append(CostLine("Lambda@Edge compute", units, "128 MB-seconds", price, units * price))
    return seconds * usage.gb


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
