"""What a note, and each of its sections, is about: the subject a card's question names.

A card stands alone (QUALITY.md, rule 1): "Amazon SQS: Visibility timeout?" rather than
"my notes › Settings › Visibility timeout". The heading path stays context shown above the card;
the subject comes from the note's title (cleaned of "my notes", "cheat sheet", "part 2"...), or
from the innermost heading that names something rather than a kind of section ("Lambda", "SQS
vs SNS", not "Settings" or "Numbers to remember").

Pure: never imports Django.
"""

import re
from functools import lru_cache

from cards.content.text import plain

# Words of headings that name a kind of section, not a thing: such a heading is no subject.
_GENERIC_WORDS = """
    a an and the of to in on at by for with or vs versus from into about as is are be can get do
    does how what which when why who where each one two three four five all more other part
    section chapter week day notes note my quick study course exam exams cram summary overview
    intro introduction basics basic general background details detail misc extra key keys fact
    facts number numbers remember things thing big small worth knowing important limits limit
    quotas quota settings setting options option features feature rules rule types type kinds
    kind list lists examples example use uses case cases terms term glossary concepts concept
    definitions definition tips tricks traps best practice practices pricing price prices cost
    costs billing capacity consistency durability availability security performance scaling
    operations api calls call reading writing reads writes indexes index commands command cli
    sdk console setup configuration config lifecycle tiers tier classes class models model modes
    mode patterns pattern architecture architectures integrations integration services service
    compared comparison differences difference diagram diagrams links link questions question
    cards card review recap checklist todo misc resources sources source references reference
    further reading related see also
    """
GENERIC = frozenset(_GENERIC_WORDS.split())

# Headings made of these words only say nothing about what a card asks ("Settings", "Key terms",
# "Numbers to remember"): they are left out of a card's subject.
_EMPTY_WORDS = """
    a an and the of to in on at by for with or is are what which when why how each one can get
    big things thing key keys term terms setting settings note notes my quick summary overview
    misc basics basic details detail fact facts number numbers remember worth knowing card cards
    more other general important exam exams tips intro introduction stuff cram review recap
    checklist glossary definition definitions concept concepts list lists questions question
    self-test test tests quiz traps trap check yourself practice bits pieces odds ends new
    untitled
    leftovers random
    """
EMPTY = frozenset(_EMPTY_WORDS.split())

# Words a note's title carries about the note rather than its subject.
TITLE_NOISE = re.compile(
    r"\([^)]*\)|\[[^\]]*\]"
    r"|\b(?:my|quick|exam|course|study|lecture|class|dev|associate)?\s*notes?\b"
    r"|\bcheat\s*-?sheet\b|\bexam cram\b|\bpart \d+\b|\bweek \d+\b|\bday \d+\b"
    r"|\b(?:stuff|things) (?:for|about)\b.*$|\bfor the\b.*\bexam\b.*$|\b(?:for|before) the exam\b"
    r"|^\s*what (?:is|are)\s+|\bwritten\b.*$|\btyped up\b.*$|\bfrom the course\b.*$"
    r"|^\s*(?:new|untitled)(?:\s+note)?\s*\d*\s*$",
    re.IGNORECASE,
)
# A subject is named without them: "SQS" names "Amazon SQS".
BRANDS = frozenset({"amazon", "aws"})
CHOICE = re.compile(r"\s(?:or|vs\.?|versus)\s", re.IGNORECASE)
ABSTRACT_ENDINGS = ("ing", "tion", "sion", "ment", "ity", "ance", "ence", "ness", "ure")
QUESTION_WORDS = frozenset({"why", "how", "what", "when", "which", "who", "where"})
MAX_LABEL_WORDS = 4
SAYS_NOTHING = re.compile(r"\b(?:means?|is for|are for|does|do|is|are|it is|they are)\W*$", re.I)
MAX_CLAUSE_WORDS = 8  # a heading such as "What an idle function can still cost"
SEPARATORS = re.compile(r"\s+[-–—:|+]\s+|\s*[,;]\s+")
WORD = re.compile(r"[\w/@.+-]+")
MAX_TOPIC_WORDS = 5
MAX_TITLE_CHARS = 200  # a longer first line is no title (and TITLE_NOISE rescans brackets)
CACHED = 1 << 14  # subjects of the headings and labels seen lately: notes repeat them


@lru_cache(maxsize=CACHED)
def clean_title(title: str) -> str:
    """The subject a note's title names: "Amazon SQS – my notes" -> "Amazon SQS",
    "IAM part 2 - roles, policies, STS" -> "IAM", "What is AWS Lambda" -> "AWS Lambda"."""
    if len(title) > MAX_TITLE_CHARS:
        return ""
    text = TITLE_NOISE.sub(" ", plain(title))
    parts = [part.strip(" -–—:.") for part in SEPARATORS.split(text) if part.strip(" -–—:.")]
    if not parts:
        return ""
    subject = " ".join(parts[0].split())
    return subject if len(subject.split()) <= MAX_TOPIC_WORDS else ""


@lru_cache(maxsize=CACHED)
def is_generic(heading: str) -> bool:
    """Does a heading name a kind of section ("Settings", "How big can things get")?"""
    words = [word.casefold().strip(".-") for word in WORD.findall(plain(heading))]
    return not words or all(word in GENERIC or word.isdigit() for word in words)


def with_casing(subject: str, text: str) -> str:
    """The subject's words as the note usually writes them: "sqs" -> "SQS" when the note says
    SQS more often."""

    def best(word: str) -> str:
        if word != word.casefold() or len(word) < 2 or word in GENERIC:
            return word  # written with capitals, or a common word: as the author wrote it
        found = re.findall(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
        if any(variant.isupper() for variant in found):  # "sqs" and "SQS": the acronym
            return word.upper()
        return word

    return " ".join(best(word) for word in subject.split())


def note_topic(title: str, first_line: str, text: str) -> str:
    """The note's subject: its title cleaned, else its first line when that reads like a title
    (notes often start with one instead of a heading)."""
    for candidate in (title, first_line):
        subject = clean_title(candidate) if candidate else ""
        if subject and not is_generic(subject):
            return with_casing(subject, text)
    return ""


@lru_cache(maxsize=CACHED)
def names_thing(heading: str) -> bool:
    """Does a heading name a thing ("Lambda", "SQS vs SNS", "Glacier Deep Archive") rather than
    a kind of section ("Queue types", "Cold starts", "How big can things get", a question)?"""
    words = WORD.findall(plain(heading))
    if is_generic(heading) or not words or heading.rstrip().endswith("?"):
        return False
    if all(word.casefold().strip(".-") in EMPTY for word in words):
        return False  # "Self-test", "Key terms"
    if len(words) == 1:  # "Lambda", "DLQ"; a plural such as "Subscribers" names a kind, and
        word = words[0]  # "Packaging" or "Invocation" an activity
        if any(char.isupper() or char.isdigit() for char in word[1:]):
            return True
        return not word.casefold().endswith(("s", *ABSTRACT_ENDINGS))
    return any(word[0].isupper() or any(char.isdigit() for char in word) for word in words[1:])


@lru_cache(maxsize=CACHED)
def says_something(label: str) -> bool:
    """Does a heading or label add to a card's subject ("Capacity", "Restore times"), unlike
    "Settings" or "What each one is for"?"""
    words = [word.casefold().strip(".-") for word in WORD.findall(plain(label))]
    return bool(words) and not all(word in EMPTY or word.isdigit() for word in words)


@lru_cache(maxsize=CACHED)
def subject_of(note: str, path: tuple[str, ...], labels: tuple[str, ...] = ()) -> str:
    """What a card of this place names: its section's subject, and the innermost label (a
    parent bullet's term, or else the heading) when it says more: "DynamoDB Capacity"."""
    topic = section_topic(note, path)
    heading = plain(path[-1]).strip() if path else ""
    if not labels and heading.endswith("?") and CHOICE.search(heading):
        return heading.rstrip("?").strip()  # "## SnapStart or provisioned concurrency?"
    candidates = [*labels[-1:]] or [*path[-1:]]
    for label in candidates:
        label = clean_title(label) or plain(label)
        words = WORD.findall(label)
        if not words or label.endswith("?"):
            continue
        if words[0].casefold() == "why":
            continue  # "Why it feels different" is a remark, not what is asked
        if words[0].casefold() in QUESTION_WORDS:
            # "## What an idle function can still cost": the heading says what is asked of
            # each term below it; "What each benefit means" says nothing.
            if len(words) > MAX_CLAUSE_WORDS or SAYS_NOTHING.search(label) or is_generic(label):
                continue  # "How big can things get" names nothing
            return label
        kept = list(words)
        while kept and kept[-1].casefold() in EMPTY:  # "Limits worth knowing" -> "Limits"
            kept.pop()
        while kept and kept[0].casefold() in EMPTY:
            kept.pop(0)
        if len(kept) != len(words):
            label = " ".join(kept)
        if (
            label
            and len(kept) <= MAX_LABEL_WORDS
            and label.casefold() != topic.casefold()
            and not mentions(topic, label)
        ):
            return f"{topic} {label}".strip() if topic and not mentions(label, topic) else label
    return topic


@lru_cache(maxsize=CACHED)
def section_topic(note: str, path: tuple[str, ...]) -> str:
    """The subject of a section: its innermost heading that names a thing, else the note's."""
    for heading in reversed(path):
        subject = clean_title(heading)
        if subject and names_thing(subject) and subject.casefold() != note.casefold():
            return subject
    return note


@lru_cache(maxsize=CACHED)
def distinctive(subject: str) -> list[str]:
    """The words that tell a subject apart: "Amazon SQS" -> ["sqs"]."""
    return [
        word
        for word in WORD.findall(plain(subject).casefold())
        if word not in GENERIC and word not in BRANDS and len(word) > 1
    ]


@lru_cache(maxsize=CACHED)
def mentions(text: str, subject: str) -> bool:
    """Does the text already name the subject (every distinctive word of it)?"""
    folded = f" {' '.join(WORD.findall(plain(text).casefold()))} "
    found = distinctive(subject)
    return bool(found) and all(f" {word} " in folded for word in found)


def ask(subject: str, term: str) -> str:
    """A question naming its subject: "Amazon SQS: Visibility timeout?"."""
    term = term.strip().rstrip(":?.").strip()
    if not subject or mentions(term, subject):
        return f"{term}?"
    return f"{subject}: {term}?"


def lead(subject: str, text: str) -> str:
    """A sentence or cloze prefixed with its subject when it does not name it."""
    if not subject or mentions(text, subject):
        return text
    return f"{subject}: {text}"
