"""Exam readiness: per exam domain, the predicted recall of its cards on the exam date (FSRS
retrievability then, by the student's own parameters, averaged over the domain's cards; a card
never studied counts as not recalled), beside the student's recent quiz score in that domain,
and the new cards a day that would cover the deck in time.

A card's domain is its note's (content/domains.py), or its deck's title when the note has none.
Quiz scores are read from submitted attempts (read only): a question made from a card counts
for that card's domain; authored and calculator questions name no card and are not counted.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from cards.models import Answer, Attempt, Card, CardState, Deck
from cards.study import scheduling
from cards.study.days import day_start, start_of_day
from cards.study.queue import settings_for
from cards.study.scheduling import State

# Below this many studied cards a domain's figure says little.
MIN_STUDIED = 10
QUIZ_DAYS = 30


@dataclass
class DomainReadiness:
    name: str
    weight: float | None  # the exam blueprint's share, when a deck names it
    cards: int = 0
    studied: int = 0
    recall_sum: float = 0.0
    quiz_correct: int = 0
    quiz_total: int = 0

    @property
    def recall_percent(self) -> float:
        """Predicted recall on exam day over all the domain's cards, new ones counting 0."""
        return 100 * self.recall_sum / self.cards if self.cards else 0.0

    @property
    def too_little(self) -> bool:
        return self.studied < min(MIN_STUDIED, self.cards)

    @property
    def quiz_percent(self) -> float | None:
        return 100 * self.quiz_correct / self.quiz_total if self.quiz_total else None

    @property
    def search(self) -> str:
        return f'domain:"{self.name}"'


@dataclass
class Readiness:
    exam_date: date
    days_left: int
    domains: list[DomainReadiness] = field(default_factory=list)
    new_cards: int = 0

    @property
    def new_per_day(self) -> int | None:
        """New cards a day to have met every card by the day before the exam."""
        if self.days_left <= 0:
            return None
        return math.ceil(self.new_cards / self.days_left)

    @property
    def studied(self) -> int:
        return sum(domain.studied for domain in self.domains)


def _blueprint() -> dict[str, float]:
    weights = {}
    for domains in Deck.objects.filter(removed_at__isnull=True).values_list("domains", flat=True):
        for domain in domains or []:
            weights.setdefault(domain.get("name", ""), domain.get("weight"))
    return weights


def readiness(user, *, now: datetime | None = None) -> Readiness | None:
    """The user's readiness for their exam date; None when they have not set one."""
    now = now or timezone.now()
    prefs = settings_for(user)
    if prefs.exam_date is None:
        return None
    today = day_start(now, prefs).date()
    exam_at = start_of_day(prefs.exam_date, prefs)
    found = Readiness(exam_date=prefs.exam_date, days_left=(prefs.exam_date - today).days)
    parameters = tuple(prefs.fsrs_parameters or ())
    weights = _blueprint()
    domains: dict[str, DomainReadiness] = {}
    domain_of = {}
    for pk, note_domain, deck_title in Card.objects.filter(Card.in_play()).values_list(
        "pk", "note__domain", "deck__title"
    ):
        name = note_domain or deck_title
        domain_of[pk] = name
        if name not in domains:
            domains[name] = DomainReadiness(name, weights.get(name))
        domains[name].cards += 1
    states = CardState.objects.filter(user=user, card_id__in=Card.objects.filter(Card.in_play()))
    studied = set()
    for card_id, state, stability, last_review in states.values_list(
        "card_id", "state", "stability", "last_review"
    ):
        if state == State.NEW or stability is None or last_review is None:
            continue
        studied.add(card_id)
        domain = domains[domain_of[card_id]]
        domain.studied += 1
        elapsed = max((exam_at - last_review).total_seconds() / 86400, 0)
        domain.recall_sum += scheduling.recall_probability(stability, elapsed, parameters)
    found.new_cards = len(domain_of) - len(studied)
    _quiz_scores(user, domains, domain_of, since=now - timedelta(days=QUIZ_DAYS))
    order = list(weights)
    found.domains = sorted(
        domains.values(),
        key=lambda d: (order.index(d.name) if d.name in order else len(order), d.name),
    )
    return found


def _quiz_scores(user, domains, domain_of, *, since: datetime) -> None:
    """Recent answers to questions made from cards, counted in their card's domain."""
    answered = Answer.objects.filter(correct__isnull=False).only("attempt_id", "index", "correct")
    attempts = (
        Attempt.objects.filter(user=user, submitted_at__gte=since)
        .only("questions")
        .prefetch_related(Prefetch("answers", queryset=answered))
    )
    tally = defaultdict(lambda: [0, 0])
    for attempt in attempts:
        questions = attempt.questions or []
        for answer in attempt.answers.all():
            if answer.index >= len(questions):
                continue
            name = domain_of.get((questions[answer.index] or {}).get("card_id"))
            if name is not None:
                tally[name][0] += int(bool(answer.correct))
                tally[name][1] += 1
    for name, (correct, total) in tally.items():
        domains[name].quiz_correct, domains[name].quiz_total = correct, total
