"""A line of a note as words: markup taken out, spans of code and links masked, sentences.

Pure: never imports Django and never raises. Every consumer of a note's inline text (cards, fact
check, quiz options, titles) reads it through these functions, so they agree on what it says.
"""

import functools
import re
import unicodedata

from cards.content.wikilinks import WIKILINK, ref_of

ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "vs", "approx", "incl", "cf", "mr", "mrs", "dr", "no", "fig", "ca"}
    | {"max", "min", "sec"}
)

# The past is no fact to learn or check: "used to be 100 ms", "older exams say 256 KB",
# "raised from 75 GB".
HISTORY = re.compile(
    r"\b(?:older|old|used to|was|were|previously|formerly|originally|deprecated|legacy"
    r"|no longer|in the past|had been|before (?:that|then|\w+ )?(?:19|20)\d\d|before that"
    r"|until (?:\w+ )?(?:19|20)\d\d)\b"
    r"|\b(?:raised|increased|lowered|reduced|changed|doubled|went)\b[^.;]*\bfrom\b",
    re.IGNORECASE,
)

MD_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)")
MD_LINK = re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")
BARE_URL = re.compile(r"\b(?:https?|ftp|s3|file)://[^\s)>\]]+|\bwww\.[^\s)>\]]+")
ANKI_CLOZE = re.compile(r"\{\{c(\d{1,3})::([^{}\n]{0,500}?)(?:::([^{}:\n]{0,200}+))?\}\}")
MARKS = re.compile(r"\*\*|__|==|~~|`")
SINGLE_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=\S)([^*\n]{1,500}?)(?<=\S)\*(?![\w*])"
    r"|(?<![\w_])_(?=\S)([^_\n]{1,500}?)(?<=\S)_(?![\w_])"
)
WORD = re.compile(r"\w+")
PUNCTUATION_RUN = re.compile(r"[\W_]+")
MARKUP = re.compile(r"[\[{<*_=~`\\]")

# Spans where punctuation is not the note's own: code, links, URLs, HTML tags.
MASKED = re.compile(
    r"``.{0,1000}?``|`[^`\n]*`|" + WIKILINK.pattern + r"|\]\([^()\s]*\)"
    r"|</?[A-Za-z][^<>\n]{0,500}>|\b(?:https?|ftp|s3|file)://[^\s)>\]]+|\bwww\.[^\s)>\]]+"
)
MASK_CHAR = "\x01"  # control characters never reach here: the note tree blanks them out
SENTENCE_OPENERS = frozenset("*_=[(`\"'")  # a character, never "": the text's end is no opener
# From the first mark of a run only: tried from each of 10,000 "?" the pattern took seconds.
SENTENCE_END = re.compile(r"(?<![.!?])[.!?]+[\"')\]*_=]*\s+")


def _link_words(match: re.Match) -> str:
    ref = ref_of(match)
    return "" if ref.embed else ref.words


@functools.lru_cache(maxsize=1 << 15)
def plain(text: str) -> str:
    """Text without Markdown markup: links become their label, emphasis and highlights go.
    Kept for the texts seen lately: the extractor and the checks read one line many times."""
    if not MARKUP.search(text):
        return " ".join(text.split())
    # Each pattern is run only over text holding what every match of it holds ("]]", "]("): a
    # line of 1 MB of "[" took 0.4 s to find nothing.
    if "]]" in text:
        text = WIKILINK.sub(_link_words, text)
    if "](" in text:
        text = MD_LINK.sub(lambda m: m.group(1), MD_IMAGE.sub("", text))
    if "{{" in text:
        text = ANKI_CLOZE.sub(lambda m: m.group(2), text)
    if "<" in text:
        text = HTML_TAG.sub(" ", text)
    text = MARKS.sub("", text)
    if "*" in text or "_" in text:
        text = SINGLE_EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    return " ".join(text.replace("\\", "").split())


@functools.lru_cache(maxsize=1 << 15)
def normalise(text: str) -> str:
    """What identity uses: markup stripped, casefolded, punctuation and spaces collapsed."""
    folded = unicodedata.normalize("NFKC", plain(text)).casefold()
    return PUNCTUATION_RUN.sub(" ", folded).strip()


def words(text: str) -> int:
    return len(WORD.findall(text))


@functools.lru_cache(maxsize=1 << 15)
def mask(text: str) -> str:
    """The text with code, links, URLs and tags replaced by MASK_CHAR, lengths kept."""
    if not any(mark in text for mark in ("`", "[", "<", "://", "www.")):
        return text
    return MASKED.sub(lambda m: MASK_CHAR * len(m.group(0)), text)


LITERAL = re.compile(
    r"``.{0,1000}?``|`[^`\n]*`|" + WIKILINK.pattern + r"|\b(?:https?|ftp|s3|file)://[^\s)>\]]+"
)
DIGIT = re.compile(r"\d")


def hide_literal_numbers(text: str) -> str:
    """Digits in code, URLs and the names of linked notes become "#": they are no figures the
    note states (`python3.12`, [[Lambda 2024]]). A link's alias is the note's own words."""
    if not DIGIT.search(text) or not any(mark in text for mark in ("`", "[[", "://")):
        return text

    def hide(match: re.Match) -> str:
        if match.group(2) is not None and ref_of(match).alias:
            return match.group(0)
        return DIGIT.sub("#", match.group(0))

    return LITERAL.sub(hide, text)


def content_words(text: str) -> int:
    """Words left once links, images and URLs are taken away; 0 means a links-only line."""
    if "]]" in text:
        text = WIKILINK.sub(" ", text)
    if "](" in text:
        text = MD_LINK.sub(" ", MD_IMAGE.sub(" ", text))
    if "://" in text or "www." in text:
        text = BARE_URL.sub(" ", text)
    return words(plain(text))


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; abbreviations such as "e.g." do not end a sentence."""
    masked = mask(text)
    found = []
    start = 0
    for match in SENTENCE_END.finditer(masked):
        following = masked[match.end() : match.end() + 1]
        if not (following.isupper() or following.isdigit() or following in SENTENCE_OPENERS):
            continue
        # The last word is all that is read: the text since `start` could be the whole line.
        previous = masked[max(start, match.start() - 100) : match.start() + 1].rsplit(None, 1)
        last_word = previous[-1].casefold().rstrip(".") if previous else ""
        if last_word in ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        found.append((start, text[start : match.end()].strip()))
        start = match.end()
    found.append((start, text[start:].strip()))
    return [(offset, sentence) for offset, sentence in found if sentence]
