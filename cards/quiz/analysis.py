"""Item analysis: how each exam question and card did with real students (QUALITY.md, "After
students take them"): difficulty (share correct; useful between about 0.3 and 0.9),
discrimination (upper 27% of attempts minus lower 27%; below 0.1 needs review), and how often
each option is chosen. Figures show only from MIN_RESPONSES answers on; before that, how many
more are needed. Only aggregates leave this module: no student is ever named.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from cards.models import Answer, Attempt

MIN_RESPONSES = 20
TOO_EASY = 0.9
TOO_HARD = 0.3
LOW_DISCRIMINATION = 0.1
GROUP = 0.27


@dataclass
class Item:
    key: str
    stem: str
    card_id: int | None
    source_url: str
    responses: int = 0
    correct: int = 0
    options: dict[str, int] = field(default_factory=dict)  # option text -> times chosen
    keys: set[str] = field(default_factory=set)  # option texts that are right
    scored: list[tuple[float, bool]] = field(default_factory=list)  # (attempt %, right)

    @property
    def enough(self) -> bool:
        return self.responses >= MIN_RESPONSES

    @property
    def needed(self) -> int:
        return max(0, MIN_RESPONSES - self.responses)

    @property
    def difficulty(self) -> float | None:
        return round(self.correct / self.responses, 2) if self.responses else None

    @property
    def discrimination(self) -> float | None:
        if len(self.scored) < 2:
            return None
        ranked = sorted(self.scored, key=lambda pair: pair[0])
        size = max(1, round(len(ranked) * GROUP))
        lower, upper = ranked[:size], ranked[-size:]
        share = lambda group: sum(right for _score, right in group) / len(group)  # noqa: E731
        return round(share(upper) - share(lower), 2)

    @property
    def option_rows(self) -> list[dict]:
        total = sum(self.options.values()) or 1
        return [
            {"text": text, "chosen": count, "percent": round(100 * count / total),
             "correct": text in self.keys}
            for text, count in sorted(self.options.items(), key=lambda item: -item[1])
        ]  # fmt: skip

    @property
    def flags(self) -> list[str]:
        if not self.enough:
            return []
        found = []
        if self.difficulty > TOO_EASY:
            found.append("too easy")
        if self.difficulty < TOO_HARD:
            found.append("too hard")
        if self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION:
            found.append("does not tell strong from weak students")
        if any(count == 0 for text, count in self.options.items() if text not in self.keys):
            found.append("a distractor nobody picks")
        return found


def deck_items(deck) -> list[Item]:
    """Every question of the deck's submitted attempts, by question key: two queries."""
    attempts = {
        attempt.pk: attempt
        for attempt in Attempt.objects.filter(deck=deck, submitted_at__isnull=False).only(
            "pk", "questions", "percent"
        )
    }
    items: dict[str, Item] = {}
    answers = Answer.objects.filter(attempt_id__in=list(attempts)).values_list(
        "attempt_id", "index", "given", "correct"
    )
    for attempt_id, index, given, correct in answers.iterator():
        attempt = attempts[attempt_id]
        if index >= len(attempt.questions) or not given:
            continue
        data = attempt.questions[index]
        key = data.get("key") or data.get("stem", "")[:80]
        item = items.get(key)
        if item is None:
            item = items[key] = Item(key, data.get("stem", ""), data.get("card_id"),
                                     data.get("source_url", ""))  # fmt: skip
        options = data.get("options") or []
        for option in options:
            item.options.setdefault(option["text"], 0)
            if option["correct"]:
                item.keys.add(option["text"])
        for value in given:
            if str(value).isdigit() and int(value) < len(options):
                item.options[options[int(value)]["text"]] += 1
        item.responses += 1
        item.correct += bool(correct)
        item.scored.append((attempt.percent or 0.0, bool(correct)))
    return sorted(items.values(), key=lambda item: (-len(item.flags), -item.responses, item.key))


def card_items(items: list[Item]) -> list[dict]:
    """The same figures by card: every question made from one card, together."""
    cards: dict[int, dict] = defaultdict(lambda: {"responses": 0, "correct": 0, "items": 0})
    for item in items:
        if item.card_id:
            row = cards[item.card_id]
            row["responses"] += item.responses
            row["correct"] += item.correct
            row["items"] += 1
    return [
        {"card_id": card_id, **row,
         "difficulty": round(row["correct"] / row["responses"], 2) if row["responses"] else None}
        for card_id, row in sorted(cards.items())
    ]  # fmt: skip
