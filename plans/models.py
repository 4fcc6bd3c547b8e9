"""The what: plans, their sections, vision, strategies, action items and follow-up."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from flemingsberg.permissions import sees_internal
from stakeholders.models import (
    GoverningBody,
    Meeting,
    Organisation,
    Person,
    StakeholderGroup,
)

# ---------------------------------------------------------------------------
# Plan and its document structure
# ---------------------------------------------------------------------------


class PlanQuerySet(models.QuerySet):
    def published(self):
        """Plans anyone may read: public and no longer a draft."""
        return self.filter(is_public=True).exclude(status=Plan.Status.DRAFT)

    def public(self):
        return self.published()

    def visible_to(self, user):
        return self if sees_internal(user) else self.published()


class Plan(models.Model):
    """A programme, business plan (verksamhetsplan) or action plan (handlingsplan)."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        BUSINESS_PLAN = "business_plan", _("Business plan")
        ACTION_PLAN = "action_plan", _("Action plan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        WORKING = "working", _("Working material")
        ADOPTED = "adopted", _("Adopted")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="owned_plans",
        verbose_name=_("owner organisation"),
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        GoverningBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_plans",
        verbose_name=_("adopted by"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appendices",
        verbose_name=_("parent plan"),
        help_text=_("An action plan is an appendix of its business plan."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    is_public = models.BooleanField(_("public"), default=False)
    version_note = models.CharField(_("version note"), max_length=200, blank=True)
    contact = models.TextField(_("contact"), blank=True)
    update_interval_days = models.PositiveSmallIntegerField(
        _("update interval (days)"),
        default=60,
        help_text=_("How often each action item should get a progress update."),
    )
    governing_bodies = models.ManyToManyField(
        GoverningBody,
        blank=True,
        related_name="plans",
        verbose_name=_("governing bodies shown"),
    )
    stakeholder_groups = models.ManyToManyField(
        StakeholderGroup,
        blank=True,
        related_name="plans",
        verbose_name=_("stakeholder groups shown"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        permissions = [
            ("view_internal", _("Can see drafts, internal items and notes")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="plans_plan_period_ordered",
                violation_error_message=_(
                    "The last year cannot be before the first year."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A plan cannot be its own parent.")})

    @property
    def period(self):
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def is_published(self):
        return self.is_public and self.status != self.Status.DRAFT


class Section(models.Model):
    """A chapter of a plan document: free text, or a block that shows live data."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        VISION = "vision", _("Vision statements")
        STRATEGIES = "strategies", _("Strategies with measures")
        GOVERNING_BODIES = "governing_bodies", _("Governing bodies with members")
        COORDINATION = "coordination", _("Coordination (meeting cadence)")
        FUNDING = "funding", _("Funding")
        STAKEHOLDERS = "stakeholders", _("Stakeholder groups")
        TARGET_STATE = "target_state", _("Target state")
        ACTION_ITEMS = "action_items", _("Action items by focus area")
        ACTION_TABLE = "action_table", _("Action items as a table")

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("plan"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    heading = models.CharField(_("heading"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.TEXT
    )
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Markdown. For a block, shown before the block's data."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "order"],
                name="plans_section_unique_order",
                violation_error_message=_(
                    "Another section of this plan already has this order."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.plan}: {self.heading}"

    def get_absolute_url(self):
        return f"{self.plan.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        return f"kapitel-{self.order}"


class VisionStatement(models.Model):
    """One statement of a plan's vision, with the document it comes from."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="vision_statements",
        verbose_name=_("plan"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("vision statement")
        verbose_name_plural = _("vision statements")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "order"], name="plans_visionstatement_unique_order"
            ),
        ]

    def __str__(self):
        return self.text


class Strategy(models.Model):
    """One of a plan's overarching strategies."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="strategies",
        verbose_name=_("plan"),
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["plan", "order", "code"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="plans_strategy_unique_code",
                violation_error_message=_(
                    "Another strategy of this plan already has this code."
                ),
            ),
        ]

    def __str__(self):
        return self.title


class StrategyMeasure(models.Model):
    """A measure (åtgärd) listed under a strategy."""

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("strategy"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["strategy", "order"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "order"],
                name="plans_strategymeasure_unique_order",
            ),
        ]

    def __str__(self):
        return self.text


class TargetStatement(models.Model):
    """A statement of the target state (målbild), grouped by theme."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="target_statements",
        verbose_name=_("plan"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("target statement")
        verbose_name_plural = _("target statements")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "order"], name="plans_targetstatement_unique_order"
            ),
        ]

    def __str__(self):
        return self.text


class FocusArea(models.Model):
    """A heading of an action plan under which action items are grouped."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="focus_areas",
        verbose_name=_("plan"),
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["plan", "order", "code"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="plans_focusarea_unique_code",
                violation_error_message=_(
                    "Another focus area of this plan already has this code."
                ),
            ),
        ]

    def __str__(self):
        return self.title


# ---------------------------------------------------------------------------
# Action items and their progress log
# ---------------------------------------------------------------------------


class ActionItemQuerySet(models.QuerySet):
    def public(self):
        """Items anyone may see: public items of published plans."""
        return self.filter(is_public=True, plan__is_public=True).exclude(
            plan__status=Plan.Status.DRAFT
        )

    def visible_to(self, user):
        return self if sees_internal(user) else self.public()

    def for_plan(self, plan):
        return self.filter(plan=plan)

    def open(self):
        return self.exclude(
            status__in=[ActionItem.Status.DONE, ActionItem.Status.CANCELLED]
        )

    def late(self, today=None):
        """Past their due date and neither done nor cancelled."""
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)

    def with_latest_update(self, user=None):
        """Annotate the date of the latest update the user may see."""
        updates = ActionUpdate.objects.filter(item=OuterRef("pk"))
        if not sees_internal(user):
            updates = updates.filter(is_public=True)
        return self.annotate(
            latest_update_on=Subquery(
                updates.order_by("-date", "-pk").values("date")[:1]
            )
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


class ConcurrentEditError(Exception):
    """An action item was saved by someone else since this copy was loaded."""


class ActionItem(models.Model):
    """One action (åtgärd) of an action plan: a row of the handlingsplan."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")
        PAUSED = "paused", _("Paused")
        CANCELLED = "cancelled", _("Cancelled")

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
    is_public = models.BooleanField(_("public"), default=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
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
        """Save with optimistic locking: every save of a stored item moves
        ``version`` on by one, and only if the row still has the version this
        copy was loaded with; otherwise ``ConcurrentEditError`` is raised and
        nothing is written."""
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        loaded = self.version
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        with transaction.atomic(using=using):
            claimed = (
                type(self)
                ._base_manager.using(using)
                .filter(pk=self.pk, version=loaded)
                .update(version=loaded + 1)
            )
            if not claimed:
                raise ConcurrentEditError(
                    f"Action item {self.pk} is no longer at version {loaded}."
                )
            self.version = loaded + 1
            try:
                super().save(*args, **kwargs)
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
        if self.start_date and self.due_date and self.start_date > self.due_date:
            errors["due_date"] = _("The start date must be on or before the due date.")
        if self.focus_area_id and self.focus_area.plan_id != self.plan_id:
            errors["focus_area"] = _("The focus area belongs to another plan.")
        if self.strategy_id and self.strategy.plan_id != self.plan_id:
            errors["strategy"] = _("The strategy belongs to another plan.")
        if self.see_above_id:
            if self.see_above_id == self.pk:
                errors["see_above"] = _("An item cannot refer to itself.")
            elif self.see_above.plan_id != self.plan_id:
                errors["see_above"] = _("The referenced item belongs to another plan.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_late(self):
        return (
            self.due_date is not None
            and self.due_date < timezone.localdate()
            and self.status not in (self.Status.DONE, self.Status.CANCELLED)
        )

    @property
    def is_reference(self):
        return self.see_above_id is not None


class ActionUpdateQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True, item__in=ActionItem.objects.public())

    def visible_to(self, user):
        return self if sees_internal(user) else self.public()


class ActionUpdate(models.Model):
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
    status = models.CharField(
        _("status"), max_length=20, choices=ActionItem.Status.choices
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    text = models.TextField(_("text"))
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

    def clean(self):
        if self.progress is not None and self.progress > 100:
            raise ValidationError(
                {"progress": _("Progress must be between 0 and 100.")}
            )


# ---------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------


class IndicatorQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def visible_to(self, user):
        return self if sees_internal(user) else self.public()


class Indicator(models.Model):
    """A measurable goal of the plans, with targets and measured values."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.HIGHER,
    )
    description = models.TextField(_("description"), blank=True)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    plans = models.ManyToManyField(
        Plan, blank=True, related_name="indicators", verbose_name=_("plans")
    )
    strategies = models.ManyToManyField(
        Strategy, blank=True, related_name="indicators", verbose_name=_("strategies")
    )
    target_statements = models.ManyToManyField(
        TargetStatement,
        blank=True,
        related_name="indicators",
        verbose_name=_("target statements"),
    )
    action_items = models.ManyToManyField(
        ActionItem,
        blank=True,
        related_name="indicators",
        verbose_name=_("action items"),
    )
    is_public = models.BooleanField(_("public"), default=True)

    history = HistoricalRecords()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:indicator-detail", kwargs={"pk": self.pk})


class IndicatorTarget(models.Model):
    """A target value of an indicator for a year (a milestone or the final goal)."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    label = models.CharField(_("label"), max_length=100, blank=True)
    is_step = models.BooleanField(
        _("step"),
        default=False,
        help_text=_("Reached at once in its year rather than gradually."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="plans_indicatortarget_unique_year",
                violation_error_message=_(
                    "This indicator already has a target for this year."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.year or '–'})"


class IndicatorValueQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True, indicator__is_public=True)

    def visible_to(self, user):
        return self if sees_internal(user) else self.public()


class IndicatorValue(models.Model):
    """A measured value of an indicator (optionally a range, low to high)."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("indicator"),
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    value_high = models.DecimalField(
        _("upper value of a range"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_public = models.BooleanField(_("public"), default=True)

    history = HistoricalRecords()
    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "date"]
        get_latest_by = "date"
        verbose_name = _("measured value")
        verbose_name_plural = _("measured values")
        constraints = [
            models.CheckConstraint(
                condition=Q(value_high__isnull=True) | Q(value_high__gte=F("value")),
                name="plans_indicatorvalue_range_ordered",
                violation_error_message=_(
                    "The upper value of a range cannot be below the value."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.date:%Y-%m-%d})"


# ---------------------------------------------------------------------------
# Funding
# ---------------------------------------------------------------------------


class FundingContribution(models.Model):
    """A partner's contribution to a plan's funding for one year, in SEK."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="funding",
        verbose_name=_("plan"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funding_contributions",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("planned amount (SEK)"),
        max_digits=14,
        decimal_places=2,
        help_text=_("The amount the plan states."),
    )
    decided_amount = models.DecimalField(
        _("decided amount (SEK)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The amount the partner has decided to contribute."),
    )
    paid_amount = models.DecimalField(
        _("paid amount (SEK)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The amount paid so far."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "year", "-amount", "organisation__name"]
        verbose_name = _("funding contribution")
        verbose_name_plural = _("funding contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organisation", "year"],
                name="plans_fundingcontribution_unique_year",
                violation_error_message=_(
                    "This organisation already has a contribution for this year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="plans_fundingcontribution_amount_non_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(decided_amount__isnull=True) | Q(decided_amount__gte=0),
                name="plans_fundingcontribution_decided_non_negative",
                violation_error_message=_("The decided amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__isnull=True) | Q(paid_amount__gte=0),
                name="plans_fundingcontribution_paid_non_negative",
                violation_error_message=_("The paid amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}: {self.amount} kr"

    def clean(self):
        errors = {}
        if self.amount is not None and self.amount < 0:
            errors["amount"] = _("The amount cannot be negative.")
        if self.decided_amount is not None and self.decided_amount < 0:
            errors["decided_amount"] = _("The decided amount cannot be negative.")
        if self.paid_amount is not None and self.paid_amount < 0:
            errors["paid_amount"] = _("The paid amount cannot be negative.")
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------
# Meetings: decisions and frozen board packs
# ---------------------------------------------------------------------------


class MeetingDecision(models.Model):
    """A decision taken at a meeting, linked to the action items it commissions
    or changes."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="decision_items",
        verbose_name=_("meeting"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("decision"))
    action_items = models.ManyToManyField(
        ActionItem,
        blank=True,
        related_name="decisions",
        verbose_name=_("action items"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")

    def __str__(self):
        return f"{self.meeting}: {self.text[:60]}"


class BoardPackQuerySet(models.QuerySet):
    def closed(self):
        return self.filter(closed_at__isnull=False)

    def visible_to(self, user):
        packs = self.filter(meeting__in=Meeting.objects.visible_to(user))
        return packs if sees_internal(user) else packs.closed()


class BoardPack(models.Model):
    """The state of the plans sent to a meeting, frozen when the editor closes it.

    Once closed, its snapshot rows and its PDF never change again; the PDF's
    SHA-256 lets a member cite exactly what the group was shown.
    """

    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.PROTECT,
        related_name="board_pack",
        verbose_name=_("meeting"),
    )
    plans = models.ManyToManyField(
        Plan, related_name="board_packs", verbose_name=_("plans")
    )
    note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="closed_board_packs",
        verbose_name=_("closed by"),
    )
    pdf = models.BinaryField(_("PDF"), blank=True, editable=False)
    pdf_sha256 = models.CharField(
        _("PDF checksum (SHA-256)"), max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting__date"]
        verbose_name = _("board pack")
        verbose_name_plural = _("board packs")

    def __str__(self):
        return str(self.meeting)

    def get_absolute_url(self):
        return reverse("plans:meeting-detail", kwargs={"pk": self.meeting_id})

    @property
    def is_closed(self):
        return self.closed_at is not None


class BoardPackItem(models.Model):
    """One action item as it stood when a board pack was closed."""

    pack = models.ForeignKey(
        BoardPack,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("board pack"),
    )
    item = models.ForeignKey(
        ActionItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("action item"),
    )
    plan_title = models.CharField(_("plan"), max_length=200)
    focus_area = models.CharField(_("focus area"), max_length=300, blank=True)
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("heading"), max_length=500)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionItem.Status.choices
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    responsible = models.CharField(_("responsible"), max_length=500, blank=True)
    latest_update_on = models.DateField(_("latest update"), null=True, blank=True)
    latest_update_text = models.TextField(_("latest update text"), blank=True)
    latest_update_is_public = models.BooleanField(
        _("latest update is public"), default=True
    )
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering = ["pack", "plan_title", "code"]
        verbose_name = _("frozen action item")
        verbose_name_plural = _("frozen action items")

    def __str__(self):
        return f"{self.code} {self.title}"


class BoardPackIndicator(models.Model):
    """An indicator's latest value as it stood when a board pack was closed."""

    pack = models.ForeignKey(
        BoardPack,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("board pack"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("indicator"),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    value = models.DecimalField(
        _("value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    value_high = models.DecimalField(
        _("upper value of a range"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
    )
    measured_on = models.DateField(_("date"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering = ["pack", "name"]
        verbose_name = _("frozen indicator value")
        verbose_name_plural = _("frozen indicator values")

    def __str__(self):
        return f"{self.name}: {self.value}"
