from django.urls import path

from cards.views import health

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    path("ping/", health.ping, name="ping"),
]
