"""Liveness for load balancers and the load test: /healthz checks the database, /ping does nothing.

Neither view needs a login or a session, and neither may write anything.
"""

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """200 when the default database answers `SELECT 1`; 503 naming the error class otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def ping(request):
    """The cheapest Django response there is: the load test's baseline for the study page."""
    return HttpResponse("pong", content_type="text/plain")
