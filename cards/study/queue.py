"""The study queue: which cards are due, new or learning for a student now, and which comes next.

Every function costs a fixed number of queries, whatever the number of cards (DESIGN §5): the
three queues and their counts are one hand-written statement, the card on screen one more
(sql.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cards import rows
from cards.models import Card, CardState, NewCardCursor, Note, StudySettings
from cards.study import scheduling, sql
from cards.study.days import day_start
from cards.study.scheduling import Memory, State

# Anki counts learning cards due within 20 minutes, and shows one that early when nothing
# else is left.
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class Scope:
    """All decks, one deck or one note."""

    deck_id: int | None = None
    note_id: int | None = None

    def cards(self, prefix: str = "") -> Q:
        """The scope's cards in play (Card.in_play)."""
        q = Card.in_play(prefix)
        if self.note_id:
            q &= Q(**{f"{prefix}note_id": self.note_id})
        elif self.deck_id:
            q &= Q(**{f"{prefix}deck_id": self.deck_id})
        return q


@dataclass
class Counts:
    new: int = 0
    learning: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass
class Turn:
    """What the review screen shows now."""

    card: Card | None
    state: CardState | None
    counts: Counts
    queue: str = ""  # "new", "learning" or "review": which count the card belongs to
    next_due: datetime | None = None  # when nothing is due: the next time something is
    new_left_today: int = 0  # new cards held back by the daily limit
    total_cards: int = 0
    suspended_cards: int = 0
    # What each grade would give: worked out only when the grade buttons are shown, since a
    # card's front (the turn after every grade) has none.
    _preview: Callable[[], dict] | None = field(default=None, repr=False)

    @cached_property
    def intervals(self) -> dict:
        """Rating -> the interval it gives, as the button shows it ("3d")."""
        if self._preview is None:
            return {}
        previewed = self._preview()
        return {rating: scheduling.format_interval(delta) for rating, delta in previewed.items()}


def settings_for(user) -> StudySettings:
    """The user's settings (defaults until saved), read once per request."""
    cached = getattr(user, "_study_settings", None)
    if cached is None:
        cached = rows.fetch_one(StudySettings, "user_id = %s", [user.pk]) or StudySettings(
            user=user
        )
        user._study_settings = cached
    return cached


def scheduler_settings(prefs: StudySettings) -> scheduling.Settings:
    """The scheduler's settings from the stored ones. Steps saved before their bounds were
    checked, and that no longer parse, give way to the defaults (the settings page shows the
    problem when the student next saves) rather than make every review fail."""
    return scheduling.Settings(
        desired_retention=prefs.desired_retention,
        learning_steps=_steps(prefs.learning_steps, scheduling.Settings.learning_steps),
        relearning_steps=_steps(prefs.relearning_steps, scheduling.Settings.relearning_steps),
        maximum_interval=prefs.maximum_interval,
        parameters=tuple(prefs.fsrs_parameters or ()),
    )


def _steps(text: str, default: tuple) -> tuple:
    try:
        return scheduling.parse_steps(text)
    except ValueError:
        return default


def memory_of(state: CardState | None) -> Memory:
    if state is None:
        return Memory()
    return Memory(
        state=State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
        reps=state.reps,
        lapses=state.lapses,
    )


def _states(user, scope: Scope, today) -> QuerySet:
    return CardState.objects.filter(scope.cards("card__"), user=user, suspended=False).filter(
        Q(buried_until__isnull=True) | Q(buried_until__lte=today)
    )


def _fresh_cards(user, scope: Scope, below: int) -> QuerySet:
    """Cards this user has no state for at all, from the cursor on, in deck order."""
    seen = CardState.objects.filter(user=user, card=OuterRef("pk"))
    return Card.objects.filter(scope.cards(), pk__gte=below).exclude(Exists(seen))


def _advance_cursor(user, scope: Scope, below: int | None, first_fresh: int | None) -> None:
    if scope.note_id or first_fresh is None or first_fresh <= (below or 0):
        return
    if below is None:
        try:
            with transaction.atomic():
                NewCardCursor.objects.create(user=user, deck_id=scope.deck_id, below=first_fresh)
        except IntegrityError:
            pass  # another request made it first; it will advance next time
    else:
        NewCardCursor.objects.filter(user=user, deck_id=scope.deck_id, below=below).update(
            below=first_fresh
        )


def cards_back_in_play(deck_id: int, first_card_id: int) -> None:
    """Cards from first_card_id on can be new again for everyone (unsuppressed, published)."""
    NewCardCursor.objects.filter(below__gt=first_card_id).filter(
        Q(deck_id=deck_id) | Q(deck__isnull=True)
    ).update(below=first_card_id)


def lower_cursors(user, card: Card) -> None:
    """A card became new again (its first review undone): cursors must not skip it."""
    NewCardCursor.objects.filter(user=user, below__gt=card.pk).filter(
        Q(deck_id=card.deck_id) | Q(deck__isnull=True)
    ).update(below=card.pk)


@dataclass
class Queues:
    counts: Counts
    first_learning: int | None  # card id of the soonest learning card within LEARN_AHEAD
    learning_due_now: bool
    first_review: int | None  # card id of the first due review, if any
    new: list  # Card pks, deck order, within today's new limit
    below: int  # the new-card cursor
    today: object


def queues(
    user,
    scope: Scope,
    *,
    now: datetime,
    prefs: StudySettings | None = None,
    advance: bool = False,
) -> Queues:
    """The three queues of DESIGN §5 and their counts within today's limits, in one query
    whatever the deck size; siblings of cards reviewed today wait for another day. With
    `advance` (a request that writes anyway), the new-card cursor moves past studied cards."""
    prefs = prefs or settings_for(user)
    start = day_start(now, prefs)
    found = sql.queue_rows(
        user.pk,
        scope,
        now=now,
        day_start=start,
        ahead=now + LEARN_AHEAD,
        review_limit=prefs.reviews_per_day,
        fresh_limit=prefs.new_per_day + sql.FRESH_MARGIN,
    )
    if advance:
        _advance_cursor(user, scope, found.below, found.fresh[0][0] if found.fresh else None)
    return _within_limits(found, prefs, start)


def _within_limits(found: "sql.QueueRows", prefs: StudySettings, start: datetime) -> Queues:
    """What the queue statement found, cut to what today's limits leave room for."""
    new_room = max(prefs.new_per_day - found.done.get(State.NEW, 0), 0)
    review_room = max(prefs.reviews_per_day - found.done.get(State.REVIEW, 0), 0)
    new = []
    if new_room:
        new = sorted(
            pk
            for pk, group in [*found.fresh, *found.back_in_play]
            if not group or group not in found.siblings
        )[:new_room]
    reviews = min(found.reviews, review_room)
    counts = Counts(new=len(new), learning=found.learning, review=reviews)
    return Queues(
        counts,
        first_learning=found.first_learning,
        learning_due_now=found.learning_due_now,
        first_review=found.first_review if reviews else None,
        new=new,
        below=found.below or 0,
        today=start.date(),
    )


def queue_counts(user, scope: Scope, *, now: datetime | None = None) -> Counts:
    return queues(user, scope, now=now or timezone.now()).counts


def deck_counts(user, deck_ids: list[int], *, now: datetime | None = None) -> dict[int, Counts]:
    """Each deck's counts, as its own review screen would show them, in one statement."""
    now = now or timezone.now()
    prefs = settings_for(user)
    start = day_start(now, prefs)
    found = sql.deck_queue_rows(
        user.pk,
        deck_ids,
        now=now,
        day_start=start,
        ahead=now + LEARN_AHEAD,
        review_limit=prefs.reviews_per_day,
        fresh_limit=prefs.new_per_day + sql.FRESH_MARGIN,
    )
    return {deck_id: _within_limits(rows, prefs, start).counts for deck_id, rows in found.items()}


def load_card(user, scope: Scope, card_id: int) -> tuple[Card | None, CardState | None]:
    """A card of the scope in play, with its note, deck and this user's state (None if never
    reviewed); (None, None) when it is not in play or suspended."""
    card, state = sql.load_card(user.pk, scope, card_id)
    if state is not None and state.suspended:
        return None, None
    return card, state


def next_turn(
    user,
    scope: Scope,
    *,
    now: datetime | None = None,
    prefer: int | None = None,
    advance: bool = False,
) -> Turn:
    """The card to show next and the three counts. `prefer` shows that card if it is in play
    (after an undo, or while its answer is shown); `advance` as for queues()."""
    now = now or timezone.now()
    prefs = settings_for(user)
    q = queues(user, scope, now=now, prefs=prefs, advance=advance)
    turn = Turn(card=None, state=None, counts=q.counts)

    if prefer:
        turn.card, turn.state = load_card(user, scope, prefer)
    if turn.card is None:
        if q.first_learning and q.learning_due_now:
            chosen = q.first_learning
        else:  # learning ahead only when nothing else is left
            chosen = q.first_review or (q.new[0] if q.new else None) or q.first_learning
        if chosen:
            turn.card, turn.state = load_card(user, scope, chosen)
    turn.queue = _queue_of(turn.state) if turn.card else ""

    if turn.card is not None:
        memory, card_id = memory_of(turn.state), turn.card.pk
        turn._preview = lambda: scheduling.preview(
            memory, now=now, card_id=card_id, settings=scheduler_settings(prefs)
        )
    else:
        _explain_empty(turn, user, scope, q)
    return turn


def _queue_of(state: CardState | None) -> str:
    if state is None or state.state == State.NEW:
        return "new"
    if state.state == State.REVIEW:
        return "review"
    return "learning"


def _explain_empty(turn: Turn, user, scope: Scope, q: Queues) -> None:
    """Fill what an empty screen needs: when the next card is due, and why nothing is here.
    Only an empty screen asks, so these few queries stay in the ORM."""
    upcoming = (
        _states(user, scope, q.today)
        .filter(due__isnull=False)
        .order_by("due")
        .values_list("due", flat=True)
    )
    turn.next_due = upcoming.first()
    turn.new_left_today = _fresh_cards(user, scope, q.below).values("pk")[:1].count()
    turn.total_cards = Card.objects.filter(scope.cards()).values("pk")[:1].count()
    if turn.total_cards:
        turn.suspended_cards = CardState.objects.filter(
            scope.cards("card__"), user=user, suspended=True
        ).count()
        turn.total_cards = Card.objects.filter(scope.cards()).count()


def scope_for(deck=None, note: Note | None = None) -> Scope:
    if note is not None:
        return Scope(note_id=note.pk)
    if deck is not None:
        return Scope(deck_id=deck.pk)
    return Scope()
