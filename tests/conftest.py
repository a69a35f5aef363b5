import pytest
from django.contrib.auth.models import Group, User

from cards.roles import INSTRUCTORS

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def alice(db):
    """A student."""
    return User.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def bob(db):
    """Another student, for isolation tests."""
    return User.objects.create_user("bob", password=PASSWORD)


@pytest.fixture
def charlie(db):
    """An instructor."""
    user = User.objects.create_user("charlie", password=PASSWORD)
    # get_or_create: transactional (browser) tests flush the group the data migration made.
    user.groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])
    return user


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def charlie_client(client, charlie):
    client.force_login(charlie)
    return client
