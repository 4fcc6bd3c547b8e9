"""What the reminder job sent: one row per action item per reminder, so that
the same item is not reminded again before its plan's update interval has
passed."""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models.actions import ActionItem
from stakeholders.models import Person


class ReminderSentQuerySet(models.QuerySet):
    def quiet_on(self, day):
        """Reminders whose quiet period still covers ``day``."""
        return self.filter(quiet_until__gt=day)


class ReminderSent(models.Model):
    """A reminder e-mail about one action item, sent to its responsible person."""

    item = models.ForeignKey(
        ActionItem,
        on_delete=models.CASCADE,
        related_name="reminders_sent",
        verbose_name=_("action item"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders_received",
        verbose_name=_("person"),
    )
    email = models.EmailField(_("email"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    due_on = models.DateField(_("update due"))
    quiet_until = models.DateField(
        _("no new reminder before"),
        help_text=_("The day of sending plus the plan's update interval."),
    )

    objects = ReminderSentQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        indexes = [
            models.Index(
                fields=["item", "quiet_until"], name="plans_remindersent_quiet"
            ),
        ]

    def __str__(self):
        return f"{self.item.code} → {self.email} {self.sent_at:%Y-%m-%d}"

    @staticmethod
    def reminded_condition(day):
        """Expression: the item (the outer query's row) was reminded recently
        enough that ``day`` lies in the quiet period."""
        return Exists(ReminderSent.objects.quiet_on(day).filter(item=OuterRef("pk")))
