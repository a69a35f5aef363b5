"""The signed-in home page and the study settings page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from cards.models import Deck, ReviewLog, StudySettings, time_zone_names
from cards.study import queue, scheduling, stats
from cards.study.days import day_start


@login_required
def dashboard(request):
    now = timezone.now()
    decks = list(Deck.objects.filter(removed_at__isnull=True).order_by("title"))
    counts = queue.deck_counts(request.user, [deck.pk for deck in decks], now=now)
    decks = [{"deck": deck, "counts": counts[deck.pk]} for deck in decks]
    start = day_start(now, queue.settings_for(request.user))
    reviews_today = ReviewLog.objects.filter(user=request.user, reviewed_at__gte=start).count()
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "decks": decks,
            "reviews_today": reviews_today,
            "streak": stats.streak(request.user, now=now),
        },
    )


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
    return render(request, "dashboard/study_settings.html", {"form": form})
