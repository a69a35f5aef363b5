"""Optimise my parameters in the browser: the fit runs in the background while the settings
page polls, then shows log loss and RMSE before and after."""

from bench.history import generate_history, save_history
from cards.models import StudySettings
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD


def test_optimise_my_parameters_and_go_back_to_the_defaults(page, alice):
    save_history(alice, generate_history(2500))
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/settings/study/")
    page.get_by_role("button", name="Optimise my parameters").click()
    page.get_by_text("Fitted (now in use)").wait_for()
    table = page.locator(".fit-table")
    assert table.get_by_role("columnheader").all_inner_texts() == ["Parameters", "Log loss", "RMSE"]
    assert len(StudySettings.objects.get(user=alice).fsrs_parameters) == 21
    page.get_by_role("button", name="Use the default parameters").click()
    page.get_by_text("Scheduling uses FSRS's default parameters again.").wait_for()
    assert StudySettings.objects.get(user=alice).fsrs_parameters == []
