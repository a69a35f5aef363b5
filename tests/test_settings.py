"""Settings are read from the environment with safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_a_secret_key_fails_with_one_clear_line():
    result = manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr, "a one-line error, not a traceback"


def test_debug_off_with_a_secret_key_passes_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x" * 20 + "a-real-looking-secret-key-Q8#vL2@pZ!m",
        DJANGO_ALLOWED_HOSTS="study.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_bad_boolean_is_refused_with_its_name():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_debug_on_needs_no_secret_and_uses_sqlite_wal(tmp_path):
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], "
        "c.execute('PRAGMA busy_timeout').fetchone()[0], "
        "c.execute('PRAGMA cache_size').fetchone()[0])",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "-16000"]


def test_proxy_can_turn_the_ssl_redirect_off():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_SSL_REDIRECT="0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_database_connections_persist_unless_told_otherwise(tmp_path):
    show = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = manage("shell", "--no-imports", "-c", show, DJANGO_DEBUG="1", DATABASE_URL=url)
    assert result.stdout.split() == ["600", "True"], result.stderr
    result = manage(
        "shell", "--no-imports", "-c", show,
        DJANGO_DEBUG="1", DATABASE_URL=url, DJANGO_CONN_MAX_AGE="0",
    )  # fmt: skip
    assert result.stdout.split() == ["0", "True"], result.stderr
    result = manage("check", DJANGO_DEBUG="1", DATABASE_URL=url, DJANGO_CONN_MAX_AGE="soon")
    assert "DJANGO_CONN_MAX_AGE must be a whole number" in result.stderr


def test_hsts_preload_is_only_on_when_asked_for():
    show = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS > 0, s.SECURE_HSTS_PRELOAD)"
    )
    key = "k" * 50
    default = manage("shell", "--no-imports", "-c", show, DJANGO_SECRET_KEY=key)
    asked = manage(
        "shell", "--no-imports", "-c", show, DJANGO_SECRET_KEY=key, DJANGO_HSTS_PRELOAD="1"
    )
    assert default.stdout.split() == ["True", "False"], default.stderr
    assert asked.stdout.split() == ["True", "True"], asked.stderr
