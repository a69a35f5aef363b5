"""The review loop's hot path in hand-written SQL that runs on SQLite and PostgreSQL alike.

Building a query costs the ORM about 0.4 ms; a review asked for a dozen. Here the queue is one
statement, the card on screen one more, and a grade a read and two writes. The SQL text is fixed
per scope kind; every value is a parameter, never user text pasted into SQL.
"""

import json
from dataclasses import dataclass, fields
from datetime import UTC, date
from functools import cache
from itertools import islice

from django.db import connection

from cards.models import Card, CardState, Deck, NewCardCursor, Note, ReviewLog, StudySettings
from cards.study.scheduling import Memory, State

CARD = Card._meta.db_table
NOTE = Note._meta.db_table
DECK = Deck._meta.db_table
STATE = CardState._meta.db_table
LOG = ReviewLog._meta.db_table
CURSOR = NewCardCursor._meta.db_table
SETTINGS = StudySettings._meta.db_table

# Siblings are few per group, so a little more than the day's room is enough to fill it.
FRESH_MARGIN = 50
# New cards seen only to be buried or suspended keep the state NEW; these rows are few.
RETURNING_LIMIT = 1000


def _columns(model, alias: str, names=None) -> tuple[list[str], str]:
    """The model's columns in field order (what Model.from_db expects), and their SQL list."""
    fields = [f for f in model._meta.concrete_fields if names is None or f.attname in names]
    attnames = [f.attname for f in fields]
    return attnames, ", ".join(f"{alias}.{f.column}" for f in fields)


CARD_FIELDS, CARD_SQL = _columns(
    Card,
    "c",
    {"id", "note_id", "deck_id", "key", "kind", "front", "back", "front_html", "back_html",
     "answer", "heading_path", "line", "position", "status", "published", "sibling_group"},
)  # fmt: skip
HEADING_PATH = CARD_FIELDS.index("heading_path")
NOTE_FIELDS, NOTE_SQL = _columns(Note, "n", {"id", "deck_id", "title", "slug", "published"})
DECK_FIELDS, DECK_SQL = _columns(Deck, "d", {"id", "slug", "title"})
STATE_FIELDS, STATE_SQL = _columns(CardState, "s")
SETTINGS_FIELDS, SETTINGS_SQL = _columns(StudySettings, "p")


def _kind(scope) -> str:
    return "note" if scope.note_id else "deck" if scope.deck_id else "all"


def _scope_sql(kind: str) -> str:
    sql = "c.status = %(active)s AND c.published"
    if kind == "note":
        return sql + " AND c.note_id = %(note)s"
    if kind == "deck":
        return sql + " AND c.deck_id = %(deck)s"
    return sql


def _scope_params(scope) -> dict:
    return {"active": Card.Status.ACTIVE, "note": scope.note_id, "deck": scope.deck_id}


@cache
def _queue_sql(kind: str) -> str:
    in_play = f"""{STATE} s JOIN {CARD} c ON c.id = s.card_id
        WHERE s.user_id = %(user)s AND NOT s.suspended
        AND (s.buried_until IS NULL OR s.buried_until <= %(today)s) AND {_scope_sql(kind)}"""
    learning = f"""{in_play} AND s.state IN ({State.LEARNING}, {State.RELEARNING})
        AND s.due <= %(ahead)s"""
    due = f"""{in_play} AND s.state = {State.REVIEW} AND s.due <= %(now)s
        AND (c.sibling_group = '' OR c.sibling_group NOT IN (SELECT sibling_group FROM today))"""
    if kind == "note":
        cursor, below = "", "0"  # a note's cards are few: no cursor needed
    else:
        cursor_where = f"""user_id = %(user)s
            AND deck_id {"= %(deck)s" if kind == "deck" else "IS NULL"}"""
        cursor = f"UNION ALL SELECT 'cursor', below, 0, '' FROM {CURSOR} WHERE {cursor_where}"
        below = f"COALESCE((SELECT below FROM {CURSOR} WHERE {cursor_where}), 0)"
    # Every row is (kind, number, number, sibling group); each kind is a count or a short list,
    # so the order in which UNION ALL returns them does not matter.
    return f"""
    WITH today AS (
        SELECT r.state_before, c.sibling_group FROM {LOG} r JOIN {CARD} c ON c.id = r.card_id
        WHERE r.user_id = %(user)s AND r.reviewed_at >= %(day_start)s
    )
    SELECT 'done', state_before, COUNT(*), '' FROM today GROUP BY state_before
    UNION ALL SELECT DISTINCT 'sibling', 0, 0, sibling_group FROM today WHERE sibling_group <> ''
    {cursor}
    UNION ALL SELECT 'learning', COUNT(*), 0, '' FROM {learning}
    UNION ALL SELECT * FROM (
        SELECT 'first learning', s.card_id, CASE WHEN s.due <= %(now)s THEN 1 ELSE 0 END, ''
        FROM {learning} ORDER BY s.due, s.id LIMIT 1) first_learning
    UNION ALL SELECT 'review', COUNT(*), 0, '' FROM (
        SELECT s.id FROM {due} ORDER BY s.due LIMIT %(review_limit)s) due_reviews
    UNION ALL SELECT * FROM (
        SELECT 'first review', s.card_id, 0, '' FROM {due} ORDER BY s.due, s.id LIMIT 1
    ) first_review
    UNION ALL SELECT * FROM (
        SELECT 'fresh', c.id, 0, c.sibling_group FROM {CARD} c
        WHERE {_scope_sql(kind)} AND c.id >= {below} AND NOT EXISTS (
            SELECT 1 FROM {STATE} s
            WHERE s.user_id = %(user)s AND s.card_id = c.id AND s.card_id >= {below})
        ORDER BY c.id LIMIT %(fresh_limit)s) fresh
    UNION ALL SELECT * FROM (
        SELECT 'back in play', s.card_id, 0, c.sibling_group FROM {in_play}
        AND s.state = {State.NEW} LIMIT {RETURNING_LIMIT}) back_in_play
    """


@dataclass
class QueueRows:
    """What the queue statement found; study.queues turns it into counts within the limits."""

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


def queue_rows(
    user_id: int, scope, *, now, day_start, ahead, review_limit: int, fresh_limit: int
) -> QueueRows:
    sql = _queue_sql(_kind(scope))
    ops = connection.ops
    params = {
        **_scope_params(scope),
        "user": user_id,
        "now": ops.adapt_datetimefield_value(now),
        "ahead": ops.adapt_datetimefield_value(ahead),
        "day_start": ops.adapt_datetimefield_value(day_start),
        "today": ops.adapt_datefield_value(day_start.date()),
        "review_limit": review_limit,
        "fresh_limit": fresh_limit,
    }
    found = QueueRows({}, set(), None, 0, None, False, 0, None, [], [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for kind, number, other, group in rows:
        if kind == "done":
            found.done[number] = other
        elif kind == "sibling":
            found.siblings.add(group)
        elif kind == "cursor":
            found.below = number
        elif kind == "learning":
            found.learning = number
        elif kind == "first learning":
            found.first_learning, found.learning_due_now = number, bool(other)
        elif kind == "review":
            found.reviews = number
        elif kind == "first review":
            found.first_review = number
        elif kind == "fresh":
            found.fresh.append((number, group))
        else:
            found.back_in_play.append((number, group))
    found.fresh.sort()
    return found


def _aware(moment):
    """SQLite hands back naive UTC datetimes where PostgreSQL gives aware ones."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _state(values) -> CardState:
    row = dict(zip(STATE_FIELDS, values, strict=True))
    row["due"], row["last_review"] = _aware(row["due"]), _aware(row["last_review"])
    if isinstance(row["buried_until"], str):
        row["buried_until"] = date.fromisoformat(row["buried_until"])
    return CardState.from_db(connection.alias, STATE_FIELDS, list(row.values()))


@cache
def _card_sql(kind: str) -> str:
    return f"""SELECT {CARD_SQL}, {NOTE_SQL}, {DECK_SQL}, {STATE_SQL}
        FROM {CARD} c JOIN {NOTE} n ON n.id = c.note_id JOIN {DECK} d ON d.id = n.deck_id
        LEFT JOIN {STATE} s ON s.card_id = c.id AND s.user_id = %(user)s
        WHERE c.id = %(card)s AND {_scope_sql(kind)}"""


def load_card(user_id: int, scope, card_id: int) -> tuple[Card | None, CardState | None]:
    """An active card of the scope with its note, deck and this user's state (None if never
    reviewed), in one query; (None, None) when the card is not in play."""
    sql = _card_sql(_kind(scope))
    with connection.cursor() as cursor:
        cursor.execute(sql, {**_scope_params(scope), "user": user_id, "card": card_id})
        row = cursor.fetchone()
    if row is None:
        return None, None
    values = iter(row)
    card_values = list(islice(values, len(CARD_FIELDS)))
    card_values[HEADING_PATH] = _json(card_values[HEADING_PATH])
    card = Card.from_db(connection.alias, CARD_FIELDS, card_values)
    card.note = Note.from_db(connection.alias, NOTE_FIELDS, list(islice(values, len(NOTE_FIELDS))))
    card.note.deck = Deck.from_db(
        connection.alias, DECK_FIELDS, list(islice(values, len(DECK_FIELDS)))
    )
    state_values = list(values)
    state = None if state_values[0] is None else _state(state_values)
    if state is not None and state.suspended:
        return None, None
    return card, state


def deck_by_slug(slug: str) -> Deck | None:
    """A deck that has not been removed, with what the review screen shows of it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {DECK_SQL} FROM {DECK} d WHERE d.slug = %s AND d.removed_at IS NULL", [slug]
        )
        row = cursor.fetchone()
    return None if row is None else Deck.from_db(connection.alias, DECK_FIELDS, row)


def settings_row(user_id: int) -> StudySettings | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {SETTINGS_SQL} FROM {SETTINGS} p WHERE p.user_id = %s", [user_id])
        row = cursor.fetchone()
    return None if row is None else StudySettings.from_db(connection.alias, SETTINGS_FIELDS, row)


_GRADE_READ = f"""SELECT c.id, {STATE_SQL} FROM {CARD} c
    LEFT JOIN {STATE} s ON s.card_id = c.id AND s.user_id = %(user)s
    WHERE c.id = %(card)s AND c.status = %(active)s"""


def state_for_grade(user_id: int, card_id: int) -> tuple[bool, CardState | None]:
    """(whether the card is active, this user's state of it or None)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _GRADE_READ, {"user": user_id, "card": card_id, "active": Card.Status.ACTIVE}
        )
        row = cursor.fetchone()
    if row is None:
        return False, None
    return True, None if row[1] is None else _state(row[1:])


# The CardState columns that hold a scheduling.Memory, in its field order.
MEMORY_FIELDS = tuple(field.name for field in fields(Memory))
_INSERT_STATE = f"""INSERT INTO {STATE}
    (user_id, card_id, version, suspended, {", ".join(MEMORY_FIELDS)})
    VALUES (%(user)s, %(card)s, 1, %(false)s, {", ".join(f"%({n})s" for n in MEMORY_FIELDS)})"""
_UPDATE_STATE = f"""UPDATE {STATE} SET version = %(version)s + 1, buried_until = NULL,
    {", ".join(f"{n} = %({n})s" for n in MEMORY_FIELDS)}
    WHERE id = %(id)s AND version = %(version)s"""
_INSERT_LOG = f"""INSERT INTO {LOG} (user_id, card_id, rating, reviewed_at, duration_ms,
    state_before, state_after, interval_days_before, before, after)
    VALUES (%(user)s, %(card)s, %(rating)s, %(reviewed_at)s, %(duration_ms)s, %(state_before)s,
    %(state_after)s, %(interval_days_before)s, %(before)s, %(after)s)
    RETURNING id"""


def _memory_params(fields: dict) -> dict:
    ops = connection.ops
    return {
        **fields,
        "due": ops.adapt_datetimefield_value(fields["due"]),
        "last_review": ops.adapt_datetimefield_value(fields["last_review"]),
    }


def insert_state(user_id: int, card_id: int, fields: dict) -> None:
    """A first state; raises IntegrityError when another request made it first."""
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_STATE,
            {"user": user_id, "card": card_id, "false": False, **_memory_params(fields)},
        )


def update_state(state_id: int, version: int, fields: dict) -> bool:
    """Move the state on from `version`; False when it had already moved (a stale grade)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _UPDATE_STATE, {"id": state_id, "version": version, **_memory_params(fields)}
        )
        return cursor.rowcount == 1


def insert_log(**values) -> ReviewLog:
    ops = connection.ops
    before = values["before"]
    params = {
        **values,
        "reviewed_at": ops.adapt_datetimefield_value(values["reviewed_at"]),
        "before": None if before is None else ops.adapt_json_value(before, None),
        "after": ops.adapt_json_value(values["after"], None),
    }
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_LOG, params)
        (log_id,) = cursor.fetchone()
    log = ReviewLog(
        id=log_id,
        user_id=values["user"],
        card_id=values["card"],
        **{k: v for k, v in values.items() if k not in ("user", "card")},
    )
    log._state.adding = False
    log._state.db = connection.alias
    return log
