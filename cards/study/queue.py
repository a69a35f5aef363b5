"""The study loop in the database: the queue, grading once, undo, bury and suspend.

Every function costs a fixed number of queries, whatever the number of cards (DESIGN §5); the
review's hot path (queue, card on screen, grade) runs the hand-written SQL of sql.py.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import DateField, Exists, Func, OuterRef, Q, QuerySet
from django.utils import timezone

from cards.models import Card, CardState, NewCardCursor, Note, ReviewLog, StudySettings
from cards.study import scheduling, sql
from cards.study.scheduling import Memory, Rating, State
from cards.study.sql import MEMORY_FIELDS

# Anki counts learning cards due within 20 minutes, and shows one that early when nothing
# else is left.
LEARN_AHEAD = timedelta(minutes=20)
# How far back the streak looks, in days: a month, a year, then everything.
STREAK_WINDOWS = (31, 366, None)


@dataclass(frozen=True)
class Scope:
    """All decks, one deck or one note."""

    deck_id: int | None = None
    note_id: int | None = None

    def cards(self, prefix: str = "") -> Q:
        # Cards of a removed note are retired by the import, so "active" is enough here.
        q = Q(**{f"{prefix}status": Card.Status.ACTIVE, f"{prefix}published": True})
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
    intervals: dict = field(default_factory=dict)  # Rating -> "3d"
    next_due: datetime | None = None  # when nothing is due: the next time something is
    new_left_today: int = 0  # new cards held back by the daily limit
    total_cards: int = 0
    suspended_cards: int = 0


def settings_for(user) -> StudySettings:
    """The user's settings (defaults until saved), read once per request."""
    cached = getattr(user, "_study_settings", None)
    if cached is None:
        cached = sql.settings_row(user.pk) or StudySettings(user=user)
        user._study_settings = cached
    return cached


def scheduler_settings(prefs: StudySettings) -> scheduling.Settings:
    return scheduling.Settings(
        desired_retention=prefs.desired_retention,
        learning_steps=scheduling.parse_steps(prefs.learning_steps),
        relearning_steps=scheduling.parse_steps(prefs.relearning_steps),
        maximum_interval=prefs.maximum_interval,
    )


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


def memory_fields(memory: Memory) -> dict:
    return {
        "state": int(memory.state),
        "step": memory.step,
        "stability": memory.stability,
        "difficulty": memory.difficulty,
        "due": memory.due,
        "last_review": memory.last_review,
        "reps": memory.reps,
        "lapses": memory.lapses,
    }


def snapshot(state: CardState) -> dict:
    """CardState as JSON for a ReviewLog, so undo can put every field back."""
    data = {name: getattr(state, name) for name in MEMORY_FIELDS}
    for name in ("due", "last_review"):
        data[name] = data[name].isoformat() if data[name] else None
    data["buried_until"] = state.buried_until.isoformat() if state.buried_until else None
    data["suspended"] = state.suspended
    return data


def restore(data: dict) -> dict:
    values = dict(data)
    for name in ("due", "last_review"):
        values[name] = datetime.fromisoformat(values[name]) if values[name] else None
    values["buried_until"] = (
        datetime.fromisoformat(values["buried_until"]).date() if values["buried_until"] else None
    )
    return values


def zone_of(prefs: StudySettings) -> ZoneInfo:
    return ZoneInfo(prefs.time_zone)


def start_of_day(day: date, prefs: StudySettings) -> datetime:
    """When the user's study day `day` begins: their day_starts_at hour, on their clock."""
    return datetime.combine(day, time(prefs.day_starts_at), tzinfo=zone_of(prefs))


def day_start(now: datetime, prefs: StudySettings) -> datetime:
    """When the study day holding `now` began; its .date() names that day."""
    local = now.astimezone(zone_of(prefs)) - timedelta(hours=prefs.day_starts_at)
    return start_of_day(local.date(), prefs)


class StudyDay(Func):
    """The study day of a datetime column, worked out by the database itself (Django's
    TruncDate calls back into Python for every row on SQLite: 0.7 s for 200,000 reviews).

    The column's UTC time is moved by a whole number of minutes, the user's clock offset now less
    the hour their day starts, so a day in the other half of a daylight-saving year may shift
    by that hour."""

    output_field = DateField()
    template = "((%(expressions)s AT TIME ZONE 'UTC') + INTERVAL '%(minutes)d minutes')::date"

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores SQLite datetimes as UTC text, "YYYY-MM-DD HH:MM:SS.ffffff".
        template = "date(%(expressions)s, '%(minutes)+d minutes')"
        return self.as_sql(compiler, connection, template=template, **extra)


def day_of(field: str, prefs: StudySettings, now: datetime) -> StudyDay:
    """The study day of a datetime column, as a query expression."""
    offset = now.astimezone(zone_of(prefs)).utcoffset() - timedelta(hours=prefs.day_starts_at)
    return StudyDay(field, minutes=int(offset.total_seconds() // 60))


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


def queues(user, scope: Scope, *, now: datetime, prefs: StudySettings | None = None) -> Queues:
    """The three queues of DESIGN §5 and their counts within today's limits, in one query
    whatever the deck size; siblings of cards reviewed today wait for another day."""
    prefs = prefs or settings_for(user)
    start = day_start(now, prefs)
    today = start.date()
    found = sql.queue_rows(
        user.pk,
        scope,
        now=now,
        day_start=start,
        ahead=now + LEARN_AHEAD,
        review_limit=prefs.reviews_per_day,
        fresh_limit=prefs.new_per_day + sql.FRESH_MARGIN,
    )
    new_room = max(prefs.new_per_day - found.done.get(State.NEW, 0), 0)
    review_room = max(prefs.reviews_per_day - found.done.get(State.REVIEW, 0), 0)
    _advance_cursor(user, scope, found.below, found.fresh[0][0] if found.fresh else None)
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
        today=today,
    )


def queue_counts(user, scope: Scope, *, now: datetime | None = None) -> Counts:
    return queues(user, scope, now=now or timezone.now()).counts


def streak(user, *, now: datetime | None = None) -> int:
    """Days in a row with at least one review, ending today (or yesterday, if none yet today).

    Reads the last month's review days first, and further back only when all of them were
    study days: a long history costs the dashboard nothing unless the streak is that long."""
    now = now or timezone.now()
    prefs = settings_for(user)
    start = day_start(now, prefs)
    today = start.date()
    logs = ReviewLog.objects.filter(user=user)
    for window in STREAK_WINDOWS:
        recent = logs.filter(reviewed_at__gte=start - timedelta(days=window)) if window else logs
        days = set(
            recent.annotate(day=day_of("reviewed_at", prefs, now))
            .values_list("day", flat=True)
            .order_by()
            .distinct()
        )
        day = today if today in days else today - timedelta(days=1)
        count = 0
        while day in days:
            count += 1
            day -= timedelta(days=1)
        if window is None or count < window:
            return count
    return count


def next_turn(
    user, scope: Scope, *, now: datetime | None = None, prefer: int | None = None
) -> Turn:
    """The card to show next and the three counts. `prefer` shows that card if it is in play
    (after an undo, or while its answer is shown)."""
    now = now or timezone.now()
    prefs = settings_for(user)
    q = queues(user, scope, now=now, prefs=prefs)
    turn = Turn(card=None, state=None, counts=q.counts)

    if prefer:
        turn.card, turn.state = sql.load_card(user.pk, scope, prefer)
    if turn.card is None:
        if q.first_learning and q.learning_due_now:
            chosen = q.first_learning
        else:  # learning ahead only when nothing else is left
            chosen = q.first_review or (q.new[0] if q.new else None) or q.first_learning
        if chosen:
            turn.card, turn.state = sql.load_card(user.pk, scope, chosen)
    turn.queue = _queue_of(turn.state) if turn.card else ""

    if turn.card is not None:
        intervals = scheduling.preview(
            memory_of(turn.state), now=now, card_id=turn.card.pk, settings=scheduler_settings(prefs)
        )
        turn.intervals = {
            rating: scheduling.format_interval(delta) for rating, delta in intervals.items()
        }
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


class Stale(Exception):
    """The grade answers a card state that has already moved on (double submit, other tab)."""


def grade(
    user, *, card_id: int, version: int, rating: Rating, duration_ms: int = 0, now=None
) -> ReviewLog:
    """Apply one grade. Raises Stale when `version` is not the card's current version."""
    now = now or timezone.now()
    prefs = settings_for(user)
    with transaction.atomic():
        active, state = sql.state_for_grade(user.pk, card_id)
        if not active:
            raise Card.DoesNotExist
        if (state.version if state else 0) != version:
            raise Stale
        memory = memory_of(state)
        after = scheduling.review(
            memory, rating, now=now, card_id=card_id, settings=scheduler_settings(prefs)
        )
        before = snapshot(state) if state else None
        fields = memory_fields(after)
        if state is None:
            try:
                with transaction.atomic():
                    sql.insert_state(user.pk, card_id, fields)
            except IntegrityError:
                raise Stale from None
            state = CardState(user=user, card_id=card_id, version=1, **fields)
        else:
            # Conditional on the version read above: a grade racing this one moves nothing.
            if not sql.update_state(state.pk, version, fields):
                raise Stale
            state.version = version + 1
            for name, value in fields.items():
                setattr(state, name, value)
            state.buried_until = None
        interval = 0.0
        if memory.last_review and memory.due:
            interval = (memory.due - memory.last_review).total_seconds() / 86400
        return sql.insert_log(
            user=user.pk,
            card=card_id,
            rating=int(rating),
            reviewed_at=now,
            duration_ms=max(0, min(int(duration_ms), 600_000)),
            state_before=int(memory.state),
            state_after=int(after.state),
            interval_days_before=interval,
            before=before,
            after=snapshot(state),
        )


def undo(user) -> int | None:
    """Take back the user's last grade exactly; return the card id to show again, or None."""
    with transaction.atomic():
        log = ReviewLog.objects.filter(user=user).order_by("-reviewed_at", "-pk").first()
        if log is None:
            return None
        state = CardState.objects.select_for_update().filter(user=user, card_id=log.card_id).first()
        if state is not None:
            if log.before is None:
                state.delete()
                lower_cursors(user, log.card)
            else:
                CardState.objects.filter(pk=state.pk).update(
                    version=state.version + 1, **restore(log.before)
                )
        log.delete()
        return log.card_id


def _state_for_update(user, card_id) -> CardState:
    card = Card.objects.only("pk").get(pk=card_id, status=Card.Status.ACTIVE)
    state, _ = CardState.objects.get_or_create(user=user, card=card)
    return state


def bury(user, card_id: int, *, now=None) -> None:
    """Hide the card until tomorrow."""
    today = day_start(now or timezone.now(), settings_for(user)).date()
    with transaction.atomic():
        state = _state_for_update(user, card_id)
        CardState.objects.filter(pk=state.pk).update(
            buried_until=today + timedelta(days=1), version=state.version + 1
        )


def set_suspended(user, card_id: int, suspended: bool) -> None:
    with transaction.atomic():
        state = _state_for_update(user, card_id)
        CardState.objects.filter(pk=state.pk).update(suspended=suspended, version=state.version + 1)


def scope_for(deck=None, note: Note | None = None) -> Scope:
    if note is not None:
        return Scope(note_id=note.pk)
    if deck is not None:
        return Scope(deck_id=deck.pk)
    return Scope()
