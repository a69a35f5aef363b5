"""Quiz attempts in the database: start with fixed questions, answer, submit, score, requeue.

The questions of an attempt are frozen when it starts (same seed, same exam), answers are only
accepted before the deadline, and scoring happens once, on the server.
"""

import functools
import hashlib
import json
import re
import secrets
from dataclasses import fields, replace
from datetime import timedelta

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from cards.models import Answer, Attempt, Card, CardState, Note, Question, SuppressedQuestion
from cards.quiz import generate, scoring
from cards.quiz.calculator_questions import limits_questions, pricing_questions
from cards.quiz.drafts import CardInfo, Option, QuestionDraft
from cards.quiz.lint import question_problems
from cards.study.queue import settings_for
from cards.study.scheduling import State

PRESETS = {
    "quick": {"title": "Quick 10", "count": 10, "minutes": 20},
    "full": {"title": "Full exam: 65 in 130 min", "count": 65, "minutes": 130},
}
PRACTICE_SIZE = 20
CARD_KEY = re.compile(r"^card-\d+-")  # a generated question's key: "card-12-number"
QUESTION_FIELDS = fields(QuestionDraft)
# Decks whose cards a worker keeps between exams, about 3 KB a card (6 MB for 2,000 cards).
DECKS_REMEMBERED = 4


class Closed(Exception):
    """The attempt no longer takes answers: submitted, or past its deadline."""


def new_seed() -> str:
    return secrets.token_hex(4)


def deck_cards(deck) -> list[CardInfo]:
    """The deck's cards in play as plain data, in three queries whatever the deck size. A card
    the facts file contradicts is left out: it is never a key."""
    notes = tuple(Note.objects.filter(deck=deck).values_list("pk", "slug", "domain"))
    # What the merged cards of other notes answer for the same fact: never a distractor.
    merged = tuple(
        Card.objects.filter(
            deck=deck, merged_into__isnull=False, status=Card.Status.ACTIVE
        ).values_list("merged_into_id", "answer", "back")
    )
    rows = tuple(
        _asked(deck)
        .order_by("pk")
        .values_list("pk", "kind", "front", "back", "answer",
                     Cast("heading_path", TextField()),  # as stored: hashable, decoded once
                     "note__title", "sibling_group", "note_id", "line", "identity")
    )  # fmt: skip
    return list(_card_infos(get_script_prefix(), deck.slug, notes, merged, rows))


@functools.lru_cache(maxsize=DECKS_REMEMBERED)
def _card_infos(prefix: str, slug: str, notes: tuple, merged: tuple, rows: tuple) -> tuple:
    """deck_cards' rows as CardInfo. Remembered by the rows themselves, which deck_cards reads
    every time: what an import or an instructor changed is in the key, in every worker, so a
    card is never served as it was; only building the same 2,000 CardInfo again is saved.
    `prefix` is in the key because the cards' links start with it."""
    urls = {
        pk: (reverse("note", args=[slug, note_slug]), domain) for pk, note_slug, domain in notes
    }
    answers: dict[int, list[str]] = {}
    for into, answer, back in merged:
        answers.setdefault(into, []).append(answer or back)
    return tuple(
        CardInfo(
            id=pk,
            kind=kind,
            front=front,
            back=back,
            answer=answer,
            heading_path=tuple(json.loads(path)),
            note_title=title,
            sibling_group=group,
            source_url=f"{urls[note][0]}#L{line}",
            identity=identity,
            domain=urls[note][1],
            true_answers=tuple(answers.get(pk, ())),
        )
        for pk, kind, front, back, answer, path, title, group, note, line, identity in rows
    )


def deck_authored(deck, *, rejected: list | None = None) -> list[QuestionDraft]:
    """Questions written in the deck's notes that pass the item-writing rules; the others go to
    `rejected` as (question, rules) when it is given."""
    found = Question.objects.filter(
        note__deck=deck,
        note__removed_at__isnull=True,
        note__published=True,
        note__deck__removed_at__isnull=True,
        status=Question.Status.ACTIVE,
    ).select_related("note__deck")
    # The note's text and page (source, html) are the bulk of its row and not needed here.
    found = found.only(
        *("kind", "stem", "options", "explanation", "heading_path", "line"),
        *("note__title", "note__slug", "note__domain", "note__path", "note__deck__slug"),
    )
    drafts, pages = [], {}
    for question in found.order_by("pk"):
        if question.note_id not in pages:  # reversed once per note, not once per question
            pages[question.note_id] = question.note.get_absolute_url()
        headings = [
            h for h in question.heading_path if h.casefold() != question.note.title.casefold()
        ]
        draft = QuestionDraft(
            kind=question.kind,
            stem=question.stem,
            options=tuple(Option(o["text"], bool(o["correct"])) for o in question.options),
            explanation=question.explanation,
            topic=" › ".join([question.note.title, *headings[:1]]),
            source_url=f"{pages[question.note_id]}#L{question.line}",
            key=f"authored-{question.pk}",
            domain=question.note.domain,
            fact=f"authored:{question.pk}",
        )
        problems = question_problems(draft)
        if problems:
            if rejected is not None:
                rejected.append((question, problems))
            continue
        drafts.append(draft)
    return drafts


def calculator_questions(deck, *, seed: str, count: int, topics=None) -> list[QuestionDraft]:
    """Pricing and limits scenarios worked out by the calculator, about one question in ten,
    counted under the domain of the note their topic names."""
    if not deck.calculator_questions:
        return []
    number = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16)
    wanted = max(1, count // 10)
    found = pricing_questions(seed=number, count=wanted) + limits_questions(
        seed=number, count=wanted
    )
    if topics:  # note titles: "Lambda limits" scenarios belong to "Lambda limits and quotas"
        found = [q for q in found if any(t.startswith(q.topic) for t in topics)]
    domains = list(Note.objects.filter(deck=deck, removed_at__isnull=True)
                   .values_list("title", "domain"))  # fmt: skip
    found = [
        replace(
            question,
            domain=next((d for title, d in domains if title.startswith(question.topic)), ""),
            fact=f"calculator:{question.key}",
        )
        for question in found
    ]
    return [question for question in found if not question_problems(question)]


def topics_of(deck) -> list[str]:
    """The topics an exam can be narrowed to: one per note with a card in deck_cards (asked of
    the database, not read from the cards: the start page and every start ask it)."""
    return sorted(set(_asked(deck).values_list("note__title", flat=True).distinct()))


def _asked(deck):
    """The cards an exam asks: in play, and not contradicted by the facts file."""
    return Card.objects.filter(Card.in_play(), deck=deck).filter(fact_check__isnull=True)


def draft_to_dict(draft: QuestionDraft) -> dict:
    """dataclasses.asdict(draft), written out: asdict deep-copies every value, which took a few
    milliseconds of each exam start. The fields are plain values; the options a tuple of dicts."""
    data = {field.name: getattr(draft, field.name) for field in QUESTION_FIELDS}
    data["options"] = tuple({"text": o.text, "correct": o.correct} for o in draft.options)
    return data


def draft_from_dict(data: dict) -> QuestionDraft:
    values = dict(data)
    values["options"] = tuple(Option(**option) for option in values.get("options", ()))
    return QuestionDraft(**values)


def start(
    user,
    deck,
    *,
    mode: str,
    count: int,
    minutes: int = 0,
    seed: str = "",
    topics: list[str] | None = None,
    title: str = "",
    questions: list[QuestionDraft] | None = None,
    retake_of: Attempt | None = None,
    now=None,
) -> Attempt:
    now = now or timezone.now()
    seed = seed or new_seed()
    if questions is None:
        cards, authored = deck_cards(deck), deck_authored(deck)
        suppressed = set(SuppressedQuestion.objects.filter(deck=deck).values_list("key", flat=True))
        authored = [q for q in authored if q.key not in suppressed]
        skip = {int(key.split("-")[1]) for key in suppressed if CARD_KEY.match(key)}
        if topics:  # topics are note titles
            chosen = set(topics)
            cards = [card for card in cards if card.note_title in chosen]
            authored = [q for q in authored if q.topic.split(" › ")[0] in chosen]
        authored += calculator_questions(deck, seed=seed, count=count, topics=topics)
        questions = generate.generate_questions(
            cards,
            count=count,
            seed=seed,
            authored=authored,
            domains=[(domain["name"], domain["weight"]) for domain in deck.domains],
            skip=skip,
        )
    time_limit = minutes * 60 if mode == Attempt.Mode.EXAM else 0
    return Attempt.objects.create(
        user=user,
        deck=deck,
        mode=mode,
        title=title or ("Practice" if mode == Attempt.Mode.PRACTICE else f"{count} questions"),
        seed=seed,
        topics=list(topics or []),
        questions=[draft_to_dict(q) for q in questions],
        time_limit_s=time_limit,
        started_at=now,
        deadline=now + timedelta(seconds=time_limit) if time_limit else None,
        retake_of=retake_of,
    )


def is_open(attempt: Attempt, now=None) -> bool:
    now = now or timezone.now()
    if attempt.submitted_at is not None:
        return False
    return attempt.deadline is None or now < attempt.deadline


def expire_if_due(attempt: Attempt, now=None) -> bool:
    """Submit an exam whose deadline has passed (auto-submit). True when it just did."""
    now = now or timezone.now()
    if attempt.submitted_at is None and attempt.deadline is not None and now >= attempt.deadline:
        submit(attempt, now=now, auto=True)
        return True
    return False


def answers_by_index(attempt: Attempt) -> dict[int, Answer]:
    return {answer.index: answer for answer in attempt.answers.all()}


def save_answer(
    attempt: Attempt, index: int, given: list[str] | None, *, flag=None, now=None
) -> Answer:
    """Record the answer (and flag) for question `index`. Raises Closed after the deadline."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not is_open(locked, now):
            raise Closed
        answer, _ = Answer.objects.get_or_create(attempt=locked, index=index)
        if given is not None:
            answer.given = given
            answer.answered_at = now
            if locked.mode == Attempt.Mode.PRACTICE:
                question = draft_from_dict(locked.questions[index])
                answer.correct = check(question, given)
        if flag is not None:
            answer.flagged = flag
        answer.save()
        return answer


def check(question: QuestionDraft, given: list[str]) -> bool:
    if not given or not any(str(g).strip() for g in given):
        return False
    if question.kind == "numeric":
        return scoring.check_answer(question, given[0])
    return scoring.check_answer(question, list(given))


def submit(attempt: Attempt, *, now=None, auto: bool = False) -> Attempt:
    """Score the attempt once; later calls change nothing. Missed cards become due again."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.submitted_at is not None:
            return locked
        answers = answers_by_index(locked)
        questions = [draft_from_dict(q) for q in locked.questions]
        missed_cards = []
        for index, question in enumerate(questions):
            answer = answers.get(index) or Answer(attempt=locked, index=index)
            answer.correct = check(question, answer.given)
            answer.save()
            if not answer.correct and answer.given and question.card_id:
                missed_cards.append(question.card_id)  # answered wrong, not left blank
        total = len(questions)
        locked.correct = sum(1 for a in Answer.objects.filter(attempt=locked) if a.correct)
        locked.percent = round(100 * locked.correct / total, 1) if total else 0.0
        locked.passed = scoring.passes(locked.correct, total)
        locked.submitted_at = now
        locked.auto_submitted = auto
        locked.save()
        if missed_cards and settings_for(locked.user).requeue_missed:
            requeue(locked.user, missed_cards, now=now)
        return locked


def requeue(user, card_ids: list[int], *, now) -> int:
    """Make cards the user has studied due now (new cards are due anyway)."""
    return CardState.objects.filter(
        user=user, card_id__in=card_ids, state__in=[State.REVIEW, State.RELEARNING, State.LEARNING]
    ).update(due=now)


def _scores_by(attempt: Attempt, field: str) -> list[dict]:
    """Correct and total answers per value of a question's `field` ("topic", "domain")."""
    rows: dict[str, dict] = {}
    answers = answers_by_index(attempt)
    for index, data in enumerate(attempt.questions):
        name = data.get(field) or "Other"
        row = rows.setdefault(name, {field: name, "correct": 0, "total": 0})
        row["total"] += 1
        answer = answers.get(index)
        if answer is not None and answer.correct:
            row["correct"] += 1
    for row in rows.values():
        row["percent"] = round(100 * row["correct"] / row["total"], 1)
    return list(rows.values())


def topic_table(attempt: Attempt) -> list[dict]:
    return sorted(_scores_by(attempt, "topic"), key=lambda r: (r["percent"], r["topic"]))


def domain_table(attempt: Attempt) -> list[dict]:
    """Score by exam domain, in the deck's blueprint order (then any other domain)."""
    names = [domain["name"] for domain in attempt.deck.domains]
    order = {name: position for position, name in enumerate(names)}
    return sorted(
        _scores_by(attempt, "domain"),
        key=lambda r: (order.get(r["domain"], len(order)), r["domain"]),
    )


def domain_history(attempts: list[Attempt]) -> dict:
    """Each domain's score over the given finished attempts (newest first in, oldest first
    out): {"attempts": [...], "rows": [{"domain", "percents": [...]}]}; a domain absent from an
    attempt has None there. Two queries whatever the number of attempts."""
    attempts = [a for a in reversed(attempts) if a.submitted_at is not None]
    if len(attempts) < 2:
        return {}
    correct: dict[tuple[int, int], bool] = {
        (attempt_id, index): bool(right)
        for attempt_id, index, right in Answer.objects.filter(attempt__in=attempts).values_list(
            "attempt_id", "index", "correct"
        )
    }
    rows: dict[str, list] = {}
    for position, attempt in enumerate(attempts):
        counts: dict[str, list[int]] = {}
        for index, data in enumerate(attempt.questions):
            tally = counts.setdefault(data.get("domain") or "Other", [0, 0])
            tally[0] += correct.get((attempt.pk, index), False)
            tally[1] += 1
        for domain, (right, total) in counts.items():
            rows.setdefault(domain, [None] * len(attempts))[position] = round(100 * right / total)
    return {
        "attempts": attempts,
        "rows": [{"domain": domain, "percents": percents}
                 for domain, percents in sorted(rows.items())],
    }  # fmt: skip


def wrong_questions(attempt: Attempt) -> list[QuestionDraft]:
    answers = answers_by_index(attempt)
    return [
        draft_from_dict(data)
        for index, data in enumerate(attempt.questions)
        if not (answers.get(index) and answers[index].correct)
    ]
