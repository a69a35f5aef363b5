"""A student's own data as one JSON file (out and in), and deleting an account. Every write is
one transaction: bad input changes nothing and says why. Never touches another user's rows.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from cards.content.files import megabytes
from cards.models import Answer, Attempt, Card, CardState, Deck, ReviewLog, StudySettings

MAX_DATA_BYTES = 20 * 1024 * 1024
DATA_FORMAT = "studyapp-personal-data"
DATA_VERSION = 1


class PersonalDataError(ValueError):
    """A personal data file that cannot be imported; the message says why."""


# Personal data: one JSON file with everything a student made


def _integer(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("is not a whole number of 0 or more")
    return value


def _number(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("is not a number")
    return float(value)


def _flag(value):
    if not isinstance(value, bool):
        raise ValueError("is not true or false")
    return value


def _text(value):
    if not isinstance(value, str):
        raise ValueError("is not text")
    return value


def _moment(value):
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise ValueError("is not a date and time")
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def _day(value):
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise ValueError("is not a date")
    return parsed


def _data(value):
    return value  # JSON as it came: card snapshots, questions, chosen options


def _optional(convert: Callable) -> Callable:
    def convert_or_none(value):
        return None if value is None else convert(value)

    return convert_or_none


# The columns each file entry holds, with how to read them back. Exported and imported from
# the same table so the two can never disagree.
SETTINGS_FIELDS = {
    "desired_retention": _number,
    "new_per_day": _integer,
    "reviews_per_day": _integer,
    "learning_steps": _text,
    "relearning_steps": _text,
    "maximum_interval": _integer,
    "requeue_missed": _flag,
}
STATE_FIELDS = {
    "state": _integer,
    "step": _optional(_integer),
    "stability": _optional(_number),
    "difficulty": _optional(_number),
    "due": _optional(_moment),
    "last_review": _optional(_moment),
    "reps": _integer,
    "lapses": _integer,
    "suspended": _flag,
    "buried_until": _optional(_day),
    "version": _integer,
}
LOG_FIELDS = {
    "rating": _integer,
    "reviewed_at": _moment,
    "duration_ms": _integer,
    "state_before": _integer,
    "state_after": _integer,
    "interval_days_before": _number,
    "before": _data,
    "after": _data,
}
ATTEMPT_FIELDS = {
    "mode": _text,
    "title": _text,
    "seed": _text,
    "topics": _data,
    "questions": _data,
    "time_limit_s": _integer,
    "started_at": _moment,
    "deadline": _optional(_moment),
    "submitted_at": _optional(_moment),
    "auto_submitted": _flag,
    "correct": _integer,
    "percent": _number,
    "passed": _flag,
}
ANSWER_FIELDS = {
    "index": _integer,
    "given": _data,
    "flagged": _flag,
    "correct": _optional(_flag),
    "answered_at": _optional(_moment),
}


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
    """Everything the user made, with cards named by (deck slug, note path, card key)."""
    settings = StudySettings.objects.filter(user=user).first()
    states = CardState.objects.filter(user=user).select_related("card__note__deck").order_by("pk")
    logs = ReviewLog.objects.filter(user=user).select_related("card__note__deck").order_by("pk")
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
        for card in Card.objects.filter(pk__in=asked - {None}).select_related("note__deck")
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


@dataclass
class DataImport:
    """What an import did: counts by kind, and the cards and decks this site does not have."""

    imported: dict[str, int] = field(default_factory=dict)
    already_there: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)


def import_user_data(user, data: bytes) -> DataImport:
    """Merge a personal data file into the user's own data; raises PersonalDataError with
    nothing changed. Importing the same file twice adds nothing the second time."""
    document = _read_document(data)
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


def _read_document(data: bytes) -> dict:
    if len(data) > MAX_DATA_BYTES:
        raise PersonalDataError(f"The file is {megabytes(len(data))}; the limit is 20 MB.")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PersonalDataError(f"The file is not valid JSON ({exc}).") from None
    if not isinstance(document, dict) or document.get("format") != DATA_FORMAT:
        raise PersonalDataError("This is not a studyapp personal data file.")
    if document.get("version") != DATA_VERSION:
        raise PersonalDataError(
            f"The file is format version {document.get('version')!r}; "
            f"this studyapp reads version {DATA_VERSION}."
        )
    for name in ("card_states", "review_logs", "attempts"):
        if not isinstance(document.get(name, []), list):
            raise PersonalDataError(f"“{name}” in the file is not a list.")
    return document


def _entries(document: dict, name: str) -> list[tuple[str, dict]]:
    entries = []
    for number, entry in enumerate(document.get(name) or [], start=1):
        if not isinstance(entry, dict):
            raise PersonalDataError(f"Entry {number} of “{name}” is not an object.")
        entries.append((f"entry {number} of “{name}”", entry))
    return entries


def _values(where: str, entry: dict, fields: dict) -> dict:
    values = {}
    for name, convert in fields.items():
        if name not in entry:
            raise PersonalDataError(f"In {where}: “{name}” is missing.")
        try:
            values[name] = convert(entry[name])
        except ValueError as exc:
            raise PersonalDataError(f"In {where}: “{name}” {exc}.") from None
    return values


def _ref(where: str, entry: dict) -> tuple[str, str, str]:
    ref = entry.get("card")
    parts = (ref.get("deck"), ref.get("note"), ref.get("key")) if isinstance(ref, dict) else ()
    if len(parts) != 3 or not all(isinstance(part, str) for part in parts):
        raise PersonalDataError(f"In {where}: “card” must name its deck, note and key.")
    return parts


def _ref_label(ref: tuple[str, str, str]) -> str:
    deck, note, key = ref
    return f"{deck}/{note}#{key}"


def _cards_by_ref(document: dict) -> dict[tuple[str, str, str], int]:
    slugs = set()
    for name in ("card_states", "review_logs"):
        for where, entry in _entries(document, name):
            slugs.add(_ref(where, entry)[0])
    for _, entry in _entries(document, "attempts"):
        slugs.update(ref["deck"] for ref in _question_cards(entry) if ref)
    rows = Card.objects.filter(note__deck__slug__in=slugs).values_list(
        "note__deck__slug", "note__path", "key", "pk"
    )
    return {(slug, path, key): pk for slug, path, key, pk in rows}


def _question_cards(entry: dict) -> list[dict | None]:
    refs = entry.get("question_cards") or []
    valid = isinstance(refs, list) and all(
        ref is None or (isinstance(ref, dict) and isinstance(ref.get("deck"), str)) for ref in refs
    )
    return refs if valid else []


def _local_questions(entry: dict, questions, cards: dict) -> list:
    """The attempt's questions with card_id pointing at this site's cards (None when unknown),
    so a missed question requeues the right card."""
    if not isinstance(questions, list):
        return questions
    refs = _question_cards(entry)
    local = []
    for index, question in enumerate(questions):
        if isinstance(question, dict) and question.get("card_id") is not None:
            ref = refs[index] if index < len(refs) else None
            key = (ref.get("deck"), ref.get("note"), ref.get("key")) if ref else None
            question = {**question, "card_id": cards.get(key)}
        local.append(question)
    return local


def _import_settings(user, document, result):
    entry = document.get("settings")
    if entry is None:
        return
    if not isinstance(entry, dict):
        raise PersonalDataError("“settings” in the file is not an object.")
    settings = StudySettings.objects.filter(user=user).first() or StudySettings(user=user)
    for name, value in _values("“settings”", entry, SETTINGS_FIELDS).items():
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


def _import_states(user, document, cards, unknown, result):
    existing = {state.card_id: state for state in CardState.objects.filter(user=user)}
    for where, entry in _entries(document, "card_states"):
        ref = _ref(where, entry)
        values = _values(where, entry, STATE_FIELDS)
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
            values["version"] = max(current.version, values["version"]) + 1
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


def _import_logs(user, document, cards, unknown, result):
    seen = set(ReviewLog.objects.filter(user=user).values_list("card_id", "reviewed_at"))
    new_logs = []
    for where, entry in _entries(document, "review_logs"):
        ref = _ref(where, entry)
        values = _values(where, entry, LOG_FIELDS)
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


def _import_attempts(user, document, cards, unknown, result):
    decks = {deck.slug: deck for deck in Deck.objects.all()}
    existing = {(a.deck_id, a.started_at, a.seed): a for a in Attempt.objects.filter(user=user)}
    by_file_id, retakes = {}, []
    for where, entry in _entries(document, "attempts"):
        values = _values(where, entry, ATTEMPT_FIELDS)
        slug = entry.get("deck")
        answers = entry.get("answers", [])
        if not isinstance(slug, str) or not isinstance(answers, list):
            raise PersonalDataError(f"In {where}: “deck” or “answers” is not valid.")
        deck = decks.get(slug)
        if deck is None:
            unknown[f"exam attempts in deck {slug}"] = True
            continue
        values["questions"] = _local_questions(entry, values["questions"], cards)
        attempt = existing.get((deck.pk, values["started_at"], values["seed"]))
        if attempt is not None:
            result.already_there["attempts"] += 1
        else:
            attempt = Attempt.objects.create(user=user, deck=deck, **values)
            rows = []
            for answer in answers:
                if not isinstance(answer, dict):
                    raise PersonalDataError(f"In {where}: an answer is not an object.")
                values = _values(f"an answer in {where}", answer, ANSWER_FIELDS)
                rows.append(Answer(attempt=attempt, **values))
            Answer.objects.bulk_create(rows)
            result.imported["attempts"] += 1
            retakes.append((attempt, entry.get("retake_of")))
        by_file_id[entry.get("id")] = attempt
    for attempt, original in retakes:
        if original is not None and original in by_file_id:
            attempt.retake_of = by_file_id[original]
            attempt.save(update_fields=["retake_of"])


def delete_account(user) -> None:
    """Delete the user and, through the database's cascades, everything they made."""
    with transaction.atomic():
        user.delete()
