"""A plan and the parts of its document: sections, vision, strategies and their
measures, target statements and focus areas."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from flemingsberg.locking import VersionedModel
from flemingsberg.permissions import sees_internal
from stakeholders.models import GoverningBody, Organisation, StakeholderGroup


class PlanQuerySet(models.QuerySet):
    def published(self):
        """Plans anyone may read: public and no longer a draft."""
        return self.filter(is_public=True).exclude(status=Plan.Status.DRAFT)

    def public(self):
        return self.published()

    def visible_to(self, user):
        return self if sees_internal(user) else self.published()

    def live(self):
        """Plans in follow-up: adopted or working material, not drafts and not
        archived (archived plans are history; their own pages still show
        them). The headline figures count these."""
        return self.filter(status__in=[Plan.Status.ADOPTED, Plan.Status.WORKING])

    def own(self):
        """The organisation's own plans, without partners' plans."""
        return self.filter(is_partner_plan=False)


class Plan(VersionedModel):
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
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_(
            "Shown with an action item's code wherever items are picked, e.g. "
            "“HP 2009”, so that items of two plans with the same code differ. "
            "Without it, the title is shown."
        ),
    )
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
    predecessor = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successor",
        verbose_name=_("previous plan"),
        help_text=_("The plan of the series that this plan follows."),
    )
    is_public = models.BooleanField(_("public"), default=False)
    is_partner_plan = models.BooleanField(
        _("partner plan"),
        default=False,
        help_text=_(
            "Another organisation's plan, shown for what it shares with ours. "
            "Headline figures leave partner plans out unless they are chosen."
        ),
    )
    contributes_to = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="contributions",
        verbose_name=_("contributes to"),
        help_text=_(
            "Plans whose strategies this plan serves: its items may be linked "
            "to those strategies."
        ),
    )
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
    def short_label(self):
        """The short name, or the title for a plan without one."""
        return self.short_name or self.title

    @property
    def period(self):
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    def ancestors(self):
        """The parent plan, its parent, and so on (a handlingsplan's
        verksamhetsplan), nearest first; one query per level."""
        found, plan = [], self.parent
        while plan is not None and plan.pk not in {p.pk for p in found} | {self.pk}:
            found.append(plan)
            plan = plan.parent
        return found

    def strategy_plan_ids(self):
        """The plans whose strategies this plan's focus areas and items may
        serve: itself, its parents, and the plans it contributes to (with
        theirs)."""
        ids = [self.pk, *(plan.pk for plan in self.ancestors())]
        if self.pk is not None:
            for plan in self.contributes_to.select_related("parent"):
                ids.extend([plan.pk, *(p.pk for p in plan.ancestors())])
        return list(dict.fromkeys(pk for pk in ids if pk is not None))

    @property
    def next_plan(self):
        """The plan that follows this one in its series, if any."""
        try:
            return self.successor
        except Plan.DoesNotExist:
            return None

    def adopted_appendices(self):
        """The appendices adopted with this plan: adopted no later than it.
        An appendix added afterwards is not part of the adopted document."""
        if self.adopted_on is None:
            return self.appendices.none()
        return self.appendices.filter(
            adopted_on__isnull=False, adopted_on__lte=self.adopted_on
        ).order_by("start_year", "title")

    @property
    def is_published(self):
        return self.is_public and self.status != self.Status.DRAFT


class Section(VersionedModel):
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


class VisionStatement(VersionedModel):
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


class Strategy(VersionedModel):
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


class StrategyMeasure(VersionedModel):
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


class TargetStatement(VersionedModel):
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


class FocusArea(VersionedModel):
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
    strategy = models.ForeignKey(
        "Strategy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focus_areas",
        verbose_name=_("strategy"),
        help_text=_(
            "The strategy this focus area serves, of this plan or of the plans "
            "it builds on. Its items serve it unless they name their own."
        ),
    )

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

    def clean(self):
        if (
            self.strategy_id
            and self.plan_id
            and self.strategy.plan_id not in self.plan.strategy_plan_ids()
        ):
            raise ValidationError(
                {
                    "strategy": _(
                        "Choose a strategy of this plan, of a plan it is an "
                        "appendix of, or of a plan it contributes to."
                    )
                }
            )
