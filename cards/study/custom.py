"""Custom study, as Anki's: cards picked now (a search, a topic, a domain or a tag; cards
forgotten today; reviews due in the next days) and studied outside the daily limits. A cram
session shows them without changing when they are due and writes no review log.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cards.models import CustomSession, ReviewLog
from cards.study import grading, query, search
from cards.study.days import day_start, start_of_day
from cards.study.queue import Scope, load_card, settings_for
from cards.study.scheduling import Rating, State

KINDS = {
    "search": "Cards matching a search",
    "forgotten": "Cards you forgot today",
    "ahead": "Review ahead",
}
MAX_CARDS = 1000


class NothingToStudy(Exception):
    """The choice picked no card; the message says why."""


def pick_cards(user, *, kind: str, text: str = "", days: int = 1, now: datetime) -> list[int]:
    """The card ids a custom session of `kind` studies, in the order it shows them."""
    prefs = settings_for(user)
    today = day_start(now, prefs)
    cards = search.visible_cards(user).filter(my_suspended=False)
    if kind == "search":
        parsed = query.parse(text)
        if parsed.errors:
            raise NothingToStudy(" ".join(parsed.errors))
        cards = search.search_cards(user, parsed, now=now).filter(my_suspended=False)
    elif kind == "forgotten":
        forgotten = ReviewLog.objects.filter(
            user=user, reviewed_at__gte=today, rating=Rating.AGAIN
        ).values("card_id")
        cards = cards.filter(pk__in=forgotten).order_by("pk")
    else:  # review ahead: reviews due by the end of the day `days` from now
        end = start_of_day(today.date() + timedelta(days=days + 1), prefs)
        cards = cards.filter(my_state=State.REVIEW, my_due__lt=end).order_by("my_due", "pk")
    return list(cards.values_list("pk", flat=True)[:MAX_CARDS])


def start(
    user, *, kind: str, mode: str, text: str = "", days: int = 1, limit: int = 100, now=None
) -> CustomSession:
    now = now or timezone.now()
    cards = pick_cards(user, kind=kind, text=text, days=days, now=now)[:limit]
    if not cards:
        raise NothingToStudy(
            {
                "search": f"No card you study matches “{text}”.",
                "forgotten": "You have not forgotten any card today.",
                "ahead": f"No review is due in the next {days} day{'s' if days != 1 else ''}.",
            }[kind]
        )
    title = {"search": text, "forgotten": "Forgotten today", "ahead": f"Ahead {days}d"}[kind]
    return CustomSession.objects.create(user=user, title=title[:200], mode=mode, cards=cards)


def current(session: CustomSession):
    """The session's card on screen, with its note, deck and this user's state: (card, state),
    or (None, None) when it is done. Cards gone from play meanwhile are skipped."""
    while session.cards:
        card, state = load_card(session.user, Scope(), session.cards[0])
        if card is not None:
            return card, state
        session.cards = session.cards[1:]
        session.save(update_fields=["cards"])
    return None, None


def answer(session: CustomSession, *, card_id: int, version: int, rating: Rating, duration_ms=0):
    """Grade the session's current card: as usual in a review session, not at all in a cram
    one. Again sends the card to the end of the session, to be seen once more."""
    with transaction.atomic():
        session = CustomSession.objects.select_for_update().get(pk=session.pk)
        if not session.cards or session.cards[0] != card_id:
            raise grading.Stale
        log = None
        if session.mode == CustomSession.Mode.REVIEW:
            log = grading.grade(
                session.user,
                card_id=card_id,
                version=version,
                rating=rating,
                duration_ms=duration_ms,
            )
        rest = session.cards[1:]
        if rating == Rating.AGAIN:
            rest.append(card_id)
        else:
            session.done += 1
        session.cards = rest
        session.save(update_fields=["cards", "done"])
    return log
