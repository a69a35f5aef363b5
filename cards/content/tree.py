"""A note's one reading: its lines, classified once, and the block tree built from them.

`lex` says what every line of a note body is (blank, heading, list item, table delimiter, rule,
fence, code, comment, text), where its quote markers, indentation and wikilinks are. `parse_note`
builds the blocks every consumer walks: headings, paragraphs, bullet lists, tables, `?` cards,
code blocks and question callouts, with the note's title and links. The Markdown renderer walks
the same lines, so cards, fact checks and the page never disagree about what a line is.

Pure and forgiving: no Django, no Markdown library, never raises; odd lines become warnings.
"""

import bisect
import re
from dataclasses import dataclass, field

from cards.content.source import Issue, normalise_newlines
from cards.content.wikilinks import WIKILINK, WikiRef, ref_of

TAB = 4  # one nesting level, and Python-Markdown's tab_length

# A run of ">" is taken at once; it quotes what the same markers taken one at a time quote (a
# line of 1,000,000 ">" took 0.5 s one at a time).
QUOTE = re.compile(r"(?:[ \t]{0,3}>+[ ]?)+")
HEADING = re.compile(r"(#{1,6})(?:[ \t]+(.*?))?[ \t]*")
CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
ITEM = re.compile(r"([-*+]|\d{1,9}[.)])(?:([ \t]+)(\[[ xX]\][ \t]+)?(.*)|)")
FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
SETEXT = re.compile(r"(=+|-+)[ \t]*")
TABLE_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
REFERENCE = re.compile(r"\[[^\]]+\]:")
HTML_BLOCK = re.compile(r"<(?:!--|\?|/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$))")
CODE_SPAN = re.compile(r"(`+).+?(?<!`)\1(?!`)")
BACKTICKS = re.compile(r"`+")
CALLOUT = re.compile(r"\[!([\w-]+)\][+-]?[ \t]*(.*)")
BOLD_LINE = re.compile(r"(\*\*|__)[^*_\n]{1,80}\1:?")  # "**Benefits**" used as a heading
# Control characters (bar tab and newline) and the private-use characters the renderer uses as
# markers never reach a consumer.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RESERVED = re.compile("[\ue000-\ue004]")
COMMENT_MARKS = re.compile(r"<!--|-->|%%")


@dataclass(frozen=True, slots=True)
class Item:
    """A list item's marker and text: `- [x] text`, `1. text`, `2) text`."""

    marker: str  # "-", "*", "+", "1.", "2)"
    prefix: str  # the marker and what follows it up to the text, task box included
    text: str
    task: bool
    checked: bool

    @property
    def ordered(self) -> bool:
        return self.marker[0].isdigit()


@dataclass(slots=True)
class Line:
    """One line of a note body, read once."""

    number: int
    text: str  # as written, with comments and control characters taken out
    quote: str = ""  # the blockquote markers it starts with, as written
    indent: int = 0  # width of the whitespace after them (a tab reaches the next multiple of 4)
    content: str = ""  # the rest
    code: bool = False  # a fence or a line inside fenced code
    fence: "Code | None" = None  # on a fence's opening line, the block it opens
    closing: bool = False  # the fence that closes a code block
    refs: tuple = ()  # (start, end, WikiRef) of each wikilink in content, outside code spans
    heading: tuple[int, str] | None = None  # (level, text without closing hashes)
    item: Item | None = None
    rule: bool = False  # `---`, `***`, `___`
    setext: str = ""  # "=" or "-" for a line of only = or - (a setext underline, if after text)
    delimiter: bool = False  # a pipe table's `|---|---|` row

    @property
    def blank(self) -> bool:
        return not self.content

    @property
    def rest(self) -> str:
        """The line without its quote markers: indentation and content."""
        return self.text[len(self.quote) :]

    def html_block(self) -> bool:
        """Does raw HTML start here (a block tag, a comment or a processing instruction)?"""
        if self.indent >= TAB or not self.content.startswith("<"):
            return False
        match = HTML_BLOCK.match(self.content)
        return match is not None and (match.group(1) is None or match.group(1).lower() in BLOCKS)

    def reference(self) -> bool:
        """A link reference definition, `[label]: url`."""
        return self.content.startswith("[") and REFERENCE.match(self.content) is not None


BLOCKS = {
    "address", "article", "aside", "blockquote", "center", "details", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "iframe", "main", "math", "menu", "nav", "noscript", "ol", "p", "pre",
    "script", "section", "style", "svg", "table", "tbody", "td", "textarea", "tfoot", "th",
    "thead", "tr", "ul", "video", "object", "canvas", "summary", "dd", "dt", "li",
}  # fmt: skip


def split_indent(text: str) -> tuple[int, str]:
    """Width of the leading whitespace (tabs to the next multiple of 4) and the rest."""
    rest = text.lstrip(" \t")
    if "\t" not in text[: len(text) - len(rest)]:
        return len(text) - len(rest), rest  # spaces only: counted without a loop
    width = 0
    for position, char in enumerate(text):
        if char == " ":
            width += 1
        elif char == "\t":
            width += TAB - width % TAB
        else:
            return width, text[position:]
    return width, ""


def heading_text(raw: str) -> str:
    """Heading text without closing hashes (`## Limits ##` -> `Limits`)."""
    return CLOSING_HASHES.sub("", raw).strip()


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where the inline `code` spans of a line are; wikilinks inside them are code.

    The spans CODE_SPAN.finditer finds, found in linear time (the pattern backtracks over every
    length of every run of backticks: a run of 1,000 took minutes). A span opens at a run of
    backticks and closes at the next later run whose length is the longest at most the opening
    run's that any later run has."""
    if "`" not in text:
        return []
    if "\n" in text:
        return [match.span() for match in CODE_SPAN.finditer(text)]
    runs = [(match.start(), match.end() - match.start()) for match in BACKTICKS.finditer(text)]
    closers: list[tuple[int, int] | None] = [None] * len(runs)
    nearest: dict[int, int] = {}  # run length -> index of the nearest later run that long
    lengths: list[int] = []  # the lengths in nearest, ascending
    for index in range(len(runs) - 1, -1, -1):
        below = bisect.bisect_right(lengths, runs[index][1])
        if below:
            length = lengths[below - 1]
            closers[index] = (nearest[length], length)
        length = runs[index][1]
        if length not in nearest:
            bisect.insort(lengths, length)
        nearest[length] = index
    spans, index = [], 0
    while index < len(runs):
        if closers[index] is None:
            index += 1
            continue
        closer, length = closers[index]
        spans.append((runs[index][0], runs[closer][0] + length))
        index = closer + 1
    return spans


def wikilinks(text: str, line: int) -> tuple:
    """(start, end, WikiRef) of the wikilinks and embeds of a line, outside code spans."""
    if "[[" not in text:
        return ()
    spans = code_spans(text)
    found = []
    for match in WIKILINK.finditer(text):
        if any(start < match.end() and match.start() < end for start, end in spans):
            continue  # in code, or straddling it: shown as written
        found.append((match.start(), match.end(), ref_of(match, line)))
    return tuple(found)


def _is_rule(content: str) -> bool:
    """`***`, `- - -`, `___`: three or more of one of those marks, spaces and tabs between (a
    regex took 0.2 s over a line of 1 MB of "*")."""
    marks = content.replace(" ", "").replace("\t", "")
    return len(marks) >= 3 and marks == content[0] * len(marks)


def _classify(line: Line) -> None:
    content, indent = line.content, line.indent
    first = content[0]
    if first == "#" and indent < TAB:
        match = HEADING.fullmatch(content)
        if match:
            line.heading = (len(match.group(1)), heading_text(match.group(2) or ""))
            return
    if first in "-*+_" or first.isdigit():
        if first in "-*_" and _is_rule(content):
            line.rule = True
        match = ITEM.fullmatch(content) if first != "_" else None
        if match:
            marker, _space, box, text = match.groups()
            prefix = content[: match.start(4)] if text is not None else content
            checked = box is not None and box[1] in "xX"
            line.item = Item(marker, prefix, (text or "").strip(), box is not None, checked)
    if first in "=-" and SETEXT.fullmatch(content):
        line.setext = first
    if "|" in content and "-" in content and TABLE_DELIMITER.fullmatch(content):
        line.delimiter = True


def lex(body: str, *, first_line: int = 1) -> tuple[list[Line], list[Issue]]:
    """Every line of `body` read once: comments and fenced code marked, the rest classified."""
    warnings: list[Issue] = []
    lines: list[Line] = []
    fence: Code | None = None
    comment_end, comment_line = "", 0
    for number, raw in enumerate(normalise_newlines(body).split("\n"), start=first_line):
        text = RESERVED.sub("", raw)
        if CONTROL.search(text):
            warnings.append(Issue(number, "line contains control characters (ignored)"))
            text = CONTROL.sub(" ", text)
        quote_match = QUOTE.match(text) if ">" in text[:16] else None
        quote = quote_match.group(0) if quote_match else ""
        if fence is not None:
            indent, content = split_indent(text[len(quote) :])
            line = Line(number, text, quote, indent, content, code=True)
            if _closes(fence, content):
                line.closing = fence.closed = True
                fence = None
            else:
                fence.lines.append((number, content))
            lines.append(line)
            continue
        if not comment_end:
            indent, content = split_indent(text[len(quote) :])
            opening = FENCE.fullmatch(content) if content[:1] in "`~" else None
            if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
                marks = opening.group(1)
                fence = Code(opening.group(2).strip(), [], number, marks[0], len(marks), indent)
                lines.append(Line(number, text, quote, indent, content, code=True, fence=fence))
                continue
        if comment_end or "<!--" in text or "%%" in text:
            was_open = comment_end
            text, comment_end = _without_comments(text, comment_end)
            if comment_end and comment_end != was_open:
                comment_line = number
            quote_match = QUOTE.match(text) if ">" in text[:16] else None
            quote = quote_match.group(0) if quote_match else ""
        indent, content = split_indent(text[len(quote) :])
        line = Line(number, text, quote, indent, content)
        if content:
            _classify(line)
            line.refs = wikilinks(content, number)
        lines.append(line)
    if fence is not None:
        warnings.append(Issue(fence.line, "code fence is never closed; the rest makes no cards"))
    if comment_end:
        opened = "<!--" if comment_end == "-->" else "%%"
        warnings.append(
            Issue(
                comment_line,
                f"comment {opened} is never closed with {comment_end}: the rest of the note is "
                "hidden from the page and makes no cards",
            )
        )
    return lines, warnings


def _closes(fence: "Code", content: str) -> bool:
    """A closing fence: the opening's character, at least as many, nothing after."""
    if content[:1] != fence.char:
        return False
    match = FENCE.fullmatch(content)
    return match is not None and len(match.group(1)) >= fence.length and not match.group(2).strip()


def _without_comments(line: str, comment_end: str) -> tuple[str, str]:
    """Remove `<!-- -->` and Obsidian `%% %%` comments; return the text and the open comment."""
    kept = []
    position = 0
    for mark in COMMENT_MARKS.finditer(line):
        token = mark.group(0)
        if comment_end:
            if token == comment_end:
                comment_end = ""
                position = mark.end()
        elif token in ("<!--", "%%"):
            kept.append(line[position : mark.start()])
            comment_end = "-->" if token == "<!--" else "%%"
    if not comment_end:
        kept.append(line[position:])
    text = "".join(kept)
    return (text if text.strip() else ""), comment_end


# --- Blocks -------------------------------------------------------------------------------------


@dataclass
class Bullet:
    text: str
    line: int
    indent: int
    ordered: bool
    children: list["Bullet"] = field(default_factory=list)
    task: bool = False  # a `- [ ]` to-do item


@dataclass
class Heading:
    level: int
    text: str  # as written, closing hashes removed
    line: int
    heading_path: tuple[str, ...]  # the headings above it, this one included
    quoted: bool = False


@dataclass
class Paragraph:
    lines: list[tuple[int, str]]
    heading_path: tuple[str, ...]


@dataclass
class BulletList:
    items: list[Bullet]
    heading_path: tuple[str, ...]
    intro: tuple[int, str] | None = None  # the paragraph line ending in ":" just above


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]
    line: int
    heading_path: tuple[str, ...]


@dataclass
class MultilineCard:
    """An Obsidian spaced-repetition card: question lines, a `?` or `??` line, answer lines."""

    question: list[tuple[int, str]]
    answer: list[tuple[int, str]]
    reversed: bool
    heading_path: tuple[str, ...]


@dataclass
class Code:
    """A fenced code block: its info string ("lambda-pricing", "python") and lines."""

    info: str
    lines: list[tuple[int, str]]
    line: int  # the opening fence
    char: str = "`"
    length: int = 3
    indent: int = 0
    closed: bool = False
    heading_path: tuple[str, ...] = ()


@dataclass
class Callout:
    """An Obsidian callout `> [!question] ...`, kept whole: a hand-written quiz question."""

    kind: str  # "question"
    title: str  # the text after `[!question]`
    lines: list[tuple[int, str]]  # the lines after the first, quote markers removed
    line: int
    heading_path: tuple[str, ...]


Block = Heading | Paragraph | BulletList | Table | MultilineCard


@dataclass
class NoteTree:
    blocks: list[Block]  # headings, paragraphs, bullet lists, tables and `?` cards, in order
    warnings: list[Issue]
    lines: list[Line] = field(default_factory=list)
    _callouts: list[Callout] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The text of the first level-1 heading outside quotes, "" when there is none."""
        for block in self.blocks:
            if isinstance(block, Heading) and block.level == 1 and not block.quoted:
                return block.text
        return ""

    @property
    def code(self) -> list[Code]:
        """Every fenced code block, wherever it is (a list item may hold one)."""
        return [line.fence for line in self.lines if line.fence is not None]

    @property
    def callouts(self) -> list[Callout]:
        """Every `> [!question]` callout, in order."""
        return self._callouts

    @property
    def links(self) -> list[WikiRef]:
        """Every wikilink and embed, in order, outside code."""
        return [ref for line in self.lines for _, _, ref in line.refs]

    def walk(self, kind: type) -> list:
        return [block for block in self.blocks if isinstance(block, kind)]


def split_row(line: str) -> list[str]:
    """Cells of a pipe-table row; `\\|`, pipes in `code` and in [[link|alias]] do not split."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells, current = [], []
    in_code = False
    link_depth = 0
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and text[i + 1 : i + 2] == "|":
            current.append("|")
            i += 2
            continue
        if char == "`":
            in_code = not in_code
        elif text.startswith("[[", i) and not in_code:
            link_depth += 1
        elif text.startswith("]]", i) and link_depth and not in_code:
            link_depth -= 1
        elif char == "|" and not in_code and not link_depth:
            cells.append("".join(current).strip())
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    cells.append("".join(current).strip())
    return cells


def parse_note(body: str, *, first_line: int = 1) -> NoteTree:
    """Blocks of `body` in order, each with its heading path; line numbers start at first_line."""
    lines, warnings = lex(body.removeprefix("\ufeff"), first_line=first_line)
    return _Parser(lines, first_line, warnings).parse()


def _line_of(found: tuple[int, Callout]) -> int:
    return found[1].line


class _Parser:
    def __init__(self, lines: list[Line], first_line: int, warnings: list[Issue]):
        self.source = lines
        self.first_line = first_line
        self.warnings = warnings
        self.blocks: list[Block] = []
        self.headings: list[tuple[int, str]] = []
        self.callouts = self._find_callouts()
        self.in_callout = {
            index for start, (end, _) in self.callouts.items() for index in range(start, end + 1)
        }
        self.lines = [self._visible(index) for index in range(len(lines))]
        self.questions = self._find_questions()

    def _find_callouts(self) -> dict[int, tuple[int, Callout]]:
        """`> [!question]` callouts: their lines are a question, not text to make cards of."""
        found = {}
        index = 0
        lines = self.source
        while index < len(lines):
            line = lines[index]
            match = CALLOUT.match(line.content) if line.quote and not line.code else None
            if match and match.group(1).casefold() == "question":
                end = index + 1
                while end < len(lines) and lines[end].quote and not lines[end].code:
                    end += 1
                body = [(item.number, item.rest) for item in lines[index + 1 : end]]
                found[index] = (end - 1, Callout("question", match.group(2), body, line.number, ()))
                index = end
                continue
            index += 1
        return found

    def _visible(self, index: int) -> str:
        """What the block reader sees of a line: quotes count as ordinary text, a callout's
        title line and code are blank."""
        line = self.source[index]
        if line.code or index in self.in_callout:
            return ""
        if line.quote and CALLOUT.match(line.content):
            return ""
        return line.rest

    def number(self, index: int) -> int:
        return self.first_line + index

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.headings if text)

    def _blank(self, index: int) -> bool:
        return not self.lines[index].strip()

    def _line(self, index: int) -> Line | None:
        """The classified line, when the block reader sees it as written (not blanked)."""
        return self.source[index] if self.lines[index] else None

    def _is_heading(self, index: int) -> bool:
        line = self._line(index)
        return line is not None and line.heading is not None

    def _is_rule(self, index: int) -> bool:
        line = self._line(index)
        return line is not None and line.rule and line.indent < TAB

    def _item(self, index: int) -> Item | None:
        line = self._line(index)
        return line.item if line is not None else None

    def _find_questions(self) -> dict[int, tuple[int, MultilineCard]]:
        """Obsidian spaced-repetition multi-line cards: question, a `?` or `??` line, answer."""
        found: dict[int, tuple[int, MultilineCard]] = {}
        taken_until = -1
        for index, line in enumerate(self.lines):
            marker = line.strip()
            if marker not in ("?", "??") or index <= taken_until:
                continue
            start = index
            while start > taken_until + 1 and self._text_line(start - 1):
                start -= 1
            end = index
            while end + 1 < len(self.lines) and self._text_line(end + 1):
                if self.lines[end + 1].strip() in ("?", "??"):
                    break
                end += 1
            question = self._dedented(start, index)
            answer = self._dedented(index + 1, end + 1)
            if not question:
                self.warnings.append(Issue(self.number(index), "`?` has no question above it"))
            elif not answer:
                self.warnings.append(Issue(self.number(index), "`?` has no answer below it"))
            block = MultilineCard(question, answer, marker == "??", ())
            found[start] = (end, block)
            taken_until = end
        return found

    def _text_line(self, index: int) -> bool:
        return not self._blank(index) and not self._is_heading(index)

    def _dedented(self, start: int, stop: int) -> list[tuple[int, str]]:
        chosen = [(self.number(i), self.lines[i].rstrip()) for i in range(start, stop)]
        margin = min((len(text) - len(text.lstrip()) for _, text in chosen), default=0)
        return [(number, text[margin:]) for number, text in chosen]

    def parse(self) -> NoteTree:
        index = 0
        total = len(self.lines)
        since_heading = True
        while index < total:
            if index in self.questions:
                end, block = self.questions[index]
                block.heading_path = self.path
                self.blocks.append(block)
                index = end + 1
                continue
            line = self.lines[index]
            if not line.strip() or self._is_rule(index):
                index += 1
                continue
            source = self.source[index]
            if self._is_heading(index):
                level, text = source.heading
                self._enter_heading(level, text)
                self.blocks.append(
                    Heading(level, text, source.number, self.path, bool(source.quote))
                )
                since_heading = True
                index += 1
                continue
            if self._item(index):
                index = self._bullet_list(index, since_heading)
            elif self._indent(line) >= 4:
                index = self._indented_code(index)
                continue
            elif self._table_starts(index):
                index = self._table(index)
            else:
                index = self._paragraph(index)
            since_heading = False
        callouts = [callout for _, callout in sorted(self.callouts.values(), key=_line_of)]
        tree = NoteTree(self.blocks, self.warnings, self.source, callouts)
        headings = [block for block in self.blocks if isinstance(block, Heading)]
        for block in [*tree.code, *tree.callouts]:
            above = [heading for heading in headings if heading.line < block.line]
            block.heading_path = above[-1].heading_path if above else ()
        return tree

    def _indented_code(self, index: int) -> int:
        """Skip a block indented by four spaces or a tab: Markdown shows it as code."""
        while index < len(self.lines) and index not in self.questions:
            line = self.lines[index]
            if line.strip() and self._indent(line) < 4:
                break
            index += 1
        return index

    def _enter_heading(self, level: int, text: str) -> None:
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, text))

    def _starts_block(self, index: int) -> bool:
        return (
            index in self.questions
            or self._blank(index)
            or self._is_heading(index)
            or self._is_rule(index)
            or self._item(index) is not None
            or self._table_starts(index)
        )

    def _table_starts(self, index: int) -> bool:
        if index + 1 >= len(self.lines) or "|" not in self.lines[index]:
            return False
        following = self._line(index + 1)
        return following is not None and following.delimiter

    def _paragraph(self, index: int) -> int:
        chosen = [(self.number(index), self.lines[index].strip())]
        index += 1
        while index < len(self.lines):
            underline = self._line(index)
            if len(chosen) == 1 and underline is not None and self._setext(underline):
                level = 1 if underline.setext == "=" else 2
                text = heading_text(chosen[0][1])
                self._enter_heading(level, text)
                self.blocks.append(Heading(level, text, chosen[0][0], self.path))
                return index + 1
            if self._starts_block(index):
                break
            chosen.append((self.number(index), self.lines[index].strip()))
            index += 1
        self.blocks.append(Paragraph(chosen, self.path))
        return index

    @staticmethod
    def _setext(line: Line) -> bool:
        """`===` or `---` under a paragraph's first line (a lone `-` is an empty item)."""
        if not line.setext or line.indent >= TAB:
            return False
        return line.setext == "=" or len(line.content.strip()) >= 2

    def _table(self, index: int) -> int:
        header = split_row(self.lines[index])
        start = index
        rows = []
        index += 2
        while index < len(self.lines) and "|" in self.lines[index]:
            if index in self.questions or self._is_heading(index):
                break
            cells = split_row(self.lines[index])
            if len(cells) != len(header):
                self.warnings.append(
                    Issue(
                        self.number(index),
                        f"table row has {len(cells)} cells; the header has {len(header)}",
                    )
                )
            rows.append((self.number(index), cells))
            index += 1
        self.blocks.append(Table(header, rows, self.number(start), self.path))
        return index

    def _bullet_list(self, index: int, since_heading: bool) -> int:
        roots: list[Bullet] = []
        stack: list[Bullet] = []
        base_indent = None
        total = len(self.lines)
        while index < total and index not in self.questions:
            line = self.lines[index]
            if not line.strip():
                following = index + 1
                while following < total and not self.lines[following].strip():
                    following += 1
                if following < total and self._continues_list(following, base_indent):
                    index = following
                    continue
                break
            item = self._item(index)
            if self._is_rule(index):
                break
            if item:
                indent = self.source[index].indent
                if base_indent is None:
                    base_indent = indent
                bullet = Bullet(item.text, self.number(index), indent, item.ordered, task=item.task)
                while stack and stack[-1].indent >= indent:
                    stack.pop()
                if not stack and roots and roots[0].ordered != bullet.ordered:
                    break  # a numbered list after a bulleted one is a new list, as in Markdown
                (stack[-1].children if stack else roots).append(bullet)
                stack.append(bullet)
            elif stack and self._indent(line) > base_indent and not self._starts_block(index):
                stack[-1].text = f"{stack[-1].text} {line.strip()}".strip()
            else:
                break
            index += 1
        self.blocks.append(BulletList(roots, self.path, self._intro(since_heading)))
        return index

    def _continues_list(self, index: int, base_indent: int | None) -> bool:
        if index in self.questions or self._is_heading(index):
            return False
        if self._item(index):
            return True
        return base_indent is not None and self._indent(self.lines[index]) > base_indent

    @staticmethod
    def _indent(line: str) -> int:
        return len(line[: len(line) - len(line.lstrip())].expandtabs(4))

    def _intro(self, since_heading: bool) -> tuple[int, str] | None:
        if since_heading or not self.blocks:
            return None
        previous = self.blocks[-1]
        if not isinstance(previous, Paragraph):
            return None
        line = previous.lines[-1][1]
        if line.rstrip("*_ ").endswith(":") or BOLD_LINE.fullmatch(line):
            return previous.lines[-1]
        return None
