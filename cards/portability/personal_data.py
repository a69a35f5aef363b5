"""A student's own data as one JSON file (out and in), and deleting an account. Every write is
one transaction: bad input changes nothing and says why. Never touches another user's rows.
"""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from cards.content.files import megabytes
from cards.models import (
    MAX_ID,
    MAX_POSITIVE_INT,
    Answer,
    Attempt,
    Card,
    CardState,
    Deck,
    ReviewLog,
    StudySettings,
)
from cards.quiz.drafts import (
    MAX_ANSWER_CHARS,
    MAX_OPTIONS,
    MAX_TOPIC_CHARS,
    question_problems,
    text_problem,
)

MAX_DATA_BYTES = 20 * 1024 * 1024
DATA_FORMAT = "studyapp-personal-data"
DATA_VERSION = 1
# The file is read against these bounds before anything is stored: every list, text and number
# has one, and nothing in a valid file is nested deeper than MAX_NESTING.
MAX_ENTRIES = 500_000  # card states, or review logs
MAX_ATTEMPTS = 20_000
MAX_QUESTIONS = 200  # an attempt holds at most 100 (the start form's limit); retakes fewer
MAX_GIVEN = MAX_OPTIONS
MAX_TOPICS = 200
MAX_NESTING = 8
MAX_PROBLEMS_SHOWN = 20
MAX_SMALL_INT = 32_767  # PositiveSmallIntegerField


class PersonalDataError(ValueError):
    """A personal data file that cannot be imported: `problems` says everything wrong in it."""

    def __init__(self, *problems: str):
        super().__init__(" ".join(problems))
        self.problems = list(problems)


# Personal data: one JSON file with everything a student made. Each converter returns the value
# to store or raises ValueError saying what is wrong with it ("“rating” is not …").


def _whole(low: int, high: int) -> Callable:
    def whole(value):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"is not a whole number from {low:,} to {high:,}")
        return value

    return whole


def _number(low: float, high: float) -> Callable:
    def number(value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("is not a number")
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError(f"is not a number from {low:g} to {high:g}")
        return float(value)

    return number


def _flag(value):
    if not isinstance(value, bool):
        raise ValueError("is not true or false")
    return value


def _text(limit: int) -> Callable:
    def text(value):
        problem = text_problem(value, limit)
        if problem:
            raise ValueError(problem)
        return value

    return text


def _choice(*choices: str) -> Callable:
    def choice(value):
        if value not in choices:
            raise ValueError(f"is not one of {', '.join(choices)}")
        return value

    return choice


def _moment(value):
    try:
        parsed = parse_datetime(value) if isinstance(value, str) and len(value) < 40 else None
        if parsed is not None:
            parsed = parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)
            parsed.astimezone(UTC)  # a time near year 1 or 9999 may not fit in UTC
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise ValueError("is not a date and time")
    return parsed


def _day(value):
    try:
        parsed = parse_date(value) if isinstance(value, str) and len(value) < 20 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError("is not a date")
    return parsed


def _optional(convert: Callable) -> Callable:
    def convert_or_none(value):
        return None if value is None else convert(value)

    return convert_or_none


def _parameters(value):
    """FSRS parameters fitted by "Optimise my parameters": none (the defaults), or as many
    numbers as FSRS has, each within the bounds FSRS fits them in."""
    if value == []:
        return value
    if not isinstance(value, list) or len(value) != len(LOWER_BOUNDS_PARAMETERS):
        raise ValueError(f"is not a list of {len(LOWER_BOUNDS_PARAMETERS)} FSRS parameters")
    for low, high, number in zip(
        LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, value, strict=True
    ):
        _number(low, high)(number)
    return [float(number) for number in value]


def _list_of(convert: Callable, limit: int) -> Callable:
    def list_of(value):
        if not isinstance(value, list) or len(value) > limit:
            raise ValueError(f"is not a list of at most {limit:,}")
        return [convert(item) for item in value]

    return list_of


def _iso(convert: Callable) -> Callable:
    """A date or time kept as the text the undo of a review reads back (grading.restore)."""

    def iso(value):
        if value is not None:
            try:
                datetime.fromisoformat(value)
            except (TypeError, ValueError):
                raise ValueError("is not a date") from None
            convert(value)
        return value

    return iso


def _questions(value):
    if not isinstance(value, list) or len(value) > MAX_QUESTIONS:
        raise ValueError(f"is not a list of at most {MAX_QUESTIONS} questions")
    problems = [
        f"question {number}: {problem}"
        for number, question in enumerate(value, start=1)
        for problem in question_problems(question)
    ]
    if problems:
        raise ValueError("has " + "; ".join(problems[:MAX_PROBLEMS_SHOWN]))
    return value


# A review log's snapshot of the card state before and after it, as grading.snapshot writes it;
# undoing the review writes these fields back, so they are exactly these.
SNAPSHOT_FIELDS = {
    "state": _whole(0, 3),
    "step": _optional(_whole(0, MAX_SMALL_INT)),
    "stability": _optional(_number(0, 1e9)),
    "difficulty": _optional(_number(0, 100)),
    "due": _iso(_moment),
    "last_review": _iso(_moment),
    "reps": _whole(0, MAX_POSITIVE_INT),
    "lapses": _whole(0, MAX_POSITIVE_INT),
    "buried_until": _iso(_day),
    "suspended": _flag,
    "leech": _flag,
}


def _snapshot(value):
    if not isinstance(value, dict) or not set(SNAPSHOT_FIELDS) - LATER_FIELDS <= set(value) <= set(
        SNAPSHOT_FIELDS
    ):
        raise ValueError(f"is not a card state of {', '.join(SNAPSHOT_FIELDS)}")
    for name, convert in SNAPSHOT_FIELDS.items():
        if name not in value:
            continue
        try:
            convert(value[name])
        except ValueError as exc:
            raise ValueError(f"has “{name}” that {exc}") from None
    return value


# The columns each file entry holds, with how to read them back. Exported and imported from
# the same table so the two can never disagree.
SETTINGS_FIELDS = {
    "desired_retention": _number(0, 1e9),  # its model gives the precise range
    "new_per_day": _whole(0, MAX_POSITIVE_INT),
    "reviews_per_day": _whole(0, MAX_POSITIVE_INT),
    "learning_steps": _text(100),
    "relearning_steps": _text(100),
    "maximum_interval": _whole(0, MAX_POSITIVE_INT),
    "requeue_missed": _flag,
    "time_zone": _text(64),
    "day_starts_at": _whole(0, 23),
    "fsrs_parameters": _parameters,
    "exam_date": _optional(_day),
    "leech_threshold": _whole(1, 99),
    "suspend_leeches": _flag,
}
STATE_FIELDS = {
    "state": _whole(0, 3),
    "step": _optional(_whole(0, MAX_SMALL_INT)),
    "stability": _optional(_number(0, 1e9)),
    "difficulty": _optional(_number(0, 100)),
    "due": _optional(_moment),
    "last_review": _optional(_moment),
    "reps": _whole(0, MAX_POSITIVE_INT),
    "lapses": _whole(0, MAX_POSITIVE_INT),
    "suspended": _flag,
    "buried_until": _optional(_day),
    "version": _whole(0, MAX_POSITIVE_INT // 2),
    "leech": _flag,
}
# Fields added after the first files were written: a file without them still reads, and what
# it lacks is left as it is.
LATER_FIELDS = {
    "leech",
    "time_zone",
    "day_starts_at",
    "fsrs_parameters",
    "exam_date",
    "leech_threshold",
    "suspend_leeches",
}
LOG_FIELDS = {
    "rating": _whole(1, 4),
    "reviewed_at": _moment,
    "duration_ms": _whole(0, MAX_POSITIVE_INT),
    "state_before": _whole(0, 3),
    "state_after": _whole(0, 3),
    "interval_days_before": _number(0, 1e9),
    "before": _optional(_snapshot),
    "after": _snapshot,
}
ATTEMPT_FIELDS = {
    "mode": _choice(*Attempt.Mode.values),
    "title": _text(100),
    "seed": _text(40),
    "topics": _list_of(_text(MAX_TOPIC_CHARS), MAX_TOPICS),
    "questions": _questions,
    "time_limit_s": _whole(0, MAX_POSITIVE_INT),
    "started_at": _moment,
    "deadline": _optional(_moment),
    "submitted_at": _optional(_moment),
    "auto_submitted": _flag,
    "correct": _whole(0, MAX_QUESTIONS),
    "percent": _number(0, 100),
    "passed": _flag,
}
ANSWER_FIELDS = {
    "index": _whole(0, MAX_QUESTIONS - 1),
    "given": _list_of(_text(MAX_ANSWER_CHARS), MAX_GIVEN),
    "flagged": _flag,
    "correct": _optional(_flag),
    "answered_at": _optional(_moment),
}
CARD_REF_FIELDS = {"deck": _text(100), "note": _text(500), "key": _text(40)}
ATTEMPT_REF_FIELDS = {"id": _optional(_whole(0, MAX_ID)), "retake_of": _optional(_whole(0, MAX_ID))}


def _dump(row, fields: dict) -> dict:
    values = {}
    for name in fields:
        value = getattr(row, name)
        values[name] = value.isoformat() if isinstance(value, datetime | date) else value
    return values


def _card_ref(card: Card) -> dict:
    return {"deck": card.note.deck.slug, "note": card.note.path, "key": card.key}


def data_filename(user, today: date) -> str:
    return f"studyapp-data-{user.get_username()}-{today.isoformat()}.json"


def export_user_data(user) -> dict:
    """Everything the user made, with cards named by (deck slug, note path, card key). Only
    cards the user may see are named: nothing of a draft note or a removed note or deck."""
    settings = StudySettings.objects.filter(user=user).first()
    visible = Card.visible("card__")
    states = (
        CardState.objects.filter(visible, user=user)
        .select_related("card__note__deck")
        .order_by("pk")
    )
    logs = (
        ReviewLog.objects.filter(visible, user=user)
        .select_related("card__note__deck")
        .order_by("pk")
    )
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("deck")
        .prefetch_related("answers")
        .order_by("pk")
    )
    attempts = list(attempts)
    asked = {q.get("card_id") for a in attempts for q in a.questions if isinstance(q, dict)}
    asked_refs = {
        card.pk: _card_ref(card)
        for card in Card.objects.filter(Card.visible(), pk__in=asked - {None}).select_related(
            "note__deck"
        )
    }
    return {
        "format": DATA_FORMAT,
        "version": DATA_VERSION,
        "exported_at": timezone.now().isoformat(),
        "user": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
        },
        "settings": _dump(settings, SETTINGS_FIELDS) if settings else None,
        "card_states": [
            {"card": _card_ref(state.card), **_dump(state, STATE_FIELDS)} for state in states
        ],
        "review_logs": [{"card": _card_ref(log.card), **_dump(log, LOG_FIELDS)} for log in logs],
        "attempts": [
            {
                "id": attempt.pk,
                "deck": attempt.deck.slug,
                "retake_of": attempt.retake_of_id,
                **_dump(attempt, ATTEMPT_FIELDS),
                "questions": [_exported_question(q, asked_refs) for q in attempt.questions],
                # The questions name cards by this site's ids; these name them anywhere.
                "question_cards": [
                    asked_refs.get(question.get("card_id")) if isinstance(question, dict) else None
                    for question in attempt.questions
                ],
                "answers": [
                    _dump(answer, ANSWER_FIELDS)
                    for answer in sorted(attempt.answers.all(), key=lambda a: a.index)
                ],
            }
            for attempt in attempts
        ],
    }


def _exported_question(question, visible_cards: dict):
    """The question as asked, without the id of a card the user may no longer see."""
    if isinstance(question, dict) and question.get("card_id") not in visible_cards:
        return {**question, "card_id": None}
    return question


@dataclass
class DataImport:
    """What an import did: counts by kind, and the cards and decks this site does not have."""

    imported: dict[str, int] = field(default_factory=dict)
    already_there: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)


@dataclass
class _AttemptEntry:
    values: dict
    deck: str
    file_id: int | None
    retake_of: int | None
    question_cards: list
    answers: list[dict]


@dataclass
class _Document:
    """A personal data file read against its bounds: every value converted, none stored yet."""

    settings: dict | None = None
    states: list[tuple[tuple, dict]] = field(default_factory=list)
    logs: list[tuple[tuple, dict]] = field(default_factory=list)
    attempts: list[_AttemptEntry] = field(default_factory=list)


def import_user_data(user, data: bytes) -> DataImport:
    """Merge a personal data file into the user's own data; raises PersonalDataError listing
    every problem, with nothing changed. Importing the same file twice adds nothing the second
    time. Only cards and decks the user may see are matched; the rest are reported unknown."""
    document = _read(_parse(data))
    result = DataImport(
        imported={"settings": 0, "card_states": 0, "review_logs": 0, "attempts": 0},
        already_there={"card_states": 0, "review_logs": 0, "attempts": 0},
    )
    unknown: dict[str, bool] = {}  # an ordered set
    try:
        with transaction.atomic():
            cards = _cards_by_ref(document)
            _import_settings(user, document, result)
            _import_states(user, document, cards, unknown, result)
            _import_logs(user, document, cards, unknown, result)
            _import_attempts(user, document, cards, unknown, result)
    except (IntegrityError, DataError) as exc:
        raise PersonalDataError(
            f"The file holds values this studyapp cannot store ({exc})."
        ) from None
    result.unknown = list(unknown)
    return result


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


def _parse(data: bytes) -> dict:
    if len(data) > MAX_DATA_BYTES:
        raise PersonalDataError(f"The file is {megabytes(len(data))}; the limit is 20 MB.")
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except RecursionError:
        raise PersonalDataError("The file is nested too deeply to be a data file.") from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise PersonalDataError(f"The file is not valid JSON ({str(exc)[:200]}).") from None
    if not isinstance(document, dict) or document.get("format") != DATA_FORMAT:
        raise PersonalDataError("This is not a studyapp personal data file.")
    version = document.get("version")
    if version != DATA_VERSION or isinstance(version, bool):
        shown = repr(version) if len(repr(version)) <= 20 else "unknown"
        raise PersonalDataError(
            f"The file is format version {shown}; this studyapp reads version {DATA_VERSION}."
        )
    if _deeper_than(document, MAX_NESTING):
        raise PersonalDataError(
            f"The file is nested deeper than {MAX_NESTING} levels: not a studyapp data file."
        )
    return document


def _deeper_than(document, limit: int) -> bool:
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return False


class _Problems:
    """Every problem found in a file, so one reading can list them all."""

    def __init__(self):
        self.found: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.found.append(f"In {where}: {message}.")

    def values(self, where: str, entry, fields: dict) -> dict | None:
        if not isinstance(entry, dict):
            self.add(where, "it is not an object")
            return None
        values, ok = {}, True
        for name, convert in fields.items():
            if name not in entry and name in LATER_FIELDS:
                continue
            if name not in entry:
                self.add(where, f"“{name}” is missing")
                ok = False
                continue
            try:
                values[name] = convert(entry[name])
            except ValueError as exc:
                self.add(where, f"“{name}” {exc}")
                ok = False
        return values if ok else None

    def raise_any(self) -> None:
        if not self.found:
            return
        shown = self.found[:MAX_PROBLEMS_SHOWN]
        more = len(self.found) - len(shown)
        if more:
            shown.append(f"… and {more:,} more problem{'s' * (more != 1)}.")
        raise PersonalDataError(*shown)


def _read(document: dict) -> _Document:
    """Every entry of the file converted, or PersonalDataError listing every problem."""
    problems, read = _Problems(), _Document()
    settings = document.get("settings")
    if settings is not None:
        read.settings = problems.values("“settings”", settings, SETTINGS_FIELDS)
    for name, fields, into, limit in (
        ("card_states", STATE_FIELDS, read.states, MAX_ENTRIES),
        ("review_logs", LOG_FIELDS, read.logs, MAX_ENTRIES),
    ):
        for where, entry in _entries(document, name, limit, problems):
            values = problems.values(where, entry, fields)
            ref = problems.values(f"“card” of {where}", entry.get("card"), CARD_REF_FIELDS)
            if values is not None and ref is not None:
                into.append(((ref["deck"], ref["note"], ref["key"]), values))
    for where, entry in _entries(document, "attempts", MAX_ATTEMPTS, problems):
        attempt = _read_attempt(where, entry, problems)
        if attempt is not None:
            read.attempts.append(attempt)
    problems.raise_any()
    return read


def _entries(document: dict, name: str, limit: int, problems: _Problems):
    entries = document.get(name) or []
    if not isinstance(entries, list) or len(entries) > limit:
        problems.add("the file", f"“{name}” is not a list of at most {limit:,} entries")
        return
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number} of “{name}”"
        if not isinstance(entry, dict):
            problems.add(where, "it is not an object")
            continue
        yield where, entry


def _read_attempt(where: str, entry: dict, problems: _Problems) -> _AttemptEntry | None:
    values = problems.values(where, entry, ATTEMPT_FIELDS)
    deck = problems.values(where, entry, {"deck": _text(100)})
    ids = problems.values(where, {**dict.fromkeys(ATTEMPT_REF_FIELDS), **entry}, ATTEMPT_REF_FIELDS)
    answers = entry.get("answers", [])
    if not isinstance(answers, list) or len(answers) > MAX_QUESTIONS:
        problems.add(where, f"“answers” is not a list of at most {MAX_QUESTIONS}")
        answers = []
    read_answers, indexes = [], set()
    for number, answer in enumerate(answers, start=1):
        answer_values = problems.values(f"answer {number} of {where}", answer, ANSWER_FIELDS)
        if answer_values is None:
            continue
        index = answer_values["index"]
        if index in indexes or (values is not None and index >= len(values["questions"])):
            problems.add(f"answer {number} of {where}", "its “index” is taken or names no question")
            continue
        indexes.add(index)
        read_answers.append(answer_values)
    question_cards = entry.get("question_cards") or []
    if not isinstance(question_cards, list) or len(question_cards) > MAX_QUESTIONS:
        problems.add(where, "“question_cards” is not a list of one per question")
        question_cards = []
    cards = []
    for number, ref in enumerate(question_cards, start=1):
        if ref is None:
            cards.append(None)
            continue
        ref_values = problems.values(f"card {number} of {where}", ref, CARD_REF_FIELDS)
        cards.append(
            (ref_values["deck"], ref_values["note"], ref_values["key"]) if ref_values else None
        )
    if values is None or deck is None or ids is None:
        return None
    return _AttemptEntry(
        values=values,
        deck=deck["deck"],
        file_id=ids["id"],
        retake_of=ids["retake_of"],
        question_cards=cards,
        answers=read_answers,
    )


def _ref_label(ref: tuple[str, str, str]) -> str:
    deck, note, key = ref
    return f"{deck}/{note}#{key}"


def _cards_by_ref(document: _Document) -> dict[tuple[str, str, str], int]:
    """This site's ids of the cards the file names, among the cards the user may see."""
    slugs = {ref[0] for ref, _ in document.states + document.logs}
    slugs.update(ref[0] for attempt in document.attempts for ref in attempt.question_cards if ref)
    rows = Card.objects.filter(Card.visible(), note__deck__slug__in=slugs).values_list(
        "note__deck__slug", "note__path", "key", "pk"
    )
    return {(slug, path, key): pk for slug, path, key, pk in rows}


def _local_questions(attempt: _AttemptEntry, cards: dict) -> list:
    """The attempt's questions with card_id pointing at this site's cards (None when unknown),
    so a missed question requeues the right card."""
    local = []
    for index, question in enumerate(attempt.values["questions"]):
        if question.get("card_id") is not None:
            ref = attempt.question_cards[index] if index < len(attempt.question_cards) else None
            question = {**question, "card_id": cards.get(ref)}
        local.append(question)
    return local


def _import_settings(user, document: _Document, result):
    if document.settings is None:
        return
    settings = StudySettings.objects.filter(user=user).first() or StudySettings(user=user)
    for name, value in document.settings.items():
        setattr(settings, name, value)
    try:
        settings.full_clean(exclude=["user"])
    except ValidationError as exc:
        problems = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items()
        )
        raise PersonalDataError(
            f"The study settings in the file are not valid: {problems}"
        ) from None
    settings.save()
    result.imported["settings"] = 1


def _import_states(user, document: _Document, cards, unknown, result):
    existing = {state.card_id: state for state in CardState.objects.filter(user=user)}
    for ref, values in document.states:
        card_id = cards.get(ref)
        if card_id is None:
            unknown[_ref_label(ref)] = True
            continue
        current = existing.get(card_id)
        if current is None:
            existing[card_id] = CardState.objects.create(user=user, card_id=card_id, **values)
            result.imported["card_states"] += 1
        elif _newer(values["last_review"], current.last_review):
            # Both sites studied the card: the memory reviewed last is the one to keep.
            values = {**values, "version": max(current.version, values["version"]) + 1}
            for name, value in values.items():
                setattr(current, name, value)
            current.save()
            result.imported["card_states"] += 1
        else:
            result.already_there["card_states"] += 1


def _newer(imported: datetime | None, current: datetime | None) -> bool:
    if imported is None:
        return False
    return current is None or imported > current


def _import_logs(user, document: _Document, cards, unknown, result):
    seen = set(ReviewLog.objects.filter(user=user).values_list("card_id", "reviewed_at"))
    new_logs = []
    for ref, values in document.logs:
        card_id = cards.get(ref)
        if card_id is None:
            unknown[_ref_label(ref)] = True
            continue
        if (card_id, values["reviewed_at"]) in seen:
            result.already_there["review_logs"] += 1
            continue
        seen.add((card_id, values["reviewed_at"]))
        new_logs.append(ReviewLog(user=user, card_id=card_id, **values))
    ReviewLog.objects.bulk_create(new_logs, batch_size=500)
    result.imported["review_logs"] = len(new_logs)


def _import_attempts(user, document: _Document, cards, unknown, result):
    decks = {deck.slug: deck for deck in Deck.objects.filter(removed_at__isnull=True)}
    existing = {(a.deck_id, a.started_at, a.seed): a for a in Attempt.objects.filter(user=user)}
    by_file_id, retakes = {}, []
    for entry in document.attempts:
        deck = decks.get(entry.deck)
        if deck is None:
            unknown[f"exam attempts in deck {entry.deck}"] = True
            continue
        values = {**entry.values, "questions": _local_questions(entry, cards)}
        attempt = existing.get((deck.pk, values["started_at"], values["seed"]))
        if attempt is not None:
            result.already_there["attempts"] += 1
        else:
            attempt = Attempt.objects.create(user=user, deck=deck, **values)
            Answer.objects.bulk_create(Answer(attempt=attempt, **a) for a in entry.answers)
            result.imported["attempts"] += 1
            retakes.append((attempt, entry.retake_of))
        if entry.file_id is not None:
            by_file_id[entry.file_id] = attempt
    for attempt, original in retakes:
        if original is not None and original in by_file_id:
            attempt.retake_of = by_file_id[original]
            attempt.save(update_fields=["retake_of"])


def delete_account(user) -> None:
    """Delete the user and, through the database's cascades, everything they made."""
    with transaction.atomic():
        user.delete()
