"""Create the demo student and instructor for local development. Refuses to run with DEBUG off."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from cards.roles import INSTRUCTORS

DEMO_ACCOUNTS = [
    # (username, password, instructor?)
    ("student", "study-demo-2026", False),
    ("instructor", "teach-demo-2026", True),
]


class Command(BaseCommand):
    help = "Create demo accounts (development only): a student and an instructor."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo accounts are for development only; DJANGO_DEBUG is off")
        instructors, _ = Group.objects.get_or_create(name=INSTRUCTORS)
        for username, password, instructor in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(password)
                user.save()
            if instructor:
                user.groups.add(instructors)
            role = "instructor" if instructor else "student"
            state = "created" if created else "exists"
            self.stdout.write(f"  {role:<10} {username} / {password}  ({state})")
