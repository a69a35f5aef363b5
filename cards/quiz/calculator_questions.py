"""Exam-style questions from the pricing and limits calculators: scenarios, answers, distractors.

Pure: never imports Django. The same seed gives the same questions; every answer comes from
cards.calculators.pricing, never from arithmetic of its own; every distractor is a named
mistake.
"""

import math
import random
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from cards.calculators.facts import Facts, format_fact, format_number, format_usd, load_facts
from cards.calculators.limits import check_limits
from cards.calculators.pricing import PricingResult, monthly_cost
from cards.quiz.drafts import Option, QuestionDraft

CENT = Decimal("0.01")
PRICING_TOPIC = "Lambda pricing"
LIMITS_TOPIC = "Lambda limits"

_REQUESTS = (2_000_000, 3_000_000, 5_000_000, 8_000_000, 12_000_000, 25_000_000, 40_000_000)
_DURATIONS_MS = (45, 80, 120, 250, 380, 750, 1_250, 2_400)
_MEMORY_MB = (256, 512, 1_024, 1_536, 2_048, 3_008, 4_096)
_EPHEMERAL_MB = (512, 512, 512, 2_048, 4_096, 10_240)
_TRIES = 50


@dataclass(frozen=True)
class Mistake:
    """A wrong total a student reaches by one common slip."""

    name: str  # how the explanation names the slip
    total: Decimal  # rounded to cents, like the answer


def usd(value: Decimal) -> str:
    """ "$12.34", "$1,234.50": a bill as a person reads it."""
    return f"${value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def pricing_mistakes(
    *,
    requests: int,
    duration_ms: Decimal,
    memory_mb: int,
    arch: str = "x86_64",
    ephemeral_mb: int = 512,
    facts: Facts | None = None,
) -> list[Mistake]:
    """The totals of the usual wrong workings, in order of how often students make them.

    Mistakes that do not apply to the scenario (x86 price for an x86 function, 100 ms rounding
    of a duration that is a multiple of 100 ms) are left out.
    """
    facts = facts if facts is not None else load_facts()
    family = "arm" if arch == "arm64" else "x86"
    settings = {
        "requests": requests,
        "duration_ms": Decimal(duration_ms),
        "memory_mb": memory_mb,
        "arch": arch,
        "ephemeral_mb": ephemeral_mb,
    }

    def total(facts=facts, **changes) -> Decimal:
        return monthly_cost(**{**settings, **changes}, facts=facts).total_usd

    mistakes = [Mistake("forgot the free tier", total(free_tier=False))]
    # AWS's own page says "$1 for 600,000 GB-seconds"; the real figure is about 60,000.
    per_600k = _with_value(facts, f"price.{family}.gb_second.tier1", 1 / Decimal(600_000))
    mistakes.append(Mistake("took the price as $1 per 600,000 GB-seconds", total(per_600k)))
    if arch == "arm64":
        mistakes.append(Mistake("used the x86 price for an Arm function", total(arch="x86_64")))
    rounded = Decimal(math.ceil(Decimal(duration_ms) / 100) * 100)
    if rounded != Decimal(duration_ms):
        mistakes.append(
            Mistake(
                "rounded the duration up to 100 ms (billing is per 1 ms)",
                total(duration_ms=rounded),
            )
        )
    per_thousand = _with_value(
        facts,
        "price.requests.per_million",
        facts.get("price.requests.per_million").value * 1000,
    )
    mistakes.append(
        Mistake("priced requests per 1,000 instead of per million", total(per_thousand))
    )
    mistakes.append(
        Mistake("divided MB by 1,000 instead of 1,024", _decimal_gb_total(settings, facts))
    )
    if ephemeral_mb > facts.get("price.ephemeral.included").value:
        result = monthly_cost(**settings, facts=facts)
        forgot = (result.total_exact_usd - result.storage_usd).quantize(CENT, ROUND_HALF_UP)
        mistakes.append(Mistake("left out the ephemeral storage charge", forgot))
    return mistakes


def _with_value(facts: Facts, key: str, value: Decimal) -> Facts:
    return Facts({**facts.by_key, key: replace(facts.get(key), value=value)})


def _decimal_gb_total(settings: dict, facts: Facts) -> Decimal:
    """The bill with memory in GB taken as MB / 1,000: 2.4% more GB-seconds than billed."""
    result = monthly_cost(**settings, facts=facts)
    family = "arm" if settings["arch"] == "arm64" else "x86"
    rate = facts.get(f"price.{family}.gb_second.tier1").value
    free = result.free_tier_applied["gb_seconds"]
    # Billed GB-seconds are requests x seconds x MB / 1,024; the slip uses / 1,000 instead.
    mistaken = result.gb_seconds * Decimal("1.024")
    extra = (max(mistaken - free, Decimal(0)) - max(result.gb_seconds - free, Decimal(0))) * rate
    return (result.total_exact_usd + extra).quantize(CENT, rounding=ROUND_HALF_UP)


def breakdown(result: PricingResult) -> str:
    """The itemised bill, one line per charge, as the explanation shows it."""
    rows = []
    for line in result.lines:
        if line.unit_price:
            rows.append(
                f"- {line.label}: {format_number(line.quantity)} {line.unit} × "
                f"{format_usd(line.unit_price)} = {usd(line.amount)}"
            )
        else:
            rows.append(f"- {line.label}: {format_number(line.quantity)} {line.unit}, no charge")
    rows.append(f"- Total: {usd(result.total_usd)} a month")
    return "\n".join(rows)


def _stem(requests: int, duration_ms: int, memory_mb: int, arch: str, ephemeral_mb: int) -> str:
    storage = f" and {ephemeral_mb:,} MB of ephemeral storage" if ephemeral_mb > 512 else ""
    return (
        f"A Lambda function on {arch} with {memory_mb:,} MB of memory{storage} runs for "
        f"{duration_ms:,} ms on average and is invoked {requests:,} times a month in US East "
        "(N. Virginia). The account's free tier is unused. What is the function's monthly bill?"
    )


def pricing_questions(*, seed: int, count: int, facts: Facts | None = None) -> list[QuestionDraft]:
    """count single-answer questions: the exact monthly bill among three mistaken ones."""
    facts = facts if facts is not None else load_facts()
    rng = random.Random(seed)
    questions = []
    for index in range(count):
        for _ in range(_TRIES):
            question = _pricing_question(rng, facts, key=f"calc-pricing-{seed}-{index}")
            if question is not None:
                questions.append(question)
                break
        else:
            raise ValueError(f"no pricing scenario with three distinct mistakes for seed {seed}")
    return questions


def _pricing_question(rng: random.Random, facts: Facts, *, key: str) -> QuestionDraft | None:
    settings = {
        "requests": rng.choice(_REQUESTS),
        "duration_ms": rng.choice(_DURATIONS_MS),
        "memory_mb": rng.choice(_MEMORY_MB),
        "arch": rng.choice(("x86_64", "arm64")),
        "ephemeral_mb": rng.choice(_EPHEMERAL_MB),
    }
    result = monthly_cost(
        **{**settings, "duration_ms": Decimal(settings["duration_ms"])}, facts=facts
    )
    mistakes = pricing_mistakes(**settings, facts=facts)
    # The two classic slips first, then one of the others, so questions vary.
    chosen: list[Mistake] = []
    rest = mistakes[2:]
    rng.shuffle(rest)
    for mistake in mistakes[:2] + rest:
        totals = [result.total_usd] + [m.total for m in chosen]
        if all(abs(mistake.total - other) >= CENT for other in totals):
            chosen.append(mistake)
        if len(chosen) == 3:
            break
    if len(chosen) < 3 or result.total_usd < 1:
        return None
    options = [Option(usd(result.total_usd), True)] + [Option(usd(m.total), False) for m in chosen]
    options.sort(key=lambda option: Decimal(option.text.lstrip("$").replace(",", "")))  # ascending
    wrong = "\n".join(f"- {usd(m.total)}: {m.name}" for m in chosen)
    explanation = f"{breakdown(result)}\n\nTempting wrong answers:\n{wrong}"
    return QuestionDraft(
        kind="single",
        stem=_stem(**settings),
        options=tuple(options),
        explanation=explanation,
        topic=PRICING_TOPIC,
        card_id=None,
        key=key,
    )


# --- Limits -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scenario:
    field: str  # check_limits keyword, or "image_gb" for a container image size
    values: tuple  # sizes to pick from: some within the limit, some over it
    stem: str  # with {value}


_SCENARIOS = (
    _Scenario(
        "timeout_s",
        (300, 600, 840, 900, 960, 1_200, 2_400),
        "A batch job needs {minutes} of processing in one invocation.",
    ),
    _Scenario(
        "zip_mb",
        (20, 45, 50, 70, 120),
        "A function's .zip deployment package is {value:,} MB, uploaded directly (not through "
        "Amazon S3).",
    ),
    _Scenario(
        "unzipped_mb",
        (120, 240, 250, 270, 400),
        "A function and its layers come to {value:,} MB unzipped, deployed as a .zip package.",
    ),
    _Scenario(
        "memory_mb",
        (1_769, 3_008, 8_192, 10_240, 12_288, 16_384),
        "A function is configured with {value:,} MB of memory.",
    ),
    _Scenario(
        "tmp_mb",
        (2_048, 8_192, 10_240, 16_384, 20_480),
        "A function needs {value:,} MB of /tmp (ephemeral) storage.",
    ),
    _Scenario("layers", (2, 4, 5, 6, 8), "A function attaches {value} Lambda layers."),
    _Scenario(
        "env_bytes",
        (1_024, 3_500, 4_096, 5_000, 8_192),
        "A function's environment variables take {value:,} bytes in total.",
    ),
    _Scenario(
        "sync_payload_kb",
        (256, 1_024, 6_144, 7_168, 10_240),
        "A client sends a {value:,} KB request body in a synchronous invocation.",
    ),
    _Scenario(
        "image_gb",
        (2, 6, 10, 12, 20),
        "A function is packaged as a {value} GB container image (uncompressed, all layers).",
    ),
)

FITS = "It fits within Lambda's limits."
# All the limits asked about are hard limits (adjustable = false in the facts file).
QUOTA_INCREASE = "It does not fit yet, but a quota increase in Service Quotas will allow it."

# Figures students misremember (old limits, or one limit taken for another): always wrong.
_MISREMEMBERED = {
    "timeout_s": "It does not fit: the timeout is at most 300 seconds (5 minutes).",
    "zip_mb": "It does not fit: a .zip deployment package is limited to 10 MB.",
    "unzipped_mb": "It does not fit: the unzipped package is limited to 50 MB.",
    "memory_mb": "It does not fit: memory is at most 3,008 MB.",
    "tmp_mb": "It does not fit: /tmp is fixed at 512 MB.",
    "layers": "It does not fit: a function can use at most 3 layers.",
    "env_bytes": "It does not fit: environment variables total at most 1 KB.",
    "sync_payload_kb": "It does not fit: a synchronous payload is at most 256 KB.",
    "image_gb": "It does not fit: a container image is limited to 1 GB.",
}


def _answers(facts: Facts) -> dict[str, str]:
    """One statement per limit: what happens when a setting is over it, and the way out."""

    def fact(key: str) -> str:
        return format_fact(facts.get(key))

    return {
        "timeout_s": f"It does not fit: the timeout is at most {fact('timeout.max')}; split the "
        "work into steps (e.g. Step Functions).",
        "zip_mb": f"It exceeds the {fact('package.zip.max')} direct-upload limit: upload the .zip "
        "through Amazon S3 or use a container image.",
        "unzipped_mb": f"It exceeds the {fact('package.unzipped.max')} unzipped limit: package it "
        f"as a container image (up to {fact('image.max')}).",
        "memory_mb": f"It does not fit: memory is at most {fact('memory.max')}; split the work "
        "or run it on Fargate or EC2.",
        "tmp_mb": f"It does not fit: /tmp is at most {fact('tmp.max')}; mount Amazon EFS or "
        "stream to Amazon S3.",
        "layers": f"It does not fit: a function can use at most {fact('layers.max')}; merge "
        "layers or use a container image.",
        "env_bytes": f"It does not fit: environment variables total at most "
        f"{fact('env_vars.max')}; keep large values in Parameter Store or Secrets Manager.",
        "sync_payload_kb": f"It does not fit: a synchronous payload is at most "
        f"{fact('payload.sync.max')}; put the data in Amazon S3 and pass its key.",
        "image_gb": f"It exceeds the {fact('image.max')} container image limit: slim the image "
        "or run it on ECS/Fargate.",
    }


def limits_questions(*, seed: int, count: int, facts: Facts | None = None) -> list[QuestionDraft]:
    """count single-answer questions: does this setting fit Lambda's limits, and if not, why."""
    facts = facts if facts is not None else load_facts()
    rng = random.Random(seed)
    answers = _answers(facts)
    questions = []
    for index in range(count):
        scenario = rng.choice(_SCENARIOS)
        value = rng.choice(scenario.values)
        correct, explanation = _limit_verdict(scenario.field, value, answers, facts)
        exceeds = answers[scenario.field]
        wrong_figure = _MISREMEMBERED[scenario.field]
        options = [
            Option(FITS, correct == FITS),
            Option(exceeds, correct == exceeds),
            Option(QUOTA_INCREASE, False),
            Option(wrong_figure, False),
        ]
        rng.shuffle(options)
        minutes = f"{value // 60} minutes" if scenario.field == "timeout_s" else ""
        stem = scenario.stem.format(value=value, minutes=minutes)
        questions.append(
            QuestionDraft(
                kind="single",
                stem=f"{stem} Which statement is right?",
                options=tuple(options),
                explanation=explanation,
                topic=LIMITS_TOPIC,
                card_id=None,
                key=f"calc-limits-{seed}-{index}",
            )
        )
    return questions


def _limit_verdict(field: str, value, answers: dict[str, str], facts: Facts) -> tuple[str, str]:
    if field == "image_gb":
        top = facts.get("image.max")
        if Decimal(value) > top.value:
            return answers[field], (
                f"A container image of {value} GB is over the maximum of {format_fact(top)}; "
                "slim the image (multi-stage builds, fewer dependencies) or run it on ECS/Fargate."
            )
        return FITS, f"A container image may be up to {format_fact(top)}, so {value} GB fits."
    result = check_limits(**{field: value}, facts=facts)
    if result.violations:
        finding = result.violations[0]
        return answers[field], f"{finding.message}: {finding.hint}."
    limit = {
        "timeout_s": "timeout.max",
        "zip_mb": "package.zip.max",
        "unzipped_mb": "package.unzipped.max",
        "memory_mb": "memory.max",
        "tmp_mb": "tmp.max",
        "layers": "layers.max",
        "env_bytes": "env_vars.max",
        "sync_payload_kb": "payload.sync.max",
    }[field]
    return FITS, f"Within the limit of {format_fact(facts.get(limit))}, so it fits."
