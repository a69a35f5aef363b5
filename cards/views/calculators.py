"""Lambda pricing and limits calculators: their pages, and the live copies embedded in notes."""

import html as htmllib
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from cards.calculators.facts import (
    Facts,
    cents,
    format_amount,
    format_fact,
    format_number,
    format_usd,
    load_facts,
    rounded,
)
from cards.calculators.limits import check_limits
from cards.calculators.pricing import MAX_REQUESTS, PARTS, monthly_cost
from cards.views.htmx import page_or_partial, wants_partial

PRICING_DEFAULTS = {
    "requests": "3000000",
    "duration_ms": "120",
    "memory_mb": "1536",
    "arch": "arm64",
    "ephemeral_mb": "512",
    "free_tier": "yes",
}

# The optional charges, off unless the URL or the note's block sets them; grouped on the form.
PRICING_OPTIONS = {
    "compute": "on-demand",
    "async_event_kb": "0",
    "provisioned_concurrency": "0",
    "provisioned_hours": "0",
    "provisioned_requests": "0",
    "provisioned_duration_ms": "",
    "snapstart_versions": "0",
    "snapstart_hours": "0",
    "snapstart_restores": "0",
    "streamed_requests": "0",
    "streamed_mb": "0",
    "streaming_free_tier": "",
    "tenant_environments": "0",
    "durable_operations": "0",
    "durable_written_gb": "0",
    "durable_retained_gb_months": "0",
    "event_poller_hours": "0",
    "event_poller": "kafka",
    "instance_hours": "0",
    "instance_hourly_usd": "",
    "instance_on_demand_hourly_usd": "",
}

PRICING_GROUPS = [
    ("How it runs", ["compute", "async_event_kb"]),
    (
        "Provisioned concurrency (x86_64 prices)",
        [
            "provisioned_concurrency",
            "provisioned_hours",
            "provisioned_requests",
            "provisioned_duration_ms",
        ],
    ),
    (
        "SnapStart for Python and .NET (x86_64 prices)",
        ["snapstart_versions", "snapstart_hours", "snapstart_restores"],
    ),
    (
        "Response streaming (x86_64 prices)",
        ["streamed_requests", "streamed_mb", "streaming_free_tier"],
    ),
    (
        "Tenant isolation and durable functions",
        [
            "tenant_environments",
            "durable_operations",
            "durable_written_gb",
            "durable_retained_gb_months",
        ],
    ),
    ("Provisioned event pollers", ["event_poller_hours", "event_poller"]),
    (
        "Lambda Managed Instances",
        ["instance_hours", "instance_hourly_usd", "instance_on_demand_hourly_usd"],
    ),
]

LIMITS_DEFAULTS = {
    "memory_mb": "1536",
    "timeout_s": "30",
    "env_bytes": "2048",
    "zip_mb": "20",
    "unzipped_mb": "120",
    "layers": "2",
    "tmp_mb": "512",
    "sync_payload_kb": "256",
}

# The limit each setting is compared with, for the table of every setting checked.
LIMIT_FACTS = {
    "memory_mb": ("memory.max", "MB"),
    "timeout_s": ("timeout.max", "seconds"),
    "env_bytes": ("env_vars.max", "bytes"),
    "zip_mb": ("package.zip.max", "MB"),
    "unzipped_mb": ("package.unzipped.max", "MB"),
    "layers": ("layers.max", "layers"),
    "tmp_mb": ("tmp.max", "MB"),
    "sync_payload_kb": ("payload.sync.max", "KB"),
}

BYTES_PER = {"bytes": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}

# Each htmx request names its target, "calc0-result" on a calculator page and "calc1-result",
# "calc2-result", ... for the calculators embedded in one note, so answers land in the right box.
TARGET = re.compile(r"calc(\d{1,3})-result")
PLACEHOLDER = re.compile(
    r'<div class="calc-embed" data-calc="(pricing|limits)" data-params="([^"<>]*)"></div>'
)


class CalculatorForm(forms.Form):
    """Fields get ids from the calculator's stem, so several on one page never share an id."""

    def __init__(self, *args, stem: str = "calc0", facts: Facts | None = None, **kwargs):
        super().__init__(*args, auto_id=f"{stem}-%s", label_suffix="", **kwargs)
        self.stem = stem
        self.facts = facts or load_facts()
        self.result = None
        for name, field in self.fields.items():
            field.widget.attrs["aria-describedby"] = f"{stem}-{name}-errors"

    def between(self, name: str, low_key: str, high_key: str, *, in_ms: bool = False) -> None:
        """Refuse values outside Lambda's own range for this setting, saying the range."""
        low, high = self.facts.get(low_key), self.facts.get(high_key)
        scale = 1000 if in_ms else 1
        message = f"Lambda allows {format_fact(low)} to {format_fact(high)}."
        self.fields[name].validators += [
            MinValueValidator(low.value * scale, message=message),
            MaxValueValidator(high.value * scale, message=message),
        ]

    def calculation_failed(self, error: ValueError) -> None:
        # The calculators name the input first ("duration_ms must be ..."): show it there.
        message = str(error)
        name = message.split(" ", 1)[0].split("=", 1)[0]
        self.add_error(name if name in self.fields else None, message)

    def query(self) -> str:
        """The GET parameters that reproduce this calculation."""
        return urlencode([(name, self.data.get(name, "")) for name in self.fields])

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.optional]

    def groups(self) -> list[dict]:
        """The optional fields by topic, each open when it is in use or has an error."""
        groups = []
        for legend, names in self.group_names:
            fields = [self[name] for name in names]
            used = any(
                field.errors
                or str(self.data.get(field.name, "")) not in ("", self.optional[field.name])
                for field in fields
            )
            groups.append({"legend": legend, "fields": fields, "open": used})
        return groups

    optional: dict = {}
    group_names: list = []


def _optional_count(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0)


def _optional_number(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, widget=forms.NumberInput({"step": "any"})
    )


class PricingForm(CalculatorForm):
    optional = PRICING_OPTIONS
    group_names = PRICING_GROUPS

    requests = forms.IntegerField(
        label="Requests a month",
        min_value=0,
        max_value=MAX_REQUESTS,
        error_messages={"max_value": "Over ten trillion requests a month is surely a typo."},
    )
    duration_ms = forms.DecimalField(
        label="Average duration (ms)", decimal_places=3, widget=forms.NumberInput({"step": "any"})
    )
    memory_mb = forms.IntegerField(label="Memory (MB)")
    arch = forms.ChoiceField(
        label="Architecture", choices=[("x86_64", "x86_64"), ("arm64", "arm64 (Graviton)")]
    )
    ephemeral_mb = forms.IntegerField(label="Ephemeral storage, /tmp (MB)")
    free_tier = forms.ChoiceField(
        label="Free tier",
        choices=[
            ("yes", "Deduct the monthly free tier"),
            ("no", "Already used by other functions"),
        ],
    )
    compute = forms.ChoiceField(
        label="Compute type",
        required=False,
        choices=[
            ("on-demand", "Lambda, on demand"),
            ("edge", "Lambda@Edge"),
            ("managed-instances", "Lambda Managed Instances"),
        ],
    )
    async_event_kb = _optional_number("Asynchronous event size (KB), 0 if synchronous")
    provisioned_concurrency = _optional_count("Provisioned concurrency (environments)")
    provisioned_hours = _optional_number("Hours it is configured this month")
    provisioned_requests = _optional_count("Of the requests, how many it serves")
    provisioned_duration_ms = _optional_number("Their duration in ms (blank: the same)")
    snapstart_versions = _optional_count("SnapStart versions kept active")
    snapstart_hours = _optional_number("Hours each version is active")
    snapstart_restores = _optional_count("Restores from the snapshot")
    streamed_requests = _optional_count("Streamed responses")
    streamed_mb = _optional_number("Size of each streamed response (MB)")
    streaming_free_tier = forms.ChoiceField(
        label="Streaming free tier (100 GB)",
        required=False,
        choices=[("", "As the free tier above"), ("yes", "Deduct it"), ("no", "Already used")],
    )
    tenant_environments = _optional_count("Tenant-isolated environments created")
    durable_operations = _optional_count("Durable operations")
    durable_written_gb = _optional_number("Durable data written (GB)")
    durable_retained_gb_months = _optional_number("Durable data retained (GB-months)")
    event_poller_hours = _optional_number("Event poller unit hours (EPU-hours)")
    event_poller = forms.ChoiceField(
        label="Event source", required=False, choices=[("kafka", "Kafka"), ("sqs", "Amazon SQS")]
    )
    instance_hours = _optional_number("EC2 instance-hours")
    instance_hourly_usd = _optional_number("Price paid per instance-hour (USD)")
    instance_on_demand_hourly_usd = _optional_number("On-demand price per instance-hour (USD)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.between("memory_mb", "memory.min", "memory.max")
        self.between("ephemeral_mb", "tmp.min", "tmp.max")
        timeout = format_fact(self.facts.get("timeout.max"))
        self.fields["duration_ms"].validators.append(
            MaxValueValidator(
                self.facts.get("timeout.max").value * 1000,
                message=f"Longer than Lambda's maximum timeout of {timeout}.",
            )
        )

    def clean_duration_ms(self):
        duration = self.cleaned_data["duration_ms"]
        if duration <= 0:
            raise forms.ValidationError("A duration must be more than 0 ms.")
        return duration

    def clean(self):
        data = super().clean()
        if not self.errors:
            options = {
                name: data.get(name) if data.get(name) not in (None, "") else default
                for name, default in PRICING_OPTIONS.items()
            }
            streaming_free_tier = options.pop("streaming_free_tier")
            try:
                self.result = monthly_cost(
                    requests=data["requests"],
                    duration_ms=data["duration_ms"],
                    memory_mb=data["memory_mb"],
                    arch=data["arch"],
                    ephemeral_mb=data["ephemeral_mb"],
                    free_tier=data["free_tier"] == "yes",
                    streaming_free_tier=(
                        None if streaming_free_tier == "" else streaming_free_tier == "yes"
                    ),
                    **{name: value for name, value in options.items() if value != ""},
                    facts=self.facts,
                )
            except ValueError as error:
                self.calculation_failed(error)
        return data

    def query(self) -> str:
        """The base settings always, an optional charge only when it is set."""
        names = [
            name
            for name in self.fields
            if name not in self.optional
            or str(self.data.get(name, "")) not in ("", self.optional[name])
        ]
        return urlencode([(name, self.data.get(name, "")) for name in names])


def _setting(label: str, *, positive: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=None if positive else 0,
        widget=forms.NumberInput({"step": "any", "min": "0"}),
    )


class LimitsForm(CalculatorForm):
    memory_mb = _setting("Memory (MB)", positive=True)
    timeout_s = _setting("Timeout (seconds)", positive=True)
    env_bytes = _setting("Environment variables, all together (bytes)")
    zip_mb = _setting("Zipped deployment package (MB)")
    unzipped_mb = _setting("Unzipped package with all layers (MB)")
    layers = _setting("Layers")
    tmp_mb = _setting("/tmp storage (MB)", positive=True)
    sync_payload_kb = _setting("Synchronous payload (KB)")

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self.result = check_limits(**data, facts=self.facts)
            except ValueError as error:
                self.calculation_failed(error)
        return data


# --- Views -----------------------------------------------------------------------------------


@require_GET
@login_required
def pricing(request):
    form = PricingForm(_pricing_data(request.GET), stem=_stem(request))
    return _respond(request, "pricing", _pricing_context(form))


@require_GET
@login_required
def limits(request):
    form = LimitsForm(_limits_data(request.GET), stem=_stem(request))
    return _respond(request, "limits", _limits_context(form))


def embed_calculators(request, note_html: str) -> SafeString:
    """A note's sanitised HTML with each calculator placeholder replaced by a live calculator.

    Only our own template's markup is added; the rest of the note is left exactly as stored.
    """
    count = 0

    def calculator(match: re.Match) -> str:
        nonlocal count
        count += 1
        kind, params = match.group(1), QueryDict(htmllib.unescape(match.group(2)))
        stem = f"calc{count}"
        if kind == "pricing":
            context = _pricing_context(PricingForm(_pricing_data(params), stem=stem))
        else:
            context = _limits_context(LimitsForm(_limits_data(params), stem=stem))
        context["embedded"] = True
        template = f"calculators/{kind}.html#{kind}-calculator"
        return render_to_string(template, context, request=request)

    return mark_safe(PLACEHOLDER.sub(calculator, note_html))


def _stem(request) -> str:
    match = TARGET.fullmatch(request.htmx.target or "") if wants_partial(request) else None
    return f"calc{int(match.group(1))}" if match else "calc0"


def _respond(request, kind: str, context: dict):
    # A swap gets just the result, plus the field errors as out-of-band swaps by their fields.
    context["oob_errors"] = wants_partial(request)
    return page_or_partial(request, f"calculators/{kind}.html", f"{kind}-result", context)


def _pricing_data(params: QueryDict) -> dict:
    """Defaults for what the URL leaves out, so `?requests=5000000` alone is a calculation."""
    defaults = {**PRICING_DEFAULTS, **PRICING_OPTIONS}
    return {name: params.get(name, default) for name, default in defaults.items()}


def _limits_data(params: QueryDict) -> dict:
    """Each setting as given; a blank one is not checked. With none given, a typical function."""
    if not any(name in params for name in LIMITS_DEFAULTS):
        return dict(LIMITS_DEFAULTS)
    return {name: params.get(name, "") for name in LIMITS_DEFAULTS}


def _pricing_context(form: PricingForm) -> dict:
    context = {"form": form, "stem": form.stem, "result": None}
    if not form.is_valid():
        return context
    result = form.result
    optional = sum((result.part(name) for name in PARTS[3:]), Decimal(0))
    parts = [
        ("requests", "Requests", result.requests_usd),
        ("compute", "Compute", result.compute_usd),
        ("storage", "Ephemeral storage", result.storage_usd),
        ("optional", "Other charges", optional),
    ]
    context.update(
        result=result,
        total=format_usd(result.total_usd),
        exact_total=format_usd(result.total_exact_usd),
        rows=[
            {
                "label": line.label,
                "quantity": format_number(rounded(line.quantity)),
                "unit": line.unit,
                "unit_price": format_usd(line.unit_price) if line.unit_price else "free",
                "amount": format_usd(cents(line.amount)),
                "free": not line.unit_price,
            }
            for line in result.lines
        ],
        bars=_stacked_bar(parts, result.total_exact_usd),
        gb_seconds=format_number(rounded(result.gb_seconds)),
        free_requests=format_number(Decimal(result.free_tier_applied["requests"])),
        free_gb_seconds=format_number(rounded(result.free_tier_applied["gb_seconds"])),
        extra_requests=format_number(Decimal(result.extra_requests)),
        sources=_sources(
            form.facts,
            [key for key in result.fact_keys if key.startswith(("price.", "free."))],
        ),
        query=form.query(),
    )
    return context


def _limits_context(form: LimitsForm) -> dict:
    context = {"form": form, "stem": form.stem, "result": None}
    if not form.is_valid():
        return context
    result = form.result
    over = {finding.field for finding in result.violations}
    near = {finding.field for finding in result.warnings}
    settings = []
    for name in result.checked:
        key, unit = LIMIT_FACTS[name]
        fact = form.facts.get(key)
        maximum = _in_unit(fact.value, fact.unit, unit)
        value = form.cleaned_data[name]
        status = "over" if name in over else "near" if name in near else "ok"
        settings.append(
            {
                "label": form.fields[name].label,
                "value": format_amount(value, unit),
                "maximum": format_amount(maximum, unit),
                "status": status,
                "width": str(_percent(min(value, maximum), maximum)),
            }
        )
    context.update(
        result=result,
        settings=settings,
        violations=[_finding(finding) for finding in result.violations],
        warnings=[_finding(finding) for finding in result.warnings],
        sources=_sources(form.facts, [LIMIT_FACTS[name][0] for name in result.checked]),
        query=form.query(),
    )
    return context


def _finding(finding) -> dict:
    if finding.maximum is not None:
        kind, limit = "Maximum", format_amount(finding.maximum, finding.unit)
    elif finding.minimum is not None:
        kind, limit = "Minimum", format_amount(finding.minimum, finding.unit)
    else:
        kind, limit = "Rule", "a whole number"
    return {
        "label": finding.label,
        "name": finding.name,
        "message": finding.message,
        "value": format_amount(finding.value, finding.unit),
        "limit": limit,
        "limit_kind": kind,
        "adjustable": finding.adjustable,
        "hint": finding.hint,
        "source": finding.source,
    }


def _stacked_bar(parts, total: Decimal) -> list[dict]:
    """Segments of one 100-unit-wide SVG bar, widths in proportion to each part of the bill."""
    segments, x = [], Decimal(0)
    if total <= 0:
        return segments
    for css, label, amount in parts:
        width = _percent(amount, total)
        if width > 0:
            segments.append(
                {
                    "css": css,
                    "label": label,
                    "x": str(x),
                    "width": str(width),
                    "amount": format_usd(cents(amount)),
                }
            )
            x += width
    return segments


def _sources(facts: Facts, keys: list[str]) -> list[dict]:
    """ "aws.amazon.com/lambda/pricing, checked 2026-11-23" once per page and date."""
    grouped = defaultdict(list)
    for key in keys:
        fact = facts.get(key)
        grouped[(fact.source, fact.checked)].append(fact)
    return [
        {
            "url": url,
            "shown": url.split("://", 1)[-1].rstrip("/"),
            "checked": checked.isoformat(),
        }
        for url, checked in sorted(grouped)
    ]


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    if whole <= 0:
        return Decimal(0)
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _in_unit(value: Decimal, unit: str, wanted: str) -> Decimal:
    if unit == wanted:
        return value
    if unit in BYTES_PER and wanted in BYTES_PER:
        return value * BYTES_PER[unit] / BYTES_PER[wanted]
    raise ValueError(f"cannot convert {unit} to {wanted}")
