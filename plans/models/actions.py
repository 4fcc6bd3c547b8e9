"""Action items and the follow-up rules that apply to them (their progress
log is in ``plans.models.updates``).

Each follow-up rule is defined here once: which statuses are closed, when an
item is late, when its progress update is overdue, the date of its latest
update (``latest_update_on``) and the order of the statuses (the order of
``ActionItem.Status``). Everything else asks these.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import (
    BooleanField,
    Case,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import LessThan
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from flemingsberg.locking import VersionedModel
from flemingsberg.permissions import sees_internal
from plans.models.plans import FocusArea, Plan, Strategy
from plans.models.update_dates import AddDays, UpdateState
from stakeholders.models import Organisation, Person

_LOOK_UP = object()


def _request_user():
    """The signed-in user of the request being served, if any (django-simple-
    history's middleware keeps the request for its own records)."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _update_model():
    """``ActionUpdate`` (``plans.models.updates``, which refers to this module)."""
    return ActionItem._meta.get_field("updates").related_model


def _latest_update(user=None, internal=None):
    """Subquery: the date of the item's latest update that counts.

    Ordered by date only, so PostgreSQL reads one entry of the index on
    (item, date) per item (the partial one for public updates)."""
    internal = sees_internal(user) if internal is None else internal
    updates = _update_model().objects.filter(item=OuterRef("pk"))
    if not internal:
        updates = updates.filter(is_public=True)
    return Subquery(updates.order_by("-date").values("date")[:1])


def _next_update_due(latest_update):
    """Expression: the latest update (or the day of creation) plus the interval."""
    return AddDays(
        Coalesce(latest_update, TruncDate("created_at")),
        F("plan__update_interval_days"),
    )


class ActionItemQuerySet(models.QuerySet):
    """The follow-up rules in SQL; ``ActionItem`` has each one in Python."""

    def public(self):
        """Items anyone may see: public items of published plans."""
        return self.filter(is_public=True, plan__is_public=True).exclude(
            plan__status=Plan.Status.DRAFT
        )

    def visible_to(self, user):
        return self if sees_internal(user) else self.public()

    def for_plan(self, plan):
        return self.filter(plan=plan)

    def serving(self, strategy):
        """Items that serve ``strategy`` (a primary key; None: items that serve
        none): their own strategy, else their focus area's
        (``ActionItem.served_strategy``)."""
        if strategy is None:
            return self.filter(strategy__isnull=True, focus_area__strategy__isnull=True)
        return self.filter(
            Q(strategy=strategy)
            | Q(strategy__isnull=True, focus_area__strategy=strategy)
        )

    def open(self):
        """Neither done nor cancelled."""
        return self.exclude(status__in=ActionItem.CLOSED_STATUSES)

    def counted(self, user=None):
        """Each activity once: an item carried over to a continuation that
        ``user`` may see counts as that continuation, not beside it (the
        live figures count these)."""
        return self.exclude(carried_to__in=ActionItem.objects.visible_to(user))

    def late(self, today=None):
        """Open and past the due date (``ActionItem.is_late``)."""
        return self.filter(ActionItem.late_condition(today))

    def with_status_rank(self):
        """Annotate ``status_rank``: the status's place in the workflow, the
        order of ``ActionItem.Status`` (not started … carried over)."""
        rank = Case(
            *(
                When(status=value, then=Value(i))
                for i, value in enumerate(ActionItem.Status.values)
            ),
            output_field=models.IntegerField(),
        )
        return self.annotate(status_rank=rank)

    def with_latest_update(self, user=None, *, internal=None):
        """Annotate ``latest_update_on``: the date of the latest update that
        counts (the ones ``user`` may see; every update with ``internal=True``)."""
        return self.annotate(latest_update_on=_latest_update(user, internal))

    def with_update_state(self, user=None, *, internal=None, today=None):
        """Annotate ``latest_update_on``, ``next_update_due`` and the flag
        ``update_overdue`` (``ActionItem.update_state`` in SQL)."""
        return self._with_next_update_due(user, internal).annotate(
            update_overdue=Case(
                When(
                    ActionItem.update_overdue_condition(
                        today=today, next_due=F("next_update_due")
                    ),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def update_overdue(self, user=None, *, internal=None, today=None):
        """Open items of plans in follow-up whose update was due before today,
        with ``latest_update_on`` and ``next_update_due`` annotated."""
        return self._with_next_update_due(user, internal).filter(
            ActionItem.update_overdue_condition(
                today=today, next_due=F("next_update_due")
            )
        )

    def update_due(self, *, today=None, internal=True):
        """Items whose update is due today or earlier (the reminders' rule)."""
        today = today or timezone.localdate()
        return self.update_overdue(
            internal=internal, today=today + datetime.timedelta(days=1)
        )

    def most_overdue_first(self):
        """Items annotated with ``next_update_due``, longest overdue first."""
        return self.order_by("next_update_due", "plan__title", "order", "code")

    def _with_next_update_due(self, user, internal):
        return self.with_latest_update(user, internal=internal).annotate(
            next_update_due=_next_update_due(F("latest_update_on"))
        )

    def with_related(self):
        return self.select_related(
            "plan",
            "focus_area",
            "strategy",
            "responsible_organisation",
            "responsible_person",
            "see_above",
        )


class ActionItem(VersionedModel):
    """One action (åtgärd) of an action plan: a row of the handlingsplan."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")
        PAUSED = "paused", _("Paused")
        CANCELLED = "cancelled", _("Cancelled")
        CARRIED_OVER = "carried_over", _("Carried over")

    #: Statuses that end an item's follow-up: never late, never due an update.
    #: An item carried over goes on as its continuation in the next plan.
    CLOSED_STATUSES = (Status.DONE, Status.CANCELLED, Status.CARRIED_OVER)
    #: An item's text as its plan prints it: the action table's columns after
    #: the heading, in order (the Söderort table). Documents, plan data files,
    #: the rollover and the search all read this one list.
    TABLE_FIELDS = (
        "assignment",
        "commissioned_by",
        "expected_result",
        "schedule",
        "responsible_body",
        "responsible_officer",
        "coordinator",
    )

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("plan"),
    )
    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("focus area"),
    )
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("strategy"),
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveIntegerField(_("order"), default=0)
    # The eight columns of a Söderort-style action table.
    title = models.CharField(_("heading"), max_length=500)
    assignment = models.TextField(_("assignment"), blank=True)
    commissioned_by = models.CharField(_("commissioned by"), max_length=300, blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    schedule = models.CharField(_("schedule"), max_length=300, blank=True)
    responsible_body = models.CharField(
        _("responsible committee"), max_length=500, blank=True
    )
    responsible_officer = models.CharField(
        _("responsible officer"), max_length=200, blank=True
    )
    coordinator = models.CharField(_("coordinator"), max_length=200, blank=True)
    # Structured follow-up.
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for_items",
        verbose_name=_("responsible organisation"),
    )
    responsible_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for_items",
        verbose_name=_("responsible person"),
    )
    area = models.CharField(_("area or place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, help_text=_("0–100")
    )
    progress_note = models.CharField(
        _("why not 100 %"),
        max_length=300,
        blank=True,
        help_text=_("Needed when a done item has progress below 100 %: say why."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    see_above = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referenced_by",
        verbose_name=_("refers to"),
        help_text=_("For a row that only says “Se ovan”: the row it refers to."),
    )
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="carried_to",
        verbose_name=_("continuation of"),
        help_text=_("The item of the previous plan that this item continues."),
    )
    is_public = models.BooleanField(_("public"), default=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "code"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        permissions = [
            ("import_actionitem", _("Can import action items from a file")),
            ("export_actionitem", _("Can export action items to a file")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="plans_actionitem_unique_code",
                violation_error_message=_(
                    "Another action item of this plan already has this code."
                ),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="plans_actionitem_progress_range",
                violation_error_message=_("Progress must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(start_date__lte=F("due_date")),
                name="plans_actionitem_start_before_due",
                violation_error_message=_(
                    "The start date must be on or before the due date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        """Save with optimistic locking (``VersionedModel``), and log a change
        of status or progress.

        Whatever path the save comes from (change form, list editing, bulk
        update, an action, an import, a revert, a task), a change of status or
        progress writes an entry in the item's progress log, in the same
        transaction: with the text, author and visibility given to
        ``note_update()``, else with the signed-in user of the request and no
        text.
        """
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        adding = self._state.adding or self.pk is None
        loaded = self.version
        with transaction.atomic(using=using):
            before = None
            if not adding:
                before = (
                    type(self)
                    ._base_manager.using(using)
                    .filter(pk=self.pk)
                    .values_list("status", "progress")
                    .first()
                )
            super().save(*args, **kwargs)
            try:
                self._log_change(before, using)
            except BaseException:
                self.version = loaded
                raise
        return None

    def get_absolute_url(self):
        return reverse("plans:actionitem-detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.progress is not None and self.progress > 100:
            errors["progress"] = _("Progress must be between 0 and 100.")
        elif (
            self.status == self.Status.DONE
            and self.progress is not None
            and self.progress < 100
            and not self.progress_note.strip()
        ):
            errors["progress"] = _(
                "A done item has progress 100 %. Set the progress to 100, or say "
                "in “Why not 100 %” why it stays lower."
            )
        elif self.status == self.Status.NOT_STARTED and self.progress:
            errors["progress"] = _(
                "An item that has not started has progress 0 %. Set the status "
                "to Ongoing, or the progress to 0."
            )
        if self.start_date and self.due_date and self.start_date > self.due_date:
            errors["due_date"] = _("The start date must be on or before the due date.")
        if self.focus_area_id and self.focus_area.plan_id != self.plan_id:
            errors["focus_area"] = _("The focus area belongs to another plan.")
        if (
            self.strategy_id
            and self.plan_id
            and self.strategy.plan_id not in self.plan.strategy_plan_ids()
        ):
            errors["strategy"] = _(
                "Choose a strategy of this plan, of a plan it is an appendix of, "
                "or of a plan it contributes to."
            )
        if self.status == self.Status.CARRIED_OVER and not self.continuation:
            errors["status"] = _(
                "“Carried over” is set when the item is carried over to the next "
                "plan (“Create the next plan” on the plan's page)."
            )
        if self.see_above_id:
            if self.see_above_id == self.pk:
                errors["see_above"] = _("An item cannot refer to itself.")
            elif self.see_above.plan_id != self.plan_id:
                errors["see_above"] = _("The referenced item belongs to another plan.")
        if errors:
            raise ValidationError(errors)

    # -- the update log ----------------------------------------------------

    def note_update(self, text="", *, is_public=True, author=None, date=None):
        """Give the next save's log entry a text, author, visibility and date.

        With a text, the entry is written even if status and progress stay."""
        self._pending_update = {
            "text": text.strip(),
            "is_public": is_public,
            "author": author,
            "date": date,
        }

    def _log_change(self, before, using):
        pending = self.__dict__.pop("_pending_update", None) or {}
        now = (self.status, self.progress)
        changed = before is not None and tuple(before) != now
        if not changed and not pending.get("text"):
            return
        _update_model().objects.using(using).create(
            item=self,
            date=pending.get("date") or timezone.localdate(),
            author=pending.get("author") or _request_user(),
            previous_status=before[0] if before else "",
            previous_progress=before[1] if before else None,
            status=self.status,
            progress=self.progress,
            text=pending.get("text", ""),
            is_public=pending.get("is_public", True),
        )

    # -- the follow-up rules (each also in SQL, on ActionItemQuerySet) ----------

    @property
    def is_closed(self):
        return self.status in self.CLOSED_STATUSES

    @staticmethod
    def late_condition(today=None):
        """Q: open and past the due date."""
        today = today or timezone.localdate()
        return Q(due_date__lt=today) & ~Q(status__in=ActionItem.CLOSED_STATUSES)

    def is_late_on(self, today):
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status not in self.CLOSED_STATUSES
        )

    @property
    def is_late(self):
        """Open and past the due date."""
        return self.is_late_on(timezone.localdate())

    # The update rule: an open item of a plan that is not archived gets its next
    # progress update ``Plan.update_interval_days`` days after its latest update
    # that counts (the ones the viewer may see; every update for members and
    # reminders), or after the day it was created if it never had one. It is
    # overdue the day after that date.

    @staticmethod
    def update_overdue_condition(
        user=None, *, internal=None, today=None, next_due=None
    ):
        """Q: open items of plans not archived whose update was due before
        ``today``. Usable in ``filter()`` and ``Count(filter=...)``;
        ``next_due`` is the expression of the due date (by default computed
        from the latest update that ``user`` may see)."""
        today = today or timezone.localdate()
        if next_due is None:
            next_due = _next_update_due(_latest_update(user, internal))
        return (
            ~Q(status__in=ActionItem.CLOSED_STATUSES)
            & ~Q(plan__status=Plan.Status.ARCHIVED)
            & Q(LessThan(next_due, today))
        )

    @property
    def is_followed_up(self):
        """False for closed items and for every item of an archived plan."""
        return not self.is_closed and self.plan.status != Plan.Status.ARCHIVED

    def next_update_due_on(self, latest_update_on=_LOOK_UP):
        """The date the next progress update is due; None when it never is.

        ``latest_update_on``: the latest update that counts (None: none yet);
        by default the item's ``latest_update_on`` annotation, else its latest
        update of any kind, looked up."""
        if not self.is_followed_up:
            return None
        if latest_update_on is _LOOK_UP:
            latest_update_on = self._latest_update_on()
        basis = latest_update_on or timezone.localdate(self.created_at)
        return basis + datetime.timedelta(days=self.plan.update_interval_days)

    def update_state(self, latest_update_on=_LOOK_UP, today=None):
        """The item's ``UpdateState``; ``latest_update_on`` as above."""
        today = today or timezone.localdate()
        if latest_update_on is _LOOK_UP:
            latest_update_on = self._latest_update_on()
        return UpdateState(
            latest_update_on, self.next_update_due_on(latest_update_on), today
        )

    def _latest_update_on(self):
        if hasattr(self, "latest_update_on"):
            return self.latest_update_on
        return self.updates.aggregate(latest=Max("date"))["latest"]

    @property
    def served_strategy(self):
        """The strategy the item serves: its own, else its focus area's."""
        if self.strategy_id:
            return self.strategy
        return self.focus_area.strategy if self.focus_area_id else None

    @property
    def continuation(self):
        """The item of a later plan that carries this one on, if any."""
        if self.pk is None:
            return None
        try:
            return self.carried_to
        except ActionItem.DoesNotExist:
            return None

    @property
    def is_reference(self):
        return self.see_above_id is not None

    #: What ``picker_label`` reads besides the item (the admin's pickers
    #: select it).
    PICKER_RELATED = ("plan",)

    @property
    def picker_label(self):
        """The item as pickers list it: the plan's short name with the code
        and title, so that items of two years' plans with one code differ."""
        return f"{self.plan.short_label} · {self.code} {self.title}"
