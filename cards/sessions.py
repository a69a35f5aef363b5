"""Django's database sessions, with the session read on every signed-in request done by
cards.rows.fetch_one instead of the ORM (SESSION_ENGINE = "cards.sessions"). Writes, expiry
and cleanup are Django's own."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connection
from django.utils import timezone

from cards.rows import fetch_one


class SessionStore(DatabaseStore):
    def _get_session_from_db(self):
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        session = fetch_one(
            self.model, "session_key = %s AND expire_date > %s", [self.session_key, now]
        )
        if session is None:
            self._session_key = None
        return session
