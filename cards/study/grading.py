"""What a student does to a card: grade it (once, whatever the double clicks), undo that exactly,
bury it until tomorrow, suspend it. Only cards in play (Card.in_play) can be touched.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from cards.models import Card, CardState, ReviewLog
from cards.study import scheduling, sql
from cards.study.days import day_start
from cards.study.queue import lower_cursors, memory_of, scheduler_settings, settings_for
from cards.study.scheduling import Memory, Rating
from cards.study.sql import MEMORY_FIELDS

# A review timed longer than this was left open, not thought about.
MAX_DURATION_MS = 600_000


class Stale(Exception):
    """The grade answers a card state that has already moved on (double submit, other tab)."""


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


def grade(
    user, *, card_id: int, version: int, rating: Rating, duration_ms: int = 0, now=None
) -> ReviewLog:
    """Apply one grade. Raises Stale when `version` is not the card's current version, and
    Card.DoesNotExist when the card is not in play."""
    now = now or timezone.now()
    prefs = settings_for(user)
    with transaction.atomic():
        in_play, state = sql.state_for_grade(user.pk, card_id)
        if not in_play:
            raise Card.DoesNotExist
        if (state.version if state else 0) != version:
            raise Stale
        memory = memory_of(state)
        after = scheduling.review(
            memory, rating, now=now, card_id=card_id, settings=scheduler_settings(prefs)
        )
        before = snapshot(state) if state else None
        values = memory_fields(after)
        if state is None:
            try:
                with transaction.atomic():
                    sql.insert_state(user.pk, card_id, values)
            except IntegrityError:
                raise Stale from None
            state = CardState(user=user, card_id=card_id, version=1, **values)
        else:
            # Conditional on the version read above: a grade racing this one moves nothing.
            if not sql.update_state(state.pk, version, values):
                raise Stale
            state.version, state.buried_until = version + 1, None
            for name, value in values.items():
                setattr(state, name, value)
        interval = 0.0
        if memory.last_review and memory.due:
            interval = (memory.due - memory.last_review).total_seconds() / 86400
        return sql.insert_log(
            user_id=user.pk,
            card_id=card_id,
            rating=int(rating),
            reviewed_at=now,
            duration_ms=max(0, min(int(duration_ms), MAX_DURATION_MS)),
            state_before=int(memory.state),
            state_after=int(after.state),
            interval_days_before=interval,
            before=before,
            after=snapshot(state),
        )


def undo(user) -> ReviewLog | None:
    """Take back the user's last grade exactly; return its log (now deleted; its card_id is the
    card to show again), or None when there is nothing to undo."""
    with transaction.atomic():
        log = (
            ReviewLog.objects.filter(user=user)
            .select_related("card")
            .order_by("-reviewed_at", "-pk")
            .first()
        )
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
        card_id = log.card_id
        log.delete()
        log.card_id = card_id
        return log


def _state_for_update(user, card_id) -> CardState:
    card = Card.objects.filter(Card.in_play()).only("pk").get(pk=card_id)
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
