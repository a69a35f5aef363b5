"""Statistics: reviews heatmap, retention, forecast, card states, weakest topics."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cards.stats import user_stats


@login_required
def stats_page(request):
    return render(request, "stats/stats.html", {"stats": user_stats(request.user)})
