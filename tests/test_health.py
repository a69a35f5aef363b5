"""/healthz/ and /ping/: what a load balancer and the load test see, with no login."""

from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_says_ok_in_json_without_a_login(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    response = client.get("/healthz/")
    assert "no-cache" in response["Cache-Control"], "a proxy must not answer for a dead app"


def test_healthz_answers_503_naming_the_error_when_the_database_fails(client):
    failing = mock.patch("django.db.connection.cursor", side_effect=OperationalError("no disk"))
    with failing:
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "OperationalError"}


@pytest.mark.django_db
def test_healthz_refuses_a_post(client):
    assert client.post("/healthz/").status_code == 405


def test_ping_answers_pong_as_plain_text_without_a_login_or_the_database(client):
    response = client.get("/ping/")
    assert response.status_code == 200, "a visitor is not sent to log in"
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"pong"
