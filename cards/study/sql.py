"""The review's hot path in hand-written SQL that runs on SQLite and PostgreSQL alike.

What stays here is what `make bench` showed the ORM losing more than a fifth of a review for
(README, Benchmarks): the queue (three counts, the first learning card, the first due review and
the new cards within today's limit, a dozen ORM queries otherwise; the dashboard's counts for
every deck are one more such statement), the card on screen with its note, deck and the
student's state, and a grade's read and writes. The SQL text is fixed per scope kind; every
value is a parameter, never user text pasted into SQL. Which cards are in play is
Card.in_play, spelled in SQL as IN_PLAY_SQL; the rest of a review uses the ORM.
"""

from dataclasses import dataclass, fields
from functools import cache
from itertools import islice

from django.db import connection

from cards import rows
from cards.models import (
    IN_PLAY_JOINS,
    IN_PLAY_SQL,
    Card,
    CardState,
    Deck,
    NewCardCursor,
    Note,
    ReviewLog,
)
from cards.study.scheduling import Memory, State

CARD = Card._meta.db_table
STATE = CardState._meta.db_table
LOG = ReviewLog._meta.db_table
CURSOR = NewCardCursor._meta.db_table

# Siblings are few per group, so a little more than the day's room is enough to fill it.
FRESH_MARGIN = 50
# New cards seen only to be buried or suspended keep the state NEW; these rows are few.
RETURNING_LIMIT = 1000


def _kind(scope) -> str:
    return "note" if scope.note_id else "deck" if scope.deck_id else "all"


def _scope_sql(kind: str, deck: str = "%(deck)s") -> str:
    if kind == "note":
        return f"{IN_PLAY_SQL} AND c.note_id = %(note)s"
    if kind == "deck":
        return f"{IN_PLAY_SQL} AND c.deck_id = {deck}"
    return IN_PLAY_SQL


def _cards_in_play(kind: str, deck: str = "%(deck)s") -> str:
    return f"{CARD} c {IN_PLAY_JOINS} WHERE {_scope_sql(kind, deck)}"


def _states_in_play(kind: str, deck: str = "%(deck)s") -> str:
    return f"""{STATE} s JOIN {CARD} c ON c.id = s.card_id {IN_PLAY_JOINS}
        WHERE s.user_id = %(user)s AND NOT s.suspended
        AND (s.buried_until IS NULL OR s.buried_until <= %(today)s) AND {_scope_sql(kind, deck)}"""


def _learning(kind: str, deck: str = "%(deck)s") -> str:
    return f"""{_states_in_play(kind, deck)} AND s.state IN ({State.LEARNING}, {State.RELEARNING})
        AND s.due <= %(ahead)s"""


def _due(kind: str, deck: str = "%(deck)s") -> str:
    return f"""{_states_in_play(kind, deck)} AND s.state = {State.REVIEW} AND s.due <= %(now)s
        AND (c.sibling_group = '' OR c.sibling_group NOT IN (SELECT sibling_group FROM today))"""


def _cursor(kind: str, deck: str = "%(deck)s") -> str:
    return f"user_id = %(user)s AND deck_id {'= ' + deck if kind == 'deck' else 'IS NULL'}"


def _fresh(kind: str, deck: str = "%(deck)s") -> str:
    """Cards of the scope this user has no state for, in deck order, from the cursor on."""
    below = (
        "0"
        if kind == "note"
        else f"COALESCE((SELECT below FROM {CURSOR} WHERE {_cursor(kind, deck)}), 0)"
    )
    return f"""SELECT c.id, c.sibling_group FROM {_cards_in_play(kind, deck)}
        AND c.id >= {below} AND NOT EXISTS (
            SELECT 1 FROM {STATE} s
            WHERE s.user_id = %(user)s AND s.card_id = c.id AND s.card_id >= {below})
        ORDER BY c.id LIMIT %(fresh_limit)s"""


TODAY = f"""WITH today AS (
    SELECT r.state_before, c.sibling_group FROM {LOG} r JOIN {CARD} c ON c.id = r.card_id
    WHERE r.user_id = %(user)s AND r.reviewed_at >= %(day_start)s
)
SELECT 'done', 0, state_before, COUNT(*), '' FROM today GROUP BY state_before
UNION ALL SELECT DISTINCT 'sibling', 0, 0, 0, sibling_group FROM today WHERE sibling_group <> ''"""


@cache
def _queue_sql(kind: str) -> str:
    # No cursor for a note: its cards are few.
    cursor = (
        ""
        if kind == "note"
        else f"""
    UNION ALL SELECT 'cursor', 0, below, 0, '' FROM {CURSOR} WHERE {_cursor(kind)}"""
    )
    # Every row is (kind, deck, number, number, sibling group); each kind is a count or a short
    # list, so the order in which UNION ALL returns them does not matter.
    return f"""{TODAY}{cursor}
    UNION ALL SELECT 'learning', 0, COUNT(*), 0, '' FROM {_learning(kind)}
    UNION ALL SELECT * FROM (
        SELECT 'first learning', 0, s.card_id, CASE WHEN s.due <= %(now)s THEN 1 ELSE 0 END, ''
        FROM {_learning(kind)} ORDER BY s.due, s.id LIMIT 1) first_learning
    UNION ALL SELECT 'review', 0, COUNT(*), 0, '' FROM (
        SELECT s.id FROM {_due(kind)} ORDER BY s.due LIMIT %(review_limit)s) due_reviews
    UNION ALL SELECT * FROM (
        SELECT 'first review', 0, s.card_id, 0, '' FROM {_due(kind)} ORDER BY s.due, s.id LIMIT 1
    ) first_review
    UNION ALL SELECT 'fresh', 0, id, 0, sibling_group FROM ({_fresh(kind)}) fresh
    UNION ALL SELECT * FROM (
        SELECT 'back in play', 0, s.card_id, 0, c.sibling_group FROM {_states_in_play(kind)}
        AND s.state = {State.NEW} LIMIT {RETURNING_LIMIT}) back_in_play
    """


@cache
def _decks_sql(count: int) -> str:
    """The counts of `count` decks at once: a part per deck, each bounded like the queue's."""
    parts = [TODAY]
    for index in range(count):
        deck = f"%(deck{index})s"
        parts.append(f"""
    UNION ALL SELECT 'cursor', {deck}, below, 0, '' FROM {CURSOR} WHERE {_cursor("deck", deck)}
    UNION ALL SELECT 'learning', {deck}, COUNT(*), 0, '' FROM {_learning("deck", deck)}
    UNION ALL SELECT 'review', {deck}, COUNT(*), 0, '' FROM (
        SELECT s.id FROM {_due("deck", deck)} ORDER BY s.due LIMIT %(review_limit)s) due{index}
    UNION ALL SELECT 'fresh', {deck}, id, 0, sibling_group
        FROM ({_fresh("deck", deck)}) fresh{index}
    UNION ALL SELECT * FROM (
        SELECT 'back in play', {deck}, s.card_id, 0, c.sibling_group
        FROM {_states_in_play("deck", deck)} AND s.state = {State.NEW}
        LIMIT {RETURNING_LIMIT}) back{index}""")
    return "".join(parts)


@dataclass
class QueueRows:
    """What the queue statement found; queue.queues turns it into counts within the limits."""

    done: dict  # state before -> reviews today
    siblings: set  # sibling groups reviewed today
    below: int | None  # the new-card cursor; None when the user has none for this scope
    learning: int  # learning cards due within the learn-ahead window
    first_learning: int | None  # its soonest card id
    learning_due_now: bool
    reviews: int  # due reviews, counted up to review_limit
    first_review: int | None
    fresh: list  # (card id, sibling group) with no state, deck order, from the cursor on
    back_in_play: list  # (card id, sibling group) with a state still NEW


def _params(user_id: int, *, now, day_start, ahead, review_limit: int, fresh_limit: int) -> dict:
    ops = connection.ops
    return {
        "active": Card.Status.ACTIVE,
        "user": user_id,
        "now": ops.adapt_datetimefield_value(now),
        "ahead": ops.adapt_datetimefield_value(ahead),
        "day_start": ops.adapt_datetimefield_value(day_start),
        "today": ops.adapt_datefield_value(day_start.date()),
        "review_limit": review_limit,
        "fresh_limit": fresh_limit,
    }


def _rows(sql: str, params: dict) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _read(rows, found: dict, new) -> None:
    """Sort the statement's rows into a QueueRows per deck (0: the scope itself)."""
    shared = new(0)
    for kind, deck, number, other, group in rows:
        if kind == "done":
            shared.done[number] = other
            continue
        if kind == "sibling":
            shared.siblings.add(group)
            continue
        rows_of = found.setdefault(deck, new(deck)) if deck else shared
        if kind == "cursor":
            rows_of.below = number
        elif kind == "learning":
            rows_of.learning = number
        elif kind == "first learning":
            rows_of.first_learning, rows_of.learning_due_now = number, bool(other)
        elif kind == "review":
            rows_of.reviews = number
        elif kind == "first review":
            rows_of.first_review = number
        elif kind == "fresh":
            rows_of.fresh.append((number, group))
        else:
            rows_of.back_in_play.append((number, group))
    found.setdefault(0, shared)
    for rows_of in found.values():
        rows_of.done, rows_of.siblings = shared.done, shared.siblings
        rows_of.fresh.sort()


def _empty(_deck=0) -> QueueRows:
    return QueueRows({}, set(), None, 0, None, False, 0, None, [], [])


def queue_rows(
    user_id: int, scope, *, now, day_start, ahead, review_limit: int, fresh_limit: int
) -> QueueRows:
    params = _params(
        user_id,
        now=now,
        day_start=day_start,
        ahead=ahead,
        review_limit=review_limit,
        fresh_limit=fresh_limit,
    )
    params.update(note=scope.note_id, deck=scope.deck_id)
    found: dict = {}
    _read(_rows(_queue_sql(_kind(scope)), params), found, _empty)
    return found[0]


def deck_queue_rows(
    user_id: int, deck_ids: list[int], *, now, day_start, ahead, review_limit: int, fresh_limit: int
) -> dict[int, QueueRows]:
    """queue_rows for each of several decks, in one statement."""
    if not deck_ids:
        return {}
    params = _params(
        user_id,
        now=now,
        day_start=day_start,
        ahead=ahead,
        review_limit=review_limit,
        fresh_limit=fresh_limit,
    )
    params.update({f"deck{index}": deck_id for index, deck_id in enumerate(deck_ids)})
    found: dict = {deck_id: _empty() for deck_id in deck_ids}
    _read(_rows(_decks_sql(len(deck_ids)), params), found, _empty)
    found.pop(0, None)
    return found


# What the review screen reads of a card, its note and deck, and all of the student's state.
CARD_READ = frozenset(
    {"id", "note_id", "deck_id", "key", "kind", "front", "back", "front_html", "back_html",
     "answer", "heading_path", "line", "position", "status", "sibling_group", "also_in",
     "fact_check"}
)  # fmt: skip
NOTE_READ = frozenset({"id", "deck_id", "title", "slug", "published"})
DECK_READ = frozenset({"id", "slug", "title"})
STATE_SQL = rows.columns(CardState, "s")


@cache
def _card_sql(kind: str) -> str:
    return f"""SELECT {rows.columns(Card, "c", CARD_READ)}, {rows.columns(Note, "n", NOTE_READ)},
        {rows.columns(Deck, "d", DECK_READ)}, {STATE_SQL}
        FROM {CARD} c {IN_PLAY_JOINS}
        LEFT JOIN {STATE} s ON s.card_id = c.id AND s.user_id = %(user)s
        WHERE c.id = %(card)s AND {_scope_sql(kind)}"""


def _state(values) -> CardState | None:
    """The student's state from its columns; None when the LEFT JOIN found none."""
    return None if values[0] is None else rows.from_row(CardState, values)


def load_card(user_id: int, scope, card_id: int) -> tuple[Card | None, CardState | None]:
    """A card of the scope in play with its note, deck and this user's state (None if never
    reviewed), in one query; (None, None) when the card is not in play."""
    params = {"user": user_id, "card": card_id, "note": scope.note_id, "deck": scope.deck_id}
    row = _rows(_card_sql(_kind(scope)), params)
    if not row:
        return None, None
    values = iter(row[0])
    card = rows.from_row(Card, islice(values, len(CARD_READ)), CARD_READ)
    card.note = rows.from_row(Note, islice(values, len(NOTE_READ)), NOTE_READ)
    card.note.deck = rows.from_row(Deck, islice(values, len(DECK_READ)), DECK_READ)
    return card, _state(list(values))


_GRADE_READ = f"""SELECT c.id, {STATE_SQL} FROM {CARD} c {IN_PLAY_JOINS}
    LEFT JOIN {STATE} s ON s.card_id = c.id AND s.user_id = %(user)s
    WHERE c.id = %(card)s AND {IN_PLAY_SQL}"""


def state_for_grade(user_id: int, card_id: int) -> tuple[bool, CardState | None]:
    """(whether the card is in play, this user's state of it or None)."""
    row = _rows(_GRADE_READ, {"user": user_id, "card": card_id})
    if not row:
        return False, None
    return True, _state(row[0][1:])


# The CardState columns that hold a scheduling.Memory, in its field order.
MEMORY_FIELDS = tuple(field.name for field in fields(Memory))
_INSERT_STATE = f"""INSERT INTO {STATE}
    (user_id, card_id, version, suspended, {", ".join(MEMORY_FIELDS)})
    VALUES (%(user)s, %(card)s, 1, %(false)s, {", ".join(f"%({n})s" for n in MEMORY_FIELDS)})"""
_UPDATE_STATE = f"""UPDATE {STATE} SET version = %(version)s + 1, buried_until = NULL,
    {", ".join(f"{n} = %({n})s" for n in MEMORY_FIELDS)}
    WHERE id = %(id)s AND version = %(version)s"""
LOG_FIELDS = ("user_id", "card_id", "rating", "reviewed_at", "duration_ms", "state_before",
              "state_after", "interval_days_before", "before", "after")  # fmt: skip
_INSERT_LOG = f"""INSERT INTO {LOG} ({", ".join(LOG_FIELDS)})
    VALUES ({", ".join(f"%({name})s" for name in LOG_FIELDS)}) RETURNING id"""


def _memory_params(values: dict) -> dict:
    ops = connection.ops
    return {
        **values,
        "due": ops.adapt_datetimefield_value(values["due"]),
        "last_review": ops.adapt_datetimefield_value(values["last_review"]),
    }


def insert_state(user_id: int, card_id: int, values: dict) -> None:
    """A first state; raises IntegrityError when another request made it first."""
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_STATE,
            {"user": user_id, "card": card_id, "false": False, **_memory_params(values)},
        )


def update_state(state_id: int, version: int, values: dict) -> bool:
    """Move the state on from `version`; False when it had already moved (a stale grade)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _UPDATE_STATE, {"id": state_id, "version": version, **_memory_params(values)}
        )
        return cursor.rowcount == 1


def insert_log(**values) -> ReviewLog:
    """Write a ReviewLog of LOG_FIELDS' values; returns it as stored."""
    ops = connection.ops
    params = {
        **values,
        "reviewed_at": ops.adapt_datetimefield_value(values["reviewed_at"]),
        "before": None
        if values["before"] is None
        else ops.adapt_json_value(values["before"], None),
        "after": ops.adapt_json_value(values["after"], None),
    }
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_LOG, params)
        (log_id,) = cursor.fetchone()
    return ReviewLog.from_db(
        connection.alias, ["id", *LOG_FIELDS], [log_id, *(values[name] for name in LOG_FIELDS)]
    )
