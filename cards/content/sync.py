"""Import notes into the database: files -> Note, Card, NoteLink, Asset rows, with a report.

One deck per call, one transaction: with any error nothing changes. Never deletes a card (review
history hangs off it): cards whose source is gone are retired and come back when the text does.
"""

import hashlib
import mimetypes
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cards.calculators.facts import DEFAULT_PATH as FACTS_PATH
from cards.calculators.facts import load_facts, resolve_fact_refs
from cards.content.extract import extract_cards
from cards.content.factcheck import check_facts
from cards.content.markdown import heading_id, render_fragment, render_note
from cards.content.source import MAX_NOTE_BYTES, Issue, SourceError, read_source
from cards.models import (
    Asset,
    Card,
    Deck,
    NewCardCursor,
    Note,
    NoteLink,
    NoteRevision,
    Question,
)
from cards.quiz.authored import parse_questions

NOTE_SUFFIXES = {".md", ".markdown", ".txt"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"}
MAX_ASSET_BYTES = 5 * 1024 * 1024
# Bump when rendering or extraction changes, so an unchanged file is still re-processed once.
PIPELINE_VERSION = "3"
TYPO_SIMILARITY = 0.85
FACTS_DIR = FACTS_PATH


@dataclass
class NoteFile:
    path: str  # POSIX path inside the deck folder, e.g. "limits.md" or "aws/limits.md"
    data: bytes
    size: int | None = None  # the file's real size when data was cut short at the limit


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


def content_hash(data: bytes) -> str:
    """What decides whether a note is processed again: its bytes, the pipeline version, and
    for notes quoting {{fact:...}}, the facts files they quote."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode() + b"\0" + data)
    if b"{{fact:" in data:
        digest.update(facts_digest())
    return digest.hexdigest()


def facts_digest() -> bytes:
    folder = FACTS_DIR
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def note_title(meta: dict, body: str, path: str) -> str:
    title = meta.get("title")
    if isinstance(title, str | int | float) and str(title).strip():
        return str(title).strip()
    match = re.search(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", body, re.MULTILINE)
    if match:
        return re.sub(r"[*_=`]", "", match.group(1)).strip() or PurePosixPath(path).stem
    return PurePosixPath(path).stem


def note_aliases(meta: dict) -> list[str]:
    raw = meta.get("aliases", meta.get("alias", []))
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.split(",")]
    if not isinstance(raw, list):
        return []
    return [str(alias).strip() for alias in raw if str(alias).strip()]


def note_tags(meta: dict) -> list[str]:
    raw = meta.get("tags", [])
    if isinstance(raw, str):
        raw = re.split(r"[,\s]+", raw)
    if not isinstance(raw, list):
        return []
    return [str(tag).strip().lstrip("#") for tag in raw if str(tag).strip()]


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


@dataclass
class _Parsed:
    file: NoteFile
    hash: str
    note: Note | None  # existing row, if any
    imported: str | None = None  # the file's hash, when this import brings a new file text
    source: object = None
    title: str = ""
    aliases: list[str] = field(default_factory=list)


def import_deck(
    deck_slug: str,
    files: list[NoteFile],
    *,
    assets: Iterable[NoteFile] = (),
    deck_title: str | None = None,
    deck_description: str | None = None,
    calculator_questions: bool | None = None,
    remove_missing: bool = True,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    author=None,
    message: str = "Imported",
    from_files: bool = True,
    publish_new: bool = True,
) -> Report:
    """Import a deck's files. Raises ImportFailed (nothing kept) when any file is unusable.

    `from_files` is False for text saved in the browser: then the database text is the newest,
    and a later import of an unchanged file will not overwrite it.
    """
    report = Report(deck=deck_slug, dry_run=dry_run)
    options = _Options(author, message, from_files, publish_new)
    try:
        with transaction.atomic():
            deck = _deck(deck_slug, deck_title, deck_description, calculator_questions)
            _import(report, deck, files, list(assets), remove_missing, progress, options)
            if report.errors:
                raise ImportFailed(report)
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


def deck_info(folder) -> dict:
    """Title and description from the deck folder's optional _deck.toml."""
    path = folder / "_deck.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path.name}: not valid TOML ({exc})") from None
    return {
        "deck_title": str(data["title"]) if "title" in data else None,
        "deck_description": str(data["description"]) if "description" in data else None,
        "calculator_questions": bool(data.get("calculator_questions", False)),
    }


@dataclass
class _Options:
    author: object
    message: str
    from_files: bool
    publish_new: bool


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _import(report, deck, files, assets, remove_missing, progress, options):  # noqa: C901
    existing = {note.path: note for note in Note.objects.filter(deck=deck)}
    parsed: list[_Parsed] = []
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
        parsed.append(
            _Parsed(file=file, hash=content_hash(file.data), note=note, imported=imported)
        )

    changed = [
        p
        for p in parsed
        if p.note is None or p.note.content_hash != p.hash or p.note.removed_at is not None
    ]
    incoming = {p.file.path for p in parsed}
    # Only notes that came from files leave with their file; notes written in the browser stay.
    missing = [
        note
        for path, note in existing.items()
        if path not in incoming
        and note.removed_at is None
        and remove_missing
        and note.imported_hash
    ]
    asset_changes = _sync_assets(report, deck, assets)

    # Fast path: nothing new, nothing gone, every hash the same.
    if not changed and not missing and not asset_changes:
        report.notes["unchanged"] = len(parsed)
        report.cards["unchanged"] = Card.objects.filter(
            note__deck=deck, note__path__in=incoming, status=Card.Status.ACTIVE
        ).count()
        report.questions["unchanged"] = Question.objects.filter(
            note__deck=deck, note__path__in=incoming, status=Question.Status.ACTIVE
        ).count()
        for p in parsed:
            report.warnings += [{"file": p.file.path, **w} for w in p.note.warnings]
        _mark_imported(parsed)
        return

    changed_set = {id(p) for p in changed}
    for p in parsed:
        if id(p) in changed_set:
            _read(p, report)
        else:  # unchanged: its stored title and aliases are current; read it only if re-rendered
            p.title, p.aliases = p.note.title, p.note.aliases
    if report.errors:
        return

    # Every live note of the deck, by every name a wikilink may use.
    live_notes = [n for n in existing.values() if n.removed_at is None and n not in missing]
    index_before = _link_index((n.path, n.title, n.aliases) for n in live_notes)
    by_path = {n.path: n for n in live_notes}
    for p in parsed:
        by_path[p.file.path] = p  # parsed files override their old rows
    slugs = _assign_slugs(deck, parsed, existing)
    names = _link_index((path, item.title, item.aliases) for path, item in sorted(by_path.items()))
    # When titles or aliases changed, links in unchanged notes may now resolve differently.
    rerender = parsed if index_before != names or asset_changes else changed
    for p in rerender:
        if p.source is None:
            _read(p, report)
    if report.errors:
        return
    changed_paths = {p.file.path for p in changed}

    note_urls = {path: reverse("note", args=[deck.slug, slugs[path]]) for path in by_path}
    resolve_link, resolve_embed = resolvers(
        {name: note_urls[path] for name, path in names.items()}, asset_urls(deck)
    )
    new_notes, updated_notes, link_rows = [], [], []
    drafts_by_path, questions_by_path = {}, {}
    revisions, republished = [], []
    now = timezone.now()
    total = len(rerender)
    for done, p in enumerate(rerender, start=1):
        source = p.source
        rendered = render_note(
            source.body,
            first_line=source.body_line,
            resolve_link=resolve_link,
            resolve_embed=resolve_embed,
        )
        warnings = [(w.line, w.message) for w in source.warnings + rendered.warnings]
        if p.file.path in changed_paths or p.note is None:
            extraction = extract_cards(
                source.body, title=p.title, first_line=source.body_line, options=source.meta
            )
            drafts_by_path[p.file.path] = extraction.cards
            warnings += [(w.line, w.message) for w in extraction.warnings]
            questions, question_warnings = parse_questions(
                source.body, first_line=source.body_line, note_title=p.title
            )
            questions_by_path[p.file.path] = questions
            warnings += [(w.line, w.message) for w in question_warnings]
        elif p.note is not None:
            # Re-rendered only for its links: keep the card warnings it had.
            warnings += [
                (w["line"], w["message"])
                for w in p.note.warnings
                if (w["line"], w["message"]) not in warnings
            ]
        note_warnings = [{"line": line, "message": msg} for line, msg in sorted(set(warnings))]
        fields = {
            "title": p.title,
            "slug": slugs[p.file.path],
            "aliases": p.aliases,
            "tags": note_tags(source.meta),
            "front_matter": _jsonable(source.meta),
            "source": verbatim_text(p.file.data),
            "html": rendered.html,
            "content_hash": p.hash,
            "warnings": note_warnings,
            "removed_at": None,
        }
        draft = source.meta.get("draft")
        if p.note is None:
            published = options.publish_new if draft is None else not draft
            note = Note(deck=deck, path=p.file.path, published=bool(published), **fields)
            new_notes.append(note)
            report.notes["created"] += 1
            revisions.append(note)
        else:
            note = p.note
            was_changed = p.file.path in changed_paths
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
            report.notes["updated" if was_changed else "unchanged"] += 1
        if p.imported:
            note.imported_hash = p.imported
        p.note = note
        for link in rendered.links:
            link_rows.append((p, link))
        if progress:
            progress(done, total)

    rerendered_paths = {p.file.path for p in rerender}
    report.notes["unchanged"] += sum(1 for p in parsed if p.file.path not in rerendered_paths)

    Note.objects.bulk_create(new_notes)
    Note.objects.bulk_update(
        updated_notes,
        [
            "title",
            "slug",
            "aliases",
            "tags",
            "front_matter",
            "source",
            "html",
            "content_hash",
            "warnings",
            "removed_at",
            "updated_at",
            "published",
            "version",
            "imported_hash",
        ],
        batch_size=200,
    )
    NoteRevision.objects.bulk_create(
        NoteRevision(note=note, author=options.author, source=note.source, message=options.message)
        for note in revisions
    )
    for note in republished:
        note.cards.update(published=note.published)

    _sync_links(deck, rerender, link_rows, names)
    _sync_cards(report, {p.file.path: p.note for p in parsed}, drafts_by_path)
    _sync_questions(report, {p.file.path: p.note for p in parsed}, questions_by_path)
    unchanged_paths = [p.file.path for p in parsed if p.file.path not in drafts_by_path]
    report.cards["unchanged"] += Card.objects.filter(
        note__deck=deck, note__path__in=unchanged_paths, status=Card.Status.ACTIVE
    ).count()
    report.questions["unchanged"] += Question.objects.filter(
        note__deck=deck, note__path__in=unchanged_paths, status=Question.Status.ACTIVE
    ).count()

    for note in missing:
        note.removed_at = now
        note.save(update_fields=["removed_at", "updated_at"])
        report.notes["removed"] += 1
        report.cards["retired"] += note.cards.filter(status=Card.Status.ACTIVE).update(
            status=Card.Status.RETIRED, updated_at=now
        )
        report.questions["retired"] += note.questions.filter(status=Question.Status.ACTIVE).update(
            status=Question.Status.RETIRED
        )

    for p in parsed:
        report.warnings += [{"file": p.file.path, **w} for w in p.note.warnings]
    _mark_imported(parsed)


def asset_urls(deck) -> dict[str, str]:
    """A deck's image URLs by path and by file name, folded, for ![[embed]] lookups."""
    urls = {}
    for path, name in Asset.objects.filter(deck=deck).values_list("path", "name"):
        url = reverse("asset", args=[deck.slug, path])
        urls.setdefault(path.casefold(), url)
        urls.setdefault(name.casefold(), url)
    return urls


def resolvers(note_urls: dict[str, str], images: dict[str, str]):
    """The two lookups render_note needs, from note URLs by link name and image URLs."""

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


def _read(p: "_Parsed", report: Report) -> None:
    """Decode and check one file: its source, title, aliases and fact warnings."""
    try:
        if (p.file.size or len(p.file.data)) > MAX_NOTE_BYTES:
            raise SourceError(
                f"file is {megabytes(p.file.size or len(p.file.data))}; "
                f"the limit for a note is {megabytes(MAX_NOTE_BYTES)}"
            )
        p.source = read_source(p.file.data, limit=MAX_NOTE_BYTES)
    except SourceError as exc:
        report.errors.append({"file": p.file.path, "line": 0, "message": str(exc)})
        return
    fact_warnings = check_facts(p.source.body, first_line=p.source.body_line)
    fact_warnings += resolve_facts(p.source)
    p.source.warnings.extend(fact_warnings)
    p.title = note_title(p.source.meta, p.source.body, p.file.path)
    p.aliases = note_aliases(p.source.meta)


def _mark_imported(parsed) -> None:
    """Remember which file text each note last came from (see import_deck's from_files)."""
    stale = [p.note for p in parsed if p.imported and p.note.imported_hash != p.imported]
    for p in parsed:
        if p.imported:
            p.note.imported_hash = p.imported
    Note.objects.bulk_update(stale, ["imported_hash"])


def resolve_facts(source) -> list[Issue]:
    """Put the facts file's values in place of {{fact:key}} references, line by line, so
    cards and the rendered page both show them; an unknown key is a warning on its line."""
    if "{{fact:" not in source.body:
        return []
    facts = load_facts()
    lines = source.body.split("\n")
    warnings = []
    for index, line in enumerate(lines):
        if "{{fact:" in line:
            lines[index], unknown = resolve_fact_refs(line, facts=facts)
            warnings += [
                Issue(
                    source.body_line + index,
                    f"unknown fact {{{{fact:{key}}}}}; no such key in content/_facts",
                )
                for key in unknown
            ]
    source.body = "\n".join(lines)
    return warnings


def _link_index(items) -> dict:
    index = {}
    for path, title, aliases in items:
        for name in link_names(path, title, aliases):
            index.setdefault(name, path)
    return index


def _assign_slugs(deck, parsed, existing) -> dict[str, str]:
    """Slugs come from the path and never change for a path, so links and bookmarks keep working."""
    slugs = {path: note.slug for path, note in existing.items()}
    taken = set(slugs.values())
    for p in parsed:
        if p.file.path in slugs:
            continue
        base = slugify(str(PurePosixPath(p.file.path).with_suffix("")).replace("/", "-")) or "note"
        base = base[:280]
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        slugs[p.file.path] = slug
        taken.add(slug)
    return slugs


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _sync_links(deck, rerender, link_rows, names):
    NoteLink.objects.filter(source__in=[p.note for p in rerender]).delete()
    notes_by_path = {n.path: n for n in Note.objects.filter(deck=deck, removed_at__isnull=True)}
    rows = []
    for p, link in link_rows:
        if not link.target:
            continue  # [[#Heading]] inside the same note
        path = names.get(link_key(link.target)) or names.get(
            link_key(link.target).rsplit("/", 1)[-1]
        )
        rows.append(
            NoteLink(
                source=p.note,
                target=notes_by_path.get(path) if path else None,
                target_text=link.target[:300],
                line=link.line,
            )
        )
    NoteLink.objects.bulk_create(rows, batch_size=500)


def _sync_assets(report, deck, assets: list[NoteFile]) -> bool:
    """Store images the notes may embed. Returns True when anything changed."""
    existing = {a.path: a for a in Asset.objects.filter(deck=deck).only("path", "content_hash")}
    changed = False
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
        current = existing.get(file.path)
        if current and current.content_hash == digest:
            continue
        content_type = mimetypes.guess_type(file.path)[0] or "application/octet-stream"
        Asset.objects.update_or_create(
            deck=deck,
            path=file.path,
            defaults={
                "name": PurePosixPath(file.path).name,
                "content_type": content_type,
                "data": file.data,
                "content_hash": digest,
            },
        )
        changed = True
    return changed


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
        Card.objects.bulk_update(
            to_update,
            [
                "key",
                "kind",
                "front",
                "back",
                "front_html",
                "back_html",
                "answer",
                "identity",
                "heading_path",
                "line",
                "position",
                "status",
                "sibling_group",
                "updated_at",
            ],
            batch_size=500,
        )
    Card.objects.bulk_create(to_create, batch_size=500)
    if revived_decks:
        # Cards behind the study queue's new-card cursors are active again: start those over.
        NewCardCursor.objects.filter(Q(deck_id__in=revived_decks) | Q(deck__isnull=True)).delete()


def match_cards(cards: list[Card], drafts: list) -> tuple[list, list, list]:
    """Pair drafts with existing cards: same key, then same text under another heading, then a
    near-identical front (a typo fixed) of the same kind under the same heading.

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
        published=note.published,
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


def collect_deck_files(folder) -> tuple[list[NoteFile], list[NoteFile], list[dict]]:
    """Read a deck folder: note files, image assets, and warnings for files we skip."""
    notes, assets, skipped = [], [], []
    for file in sorted(folder.rglob("*")):
        if not file.is_file():
            continue
        relative = file.relative_to(folder)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        suffix = file.suffix.lower()
        if suffix in NOTE_SUFFIXES:
            notes.append(read_file(file, relative.as_posix()))
        elif suffix in IMAGE_SUFFIXES:
            assets.append(read_file(file, relative.as_posix(), MAX_ASSET_BYTES))
        else:
            skipped.append(
                {"file": relative.as_posix(), "line": 0, "message": "not a note; skipped"}
            )
    return notes, assets, skipped


def read_file(path, relative: str, limit: int = MAX_NOTE_BYTES) -> NoteFile:
    """Read at most limit + 1 bytes, so a 50 MB file is refused without loading it all."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    size = path.stat().st_size if len(data) > limit else None
    return NoteFile(relative, data, size)


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def verbatim_text(data: bytes) -> str:
    """The file as text, BOM and line ends untouched, so an export writes the same bytes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
