"""The one place a view decides between its whole page and the part htmx swaps in."""

from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers


def wants_partial(request) -> bool:
    """An htmx request that swaps part of the page; not a history restore (the Back button
    after htmx's history cache missed), which needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def page_or_partial(
    request, template: str, partial: str, context: dict, *, status: int = 200
) -> TemplateResponse:
    """`template`, or only its `{% partialdef partial %}` for an htmx swap. The answer varies on
    the htmx headers, so no cache hands a fragment to a full page load or the other way round."""
    name = f"{template}#{partial}" if wants_partial(request) else template
    response = TemplateResponse(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response
