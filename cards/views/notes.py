"""Decks, note pages, the cards each note makes, and the images notes embed."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_GET

from cards.models import Asset, Card, CardState, Deck, KeptApart, Note, NoteLink
from cards.roles import is_instructor
from cards.views.calculators import embed_calculators

ACTIVE = Q(cards__status=Card.Status.ACTIVE)
NOTES_PER_PAGE = 100  # a 1,000-note deck's page renders in a blink, not a second


def live_notes(user):
    """Notes a user may read: instructors see drafts too, students published notes only."""
    notes = Note.objects.filter(removed_at__isnull=True, deck__removed_at__isnull=True)
    return notes if is_instructor(user) else notes.filter(published=True)


def live_decks():
    return Deck.objects.filter(removed_at__isnull=True)


@login_required
def deck_list(request):
    shown = Q(notes__removed_at__isnull=True)
    if not is_instructor(request.user):
        shown &= Q(notes__published=True)
    decks = (
        live_decks()
        .annotate(
            note_count=Count("notes", filter=shown, distinct=True),
            card_count=Count(
                "notes__cards", filter=shown & Q(notes__cards__status=Card.Status.ACTIVE)
            ),
        )
        .order_by("title")
    )
    return render(request, "notes/deck_list.html", {"decks": decks})


@login_required
def deck_detail(request, deck_slug):
    deck = get_object_or_404(live_decks(), slug=deck_slug)
    notes = (
        live_notes(request.user)
        .filter(deck=deck)
        .annotate(card_count=Count("cards", filter=ACTIVE))
        .select_related("deck")  # each row's link (get_absolute_url) names its deck
        .only("title", "slug", "path", "tags", "warnings", "published", "deck__slug")
        .order_by("path")
    )
    page = Paginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notes/deck_detail.html",
        {"deck": deck, "page": page, "show_warnings": is_instructor(request.user)},
    )


def _get_note(request, deck_slug, note_slug):
    return get_object_or_404(
        live_notes(request.user).select_related("deck"), deck__slug=deck_slug, slug=note_slug
    )


@login_required
def note_detail(request, deck_slug, note_slug):
    note = _get_note(request, deck_slug, note_slug)
    backlinks = (
        NoteLink.objects.filter(target=note, source__in=live_notes(request.user))
        .exclude(source=note)
        .select_related("source__deck")
        .order_by("source__title", "line")
    )
    seen, sources = set(), []
    for link in backlinks:
        if link.source_id not in seen:
            seen.add(link.source_id)
            sources.append(link.source)
    return render(
        request,
        "notes/note_detail.html",
        {
            "deck": note.deck,
            "note": note,
            "note_html": embed_calculators(request, note.html),
            "backlinks": sources,
            "card_count": note.cards.filter(status=Card.Status.ACTIVE).count(),
            "show_warnings": is_instructor(request.user),
        },
    )


@login_required
def note_cards(request, deck_slug, note_slug):
    note = _get_note(request, deck_slug, note_slug)
    statuses = [Card.Status.ACTIVE, Card.Status.SUPPRESSED]
    if request.GET.get("show") == "all":
        statuses.append(Card.Status.RETIRED)
    cards = list(
        note.cards.filter(status__in=statuses)
        .select_related("merged_into__note")
        .order_by("line", "position")
    )
    apart: dict[int, list[Card]] = {}  # card -> the cards an instructor kept it apart from
    for pair in KeptApart.objects.filter(card__note=note).select_related("other__note"):
        apart.setdefault(pair.card_id, []).append(pair.other)
    suspended = set(
        CardState.objects.filter(user=request.user, card__note=note, suspended=True).values_list(
            "card_id", flat=True
        )
    )
    for card in cards:
        card.suspended_by_me = card.pk in suspended
        card.kept_apart_from = apart.get(card.pk, [])
    lines = note.source.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    rows = []
    for card in cards:
        if rows and rows[-1]["line"] == card.line:
            rows[-1]["cards"].append(card)
        else:
            text = lines[card.line - 1] if 0 < card.line <= len(lines) else ""
            rows.append({"line": card.line, "text": text, "cards": [card]})
    return render(
        request,
        "notes/note_cards.html",
        {
            "deck": note.deck,
            "note": note,
            "rows": rows,
            "card_count": len(cards),
            "showing_all": request.GET.get("show") == "all",
        },
    )


@require_GET
@login_required
def asset(request, deck_slug, path):
    """An image a note embeds, for whoever may read a note that shows it (so not a draft's to
    a student, nor a removed deck's); 304 when the browser's copy is current."""
    item = get_object_or_404(
        Asset.objects.defer("data"), deck__slug=deck_slug, deck__removed_at__isnull=True, path=path
    )
    src = f'src="{escape(reverse("asset", args=[deck_slug, item.path]))}"'
    if not live_notes(request.user).filter(deck_id=item.deck_id, html__contains=src).exists():
        raise Http404("No note you can read shows this image.")
    etag = f'"{item.content_hash}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(bytes(Asset.objects.get(pk=item.pk).data))
        response["Content-Type"] = item.content_type
        # An SVG opened directly could run script on our origin: sandbox whatever we serve.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
    response["Cache-Control"] = "private, max-age=3600"
    response["ETag"] = etag
    return response
