"""Shared fixtures for the whole suite."""

import os
import signal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import translation

from flemingsberg.permissions import EDITOR_GROUP, READER_GROUP
from tests import factories
from tests.mailserver import smtp_server  # noqa: F401 (a fixture: a real SMTP server)

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by fixtures next to it are safe in tests (never set in production settings).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def swedish_by_default():
    """A request to /en/ must not leave English active for the next test."""
    with translation.override("sv"):
        yield


def _group(name):
    """The role group; transactional tests flush data migrations, so re-apply."""
    if not Group.objects.filter(name=name).exists():
        from django.apps import apps

        from plans.roles import apply_roles

        apply_roles(apps)
    return Group.objects.get(name=name)


@pytest.fixture
def reader(db):
    user = factories.UserFactory(username="lasare")
    user.groups.add(_group(READER_GROUP))
    return user


@pytest.fixture
def editor(db):
    user = factories.UserFactory(username="redaktor", is_staff=True)
    user.groups.add(_group(EDITOR_GROUP))
    return user


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def bundled_plans(db):
    """The three bundled plans, loaded as `make run` loads them (once per test
    process, then written back: tests/bundled.py)."""
    from tests.bundled import load_bundled_plans

    load_bundled_plans()


@pytest.fixture
def one_of_each(db):
    """One row of every domain model, for tests that open every admin page."""
    factories.ActionUpdateFactory()
    factories.FundingContributionFactory()
    factories.IndicatorTargetFactory()
    factories.IndicatorValueFactory()
    factories.MembershipFactory()
    factories.MeetingFactory()
    factories.SectionFactory()
    factories.VisionStatementFactory()
    factories.StrategyMeasureFactory()
    factories.TargetStatementFactory()
    factories.FocusAreaFactory()
    factories.MeetingDecisionFactory()
    factories.BoardPackItemFactory()
    factories.BoardPackIndicatorFactory()
    factories.RenderedDocumentFactory()
    factories.AdoptedEditionFactory()
    factories.ReminderSentFactory()
    group = factories.StakeholderGroupFactory()
    group.organisations.add(factories.OrganisationFactory())


@pytest.fixture
def run_pdf_tasks(transactional_db):
    """``run_pdf_tasks()`` runs the task worker (django-tasks-db's
    ``db_worker``, in this process) until no task is ready.

    Tasks are enqueued when a transaction commits, so tests that use this are
    transactional. The worker installs its own signal handlers; pytest's are
    put back afterwards.
    """
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]

    def run(max_tasks=None):
        """Run the tasks that are ready (at most ``max_tasks``)."""
        handlers = {number: signal.getsignal(number) for number in signals}
        try:
            call_command(
                "db_worker",
                batch=True,
                reload=False,
                startup_delay=False,
                interval=0,
                max_tasks=max_tasks,
                verbosity=0,
            )
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)

    return run
