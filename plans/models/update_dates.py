"""When an action item's next progress update is due: the date arithmetic in
SQL (``AddDays``) and the answer for one item in Python (``UpdateState``). The
rule itself is ``ActionItem``'s (``plans.models.actions``)."""

import datetime
from dataclasses import dataclass

from django.db.models import DateField, Func


class AddDays(Func):
    """A date plus a whole number of days, computed by the database."""

    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " + "
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra_context,
        )


@dataclass(frozen=True)
class UpdateState:
    """When an item was last updated and when its next update is due."""

    latest_update_on: datetime.date | None
    due_on: datetime.date | None
    today: datetime.date

    @property
    def is_due(self):
        """Due today or earlier (the reminders' rule)."""
        return self.due_on is not None and self.due_on <= self.today

    @property
    def is_overdue(self):
        return self.due_on is not None and self.due_on < self.today

    @property
    def days_overdue(self):
        return (self.today - self.due_on).days if self.is_overdue else 0
