"""Students report a problem with a card or a question; instructors see item analysis and the
reports of a deck, and suppress a question, mark a report fixed or dismiss it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cards.models import Attempt, Card, Deck, Note, ProblemReport, SuppressedQuestion
from cards.quiz import analysis, exams, generate
from cards.roles import instructor_required

ITEMS_PER_PAGE = 40
LEFT_OUT = "question left out of exams: "


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=ProblemReport.Reason.choices)
    comment = forms.CharField(required=False, max_length=1000, widget=forms.Textarea)


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def report(request):
    """A report on a card (studied) or on question `number` of one of the user's attempts."""
    form = ReportForm(request.POST)
    fallback = reverse("dashboard")
    if not form.is_valid():
        messages.error(request, "Choose what is wrong with it, then send the report again.")
        return redirect(_back(request, fallback))
    values = {"reason": form.cleaned_data["reason"], "comment": form.cleaned_data["comment"]}
    if request.POST.get("card"):
        card = get_object_or_404(
            Card.objects.filter(Card.in_play()).select_related("note", "deck"),
            pk=_number(request.POST["card"]),
        )
        values |= {"deck": card.deck, "card": card, "stem": card.front,
                   "source_url": card.source_url()}  # fmt: skip
    else:
        attempt = get_object_or_404(
            Attempt.objects.select_related("deck"),
            pk=_number(request.POST.get("attempt", "")),
            user=request.user,
        )
        index = _number(request.POST.get("number", "")) - 1
        if not 0 <= index < len(attempt.questions):
            messages.error(request, "That question is not in this exam.")
            return redirect(_back(request, fallback))
        data = attempt.questions[index]
        card = Card.objects.filter(pk=data.get("card_id") or 0).first()
        values |= {
            "deck": attempt.deck,
            "card": card,
            "question_key": data.get("key", ""),
            "stem": data.get("stem", ""),
            "source_url": data.get("source_url", ""),
        }
    ProblemReport.objects.create(user=request.user, **values)
    messages.success(request, "Thank you: the instructors will look at it.")
    return redirect(_back(request, fallback))


def _number(text: str) -> int:
    return int(text) if str(text).isdigit() and len(str(text)) < 12 else 0


@login_required
@instructor_required
def deck_questions(request, deck_slug):
    """Item analysis, open reports and the questions left out of exams, for one deck."""
    deck = get_object_or_404(Deck, slug=deck_slug, removed_at__isnull=True)
    items = analysis.deck_items(deck)
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    suppressed = {s.key: s for s in SuppressedQuestion.objects.filter(deck=deck)}
    reports = ProblemReport.objects.filter(deck=deck, status=ProblemReport.Status.OPEN)
    left_out = [
        {"note": note, "line": warning["line"], "rules": warning["message"][len(LEFT_OUT) :]}
        for note in Note.objects.filter(deck=deck, removed_at__isnull=True).only(
            "pk", "title", "slug", "warnings", "deck_id"
        )
        for warning in note.warnings
        if warning["message"].startswith(LEFT_OUT)
    ]
    unusable = [
        {"card": card, "rules": problems}
        for card, _draft, problems in generate.first_drafts(exams.deck_cards(deck))
        if problems
    ]
    return render(
        request,
        "quiz/deck_questions.html",
        {
            "deck": deck,
            "page": page,
            "items": page.object_list,
            "reports": reports.select_related("card__note")[:100],
            "suppressed": suppressed,
            "left_out": left_out,
            "unusable": unusable,
            "min_responses": analysis.MIN_RESPONSES,
            "cards": analysis.card_items(items)[:200],
        },
    )


@login_required
@instructor_required
@require_POST
def question_suppress(request, deck_slug):
    """Take a question out of exams (or put it back): kept by its key, across re-imports."""
    deck = get_object_or_404(Deck, slug=deck_slug, removed_at__isnull=True)
    key = request.POST.get("key", "").strip()[:120]
    back = _back(request, reverse("deck_questions", args=[deck.slug]))
    if not key:
        messages.error(request, "No question given.")
        return redirect(back)
    if request.POST.get("suppressed") == "0":
        SuppressedQuestion.objects.filter(deck=deck, key=key).delete()
        messages.success(request, "That question is back in exams.")
        return redirect(back)
    try:
        with transaction.atomic():
            SuppressedQuestion.objects.create(
                deck=deck, key=key, stem=request.POST.get("stem", "")[:2000],
                created_by=request.user,
            )  # fmt: skip
    except IntegrityError:
        pass  # suppressed already: a second click changes nothing
    messages.success(request, "Suppressed: exams no longer ask that question.")
    return redirect(back)


@login_required
@instructor_required
@require_POST
def report_handle(request, report_id):
    problem = get_object_or_404(ProblemReport, pk=report_id)
    action = request.POST.get("action")
    back = _back(request, reverse("deck_questions", args=[problem.deck.slug]))
    statuses = {"dismiss": ProblemReport.Status.DISMISSED, "fixed": ProblemReport.Status.FIXED,
                "suppress": ProblemReport.Status.SUPPRESSED}  # fmt: skip
    if action not in statuses:
        messages.error(request, "Choose dismiss, fixed or suppress.")
        return redirect(back)
    if action == "suppress":
        if not problem.question_key:
            messages.error(request, "A card is no exam question: edit its note or suppress it.")
            return redirect(back)
        SuppressedQuestion.objects.get_or_create(
            deck=problem.deck, key=problem.question_key,
            defaults={"stem": problem.stem, "created_by": request.user},
        )  # fmt: skip
    problem.status = statuses[action]
    problem.handled_by, problem.handled_at = request.user, timezone.now()
    problem.save(update_fields=["status", "handled_by", "handled_at"])
    messages.success(request, f"Report {problem.get_status_display().lower()}.")
    return redirect(back)
