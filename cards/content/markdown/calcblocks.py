"""```lambda-pricing and ```lambda-limits fences: `key: value` lines to a calculator placeholder.

Pure: no Django import and no arithmetic; the note page swaps the placeholder for the live
calculator, whose form judges ranges. This module only checks that keys and values are well formed.
"""

import re
from collections.abc import Iterable
from html import escape
from urllib.parse import urlencode

from cards.content.source import Issue
from cards.content.tree import Code

FENCES = {"lambda-pricing": "pricing", "lambda-limits": "limits"}

WHOLE, NUMBER, ARCH, YES_NO = "whole", "number", "arch", "yes_no"
COMPUTE, POLLER = "compute", "poller"

KEYS = {
    "pricing": {
        "requests": WHOLE,
        "duration_ms": NUMBER,
        "memory_mb": WHOLE,
        "arch": ARCH,
        "ephemeral_mb": WHOLE,
        "free_tier": YES_NO,
        "compute": COMPUTE,
        "async_event_kb": NUMBER,
        "provisioned_concurrency": WHOLE,
        "provisioned_hours": NUMBER,
        "provisioned_requests": WHOLE,
        "provisioned_duration_ms": NUMBER,
        "snapstart_versions": WHOLE,
        "snapstart_hours": NUMBER,
        "snapstart_restores": WHOLE,
        "streamed_requests": WHOLE,
        "streamed_mb": NUMBER,
        "streaming_free_tier": YES_NO,
        "tenant_environments": WHOLE,
        "durable_operations": WHOLE,
        "durable_written_gb": NUMBER,
        "durable_retained_gb_months": NUMBER,
        "event_poller_hours": NUMBER,
        "event_poller": POLLER,
        "instance_hours": NUMBER,
        "instance_hourly_usd": NUMBER,
        "instance_on_demand_hourly_usd": NUMBER,
    },
    "limits": {
        "memory_mb": NUMBER,
        "timeout_s": NUMBER,
        "env_bytes": NUMBER,
        "zip_mb": NUMBER,
        "unzipped_mb": NUMBER,
        "layers": NUMBER,
        "tmp_mb": NUMBER,
        "sync_payload_kb": NUMBER,
    },
}

# The choices a block may name, as the calculator spells them (pricing.py).
CHOICES = {
    ARCH: ("x86_64", "arm64"),
    COMPUTE: ("on-demand", "edge", "managed-instances"),
    POLLER: ("kafka", "sqs"),
}
YES = {"yes", "true", "on", "1"}
NO = {"no", "false", "off", "0"}

# "5000000", "5_000_000", "5,000,000", "120.5"; the separators are dropped before storing.
WHOLE_TEXT = re.compile(r"\d{1,3}(?:[,_]\d{3})+|\d{1,20}")
NUMBER_TEXT = re.compile(r"(?:\d{1,3}(?:[,_]\d{3})+|\d{1,20})(?:\.\d{1,9})?|\.\d{1,9}")
LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*[:=][ \t]*(.*?)[ \t]*")

# What the sanitiser lets through on a placeholder (see sanitize.py): nothing else.
PARAMS_TEXT = re.compile(
    r"(?:[a-z_]{1,40}=[A-Za-z0-9._-]{0,40})(?:&[a-z_]{1,40}=[A-Za-z0-9._-]{0,40})*"
)
CLASS_NAME = "calc-embed"


def calculator_of(info: str) -> str | None:
    """ "pricing" or "limits" for a fence's info string (```lambda-pricing), else None."""
    words = info.split()
    return FENCES.get(words[0]) if words else None


def parse_block(
    calculator: str, lines: list[str], *, first_line: int = 1
) -> tuple[list[tuple[str, str]], list[Issue]]:
    """The (key, value) pairs of a block's lines, in the order written, and what was wrong.

    `first_line` is the note line of the block's first content line. A bad line is skipped with
    a warning; the calculator then uses its default for that key.
    """
    name = next(fence for fence, kind in FENCES.items() if kind == calculator)
    known = KEYS[calculator]
    params: dict[str, str] = {}
    warnings: list[Issue] = []
    for offset, raw in enumerate(lines):
        number = first_line + offset
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        match = LINE.fullmatch(text)
        if not match:
            warnings.append(Issue(number, f"{name} block: expected `key: value`, not {text!r}"))
            continue
        key, value = match.group(1).lower(), match.group(2)
        if key not in known:
            expected = ", ".join(known)
            warnings.append(
                Issue(number, f"{name} block: unknown key {key!r} (expected one of {expected})")
            )
            continue
        cleaned = _value(known[key], value)
        if cleaned is None:
            warnings.append(
                Issue(number, f"{name} block: {key} {value!r} is not {_expected(known[key])}")
            )
            continue
        if key in params:
            warnings.append(Issue(number, f"{name} block: {key} is given twice; the last counts"))
        params[key] = cleaned
    return list(params.items()), warnings


def block_warnings(blocks: Iterable[Code]) -> list[Issue]:
    """What is wrong in a note's calculator blocks (its tree's fenced code blocks)."""
    warnings: list[Issue] = []
    for block in blocks:
        calculator = calculator_of(block.info)
        if calculator:
            first = block.lines[0][0] if block.lines else block.line + 1
            _params, found = parse_block(
                calculator, [text for _, text in block.lines], first_line=first
            )
            warnings += found
    return warnings


def _value(kind: str, value: str) -> str | None:
    if kind in CHOICES:
        word = value.lower()
        # "x86-64" and "managed_instances" are read as the spellings the calculator uses.
        for choice in CHOICES[kind]:
            if word.replace("-", "_") == choice.replace("-", "_"):
                return choice
        return None
    if kind == YES_NO:
        word = value.lower()
        return "yes" if word in YES else "no" if word in NO else None
    pattern = WHOLE_TEXT if kind == WHOLE else NUMBER_TEXT
    return value.replace(",", "").replace("_", "") if pattern.fullmatch(value) else None


def _expected(kind: str) -> str:
    return {
        WHOLE: "a whole number",
        NUMBER: "a number",
        ARCH: "x86_64 or arm64",
        COMPUTE: "on-demand, edge or managed-instances",
        POLLER: "kafka or sqs",
        YES_NO: "yes or no",
    }[kind]


def placeholder_html(calculator: str, params: list[tuple[str, str]]) -> str:
    """The empty div the note page replaces with a live calculator."""
    query = escape(urlencode(params))
    return f'<div class="{CLASS_NAME}" data-calc="{calculator}" data-params="{query}"></div>'


def fence_format(source, language, class_name, options, md, **kwargs) -> str:
    """A pymdownx.superfences custom fence formatter; prepare.py reports the block's warnings."""
    calculator = FENCES[language]
    params, _warnings = parse_block(calculator, source.split("\n"))
    return placeholder_html(calculator, params)


CUSTOM_FENCES = [
    {"name": language, "class": CLASS_NAME, "format": fence_format} for language in FENCES
]
