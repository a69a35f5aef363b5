"""Lambda runtimes as data (content/_facts/*.runtimes.toml) and the check that warns when a note
presents a deprecated runtime as current.

Pure: never imports Django. Like the fact check it only warns where it is sure: an identifier such
as `dotnet8`, written in a note whose sentence, bullet, table row or heading does not also say
the runtime is deprecated, retired or blocked. Question callouts are never read (a deprecated
runtime is a fair wrong option).
"""

import re
import tomllib
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from pathlib import Path

from cards.calculators.facts import DEFAULT_PATH, FactsError
from cards.content.source import Issue
from cards.content.text import sentences
from cards.content.tree import BulletList, Heading, MultilineCard, NoteTree, Paragraph, Table

FIELDS = {"identifier", "language", "os", "deprecation", "block_create", "block_update"}
FIELDS |= {"source", "checked", "note"}
REQUIRED = ("identifier", "language", "deprecation", "source", "checked")

# Words that say a runtime is no longer current, wherever they are in the same piece of the note.
SAYS_DEPRECATED = re.compile(
    r"deprecat|\bretir|\bend[- ]of[- ](?:life|support)\b|\bno longer\b|\bblock(?:s|ed|ing)?\b"
    r"|\bunsupported\b|\bnot supported\b|\bsupersed|\bupgrad|\bmigrat",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Runtime:
    identifier: str
    language: str
    deprecation: date
    source: str
    checked: date
    os: str = ""
    block_create: date | None = None
    block_update: date | None = None
    note: str = ""

    @property
    def family(self) -> str:
        """ "python" for python3.14, "provided" for provided.al2023, "dotnet" for dotnet10."""
        return re.match(r"[a-z]+", self.identifier).group(0)

    def deprecated(self, today: date) -> bool:
        return self.deprecation <= today


def load_runtimes(path: Path | None = None) -> dict[str, Runtime]:
    """Every runtime in the `*.runtimes.toml` files of the facts folder, by identifier."""
    folder = Path(path) if path is not None else DEFAULT_PATH
    files = sorted(folder.glob("*.runtimes.toml")) if folder.is_dir() else [folder]
    signature = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _load(signature)


@lru_cache(maxsize=4)
def _load(signature: tuple) -> dict[str, Runtime]:
    runtimes: dict[str, Runtime] = {}
    for name, _mtime, _size in signature:
        try:
            data = tomllib.loads(Path(name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise FactsError(f"{name}: {exc}") from exc
        for index, table in enumerate(data.get("runtime", []), start=1):
            runtime = _runtime(table, f"{name}: runtime {index}")
            if runtime.identifier in runtimes:
                raise FactsError(f"{name}: runtime {runtime.identifier!r} is listed twice")
            runtimes[runtime.identifier] = runtime
    return runtimes


def _runtime(table: dict, where: str) -> Runtime:
    unknown = sorted(set(table) - FIELDS)
    if unknown:
        raise FactsError(f"{where} has unknown fields {', '.join(unknown)}")
    missing = [field for field in REQUIRED if field not in table]
    if missing:
        raise FactsError(f"{where} lacks {', '.join(missing)}")
    for field in ("deprecation", "block_create", "block_update", "checked"):
        if field in table and (not isinstance(table[field], date) or _is_datetime(table[field])):
            raise FactsError(f"{where}: {field} must be a date such as 2026-11-30")
    if not str(table["source"]).startswith("https://"):
        raise FactsError(f"{where}: source must be the URL of the page the dates came from")
    return Runtime(**{key: value for key, value in table.items()})


def _is_datetime(value) -> bool:
    return hasattr(value, "hour")


def current_successor(runtime: Runtime, runtimes: dict[str, Runtime], today: date) -> str:
    """The supported runtime of the same family that AWS keeps longest, or "" if there is none."""
    supported = [
        other
        for other in runtimes.values()
        if other.family == runtime.family and not other.deprecated(today)
    ]
    if not supported:
        return ""
    return max(supported, key=lambda other: (other.deprecation, other.identifier)).identifier


# --- The check ---------------------------------------------------------------------------------


def check_runtimes(
    tree: NoteTree, *, runtimes: dict[str, Runtime] | None = None, today: date | None = None
) -> list[Issue]:
    """Warnings, by line, for deprecated runtimes a note names without saying they are."""
    runtimes = runtimes if runtimes is not None else load_runtimes()
    today = today or date.today()
    retired = {ident: r for ident, r in runtimes.items() if r.deprecated(today)}
    if not retired:
        return []
    identifiers = tuple(sorted(retired, key=len, reverse=True))
    pattern, anywhere = _identifiers(identifiers), _anywhere(identifiers)
    issues: list[Issue] = []
    for line, text, context in _pieces(tree):
        named = list(_named(pattern, text)) if anywhere.search(text) else []
        # The context (a paragraph's sentences, a bullet's parents) is built only for a piece
        # that names a runtime: building it for every line made a long note quadratic.
        if not named or SAYS_DEPRECATED.search(context()):
            continue
        for identifier in named:
            issue = Issue(line, _message(retired[identifier], runtimes, today))
            if issue not in issues:
                issues.append(issue)
    return issues


@lru_cache(maxsize=8)
def _identifiers(identifiers: tuple[str, ...]) -> re.Pattern:
    # `java8` is not `java8.al2`, `provided` is not `provided.al2023` and `nodejs4.3` is not
    # `nodejs4.3-edge`; a full stop that ends a sentence still ends the identifier.
    names = "|".join(re.escape(identifier) for identifier in identifiers)
    return re.compile(rf"(?<![\w.-])(`?)({names})(?![\w-]|\.\w)(`?)")


@lru_cache(maxsize=8)
def _anywhere(identifiers: tuple[str, ...]) -> re.Pattern:
    """Any identifier at all: a quick test that passes over a line of 1 MB of punctuation in
    milliseconds, where the full pattern's look-behind took 0.2 s."""
    return re.compile("|".join(re.escape(identifier) for identifier in identifiers))


def _named(pattern: re.Pattern, text: str) -> Iterator[str]:
    """Identifiers in the text. One without a digit ("nodejs", "provided") is an English word
    too, so it counts only as inline code."""
    for match in pattern.finditer(text):
        opening, identifier, closing = match.groups()
        if any(char.isdigit() for char in identifier) or (opening and closing):
            yield identifier


def _message(runtime: Runtime, runtimes: dict[str, Runtime], today: date) -> str:
    blocked = ""
    if runtime.block_create:
        when = "since" if runtime.block_create <= today else "from"
        blocked = f"; new functions cannot use it {when} {runtime.block_create.isoformat()}"
    successor = current_successor(runtime, runtimes, today)
    instead = f", or name a current runtime such as `{successor}`" if successor else ""
    return (
        f"`{runtime.identifier}` ({runtime.language}) is named as if current, but AWS deprecated "
        f"it on {runtime.deprecation.isoformat()}{blocked}. Say it is deprecated{instead} "
        f"(source {runtime.source}, checked {runtime.checked.isoformat()})"
    )


def _pieces(tree: NoteTree) -> Iterator[tuple[int, str, Callable[[], str]]]:
    """(line, text, context) for every piece of the note a runtime may be named in; the
    context, built when asked for, is the piece with the headings above it (and a bullet's
    parents, a row's header)."""
    for block in tree.blocks:
        headings = " ".join(block.heading_path)
        if isinstance(block, Heading):
            yield block.line, block.text, partial(str, block.text)
        elif isinstance(block, Paragraph):
            yield from _sentences(block.lines, headings)
        elif isinstance(block, BulletList):
            pending = [(item, (headings,)) for item in block.items]
            while pending:
                item, above = pending.pop()
                path = (*above, item.text)
                yield item.line, item.text, partial(" ".join, path)
                pending.extend((child, path) for child in reversed(item.children))
        elif isinstance(block, Table):
            header = " ".join(block.header)
            for line, cells in block.rows:
                row = " | ".join(cells)
                yield line, row, partial(" ".join, (headings, header, row))
        elif isinstance(block, MultilineCard):
            parts = [text for _, text in block.question + block.answer]
            for line, text in block.question + block.answer:
                yield line, text, partial(" ".join, (headings, *parts))
    for code in tree.code:
        for line, text in code.lines:
            yield line, text, partial(str, text)


def _sentences(
    lines: list[tuple[int, str]], headings: str
) -> Iterator[tuple[int, str, Callable[[], str]]]:
    """Each line of a paragraph with the sentences it is part of as context."""
    text, starts = "", []
    for number, part in lines:
        if text:
            text += " "
        starts.append((len(text), number, part))
        text += part
    spans: list[tuple[int, int]] | None = None

    def around(start: int, part: str) -> str:
        nonlocal spans
        if spans is None:
            spans = [(a, a + len(sentence)) for a, sentence in sentences(text)]
        end, near = start + len(part), []
        for a, b in spans[max(bisect_right(spans, (start, len(text) + 1)) - 1, 0) :]:
            if a >= end:
                break
            if start < b:
                near.append(text[a:b])
        return f"{headings} {' '.join(near) or part}"

    for start, number, part in starts:
        yield number, part, partial(around, start, part)
