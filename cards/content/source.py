"""Turn the bytes of a note file into text, front matter and body, with warnings by line.

Pure: no Django import. Never raises for odd text; raises SourceError only for input that is
not a text note at all (binary, too large).
"""

import re
from dataclasses import dataclass, field

import yaml

MAX_NOTE_BYTES = 2 * 1024 * 1024
# Every line of a note is read, laid out and checked one by one: these bound that work (a note
# of 500,000 one-word bullets took 40 s) far above what a study note needs.
MAX_NOTE_LINES = 6_000
MAX_LINE_CHARS = 1024 * 1024
# libyaml's safe loader when PyYAML has it (the wheels do): ten times faster on front matter.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Sequences produced when UTF-8 text was decoded as Windows-1252/Latin-1 somewhere upstream
# ("â†’" for "→", "â€™" for "’", "Ã©" for "é").
MOJIBAKE = re.compile(r"â€[\x80-\xbf™œ\x9d“”˜¦¢¡]|â†[\x80-\xbf’“”’]|Ã[\x80-\xbf¡-¿]|Â[\xa0-\xbf]")


# A UTF-8 character read as Windows-1252: its lead byte, then the continuation bytes as
# Windows-1252 shows them.
_CONTINUATION = "".join(
    bytes([byte]).decode("cp1252", errors="ignore") for byte in range(0x80, 0xC0)
)
MOJIBAKE_RUN = re.compile(f"[\u00c2-\u00df][{_CONTINUATION}]|[\u00e0-\u00ef][{_CONTINUATION}]{{2}}")


def repair_mojibake(text: str) -> str:
    """ "youâ€™re" -> "you’re": each UTF-8 character that was read as Windows-1252 is decoded
    again. A run that does not decode is left as written."""
    if not MOJIBAKE.search(text):
        return text

    def repaired(match: re.Match) -> str:
        try:
            return match.group(0).encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return match.group(0)

    return MOJIBAKE_RUN.sub(repaired, text)


class SourceError(ValueError):
    """The file cannot be a note: binary, too large or empty of text."""


@dataclass(frozen=True)
class Issue:
    line: int
    message: str


@dataclass
class Source:
    text: str  # BOM removed, line ends normalised to "\n"
    meta: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # 1-based line of `text` where `body` starts
    warnings: list[Issue] = field(default_factory=list)


def decode(data: bytes, *, limit: int = MAX_NOTE_BYTES) -> tuple[str, list[Issue]]:
    """Bytes to text. UTF-8 (with or without BOM) first, then Windows-1252 with a warning."""
    if len(data) > limit:
        raise SourceError(f"file is {len(data):,} bytes; the limit is {limit:,}")
    if b"\x00" in data[:8192]:
        raise SourceError("binary file (contains NUL bytes), not a Markdown note")
    warnings: list[Issue] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        text = data.decode("cp1252", errors="replace")
        warnings.append(Issue(line, "not valid UTF-8; read as Windows-1252, check the accents"))
    return text, warnings


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def mojibake_warnings(text: str) -> list[Issue]:
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = MOJIBAKE.search(line)
        if match:
            found.append(
                Issue(number, f"suspected mis-encoded text {match.group(0)!r} (kept as written)")
            )
    return found


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict, str, int, list[Issue]]:
    """Return (meta, body, body_line, warnings) for normalised text."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text, 1, []
    body = text[match.end() :]
    body_line = text[: match.end()].count("\n") + 1
    try:
        meta = yaml.load(match.group(1) or "", Loader=SAFE_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        return {}, body, body_line, [Issue(line, f"front matter is not valid YAML: {exc}")]
    if not isinstance(meta, dict):
        return {}, body, body_line, [Issue(1, "front matter is not a mapping of key: value")]
    return meta, body, body_line, []


def read_source(data: bytes | str, *, limit: int = MAX_NOTE_BYTES) -> Source:
    """Decode, normalise and split a note. Raises SourceError for binary or oversized input."""
    if isinstance(data, str):
        if len(data.encode("utf-8", errors="replace")) > limit:
            raise SourceError(f"text is over the limit of {limit:,} bytes")
        text, warnings = data.removeprefix("\ufeff"), []
    else:
        text, warnings = decode(data, limit=limit)
    text = normalise_newlines(text)
    check_lines(text)
    meta, body, body_line, fm_warnings = split_front_matter(text)
    warnings += fm_warnings + mojibake_warnings(text)
    return Source(text=text, meta=meta, body=body, body_line=body_line, warnings=warnings)


def check_lines(text: str) -> None:
    """Raise SourceError when the text has too many lines, or one too long."""
    lines = text.count("\n") + 1
    if lines > MAX_NOTE_LINES:
        raise SourceError(f"note has {lines:,} lines; the limit is {MAX_NOTE_LINES:,}")
    if len(text) > MAX_LINE_CHARS:
        longest = max(text.split("\n"), key=len)
        if len(longest) > MAX_LINE_CHARS:
            number = text[: text.index(longest)].count("\n") + 1
            raise SourceError(
                f"line {number} is {len(longest):,} characters long; "
                f"the limit is {MAX_LINE_CHARS:,}"
            )
