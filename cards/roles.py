"""Who may do what: students are every signed-in user; instructors are in one group."""

from django.contrib.auth.decorators import user_passes_test
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import connection

INSTRUCTORS = "Instructors"
# user.groups.filter(name=...).exists() in SQL: every page asks (the account menu's badge), and
# the ORM took longer to build that query than the database to answer it.
_IN_GROUP = (
    f"SELECT 1 FROM {User.groups.through._meta.db_table} ug "
    f"JOIN {Group._meta.db_table} g ON g.id = ug.group_id WHERE ug.user_id = %s AND g.name = %s"
)


def is_instructor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Cached on the user object so templates and views ask the database once per request.
    if not hasattr(user, "_is_instructor"):
        with connection.cursor() as cursor:
            cursor.execute(_IN_GROUP, [user.pk, INSTRUCTORS])
            user._is_instructor = cursor.fetchone() is not None
    return user._is_instructor


def _instructor_or_403(user) -> bool:
    if not user.is_authenticated:
        return False  # user_passes_test sends visitors to log in
    if not is_instructor(user):
        raise PermissionDenied("Only instructors can do this.")
    return True


instructor_required = user_passes_test(_instructor_or_403)
