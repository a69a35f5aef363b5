"""Tables: decks of notes, the cards they produce, and the images they embed.

Fields, constraints and small properties only; orchestration lives in sync.py and friends.
"""

from datetime import timedelta
from functools import cache
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cards.study.scheduling import parse_steps

# The largest id a BigAutoField holds: a number above it names no row, and the hand-written SQL
# of the study screen could not even pass it to SQLite.
MAX_ID = 2**63 - 1
# The largest value a PositiveIntegerField holds on every database Django supports.
MAX_POSITIVE_INT = 2_147_483_647


class Deck(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    calculator_questions = models.BooleanField(
        default=False, help_text="Add Lambda pricing and limits scenarios to this deck's exams"
    )
    # The exam blueprint: [{"name", "weight", "notes"}] from _deck.toml (content/domains.py).
    domains = models.JSONField(default=list, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True, help_text="Deleted by an instructor")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("deck", args=[self.slug])


class Note(models.Model):
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="notes")
    path = models.CharField(max_length=500, help_text="Path inside the deck folder")
    title = models.CharField(max_length=300)
    # What the note is about, as its cards' questions name it ("Amazon SQS"); may be empty.
    topic = models.CharField(max_length=300, blank=True)
    # The exam domain it belongs to (front matter `domain:` or the deck's patterns); may be empty.
    domain = models.CharField(max_length=200, blank=True)
    slug = models.SlugField(max_length=300)
    aliases = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    front_matter = models.JSONField(default=dict, blank=True)
    source = models.TextField(help_text="The file's text, kept verbatim")
    html = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64)
    warnings = models.JSONField(default=list, blank=True)
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the file left the deck; its cards are retired"
    )
    published = models.BooleanField(default=True, help_text="Students see published notes only")
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every save")
    imported_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="Hash of the file last imported; empty for notes made in the browser",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["deck", "path"], name="note_path_unique_in_deck"),
            models.UniqueConstraint(fields=["deck", "slug"], name="note_slug_unique_in_deck"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("note", args=[self.deck.slug, self.slug])


class NoteLink(models.Model):
    """A [[wikilink]] from one note to another (or to nothing: target is null when broken)."""

    source = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(
        Note, on_delete=models.SET_NULL, null=True, blank=True, related_name="links_in"
    )
    target_text = models.CharField(max_length=300)
    line = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["target"])]

    def __str__(self):
        return f"{self.source} → [[{self.target_text}]]"


class Card(models.Model):
    class Kind(models.TextChoices):
        BASIC = "basic", "Basic"
        REVERSED = "reversed", "Reversed"
        CLOZE = "cloze", "Cloze"
        DEFINITION = "definition", "Definition"
        LIST = "list", "List"
        TABLE = "table", "Table cell"
        NUMERIC = "numeric", "Numeric fact"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"
        SUPPRESSED = "suppressed", "Suppressed"

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="cards")
    # The note's deck, repeated so the study queue can walk one deck's cards in order.
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    front = models.TextField()
    back = models.TextField()
    front_html = models.TextField(blank=True)
    back_html = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    identity = models.TextField(blank=True)
    heading_path = models.JSONField(default=list, blank=True)
    line = models.PositiveIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    sibling_group = models.CharField(max_length=40, blank=True)
    # Another note's card asks the same fact: that card is studied instead (content/merging.py).
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    # The sources of the cards merged into this one: [{"title", "slug", "line"}].
    also_in = models.JSONField(default=list, blank=True)
    # The facts file contradicts this card's answer: {"fact", "value", "checked", "source"}.
    fact_check = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["note", "position"]
        constraints = [
            models.UniqueConstraint(fields=["note", "key"], name="card_key_unique_in_note"),
        ]
        indexes = [
            models.Index(fields=["note", "status"]),
            models.Index(fields=["deck", "status"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self):
        return self.front[:80]

    @staticmethod
    def visible(prefix: str = "", *, drafts: bool = False) -> Q:
        """The one definition of what a student may see of a card: its note is published
        (unless `drafts`, for instructors) and not removed, and its deck is not removed.
        `prefix` reaches cards from another model ("card__"). A retired or merged card is
        still visible (its history is exported); only cards in play are studied."""
        rule = {"note__removed_at__isnull": True, "deck__removed_at__isnull": True}
        if not drafts:
            rule["note__published"] = True
        return Q(**{f"{prefix}{name}": value for name, value in rule.items()})

    @staticmethod
    def in_play(prefix: str = "", *, drafts: bool = False, merged: bool = False) -> Q:
        """A card in play: studied, quizzed and counted only when it is visible, active (not
        retired) and not merged into another note's card asking the same fact. `merged` keeps
        merged cards (to merge again). IN_PLAY_SQL is the same rule for hand-written SQL."""
        rule = Q(**{f"{prefix}status": Card.Status.ACTIVE}) & Card.visible(prefix, drafts=drafts)
        if not merged:
            rule &= Q(**{f"{prefix}merged_into__isnull": True})
        return rule

    @property
    def heading_label(self) -> str:
        return " › ".join(self.heading_path)

    @property
    def headings_below_title(self) -> list[str]:
        """The heading path without a first heading that only repeats the note's title."""
        path = list(self.heading_path)
        if path and path[0].casefold() == self.note.title.casefold():
            path = path[1:]
        return path

    @property
    def context_label(self) -> str:
        """Where the card comes from, as "Note › Heading › Subheading"."""
        return " › ".join([self.note.title, *self.headings_below_title])

    def source_url(self) -> str:
        return f"{self.note.get_absolute_url()}#L{self.line}"


# Card.in_play in SQL, for a card `c` joined to its note `n` and deck `d` (IN_PLAY_JOINS).
IN_PLAY_JOINS = (
    f"JOIN {Note._meta.db_table} n ON n.id = c.note_id"
    f" JOIN {Deck._meta.db_table} d ON d.id = c.deck_id"
)
IN_PLAY_SQL = (
    f"c.status = '{Card.Status.ACTIVE}' AND c.merged_into_id IS NULL AND n.published"
    " AND n.removed_at IS NULL AND d.removed_at IS NULL"
)


class KeptApart(models.Model):
    """Two cards an instructor said ask different facts: they are never merged again, whatever
    the imports."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["card", "other"], name="kept_apart_once"),
        ]

    def __str__(self):
        return f"cards {self.card_id} and {self.other_id} kept apart"


class Asset(models.Model):
    """An image a note embeds, stored in the database so every app server can serve it."""

    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="assets")
    path = models.CharField(max_length=500)
    name = models.CharField(max_length=300, help_text="File name, as ![[embeds]] refer to it")
    content_type = models.CharField(max_length=100)
    data = models.BinaryField()
    content_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deck", "path"], name="asset_path_unique_in_deck"),
        ]
        indexes = [models.Index(fields=["deck", "name"])]

    def __str__(self):
        return self.path

    def get_absolute_url(self):
        return reverse("asset", args=[self.deck.slug, self.path])


time_zone_names = cache(available_timezones)  # reads the tz database: once is enough


def validate_time_zone(name: str) -> None:
    if name not in time_zone_names():
        raise ValidationError(f"“{name}” is not a time zone name like Europe/Paris or UTC.")


def validate_steps(text: str) -> None:
    """Learning or relearning steps as Anki writes them ("1m 10m"), each within Anki's bounds."""
    try:
        parse_steps(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


class StudySettings(models.Model):
    """A student's scheduling preferences (DESIGN §5)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_settings"
    )
    desired_retention = models.FloatField(
        default=0.90,
        validators=[MinValueValidator(0.70), MaxValueValidator(0.99)],
        help_text="The chance of remembering a card when it comes due: 0.70 to 0.99.",
    )
    new_per_day = models.PositiveIntegerField(
        default=20, validators=[MaxValueValidator(9999)], help_text="New cards introduced per day."
    )
    reviews_per_day = models.PositiveIntegerField(
        default=200, validators=[MaxValueValidator(99999)], help_text="Most reviews shown per day."
    )
    learning_steps = models.CharField(
        max_length=100,
        default="1m 10m",
        validators=[validate_steps],
        help_text="Steps for new cards, e.g. “1m 10m”.",
    )
    relearning_steps = models.CharField(
        max_length=100,
        default="10m",
        validators=[validate_steps],
        help_text="Steps after a lapse, e.g. “10m”.",
    )
    maximum_interval = models.PositiveIntegerField(
        default=36500,
        validators=[MinValueValidator(1), MaxValueValidator(36500)],
        help_text="The longest gap between reviews, in days.",
    )
    requeue_missed = models.BooleanField(
        default=True, help_text="A question missed in a quiz makes its card due again."
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Where you study: your days, streak and daily limits follow its clock.",
    )
    day_starts_at = models.PositiveSmallIntegerField(
        default=4,
        validators=[MaxValueValidator(23)],
        help_text="The hour a new study day begins, as in Anki: 4 keeps late nights in the "
        "day they started.",
    )
    # Fitted to this student's reviews by "Optimise my parameters"; empty: FSRS's defaults.
    fsrs_parameters = models.JSONField(default=list, blank=True)
    exam_date = models.DateField(
        null=True, blank=True, help_text="The day of your exam: readiness is predicted for it."
    )
    leech_threshold = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="Lapses that make a card a leech, as in Anki (8), and again every half that "
        "many after.",
    )
    suspend_leeches = models.BooleanField(
        default=False, help_text="Suspend a card when it becomes a leech, besides tagging it."
    )

    def __str__(self):
        return f"Study settings of {self.user}"


class CardState(models.Model):
    """One user's memory of one card; its columns are a scheduling.Memory."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="states")
    state = models.PositiveSmallIntegerField(default=0)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(null=True, blank=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    suspended = models.BooleanField(default=False)
    buried_until = models.DateField(null=True, blank=True)
    # Lapsed leech_threshold times (Anki's "leech" tag); db_default, as the grade's hand-written
    # INSERT names only the columns it sets.
    leech = models.BooleanField(default=False, db_default=False)
    # Bumped by every change; a grade must name the version it answers (no double counting).
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "card"], name="one_state_per_user_and_card"),
        ]
        indexes = [models.Index(fields=["user", "state", "due"])]

    def __str__(self):
        return f"{self.user} × card {self.card_id}"


class ReviewLog(models.Model):
    """One grade: enough to undo it exactly and to draw every statistic."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="review_logs")
    rating = models.PositiveSmallIntegerField()
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    state_before = models.PositiveSmallIntegerField()
    state_after = models.PositiveSmallIntegerField()
    interval_days_before = models.FloatField(default=0)
    before = models.JSONField(null=True, help_text="CardState fields before; null for new")
    after = models.JSONField()

    class Meta:
        indexes = [
            # Covers the day's tally in the study queue, the heatmap and true retention, so
            # none of them reads the log rows themselves (retention at 200,000 reviews:
            # 214 -> 93 ms on SQLite).
            models.Index(
                fields=["user", "reviewed_at", "state_before", "interval_days_before", "rating"],
                name="reviewlog_user_time_covering",
            ),
            models.Index(fields=["card", "user"]),
        ]

    def __str__(self):
        return f"{self.user} rated card {self.card_id} {self.rating}"


class ReviewTally(models.Model):
    """A user's review logs counted per quarter hour, so the statistics and the streak read a
    few hundred rows where the logs are hundreds of thousands.

    Kept by database triggers on ReviewLog (migration 0014), whatever writes the logs: a grade,
    undo, a personal-data import, a cascade. A quarter hour is a whole part of every study day,
    since every time zone's offset is a multiple of 15 minutes, so grouping tallies by day gives
    the same counts as grouping the logs. The triggers count retention as stats.review_days
    defines it: reviews of cards in review (state 2), young under 21 days, passed above Again."""

    QUARTER_SECONDS = 900

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quarter = models.BigIntegerField(help_text="Unix time // 900 of the reviews counted")
    reviews = models.PositiveIntegerField(default=0)
    young = models.PositiveIntegerField(default=0)
    young_passed = models.PositiveIntegerField(default=0)
    mature = models.PositiveIntegerField(default=0)
    mature_passed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "quarter"], name="reviewtally_user_quarter")
        ]

    def __str__(self):
        return f"{self.user}: {self.reviews} reviews in quarter hour {self.quarter}"

    @classmethod
    def quarter_from(cls, moment) -> int:
        """The first quarter hour starting at or after `moment`: tallies from it on count the
        logs from `moment` on (exactly, when `moment` starts a quarter, as a study day does)."""
        return -(-int(moment.timestamp()) // cls.QUARTER_SECONDS)


class NewCardCursor(models.Model):
    """Where a user's new cards start: every active card (of the deck, or of all decks when deck
    is null) with a smaller id already has a CardState. Lets the queue skip studied cards
    without reading them; lowered whenever a card behind it becomes new again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, null=True, related_name="+")
    below = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "deck"], name="one_cursor_per_user_and_deck"),
        ]

    def __str__(self):
        return f"{self.user} new cards from {self.below}"


class Question(models.Model):
    """A question written by hand inside a note (see docs/authoring-questions.md)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(max_length=40)
    kind = models.CharField(max_length=12)
    stem = models.TextField()
    options = models.JSONField(default=list)  # [{"text": ..., "correct": bool}]
    explanation = models.TextField(blank=True)
    heading_path = models.JSONField(default=list, blank=True)
    line = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "key"], name="question_key_unique_in_note"),
        ]

    def __str__(self):
        return self.stem[:80]


class Attempt(models.Model):
    """One practice session or exam: the questions are fixed when it starts."""

    class Mode(models.TextChoices):
        PRACTICE = "practice", "Practice"
        EXAM = "exam", "Exam"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="attempts")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    title = models.CharField(max_length=100)
    seed = models.CharField(max_length=40)
    topics = models.JSONField(default=list, blank=True)
    questions = models.JSONField(default=list)  # QuestionDraft dicts, answers included
    time_limit_s = models.PositiveIntegerField(default=0)  # 0: untimed
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    correct = models.PositiveIntegerField(default=0)
    percent = models.FloatField(default=0)
    passed = models.BooleanField(default=False)
    retake_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    # The one-time token of the form that started it: a double-submitted form finds this attempt
    # instead of starting another.
    start_token = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "start_token"],
                condition=~Q(start_token=""),
                name="one_attempt_per_start_token",
            ),
        ]

    def __str__(self):
        return f"{self.title} by {self.user} ({self.started_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("quiz_question", args=[self.pk, 1])


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    index = models.PositiveIntegerField()  # 0-based position in attempt.questions
    given = models.JSONField(default=list)  # chosen option indexes, or [typed text] for numeric
    flagged = models.BooleanField(default=False)
    correct = models.BooleanField(null=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "index"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return f"Answer {self.index + 1} of attempt {self.attempt_id}"


class NoteRevision(models.Model):
    """Every saved text of a note: who, when, the full text. Nothing an instructor wrote is lost."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.TextField()
    message = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.note} at {self.created_at:%Y-%m-%d %H:%M}"


class PendingUpload(models.Model):
    """Uploaded notes waiting for the instructor to confirm the dry-run report. At most
    MAX_UNPACKED_BYTES of files (content/files.py), kept for LIFETIME (content/authoring.py
    discards older ones)."""

    LIFETIME = timedelta(hours=1)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=300)
    files = models.JSONField(default=list)  # [{"path": ..., "data": base64}]
    report = models.JSONField(default=dict)

    def __str__(self):
        return f"Upload {self.filename} into {self.deck}"

    def expired(self, now) -> bool:
        return self.created_at < now - self.LIFETIME


class ProblemReport(models.Model):
    """A student says a card or an exam question is wrong or unclear. Instructors see the queue,
    linked to the note's line, and edit the note, suppress the question or dismiss the report."""

    class Reason(models.TextChoices):
        WRONG = "wrong", "The answer is wrong"
        UNCLEAR = "unclear", "The question is unclear"
        OPTIONS = "options", "More than one option is right, or none"
        TYPO = "typo", "A typo or formatting problem"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DISMISSED = "dismissed", "Dismissed"
        SUPPRESSED = "suppressed", "Question suppressed"
        FIXED = "fixed", "Note edited"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="problem_reports")
    card = models.ForeignKey(
        Card, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    question_key = models.CharField(max_length=120, blank=True)  # "card-12-number", "authored-5"
    stem = models.TextField(blank=True)  # what the student saw, as it was then
    source_url = models.CharField(max_length=500, blank=True)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    comment = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["deck", "status"])]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.stem[:60]}"


class SuppressedQuestion(models.Model):
    """A generated or written question an instructor took out of exams. Kept by the question's
    key (its card's id and form, or the written question's id), so it survives re-imports."""

    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    stem = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deck", "key"], name="suppressed_question_once"),
        ]

    def __str__(self):
        return f"{self.key} suppressed in {self.deck}"


class ParameterFit(models.Model):
    """One run of "Optimise my parameters": asked for on the settings page, fitted outside the
    request (study/parameters.py), its before-and-after figures kept for the page to show."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Fitting"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True, help_text="What it is doing now")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0, help_text="Reviews the fit can learn from")
    previous = models.JSONField(
        default=list, blank=True, help_text="Parameters before; [] = defaults"
    )
    fitted = models.JSONField(default=list, blank=True)
    log_loss_before = models.FloatField(null=True, blank=True)
    rmse_before = models.FloatField(null=True, blank=True)
    log_loss_after = models.FloatField(null=True, blank=True)
    rmse_after = models.FloatField(null=True, blank=True)
    applied = models.BooleanField(default=False, help_text="The fit was better and is now in use")
    message = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"Parameter fit for {self.user} ({self.get_status_display()})"


class CustomSession(models.Model):
    """Custom study, as in Anki: a fixed list of cards studied now, outside the daily limits.
    A cram session shows them without changing when they are due."""

    class Mode(models.TextChoices):
        REVIEW = "review", "Review (scheduling as usual)"
        CRAM = "cram", "Cram (scheduling unchanged)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.REVIEW)
    cards = models.JSONField(default=list)  # card ids still to show, in order
    done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.title} for {self.user}"

    def get_absolute_url(self):
        return reverse("custom_session", args=[self.pk])
