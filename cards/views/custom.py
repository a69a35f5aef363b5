"""Custom study: choose cards to study now, outside the daily limits, then review (or cram)
them one by one; htmx swaps the card as on the review screen."""

import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from cards.models import CardState, CustomSession, Note
from cards.roles import is_instructor
from cards.study import custom, grading, queue, scheduling
from cards.study.scheduling import Rating
from cards.views.htmx import page_or_partial, wants_partial
from cards.views.study import leech_message


class CustomStudyForm(forms.Form):
    kind = forms.ChoiceField(
        choices=list(custom.KINDS.items()), initial="search", widget=forms.RadioSelect
    )
    q = forms.CharField(
        required=False,
        max_length=500,
        label="Search",
        help_text='A topic, domain or tag, e.g. note:"Lambda pricing", domain:Security, '
        "tag:limits, or any search of the Browse page.",
    )
    days = forms.IntegerField(
        min_value=1, max_value=365, initial=3, label="Days ahead (review ahead)"
    )
    mode = forms.ChoiceField(
        choices=CustomSession.Mode.choices, initial=CustomSession.Mode.REVIEW,
        widget=forms.RadioSelect,
    )  # fmt: skip
    limit = forms.IntegerField(
        min_value=1, max_value=custom.MAX_CARDS, initial=100, label="At most (cards)"
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == "search" and not data.get("q", "").strip():
            self.add_error("q", "Write what to study, e.g. domain:Security or tag:limits.")
        return data


@login_required
def custom_study(request):
    initial = {"q": request.GET.get("q", "")[:500]}
    form = CustomStudyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = custom.start(
                request.user,
                kind=data["kind"],
                mode=data["mode"],
                text=data["q"].strip(),
                days=data["days"],
                limit=data["limit"],
            )
        except custom.NothingToStudy as reason:
            messages.info(request, str(reason))
        else:
            return redirect(session)
    notes = Note.objects.filter(removed_at__isnull=True, deck__removed_at__isnull=True)
    if not is_instructor(request.user):
        notes = notes.filter(published=True)
    domains = sorted(
        {(domain or deck) for domain, deck in notes.values_list("domain", "deck__title")}
    )
    tags = sorted({tag for note_tags in notes.values_list("tags", flat=True) for tag in note_tags})
    leeches = CardState.objects.filter(user=request.user, leech=True).aggregate(n=Count("pk"))["n"]
    return render(
        request,
        "study/custom.html",
        {
            "form": form,
            "domains": domains,
            "tags": tags,
            "leeches": leeches,
            "leech_threshold": queue.settings_for(request.user).leech_threshold,
        },
    )


def _session(request, session_id) -> CustomSession:
    return get_object_or_404(CustomSession, pk=session_id, user=request.user)


class AnswerForm(forms.Form):
    card = forms.IntegerField(min_value=1)
    version = forms.IntegerField(min_value=0)
    rating = forms.TypedChoiceField(coerce=int, choices=[(int(r), r.name.title()) for r in Rating])
    shown_at = forms.IntegerField(required=False, min_value=0)


@login_required
def custom_session(request, session_id):
    session = _session(request, session_id)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose Again, Hard, Good or Easy.")
        else:
            data = form.cleaned_data
            shown_at = data.get("shown_at")
            try:
                log = custom.answer(
                    session,
                    card_id=data["card"],
                    version=data["version"],
                    rating=Rating(data["rating"]),
                    duration_ms=int(time.time() * 1000) - shown_at if shown_at else 0,
                )
            except grading.Stale:
                messages.info(request, "That card was already graded, so it was counted once.")
            else:
                if log is not None and log.became_leech:
                    messages.warning(request, leech_message(request.user, log))
            session.refresh_from_db()
        if not wants_partial(request):
            return redirect(session)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    show = request.method == "GET" and request.GET.get("show") == "1"
    return _render(request, session, show=show)


def _render(request, session: CustomSession, *, show: bool):
    card, state = custom.current(session)
    grades = []
    if card is not None:
        intervals = {}
        if session.mode == CustomSession.Mode.REVIEW:
            prefs = queue.settings_for(request.user)
            intervals = scheduling.preview(
                queue.memory_of(state),
                now=timezone.now(),
                card_id=card.pk,
                settings=queue.scheduler_settings(prefs),
            )
        grades = [
            {
                "rating": int(rating),
                "name": rating.name.title(),
                "interval": scheduling.format_interval(intervals[rating]) if intervals else "",
            }
            for rating in Rating
        ]
    context = {
        "session": session,
        "card": card,
        "show": show,
        "grades": grades,
        "version": state.version if state else 0,
        "shown_at": int(time.time() * 1000),
        "url": reverse("custom_session", args=[session.pk]),
        "cram": session.mode == CustomSession.Mode.CRAM,
    }
    return page_or_partial(request, "study/custom_session.html", "session-card", context)
