"""Statistics: reviews heatmap, retention, forecast, card states, weakest topics."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cards.study.queue import settings_for
from cards.study.stats import user_stats


@login_required
def stats_page(request):
    context = {"stats": user_stats(request.user), "prefs": settings_for(request.user)}
    return render(request, "stats/stats.html", context)
