from django.urls import path

from cards.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
]
