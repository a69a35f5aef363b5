"""Judge the cards a deck yields by the rules of QUALITY.md, and against a gold list when the deck
has one (quality/corpus/*.gold.toml): the figures `make quality` prints and tests pin.

Reads the database (the cards as imported, merged and marked); the rules themselves are
cards/content/lint.py, shared with the app.
"""

import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cards.content.lint import RULES, CardView, card_problems, same_front_different_answer
from cards.content.text import normalise, plain
from cards.models import Card, Note

CORPUS = Path(__file__).resolve().parent / "corpus"
CONTENT = Path(__file__).resolve().parent.parent / "content" / "aws-lambda"
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s", re.MULTILINE)
FACT_WARNING = "; the facts file says "
COMPARED = re.compile(r"\(vs [^)]*\)")


@dataclass
class Judged:
    card: Card
    view: CardView
    problems: list[str] = field(default_factory=list)
    facts: set[str] = field(default_factory=set)  # gold fact ids it asks


@dataclass
class Gold:
    facts: list[dict]  # {"note", "id", "subject", "answer", "line"}
    never: list[dict]  # {"note", "front", "why"}
    wrong: list[dict]  # {"note", "line", "fact", "text"}


def load_gold(folder: Path = CORPUS) -> Gold:
    gold = Gold([], [], [])
    for path in sorted(folder.glob("*.gold.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        note = data["note"]
        gold.facts += [{"note": note, **fact} for fact in data.get("fact", [])]
        gold.never += [{"note": note, **never} for never in data.get("never", [])]
        gold.wrong += [{"note": note, **wrong} for wrong in data.get("wrong", [])]
    return gold


def _words(text: str) -> str:
    return f" {normalise(text)} "


def _has(text: str, entry: str, *, prefix: bool = False) -> bool:
    """Does normalised text contain one of the "|"-separated alternatives of a gold entry?
    With `prefix`, an alternative may begin a longer word ("transaction" in "transactional")."""
    options = [_words(option) for option in entry.split("|") if option.strip()]
    return any(
        (option[:-1] if prefix or not any(char.isdigit() for char in option) else option) in text
        for option in options
    )


def asks(judged: Judged, fact: dict) -> bool:
    """Does the card ask the fact: its question (with the context shown above it) names the
    fact's subject, and its answer holds the fact's answer?"""
    view = judged.view
    front = COMPARED.sub(" ", view.front)  # "WebSocket API (vs REST API): ..." asks of WebSocket
    question = _words(" ".join([front, *view.context]))
    answer = _words(plain(view.answer_text))
    return all(_has(question, entry, prefix=True) for entry in fact["subject"]) and all(
        _has(answer, entry) for entry in fact["answer"]
    )


def asks_exactly(judged: Judged, fact: dict) -> bool:
    """Does the card ask the fact and nothing much else: its answer is about as short as the
    fact's, or its own front names the fact's subject? A definition that mentions "30s" in
    passing asks the definition, not the default timeout."""
    if not asks(judged, fact):
        return False
    view = judged.view
    answer_words = len(normalise(plain(view.answer_text)).split())
    fact_words = max(len(normalise(option).split()) for entry in fact["answer"]
                     for option in entry.split("|"))  # fmt: skip
    if answer_words <= max(4, 2 * fact_words):
        return True
    term = _words(view.front.rsplit(": ", 1)[-1])  # "DynamoDB API: Query?" asks about Query
    return view.kind in ("definition", "basic") and all(
        _has(term, entry, prefix=True) for entry in fact["subject"]
    )


def _view(card: Card, untrue_lines: set[int]) -> CardView:
    return CardView(
        kind=card.kind,
        front_html=card.front_html,
        back_html=card.back_html,
        answer=card.answer,
        context=(card.note.title, *card.headings_below_title),
        list_items=len(LIST_ITEM.findall(card.back)) if card.kind == "list" else 0,
        untrue=card.line in untrue_lines,
        marked=bool(getattr(card, "fact_check", None)),
    )


def judge_deck(deck_slug: str, gold: Gold | None = None) -> dict:
    """Figures for a deck's cards in play, and every failing card with the rules it breaks."""
    cards = list(
        Card.objects.filter(Card.in_play(), deck__slug=deck_slug)
        .select_related("note")
        .order_by("note__path", "line", "pk")
    )
    notes = list(Note.objects.filter(deck__slug=deck_slug, removed_at__isnull=True))
    untrue = defaultdict(set)
    for note in notes:
        for warning in note.warnings:
            if FACT_WARNING in warning["message"]:
                untrue[note.pk].add(warning["line"])
    judged = [Judged(card, _view(card, untrue[card.note_id])) for card in cards]
    for item in judged:
        item.problems = card_problems(item.view)
    pairs = same_front_different_answer([item.view for item in judged])
    for first, second in pairs:
        judged[first].problems.append("one_answer")
        judged[second].problems.append("one_answer")

    figures = {"notes": len(notes), "cards": len(judged)}
    if gold is not None:
        figures |= _against_gold(judged, gold)
    failing = [item for item in judged if item.problems]
    by_rule = Counter(rule for item in failing for rule in item.problems)
    figures |= {
        "passing_share": round(1 - len(failing) / len(judged), 3) if judged else 0.0,
        "same_front_different_answer": len(pairs),
        "leftover_markup": by_rule["leftover_markup"],
        "unmerged_duplicates": by_rule["asked_twice"] // 2,
        "by_rule": dict(sorted(by_rule.items())),
    }
    return {
        "figures": figures,
        "failing": [
            {
                "note": item.card.note.path,
                "line": item.card.line,
                "kind": item.card.kind,
                "front": item.view.front,
                "back": item.view.back[:120],
                "rules": item.problems,
            }
            for item in failing
        ],
    }


def _against_gold(judged: list[Judged], gold: Gold) -> dict:
    by_note = defaultdict(list)
    for item in judged:
        by_note[item.card.note.path].append(item)
    askers = defaultdict(set)  # fact id -> notes whose cards ask it
    exact = defaultdict(set)  # fact id -> notes whose cards ask exactly it
    for fact in gold.facts:
        for item in judged:
            if asks(item, fact):
                askers[fact["id"]].add(item.card.note_id)
                if asks_exactly(item, fact):
                    item.facts.add(fact["id"])
                    exact[fact["id"]].add(item.card.note_id)
    # The same fact asked by cards of different notes, not merged into one card.
    for item in judged:
        if any(len(exact[fact_id]) > 1 for fact_id in item.facts):
            item.problems.append("asked_twice")
    for never in gold.never:
        pattern = re.compile(never["front"], re.IGNORECASE)
        for item in by_note[never["note"]]:
            if pattern.search(item.view.front):
                item.problems.append("never")
    asked = [fact for fact in gold.facts if fact["id"] in askers]
    flagged = 0
    for wrong in gold.wrong:
        note = Note.objects.get(deck__slug=judged[0].card.note.deck.slug, path=wrong["note"])
        flagged += any(
            w["line"] == wrong["line"] and FACT_WARNING in w["message"] for w in note.warnings
        )
    wrong_lines = {(wrong["note"], wrong["line"]) for wrong in gold.wrong}
    notes = Note.objects.filter(deck__slug=judged[0].card.note.deck.slug, removed_at__isnull=True)
    false_flags = sorted(
        f"{note.path}:{warning['line']}"
        for note in notes
        for warning in note.warnings
        if FACT_WARNING in warning["message"] and (note.path, warning["line"]) not in wrong_lines
    )
    return {
        "gold_facts": len(gold.facts),
        "gold_recall": round(len(asked) / len(gold.facts), 3) if gold.facts else 0.0,
        "gold_missed": sorted(
            {
                f"{fact['note']}:{fact['line']} {fact['id']}"
                for fact in gold.facts
                if fact["id"] not in askers
            }
        ),
        "wrong_figures_flagged": f"{flagged} of {len(gold.wrong)}",
        "correct_figures_flagged": false_flags,
    }


RULE_NAMES = RULES | {"never": "a card the gold list says must not appear"}


def judge_questions(deck_slug: str, seeds: tuple[str, ...] = ("q1", "q2", "q3")) -> dict:
    """Figures for the questions a deck makes (QUALITY.md, "Exam questions"): the share of
    first drafts that pass the rules, and over 65-question exams, wrong keys, repeated facts and
    how often the key is the longest option."""
    from cards.models import Deck
    from cards.quiz import exams, generate
    from cards.quiz.lint import RULES as QUESTION_RULES
    from cards.quiz.lint import exam_problems

    deck = Deck.objects.get(slug=deck_slug)
    cards = exams.deck_cards(deck)
    drafts = generate.first_drafts(cards)
    rejected: list = []
    authored = exams.deck_authored(deck, rejected=rejected)
    failing = [(card.source_url, draft.stem, problems) for card, draft, problems in drafts
               if problems]  # fmt: skip
    failing += [(question.note.path, question.stem, problems) for question, problems in rejected]
    total = len(drafts) + len(authored) + len(rejected)
    flagged_cards = set(
        Card.objects.filter(deck=deck, fact_check__isnull=False).values_list("pk", flat=True)
    )
    exams_made, repeated, wrong, longest = [], 0, 0, []
    for seed in seeds:
        found = generate.generate_questions(
            cards, count=65, seed=seed, authored=authored,
            domains=[(domain["name"], domain["weight"]) for domain in deck.domains],
        )  # fmt: skip
        exams_made.append(len(found))
        figures = exam_problems(found, [question.fact for question in found])
        repeated = max(repeated, figures["repeated_facts"])
        wrong += sum(1 for question in found if question.card_id in flagged_cards)
        longest.append(figures["key_longest_share"])
    return {
        "figures": {
            "question_drafts": total,
            "questions_passing_share": round(1 - len(failing) / total, 3) if total else 0.0,
            "questions_per_exam": exams_made,
            "wrong_keys": wrong,
            "repeated_facts_per_exam": repeated,
            "key_longest_share": max(longest) if longest else 0.0,
        },
        "failing": [
            {
                "where": where,
                "stem": stem[:140],
                "rules": [f"{rule} ({QUESTION_RULES[rule]})" for rule in problems],
            }
            for where, stem, problems in failing
        ],  # fmt: skip
    }


def measure() -> dict:
    """Import the labelled corpus and content/ (as decks "corpus" and "content") and judge
    both: {slug: {"figures": ..., "failing": [...]}}."""
    from cards.content.files import collect_deck_files, deck_info
    from cards.content.sync import import_deck

    results = {}
    for slug, folder in {"corpus": CORPUS, "content": CONTENT}.items():
        notes, assets, _skipped = collect_deck_files(folder)
        import_deck(slug, notes, assets=assets, **deck_info(folder))
        results[slug] = judge_deck(slug, load_gold() if slug == "corpus" else None)
        questions = judge_questions(slug)
        results[slug]["figures"] |= questions["figures"]
        results[slug]["failing_questions"] = questions["failing"]
    return results
