"""Exam practice: start a practice session or a timed exam, answer, review, submit, results."""

import re
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cards.content.markdown import render_fragment
from cards.models import Attempt, Deck
from cards.quiz import exams, scoring
from cards.quiz.drafts import safe_url

SEED = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class StartForm(forms.Form):
    deck = forms.ModelChoiceField(
        queryset=Deck.objects.filter(removed_at__isnull=True).order_by("title"),
        to_field_name="slug",
    )
    mode = forms.ChoiceField(choices=Attempt.Mode.choices, initial=Attempt.Mode.EXAM)
    preset = forms.ChoiceField(
        choices=[("quick", "Quick 10"), ("full", "Full exam: 65 in 130 min"), ("custom", "Custom")],
        initial="quick",
        required=False,
    )
    count = forms.IntegerField(min_value=1, max_value=100, initial=20, label="Questions")
    minutes = forms.IntegerField(
        min_value=1, max_value=300, initial=40, label="Time limit (minutes)"
    )
    topics = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    seed = forms.CharField(
        required=False,
        max_length=40,
        label="Exam code",
        help_text="Leave empty for a new exam; enter a code someone shared to take the same one.",
    )
    token = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(t, t) for t in topics]

    def clean_seed(self):
        seed = self.cleaned_data["seed"].strip()
        if seed and not SEED.match(seed):
            raise forms.ValidationError("Use letters, digits, - or _ (up to 40).")
        return seed

    def clean_token(self):
        token = self.cleaned_data["token"]
        if token and not SEED.match(token):
            raise forms.ValidationError("The form's token is not one this site made.")
        return token

    def clean(self):
        data = super().clean()
        preset = exams.PRESETS.get(data.get("preset") or "")
        if preset and data.get("mode") == Attempt.Mode.EXAM:
            data["count"], data["minutes"], data["title"] = (
                preset["count"],
                preset["minutes"],
                preset["title"],
            )
        return data


def _own_attempt(request, attempt_id) -> Attempt:
    """Another user's attempt is a 404: its existence is not confirmed."""
    return get_object_or_404(
        Attempt.objects.select_related("deck"), pk=attempt_id, user=request.user
    )


def _sparkline(percents: list[float]) -> dict | None:
    if len(percents) < 2:
        return None
    width, height = 240, 48
    step = width / (len(percents) - 1)
    points = " ".join(
        f"{i * step:.1f},{height - p / 100 * height:.1f}" for i, p in enumerate(percents)
    )
    pass_y = height - scoring.PASS_MARK / 100 * height
    return {"points": points, "width": width, "height": height, "pass_y": f"{pass_y:.1f}"}


@login_required
def home(request):
    decks = list(Deck.objects.filter(removed_at__isnull=True).order_by("title"))
    deck = next(
        (d for d in decks if d.slug == request.GET.get("deck")), decks[0] if decks else None
    )
    topics = exams.topics_of(deck) if deck else []
    initial = {"deck": deck.slug if deck else None, "seed": request.GET.get("seed", "")}
    form = StartForm(initial=initial, topics=topics)
    # One token per start form: submitting a form twice starts one exam (see start).
    tokens = {name: secrets.token_urlsafe(16) for name in ("quick", "full", "practice", "custom")}
    attempts = list(
        Attempt.objects.filter(user=request.user)
        .select_related("deck")
        .order_by("-started_at")[:50]
    )
    open_attempts = [a for a in attempts if exams.is_open(a)]
    finished = [a for a in attempts if a.submitted_at is not None]
    trend = _sparkline([a.percent for a in reversed(finished[:20])])
    domain_trend = exams.domain_history(finished[:10])
    return render(
        request,
        "quiz/home.html",
        {
            "decks": decks,
            "deck": deck,
            "form": form,
            "open_attempts": open_attempts,
            "finished": finished,
            "trend": trend,
            "domain_trend": domain_trend,
            "pass_mark": scoring.PASS_MARK,
            "tokens": tokens,
        },
    )


@login_required
@require_POST
def start(request):
    deck = Deck.objects.filter(slug=request.POST.get("deck"), removed_at__isnull=True).first()
    # The deck's topics are only needed to check topics asked for (most starts ask for none).
    asked = deck and request.POST.getlist("topics")
    form = StartForm(request.POST, topics=exams.topics_of(deck) if asked else [])
    if not form.is_valid():
        messages.error(request, "The exam could not start: " + _errors(form))
        return redirect(reverse("quiz_home") + (f"?deck={deck.slug}" if deck else ""))
    data = form.cleaned_data
    practice = data["mode"] == Attempt.Mode.PRACTICE
    attempt = _start_once(
        request.user,
        data["token"],
        deck=data["deck"],
        mode=data["mode"],
        count=exams.PRACTICE_SIZE if practice and data.get("preset") != "custom" else data["count"],
        minutes=data["minutes"],
        seed=data["seed"],
        topics=data["topics"],
        title=data.get("title") or ("Practice" if practice else "Custom exam"),
    )
    if attempt is None:
        messages.error(request, "That deck has no cards to make questions from yet.")
        return redirect("quiz_home")
    asked = exams.PRACTICE_SIZE if practice and data.get("preset") != "custom" else data["count"]
    if len(attempt.questions) < asked:
        messages.info(
            request,
            f"This deck can make {len(attempt.questions)} questions without asking a fact twice, "
            f"so this exam has {len(attempt.questions)} rather than {asked}.",
        )
    return redirect("quiz_question", attempt.pk, 1)


def _start_once(user, token: str, *, deck, **options) -> Attempt | None:
    """exams.start, once per start form: a second submit of the form (its token) finds the
    attempt the first one started. None when the deck has nothing to ask."""
    started = _started_by(user, token)
    if started is not None:
        return started
    try:
        with transaction.atomic():
            attempt = exams.start(user, deck, **options)
            if not attempt.questions:
                attempt.delete()
                return None
            if token:
                Attempt.objects.filter(pk=attempt.pk).update(start_token=token)
            return attempt
    except IntegrityError:
        return _started_by(user, token)  # the other submit of the same form came first


def _started_by(user, token: str) -> Attempt | None:
    if not token:
        return None
    return Attempt.objects.filter(user=user, start_token=token).first()


def _errors(form) -> str:
    return "; ".join(
        f"{form.fields[k].label or k if k in form.fields else ''}: {' '.join(v)}".lstrip(": ")
        for k, v in form.errors.items()
    )


def _question_context(attempt, number, answers):
    index = number - 1
    data = attempt.questions[index]
    question = exams.draft_from_dict(data)
    answer = answers.get(index)
    given = answer.given if answer else []
    options = [
        {
            "index": str(i),
            "html": render_fragment(option.text),
            "checked": str(i) in given,
            "correct": option.correct,
        }
        for i, option in enumerate(question.options)
    ]
    return {
        "question": question,
        "stem_html": render_fragment(question.stem),
        "explanation_html": explanation_html(question.explanation),
        "source_url": safe_url(question.source_url),
        "options": options,
        "answer": answer,
        "typed": given[0] if question.kind == "numeric" and given else "",
        "input_type": "checkbox" if question.kind == "multiple" else "radio",
        "number": number,
        "index": index,
    }


@login_required
def question(request, attempt_id, number):
    attempt = _own_attempt(request, attempt_id)
    total = len(attempt.questions)
    if not 1 <= number <= total:
        raise Http404("No such question")
    if request.method == "POST":
        if not exams.is_open(attempt):
            exams.expire_if_due(attempt)
            return redirect("quiz_results", attempt.pk)
        return _answer(request, attempt, number, total)
    if not exams.is_open(attempt):
        return redirect("quiz_results", attempt.pk)

    answers = exams.answers_by_index(attempt)
    context = _question_context(attempt, number, answers)
    context.update(
        {
            "attempt": attempt,
            "total": total,
            "answered": sum(1 for a in answers.values() if a.given),
            "dots": [
                {
                    "number": position,
                    "answered": bool(answers.get(position - 1) and answers[position - 1].given),
                    "flagged": bool(answers.get(position - 1) and answers[position - 1].flagged),
                }
                for position in range(1, total + 1)
            ],
            "show_feedback": attempt.mode == Attempt.Mode.PRACTICE
            and context["answer"] is not None
            and context["answer"].correct is not None,
        }
    )
    return render(request, "quiz/question.html", context)


def _given(request, question) -> list[str]:
    if question.kind == "numeric":
        typed = request.POST.get("typed", "").strip()[:200]
        return [typed] if typed else []
    valid = {str(i) for i in range(len(question.options))}
    return sorted({value for value in request.POST.getlist("choice") if value in valid})


def _answer(request, attempt, number, total):
    index = number - 1
    question = exams.draft_from_dict(attempt.questions[index])
    action = request.POST.get("action", "next")
    given = _given(request, question)
    current = exams.answers_by_index(attempt).get(index)
    flag = not (current.flagged if current else False) if action == "flag" else None
    keep = given if (given or action != "flag") else None
    if (
        attempt.mode == Attempt.Mode.PRACTICE
        and current is not None
        and current.correct is not None
    ):
        keep = None  # a checked practice answer stays as checked: Next, Previous, Finish keep it
    try:
        exams.save_answer(attempt, index, keep, flag=flag)
    except exams.Closed:
        exams.expire_if_due(attempt)
        messages.error(
            request, "Time is up: that answer arrived after the deadline and was not counted."
        )
        return redirect("quiz_results", attempt.pk)
    if action == "previous" and number > 1:
        return redirect("quiz_question", attempt.pk, number - 1)
    if action in ("flag", "check"):
        return redirect("quiz_question", attempt.pk, number)
    if action == "review" or number == total:
        if attempt.mode == Attempt.Mode.PRACTICE and number == total and action != "review":
            exams.submit(attempt)
            return redirect("quiz_results", attempt.pk)
        return redirect("quiz_review", attempt.pk)
    return redirect("quiz_question", attempt.pk, number + 1)


@login_required
def review(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if not exams.is_open(attempt):
        return redirect("quiz_results", attempt.pk)
    answers = exams.answers_by_index(attempt)
    rows = []
    for index, data in enumerate(attempt.questions):
        answer = answers.get(index)
        rows.append(
            {
                "number": index + 1,
                "stem_html": render_fragment(data["stem"]),
                "answered": bool(answer and answer.given),
                "flagged": bool(answer and answer.flagged),
            }
        )
    return render(
        request,
        "quiz/review.html",
        {
            "attempt": attempt,
            "rows": rows,
            "unanswered": [r for r in rows if not r["answered"]],
            "flagged": [r for r in rows if r["flagged"]],
        },
    )


@login_required
@require_POST
def submit(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    late = attempt.deadline is not None and timezone.now() >= attempt.deadline
    exams.submit(attempt, auto=late)
    if late:
        messages.warning(
            request, "Time was up: the exam was scored with the answers saved in time."
        )
    return redirect("quiz_results", attempt.pk)


@login_required
def results(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.submitted_at is None:
        if exams.is_open(attempt):
            return redirect("quiz_question", attempt.pk, 1)
        # The deadline passed while nobody was on the page: one click scores it (a GET never
        # writes, so the exam is submitted by that POST, not by reading this page).
        answered = sum(1 for answer in attempt.answers.all() if answer.given)
        return render(request, "quiz/time_up.html", {"attempt": attempt, "answered": answered})
    answers = exams.answers_by_index(attempt)
    items = []
    for index, data in enumerate(attempt.questions):
        question = exams.draft_from_dict(data)
        answer = answers.get(index)
        given = answer.given if answer else []
        items.append(
            {
                "number": index + 1,
                "question": question,
                "stem_html": render_fragment(question.stem),
                "correct": bool(answer and answer.correct),
                "explanation_html": explanation_html(question.explanation),
                "source_url": safe_url(question.source_url),
                "given_text": _describe(question, given),
                "right_text": _describe(
                    question,
                    [question.answer]
                    if question.kind == "numeric"
                    else [str(i) for i, o in enumerate(question.options) if o.correct],
                ),
            }
        )
    return render(
        request,
        "quiz/results.html",
        {
            "attempt": attempt,
            "items": items,
            "topics": exams.topic_table(attempt),
            "domains": exams.domain_table(attempt),
            "pass_mark": scoring.PASS_MARK,
            "wrong": sum(1 for item in items if not item["correct"]),
        },
    )


def explanation_html(text: str) -> str:
    """Explanations are Markdown-lite; their line breaks (calculation breakdowns) are kept."""
    return render_fragment("  \n".join(text.splitlines())) if text else ""


def _describe(question, given: list[str]) -> str:
    if not given:
        return "(no answer)"
    if question.kind == "numeric":
        return given[0]
    texts = []
    for value in given:
        if value.isdigit() and int(value) < len(question.options):
            texts.append(question.options[int(value)].text)
    return "; ".join(texts) or "(no answer)"


@login_required
@require_POST
def retake(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.submitted_at is None:
        return redirect("quiz_question", attempt.pk, 1)
    wrong = exams.wrong_questions(attempt)
    if not wrong:
        messages.info(request, "Nothing to retake: every answer was right.")
        return redirect("quiz_results", attempt.pk)
    minutes = max(1, round(attempt.time_limit_s / 60 * len(wrong) / len(attempt.questions)))
    with transaction.atomic():
        # The attempt is locked, so a double submit waits here and then finds the retake the
        # first one made (as a grade names the version it answers).
        Attempt.objects.select_for_update().only("pk").get(pk=attempt.pk)
        again = next(
            (
                a
                for a in Attempt.objects.filter(retake_of=attempt, user=request.user)
                if exams.is_open(a)
            ),
            None,
        )
        if again is None:
            again = exams.start(
                request.user,
                attempt.deck,
                mode=attempt.mode,
                count=len(wrong),
                minutes=minutes,
                seed=attempt.seed,
                title=f"Retake: {attempt.title}",
                questions=wrong,
                retake_of=attempt,
            )
    return redirect("quiz_question", again.pk, 1)
