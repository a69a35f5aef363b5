from django.contrib.auth.models import Group, User
from django.urls import reverse

from tests.conftest import PASSWORD


def test_instructors_group_exists_after_migrations(db):
    assert Group.objects.filter(name="Instructors").exists()


def test_visitor_is_sent_to_log_in_from_the_dashboard(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=/")


def test_login_form_has_labelled_username_and_password(client, db):
    response = client.get(reverse("login"))
    assert b'<label for="id_username">Username</label>' in response.content
    assert b'<label for="id_password">Password</label>' in response.content


def test_sign_up_creates_a_student_and_logs_them_in(client, db):
    response = client.post(
        reverse("signup"),
        {
            "username": "dana",
            "password1": "a-long-unusual-pass-9",
            "password2": "a-long-unusual-pass-9",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert b"Welcome, dana" in response.content
    dana = User.objects.get(username="dana")
    assert not dana.groups.filter(name="Instructors").exists(), "sign-up must not make instructors"


def test_sign_up_with_mismatched_passwords_shows_an_error(client, db):
    response = client.post(
        reverse("signup"),
        {"username": "dana", "password1": "a-long-unusual-pass-9", "password2": "different-pass-9"},
    )
    assert response.status_code == 200
    assert b"didn" in response.content and b"match" in response.content
    assert not User.objects.filter(username="dana").exists()


def test_log_in_and_log_out(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405, "log out must be a POST"
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_change_password(alice_client, alice):
    response = alice_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-42",
            "new_password2": "another-long-pass-42",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-long-pass-42")


def test_logged_in_header_has_a_log_out_button_not_a_link(alice_client):
    response = alice_client.get(reverse("dashboard"))
    content = response.content.decode()
    assert 'action="/accounts/logout/"' in content
    assert "csrfmiddlewaretoken" in content


def test_every_htmx_request_carries_the_csrf_token(alice_client):
    content = alice_client.get(reverse("dashboard")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in content
    assert "/static/django_htmx/htmx" in content or "htmx.min.js" in content, "htmx served locally"


def test_sign_up_labels_read_username_and_password_without_colons(client, db):
    page = client.get(reverse("signup")).content.decode()
    assert '<label for="id_username">Username</label>' in page
    assert '<label for="id_password1">Password</label>' in page
