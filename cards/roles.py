"""Who may do what: students are every signed-in user; instructors are in one group."""

from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied

INSTRUCTORS = "Instructors"


def is_instructor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Cached on the user object so templates and views ask the database once per request.
    if not hasattr(user, "_is_instructor"):
        user._is_instructor = user.groups.filter(name=INSTRUCTORS).exists()
    return user._is_instructor


def _instructor_or_403(user) -> bool:
    if not user.is_authenticated:
        return False  # user_passes_test sends visitors to log in
    if not is_instructor(user):
        raise PermissionDenied("Only instructors can do this.")
    return True


instructor_required = user_passes_test(_instructor_or_403)
