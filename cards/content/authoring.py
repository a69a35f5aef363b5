"""Instructor authoring: preview, save with revisions and conflict detection, rename, delete,
publish, suppress cards, uploads with a dry run, and export back to Markdown files.

Every write goes through sync.import_deck, so card identity and review history follow the same
rules as a file import.
"""

import base64
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cards.content.files import NoteFile, safe_path, unpack_upload
from cards.content.pipeline import finish_note, note_aliases, read_note
from cards.content.source import Issue, SourceError
from cards.content.sync import Report, asset_urls, import_deck, link_names, merge, resolvers
from cards.content.text import normalise
from cards.models import Asset, Card, Deck, KeptApart, Note, NoteRevision, PendingUpload
from cards.study.queue import cards_back_in_play

PATH = re.compile(r"^[\w][\w .\-/]{0,200}\.(md|markdown|txt)$")


class Conflict(Exception):
    """Someone saved the note after the editor was opened."""

    def __init__(self, note: Note):
        super().__init__("the note changed since you opened it")
        self.current_source = note.source
        self.current_version = note.version
        last = note.revisions.select_related("author").first()
        self.current_author = last.author.username if last and last.author else "an import"


@dataclass
class Preview:
    html: str
    title: str
    cards: list = field(default_factory=list)
    questions: list = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


def preview_note(deck: Deck, *, path: str, text: str, note: Note | None = None) -> Preview:
    """What saving `text` would give: page, cards, questions and warnings. Writes nothing.

    The note goes through the import's own pipeline (content/pipeline.py); the preview adds
    only what needs the rest of the deck: cards that repeat a card of another note."""
    names = _deck_link_names(deck, exclude=note)
    own_url = reverse("note", args=[deck.slug, note.slug]) if note else "#"
    try:
        reading = read_note(text, path=path)
    except SourceError as exc:
        return Preview(html="", title="", warnings=[Issue(0, str(exc))])
    for name in link_names(path, reading.title, note_aliases(reading.source.meta)):
        names[name] = own_url
    resolve_link, resolve_embed = resolvers(names, asset_urls(deck))
    processed = finish_note(reading, resolve_link=resolve_link, resolve_embed=resolve_embed)
    warnings = processed.warnings + processed.hints + _duplicates(deck, processed.cards, note)
    return Preview(
        html=processed.html,
        title=processed.title,
        cards=processed.cards,
        questions=processed.questions,
        warnings=sorted(set(warnings), key=lambda w: (w.line, w.message)),
    )


def _deck_link_names(deck, exclude=None) -> dict[str, str]:
    names = {}
    for other in Note.objects.filter(deck=deck, removed_at__isnull=True).only(
        "path", "title", "aliases", "slug"
    ):
        if exclude is not None and other.pk == exclude.pk:
            continue
        url = reverse("note", args=[deck.slug, other.slug])
        for name in link_names(other.path, other.title, other.aliases):
            names.setdefault(name, url)
    return names


def _duplicates(deck, cards, note) -> list[Issue]:
    """Cards whose question already exists in another note of the deck."""
    fronts = {normalise(card.front): card.line for card in cards}
    if not fronts:
        return []
    others = (
        Card.objects.filter(deck=deck, status=Card.Status.ACTIVE)
        .exclude(note=note)
        .select_related("note")
        .only("front", "note__title")
    )
    found = []
    for other in others:
        line = fronts.get(normalise(other.front))
        if line is not None:
            found.append(
                Issue(line, f"suspected duplicate of a card in “{other.note.title}”: {other.front}")
            )
    return found


def save_note(
    note: Note, *, text: str, author, base_version: int, message: str = "Edited in the browser"
) -> Report:
    """Save new text for a note. Raises Conflict when someone saved since base_version, and
    sync.ImportFailed when the text cannot be used (nothing is saved then)."""
    with transaction.atomic():
        current = Note.objects.select_for_update().get(pk=note.pk)
        if current.version != base_version:
            raise Conflict(current)
        if text == current.source:
            return Report(deck=note.deck.slug)
        return import_deck(
            current.deck.slug,
            [NoteFile(current.path, text.encode("utf-8"))],
            remove_missing=False,
            author=author,
            message=message,
            from_files=False,
        )


def _check_path(deck, path: str, *, exclude: Note | None = None) -> str:
    path = path.strip().replace("\\", "/").lstrip("/")
    if not PurePosixPath(path).suffix:
        path += ".md"
    if not PATH.match(path) or ".." in path.split("/"):
        raise ValueError(
            "Use a file name of letters, digits, spaces, - and _ ending in .md, e.g. “vpc.md”."
        )
    taken = Note.objects.filter(deck=deck, path=path)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValueError(f"The deck already has a note at {path}.")
    return path


def create_note(deck: Deck, *, path: str, text: str, author) -> Note:
    """A new note, as a draft until published. Raises ValueError or sync.ImportFailed."""
    path = _check_path(deck, path)
    with transaction.atomic():
        import_deck(
            deck.slug,
            [NoteFile(path, text.encode("utf-8"))],
            remove_missing=False,
            author=author,
            message="Created in the browser",
            from_files=False,
            publish_new=False,
        )
        return Note.objects.get(deck=deck, path=path)


def rename_note(note: Note, *, new_path: str, author) -> Note:
    """Move a note to another file name; its slug, cards and history stay."""
    path = _check_path(note.deck, new_path, exclude=note)
    with transaction.atomic():
        note.path = path
        note.imported_hash = ""  # its file is gone: it now lives in the database
        note.version += 1
        note.save(update_fields=["path", "imported_hash", "version", "updated_at"])
        NoteRevision.objects.create(
            note=note, author=author, source=note.source, message=f"Renamed to {path}"
        )
    return note


def delete_note(note: Note, *, author) -> None:
    """Hide a note and retire its cards; the text, revisions and review history are kept."""
    with transaction.atomic():
        now = timezone.now()
        note.removed_at = now
        note.version += 1
        note.save(update_fields=["removed_at", "version", "updated_at"])
        note.cards.filter(status=Card.Status.ACTIVE).update(
            status=Card.Status.RETIRED, updated_at=now
        )
        NoteRevision.objects.create(note=note, author=author, source=note.source, message="Deleted")
        merge(note.deck)  # cards merged into its cards are studied on their own again


def restore_note(note: Note, *, author) -> Report:
    """Bring a deleted note back: re-imported from its kept text, its cards return."""
    with transaction.atomic():
        note.version += 1
        note.save(update_fields=["version"])
        return import_deck(
            note.deck.slug,
            [NoteFile(note.path, note.source.encode("utf-8"))],
            remove_missing=False,
            author=author,
            message="Restored",
            from_files=False,
        )


def set_published(note: Note, published: bool) -> None:
    with transaction.atomic():
        Note.objects.filter(pk=note.pk).update(published=published)
        note.published = published
        first = note.cards.order_by("pk").values_list("pk", flat=True).first()
        if published and first is not None:
            cards_back_in_play(note.deck_id, first)
        merge(note.deck)  # a draft's cards ask nothing students see: merged without them


def keep_apart(card: Card, *, apart: bool) -> Card | None:
    """An instructor says a merged card asks another fact than the card it was merged into (or,
    with apart=False, takes that back). Kept apart, the two are never merged again, whatever the
    imports; each is studied on its own. Returns the card it was, or is again, merged into."""
    with transaction.atomic():
        if apart:
            other = card.merged_into
            if other is None:
                return None
            KeptApart.objects.get_or_create(card=card, other=other)
        else:
            pairs = KeptApart.objects.filter(Q(card=card) | Q(other=card))
            other = next(
                (pair.other if pair.card_id == card.pk else pair.card for pair in pairs), None
            )
            pairs.delete()
        merge(card.deck)
        return other


def create_deck(*, slug: str, title: str, description: str = "") -> Deck:
    slug = slugify(slug or title)
    if not slug:
        raise ValueError("Give the deck a title.")
    if Deck.objects.filter(slug=slug).exists():
        raise ValueError(f"A deck called “{slug}” exists already.")
    return Deck.objects.create(slug=slug, title=title.strip(), description=description.strip())


def update_deck(deck: Deck, *, title: str, description: str) -> Deck:
    deck.title = title.strip() or deck.title
    deck.description = description.strip()
    deck.save(update_fields=["title", "description", "updated_at"])
    return deck


def delete_deck(deck: Deck) -> None:
    """Hide a deck from everyone; its notes, cards and review history are kept."""
    Deck.objects.filter(pk=deck.pk).update(removed_at=timezone.now())


def set_card_suppressed(card: Card, suppressed: bool) -> None:
    """An instructor hides one generated card (or brings it back); imports keep the choice."""
    if card.status == Card.Status.RETIRED:
        raise ValueError("That card's line is gone from the note; there is nothing to hide.")
    card.status = Card.Status.SUPPRESSED if suppressed else Card.Status.ACTIVE
    card.save(update_fields=["status", "updated_at"])
    if not suppressed:
        cards_back_in_play(card.deck_id, card.pk)


def restore_revision(note: Note, revision: NoteRevision, *, author) -> Report:
    return save_note(
        note,
        text=revision.source,
        author=author,
        base_version=note.version,
        message=f"Restored the version of {timezone.localtime(revision.created_at):%Y-%m-%d %H:%M}",
    )


def diff_revisions(old: str, new: str) -> list[tuple[str, str]]:
    """Line diff for the history view: ("same" | "add" | "del", line)."""
    rows = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "  ":
            rows.append(("same", text))
        elif tag == "+ ":
            rows.append(("add", text))
        elif tag == "- ":
            rows.append(("del", text))
    return rows


MAX_PENDING_UPLOADS = 3  # per instructor: a fourth upload discards the oldest


def discard_expired_uploads(now=None) -> int:
    """Delete pending uploads older than PendingUpload.LIFETIME; returns how many."""
    now = now or timezone.now()
    expired = PendingUpload.objects.filter(created_at__lt=now - PendingUpload.LIFETIME)
    return expired.delete()[0]


def stage_upload(deck: Deck, files: list[tuple[str, bytes]], *, user) -> PendingUpload:
    """Unpack an upload and keep it with its dry-run report until the instructor confirms
    (within PendingUpload.LIFETIME; an instructor holds at most MAX_PENDING_UPLOADS)."""
    discard_expired_uploads()
    notes, assets = unpack_upload(files)
    try:
        report = import_deck(
            deck.slug, notes, assets=assets, remove_missing=False, dry_run=True
        ).to_dict()
    except Exception as exc:  # ImportFailed carries the report with its errors
        report = getattr(exc, "report", None)
        if report is None:
            raise
        report = report.to_dict()
    stored = [
        {"path": f.path, "data": base64.b64encode(f.data).decode("ascii"), "asset": False}
        for f in notes
    ] + [
        {"path": f.path, "data": base64.b64encode(f.data).decode("ascii"), "asset": True}
        for f in assets
    ]
    name = ", ".join(name for name, _ in files)[:300]
    pending = PendingUpload.objects.create(
        user=user, deck=deck, filename=name, files=stored, report=report
    )
    older = PendingUpload.objects.filter(user=user).order_by("-created_at", "-pk")
    PendingUpload.objects.filter(pk__in=older[MAX_PENDING_UPLOADS:].values("pk")).delete()
    return pending


def apply_upload(pending: PendingUpload, *, user) -> dict:
    notes = [
        NoteFile(f["path"], base64.b64decode(f["data"])) for f in pending.files if not f["asset"]
    ]
    assets = [NoteFile(f["path"], base64.b64decode(f["data"])) for f in pending.files if f["asset"]]
    with transaction.atomic():
        report = import_deck(
            pending.deck.slug,
            notes,
            assets=assets,
            remove_missing=False,
            author=user,
            message=f"Uploaded {pending.filename}",
        )
        pending.delete()
    return report.to_dict()


def export_deck(deck: Deck, folder: Path) -> int:
    """Write a deck's live notes (their exact text) and images to a folder; returns the count.

    Every file lands inside the folder whatever the database holds: a path that is absolute,
    climbs out with "..", or leads out through a symbolic link already in the folder raises
    ValueError naming it, before anything is written."""
    root = folder.resolve()
    notes = Note.objects.filter(deck=deck, removed_at__isnull=True).order_by("path")
    files = [(_inside(root, note.path), note.source.encode("utf-8")) for note in notes]
    files += [(_inside(root, a.path), bytes(a.data)) for a in Asset.objects.filter(deck=deck)]
    lines = [f"title = {_toml_string(deck.title)}"]
    if deck.description:
        lines.append(f"description = {_toml_string(deck.description)}")
    if deck.calculator_questions:
        lines.append("calculator_questions = true")
    files.append((_inside(root, "_deck.toml"), ("\n".join(lines) + "\n").encode("utf-8")))
    for target, data in files:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return len(notes)


def _inside(root: Path, path: str) -> Path:
    target = root / safe_path(path)
    if not target.resolve().is_relative_to(root):
        raise ValueError(f"{path!r} leads out of {root} through a symbolic link.")
    return target


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
