"""Optimise my parameters on the study settings page: offered with enough reviews, fitted
outside the request, before and after shown, kept only when better, back to the defaults."""

import pytest
from django.core.management import call_command

from bench.history import generate_history, save_history
from cards.models import ParameterFit, StudySettings
from cards.study import fitting, parameters, queue, scheduling

SETTINGS = "/settings/study/"


@pytest.fixture
def history(alice):
    save_history(alice, generate_history(2500))


def test_the_button_waits_for_enough_reviews(alice_client, alice):
    save_history(alice, generate_history(200))
    page = alice_client.get(SETTINGS).content.decode()
    assert "Optimise my parameters" not in page
    assert "Optimising needs 400 reviews of cards in review, as in Anki" in page
    response = alice_client.post("/settings/study/parameters/", {"action": "optimise"}, follow=True)
    assert "study more first" in response.content.decode()
    assert not ParameterFit.objects.exists()


def test_optimising_fits_outside_the_request_and_shows_before_and_after(
    alice_client, alice, history, django_capture_on_commit_callbacks, monkeypatch
):
    started = []
    monkeypatch.setattr(parameters, "_start_thread", started.append)
    page = alice_client.get(SETTINGS).content.decode()
    assert "FSRS's <strong>default parameters</strong>" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post("/settings/study/parameters/", {"action": "optimise"})
    assert response.url == "/settings/study/#parameters"
    fit = ParameterFit.objects.get()
    assert started == [fit.pk], "the request only queued the fit"
    waiting = alice_client.get(SETTINGS).content.decode()
    assert "Waiting to start" in waiting and 'hx-trigger="every 1s"' in waiting

    parameters.run_fit(fit.pk)
    fit.refresh_from_db()
    assert fit.status == "done" and fit.applied
    assert fit.log_loss_after < fit.log_loss_before and fit.rmse_after < fit.rmse_before
    page = alice_client.get(SETTINGS).content.decode()
    assert "fitted to <strong>your own reviews</strong>" in page
    assert f"{fit.log_loss_before:.4f}" in page and f"{fit.log_loss_after:.4f}" in page
    assert "Fitted (now in use)" in page


def test_the_polled_status_is_a_partial_that_stops_polling_when_done(alice_client, alice, history):
    fit = parameters.request_fit(alice, start=False)
    url = f"/settings/study/parameters/{fit.pk}/"
    running = alice_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert running.lstrip().startswith('<div id="fit-status"') and "every 1s" in running
    parameters.run_fit(fit.pk)
    done = alice_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in done and "Log loss" in done
    assert alice_client.get(url).url == "/settings/study/#parameters", "no JS: the whole page"


def test_another_students_fit_is_not_found(alice, bob, client, history):
    fit = parameters.request_fit(alice, start=False)
    client.force_login(bob)
    assert client.get(f"/settings/study/parameters/{fit.pk}/").status_code == 404


def test_scheduling_uses_the_fitted_parameters_until_reset(alice_client, alice, history):
    memory = scheduling.Memory()
    now = scheduling.datetime(2026, 1, 1, tzinfo=scheduling.UTC)

    def intervals():
        alice._study_settings = None  # settings_for caches them per request
        prefs = queue.settings_for(alice)
        return scheduling.preview(
            memory, now=now, card_id=1, settings=queue.scheduler_settings(prefs)
        )

    default = intervals()
    parameters.run_fit(parameters.request_fit(alice, start=False).pk)
    own = StudySettings.objects.get(user=alice).fsrs_parameters
    assert len(own) == len(fitting.DEFAULT_PARAMETERS)
    assert intervals() != default, "a first review follows the student's own parameters"
    alice_client.post("/settings/study/parameters/", {"action": "reset"})
    assert StudySettings.objects.get(user=alice).fsrs_parameters == []
    assert intervals() == default


def test_the_command_fits_one_user(alice, history, capsys):
    call_command("optimise_parameters", "--user", "alice")
    out = capsys.readouterr().out
    assert out.startswith("alice: Done. log loss ") and "scheduling uses them" in out


def test_a_fit_lost_with_its_server_can_be_asked_for_again(alice, history):
    from datetime import timedelta

    from django.utils import timezone

    fit = parameters.request_fit(alice, start=False)
    ParameterFit.objects.filter(pk=fit.pk).update(
        status="running", created_at=timezone.now() - timedelta(hours=1)
    )
    assert parameters.latest_fit(alice).status == "failed"
    assert parameters.request_fit(alice, start=False).pk != fit.pk
