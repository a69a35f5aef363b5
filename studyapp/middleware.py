"""Every page: a Content-Security-Policy with no inline scripts, and times on the user's clock."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from cards.study.queue import settings_for

# Everything is served by the app itself (DESIGN: no network at run time), so 'self' is enough;
# no 'unsafe-inline' for scripts or styles: a note that slipped past the sanitiser still cannot
# run a script or restyle the page.
DEFAULT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        # Views that serve user files set a stricter policy of their own; keep it.
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class UserTimeZoneMiddleware:
    """Show dates and times in the time zone the user studies in (their study settings)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            timezone.activate(ZoneInfo(settings_for(request.user).time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
