from functools import cache

from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject

from cards.roles import is_instructor

# Which main navigation item a page belongs to, by its URL name: exactly one is current.
_SECTIONS = {
    "dashboard": "dashboard",
    "study_settings": "dashboard",
    "parameters": "dashboard",
    "parameter_fit": "dashboard",
    "exam_date": "dashboard",
    "browse": "browse",
    "browse_bulk": "browse",
    "study": "study",
    "study_deck": "study",
    "study_note": "study",
    "custom_study": "study",
    "custom_session": "study",
    "leeches": "study",
    "stats": "stats",
    "pricing_calculator": "calculators",
    "limits_calculator": "calculators",
}
_PREFIXES = (("quiz_", "exams"), ("deck", "decks"), ("note", "decks"), ("card_", "decks"))


def nav_section(url_name: str | None) -> str:
    if not url_name:
        return ""
    if url_name in _SECTIONS:
        return _SECTIONS[url_name]
    for prefix, section in _PREFIXES:
        if url_name.startswith(prefix):
            return section
    return ""


def roles(request):
    match = getattr(request, "resolver_match", None)
    return {
        "is_instructor": SimpleLazyObject(lambda: is_instructor(request.user)),
        "nav_section": nav_section(match.url_name if match else None),
    }


# What every page's frame (base.html) links to. Reversed once per process (and URL prefix):
# thirteen {% url %} and four {% static %} tags were a tenth of the review screen's time.
_SITE_URLS = ("dashboard", "deck_list", "study", "browse", "quiz_home", "pricing_calculator",
              "stats", "password_change", "my_data", "logout", "login", "signup")  # fmt: skip
_SITE_ASSETS = {"icon": "img/icon.svg", "css": "css/app.css", "js": "js/app.js"}


@cache
def _site_links(prefix: str) -> dict[str, str]:
    links = {name: reverse(name) for name in _SITE_URLS}
    links.update({name: static(path) for name, path in _SITE_ASSETS.items()})
    return links


def site(request):
    return {"site": _site_links(get_script_prefix())}
