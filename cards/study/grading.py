"""What a student does to a card: grade it (once, whatever the double clicks), undo that exactly,
bury it until tomorrow, suspend it. Only cards in play (Card.in_play) can be touched.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
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
    data["leech"] = state.leech
    return data


def restore(data: dict) -> dict:
    values = dict(data)
    for name in ("due", "last_review"):
        values[name] = datetime.fromisoformat(values[name]) if values[name] else None
    values["buried_until"] = (
        datetime.fromisoformat(values["buried_until"]).date() if values["buried_until"] else None
    )
    return values


def lapsed_into_leech(before: Memory, after: Memory, rating: Rating, threshold: int) -> bool:
    """Anki's leech rule: a lapse that brings the card to `threshold` lapses, and every half
    threshold after that (8, 12, 16 ... by default)."""
    if before.state != scheduling.State.REVIEW or rating != Rating.AGAIN:
        return False
    return after.lapses >= threshold and (after.lapses - threshold) % max(threshold // 2, 1) == 0


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
        became_leech = lapsed_into_leech(memory, after, rating, prefs.leech_threshold)
        if became_leech:
            state.leech = True
            state.suspended = state.suspended or prefs.suspend_leeches
            CardState.objects.filter(pk=state.pk).update(leech=True, suspended=state.suspended)
        interval = 0.0
        if memory.last_review and memory.due:
            interval = (memory.due - memory.last_review).total_seconds() / 86400
        log = sql.insert_log(
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
        log.became_leech = became_leech
        return log


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


def _states_for(user, card_ids) -> list[int]:
    """The in-play cards among `card_ids`, each given a state (a new card gets a NEW one)."""
    cards = list(
        Card.objects.filter(Card.in_play(drafts=True), pk__in=card_ids).values_list("pk", flat=True)
    )
    have = set(
        CardState.objects.filter(user=user, card_id__in=cards).values_list("card_id", flat=True)
    )
    CardState.objects.bulk_create(
        [CardState(user=user, card_id=pk) for pk in cards if pk not in have], ignore_conflicts=True
    )
    return cards


def suspend_cards(user, card_ids, suspended: bool) -> int:
    """Suspend (or unsuspend) many cards at once; returns how many."""
    with transaction.atomic():
        cards = _states_for(user, card_ids)
        CardState.objects.filter(user=user, card_id__in=cards).update(
            suspended=suspended, version=F("version") + 1
        )
    return len(cards)


def bury_cards(user, card_ids, *, now=None) -> int:
    """Hide many cards until tomorrow; returns how many."""
    today = day_start(now or timezone.now(), settings_for(user)).date()
    with transaction.atomic():
        cards = _states_for(user, card_ids)
        CardState.objects.filter(user=user, card_id__in=cards).update(
            buried_until=today + timedelta(days=1), version=F("version") + 1
        )
    return len(cards)


def forget_cards(user, card_ids) -> int:
    """Make cards new again, as Anki's Forget: their review history is kept (and a later fit
    starts each card's history at its new first review). Returns how many had been studied."""
    with transaction.atomic():
        states = CardState.objects.filter(user=user, card_id__in=card_ids).exclude(
            state=scheduling.State.NEW, reps=0
        )
        cards = list(Card.objects.filter(pk__in=states.values("card_id")).only("pk", "deck_id"))
        CardState.objects.filter(user=user, card_id__in=[card.pk for card in cards]).delete()
        lowest = {}  # deck -> its lowest card made new: the new-card cursor must not skip it
        for card in cards:
            if card.deck_id not in lowest or card.pk < lowest[card.deck_id].pk:
                lowest[card.deck_id] = card
        for card in lowest.values():
            lower_cursors(user, card)
    return len(cards)
