"""Statistics: reviews heatmap, retention, forecast, card states, weakest topics."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cards.stats import user_stats
from cards.study import settings_for


@login_required
def stats_page(request):
    context = {"stats": user_stats(request.user), "prefs": settings_for(request.user)}
    return render(request, "stats/stats.html", context)
