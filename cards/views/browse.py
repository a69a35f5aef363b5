"""Search and the card browser: one box over notes and cards in Anki's query language
(study/query.py), results a page at a time, and bulk suspend, unsuspend, bury and forget."""

from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from cards.study import grading, query, search
from cards.study.scheduling import State, format_interval
from cards.views.htmx import page_or_partial

PER_PAGE = 50
ACTIONS = {
    "suspend": "Suspended",
    "unsuspend": "Unsuspended",
    "bury": "Buried until tomorrow:",
    "forget": "Made new again (their review history is kept):",
}


class CardIdsField(forms.Field):
    """Ticked card ids, as many checkboxes named "cards" send them."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return sorted({int(item) for item in value or []})
        except (TypeError, ValueError):
            raise ValidationError("Those are not cards.") from None


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS])
    scope = forms.ChoiceField(
        choices=[("selected", "Ticked cards"), ("all", "Every card matching the search")],
        initial="selected",
    )
    cards = CardIdsField(required=False)
    q = forms.CharField(required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("scope") == "selected" and not data.get("cards"):
            raise ValidationError("Tick the cards first, or choose every card matching the search.")
        return data


def _query_string(**values) -> str:
    return urlencode({name: value for name, value in values.items() if value})


@login_required
def browse(request):
    if request.method == "POST":
        return _bulk(request)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    text = request.GET.get("q", "").strip()[:500]
    sort = request.GET.get("sort", "")
    sort = sort if sort in search.SORTS else ""
    parsed = query.parse(text)
    page = notes = None
    if not parsed.errors:
        cards = search.search_cards(request.user, parsed, now=timezone.now(), sort=sort)
        page = Paginator(cards, PER_PAGE).get_page(request.GET.get("page"))
        for card in page:
            card.due_label, card.interval_label = _due_and_interval(card)
        if page.number == 1:
            notes = search.search_notes(request.user, parsed)
    context = {
        "q": text,
        "sort": sort,
        "errors": parsed.errors,
        "page": page,
        "notes": notes,
        "bulk": BulkForm(initial={"q": text}),
        "here": _query_string(q=text, sort=sort, page=page.number if page else None),
        "sort_links": {name: _query_string(q=text, sort=name) for name in search.SORTS},
        "page_links": _page_links(page, text, sort),
    }
    return page_or_partial(request, "browse/browse.html", "results", context)


def _due_and_interval(card) -> tuple[str, str]:
    if card.my_state == State.NEW:
        return "New", "—"
    due = timezone.localtime(card.my_due).date().isoformat() if card.my_due else "—"
    interval = "—"
    if card.my_interval is not None:
        interval = format_interval(timedelta(days=max(card.my_interval, 0)))
    return due, interval


def _page_links(page, text, sort) -> dict:
    if page is None:
        return {}
    links = {}
    if page.has_previous():
        links["previous"] = _query_string(q=text, sort=sort, page=page.previous_page_number())
    if page.has_next():
        links["next"] = _query_string(q=text, sort=sort, page=page.next_page_number())
    return links


def _bulk(request):
    form = BulkForm(request.POST)
    back = reverse("browse")
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("__all__", ["Choose what to do."])))
        return redirect(f"{back}?{request.POST.get('here', '')}")
    data = form.cleaned_data
    card_ids = data["cards"]
    if data["scope"] == "all":
        parsed = query.parse(data["q"])
        if parsed.errors:
            messages.error(request, "Fix the search before acting on every card it matches.")
            return redirect(f"{back}?{_query_string(q=data['q'])}")
        found = search.search_cards(request.user, parsed, now=timezone.now())
        card_ids = list(found.values_list("pk", flat=True))
    else:  # only cards this user may see, whatever ids were posted
        card_ids = list(
            search.visible_cards(request.user).filter(pk__in=card_ids).values_list("pk", flat=True)
        )
    action = data["action"]
    if action in ("suspend", "unsuspend"):
        count = grading.suspend_cards(request.user, card_ids, action == "suspend")
    elif action == "bury":
        count = grading.bury_cards(request.user, card_ids)
    else:
        count = grading.forget_cards(request.user, card_ids)
    messages.success(request, f"{ACTIONS[action]} {count} card{'s' if count != 1 else ''}.")
    return redirect(f"{back}?{request.POST.get('here', '')}")
