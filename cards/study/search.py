"""Search and the card browser: a parsed query (query.py) as the cards and notes a user may see.

Students see cards in play (Card.in_play) and their own state only; instructors see drafts too.
Free text goes through the database's own full-text search with word stems: FTS5 with the
Porter stemmer on SQLite, PostgreSQL's text search through Django's SearchVector and
SearchQuery (migration 0011 makes the tables and indexes).
"""

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import (
    BooleanField,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce

from cards.models import Card, Note
from cards.roles import is_instructor
from cards.study.days import day_start, start_of_day
from cards.study.query import Query, Term
from cards.study.queue import settings_for
from cards.study.scheduling import State

SORTS = {
    # Deck order: cards are numbered as imports read their notes, so the id is that order,
    # and the database can stop at the page's last row instead of sorting every match.
    "": ("pk",),
    "due": (F("my_due").asc(nulls_last=True), "pk"),
    "interval": (F("my_interval").desc(nulls_last=True), "pk"),
    "lapses": ("-my_lapses", "pk"),
}


class IntervalDays(Func):
    """Days from a card's last review to its due date, worked out by the database."""

    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )


def visible_cards(user) -> QuerySet:
    """The cards `user` may browse, with their own state as my_* columns."""
    mine = FilteredRelation("states", condition=Q(states__user=user))
    return (
        Card.objects.filter(Card.in_play(drafts=is_instructor(user)))
        .annotate(mine=mine)
        .annotate(
            my_state=Coalesce(F("mine__state"), Value(State.NEW), output_field=IntegerField()),
            my_suspended=Coalesce(F("mine__suspended"), Value(False), output_field=BooleanField()),
            my_leech=Coalesce(F("mine__leech"), Value(False), output_field=BooleanField()),
            my_buried_until=F("mine__buried_until"),
            my_due=F("mine__due"),
            my_lapses=Coalesce(F("mine__lapses"), Value(0), output_field=IntegerField()),
            my_reps=Coalesce(F("mine__reps"), Value(0), output_field=IntegerField()),
            my_interval=IntervalDays(F("mine__due"), F("mine__last_review")),
        )
    )


def _fts(words: str) -> str:
    """Words as one FTS5 phrase (stemmed like the index); a trailing * matches a prefix."""
    prefix = words.endswith("*")
    phrase = '"' + words.rstrip("*").replace('"', '""') + '"'
    return phrase + ("*" if prefix else "")


def text_matches(model, words: str) -> Q:
    """Rows of Card (front, back) or Note (title, text) holding `words`, stems included."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        columns = ("front", "back") if model is Card else ("title", "source")
        search_type = "phrase" if " " in words.strip() else "plain"
        found = model.objects.annotate(text=SearchVector(*columns, config="english")).filter(
            text=SearchQuery(words.rstrip("*"), config="english", search_type=search_type)
        )
        return Q(pk__in=found.values("pk"))
    table = "cards_card_fts" if model is Card else "cards_note_fts"
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [_fts(words)]))


def _named(field: str, value: str) -> Q:
    """A name with * wildcards at either end, case-insensitive."""
    if value.startswith("*") and value.endswith("*") and len(value) > 1:
        return Q(**{f"{field}__icontains": value.strip("*")})
    if value.endswith("*"):
        return Q(**{f"{field}__istartswith": value.rstrip("*")})
    if value.startswith("*"):
        return Q(**{f"{field}__iendswith": value.lstrip("*")})
    return Q(**{f"{field}__iexact": value})


def _compare(name: str, operator: str, value) -> Q:
    lookup = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte", "=": "exact"}
    if operator == "!=":
        return ~Q(**{name: value})
    return Q(**{f"{name}__{lookup[operator]}": value})


def _due_in(term: Term, today, prefs) -> Q:
    """prop:due: days from today to the card's due day (0 today, negative overdue)."""
    days = int(term.number)

    def day(offset):
        return start_of_day(today + timedelta(days=offset), prefs)

    scheduled = ~Q(my_state=State.NEW) & Q(my_due__isnull=False)
    ranges = {
        "<": Q(my_due__lt=day(days)),
        "<=": Q(my_due__lt=day(days + 1)),
        ">": Q(my_due__gte=day(days + 1)),
        ">=": Q(my_due__gte=day(days)),
        "=": Q(my_due__gte=day(days), my_due__lt=day(days + 1)),
        "!=": ~Q(my_due__gte=day(days), my_due__lt=day(days + 1)),
    }
    return scheduled & ranges[term.operator]


def condition(term: Term, *, now: datetime, prefs) -> Q:
    """One term of a search as a condition on visible_cards()."""
    today = day_start(now, prefs).date()
    if term.field == "text":
        return text_matches(Card, term.value)
    if term.field == "deck":
        return _named("deck__slug", term.value) | _named("deck__title", term.value)
    if term.field == "note":
        return _named("note__slug", term.value) | _named("note__title", term.value)
    if term.field == "tag":
        tag = term.value.lstrip("#")
        quoted = f'"{tag.rstrip("*")}' + ("" if tag.endswith("*") else '"')
        return Q(tags_text__icontains=quoted)
    if term.field == "domain":
        return _named("note__domain", term.value) | (
            Q(note__domain="") & _named("deck__title", term.value)
        )
    if term.field == "is":
        return {
            "new": Q(my_state=State.NEW),
            "learning": Q(my_state__in=(State.LEARNING, State.RELEARNING)),
            "review": Q(my_state__in=(State.REVIEW, State.RELEARNING)),
            "due": ~Q(my_state=State.NEW)
            & Q(my_due__lt=start_of_day(today + timedelta(days=1), prefs)),
            "suspended": Q(my_suspended=True),
            "buried": Q(my_buried_until__gt=today),
            "leech": Q(my_leech=True),
        }[term.value]
    if term.value == "due":
        return _due_in(term, today, prefs)
    if term.value == "ivl":
        return ~Q(my_state=State.NEW) & _compare("my_interval", term.operator, term.number)
    column = {"lapses": "my_lapses", "reps": "my_reps"}[term.value]
    return _compare(column, term.operator, term.number)


def search_cards(user, query: Query, *, now: datetime, sort: str = "") -> QuerySet:
    """The cards `user` may see that match every term of `query`, in `sort` order."""
    prefs = settings_for(user)
    cards = visible_cards(user)
    if any(term.field == "tag" for term in query.terms):
        cards = cards.annotate(tags_text=Cast("note__tags", output_field=TextField()))
    for term in query.terms:
        found = condition(term, now=now, prefs=prefs)
        cards = cards.filter(~found if term.negated else found)
    return cards.select_related("note__deck", "deck").order_by(*SORTS.get(sort, SORTS[""]))


def search_notes(user, query: Query, *, limit: int = 10) -> list[Note]:
    """Notes whose title or text holds the query's words (only its free text and deck:),
    published ones only for a student."""
    words = [term for term in query.text if not term.negated]
    if not words:
        return []
    notes = Note.objects.filter(removed_at__isnull=True, deck__removed_at__isnull=True)
    if not is_instructor(user):
        notes = notes.filter(published=True)
    for term in query.terms:
        if term.field == "text":
            found = text_matches(Note, term.value)
            notes = notes.filter(~found if term.negated else found)
        elif term.field == "deck":
            found = _named("deck__slug", term.value) | _named("deck__title", term.value)
            notes = notes.filter(~found if term.negated else found)
    return list(notes.select_related("deck").order_by("deck__title", "path")[:limit])
