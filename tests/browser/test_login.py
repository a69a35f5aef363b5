from tests.browser.conftest import log_in
from tests.conftest import PASSWORD


def test_student_logs_in_through_the_form_and_sees_the_dashboard(page, alice):
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    assert page.get_by_text("Welcome back, alice").is_visible()


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(page, alice):
    log_in(page, "alice", "not-the-password")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "correct username and password" in alert.inner_text()
    assert page.url.endswith("/accounts/login/")


def test_pages_make_no_request_outside_the_app(page, live_server, alice):
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.wait_for_load_state("networkidle")
    assert outside == [], f"requests left the app: {outside}"
