"""Turn a note body into flashcard drafts whose keys survive edits, corrections and reordering.

Pure: never imports Django and never raises; what it cannot understand becomes a warning by line.
"""

import bisect
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from cards.content.source import Issue
from cards.content.text import (
    ANKI_CLOZE,
    MASK_CHAR,
    WORD,
    content_words,
    mask,
    normalise,
    plain,
    sentences,
    words,
)
from cards.content.tree import Bullet, BulletList, MultilineCard, NoteTree, Paragraph, Table

KINDS = ("basic", "reversed", "cloze", "definition", "list", "table", "numeric")

PATH_SEPARATOR = " › "
MAX_UNIT_CHARS = 1000  # a "sentence" longer than this is prose, not a card
MAX_TABLE_COLUMNS = 8
MAX_TABLE_ROWS = 40
MAX_TERM_WORDS = 6
MAX_TERM_CHARS = 60
MAX_LIST_ITEM_WORDS = 8
SHORT_SENTENCE_WORDS = 6
MAX_TRAIL = 2  # parent bullets named in a nested bullet's front
MAX_SEPARATOR_CANDIDATES = 8  # a line of many `a::b::c` tokens is code, and must stay linear

# Words that label a remark rather than name something worth remembering.
MEANINGLESS = frozenset(
    {
        *("note", "notes", "nb", "n b", "example", "examples", "eg", "e g", "ie", "i e"),
        *("todo", "to do", "fixme", "tbd", "source", "sources", "see", "see also", "more"),
        *("ref", "refs", "reference", "references", "link", "links", "related", "tip", "tips"),
        *("warning", "caution", "important", "info", "update", "updated", "edit", "created"),
        *("date", "author", "tags", "tag", "aliases", "url", "further reading", "read more"),
        *("status", "modified", "up", "parent"),
    }
)
# Headings whose lists are grab-bags or references, not something to recite.
UNLISTABLE = MEANINGLESS | {
    *("misc", "miscellaneous", "other", "others", "random", "scratch", "resources"),
    *("questions", "q a", "qa", "faq", "open questions", "summary", "contents", "toc"),
}
REMARK_WORDS = frozenset({"see", "cf", "todo", "tbd", "fixme", "nb", "note", "ref"})
EMPTY_CELLS = frozenset({"", "-", "–", "—", "n/a", "na", "?", "..."})
KNOWN_NAMESPACES = frozenset({"std", "boost", "aws", "alexa", "kernel", "rails", "activerecord"})

SEPARATOR = re.compile(r"(?<!:):{2,3}(?!:)")
IDENTIFIER = re.compile(r"[(\[\"']*([A-Za-z_]\w*)")
RIGHT_IDENTIFIER = re.compile(r"[A-Za-z_~]\w*")
CODE_TAIL = re.compile(r"[(<{\[]|\.\w")
IPV6ISH = re.compile(r"[\[(]?[0-9A-Fa-f:.]*::[0-9A-Fa-f:.]*(?:[\])](?::\d+)?)?(?:/\d+)?[.,;]?")

HIGHLIGHT = re.compile(r"(?<!=)==(?![=\s])(.{1,500}?)(?<![=\s])==(?!=)")
LOOSE_HIGHLIGHT = re.compile(r"(?<![=\s])==(?!=)|(?<!=)==(?![=\s]|$)")
ANKI_OPENING = re.compile(r"\{\{c\d{1,3}::")

DIGIT = re.compile(r"\d")

BOLD_TERM = re.compile(r"(\*\*|__)([^*_\n]{1,80}?)\1[ \t]*(:|[-–—](?=\s)|)[ \t]*(.*)")
COLON = re.compile(r"(?<!:)[ \t]?:(?=\s)")
DASH = re.compile(r"[ \t][-–][ \t]|[ \t]?—[ \t]?")

# Numbers with units. Units are what a cloud exam asks about: durations, sizes, counts of
# requests, money, percentages, multipliers. Bare numbers (years, versions, ids) never match.
# Counted things are plural only: "3 invocation types" is not a count of invocations.
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
SCALE = r"(?:[ \t]?(?:thousand|million|billion)|[KMB])"
RANGE = rf"(?:[ \t]?(?:-|–|to)[ \t]?\$?(?:{NUMBER}))?"
UNIT = (
    r"(?i:gb-seconds?|gb-s|milliseconds?|microseconds?|nanoseconds?|seconds?|minutes?|hours?"
    r"|days?|weeks?|months?|years?|secs?|mins?|hrs?|ms|µs|ns|s|h"
    r"|[kmgtp]i?b(?:ps)?|bytes?|vcpus|cores|requests|invocations|(?:concurrent[ \t])?"
    r"executions|layers|retries|attempts|records|messages|events|characters|chars|usd)"
)
PER_UNIT = (
    r"(?i:gb-seconds?|gb-s|seconds?|sec|s|minutes?|min|hours?|hr|days?|weeks?|months?|years?"
    r"|ms|requests?|invocations?|functions?|regions?|accounts?|executions?)"
)
PER = (
    rf"(?:[ \t]?(?:/|per|every)[ \t]?(?:(?:{NUMBER})[ \t]?{SCALE}?[ \t]?)?"
    rf"{PER_UNIT}(?![A-Za-z0-9]))?"
)
VALUE = (
    rf"(?<![\w.,/:$\\-])(?:\$[ \t]?(?:{NUMBER}){RANGE}(?:{SCALE}(?![A-Za-z]))?{PER}"
    rf"|(?:{NUMBER}){RANGE}(?:[ \t]?%|x(?![A-Za-z0-9])|{SCALE}?[ \t-]?{UNIT}(?![A-Za-z0-9])){PER})"
)
NUMERIC_VALUE = re.compile(VALUE)
QUALIFIED_VALUE = re.compile(
    rf"(?:(?i:up to|max(?:imum)?|min(?:imum)?|about|approx(?:imately)?|around|at most|at least)"
    rf"[ \t]+|[~≈≤≥<>][ \t]?)?({VALUE})[ \t]*\.?"
)
CALCULATION = re.compile(r"\s[=×]\s|\d×\d")


@dataclass(frozen=True)
class CardDraft:
    kind: str
    front: str
    back: str
    heading_path: tuple[str, ...]
    line: int
    identity: str
    key: str
    sibling_group: str = ""
    answer: str = ""


@dataclass
class Extraction:
    cards: list[CardDraft]
    warnings: list[Issue]


@dataclass(frozen=True)
class _Deletion:
    start: int
    end: int
    answer: str
    hint: str
    group: str  # "c1" for Anki numbering, "h2" for the second ==highlight==, "n1" for a number


@functools.lru_cache(maxsize=1024)
def _plain_path(path: tuple[str, ...]) -> tuple[str, ...]:
    """Headings as plain text: `#### **Cold** starts ####` is "Cold starts"."""
    return tuple(text for text in (plain(heading) for heading in path) if text)


@functools.lru_cache(maxsize=1024)
def _heading_key(path: tuple[str, ...]) -> str:
    return "/".join(normalise(heading) for heading in path)


def extract_cards(tree: NoteTree, *, title: str, options: dict | None = None) -> Extraction:
    """Card drafts of one note's tree, in note order, with warnings for what was not understood
    (the tree's own warnings are the tree's to report)."""
    try:
        return _Extractor(title or "", options).run(tree)
    except (RecursionError, ValueError, TypeError, IndexError) as exc:
        # One odd note must not stop an import of a thousand; the warning names the problem.
        first_line = tree.lines[0].number if tree.lines else 1
        return Extraction([], [Issue(first_line, f"no cards made from this note: {exc}")])


def _switches(options: object) -> tuple[bool, bool, bool]:
    """(explicit, cloze, structure) from front matter; unknown keys and values are ignored."""
    if not isinstance(options, dict):
        return True, True, True

    def off(value: object) -> bool:
        if value is None or value is True:
            return False
        return value is False or str(value).strip().casefold() in {"false", "no", "off", "none"}

    cards = options.get("cards")
    if cards is not None and off(cards):
        return False, False, False
    structure = not (str(cards).strip().casefold() == "explicit" or off(options.get("structure")))
    return True, not off(options.get("cloze")), structure


def _context(path: tuple[str, ...], title: str) -> str:
    return PATH_SEPARATOR.join(path) if path else plain(title)


def _with_context(context: str, text: str) -> str:
    return f"{context}{PATH_SEPARATOR}{text}" if context else text


def _find_separator(text: str) -> tuple[int, int] | None:
    """Span of the `::`/`:::` that splits an explicit card, ignoring code, URLs and `Foo::Bar`."""
    if "::" not in text:
        return None
    masked = mask(text)
    if "{{" in masked:
        masked = ANKI_CLOZE.sub(lambda m: MASK_CHAR * len(m.group(0)), masked)
        masked = ANKI_OPENING.sub(lambda m: MASK_CHAR * len(m.group(0)), masked)
    for tried, match in enumerate(SEPARATOR.finditer(masked)):
        if tried == MAX_SEPARATOR_CANDIDATES:
            break
        if _is_separator(masked, match.start(), match.end()):
            return match.span()
    return None


def _is_separator(text: str, start: int, end: int) -> bool:
    token_start = max(text.rfind(" ", 0, start), text.rfind("\t", 0, start)) + 1
    token_end = min((i for i in (text.find(" ", end), text.find("\t", end)) if i >= 0), default=-1)
    token_end = len(text) if token_end < 0 else token_end
    token = text[token_start:token_end]
    if any(char.isdigit() for char in token) and IPV6ISH.fullmatch(token):
        return False
    if end - start == 3 or start == token_start or end == token_end:
        return True
    if token.count("::") >= 2:
        return False  # AWS::Lambda::Function, a::b::c
    left = IDENTIFIER.fullmatch(text, token_start, start)
    right = RIGHT_IDENTIFIER.match(text, end, token_end)
    if not left or not right:
        return True  # "Max timeout?::15 minutes", "Timeout::900 s"
    if CODE_TAIL.match(text, right.end(), token_end):
        return False  # std::move(x), std::vector<int>, Foo::Bar.new
    if left.group(1).casefold() in KNOWN_NAMESPACES:
        return False
    before, after = text[:token_start].strip(), text[token_end:].strip()
    if before and after:
        return False  # mid-sentence, as in "use std::vector here"
    return not (after and left.group(1)[0].isupper() and right.group(0)[0].isupper())


def _render(text: str, deletions: list[_Deletion], show: Callable[[_Deletion], str]) -> str:
    parts = []
    position = 0
    for deletion in deletions:
        parts.append(text[position : deletion.start])
        parts.append(show(deletion))
        position = deletion.end
    parts.append(text[position:])
    return "".join(parts)


def _blanked_identity(text: str, deletions: list[_Deletion]) -> str:
    """Normalised text with every deletion blanked: correcting an answer keeps the identity."""
    pieces = []
    position = 0
    for deletion in deletions:
        pieces.append(normalise(text[position : deletion.start]))
        position = deletion.end
    pieces.append(normalise(text[position:]))
    return " ".join(" _ ".join(pieces).split())


class _Extractor:
    def __init__(self, title: str, options: object):
        self.title = title
        self.explicit, self.cloze, self.structure = _switches(options)
        self.cards: list[CardDraft] = []
        self.warnings: list[Issue] = []
        self.keys: dict[str, CardDraft] = {}

    def run(self, tree: NoteTree) -> Extraction:
        if not (self.explicit or self.cloze or self.structure):
            return Extraction([], [])
        for block in tree.blocks:
            path = _plain_path(block.heading_path)
            if isinstance(block, MultilineCard):
                self._question(block, path)
            elif isinstance(block, Paragraph):
                self._paragraph(block, path)
            elif isinstance(block, BulletList):
                self._bullet_list(block, path)
            elif isinstance(block, Table) and self.structure:
                self._table(block, path)
        self.cards.sort(key=lambda card: card.line)
        self.warnings.sort(key=lambda issue: issue.line)
        return Extraction(self.cards, self.warnings)

    def _add(
        self,
        kind: str,
        front: str,
        back: str,
        path: tuple[str, ...],
        line: int,
        identity: str,
        *,
        group: str = "",
        answer: str = "",
    ) -> None:
        heading_key = _heading_key(path)
        base, ordinal = identity, 1
        while True:
            key = hashlib.sha1(f"{kind}|{heading_key}|{identity}".encode()).hexdigest()[:20]
            same = self.keys.get(key)
            if same is None:
                break
            if same.front == front and same.back == back:
                self.warnings.append(Issue(line, f"same card as line {same.line}; made once"))
                return
            ordinal += 1  # two different cards with one identity: the later one is "#2"
            identity = f"{base} #{ordinal}"
        card = CardDraft(kind, front, back, path, line, identity, key, group, answer)
        self.keys[key] = card
        self.cards.append(card)

    def _group(self, kind: str, path: tuple[str, ...], blanked: str) -> str:
        text = f"{kind}|{_heading_key(path)}|{blanked}"
        return hashlib.sha1(text.encode()).hexdigest()[:12]

    # Explicit cards

    def _question(self, block: MultilineCard, path: tuple[str, ...]) -> None:
        if not self.explicit or not block.question or not block.answer:
            return
        front = "\n".join(text for _, text in block.question)
        back = "\n".join(text for _, text in block.answer)
        self._explicit_pair(front, back, path, block.question[0][0], block.reversed)

    def _explicit_line(self, text: str, path: tuple[str, ...], line: int) -> bool:
        """Make the card of a `Front::Back` line; True when the line was meant as one."""
        if not self.explicit:
            return False
        span = _find_separator(text)
        if span is None:
            return False
        start, end = span
        front, back = text[:start].strip(), text[end:].strip()
        marker = text[start:end]
        if not plain(front):
            self.warnings.append(Issue(line, f"`{marker}{back[:40]}` has no front"))
        elif not plain(back):
            self.warnings.append(Issue(line, f"`{front[:40]}{marker}` has no back"))
        elif normalise(front) not in MEANINGLESS:  # Dataview fields such as `source:: URL`
            self._explicit_pair(front, back, path, line, marker == ":::")
        return True

    def _explicit_pair(
        self, front: str, back: str, path: tuple[str, ...], line: int, reverse: bool
    ) -> None:
        identity = normalise(front)
        self._add("basic", front, back, path, line, identity)
        if reverse:
            self._add("reversed", back, front, path, line, identity)

    # Cloze and numeric facts: one text, several deletions, one card per deletion group

    def _cloze_deletions(self, text: str, line: int) -> list[_Deletion]:
        if "==" not in text and "{{" not in text:
            return []
        masked = mask(text)
        found = []
        for ordinal, match in enumerate(HIGHLIGHT.finditer(masked), start=1):
            answer = text[match.start(1) : match.end(1)]
            found.append(_Deletion(match.start(), match.end(), answer, "", f"h{ordinal}"))
        for match in ANKI_CLOZE.finditer(masked):
            answer = text[match.start(2) : match.end(2)]
            hint = text[match.start(3) : match.end(3)] if match.group(3) else ""
            found.append(_Deletion(match.start(), match.end(), answer, hint, f"c{match.group(1)}"))
        found.sort(key=lambda deletion: deletion.start)
        rest = _render(masked, found, lambda deletion: " ")
        if "==" in rest and LOOSE_HIGHLIGHT.search(rest):
            self.warnings.append(Issue(line, "`==` highlight is not closed"))
        if "{{" in rest and ANKI_OPENING.search(rest):
            self.warnings.append(Issue(line, "`{{c1::` cloze is not closed with `}}`"))
        kept, end = [], -1
        for deletion in found:  # overlapping deletions (a highlight inside {{c1::}}) count once
            if deletion.start >= end:
                kept.append(deletion)
                end = deletion.end
        return kept

    def _deletion_cards(
        self,
        kind: str,
        text: str,
        deletions: list[_Deletion],
        path: tuple[str, ...],
        line: int,
        trail: tuple[str, ...] = (),
    ) -> None:
        blanked = _blanked_identity(text, deletions)
        context_words = words(plain(_render(text, deletions, lambda deletion: " ")))
        if context_words < 1:
            return
        short = context_words < SHORT_SENTENCE_WORDS
        context = _context(path + trail, self.title) if short else ""
        if context_words + words(context) < 2:
            return
        group_id = self._group(kind, path, blanked)
        groups: dict[str, list[_Deletion]] = {}
        for deletion in deletions:
            groups.setdefault(deletion.group, []).append(deletion)
        for label, chosen in groups.items():

            def front_part(deletion: _Deletion, label: str = label) -> str:
                if deletion.group != label:
                    return deletion.answer
                return f"[{deletion.hint}]" if deletion.hint else "[...]"

            def back_part(deletion: _Deletion, label: str = label) -> str:
                return f"=={deletion.answer}==" if deletion.group == label else deletion.answer

            self._add(
                kind,
                _with_context(context, _render(text, deletions, front_part)),
                _render(text, deletions, back_part),
                path,
                line,
                f"{blanked} #{label}",
                group=group_id if len(groups) > 1 else "",
                answer=" … ".join(plain(deletion.answer) for deletion in chosen),
            )

    def _numeric_facts(
        self, text: str, path: tuple[str, ...], line: int, trail: tuple[str, ...] = ()
    ) -> None:
        if not DIGIT.search(text):
            return
        masked = mask(text)
        if CALCULATION.search(masked):
            return  # the numbers of a worked example are derived, not facts to remember
        deletions = [
            _Deletion(m.start(), m.end(), text[m.start() : m.end()], "", f"n{ordinal}")
            for ordinal, m in enumerate(NUMERIC_VALUE.finditer(masked), start=1)
        ]
        if deletions:
            self._deletion_cards("numeric", text, deletions, path, line, trail)

    def _sentence_cards(
        self, text: str, path: tuple[str, ...], line: int, trail: tuple[str, ...] = ()
    ) -> str:
        """Cloze cards of one bullet or sentence; returns "cloze", "long" or "plain"."""
        if len(text) > MAX_UNIT_CHARS:
            if "==" in text or "{{c" in text:
                self.warnings.append(Issue(line, "highlight is in text too long for a card"))
            return "long"
        if self.cloze:
            deletions = self._cloze_deletions(text, line)
            if deletions:
                self._deletion_cards("cloze", text, deletions, path, line, trail)
                return "cloze"
        return "plain"

    # Paragraphs

    def _paragraph(self, block: Paragraph, path: tuple[str, ...]) -> None:
        run: list[tuple[int, str]] = []
        for line, text in block.lines:
            if (
                content_words(text) == 0
                or self._explicit_line(text, path, line)
                or self._bold_definition(text, path, line)
            ):
                self._prose(run, path)
                run = []
            else:
                run.append((line, text))
        self._prose(run, path)

    def _bold_definition(
        self, text: str, path: tuple[str, ...], line: int, trail: tuple[str, ...] = ()
    ) -> str:
        """`**Term**: definition`; returns the term when a card was made, else ""."""
        if not self.structure or not text.startswith(("**", "__")):
            return ""
        if self.cloze and ("==" in text or "{{c" in text):
            return ""
        match = BOLD_TERM.fullmatch(text)
        if not match:
            return ""
        term, separator, definition = match.group(2).strip(), match.group(3), match.group(4)
        if term.endswith(":"):
            term, separator = term[:-1].strip(), ":"
        if not separator:
            return ""
        return self._definition(term, definition.strip(), path, line, trail)

    def _prose(self, run: list[tuple[int, str]], path: tuple[str, ...]) -> None:
        """Sentences of consecutive prose lines; hard-wrapped lines are joined first."""
        units: list[tuple[list[int], list[int], list[str]]] = []  # offsets, lines, texts
        for line, text in run:
            if units and _continues(units[-1][2][-1], text):
                offsets, lines, texts = units[-1]
                offsets.append(offsets[-1] + len(texts[-1]) + 1)
                lines.append(line)
                texts.append(text)
            else:
                units.append(([0], [line], [text]))
        for offsets, lines, texts in units:
            for offset, sentence in sentences(" ".join(texts)):
                line = lines[bisect.bisect_right(offsets, offset) - 1]
                if self._sentence_cards(sentence, path, line) == "plain" and self.structure:
                    self._numeric_facts(sentence, path, line)

    # Bullet lists

    def _bullet_list(self, block: BulletList, path: tuple[str, ...]) -> None:
        roles: dict[int, str] = {}
        pending: list[tuple[Bullet, tuple[str, ...]]] = [(item, ()) for item in block.items[::-1]]
        while pending:  # iterative: deeply nested bullets must not exhaust the stack
            item, trail = pending.pop()
            role, label = self._bullet(item, path, trail)
            roles[id(item)] = role
            below = (*trail, label)[-MAX_TRAIL:] if label else trail
            pending.extend((child, below) for child in item.children[::-1])
        if not self.structure:
            return
        self._list_card(block.items, roles, path, intro=block.intro)
        parents = list(block.items)
        while parents:
            item = parents.pop()
            if item.children:
                if roles[id(item)] in ("intro", "plain") and words(plain(item.text)) <= 6:
                    self._list_card(item.children, roles, path, intro=(item.line, item.text))
                parents.extend(item.children)

    def _bullet(
        self, item: Bullet, path: tuple[str, ...], trail: tuple[str, ...]
    ) -> tuple[str, str]:
        """Cards of one bullet: its role (explicit, cloze, definition, intro, plain...) and the
        label its child bullets are read under ("Asynchronous" for "- Asynchronous: ...")."""
        text = item.text
        if not text or content_words(text) == 0:
            return "empty", ""
        if item.task:
            return "remark", ""  # a to-do is not a fact
        if self._explicit_line(text, path, item.line):
            return "explicit", ""
        role = self._sentence_cards(text, path, item.line, trail)
        if role != "plain" or not self.structure:
            return role, _label(text)
        if text.rstrip("*_ ").endswith(":") and item.children:
            return "intro", _label(text)
        first_word = WORD.search(plain(text))
        if first_word and first_word.group(0).casefold() in REMARK_WORDS:
            return "remark", ""
        term = self._plain_definition(text, path, item.line, trail)
        if term:
            return "definition", term
        self._numeric_facts(text, path, item.line, trail)
        return "plain", _label(text)

    def _list_card(
        self,
        items: list[Bullet],
        roles: dict[int, str],
        path: tuple[str, ...],
        *,
        intro: tuple[int, str] | None,
    ) -> None:
        if not 2 <= len(items) <= 9:
            return
        for item in items:
            if roles.get(id(item)) != "plain":
                return
            if words(plain(item.text)) > MAX_LIST_ITEM_WORDS:
                return
        heading = path[-1] if path else ""
        if normalise(heading) in UNLISTABLE:
            return
        count = len(items)
        in_order = " in order" if items[0].ordered else ""
        if intro:
            line, intro_text = intro
            parts = sentences(intro_text)  # "A cold start is slow. Mitigations:"
            label = plain(parts[-1][1] if parts else intro_text).rstrip(":").strip()
            if not label or normalise(label) in UNLISTABLE:
                return
            identity = normalise(label)
            if words(label) < 4:
                label = _with_context(_context(path, self.title), label)
            front = f"{label}: name all {count}{in_order}"
        else:
            context = _context(path, self.title)
            if not context:
                return
            line = items[0].line
            front = f"{context}: name the {count} items{in_order}"
            identity = normalise(context)
        back = "\n".join(
            f"{number}. {item.text}" if item.ordered else f"- {item.text}"
            for number, item in enumerate(items, start=1)
        )
        self._add("list", front, back, path, line, identity)

    # Definitions

    def _plain_definition(
        self, text: str, path: tuple[str, ...], line: int, trail: tuple[str, ...]
    ) -> str:
        """`Term: definition` or `Term - definition`; returns the term when a card was made."""
        if text.startswith(("**", "__")):
            term = self._bold_definition(text, path, line, trail)
            if term:
                return term
        masked = mask(text)
        found = [match for match in (COLON.search(masked), DASH.search(masked)) if match]
        if not found:
            return ""
        split = min(found, key=lambda match: match.start())
        term, definition = text[: split.start()], text[split.end() :].strip()
        return self._definition(term, definition, path, line, trail)

    def _definition(
        self, term: str, definition: str, path: tuple[str, ...], line: int, trail: tuple[str, ...]
    ) -> str:
        term_text = plain(term).strip()
        term_words = words(term_text)
        if not 1 <= term_words <= MAX_TERM_WORDS or len(term_text) > MAX_TERM_CHARS:
            return ""
        if "://" in term or term_text.casefold().startswith("www.") or content_words(term) == 0:
            return ""  # a URL, or a link to a note as in a map of content: navigation, not a term
        if not any(char.isalpha() for char in term_text) or normalise(term) in MEANINGLESS:
            return ""
        if DIGIT.search(term_text) and NUMERIC_VALUE.search(term_text):
            return ""  # "Memory 128 MB - 10 GB" is a range, not a term
        definition_text = plain(definition)
        value = QUALIFIED_VALUE.fullmatch(definition_text)
        if words(definition_text) < 2 and not value:
            return ""
        context = _context(path + trail, self.title)
        if words(context) + term_words < 2:
            return ""
        front = _with_context(context, f"**{term_text}**")
        identity = normalise(" ".join((*trail, term_text)))
        if value:
            self._add("numeric", front, definition, path, line, identity, answer=value.group(1))
        else:
            self._add("definition", front, definition, path, line, identity)
        return term_text

    # Tables

    def _table(self, block: Table, path: tuple[str, ...]) -> None:
        header = block.header
        if len(header) > MAX_TABLE_COLUMNS or len(block.rows) > MAX_TABLE_ROWS:
            self.warnings.append(
                Issue(
                    block.line,
                    f"table is larger than {MAX_TABLE_COLUMNS} columns × {MAX_TABLE_ROWS} rows;"
                    " no cards made from it",
                )
            )
            return
        context = _context(path, self.title)
        for line, cells in block.rows:
            row = plain(cells[0]) if cells else ""
            if not row:
                continue
            for column, cell in zip(header[1:], cells[1:], strict=False):
                column_text = plain(column)
                if not column_text or plain(cell).casefold() in EMPTY_CELLS:
                    continue
                if content_words(cell) == 0:
                    continue  # a cell holding only a link says where, not what
                front = _with_context(context, f"{row}{PATH_SEPARATOR}{column_text}")
                identity = f"{normalise(row)} | {normalise(column_text)}"
                self._add("table", front, cell, path, line, identity)


def _label(text: str) -> str:
    """What a parent bullet names: its term ("Asynchronous: ...") or its whole text if short."""
    masked = mask(text)
    found = [match for match in (COLON.search(masked), DASH.search(masked)) if match]
    if found:
        term = plain(text[: min(match.start() for match in found)])
        if 1 <= words(term) <= MAX_TERM_WORDS:
            return term
    whole = plain(text).rstrip(":").strip()
    return whole if words(whole) <= MAX_TERM_WORDS else ""


def _continues(previous: str, following: str) -> bool:
    """A hard-wrapped sentence goes on; a line per fact (Obsidian style) does not."""
    if previous.rstrip().endswith((".", "!", "?", ":", ";")):
        return False
    first = following[:1]
    return first.islower() or first.isdigit() or first == "(" or len(previous) >= 60
