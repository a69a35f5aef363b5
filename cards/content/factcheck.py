"""Compare the prices and limits a note states with content/_facts/ and warn where they differ.

Pure: never imports Django. Reports only confident matches: a figure it cannot tie to one fact
with certainty (history, code, other services, arithmetic, ranges) is left alone, never flagged.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from cards.calculators.facts import Fact, Facts, format_fact, format_usd, load_facts
from cards.calculators.units import COMPUTE, COUNT, DATA, MONEY, TIME, Quantity, parse_quantity
from cards.content.source import Issue

# --- What a claim looks like ------------------------------------------------------------------

_MAX = (
    r"\bmax(?:imum)?\b|\bup to\b|\bat most\b|\blimit(?:ed)?\b|\bquota\b|\bno more than\b"
    r"|\bunder\b|\bbelow\b|\bwithin\b|\blongest\b|\blargest\b|\bcap(?:ped)?\b"
)

# Other services have limits of their own; a figure about them says nothing about Lambda's.
_OTHER_SERVICES = (
    r"\bEC2\b|\bFargate\b|\bECS\b|\bEKS\b|\bBatch\b|CloudFront|\bedge\b|\bAPI Gateway\b"
    r"|\bSQS\b|\bSNS\b|\bKinesis\b|\bDynamoDB\b|\bStep Functions\b|\bEFS\b"
)


@dataclass(frozen=True)
class _Claim:
    """A way notes state one limit: a subject near a number of the right kind."""

    key: str  # the fact it is checked against
    says: str  # how the warning words the claim: 'says {says} "600 seconds"'
    dimension: str
    subject: str  # regex that must occur in the figure's context
    qualifier: str = _MAX  # regex that must occur just before the figure (or in its label)
    label_ok: bool = False  # "Subject: 50 MB" states the limit even without a qualifier
    exclude: str = ""  # regex that, anywhere in the clause, means another figure
    range_min: str = ""  # fact key: "from <this> to N" states the maximum as N


_CLAIMS = (
    _Claim(
        "timeout.max",
        "the maximum timeout is",
        TIME,
        r"\btime-?outs?\b|\brun time\b|\bexecution time\b|\blongest (?:single )?run\b"
        r"|\bruns? for\b|\bfinish within\b",
        exclude=r"\bdefault\b|visibility|\bround|\bbill|granularity|\bnearest\b|\bcach"
        r"|event age|\bretr|\bcold start|\binit\b",
    ),
    _Claim(
        "memory.max",
        "the maximum memory is",
        DATA,
        r"\bmemory\b",
        exclude=r"\bdefault\b|memory used|\bvcpus?\b|/tmp|ephemeral|\bstorage\b|\bpayload",
        range_min="memory.min",
    ),
    _Claim(
        "tmp.max",
        "the maximum /tmp (ephemeral) storage is",
        DATA,
        r"/tmp\b|\bephemeral\b",
        exclude=r"\bdefault\b|\bfree\b|\bincluded\b|\babove\b",
        range_min="tmp.min",
    ),
    _Claim(
        "price.ephemeral.included",
        "the /tmp storage included at no cost is",
        DATA,
        r"/tmp\b|\bephemeral\b",
        qualifier=r"\bfree\b|\bincluded\b|\babove\b|\bno (?:extra )?(?:cost|charge)\b",
        exclude=r"\bup to\b|\bmax",
    ),
    _Claim(
        "layers.max",
        "the maximum number of layers is",
        COUNT,
        r"\blayers?\b",
        exclude=r"\bversions?\b|\bimage\b|\bcontainer\b",
    ),
    _Claim(
        "env_vars.max",
        "environment variables may total",
        DATA,
        r"\benvironment variables?\b|\benv vars?\b",
        label_ok=True,
    ),
    _Claim(
        "package.unzipped.max",
        "an unzipped deployment package may be",
        DATA,
        r"\bunzipped\b|\buncompressed\b|\bextracted\b",
        label_ok=True,
        exclude=r"\bimages?\b|\bcontainer\b|code storage",
    ),
    _Claim(
        "package.zip.max",
        "a zipped deployment package may be",
        DATA,
        r"(?<!un)\bzip(?:ped)?\b|\.zip\b|\buploaded directly\b|\bdirect upload\b",
        label_ok=True,
        exclude=r"\bunzipped\b|\buncompressed\b|code storage|\bS3\b|\bimages?\b",
    ),
    _Claim(
        "image.max",
        "a container image may be",
        DATA,
        r"\bcontainer images?\b|\bimages?\b",
        label_ok=True,
        exclude=r"\bunzipped\b|\bzip\b|\bECR storage\b|\bthumbnail",
    ),
    _Claim(
        "payload.sync.max",
        "a synchronous payload may be",
        DATA,
        r"(?<!a)\bsynchronous\b|\bsync\b|\bRequestResponse\b",
        label_ok=True,
        exclude=r"\basynchronous\b|\basync\b|\bstream",
    ),
    _Claim(
        "payload.async.max",
        "an asynchronous payload may be",
        DATA,
        r"\basynchronous\b|\basync\b",
        label_ok=True,
        exclude=r"(?<!a)\bsynchronous\b|\bstream",
    ),
    _Claim(
        "code_storage.max",
        "Lambda-managed code storage is",
        DATA,
        r"\bcode storage\b",
        label_ok=True,
        exclude=r"self-managed",
    ),
    _Claim(
        "concurrency.default",
        "the default concurrency quota is",
        COUNT,
        r"\bconcurrency\b|\bconcurrent executions?\b",
        qualifier=r"\bdefault\b|\bper region\b|\bregional\b|\baccount\b|\bquota\b",
        exclude=r"\breserved\b|\bunreserved\b|\bprovisioned\b|\bscal|\bevery\b|\bburst\b",
    ),
    _Claim(
        "free.requests",
        "the free tier includes",
        COUNT,
        r"(?=.*\bfree\b)(?=.*\brequests?\b)",
        qualifier=r"\bfree\b",
        label_ok=True,
        exclude=r"\babove\b|\bbeyond\b|\bover\b|\bbilled\b|\bafter\b",
    ),
    _Claim(
        "free.gb_seconds",
        "the free tier includes",
        COMPUTE,
        r"\bfree\b",
        qualifier=r"\bfree\b",
        label_ok=True,
        exclude=r"\babove\b|\bbeyond\b|\bover\b|\bbilled\b|\bafter\b|\bprovisioned\b",
    ),
    _Claim(
        "price.billing.granularity",
        "duration is billed in steps of",
        TIME,
        r"\bround(?:ed|s)?\b|\bbill(?:ed|ing)\b|\bgranularity\b",
        qualifier=r"\bnearest\b|\bround(?:ed|s)? up to\b|\bincrements? of\b|\bgranularity\b",
        exclude=r"\btimeout\b",
    ),
)

_ARM = re.compile(r"\barm(?:64)?\b|\bgraviton\d*\b", re.IGNORECASE)
_X86 = re.compile(r"\bx86(?:_64)?\b|\bintel\b|\bamd\b", re.IGNORECASE)
_FIRST_TIER = re.compile(r"\bfirst(?: duration)? tier\b|\btier 1\b", re.IGNORECASE)
_TIERS = re.compile(r"\btiers?\b|\bnext\b|\bbillion\b|\bbeyond\b", re.IGNORECASE)
_PER_GB_SECOND = re.compile(
    r"^\s*(?:per|/|a|an|for each|each)\s*(?:1\s*)?GB-?s(?:ec(?:ond)?s?)?\b", re.IGNORECASE
)
_PER_GB_SECOND_ANYWHERE = re.compile(r"\bper GB-?s(?:ec(?:ond)?s?)?\b", re.IGNORECASE)
_PER_MILLION = re.compile(
    r"^\s*(?:per|/|for every|for each|every|a|for)\s*(?:1\s*M\b|1\s*million\b|one million\b"
    r"|million\b|1,000,000\b)(?:\s*(?:requests?|invocations?|calls?)\b)?",
    re.IGNORECASE,
)
_NOT_DURATION = re.compile(
    r"ephemeral|/tmp|\bstorage\b|provisioned|snapstart|\bcach|\brestore|\bsnapshot"
    r"|\bdata transfer\b|\brequests?\b|\binvocations?\b",
    re.IGNORECASE,
)
_EPHEMERAL = re.compile(r"ephemeral|/tmp\b", re.IGNORECASE)
_REQUEST_SUBJECT = re.compile(r"\brequests?\b|\binvocations?\b|\bcalls?\b", re.IGNORECASE)
_REQUEST_EXCLUDE = re.compile(r"provisioned|\bduration\b|" + _OTHER_SERVICES, re.IGNORECASE)

# "$1 for 60,000 GB-seconds" and "60,000 GB-seconds for $1": AWS's own way of putting it.
_DOLLARS_FOR = re.compile(
    r"^\s*(?:for|buys|gets(?: you)?|=)\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*"
    r"(?P<mult>million|thousand|k|M)?\s*GB-?s(?:ec(?:ond)?s?)?\b",
    re.IGNORECASE,
)
_FOR_DOLLARS = re.compile(
    r"^\s*(?:for|cost|costs|=)\s*\$\s*(?P<usd>\d+(?:\.\d+)?)(?![\d.])", re.IGNORECASE
)

# History is not a claim: "used to be 100 ms", "older exams say 256 KB", "raised from 75 GB".
_HISTORY = re.compile(
    r"\b(?:older|old|used to|was|were|previously|formerly|originally|deprecated|legacy"
    r"|no longer|in the past|had been|before (?:that|then|\w+ )?(?:19|20)\d\d|before that"
    r"|until (?:\w+ )?(?:19|20)\d\d)\b"
    r"|\b(?:raised|increased|lowered|reduced|changed|doubled|went)\b[^.;]*\bfrom\b",
    re.IGNORECASE,
)

_ARITHMETIC_BEFORE = re.compile(r"(?:[=×*+−/]|\bx)\s*$")
_ARITHMETIC_AFTER = re.compile(r"^\s*(?:[=×*+−/]|x\b)")
_RANGE_JOIN = re.compile(r"^\s*(?:to|–|-|through)\s*$", re.IGNORECASE)

_UNIT = (
    r"GB-seconds|GB-second|GB-secs|GB-sec|GB-s|MB-seconds|MB-second|TB|GB|MB|KB|GiB|MiB|KiB"
    r"|bytes|byte|milliseconds|millisecond|msecs?|ms|seconds|second|secs|sec|s|minutes|minute"
    r"|mins|min|hours|hour|hrs|hr|h|days|day"
)
_QUANTITY = re.compile(
    r"(?<![\w.,/:#$\-])(?P<money>\$\s?)?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:[ \-]?(?P<mult>million|billion|thousand|bn|M|k|K)\b)?"
    rf"(?:[ \-]?(?P<unit>{_UNIT})\b)?(?![\w\-]|[.,]\d)",
)
_NOUN = re.compile(r"^\s*([A-Za-z][A-Za-z\-]*(?:\s+[A-Za-z][A-Za-z\-]*)?)")
_UNIT_CASE = re.compile(rf"^(?:{_UNIT})$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


# --- Reading the note -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sentence:
    text: str
    offsets: tuple[tuple[int, int], ...]  # (offset in text, line number), ascending
    heading: str
    headers: str = ""  # table rows: the first column's header and the value column's header

    def line_at(self, position: int) -> int:
        line = self.offsets[0][1]
        for offset, number in self.offsets:
            if offset > position:
                break
            line = number
        return line


_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_OUT_OF_SCOPE_HEADING = re.compile(r"@edge|\bedge\b|cloudfront", re.IGNORECASE)


_CODE = re.compile(r"`([^`]*)`")
_DIGIT = re.compile(r"\d")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")
_EMBED = re.compile(r"!\[\[[^\]]*\]\]")
_WIKILINK = re.compile(r"\[\[([^\]|]*?)(?:\\?\|([^\]]*))?\]\]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"<[^>]+>")
_MARKS = re.compile(r"==|\*\*|__|~~")
_EMPHASIS = re.compile(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
# Characters that mean the line has markup to strip; plain lines skip the substitutions.
_MARKUP_CHARS = re.compile(r"[`{\[<=*_~]|://")


def _clean(line: str) -> str:
    """Markdown to the words a reader sees; numbers inside code become '#' (code is no claim)."""
    if _MARKUP_CHARS.search(line):
        line = _CODE.sub(lambda m: _DIGIT.sub("#", m.group(1)), line)
        line = _CLOZE.sub(r"\1", line)
        line = _EMBED.sub("", line)
        line = _WIKILINK.sub(
            lambda m: m.group(2) or _DIGIT.sub("#", m.group(1).replace("#", " ")), line
        )
        line = _MD_LINK.sub(r"\1", line)
        line = _URL.sub("", line)
        line = _TAG.sub("", line)
        line = _MARKS.sub("", line)
        line = _EMPHASIS.sub("", line)
    return line.replace("\u00a0", " ").replace("\u202f", " ")


def _cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    return [cell.strip() for cell in text.split("|")]


def _sentences(body: str, first_line: int) -> Iterator[_Sentence]:
    lines = body.split("\n")
    headings: dict[int, str] = {}
    in_fence = False
    block: list[tuple[int, str]] = []
    heading = ""

    def flush() -> Iterator[_Sentence]:
        if block:
            yield from _split_block(block, heading)
            block.clear()

    index = 0
    while index < len(lines):
        raw = lines[index]
        number = first_line + index
        index += 1
        if _FENCE.match(raw):
            yield from flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        match = _HEADING.match(raw)
        if match:
            yield from flush()
            level = len(match.group(1))
            headings = {lvl: text for lvl, text in headings.items() if lvl < level}
            headings[level] = _clean(match.group(2))
            heading = headings[level]
            continue
        if any(_OUT_OF_SCOPE_HEADING.search(text) for text in headings.values()):
            continue
        is_table = "|" in raw and index < len(lines) and _TABLE_SEPARATOR.match(lines[index])
        if is_table:
            yield from flush()
            header = _cells(_clean(raw))
            index += 1
            while index < len(lines) and "|" in lines[index] and lines[index].strip():
                yield from _table_row(_cells(_clean(lines[index])), header, first_line + index)
                index += 1
            continue
        stripped = raw.strip().lstrip(">").strip()
        if not stripped or stripped == "?" or stripped.startswith("[!"):
            yield from flush()
            continue
        if _LIST_ITEM.match(stripped) or _LIST_ITEM.match(raw):
            yield from flush()
            stripped = _LIST_ITEM.sub("", stripped, count=1)
        block.append((number, _clean(stripped)))
    yield from flush()


def _table_row(cells: list[str], header: list[str], number: int) -> Iterator[_Sentence]:
    """Each value cell as a sentence "Memory: 10,240 MB", with headers "Quota Default"."""
    if not cells:
        return
    first = header[0] if header else ""
    for position, cell in enumerate(cells[1:], start=1):
        column = header[position] if position < len(header) else ""
        text = f"{cells[0]}: {cell}"
        yield _Sentence(text, ((0, number),), heading="", headers=f"{first} {column}".strip())


def _split_block(block: list[tuple[int, str]], heading: str) -> Iterator[_Sentence]:
    text = ""
    offsets: list[tuple[int, int]] = []
    for number, part in block:
        if text:
            text += " "
        offsets.append((len(text), number))
        text += part
    # Sentences end at . ! ? followed by a space, and at the :: of a Front::Back card.
    start = 0
    for match in re.finditer(r"(?<=[.!?])\s+|\s*:{2,3}\s*", text + " "):
        end = match.start()
        if end > start:
            yield _sentence_slice(text, offsets, start, end, heading)
        start = match.end()


def _sentence_slice(text, offsets, start, end, heading) -> _Sentence:
    local = [(max(offset - start, 0), number) for offset, number in offsets if offset < end]
    # The last line starting at or before the sentence start holds its beginning.
    before = [item for item in local if item[0] == 0]
    after = [item for item in local if item[0] > 0]
    kept = ([before[-1]] if before else []) + after
    return _Sentence(text[start:end], tuple(kept), heading)


# --- Finding figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    written: str
    quantity: Quantity
    noun: str


def _figures(text: str) -> list[_Figure]:
    found = []
    for match in _QUANTITY.finditer(text):
        number = match["number"]
        unit = match["unit"] or ""
        mult = match["mult"] or ""
        if not unit and not mult and not match["money"] and _YEAR.match(number):
            continue
        if unit and not _UNIT_CASE.match(unit):
            continue
        spoken = f"{'$' if match['money'] else ''}{number} {mult} {unit}".strip()
        quantity = parse_quantity(re.sub(r"\s+", " ", spoken))
        if quantity is None:
            continue
        noun = ""
        if quantity.dimension == COUNT:
            found_noun = _NOUN.match(text[match.end() :])
            noun = found_noun.group(1) if found_noun else ""
        found.append(_Figure(match.start(), match.end(), match.group(0), quantity, noun))
    return found


def _fact_quantity(fact: Fact) -> Quantity | None:
    if fact.unit.startswith("USD"):
        return Quantity(fact.value, "USD", MONEY)
    return parse_quantity(f"{fact.value} {fact.unit}")


def _same(stated: Quantity, fact: Fact) -> bool | None:
    """True or False when comparable, None when the kinds differ (then it is no claim)."""
    expected = _fact_quantity(fact)
    if expected is None or expected.dimension != stated.dimension:
        return None
    if stated.dimension == COUNT:
        return stated.value == expected.value
    a, b = stated.base, expected.base
    return abs(a - b) <= Decimal("0.001") * max(abs(a), abs(b))


def _price_matches(stated: Decimal, fact_value: Decimal, written: str) -> bool:
    """Right if it is the fact rounded to the digits written ("$0.0000167"), or within 1%."""
    digits = written.split(".")[1] if "." in written else ""
    decimals = len(re.sub(r"\D", "", digits))
    half_unit = Decimal(5) * Decimal(10) ** -(decimals + 1)
    difference = abs(stated - fact_value)
    return difference <= half_unit or difference <= Decimal("0.01") * fact_value


# --- Checking ---------------------------------------------------------------------------------


def check_facts(body: str, *, first_line: int = 1, facts: Facts | None = None) -> list[Issue]:
    """Warnings for figures about Lambda prices and limits that differ from the facts files.

    body is a note's text after its front matter; first_line is the line body starts on.
    """
    facts = facts if facts is not None else load_facts()
    issues: list[Issue] = []
    for sentence in _sentences(body, first_line):
        if _HISTORY.search(sentence.text):
            continue
        for position, message in _check_sentence(sentence, facts):
            issue = Issue(sentence.line_at(position), message)
            if issue not in issues:
                issues.append(issue)
    return issues


def _message(says: str, written: str, fact: Fact, *, aside: str = "") -> str:
    """'says the maximum timeout is "600 seconds"; the facts file says 900 seconds (...)'."""
    stated = f'says {says} "{written}"' if says else f'says "{written}"'
    return (
        f"{stated}{aside}; the facts file says {format_fact(fact)} "
        f"({fact.key}, source {fact.source}, checked {fact.checked.isoformat()})"
    )


def _clause_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind(";", 0, position) + 1
    end = text.find(";", position)
    return start, len(text) if end < 0 else end


def _check_sentence(sentence: _Sentence, facts: Facts) -> Iterator[tuple[int, str]]:
    text = sentence.text
    figures = _figures(text)
    label_match = re.match(r"^([^:]{1,80}):\s", text)
    label_text = label_match.group(1) if label_match else ""
    topic = " ".join(part for part in (sentence.heading, label_text, sentence.headers) if part)
    for index, figure in enumerate(figures):
        clause_start, clause_end = _clause_bounds(text, figure.start)
        clause = text[clause_start:clause_end]
        previous = figures[index - 1] if index and figures[index - 1].end > clause_start else None
        lead_start = max(clause_start, previous.end if previous else clause_start)
        lead = text[lead_start : figure.start][-80:]
        raw_tail = re.split(r"[;(|]|,(?!\d)", text[figure.end : clause_end], maxsplit=1)[0][:40]
        following = figures[index + 1] if index + 1 < len(figures) else None
        tail = raw_tail
        if following is not None and following.start - figure.end < len(raw_tail):
            tail = raw_tail[: following.start - figure.end]

        if figure.quantity.dimension == MONEY:
            yield from _check_price(figure, lead, raw_tail, clause, topic, sentence, facts)
            continue
        if figure.quantity.dimension == COMPUTE:
            found = _check_gb_seconds_for_dollars(
                figure, raw_tail, f"{clause} {sentence.headers}", topic, facts
            )
            if found is not None:
                yield found
                continue
        if re.search(r"\bper\s*$", lead, re.IGNORECASE):
            continue  # "per 1 million requests": a denominator, not a claim
        if _ARITHMETIC_BEFORE.search(lead) or _ARITHMETIC_AFTER.match(text[figure.end :]):
            continue
        if re.search(_OTHER_SERVICES, f"{clause} {sentence.headers}", re.IGNORECASE):
            continue
        if following is not None and following.quantity.dimension == figure.quantity.dimension:
            between = text[figure.end : following.start]
            if _RANGE_JOIN.match(between):
                continue  # the start of a range, "from 128 MB to ..."; only its end is a maximum
        label = bool(re.match(r"^[^:]{1,80}:\s*$", text[clause_start : figure.start]))
        context = " ".join((topic, lead, figure.noun, tail))
        range_start = None
        if previous is not None and _RANGE_JOIN.match(text[previous.end : figure.start]):
            range_start = previous
        yield from _check_limit(
            figure, lead, tail, clause, context, topic, label, range_start, text, facts
        )


def _check_limit(figure, lead, tail, clause, context, topic, label, range_start, text, facts):
    near = " ".join(lead.split()[-6:])
    verdicts: list[tuple[_Claim, Fact, bool]] = []
    for claim in _CLAIMS:
        if claim.key not in facts or claim.dimension != figure.quantity.dimension:
            continue
        if claim.exclude and re.search(claim.exclude, clause, re.IGNORECASE):
            continue
        fact = facts.get(claim.key)
        if range_start is not None:
            if not claim.range_min or claim.range_min not in facts:
                continue
            if not _same(range_start.quantity, facts.get(claim.range_min)):
                continue
            before = text[: range_start.start]
            if not re.search(claim.subject, f"{context} {before}", re.IGNORECASE):
                continue
        else:
            if not re.search(claim.subject, context, re.IGNORECASE):
                continue
            qualified = re.search(claim.qualifier, near, re.IGNORECASE) or re.match(
                r"^\s*(?:[A-Za-z\-]+\s+){0,2}(?:limit|maximum|max|quota|cap)\b",
                tail,
                re.IGNORECASE,
            )
            if not qualified and claim.qualifier is not _MAX:
                # "1,000 per Region by default": the words that make it this fact may follow.
                qualified = re.search(claim.qualifier, tail, re.IGNORECASE)
            if not qualified and label:
                qualified = claim.label_ok or re.search(claim.qualifier, topic, re.IGNORECASE)
            if not qualified:
                continue
        same = _same(figure.quantity, fact)
        if same is None:
            continue
        verdicts.append((claim, fact, same))
    # Any reading under which the figure is right wins: only a figure wrong every way is flagged.
    if verdicts and not any(same for _, _, same in verdicts):
        claim, fact, _ = verdicts[0]
        yield figure.start, _message(claim.says, figure.written.strip(), fact)


def _duration_prices(context: str, facts: Facts) -> list[Fact]:
    arm, x86 = bool(_ARM.search(context)), bool(_X86.search(context))
    families = ["arm"] if arm and not x86 else ["x86"] if x86 and not arm else ["x86", "arm"]
    named_later_tier = _TIERS.search(context) and not _FIRST_TIER.search(context)
    tiers = (1, 2, 3) if named_later_tier else (1,)
    keys = [f"price.{family}.gb_second.tier{tier}" for family in families for tier in tiers]
    return [facts.get(key) for key in keys if key in facts]


def _check_price(figure, lead, raw_tail, clause, topic, sentence, facts):
    stated = figure.quantity.value
    written = figure.written.strip()
    context = f"{topic} {clause}"
    if re.search(_OTHER_SERVICES, f"{clause} {sentence.headers}", re.IGNORECASE):
        return
    near = " ".join(lead.split()[-4:])
    per_gb_second = _PER_GB_SECOND.match(raw_tail)
    unit_in_header = _PER_GB_SECOND_ANYWHERE.search(f"{lead} {sentence.headers}")
    if per_gb_second or (not raw_tail.strip() and unit_in_header):
        claimed = f"{written}{per_gb_second.group(0)}" if per_gb_second else written
        if _EPHEMERAL.search(context) and "price.ephemeral.gb_second" in facts:
            candidates = [facts.get("price.ephemeral.gb_second")]
            says = "ephemeral storage costs"
        elif _NOT_DURATION.search(clause) or _NOT_DURATION.search(topic):
            return
        else:
            # The architecture named nearest the price decides; else the whole clause does.
            candidates = _duration_prices(
                near if _ARM.search(near) or _X86.search(near) else context, facts
            )
            says = "duration costs"
        if candidates and not any(_price_matches(stated, f.value, written) for f in candidates):
            if says == "duration costs":
                says = f"{_family_name(candidates[0])} duration costs"
            yield figure.start, _message(says, claimed.strip(), candidates[0])
        return
    per_million = _PER_MILLION.match(raw_tail)
    if per_million and "price.requests.per_million" in facts:
        if _REQUEST_EXCLUDE.search(clause) or not _REQUEST_SUBJECT.search(
            f"{topic} {lead} {per_million.group(0)} {clause}"
        ):
            return
        fact = facts.get("price.requests.per_million")
        if not _price_matches(stated, fact.value, written):
            claimed = f"{written}{per_million.group(0)}".strip()
            yield figure.start, _message("requests cost", claimed, fact)
        return
    dollars_for = _DOLLARS_FOR.match(raw_tail)
    if dollars_for:
        amount = _count(dollars_for["n"], dollars_for["mult"])
        claimed = f"{written}{dollars_for.group(0)}".strip()
        found = _derived_price(stated, amount, claimed, context, figure.start, facts)
        if found is not None:
            yield found


def _family_name(fact: Fact) -> str:
    return "Arm" if fact.key.startswith("price.arm.") else "x86"


def _count(number: str, mult: str | None) -> Decimal:
    factor = {"million": 10**6, "m": 10**6, "thousand": 1000, "k": 1000}.get(
        (mult or "").lower(), 1
    )
    return Decimal(number.replace(",", "")) * factor


def _check_gb_seconds_for_dollars(figure, raw_tail, clause, topic, facts):
    match = _FOR_DOLLARS.match(raw_tail)
    if match is None or re.search(_OTHER_SERVICES, clause, re.IGNORECASE):
        return None
    claimed = f"{figure.written}{match.group(0)}".strip()
    return _derived_price(
        Decimal(match["usd"]),
        figure.quantity.value,
        claimed,
        f"{topic} {clause}",
        figure.start,
        facts,
    )


def _derived_price(dollars, gb_seconds, claimed, context, position, facts):
    """ "$1 for 60,000 GB-seconds" is a price per GB-second; check it like one."""
    if gb_seconds <= 0 or _NOT_DURATION.search(context):
        return None
    price = dollars / gb_seconds
    candidates = _duration_prices(context, facts)
    # The price as implied carries no written digits to round to: allow 1%.
    if not candidates or any(abs(price - f.value) <= f.value / 100 for f in candidates):
        return None
    implied = format_usd(price.quantize(Decimal("0.0000000001")))
    aside = f" (that is {implied} per GB-second)"
    return position, _message("", claimed, candidates[0], aside=aside)
