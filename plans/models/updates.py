"""An action item's progress log: one entry per update or change of status
or progress, written by ``ActionItem.save()``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from flemingsberg.locking import VersionedModel
from flemingsberg.permissions import sees_internal
from plans.models.actions import ActionItem


class ActionUpdateQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True, item__in=ActionItem.objects.public())

    def written(self):
        """Entries with a text: the updates someone wrote. A change of status
        or progress saved without a text is logged too, and counts as an
        update for the update rule, but the lists of what was reported (a
        report's new updates, a board pack's latest update) show written
        ones."""
        return self.exclude(text="")

    def visible_to(self, user):
        return self if sees_internal(user) else self.public()


class ActionUpdate(VersionedModel):
    """An entry in an action item's progress log."""

    item = models.ForeignKey(
        ActionItem,
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=_("action item"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_updates",
        verbose_name=_("author"),
    )
    previous_status = models.CharField(
        _("previous status"),
        max_length=20,
        choices=ActionItem.Status.choices,
        blank=True,
    )
    previous_progress = models.PositiveSmallIntegerField(
        _("previous progress (%)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActionItem.Status.choices
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        get_latest_by = ["date", "pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="plans_actionupdate_progress_range",
                violation_error_message=_("Progress must be between 0 and 100."),
            ),
        ]
        indexes = [
            # An item's latest update (the progress log, the dashboard, the
            # overdue rule): one index entry read per item; the partial one
            # serves visitors, who see public updates only.
            models.Index(fields=["item", "date"], name="plans_actionupdate_item_date"),
            models.Index(
                fields=["item", "date"],
                condition=Q(is_public=True),
                name="plans_actionupdate_pub_date",
            ),
            # The newest updates of all items (home page, recently updated):
            # read in order, stopping after the few shown.
            models.Index(fields=["-date", "-id"], name="plans_actionupdate_newest"),
        ]

    def __str__(self):
        return f"{self.item.code} {self.date:%Y-%m-%d}"

    @property
    def status_changed(self):
        return bool(self.previous_status) and self.previous_status != self.status

    @property
    def progress_changed(self):
        return (
            self.previous_progress is not None
            and self.previous_progress != self.progress
        )

    def clean(self):
        if self.progress is not None and self.progress > 100:
            raise ValidationError(
                {"progress": _("Progress must be between 0 and 100.")}
            )
