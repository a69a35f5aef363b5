"""Import notes into the database: files -> Note, Card, Question, NoteLink, Asset rows.

An import is four steps, each a function: `plan` reads what the deck holds and what every
changed note yields (through content/pipeline.py, as the editor's preview does), `write` stores
it, `retire` hides what left the deck, `merge` makes cards of different notes that ask the same
fact one card (content/merging.py). One deck per call, one transaction: with any error nothing
changes. Never deletes a card (review history hangs off it): cards whose source is gone are
retired and come back when the text does.
"""

import hashlib
import mimetypes
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import partial
from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cards.calculators.facts import DEFAULT_PATH as FACTS_PATH
from cards.content.domains import domain_of
from cards.content.domains import from_data as domains_from_data
from cards.content.files import MAX_ASSET_BYTES, NOTE_SUFFIXES, NoteFile, megabytes, verbatim_text
from cards.content.lint import shown
from cards.content.markdown import heading_id, render_fragment
from cards.content.merging import Asked, groups
from cards.content.pipeline import Processed, Reading, finish_note, read_note
from cards.content.source import MAX_NOTE_BYTES, SourceError
from cards.content.subjects import clean_title
from cards.content.text import normalise, plain
from cards.content.workers import fewer_collections, process_all
from cards.models import (
    Asset,
    Card,
    CardState,
    Deck,
    KeptApart,
    NewCardCursor,
    Note,
    NoteLink,
    NoteRevision,
    Question,
    ReviewLog,
)
from cards.rows import insert_all
from cards.study.queue import cards_back_in_play

# Bump when rendering or extraction changes, so an unchanged file is still re-processed once.
PIPELINE_VERSION = "6"
TYPO_SIMILARITY = 0.85


@dataclass
class Report:
    deck: str
    notes: Counter = field(default_factory=Counter)
    cards: Counter = field(default_factory=Counter)
    questions: Counter = field(default_factory=Counter)
    warnings: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    dry_run: bool = False

    def to_dict(self) -> dict:
        return {
            "deck": self.deck,
            "notes": {k: self.notes[k] for k in ("created", "updated", "unchanged", "removed")},
            "cards": {k: self.cards[k] for k in ("created", "updated", "unchanged", "retired")},
            "questions": {
                k: self.questions[k] for k in ("created", "updated", "unchanged", "retired")
            },
            "warnings": self.warnings,
            "errors": self.errors,
        }


class ImportFailed(Exception):
    """Raised inside the transaction so that nothing of a failed import is kept."""

    def __init__(self, report: Report):
        super().__init__(f"{len(report.errors)} error(s)")
        self.report = report


class _DryRun(Exception):
    pass


@dataclass
class _Options:
    author: object
    message: str
    from_files: bool
    publish_new: bool
    remove_missing: bool
    progress: Callable[[int, int], None] | None
    processes: int = 1


@dataclass
class _Incoming:
    """One note file of this import, and what became of it."""

    file: NoteFile
    hash: str
    note: Note | None  # its row: the existing one, then the one written
    imported: str | None  # the file's hash, when this import brings a new file text
    changed: bool = False  # its text (or the pipeline) differs from what is stored
    reading: Reading | None = None
    processed: Processed | None = None

    @property
    def path(self) -> str:
        return self.file.path


@dataclass
class Plan:
    deck: Deck
    incoming: list[_Incoming]
    missing: list[Note]  # notes whose file left the deck
    assets: list[tuple[NoteFile, str]]  # new or changed images, with their hash
    slugs: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # link name -> path

    @property
    def nothing_to_do(self) -> bool:
        return not self.missing and not self.assets and not any(p.changed for p in self.incoming)

    @property
    def processed(self) -> list[_Incoming]:
        return [p for p in self.incoming if p.processed is not None]


def content_hash(data: bytes) -> str:
    """What decides whether a note is processed again: its bytes, the pipeline version, and
    for notes quoting {{fact:...}}, the facts files they quote."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode() + b"\0" + data)
    if b"{{fact:" in data:
        digest.update(facts_digest())
    return digest.hexdigest()


def facts_digest() -> bytes:
    digest = hashlib.sha256()
    for path in sorted(FACTS_PATH.glob("*.toml")) if FACTS_PATH.is_dir() else []:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def link_names(path: str, title: str, aliases: list[str]) -> list[str]:
    """Every name a [[wikilink]] may use for a note, folded for case-insensitive lookup."""
    pure = PurePosixPath(path)
    names = [title, pure.stem, str(pure.with_suffix("")), *aliases]
    return [name.casefold() for name in names if name]


def link_key(target: str) -> str:
    target = target.strip().replace("\\", "/")
    for suffix in NOTE_SUFFIXES:
        if target.lower().endswith(suffix):
            target = target[: -len(suffix)]
    return target.casefold()


def import_deck(
    deck_slug: str,
    files: list[NoteFile],
    *,
    assets: Iterable[NoteFile] = (),
    deck_title: str | None = None,
    deck_description: str | None = None,
    calculator_questions: bool | None = None,
    domains: list[dict] | None = None,
    remove_missing: bool = True,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    processes: int = 1,
    author=None,
    message: str = "Imported",
    from_files: bool = True,
    publish_new: bool = True,
) -> Report:
    """Import a deck's files. Raises ImportFailed (nothing kept) when any file is unusable.

    `from_files` is False for text saved in the browser: then the database text is the newest,
    and a later import of an unchanged file will not overwrite it. `processes` > 1 lets a big
    import process its notes on that many forked processes (cards.content.workers); only a
    single-threaded caller (the import_notes command) may ask for them.
    """
    report = Report(deck=deck_slug, dry_run=dry_run)
    options = _Options(
        author, message, from_files, publish_new, remove_missing, progress, processes
    )
    try:
        with fewer_collections(), transaction.atomic():
            deck = _deck(deck_slug, deck_title, deck_description, calculator_questions)
            if domains is not None and deck.domains != domains:
                deck.domains = domains
                deck.save(update_fields=["domains", "updated_at"])
            found = plan(deck, files, list(assets), options, report)
            if report.errors:
                raise ImportFailed(report)
            write(found, options, report)
            retire(found, report)
            if not found.nothing_to_do:
                merge(deck, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _deck(slug: str, title: str | None, description: str | None, calculator_questions) -> Deck:
    deck, created = Deck.objects.get_or_create(
        slug=slug,
        defaults={
            "title": title or slug.replace("-", " ").title(),
            "description": description or "",
            "calculator_questions": bool(calculator_questions),
        },
    )
    if not created and (title, description, calculator_questions) != (None, None, None):
        deck.title = title or deck.title
        deck.description = description if description is not None else deck.description
        if calculator_questions is not None:
            deck.calculator_questions = calculator_questions
        deck.save(update_fields=["title", "description", "calculator_questions", "updated_at"])
    return deck


# --- Plan: what the deck holds, and what each changed note yields ----------------------------


def plan(deck: Deck, files: list[NoteFile], assets: list[NoteFile], options, report) -> Plan:
    """Decide what changes; read and process every note that must be (re)written. Writes
    nothing. Unusable files go to report.errors."""
    existing = {note.path: note for note in Note.objects.filter(deck=deck)}
    incoming = _incoming(files, existing, options)
    paths = {p.path for p in incoming}
    # Only notes that came from files leave with their file; notes written in the browser stay.
    missing = [
        note
        for path, note in existing.items()
        if path not in paths
        and note.removed_at is None
        and options.remove_missing
        and note.imported_hash
    ]
    found = Plan(deck, incoming, missing, _changed_assets(deck, assets, report))
    if found.nothing_to_do:
        return found

    for p in incoming:
        if p.changed:
            _read(p, report)
    if report.errors:
        return found

    # Every live note of the deck, by every name a wikilink may use.
    live = [n for n in existing.values() if n.removed_at is None and n not in missing]
    names_before = _link_index((n.path, n.title, n.aliases) for n in live)
    by_path = {n.path: (n.title, n.aliases) for n in live}
    for p in incoming:
        reading = p.reading
        by_path[p.path] = (
            (reading.title, reading.aliases) if reading else (p.note.title, p.note.aliases)
        )
    found.names = _link_index((path, *by_path[path]) for path in sorted(by_path))
    found.slugs = _assign_slugs(incoming, existing)
    # When titles, aliases or images changed, links in unchanged notes may resolve differently.
    again = (
        incoming
        if found.names != names_before or found.assets
        else [p for p in incoming if p.changed]
    )
    for p in again:
        if p.reading is None:
            _read(p, report)
    if report.errors:
        return found

    note_urls = {path: reverse("note", args=[deck.slug, found.slugs[path]]) for path in by_path}
    images = asset_urls(deck) | _image_urls(deck, [file for file, _ in found.assets])
    resolve_link, resolve_embed = resolvers(
        {name: note_urls[path] for name, path in found.names.items()}, images
    )
    finished = process_all(
        partial(_finish, resolve_link=resolve_link, resolve_embed=resolve_embed),
        [p.reading for p in again],
        processes=options.processes,
        progress=options.progress,
    )
    for p, processed in zip(again, finished, strict=True):
        p.processed = replace(processed, reading=p.reading)
    return found


def _finish(reading: Reading, **resolvers) -> Processed:
    """finish_note without the reading, which the importing process already holds: from a worker
    process, the note's tree was more than half of what came back, and the slower half."""
    return replace(finish_note(reading, **resolvers), reading=None)


def _incoming(files: list[NoteFile], existing: dict[str, Note], options) -> list[_Incoming]:
    found = []
    for file in sorted(files, key=lambda f: f.path):
        note = existing.get(file.path)
        imported = file_hash(file.data) if options.from_files else None
        if note is not None and imported is not None and note.imported_hash == imported:
            # The file is as it was when last imported: the note may have been edited in the
            # browser since, and that text is the newer one.
            file = NoteFile(file.path, note.source.encode("utf-8"), file.size)
            imported = None
        if note is not None and note.removed_at is not None and options.from_files and not imported:
            # Deleted in the browser and its file has not changed since: it stays deleted.
            continue
        digest = content_hash(file.data)
        changed = note is None or note.content_hash != digest or note.removed_at is not None
        found.append(_Incoming(file, digest, note, imported, changed))
    return found


def _read(p: _Incoming, report: Report) -> None:
    """Decode and read one file; an unusable one is an error naming it."""
    try:
        if (p.file.size or len(p.file.data)) > MAX_NOTE_BYTES:
            raise SourceError(
                f"file is {megabytes(p.file.size or len(p.file.data))}; "
                f"the limit for a note is {megabytes(MAX_NOTE_BYTES)}"
            )
        p.reading = read_note(p.file.data, path=p.path)
    except SourceError as exc:
        report.errors.append({"file": p.path, "line": 0, "message": str(exc)})


def _changed_assets(deck, assets: list[NoteFile], report) -> list[tuple[NoteFile, str]]:
    """Images that are new or differ from the stored ones, each with its hash."""
    stored = dict(Asset.objects.filter(deck=deck).values_list("path", "content_hash"))
    changed = []
    for file in assets:
        if len(file.data) > MAX_ASSET_BYTES:
            report.warnings.append(
                {
                    "file": file.path,
                    "line": 0,
                    "message": f"image is over {MAX_ASSET_BYTES // 1024 // 1024} MB; not imported",
                }
            )
            continue
        digest = hashlib.sha256(file.data).hexdigest()
        if stored.get(file.path) != digest:
            changed.append((file, digest))
    return changed


def asset_urls(deck) -> dict[str, str]:
    """A deck's image URLs by path and by file name, folded, for ![[embed]] lookups."""
    paths = Asset.objects.filter(deck=deck).values_list("path", flat=True)
    return _image_urls(deck, [NoteFile(path, b"") for path in paths])


def _image_urls(deck, files: list[NoteFile]) -> dict[str, str]:
    urls = {}
    for file in files:
        url = reverse("asset", args=[deck.slug, file.path])
        urls.setdefault(file.path.casefold(), url)
        urls.setdefault(PurePosixPath(file.path).name.casefold(), url)
    return urls


def resolvers(note_urls: dict[str, str], images: dict[str, str]):
    """The two lookups rendering needs, from note URLs by link name and image URLs."""

    def resolve_link(target, heading):
        if not target:
            return None
        key = link_key(target)
        url = note_urls.get(key) or note_urls.get(key.rsplit("/", 1)[-1])
        if url is None:
            return None
        return f"{url}#{heading_id(heading)}" if heading else url

    def resolve_embed(name):
        key = name.strip().casefold()
        return images.get(key) or images.get(key.rsplit("/", 1)[-1])

    return resolve_link, resolve_embed


def _link_index(items) -> dict:
    index = {}
    for path, title, aliases in items:
        for name in link_names(path, title, aliases):
            index.setdefault(name, path)
    return index


def _assign_slugs(incoming: list[_Incoming], existing: dict[str, Note]) -> dict[str, str]:
    """Slugs come from the path and never change for a path, so links and bookmarks keep working."""
    slugs = {path: note.slug for path, note in existing.items()}
    taken = set(slugs.values())
    for p in incoming:
        if p.path in slugs:
            continue
        base = slugify(str(PurePosixPath(p.path).with_suffix("")).replace("/", "-")) or "note"
        base = base[:280]
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        slugs[p.path] = slug
        taken.add(slug)
    return slugs


# --- Write: notes, their revisions, links, cards and questions --------------------------------


NOTE_FIELDS = [
    "title", "topic", "domain", "slug", "aliases", "tags", "front_matter", "source", "html",
    "content_hash", "warnings", "removed_at", "updated_at", "published", "version",
    "imported_hash",
]  # fmt: skip


def write(found: Plan, options, report: Report) -> None:
    """Store what the plan found: images, notes, revisions, links, cards and questions."""
    deck = found.deck
    for file, digest in found.assets:
        Asset.objects.update_or_create(
            deck=deck,
            path=file.path,
            defaults={
                "name": PurePosixPath(file.path).name,
                "content_type": mimetypes.guess_type(file.path)[0] or "application/octet-stream",
                "data": file.data,
                "content_hash": digest,
            },
        )
    if found.nothing_to_do:
        report.notes["unchanged"] = len(found.incoming)
        report.cards["merged"] = Card.objects.filter(
            Card.in_play(merged=True), deck=deck, merged_into__isnull=False
        ).count()
    else:
        _write_notes(found, options, report)
        _write_links(found)
        changed = [p for p in found.processed if p.changed]
        _sync_cards(
            report, {p.path: p.note for p in changed}, {p.path: p.processed.cards for p in changed}
        )
        _sync_questions(
            report,
            {p.path: p.note for p in changed},
            {p.path: p.processed.questions for p in changed},
        )
    unchanged = [p.path for p in found.incoming if not p.changed]
    report.cards["unchanged"] += Card.objects.filter(
        note__deck=deck, note__path__in=unchanged, status=Card.Status.ACTIVE
    ).count()
    report.questions["unchanged"] += Question.objects.filter(
        note__deck=deck, note__path__in=unchanged, status=Question.Status.ACTIVE
    ).count()
    for p in found.incoming:
        report.warnings += [{"file": p.path, **w} for w in p.note.warnings]
    _mark_imported(found.incoming)


def _write_notes(found: Plan, options, report: Report) -> None:
    new_notes, updated_notes, revisions, republished = [], [], [], []
    blueprint = domains_from_data(found.deck.domains)
    now = timezone.now()
    for p in found.incoming:
        if p.processed is None:
            report.notes["unchanged"] += 1
            continue
        source = p.reading.source
        domain, domain_warning = domain_of(source.meta, p.path, blueprint)
        warnings = [{"line": w.line, "message": w.message} for w in p.processed.warnings]
        if domain_warning:
            warnings.insert(0, {"line": 1, "message": domain_warning})
        fields = {
            "title": p.reading.title,
            "topic": p.reading.topic[:300],
            "domain": domain[:200],
            "slug": found.slugs[p.path],
            "aliases": p.reading.aliases,
            "tags": p.reading.tags,
            "front_matter": _jsonable(source.meta),
            "source": verbatim_text(p.file.data),
            "html": p.processed.html,
            "content_hash": p.hash,
            "warnings": warnings,
            "removed_at": None,
        }
        draft = source.meta.get("draft")
        if p.note is None:
            published = options.publish_new if draft is None else not draft
            note = Note(deck=found.deck, path=p.path, published=bool(published), **fields)
            new_notes.append(note)
            revisions.append(note)
            report.notes["created"] += 1
        else:
            note = p.note
            if fields["source"] != note.source or note.removed_at is not None:
                revisions.append(note)
                note.version += 1
            if draft is not None and note.published == bool(draft):
                note.published = not draft
                republished.append(note)
            for name, value in fields.items():
                setattr(note, name, value)
            note.updated_at = now
            updated_notes.append(note)
            report.notes["updated" if p.changed else "unchanged"] += 1
        if p.imported:
            note.imported_hash = p.imported
        p.note = note
    Note.objects.bulk_create(new_notes)
    Note.objects.bulk_update(updated_notes, NOTE_FIELDS, batch_size=200)
    NoteRevision.objects.bulk_create(
        NoteRevision(note=note, author=options.author, source=note.source, message=options.message)
        for note in revisions
    )
    for note in republished:
        first = note.cards.order_by("pk").values_list("pk", flat=True).first()
        if note.published and first is not None:
            cards_back_in_play(note.deck_id, first)  # new-card cursors may have passed them


def _write_links(found: Plan) -> None:
    processed = found.processed
    NoteLink.objects.filter(source__in=[p.note for p in processed]).delete()
    notes_by_path = {
        n.path: n for n in Note.objects.filter(deck=found.deck, removed_at__isnull=True)
    }
    rows = []
    for p in processed:
        for link in p.processed.links:
            if not link.target:
                continue  # [[#Heading]] inside the same note
            key = link_key(link.target)
            path = found.names.get(key) or found.names.get(key.rsplit("/", 1)[-1])
            rows.append(
                NoteLink(
                    source=p.note,
                    target=notes_by_path.get(path) if path else None,
                    target_text=link.target[:300],
                    line=link.line,
                )
            )
    NoteLink.objects.bulk_create(rows, batch_size=500)


def _mark_imported(incoming: list[_Incoming]) -> None:
    """Remember which file text each note last came from (see import_deck's from_files)."""
    stale = [p.note for p in incoming if p.imported and p.note.imported_hash != p.imported]
    for p in incoming:
        if p.imported:
            p.note.imported_hash = p.imported
    Note.objects.bulk_update(stale, ["imported_hash"])


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


CARD_FIELDS = [
    "key", "kind", "front", "back", "front_html", "back_html", "answer", "identity",
    "heading_path", "line", "position", "status", "sibling_group", "fact_check", "updated_at",
]  # fmt: skip


def _sync_cards(report, notes_by_path: dict[str, Note], drafts_by_path: dict[str, list]):
    if not drafts_by_path:
        return
    notes = [notes_by_path[path] for path in drafts_by_path]
    existing_by_note: dict[int, list[Card]] = {}
    for card in Card.objects.filter(note__in=notes).order_by("pk"):
        existing_by_note.setdefault(card.note_id, []).append(card)

    to_create, to_update = [], []
    revived_decks = set()
    now = timezone.now()
    for path, drafts in drafts_by_path.items():
        note = notes_by_path[path]
        cards = existing_by_note.get(note.pk, [])
        pairs, leftovers = match_cards(cards, drafts)
        for position, (card, draft) in enumerate(pairs):
            if card is None:
                to_create.append(_card_from_draft(note, draft, position))
                report.cards["created"] += 1
                continue
            if card.status == Card.Status.RETIRED:
                revived_decks.add(card.deck_id)
            if _apply_draft(card, draft, position, now):
                to_update.append(card)
                report.cards["updated"] += 1
            else:
                report.cards["unchanged"] += 1
        for card in leftovers:
            if card.status == Card.Status.ACTIVE:
                card.status = Card.Status.RETIRED
                card.updated_at = now
                to_update.append(card)
                report.cards["retired"] += 1
    # No key can collide here: a draft whose key an existing card holds matched that card first.
    if to_update:
        Card.objects.bulk_update(to_update, CARD_FIELDS, batch_size=500)
    insert_all(Card, to_create)
    if revived_decks:
        # Cards behind the study queue's new-card cursors are active again: start those over.
        NewCardCursor.objects.filter(Q(deck_id__in=revived_decks) | Q(deck__isnull=True)).delete()


def match_cards(cards: list[Card], drafts: list) -> tuple[list, list]:
    """Pair drafts with existing cards: same key, then same text under another heading, then a
    near-identical front (a typo fixed) of the same kind under the same heading, then the same
    answer on the same line, then the one card left on a line that has one new card.

    Returns ([(card or None, draft)] in draft order, unmatched cards). Drafts with a key seen
    before in the same note are dropped (the extractor made the same card twice).
    """
    by_key = {card.key: card for card in cards}
    seen_keys = set()
    unique_drafts = []
    for draft in drafts:
        if draft.key in seen_keys:
            continue
        seen_keys.add(draft.key)
        unique_drafts.append(draft)

    matched: dict[int, Card] = {}
    used = set()
    for i, draft in enumerate(unique_drafts):
        card = by_key.get(draft.key)
        if card is not None:
            matched[i] = card
            used.add(card.pk)

    def free(card):
        return card.pk not in used

    # Same identity and kind, moved under another heading.
    by_identity: dict[tuple, list[Card]] = {}
    for card in cards:
        if free(card):
            by_identity.setdefault((card.kind, card.identity), []).append(card)
    for i, draft in enumerate(unique_drafts):
        if i in matched:
            continue
        for card in by_identity.get((draft.kind, draft.identity), []):
            if free(card):
                matched[i] = card
                used.add(card.pk)
                break

    # A small edit of the front: most similar free card of the same kind and heading.
    for i, draft in enumerate(unique_drafts):
        if i in matched:
            continue
        best, best_ratio = None, TYPO_SIMILARITY
        for card in cards:
            if not free(card) or card.kind != draft.kind:
                continue
            if list(card.heading_path) != list(draft.heading_path):
                continue
            ratio = SequenceMatcher(None, card.identity, draft.identity).ratio()
            if ratio >= best_ratio:
                best, best_ratio = card, ratio
        if best is not None:
            matched[i] = best
            used.add(best.pk)

    # The same line asking the same answer in another form (a new extractor, a list turned
    # into clozes): the student's memory of that answer carries over.
    def answer_of(item) -> str:
        return normalise(plain(item.answer or item.back))

    for i, draft in enumerate(unique_drafts):
        if i in matched:
            continue
        for card in cards:
            if free(card) and card.line == draft.line and answer_of(card) == answer_of(draft):
                matched[i] = card
                used.add(card.pk)
                break
    # One card of a line left over and one new card on it: the line's card, rewritten.
    unmatched_lines: dict[int, list[int]] = {}
    for i, draft in enumerate(unique_drafts):
        if i not in matched:
            unmatched_lines.setdefault(draft.line, []).append(i)
    for line, indexes in unmatched_lines.items():
        left = [card for card in cards if free(card) and card.line == line]
        if len(indexes) == 1 and len(left) == 1:
            matched[indexes[0]] = left[0]
            used.add(left[0].pk)

    pairs = [(matched.get(i), draft) for i, draft in enumerate(unique_drafts)]
    leftovers = [card for card in cards if free(card)]
    return pairs, leftovers


def _sync_questions(report, notes_by_path, questions_by_path):
    """Authored questions follow their note: matched by key (their stem), retired when gone."""
    if not questions_by_path:
        return
    notes = [notes_by_path[path] for path in questions_by_path]
    existing: dict[tuple[int, str], Question] = {
        (q.note_id, q.key): q for q in Question.objects.filter(note__in=notes)
    }
    seen = set()
    to_create, to_update = [], []
    for path, questions in questions_by_path.items():
        note = notes_by_path[path]
        for authored in questions:
            if (note.pk, authored.key) in seen:
                continue
            seen.add((note.pk, authored.key))
            values = {
                "kind": authored.kind,
                "stem": authored.stem,
                "options": [{"text": o.text, "correct": o.correct} for o in authored.options],
                "explanation": authored.explanation,
                "heading_path": list(authored.heading_path),
                "line": authored.line,
                "status": Question.Status.ACTIVE,
            }
            current = existing.get((note.pk, authored.key))
            if current is None:
                to_create.append(Question(note=note, key=authored.key, **values))
                report.questions["created"] += 1
            elif any(getattr(current, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(current, name, value)
                to_update.append(current)
                report.questions["updated"] += 1
            else:
                report.questions["unchanged"] += 1
    for key, question in existing.items():
        if key not in seen and question.status == Question.Status.ACTIVE:
            question.status = Question.Status.RETIRED
            to_update.append(question)
            report.questions["retired"] += 1
    Question.objects.bulk_create(to_create)
    Question.objects.bulk_update(
        to_update, ["kind", "stem", "options", "explanation", "heading_path", "line", "status"]
    )


def sibling_key(note_id: int, draft) -> str:
    """Siblings are grouped within one note; the note's id keeps groups of notes apart."""
    return f"{note_id}:{draft.sibling_group}"[:40] if draft.sibling_group else ""


def _card_from_draft(note, draft, position) -> Card:
    return Card(
        note=note,
        deck_id=note.deck_id,
        key=draft.key,
        kind=draft.kind,
        front=draft.front,
        back=draft.back,
        front_html=render_fragment(draft.front),
        back_html=render_fragment(draft.back),
        answer=draft.answer,
        identity=draft.identity,
        heading_path=list(draft.heading_path),
        line=draft.line,
        position=position,
        sibling_group=sibling_key(note.pk, draft),
        fact_check=draft.fact_check,
    )


def _apply_draft(card: Card, draft, position: int, now) -> bool:
    """Copy a draft onto its card; return True when anything a user could see changed."""
    values = {
        "key": draft.key,
        "kind": draft.kind,
        "front": draft.front,
        "back": draft.back,
        "answer": draft.answer,
        "identity": draft.identity,
        "heading_path": list(draft.heading_path),
        "line": draft.line,
        "position": position,
        "sibling_group": sibling_key(card.note_id, draft),
        "fact_check": draft.fact_check,
        "front_html": render_fragment(draft.front),
        "back_html": render_fragment(draft.back),
    }
    changed = any(getattr(card, name) != value for name, value in values.items())
    if card.status == Card.Status.RETIRED:
        card.status = Card.Status.ACTIVE  # its text came back: so does its history
        changed = True
    if changed:
        for name, value in values.items():
            setattr(card, name, value)
        card.updated_at = now
    return changed


# --- Retire: what left the deck ---------------------------------------------------------------


def retire(found: Plan, report: Report) -> None:
    """Notes whose file left the deck are hidden, their cards and questions retired; nothing is
    deleted, so their review history comes back with them."""
    now = timezone.now()
    for note in found.missing:
        note.removed_at = now
        note.save(update_fields=["removed_at", "updated_at"])
        report.notes["removed"] += 1
        report.cards["retired"] += note.cards.filter(status=Card.Status.ACTIVE).update(
            status=Card.Status.RETIRED, updated_at=now
        )
        report.questions["retired"] += note.questions.filter(status=Question.Status.ACTIVE).update(
            status=Question.Status.RETIRED
        )


# --- Merge: one fact, one card ----------------------------------------------------------------


def merge(deck: Deck, report: Report | None = None) -> None:
    """Cards of different notes asking the same fact become one: the oldest card is studied,
    the others point to it (merged_into) and are out of play, and it lists their sources.

    A student who studied only a merged card keeps that history: it moves to the card studied
    instead. Pairs an instructor kept apart stay apart."""
    rows = list(
        Card.objects.filter(Card.in_play(merged=True), deck=deck)
        .order_by("pk")
        .values_list("pk", "note_id", "front_html", "back_html", "answer", "merged_into_id",
                     "also_in", "line")
    )  # fmt: skip
    # Plain rows, not models: a deck of 12,000 cards is read on every import.
    notes = {
        pk: (title, slug, topic or clean_title(title))  # notes saved before topics: their title
        for pk, title, slug, topic in Note.objects.filter(deck=deck).values_list(
            "pk", "title", "slug", "topic"
        )
    }
    apart = {
        frozenset(pair)
        for pair in KeptApart.objects.filter(card__deck=deck).values_list("card_id", "other_id")
    }
    asked = [
        Asked(pk, note, shown(front_html), answer or shown(back_html), notes[note][2])
        for pk, note, front_html, back_html, answer, *_rest in rows
    ]
    into = {member.id: group[0].id for group in groups(asked, apart) for member in group[1:]}
    sources: dict[int, list[dict]] = {}
    for pk, note, *_middle, line in rows:
        if pk in into:
            title, slug, _topic = notes[note]
            sources.setdefault(into[pk], []).append({"title": title, "slug": slug, "line": line})
    listing, pointing, moved = [], {}, {}
    for pk, _note, _front, _back, _answer, merged_into, also_in, _line in rows:
        target = into.get(pk)
        now_in = sources.get(pk, [])
        if merged_into != target or also_in != now_in:
            if target is not None and merged_into != target:
                moved[pk] = target
            if now_in:  # a card studied for others, listing their sources
                listing.append(Card(pk=pk, merged_into_id=target, also_in=now_in))
            else:  # most changes: cards pointing to one card, updated together
                pointing.setdefault(target, []).append(pk)
    _move_history(moved)
    for target, pks in pointing.items():
        for start in range(0, len(pks), 500):
            Card.objects.filter(pk__in=pks[start : start + 500]).update(
                merged_into_id=target, also_in=[]
            )
    Card.objects.bulk_update(listing, ["merged_into", "also_in"], batch_size=500)
    if report is not None:
        report.cards["merged"] = len(into)


def _move_history(into: dict[int, int]) -> None:
    """Students who studied a merged card but not the one studied instead take their memory of
    it along: its state and review log now belong to that card. `into`: card -> card studied
    instead. One query when nobody studied any of them, as on a first import."""
    studied = list(
        CardState.objects.filter(card_id__in=list(into)).values_list("card_id", "user_id")
    )
    if not studied:
        return
    kept = set(
        CardState.objects.filter(card_id__in=set(into.values())).values_list("card_id", "user_id")
    )
    movers: dict[tuple[int, int], list[int]] = {}
    for card_id, user_id in studied:
        if (into[card_id], user_id) not in kept:
            movers.setdefault((card_id, into[card_id]), []).append(user_id)
            kept.add((into[card_id], user_id))  # two merged cards: the first one's memory moves
    for (card_id, into_id), users in movers.items():
        CardState.objects.filter(card_id=card_id, user_id__in=users).update(card_id=into_id)
        ReviewLog.objects.filter(card_id=card_id, user_id__in=users).update(card_id=into_id)
