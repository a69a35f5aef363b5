"""The signed-in home page and the study settings page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cards.models import Deck, ParameterFit, ReviewLog, StudySettings, time_zone_names
from cards.study import fitting, parameters, queue, readiness, scheduling, stats
from cards.study.days import day_start
from cards.views.htmx import page_or_partial, wants_partial


@login_required
def dashboard(request):
    now = timezone.now()
    decks = list(Deck.objects.filter(removed_at__isnull=True).order_by("title"))
    counts = queue.deck_counts(request.user, [deck.pk for deck in decks], now=now)
    decks = [{"deck": deck, "counts": counts[deck.pk]} for deck in decks]
    start = day_start(now, queue.settings_for(request.user))
    reviews_today = ReviewLog.objects.filter(user=request.user, reviewed_at__gte=start).count()
    prefs = queue.settings_for(request.user)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "decks": decks,
            "reviews_today": reviews_today,
            "streak": stats.streak(request.user, now=now),
            "readiness": readiness.readiness(request.user, now=now),
            "exam_form": ExamDateForm(instance=prefs),
            "min_studied": readiness.MIN_STUDIED,
            "quiz_days": readiness.QUIZ_DAYS,
        },
    )


class ExamDateForm(forms.ModelForm):
    class Meta:
        model = StudySettings
        fields = ["exam_date"]
        widgets = {"exam_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_exam_date(self):
        day = self.cleaned_data["exam_date"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("The exam date must be today or later.")
        return day


@require_POST
@login_required
def exam_date(request):
    """Set (or clear) the exam date the dashboard predicts readiness for."""
    prefs = StudySettings.objects.filter(user=request.user).first() or StudySettings(
        user=request.user
    )
    form = ExamDateForm(request.POST, instance=prefs)
    if form.is_valid():
        form.save()
        if form.cleaned_data["exam_date"]:
            messages.success(request, "Exam date saved: readiness is predicted for that day.")
        else:
            messages.success(request, "Exam date cleared.")
    else:
        messages.error(request, " ".join(form.errors.get("exam_date", ["Give a date."])))
    return redirect(reverse("dashboard") + "#readiness")


class StudySettingsForm(forms.ModelForm):
    class Meta:
        model = StudySettings
        fields = [
            "desired_retention",
            "new_per_day",
            "reviews_per_day",
            "learning_steps",
            "relearning_steps",
            "maximum_interval",
            "leech_threshold",
            "suspend_leeches",
            "requeue_missed",
            "time_zone",
            "day_starts_at",
        ]
        widgets = {
            "desired_retention": forms.NumberInput(
                attrs={"step": "0.01", "min": "0.70", "max": "0.99"}
            ),
            "day_starts_at": forms.Select(choices=[(hour, f"{hour:02}:00") for hour in range(24)]),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget = forms.Select(
            choices=[(name, name.replace("_", " ")) for name in sorted(time_zone_names())],
            attrs={"data-browser-zone": ""},
        )

    def _steps(self, name):
        try:
            steps = scheduling.parse_steps(self.cleaned_data[name])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if name == "learning_steps" and not steps:
            raise forms.ValidationError("Give at least one learning step, e.g. “1m 10m”.")
        return scheduling.format_steps(steps)

    def clean_learning_steps(self):
        return self._steps("learning_steps")

    def clean_relearning_steps(self):
        return self._steps("relearning_steps")


@login_required
def study_settings(request):
    current = queue.settings_for(request.user)
    form = StudySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Study settings saved.")
        return redirect("study_settings")
    context = {"form": form, **_parameters_context(request.user, current)}
    return render(request, "dashboard/study_settings.html", context)


def _parameters_context(user, prefs: StudySettings, fit=None) -> dict:
    return {
        "own_parameters": bool(prefs.fsrs_parameters),
        "parameters": prefs.fsrs_parameters or fitting.DEFAULT_PARAMETERS,
        "fit": fit or parameters.latest_fit(user),
        "reviews_that_count": parameters.reviews_that_count(user),
        "min_reviews": fitting.MIN_ITEMS,
    }


class ParametersForm(forms.Form):
    action = forms.ChoiceField(choices=[("optimise", "Optimise"), ("reset", "Reset")])


@require_POST
@login_required
def parameters_action(request):
    """Optimise my parameters (queued, fitted outside this request) or go back to defaults."""
    form = ParametersForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Optimise my parameters or Use the default parameters.")
    elif form.cleaned_data["action"] == "reset":
        parameters.reset_parameters(request.user)
        messages.success(request, "Scheduling uses FSRS's default parameters again.")
    elif not parameters.can_optimise(request.user):
        messages.error(
            request,
            f"Optimising needs {fitting.MIN_ITEMS} reviews of cards in review; study more first.",
        )
    else:
        parameters.request_fit(request.user)
        messages.info(request, "Fitting your parameters: the result shows below when it is ready.")
    return redirect(reverse("study_settings") + "#parameters")


@login_required
def parameter_fit(request, fit_id):
    """A fit's progress or result: the part of the settings page htmx polls."""
    fit = get_object_or_404(ParameterFit, pk=fit_id, user=request.user)
    if not wants_partial(request):
        return redirect(reverse("study_settings") + "#parameters")
    prefs = StudySettings.objects.filter(user=request.user).first() or StudySettings()
    context = _parameters_context(request.user, prefs, fit)
    return page_or_partial(request, "dashboard/study_settings.html", "fit-status", context)
