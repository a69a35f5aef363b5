"""The review screen: one URL per scope (all decks, a deck, a note); htmx swaps the card."""

import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone

from cards import rows
from cards.calculators.units import check_typed_answer
from cards.content.text import plain
from cards.models import MAX_ID, MAX_POSITIVE_INT, Card, Deck, Note
from cards.study import grading, queue
from cards.study.scheduling import Rating
from cards.views.htmx import page_or_partial, wants_partial

ACTIONS = ("grade", "undo", "bury", "suspend")


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    card = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    version = forms.IntegerField(required=False, min_value=0, max_value=MAX_POSITIVE_INT)
    rating = forms.TypedChoiceField(
        required=False, coerce=int, choices=[(int(r), r.name.title()) for r in Rating]
    )
    shown_at = forms.IntegerField(required=False, min_value=0)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in ("grade", "bury", "suspend") and not data.get("card"):
            raise forms.ValidationError("Which card? The form is missing its card.")
        if action == "grade" and (data.get("rating") is None or data.get("version") is None):
            raise forms.ValidationError("Choose Again, Hard, Good or Easy.")
        return data


def _scope(deck_slug, note_slug):
    deck = note = None
    if deck_slug:
        deck = rows.fetch_one(Deck, "slug = %s AND removed_at IS NULL", [deck_slug])
        if deck is None:
            raise Http404("No such deck.")
    if note_slug:
        note = get_object_or_404(
            Note, deck=deck, slug=note_slug, removed_at__isnull=True, published=True
        )
    return deck, note, queue.scope_for(deck, note)


def _study_url(deck, note):
    if note is not None:
        return reverse("study_note", args=[deck.slug, note.slug])
    if deck is not None:
        return reverse("study_deck", args=[deck.slug])
    return reverse("study")


@login_required
def study_page(request, deck_slug=None, note_slug=None):
    deck, note, scope = _scope(deck_slug, note_slug)
    if request.method == "POST":
        return _act(request, deck, note, scope)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    prefer = _int(request.GET.get("card"))
    show = request.GET.get("show") == "1"
    turn = queue.next_turn(request.user, scope, prefer=prefer)
    return _render(request, deck, note, turn, show=show, typed=request.GET.get("typed", ""))


def _int(value):
    """A card id from the address, or None when it cannot be one."""
    if not value or not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def _act(request, deck, note, scope):
    form = ActionForm(request.POST)
    url = _study_url(deck, note)
    prefer = None
    if not form.is_valid():
        messages.error(
            request, " ".join(form.errors.get("__all__", ["That request was not valid."]))
        )
    else:
        data = form.cleaned_data
        action = data["action"]
        try:
            if action == "grade":
                shown_at = data.get("shown_at")
                duration = int(time.time() * 1000) - shown_at if shown_at else 0
                log = grading.grade(
                    request.user,
                    card_id=data["card"],
                    version=data["version"],
                    rating=Rating(data["rating"]),
                    duration_ms=duration,
                )
                if log.became_leech:
                    messages.warning(request, leech_message(request.user, log))
            elif action == "undo":
                undone = grading.undo(request.user)
                if undone is None:
                    messages.info(request, "Nothing to undo.")
                else:
                    prefer = undone.card_id
                    messages.info(request, _undone_message(undone))
            elif action == "bury":
                grading.bury(request.user, data["card"])
                messages.info(request, "Card buried until tomorrow.")
            elif action == "suspend":
                grading.set_suspended(request.user, data["card"], True)
                messages.info(request, "Card suspended. Unsuspend it from its note's card list.")
        except grading.Stale:
            messages.info(request, "That card was already graded, so it was counted once.")
        except Card.DoesNotExist:
            messages.error(request, "That card is no longer in the deck.")
    if wants_partial(request):
        turn = queue.next_turn(request.user, scope, prefer=prefer, advance=True)
        return _render(request, deck, note, turn)
    return redirect(f"{url}?card={prefer}" if prefer else url)


def leech_message(user, log) -> str:
    prefs = queue.settings_for(user)
    lapses = log.after.get("lapses", prefs.leech_threshold)
    what = "a leech and suspended" if log.after.get("suspended") else "a leech"
    return (
        f"You have forgotten that card {lapses} times: it is now {what}. Rewriting it often "
        "helps more than reviewing it again (Browse, is:leech)."
    )


def _undone_message(log) -> str:
    front = truncatechars(plain(log.card.front), 80)  # the words, not their Markdown
    return f"Undid {Rating(log.rating).name.title()} on “{front}”: grade it again."


def _render(request, deck, note, turn, *, show=False, typed=""):
    typed_result = None
    if show and typed and turn.card is not None and turn.card.answer:
        typed_result = check_typed_answer(typed, turn.card.answer)
    grades = (
        [
            {"rating": int(rating), "name": rating.name.title(), "interval": turn.intervals[rating]}
            for rating in Rating
        ]
        if show and turn.card is not None
        else []
    )
    context = {
        "deck": deck,
        "note": note,
        "turn": turn,
        "card": turn.card,
        "show": show,
        "typed": typed,
        "typed_result": typed_result,
        "grades": grades,
        "version": turn.state.version if turn.state else 0,
        "shown_at": int(time.time() * 1000),
        "study_url": _study_url(deck, note),
        "now": timezone.now(),
    }
    return page_or_partial(request, "study/study.html", "study-card", context)


@login_required
def unsuspend(request, card_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    card = get_object_or_404(
        Card.objects.filter(Card.in_play()).select_related("note__deck"), pk=card_id
    )
    grading.set_suspended(request.user, card.pk, False)
    messages.success(request, "Card unsuspended.")
    return redirect(reverse("note_cards", args=[card.note.deck.slug, card.note.slug]))
