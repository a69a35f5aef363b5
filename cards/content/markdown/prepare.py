"""Rewrite a note's lines so Python-Markdown reads them the way Obsidian does.

Pure: no Django import. It moves indentation, adds blank lines and private-use markers, but never
drops what the author wrote. Markers: LINE_OPEN n LINE_CLOSE before the content of source line n,
TOKEN_OPEN i TOKEN_CLOSE in place of the i-th wikilink or embed.
"""

import re
from dataclasses import dataclass, field

from cards.content.source import Issue, normalise_newlines

from .calcblocks import calculator_of, parse_block
from .wikilinks import WIKILINK, WikiRef, parse

LINE_OPEN, LINE_CLOSE = "\ue000", "\ue001"
TOKEN_OPEN, TOKEN_CLOSE = "\ue002", "\ue003"
LINE_MARKER = re.compile(f"{LINE_OPEN}(\\d+){LINE_CLOSE}")
BRACKET = "\ue004"  # a "[" Markdown must not see; _fill puts it back
TOKEN_MARKER = re.compile(f"{TOKEN_OPEN}(\\d+){TOKEN_CLOSE}")

# Our marker characters and control characters (bar tab and newline) never reach Markdown.
RESERVED = re.compile("[\ue000-\ue004\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

QUOTE = re.compile(r"(?:[ \t]{0,3}>[ ]?)+")
FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
ITEM = re.compile(r"(?:[-*+]|\d{1,9}\.)(?:[ \t]+(?:\[[ xX]\][ \t]+)?|$)")
HEADING = re.compile(r"#{1,6}(?:[ \t]+|$)")
RULE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})")
SETEXT = re.compile(r"(?:=+|-+)[ \t]*")
TABLE_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
TABLE_ROW = re.compile(r"\|[ \t]*")
REFERENCE = re.compile(r"\[[^\]]+\]:")
HTML_BLOCK = re.compile(r"<(?:!--|\?|/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$))")
CODE_SPAN = re.compile(r"(`+).+?(?<!`)\1(?!`)")
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "center", "details", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "iframe", "main", "math", "menu", "nav", "noscript", "ol", "p", "pre",
    "script", "section", "style", "svg", "table", "tbody", "td", "textarea", "tfoot", "th",
    "thead", "tr", "ul", "video", "object", "canvas", "summary", "dd", "dt", "li",
}  # fmt: skip

TAB = 4  # Python-Markdown's tab_length: one nesting level

# Python-Markdown scans ahead from every "[" for its match, so thousands of them in one paragraph
# take minutes; past this many in a note the rest are hidden from it and shown as plain text.
BRACKET_BUDGET = 2000

# Python-Markdown parses nested lists recursively; hundreds of levels exhaust the stack.
MAX_LIST_DEPTH = 40


@dataclass
class Prepared:
    text: str
    refs: list[WikiRef] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


@dataclass
class _Fence:
    char: str
    length: int
    old_indent: int
    new_indent: int
    line: int
    calculator: str | None = None  # "pricing" or "limits" for a calculator block
    lines: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    return RESERVED.sub("", normalise_newlines(text))


def _split_indent(text: str) -> tuple[int, str]:
    """Width of the leading whitespace (tabs to the next multiple of 4) and the rest."""
    width = 0
    for position, char in enumerate(text):
        if char == " ":
            width += 1
        elif char == "\t":
            width += TAB - width % TAB
        else:
            return width, text[position:]
    return width, ""


def _dedent(text: str, columns: int) -> str:
    width, position = 0, 0
    while position < len(text) and width < columns and text[position] in " \t":
        width += 1 if text[position] == " " else TAB - width % TAB
        position += 1
    return text[position:]


class _Preparer:
    def __init__(self, first_line: int, anchors: bool):
        self.first_line = first_line
        self.anchors = anchors
        self.out: list[str] = []
        self.refs: list[WikiRef] = []
        self.warnings: list[Issue] = []
        self.items: list[int] = []  # source indents of the open list items, outermost first
        self.fence: _Fence | None = None
        self.in_html = False
        self.previous_blank = True
        self.after_fence = False
        self.top_ordered = False
        self.quote_depth = 0
        self.brackets = 0

    def marker(self, number: int) -> str:
        return f"{LINE_OPEN}{number}{LINE_CLOSE}" if self.anchors else ""

    def inline(self, text: str, number: int) -> str:
        """Outside code spans: swap wikilinks for numbered tokens, remembering each one, and
        escape square brackets beyond the note's budget."""

        def token(match: re.Match) -> str:
            self.refs.append(parse(match.group(2), embed=bool(match.group(1)), line=number))
            return f"{TOKEN_OPEN}{len(self.refs) - 1}{TOKEN_CLOSE}"

        def prose(segment: str) -> str:
            segment = WIKILINK.sub(token, segment)
            self.brackets += segment.count("[")
            if self.brackets > BRACKET_BUDGET:
                segment = segment.replace("[", BRACKET)
            return segment

        pieces, position = [], 0
        for code in CODE_SPAN.finditer(text):
            pieces.append(prose(text[position : code.start()]))
            pieces.append(code.group(0))
            position = code.end()
        pieces.append(prose(text[position:]))
        return "".join(pieces)

    def emit(self, quote: str, indent: int, prefix: str, content: str, number: int) -> None:
        body = self.inline(content, number)
        self.out.append(f"{quote}{' ' * indent}{prefix}{self.marker(number)}{body}")

    def blank_line_before(self, quote: str) -> None:
        # Python-Markdown, unlike Obsidian, does not let a list, table or code block interrupt a
        # paragraph, nor a numbered list follow a bulleted one directly.
        if self.out and self.out[-1].strip(" >"):
            self.out.append(quote.rstrip())

    def list_level(self, width: int) -> int:
        while self.items and width < self.items[-1] - 1:
            self.items.pop()
        deeper = not self.items or width >= self.items[-1] + 2
        if deeper and len(self.items) < MAX_LIST_DEPTH:
            self.items.append(width)
        return len(self.items) - 1

    def continuation_indent(self, width: int) -> int | None:
        """New indent for an indented line inside a list, or None when it is not in one."""
        depth = sum(1 for item in self.items if item < width)
        if not depth:
            return None
        del self.items[depth:]
        return TAB * depth

    def line(self, raw: str, number: int) -> None:
        quote_match = QUOTE.match(raw)
        quote = quote_match.group(0) if quote_match else ""
        rest = raw[len(quote) :]
        width, content = _split_indent(rest)
        if self.fence:
            self.fenced_line(quote, rest, content, number)
            return
        if not content:
            self.out.append(raw)
            self.previous_blank, self.in_html = True, False
            return
        depth = quote.count(">")
        if depth != self.quote_depth:
            self.quote_depth, self.items = depth, []
        if self.after_fence:
            self.blank_line_before(quote)
            self.after_fence = False
        self.content_line(raw, quote, rest, width, content, number)
        self.previous_blank = False

    def fenced_line(self, quote: str, rest: str, content: str, number: int) -> None:
        fence = self.fence
        closing = re.fullmatch(rf"{re.escape(fence.char)}{{{fence.length},}}[ \t]*", content)
        if closing:
            self.fence, self.after_fence = None, True
            self.calculator_block_ends(fence)
        elif fence.calculator:
            fence.lines.append(content)
        self.out.append(f"{quote}{' ' * fence.new_indent}{_dedent(rest, fence.old_indent)}")

    def content_line(self, raw, quote, rest, width, content, number) -> None:
        html = HTML_BLOCK.match(content)
        if self.in_html or (
            width < TAB and html and (html.group(1) is None or html.group(1).lower() in BLOCK_TAGS)
        ):
            self.in_html = True
            self.out.append(raw)
            return
        fence = FENCE.fullmatch(content)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            indent = self.continuation_indent(width) if width else None
            if indent is None:
                self.items, indent = ([] if self.previous_blank else self.items), width
            self.fence = _Fence(
                fence.group(1)[0],
                len(fence.group(1)),
                width,
                indent,
                number,
                calculator_of(fence.group(2)),
            )
            self.blank_line_before(quote)
            self.out.append(f"{quote}{' ' * indent}{content}")
            return
        if RULE.fullmatch(content) or (SETEXT.fullmatch(content) and not self.previous_blank):
            self.items = []
            self.out.append(raw)
            return
        if "|" in content and TABLE_DELIMITER.fullmatch(content) and not self.previous_blank:
            self.table_starts(quote)
            self.out.append(raw)
            return
        if REFERENCE.match(content):
            self.out.append(raw)
            return
        heading = HEADING.match(content) if width < TAB else None
        if heading:
            self.items = []
            self.emit(quote, 0, heading.group(0), content[heading.end() :], number)
            return
        item = ITEM.match(content)
        if item:
            ordered, starting = content[0].isdigit(), not self.items
            level = self.list_level(width)
            if starting or (level == 0 and ordered != self.top_ordered):
                self.blank_line_before(quote)
            if level == 0:
                self.top_ordered = ordered
            self.emit(quote, TAB * level, item.group(0), content[item.end() :], number)
            return
        self.text_line(quote, rest, width, content, number)

    def table_starts(self, quote: str) -> None:
        """The previous output line is a table's header row: make sure a blank line precedes it."""
        if len(self.out) >= 2 and self.out[-2].strip(" >"):
            self.out.insert(len(self.out) - 1, quote.rstrip())

    def text_line(self, quote, rest, width, content, number) -> None:
        indent = None
        if self.items and width:
            indent = self.continuation_indent(width)
        if indent is None:
            if self.items and self.previous_blank:
                self.items = []
            indent = width
            if width >= TAB and self.previous_blank:
                # An indented code block: keep its text exactly.
                self.out.append(f"{quote}{rest}")
                return
        cell = TABLE_ROW.match(content)
        prefix = cell.group(0) if cell else ""
        content = content[len(prefix) :]
        self.emit(quote, indent, prefix, content, number)

    def calculator_block_ends(self, fence: _Fence) -> None:
        if fence.calculator:
            _params, warnings = parse_block(
                fence.calculator, fence.lines, first_line=fence.line + 1
            )
            self.warnings += warnings

    def finish(self) -> None:
        if self.fence:
            fence = self.fence
            self.calculator_block_ends(fence)
            self.warnings.append(
                Issue(fence.line, "code block opened here is never closed; it runs to the end")
            )
            self.out.append(f"{' ' * fence.new_indent}{fence.char * fence.length}")


def prepare(body: str, *, first_line: int = 1, anchors: bool = True) -> Prepared:
    preparer = _Preparer(first_line, anchors)
    for index, raw in enumerate(clean(body).split("\n")):
        preparer.line(raw, first_line + index)
    preparer.finish()
    return Prepared("\n".join(preparer.out), preparer.refs, preparer.warnings)
