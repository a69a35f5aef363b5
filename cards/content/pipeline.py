"""Everything a note yields, from one reading: title, page, cards, questions, links, warnings.

Pure: never imports Django. `import_notes` (content/sync.py) and the editor's live preview
(content/authoring.py) both call these functions, so what the preview shows is what a save
stores. A note is read in two steps because an import needs every note's title before it can
resolve links between them: `read_note` (decode, front matter, facts, the tree, the title), then
`finish_note` (page, cards, questions, checks). `process_note` does both for one note.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from cards.calculators.facts import Facts, format_fact, load_facts, resolve_fact_refs
from cards.content.extract import CardDraft, extract_cards
from cards.content.factcheck import FactIssue, check_facts
from cards.content.markdown import Link, render_note
from cards.content.markdown.calcblocks import block_warnings
from cards.content.runtimes import check_runtimes
from cards.content.source import MAX_NOTE_BYTES, Issue, Source, read_source
from cards.content.subjects import note_topic
from cards.content.text import BARE_URL, plain
from cards.content.tree import BulletList, NoteTree, Paragraph, parse_note
from cards.quiz.authored import AuthoredQuestion, parse_questions
from cards.quiz.drafts import QuestionDraft
from cards.quiz.lint import RULES as QUESTION_RULES
from cards.quiz.lint import question_problems

LinkResolver = Callable[[str, str | None], str | None]
EmbedResolver = Callable[[str], str | None]

TITLE_MARKS = re.compile(r"[*_=`]")
FIRST_LINE_WORDS = 12


@dataclass
class Reading:
    """A note read once: its source (fact references filled in), tree, title and names."""

    path: str
    source: Source
    tree: NoteTree
    title: str
    aliases: list[str]
    tags: list[str]
    topic: str = ""  # what the note is about, named by its cards' questions
    warnings: list[Issue] = field(default_factory=list)


@dataclass
class Processed:
    """What a note yields."""

    reading: Reading
    html: str
    cards: list[CardDraft]
    questions: list[AuthoredQuestion]
    links: list[Link]
    warnings: list[Issue]  # stored with the note and listed in the import report
    hints: list[Issue]  # for the editor: lines that look like a card but make none

    @property
    def title(self) -> str:
        return self.reading.title


def read_note(data: bytes | str, *, path: str, facts: Facts | None = None) -> Reading:
    """Decode and parse a note file. Raises SourceError for what cannot be a note at all."""
    source = read_source(data, limit=MAX_NOTE_BYTES)
    warnings = list(source.warnings)
    if "{{fact:" in source.body:
        warnings += _fill_facts(source, facts or load_facts())
    tree = parse_note(source.body, first_line=source.body_line)
    warnings += tree.warnings
    return Reading(
        path=path,
        source=source,
        tree=tree,
        title=note_title(source.meta, tree, path),
        aliases=note_aliases(source.meta),
        tags=note_tags(source.meta),
        topic=note_topic(_written_title(source.meta, tree), first_line(tree), source.body),
        warnings=warnings,
    )


def finish_note(
    reading: Reading,
    *,
    resolve_link: LinkResolver | None = None,
    resolve_embed: EmbedResolver | None = None,
    facts: Facts | None = None,
) -> Processed:
    """The page, cards, questions and warnings of a read note."""
    source, tree = reading.source, reading.tree
    rendered = render_note(
        source.body,
        first_line=source.body_line,
        resolve_link=resolve_link,
        resolve_embed=resolve_embed,
        lines=tree.lines,
    )
    extraction = extract_cards(tree, title=reading.title, options=source.meta, topic=reading.topic)
    questions, question_warnings = parse_questions(tree, note_title=reading.title)
    question_warnings += rejected_questions(questions)
    untrue = check_facts(tree, facts=facts, topic=reading.topic or reading.title)
    warnings = [
        *reading.warnings,
        *untrue,
        *check_runtimes(tree),
        *rendered.warnings,
        *extraction.warnings,
        *question_warnings,
        *block_warnings(tree.code),
    ]
    return Processed(
        reading=reading,
        html=rendered.html,
        cards=marked(extraction.cards, untrue),
        questions=questions,
        links=rendered.links,
        warnings=sorted(set(warnings), key=lambda issue: (issue.line, issue.message)),
        hints=unproductive_lines(tree, extraction.cards, questions),
    )


def rejected_questions(questions: list[AuthoredQuestion]) -> list[Issue]:
    """Written questions that break an item-writing rule: exams leave them out, and the import
    report and the editor say why."""
    found = []
    for question in questions:
        draft = QuestionDraft(
            kind=question.kind,
            stem=question.stem,
            options=question.options,
            explanation=question.explanation,
        )
        problems = question_problems(draft)
        if problems:
            rules = "; ".join(QUESTION_RULES[rule] for rule in problems)
            found.append(Issue(question.line, f"question left out of exams: {rules}"))
    return found


def process_note(
    data: bytes | str,
    *,
    path: str,
    resolve_link: LinkResolver | None = None,
    resolve_embed: EmbedResolver | None = None,
    facts: Facts | None = None,
) -> Processed:
    """Everything one note yields. Raises SourceError for what cannot be a note at all."""
    reading = read_note(data, path=path, facts=facts)
    return finish_note(reading, resolve_link=resolve_link, resolve_embed=resolve_embed, facts=facts)


def marked(cards: list[CardDraft], untrue: list[FactIssue]) -> list[CardDraft]:
    """Cards whose answer shows a figure the facts file contradicts carry the fact (its value,
    date and source), so studying shows it beside the answer and no exam uses them as a key."""
    by_line: dict[int, list[FactIssue]] = {}
    for issue in untrue:
        by_line.setdefault(issue.line, []).append(issue)
    found = []
    for card in cards:
        shown = f"{plain(card.answer)} {plain(card.back)}"
        issue = next(
            (issue for issue in by_line.get(card.line, []) if issue.written in shown), None
        )
        if issue is not None and issue.fact is not None:
            fact = issue.fact
            card = replace(
                card,
                fact_check={
                    "fact": fact.key,
                    "says": issue.written,
                    "value": format_fact(fact),
                    "checked": fact.checked.isoformat(),
                    "source": fact.source,
                },
            )
        found.append(card)
    return found


def _fill_facts(source: Source, facts: Facts) -> list[Issue]:
    """Put the facts file's values in place of {{fact:key}} references, line by line, so cards
    and the page both show them; an unknown key is a warning on its line."""
    lines = source.body.split("\n")
    warnings = []
    for index, line in enumerate(lines):
        if "{{fact:" in line:
            lines[index], unknown = resolve_fact_refs(line, facts=facts)
            warnings += [
                Issue(
                    source.body_line + index,
                    f"unknown fact {{{{fact:{key}}}}}; no such key in content/_facts",
                )
                for key in unknown
            ]
    source.body = "\n".join(lines)
    return warnings


def note_title(meta: dict, tree: NoteTree, path: str) -> str:
    """The front matter's title, else the first level-1 heading, else the file name."""
    title = meta.get("title")
    if isinstance(title, str | int | float) and str(title).strip():
        return str(title).strip()
    heading = TITLE_MARKS.sub("", tree.title).strip()
    return heading or PurePosixPath(path).stem


def _written_title(meta: dict, tree: NoteTree) -> str:
    """The title the author wrote (front matter, or a level-1 heading); "" when only the file
    name gives one."""
    title = meta.get("title")
    if isinstance(title, str | int | float) and str(title).strip():
        return str(title).strip()
    return TITLE_MARKS.sub("", tree.title).strip()


def first_line(tree: NoteTree) -> str:
    """A short first line before any heading or list: notes often start with their title
    written as plain text ("DynamoDB API + features")."""
    block = tree.blocks[0] if tree.blocks else None
    if isinstance(block, Paragraph) and len(block.lines[0][1].split()) <= FIRST_LINE_WORDS:
        return block.lines[0][1]
    return ""


def note_aliases(meta: dict) -> list[str]:
    raw = meta.get("aliases", meta.get("alias", []))
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.split(",")]
    if not isinstance(raw, list):
        return []
    return [str(alias).strip() for alias in raw if str(alias).strip()]


def note_tags(meta: dict) -> list[str]:
    raw = meta.get("tags", [])
    if isinstance(raw, str):
        raw = re.split(r"[,\s]+", raw)
    if not isinstance(raw, list):
        return []
    return [str(tag).strip().lstrip("#") for tag in raw if str(tag).strip()]


def unproductive_lines(
    tree: NoteTree, cards: list[CardDraft], questions: list[AuthoredQuestion]
) -> list[Issue]:
    """Bullets that look like a fact (`Term: ...`, `Term - ...`) but made no card: often a
    definition the extractor could not read."""
    made = {card.line for card in cards} | {question.line for question in questions}
    found = []
    for block in tree.walk(BulletList):
        pending = list(block.items)
        while pending:
            item = pending.pop()
            pending.extend(item.children)
            text = BARE_URL.sub("", plain(item.text))
            if item.line in made or item.task or len(text) < 3:
                continue
            if ":" in text or " - " in text:
                found.append(Issue(item.line, "this bullet looks like a fact but produces no card"))
    for block in tree.walk(Paragraph):
        for line, text in block.lines:
            if line not in made and ("::" in text or "==" in text):
                found.append(
                    Issue(line, "this line looks like a card (`::` or `==`) but produces none")
                )
    return sorted(found, key=lambda issue: issue.line)
