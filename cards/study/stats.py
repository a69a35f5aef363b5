"""One user's study statistics as plain data: figures and SVG geometry for the stats page.

Reads only that user's rows, in a fixed number of queries whatever the number of cards.
"""

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Greatest, Least, Power
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from cards.models import Card, CardState, Note, ReviewTally, StudySettings
from cards.study import scheduling
from cards.study.days import EPOCH, day_of, day_start, start_of_day, tally_day_number
from cards.study.queue import Scope, settings_for
from cards.study.scheduling import State

# How far back the streak looks, in days: a month, then everything (a year of tallies is read
# about as fast as a first year-long window, so a third step only added a query).
STREAK_WINDOWS = (31, None)
# Anki calls a card "mature" once its interval reaches 21 days; retention is reported for both.
MATURE_DAYS = 21
RECENT_DAYS = 30
FORECAST_DAYS = 30
HEATMAP_WEEKS = 53
TOPIC_COUNT = 10
TOPIC_MIN_CARDS = 2

# Heatmap geometry, in SVG user units: one square per day, a column per week (Monday on top).
CELL = 11
CELL_STEP = 14
HEAT_LEFT = 30
HEAT_TOP = 16
HEAT_LEVELS = 4
WEEKDAY_LABELS = ((0, "Mon"), (2, "Wed"), (4, "Fri"))

# Forecast geometry: one bar per day under a plot HEIGHT tall, labels left and below.
BAR_WIDTH = 18
BAR_STEP = 22
PLOT_LEFT = 44
PLOT_TOP = 8
PLOT_HEIGHT = 120
PLOT_BOTTOM = 22
STATE_BAR_WIDTH = 1000


def streak(user, *, now: datetime | None = None) -> int:
    """Days in a row with at least one review, ending today (or yesterday, if none yet today).

    Reads the last month's review days first, and further back only when all of them were
    study days: a long history costs the dashboard little unless the streak is that long."""
    now = now or timezone.now()
    prefs = settings_for(user)
    start = day_start(now, prefs)
    today = (start.date() - EPOCH).days
    tallies = ReviewTally.objects.filter(user=user)
    for window in STREAK_WINDOWS:
        recent = (
            tallies.filter(quarter__gte=ReviewTally.quarter_from(start - timedelta(days=window)))
            if window
            else tallies
        )
        days = set(
            recent.annotate(day=tally_day_number(prefs, now))
            .values_list("day", flat=True)
            .order_by()
            .distinct()
        )
        day = today if today in days else today - 1
        count = 0
        while day in days:
            count += 1
            day -= 1
        if window is None or count < window:
            return count
    return count


@dataclass
class HeatCell:
    day: date
    count: int
    level: int  # 0 for no reviews, then 1..HEAT_LEVELS relative to the busiest day
    x: int
    y: int


@dataclass
class Label:
    x: int
    y: int
    text: str


@dataclass
class Heatmap:
    cells: list[HeatCell]
    months: list[Label]
    weekdays: list[Label]
    legend: list[Label]  # one square per level; text is the level
    legend_width: int
    width: int
    height: int
    cell: int
    total: int
    active_days: int
    busiest_day: date | None
    busiest_count: int
    first_day: date
    last_day: date

    def cells_svg(self) -> str:
        """The day squares as SVG, each titled with its day and count (today's marked): built
        here, since 371 squares through the template engine were a fifth of the page's time."""
        last = len(self.cells) - 1
        return format_html_join(
            "\n      ",
            '<rect class="heat heat-{}"{} x="{}" y="{}" width="{}" height="{}" rx="2">'
            "<title>{}: {} review{}</title></rect>",
            (
                (
                    cell.level,
                    mark_safe(" data-today") if i == last else "",
                    cell.x,
                    cell.y,
                    self.cell,
                    self.cell,
                    cell.day.isoformat(),
                    cell.count,
                    "" if cell.count == 1 else "s",
                )
                for i, cell in enumerate(self.cells)
            ),
        )


@dataclass
class Retention:
    passed: int
    total: int

    @property
    def percent(self) -> float | None:
        return 100 * self.passed / self.total if self.total else None


@dataclass
class RetentionRow:
    label: str
    recent: Retention
    all_time: Retention


@dataclass
class Bar:
    day: date
    offset: int  # days from today
    count: int
    x: int
    y: int
    width: int
    height: int


@dataclass
class Forecast:
    bars: list[Bar]
    ticks: list[Label]
    peak: int
    peak_label: Label
    zero_label: Label
    axis_title: Label
    baseline_y: int
    plot_left: int
    plot_right: int
    width: int
    height: int
    total: int
    today: int
    next_week: int


@dataclass
class Segment:
    name: str
    count: int
    percent: float
    x: int  # in a STATE_BAR_WIDTH-wide bar
    width: int


@dataclass
class StateCounts:
    new: int
    learning: int
    review: int
    suspended: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review + self.suspended


@dataclass
class Topic:
    deck_slug: str
    note_slug: str
    note_title: str
    heading: str
    cards: int
    recall: float  # average predicted chance of recall now, 0..1

    @property
    def recall_percent(self) -> float:
        return 100 * self.recall


@dataclass
class Stats:
    has_reviews: bool
    reviews_total: int = 0
    heatmap: Heatmap | None = None
    retention: list[RetentionRow] = field(default_factory=list)
    forecast: Forecast | None = None
    states: StateCounts | None = None
    topics: list[Topic] = field(default_factory=list)


def user_stats(user, *, now: datetime | None = None) -> Stats:
    """Everything the stats page shows for `user`; only `has_reviews` when there is no review."""
    now = now or timezone.now()
    prefs = settings_for(user)
    days = review_days(user, now=now, prefs=prefs)
    if not days:
        return Stats(has_reviews=False)
    today = day_start(now, prefs).date()
    topics = topic_figures(user, now=now, parameters=tuple(prefs.fsrs_parameters or ()))
    return Stats(
        has_reviews=True,
        reviews_total=sum(day.reviews for day in days.values()),
        heatmap=heatmap(user, now=now, prefs=prefs, days=days),
        retention=retention_rows(days, today=today),
        forecast=forecast(_card_states(user), now=now, prefs=prefs),
        states=state_counts(topics, active_cards=Card.objects.filter(Scope().cards()).count()),
        topics=weakest_topics(topics),
    )


@dataclass
class ReviewDay:
    """One study day's reviews, and those that count for true retention."""

    reviews: int
    young: int
    young_passed: int
    mature: int
    mature_passed: int


def review_days(user, *, now: datetime, prefs: StudySettings) -> dict[date, ReviewDay]:
    """The user's reviews by study day (StudyDay's rule), from their review tallies: one query
    whatever the number of reviews. Retention counts as the tallies' triggers define it:
    reviews of cards in review, young under MATURE_DAYS, passed above Again."""
    sums = {name: Sum(name) for name in ReviewDay.__dataclass_fields__}
    rows = (
        ReviewTally.objects.filter(user=user)
        .annotate(day=tally_day_number(prefs, now))
        .values("day")
        .annotate(**sums)
        .order_by()
    )
    return {EPOCH + timedelta(days=row.pop("day")): ReviewDay(**row) for row in rows}


class DaysSince(Func):
    """Whole days from a datetime column to `moment`, worked out by the database itself."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "CAST(EXTRACT(DAY FROM (%(expressions)s)) AS integer)"

    def __init__(self, field: str, moment: datetime):
        super().__init__(Value(moment, output_field=DateTimeField()), F(field))

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS integer)",
            arg_joiner=") - julianday(",
            **extra,
        )


def heatmap(
    user, *, now: datetime, prefs: StudySettings, days: dict[date, ReviewDay] | None = None
) -> Heatmap:
    """Reviews per day, GitHub style: HEATMAP_WEEKS columns ending with this week. `days`:
    review_days' answer, when the caller has it already."""
    today = day_start(now, prefs).date()
    first_day = today - timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS - 1)
    if days is None:
        days = review_days(user, now=now, prefs=prefs)
    per_day = {day: row.reviews for day, row in days.items() if first_day <= day <= today}
    busiest_day = max(per_day, key=lambda day: (per_day[day], day), default=None)
    busiest = per_day.get(busiest_day, 0)

    cells, months = [], []
    day = first_day
    while day <= today:
        column = (day - first_day).days // 7
        x = HEAT_LEFT + column * CELL_STEP
        count = per_day.get(day, 0)
        level = math.ceil(HEAT_LEVELS * count / busiest) if count else 0
        cells.append(HeatCell(day, count, level, x, HEAT_TOP + day.weekday() * CELL_STEP))
        # A month's name sits above the week holding its first day, unless it would overlap.
        if day.day == 1 and (not months or x - months[-1].x >= 3 * CELL_STEP):
            months.append(Label(x, HEAT_TOP - 5, day.strftime("%b")))
        day += timedelta(days=1)
    weekdays = [
        Label(HEAT_LEFT - 4, HEAT_TOP + row * CELL_STEP + CELL - 2, text)
        for row, text in WEEKDAY_LABELS
    ]
    return Heatmap(
        cells=cells,
        months=months,
        weekdays=weekdays,
        legend=[Label(level * CELL_STEP, 0, str(level)) for level in range(HEAT_LEVELS + 1)],
        legend_width=HEAT_LEVELS * CELL_STEP + CELL,
        width=HEAT_LEFT + HEATMAP_WEEKS * CELL_STEP,
        height=HEAT_TOP + 7 * CELL_STEP,
        cell=CELL,
        total=sum(per_day.values()),
        active_days=len(per_day),
        busiest_day=busiest_day,
        busiest_count=busiest,
        first_day=first_day,
        last_day=today,
    )


def retention_rows(days: dict[date, ReviewDay], *, today: date) -> list[RetentionRow]:
    """True retention of review-state cards, young and mature, recent and all time."""
    first_recent = today - timedelta(days=RECENT_DAYS - 1)
    found = defaultdict(int)
    for day, row in days.items():
        for window in ("recent", "all") if day >= first_recent else ("all",):
            for group in ("young", "mature"):
                found[f"{group}_{window}"] += getattr(row, group)
                found[f"{group}_{window}_passed"] += getattr(row, f"{group}_passed")

    def retention(key: str) -> Retention:
        return Retention(passed=found[f"{key}_passed"], total=found[key])

    rows = [
        RetentionRow(
            label=f"Young (interval under {MATURE_DAYS} days)",
            recent=retention("young_recent"),
            all_time=retention("young_all"),
        ),
        RetentionRow(
            label=f"Mature ({MATURE_DAYS} days or more)",
            recent=retention("mature_recent"),
            all_time=retention("mature_all"),
        ),
    ]
    return rows


def _card_states(user):
    """The user's states of active cards: the charts ask them for a few small aggregates."""
    return CardState.objects.filter(Scope().cards("card__"), user=user)


def forecast(states, *, now: datetime, prefs: StudySettings) -> Forecast:
    """Cards coming due on each of the next FORECAST_DAYS days; overdue ones count for today."""
    today = day_start(now, prefs).date()
    end = start_of_day(today + timedelta(FORECAST_DAYS), prefs)
    per_offset = [0] * FORECAST_DAYS
    due_days = (
        states.filter(suspended=False, due__lt=end)
        .exclude(state=State.NEW)
        .annotate(day=day_of("due", prefs, now))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in due_days:
        per_offset[min(max((row["day"] - today).days, 0), FORECAST_DAYS - 1)] += row["n"]
    peak = max(per_offset)
    baseline = PLOT_TOP + PLOT_HEIGHT
    bars = []
    for offset, count in enumerate(per_offset):
        height = round(PLOT_HEIGHT * count / peak) if peak else 0
        x = PLOT_LEFT + offset * BAR_STEP + (BAR_STEP - BAR_WIDTH) // 2
        day = today + timedelta(days=offset)
        bars.append(Bar(day, offset, count, x, baseline - height, BAR_WIDTH, height))
    ticks = [
        Label(PLOT_LEFT + offset * BAR_STEP + BAR_STEP // 2, baseline + 16, text)
        for offset, text in ((0, "Today"), (7, "+7d"), (14, "+14d"), (21, "+21d"), (29, "+29d"))
    ]
    return Forecast(
        bars=bars,
        ticks=ticks,
        peak=peak,
        peak_label=Label(PLOT_LEFT - 6, PLOT_TOP + 8, str(peak)),
        zero_label=Label(PLOT_LEFT - 6, baseline, "0"),
        axis_title=Label(12, PLOT_TOP + PLOT_HEIGHT // 2, "Cards due"),
        baseline_y=baseline,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_LEFT + FORECAST_DAYS * BAR_STEP,
        width=PLOT_LEFT + FORECAST_DAYS * BAR_STEP + 4,
        height=baseline + PLOT_BOTTOM,
        total=sum(per_offset),
        today=per_offset[0],
        next_week=sum(per_offset[:7]),
    )


def state_counts(topics: list["TopicFigures"], *, active_cards: int) -> StateCounts:
    """Active cards by state; a card the user never touched is new."""
    suspended = sum(topic.suspended for topic in topics)
    learning = sum(topic.learning for topic in topics)
    review = sum(topic.review for topic in topics)
    counts = StateCounts(
        new=max(active_cards - suspended - learning - review, 0),
        learning=learning,
        review=review,
        suspended=suspended,
    )
    done = 0
    for name in ("new", "learning", "review", "suspended"):
        count = getattr(counts, name)
        if not count:
            continue
        # Ends are rounded from running totals so the segments always fill the bar exactly.
        x = round(STATE_BAR_WIDTH * done / counts.total)
        done += count
        end = round(STATE_BAR_WIDTH * done / counts.total)
        counts.segments.append(Segment(name, count, 100 * count / counts.total, x, end - x))
    return counts


class TopicFigures(NamedTuple):
    """One heading's states of active cards: counts by state, and the average chance of
    recalling its reviewed cards now."""

    note_id: int
    path: str  # the heading path as JSON text
    recall: float | None
    reviewed: int
    suspended: int
    learning: int
    review: int


def topic_figures(user, *, now: datetime, parameters: tuple = ()) -> list[TopicFigures]:
    """Every heading's TopicFigures, one grouped query: the counts by state and the weakest
    topics both read it. Recall follows recall_probability, by the forgetting curve of the
    user's own FSRS parameters (the defaults when empty)."""
    decay, factor = scheduling.forgetting_curve(parameters)
    recall = Least(
        Greatest(
            Power(1 + factor * Greatest(DaysSince("last_review", now), 0) / F("stability"), decay),
            0.0,
        ),
        1.0,
    )
    reviewed = Q(suspended=False, stability__isnull=False, last_review__isnull=False) & ~Q(
        state=State.NEW
    )
    learning = (State.LEARNING, State.RELEARNING)
    rows = (
        _card_states(user)
        .annotate(path=Cast("card__heading_path", TextField()))
        .values("card__note_id", "path")
        .annotate(
            recall=Avg(recall, filter=reviewed, output_field=FloatField()),
            reviewed=Count("pk", filter=reviewed),
            n_suspended=Count("pk", filter=Q(suspended=True)),
            n_learning=Count("pk", filter=Q(suspended=False, state__in=learning)),
            n_review=Count("pk", filter=Q(suspended=False, state=State.REVIEW)),
        )
        .values_list(
            "card__note_id", "path", "recall", "reviewed", "n_suspended", "n_learning", "n_review"
        )
        .order_by()
    )
    return [TopicFigures(*row) for row in rows]


def weakest_topics(topics: list[TopicFigures]) -> list[Topic]:
    """The headings whose reviewed cards the user is least likely to recall now."""
    # A topic needs two reviewed cards to say much; with only single-card topics, show those.
    least = TOPIC_MIN_CARDS if any(t.reviewed >= TOPIC_MIN_CARDS for t in topics) else 1
    weakest = sorted(
        (t.recall, (t.note_id, t.path), t.reviewed) for t in topics if t.reviewed >= least
    )
    # Ties in recall are broken by note title below, so take every topic tied with the tenth.
    if len(weakest) > TOPIC_COUNT:
        cutoff = weakest[TOPIC_COUNT - 1][0]
        weakest = [entry for entry in weakest if entry[0] <= cutoff]
    notes = {
        note["pk"]: note
        for note in Note.objects.filter(pk__in={key[0] for _, key, _ in weakest}).values(
            "pk", "title", "slug", "deck__slug"
        )
    }
    topics = [
        Topic(
            deck_slug=notes[note_id]["deck__slug"],
            note_slug=notes[note_id]["slug"],
            note_title=notes[note_id]["title"],
            heading=" › ".join(json.loads(path) or ()) or notes[note_id]["title"],
            cards=count,
            recall=recall,
        )
        for recall, (note_id, path), count in weakest
    ]
    topics.sort(key=lambda topic: (topic.recall, topic.note_title, topic.heading))
    return topics[:TOPIC_COUNT]
