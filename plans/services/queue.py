"""Putting work on the task queue (django-tasks with its database backend)."""

import datetime

from django.utils import timezone


def enqueue(task, *args, delay=0, **options):
    """Enqueue ``task(*args)``, due now or after ``delay`` seconds, with
    ``options`` (a priority) for ``Task.using``.

    Always with its due time: the database backend takes ready tasks of one
    priority in the order of their due time and files a task without one as
    due in the year 9999, so work due now (a board pack, a first PDF) would
    wait behind every delayed task that came after it (a paced or retried
    render)."""
    run_after = timezone.now() + datetime.timedelta(seconds=delay or 0)
    return task.using(run_after=run_after, **options).enqueue(*args)
