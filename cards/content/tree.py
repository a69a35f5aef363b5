"""Read a note body line by line into blocks: paragraphs, bullet lists, tables and `?` questions.

Pure and forgiving: no Django, no Markdown library, never raises; odd lines become warnings.
"""

import re
from dataclasses import dataclass, field

from cards.content.source import Issue

HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-{2,})[ \t]*$")
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
BULLET = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$")
TASK_BOX = re.compile(r"^\[[ xX]\][ \t]+")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
TABLE_DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
CALLOUT = re.compile(r"^\[![\w-]+\][+-]?")
# A hand-written quiz question (cards/authored.py): its options must not become cards.
QUESTION_CALLOUT = re.compile(r"^[ \t]{0,3}>[ \t]?\[!question\][+-]?[ \t]*", re.IGNORECASE)
BOLD_LINE = re.compile(r"(\*\*|__)[^*_\n]{1,80}\1:?")  # "**Benefits**" used as a heading
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
COMMENT_MARKS = re.compile(r"<!--|-->|%%")


@dataclass
class Bullet:
    text: str
    line: int
    indent: int
    ordered: bool
    children: list["Bullet"] = field(default_factory=list)
    task: bool = False  # a `- [ ]` to-do item


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
class Question:
    question: list[tuple[int, str]]
    answer: list[tuple[int, str]]
    reversed: bool
    heading_path: tuple[str, ...]


Block = Paragraph | BulletList | Table | Question


@dataclass
class NoteTree:
    blocks: list[Block]
    warnings: list[Issue]


def heading_text(raw: str) -> str:
    """Heading text without closing hashes (`## Limits ##` -> `Limits`)."""
    return CLOSING_HASHES.sub("", raw).strip()


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
    lines, warnings = _visible_lines(body.removeprefix("\ufeff"), first_line)
    return _Parser(lines, first_line, warnings).parse()


def _visible_lines(body: str, first_line: int) -> tuple[list[str], list[Issue]]:
    """Lines with code blocks and comments blanked out, so line numbers stay true."""
    warnings: list[Issue] = []
    lines = []
    fence = ""
    fence_line = 0
    comment_end = ""
    for number, raw in enumerate(body.split("\n"), start=first_line):
        line = raw.rstrip("\r").replace("\r", " ")
        if CONTROL.search(line):
            warnings.append(Issue(number, "line contains control characters (ignored)"))
            line = CONTROL.sub(" ", line)
        if fence:
            closing = FENCE.match(line)
            if (
                closing
                and closing.group(1)[0] == fence[0]
                and len(closing.group(1)) >= len(fence)
                and not closing.group(2).strip()
            ):
                fence = ""
            lines.append("")
            continue
        if not comment_end:
            opening = FENCE.match(line)
            if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
                fence, fence_line = opening.group(1), number
                lines.append("")
                continue
        line, comment_end = _without_comments(line, comment_end)
        lines.append(line)
    if fence:
        warnings.append(Issue(fence_line, "code fence is never closed; the rest makes no cards"))
    return lines, warnings


def _without_comments(line: str, comment_end: str) -> tuple[str, str]:
    """Remove `<!-- -->` and Obsidian `%% %%` comments; return the text and the open comment."""
    if not comment_end and "<!--" not in line and "%%" not in line:
        return line, ""
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


def _without_questions(lines: list[str]) -> list[str]:
    """Lines with every `> [!question]` callout blanked, so line numbers stay true."""
    kept = []
    in_question = False
    for line in lines:
        if QUESTION_CALLOUT.match(line):
            in_question = True
        elif in_question and not QUOTE.match(line):
            in_question = False
        kept.append("" if in_question else line)
    return kept


class _Parser:
    def __init__(self, lines: list[str], first_line: int, warnings: list[Issue]):
        self.lines = [self._unquote(line) for line in _without_questions(lines)]
        self.first_line = first_line
        self.warnings = warnings
        self.blocks: list[Block] = []
        self.headings: list[tuple[int, str]] = []
        self.questions = self._find_questions()

    @staticmethod
    def _unquote(line: str) -> str:
        """Block quotes and callouts count as ordinary text; a callout's title line is dropped."""
        if ">" not in line[:8]:
            return line
        match = QUOTE.match(line)
        if not match:
            return line
        rest = line[match.end() :]
        return "" if CALLOUT.match(rest) else rest

    def number(self, index: int) -> int:
        return self.first_line + index

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.headings if text)

    def _blank(self, index: int) -> bool:
        return not self.lines[index].strip()

    def _is_heading(self, index: int) -> bool:
        line = self.lines[index]
        return line.lstrip(" ").startswith("#") and HEADING.match(line) is not None

    def _find_questions(self) -> dict[int, tuple[int, Question]]:
        """Obsidian spaced-repetition multi-line cards: question, a `?` or `??` line, answer."""
        found: dict[int, tuple[int, Question]] = {}
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
            block = Question(question, answer, marker == "??", ())
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
            if not line.strip() or RULE.match(line):
                index += 1
                continue
            if self._is_heading(index):
                match = HEADING.match(line)
                self._enter_heading(len(match.group(1)), heading_text(match.group(2) or ""))
                since_heading = True
                index += 1
                continue
            if BULLET.match(line):
                index = self._bullet_list(index, since_heading)
            elif self._indent(line) >= 4:
                index = self._indented_code(index)
                continue
            elif self._table_starts(index):
                index = self._table(index)
            else:
                index = self._paragraph(index)
            since_heading = False
        return NoteTree(self.blocks, self.warnings)

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
        line = self.lines[index]
        return (
            index in self.questions
            or not line.strip()
            or self._is_heading(index)
            or RULE.match(line) is not None
            or BULLET.match(line) is not None
            or self._table_starts(index)
        )

    def _table_starts(self, index: int) -> bool:
        return (
            "|" in self.lines[index]
            and index + 1 < len(self.lines)
            and "|" in self.lines[index + 1]
            and "-" in self.lines[index + 1]
            and TABLE_DELIMITER.match(self.lines[index + 1]) is not None
        )

    def _paragraph(self, index: int) -> int:
        chosen = [(self.number(index), self.lines[index].strip())]
        index += 1
        while index < len(self.lines):
            if len(chosen) == 1 and SETEXT.match(self.lines[index]):
                level = 1 if self.lines[index].strip().startswith("=") else 2
                self._enter_heading(level, heading_text(chosen[0][1]))
                return index + 1
            if self._starts_block(index):
                break
            chosen.append((self.number(index), self.lines[index].strip()))
            index += 1
        self.blocks.append(Paragraph(chosen, self.path))
        return index

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
            match = BULLET.match(line)
            if RULE.match(line):
                break
            if match:
                indent = len(match.group(1).expandtabs(4))
                if base_indent is None:
                    base_indent = indent
                text = (match.group(3) or "").strip()
                task = TASK_BOX.match(text)
                if task:
                    text = text[task.end() :]
                ordered = match.group(2)[0].isdigit()
                bullet = Bullet(text, self.number(index), indent, ordered, task=task is not None)
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
        line = self.lines[index]
        if BULLET.match(line):
            return True
        return base_indent is not None and self._indent(line) > base_indent

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
