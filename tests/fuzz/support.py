"""Helpers of the bad-input tests: settings per test, one savepoint per example."""

from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings

SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large]


def fuzz_settings(fraction=1.0):
    """The profile's settings for a test, with ``fraction`` of its examples.

    The per-test fixtures (``db``, ``clients``) are shared by the examples of
    a test on purpose: every example runs in a savepoint of its own (see
    ``rolled_back()``), so the function-scoped-fixture health check is off.
    """
    count = max(1, round(settings().max_examples * fraction))
    return settings(
        max_examples=count,
        suppress_health_check=[*SUPPRESSED, HealthCheck.function_scoped_fixture],
    )


@contextmanager
def rolled_back():
    """Run one example in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
