"""Instructor authoring: the note editor with a live preview, history, uploads and deck admin.

Views only load, call cards.content.authoring and render; every one is for instructors (403
for students).
"""

from pathlib import PurePosixPath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cards.content import authoring
from cards.content.files import MAX_UNPACKED_BYTES, MAX_UPLOAD_BYTES, NOTE_SUFFIXES, megabytes
from cards.content.source import MAX_NOTE_BYTES
from cards.content.sync import ImportFailed
from cards.content.text import plain
from cards.models import Card, Deck, Note, NoteRevision, PendingUpload
from cards.roles import instructor_required
from cards.views.htmx import page_or_partial, wants_partial

UPLOAD_TYPES = ".md,.markdown,.txt,.zip"
# Each line makes a card, so the help beside the editor shows only syntax that works.
NEW_NOTE_TEXT = (
    "# New note\n\n"
    "- Key term: what the term means, in a few words\n"
    "- A question to ask yourself?::its answer\n"
    "- A sentence with the ==part to recall== highlighted.\n"
)
UNCHANGED_CONTEXT = 3  # lines kept around each change in a diff; longer unchanged runs fold


# Forms --------------------------------------------------------------------------------------


class SourceField(forms.CharField):
    """The note's text exactly as typed: no stripping, and the browser's CRLF undone."""

    def __init__(self, **kwargs):
        attrs = {"id": "source", "rows": 28, "spellcheck": "false"}
        kwargs.setdefault("widget", forms.Textarea(attrs=attrs))
        super().__init__(strip=False, required=False, **kwargs)

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class EditForm(forms.Form):
    source = SourceField(label="Source")
    base_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    message = forms.CharField(
        label="What changed (optional)", max_length=200, required=False, strip=True
    )


class PreviewForm(forms.Form):
    source = SourceField(label="Source")
    path = forms.CharField(max_length=500, required=False)


class NewNoteForm(forms.Form):
    path = forms.CharField(
        label="File name",
        max_length=500,
        help_text="Path inside the deck folder, e.g. <code>limits.md</code> or "
        "<code>aws/limits.md</code>.",
    )
    source = SourceField(label="Source")


class RenameForm(forms.Form):
    new_path = forms.CharField(label="New file name", max_length=500)


class PublishForm(forms.Form):
    published = forms.TypedChoiceField(
        coerce=lambda value: value == "1", choices=[("1", "1"), ("0", "0")]
    )


class SuppressForm(forms.Form):
    # Absent: toggle. Present: the state the button showed, so a double click does not undo itself.
    suppressed = forms.TypedChoiceField(
        coerce=lambda value: value == "1",
        choices=[("1", "1"), ("0", "0")],
        required=False,
        empty_value=None,
    )


class CompareForm(forms.Form):
    a = forms.IntegerField(min_value=1)
    b = forms.IntegerField(min_value=1)


class DeckForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2_000
    )


class NewDeckForm(DeckForm):
    slug = forms.SlugField(
        max_length=100, help_text="Short name used in addresses, e.g. <code>aws-lambda</code>."
    )
    field_order = ["title", "slug", "description"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug == "new":
            raise forms.ValidationError("“new” is taken by the new-deck page; choose another.")
        if Deck.objects.filter(slug=slug).exists():
            raise forms.ValidationError("A deck with this short name exists already.")
        return slug


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": UPLOAD_TYPES}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class UploadForm(forms.Form):
    files = MultipleFileField(label="Markdown files or a .zip of a notes folder")

    def clean_files(self):
        # Refused before reading: a note over the limit could never be imported anyway.
        files = self.cleaned_data["files"]
        for item in files:
            is_note = PurePosixPath(item.name).suffix.lower() in NOTE_SUFFIXES
            if is_note and item.size > MAX_NOTE_BYTES:
                raise forms.ValidationError(
                    f"{item.name} is {megabytes(item.size)}; a note may be at most "
                    f"{megabytes(MAX_NOTE_BYTES)}."
                )
        total = sum(item.size for item in files)
        if total > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The upload is {megabytes(total)}; the most is "
                f"{megabytes(MAX_UPLOAD_BYTES)} at once."
            )
        return files


class UploadDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("apply", "Apply"), ("cancel", "Cancel")])


# Lookups ------------------------------------------------------------------------------------


def _deck(deck_slug) -> Deck:
    return get_object_or_404(Deck, slug=deck_slug, removed_at__isnull=True)


def _note(deck_slug, note_slug) -> Note:
    # Deleted notes stay reachable here: the editor is where an instructor restores them.
    return get_object_or_404(
        Note.objects.select_related("deck"),
        deck__slug=deck_slug,
        deck__removed_at__isnull=True,
        slug=note_slug,
    )


def _edit_url(note) -> str:
    return reverse("note_edit", args=[note.deck.slug, note.slug])


def _in_note_line_endings(note, text: str) -> str:
    """Browsers send CRLF; a note written with CRLF keeps it, any other note gets LF."""
    text = text.replace("\r\n", "\n")
    return text.replace("\n", "\r\n") if note is not None and "\r\n" in note.source else text


def _report_summary(report) -> str:
    cards = report["cards"] if isinstance(report, dict) else report.to_dict()["cards"]
    return (
        f"cards: {cards['created']} new, {cards['updated']} changed, "
        f"{cards['retired']} retired, {cards['unchanged']} unchanged"
    )


# The editor ---------------------------------------------------------------------------------


def _preview_context(preview) -> dict:
    cards = [
        {
            "line": card.line,
            "kind": Card.Kind(card.kind).label if card.kind in Card.Kind.values else card.kind,
            "front": plain(card.front),
            "back": plain(card.back),
        }
        for card in preview.cards
    ]
    return {"preview": preview, "preview_cards": cards}


def _editor(request, deck, note, form, *, text, errors=(), status=200):
    path = note.path if note is not None else (form["path"].value() or "").strip() or "new.md"
    preview = authoring.preview_note(
        deck, path=path, text=_in_note_line_endings(note, text), note=note
    )
    context = {
        "deck": deck,
        "note": note,
        "form": form,
        "errors": list(errors),
        "preview_url": (
            reverse("note_preview", args=[deck.slug, note.slug])
            if note is not None
            else reverse("note_new_preview", args=[deck.slug])
        ),
        **_preview_context(preview),
    }
    return TemplateResponse(request, "authoring/edit.html", context, status=status)


@login_required
@instructor_required
def note_edit(request, deck_slug, note_slug):
    note = _note(deck_slug, note_slug)
    if request.method != "POST":
        form = EditForm(initial={"source": note.source, "base_version": note.version})
        return _editor(request, note.deck, note, form, text=note.source)

    form = EditForm(request.POST)
    if not form.is_valid():
        return _editor(request, note.deck, note, form, text=form["source"].value() or "")
    text = form.cleaned_data["source"]
    if "preview" in request.POST:
        return _editor(request, note.deck, note, form, text=text)
    try:
        report = authoring.save_note(
            note,
            text=_in_note_line_endings(note, text),
            author=request.user,
            base_version=form.cleaned_data["base_version"],
            message=form.cleaned_data["message"] or "Edited in the browser",
        )
    except authoring.Conflict as conflict:
        return _conflict(request, note, conflict, text)
    except ImportFailed as failed:
        return _editor(request, note.deck, note, form, text=text, errors=failed.report.errors)
    messages.success(request, f"Saved {note.title}: {_report_summary(report)}.")
    note.refresh_from_db()
    return redirect(note.get_absolute_url() if note.removed_at is None else _edit_url(note))


def _conflict(request, note, conflict, text):
    form = EditForm(initial={"source": text, "base_version": conflict.current_version})
    context = {
        "deck": note.deck,
        "note": note,
        "form": form,
        "theirs": conflict.current_source,
        "theirs_author": conflict.current_author,
        "diff": _folded(authoring.diff_revisions(conflict.current_source, text)),
    }
    return TemplateResponse(request, "authoring/conflict.html", context)


@login_required
@instructor_required
@require_POST
def note_preview(request, deck_slug, note_slug):
    note = _note(deck_slug, note_slug)
    return _preview(request, note.deck, note)


def _preview(request, deck, note):
    form = PreviewForm(request.POST)
    form.is_valid()  # both fields are optional and free text: always valid
    text = form.cleaned_data.get("source", "")
    if not wants_partial(request):
        # Without JavaScript the Preview button lands here: show the whole editor instead.
        form_class = EditForm if note is not None else NewNoteForm
        data = request.POST.copy()
        if note is not None:
            data.setdefault("base_version", str(note.version))
        return _editor(request, deck, note, form_class(data), text=text)
    path = note.path if note is not None else form.cleaned_data.get("path") or "new.md"
    preview = authoring.preview_note(
        deck, path=path, text=_in_note_line_endings(note, text), note=note
    )
    context = {"deck": deck, "note": note, **_preview_context(preview)}
    return page_or_partial(request, "authoring/edit.html", "preview", context)


@login_required
@instructor_required
def note_new(request, deck_slug):
    deck = _deck(deck_slug)
    if request.method != "POST":
        form = NewNoteForm(initial={"source": NEW_NOTE_TEXT})
        return _editor(request, deck, None, form, text=NEW_NOTE_TEXT)
    form = NewNoteForm(request.POST)
    text = (form["source"].value() or "").replace("\r\n", "\n")
    if not form.is_valid() or "preview" in request.POST:
        return _editor(request, deck, None, form, text=text)
    try:
        note = authoring.create_note(
            deck, path=form.cleaned_data["path"].strip(), text=text, author=request.user
        )
    except ValueError as exc:
        form.add_error("path", str(exc))
        return _editor(request, deck, None, form, text=text)
    except ImportFailed as failed:
        return _editor(request, deck, None, form, text=text, errors=failed.report.errors)
    messages.success(request, f"Created {note.title} as a draft: publish it when it is ready.")
    return redirect(_edit_url(note))


@login_required
@instructor_required
@require_POST
def note_new_preview(request, deck_slug):
    return _preview(request, _deck(deck_slug), None)


# Note actions -------------------------------------------------------------------------------


@login_required
@instructor_required
def note_rename(request, deck_slug, note_slug):
    note = _note(deck_slug, note_slug)
    form = RenameForm(request.POST or None, initial={"new_path": note.path})
    if request.method == "POST" and form.is_valid():
        try:
            note = authoring.rename_note(
                note, new_path=form.cleaned_data["new_path"].strip(), author=request.user
            )
        except ValueError as exc:
            form.add_error("new_path", str(exc))
        else:
            messages.success(request, f"Renamed to {note.path}.")
            return redirect(_edit_url(note))
    return TemplateResponse(
        request, "authoring/note_rename.html", {"deck": note.deck, "note": note, "form": form}
    )


@login_required
@instructor_required
def note_delete(request, deck_slug, note_slug):
    note = _note(deck_slug, note_slug)
    if request.method == "POST":
        authoring.delete_note(note, author=request.user)
        messages.success(
            request,
            f"Deleted {note.title}. Its cards are retired with their review history; "
            "restore it from its editor to bring them back.",
        )
        return redirect(note.deck.get_absolute_url())
    context = {
        "deck": note.deck,
        "note": note,
        "thing": f"the note “{note.title}”",
        "consequence": "Its cards leave every study queue. Review history is kept, and the "
        "note can be restored from its editor.",
        "cancel_url": _edit_url(note),
    }
    return TemplateResponse(request, "authoring/confirm_delete.html", context)


@login_required
@instructor_required
@require_POST
def note_restore(request, deck_slug, note_slug):
    note = _note(deck_slug, note_slug)
    try:
        report = authoring.restore_note(note, author=request.user)
    except ImportFailed as failed:
        problems = "; ".join(error["message"] for error in failed.report.errors)
        messages.error(request, f"{note.title} could not be restored: {problems}")
    else:
        messages.success(request, f"Restored {note.title}: {_report_summary(report)}.")
    return redirect(_edit_url(note))


@login_required
@instructor_required
@require_POST
def note_publish(request, deck_slug, note_slug):
    note = _note(deck_slug, note_slug)
    form = PublishForm(request.POST)
    if form.is_valid():
        published = form.cleaned_data["published"]
        authoring.set_published(note, published)
        if published:
            messages.success(request, f"Published {note.title}: students see it and its cards.")
        else:
            messages.success(request, f"{note.title} is a draft again: students no longer see it.")
    else:
        messages.error(request, "Choose Publish or Unpublish.")
    return redirect(_edit_url(note))


# History ------------------------------------------------------------------------------------


def _folded(diff: list[tuple[str, str]]) -> list[dict]:
    """The diff as rows, with long unchanged runs folded into one "N unchanged lines" row."""
    changed = [i for i, (kind, _) in enumerate(diff) if kind != "same"]
    if not changed:
        return []
    keep = set()
    for i in changed:
        keep.update(range(i - UNCHANGED_CONTEXT, i + UNCHANGED_CONTEXT + 1))
    rows, folded = [], 0
    for i, (kind, line) in enumerate(diff):
        if kind == "same" and i not in keep:
            folded += 1
            continue
        if folded:
            rows.append({"kind": "fold", "line": f"{folded} unchanged line{'s' * (folded != 1)}"})
            folded = 0
        rows.append({"kind": kind, "line": line})
    if folded:
        rows.append({"kind": "fold", "line": f"{folded} unchanged line{'s' * (folded != 1)}"})
    return rows


@login_required
@instructor_required
def note_history(request, deck_slug, note_slug):
    note = _note(deck_slug, note_slug)
    revisions = list(note.revisions.select_related("author").order_by("-created_at", "-pk"))
    compare = CompareForm(request.GET) if {"a", "b"} & set(request.GET) else None
    diff = old = new = None
    if compare is not None and compare.is_valid():
        by_pk = {revision.pk: revision for revision in revisions}
        picked = [by_pk.get(compare.cleaned_data["a"]), by_pk.get(compare.cleaned_data["b"])]
        if None in picked:
            compare.add_error(None, "Those revisions are not this note's.")
        else:
            old, new = sorted(picked, key=lambda revision: (revision.created_at, revision.pk))
            diff = _folded(authoring.diff_revisions(old.source, new.source))
    context = {
        "deck": note.deck,
        "note": note,
        "revisions": revisions,
        "compare": compare,
        "diff": diff,
        "old": old,
        "new": new,
        "picked_a": old.pk if old else (revisions[1].pk if len(revisions) > 1 else None),
        "picked_b": new.pk if new else (revisions[0].pk if revisions else None),
    }
    return TemplateResponse(request, "authoring/history.html", context)


@login_required
@instructor_required
@require_POST
def note_restore_revision(request, deck_slug, note_slug, rev):
    note = _note(deck_slug, note_slug)
    revision = get_object_or_404(NoteRevision, pk=rev, note=note)
    try:
        report = authoring.restore_revision(note, revision, author=request.user)
    except ImportFailed as failed:
        problems = "; ".join(error["message"] for error in failed.report.errors)
        messages.error(request, f"That version could not be restored: {problems}")
    else:
        messages.success(
            request,
            f"Restored the version of {revision.created_at:%Y-%m-%d %H:%M} as a new revision: "
            f"{_report_summary(report)}.",
        )
    return redirect(reverse("note_history", args=[note.deck.slug, note.slug]))


# Cards --------------------------------------------------------------------------------------


@login_required
@instructor_required
@require_POST
def card_suppress(request, card_id):
    card = get_object_or_404(
        Card.objects.select_related("note__deck"),
        pk=card_id,
        status__in=[Card.Status.ACTIVE, Card.Status.SUPPRESSED],
    )
    form = SuppressForm(request.POST)
    suppress = card.status != Card.Status.SUPPRESSED
    if form.is_valid() and form.cleaned_data["suppressed"] is not None:
        suppress = form.cleaned_data["suppressed"]
    authoring.set_card_suppressed(card, suppress)
    if suppress:
        messages.success(request, "Suppressed that card: no one will be asked it.")
    else:
        messages.success(request, "That card is back in study queues.")
    note = card.note
    url = reverse("note_cards", args=[note.deck.slug, note.slug])
    return redirect(f"{url}#card-{card.pk}")


@login_required
@instructor_required
@require_POST
def card_keep_apart(request, card_id):
    """Split a merged card from the card it was merged into, or merge it again."""
    card = get_object_or_404(
        Card.objects.select_related("note__deck", "merged_into__note"),
        pk=card_id,
        status=Card.Status.ACTIVE,
    )
    apart = request.POST.get("apart") != "0"
    other = authoring.keep_apart(card, apart=apart)
    if apart and other is None:
        messages.info(request, "That card is not merged with another: nothing to split.")
    elif apart:
        messages.success(
            request,
            f"Kept apart from “{other.front}” in {other.note.title}: each is studied on its own, "
            "and imports will not merge them again.",
        )
    else:
        messages.success(request, "Merged again where the cards ask the same fact.")
    note = card.note
    url = reverse("note_cards", args=[note.deck.slug, note.slug])
    return redirect(f"{url}#card-{card.pk}")


# Decks --------------------------------------------------------------------------------------


@login_required
@instructor_required
def deck_new(request):
    form = NewDeckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deck = authoring.create_deck(
                slug=form.cleaned_data["slug"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValueError as exc:
            form.add_error("slug", str(exc))
        else:
            messages.success(request, f"Created the deck {deck.title}. Add notes to it.")
            return redirect(deck.get_absolute_url())
    return TemplateResponse(request, "authoring/deck_form.html", {"form": form, "deck": None})


@login_required
@instructor_required
def deck_edit(request, deck_slug):
    deck = _deck(deck_slug)
    initial = {"title": deck.title, "description": deck.description}
    form = DeckForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        authoring.update_deck(
            deck, title=form.cleaned_data["title"], description=form.cleaned_data["description"]
        )
        messages.success(request, "Saved the deck.")
        return redirect(deck.get_absolute_url())
    return TemplateResponse(request, "authoring/deck_form.html", {"form": form, "deck": deck})


@login_required
@instructor_required
def deck_delete(request, deck_slug):
    deck = _deck(deck_slug)
    if request.method == "POST":
        authoring.delete_deck(deck)
        messages.success(request, f"Deleted the deck {deck.title}.")
        return redirect("deck_list")
    context = {
        "deck": deck,
        "thing": f"the deck “{deck.title}”",
        "consequence": "Its notes and cards leave every study queue.",
        "cancel_url": reverse("deck_edit", args=[deck.slug]),
    }
    return TemplateResponse(request, "authoring/confirm_delete.html", context)


# Uploads ------------------------------------------------------------------------------------


def _limits() -> dict:
    return {
        "max_upload": megabytes(MAX_UPLOAD_BYTES),
        "max_unpacked": megabytes(MAX_UNPACKED_BYTES),
        "max_note": megabytes(MAX_NOTE_BYTES),
    }


@login_required
@instructor_required
def deck_upload(request, deck_slug):
    deck = _deck(deck_slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [(item.name, item.read()) for item in form.cleaned_data["files"]]
        try:
            pending = authoring.stage_upload(deck, files, user=request.user)
        except ValueError as exc:
            form.add_error("files", str(exc))
        else:
            return _upload_report(request, deck, pending)
    context = {"deck": deck, "form": form, **_limits()}
    return TemplateResponse(request, "authoring/upload.html", context)


def _upload_report(request, deck, pending, *, errors=None):
    report = pending.report
    context = {
        "deck": deck,
        "pending": pending,
        "report": report,
        "errors": report.get("errors", []) if errors is None else errors,
    }
    return TemplateResponse(request, "authoring/upload_report.html", context)


@login_required
@instructor_required
def deck_upload_confirm(request, deck_slug, pending_id):
    deck = _deck(deck_slug)
    # Another instructor's pending upload is theirs to apply: 404, not a hint that it exists.
    pending = get_object_or_404(PendingUpload, pk=pending_id, deck=deck, user=request.user)
    if pending.expired(timezone.now()):
        authoring.discard_expired_uploads()
        messages.error(
            request, "That upload waited more than an hour and has expired; upload it again."
        )
        return redirect("deck_upload", deck.slug)
    if request.method != "POST":
        return _upload_report(request, deck, pending)
    form = UploadDecisionForm(request.POST)
    if not form.is_valid():
        return _upload_report(request, deck, pending)
    if form.cleaned_data["action"] == "cancel":
        pending.delete()
        messages.info(request, "Upload cancelled: nothing changed.")
        return redirect(deck.get_absolute_url())
    try:
        report = authoring.apply_upload(pending, user=request.user)
    except ImportFailed as failed:
        return _upload_report(request, deck, pending, errors=failed.report.errors)
    notes = report["notes"]
    messages.success(
        request,
        f"Upload applied. Notes: {notes['created']} new, {notes['updated']} changed; "
        f"{_report_summary(report)}.",
    )
    return redirect(deck.get_absolute_url())
