"""Indicators: measurable goals of the plans, their targets and measured values."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from flemingsberg.locking import VersionedModel
from flemingsberg.permissions import sees_internal
from plans.models.actions import ActionItem
from plans.models.plans import Plan, Strategy, TargetStatement


class IndicatorQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def visible_to(self, user):
        return self if sees_internal(user) else self.public()


class Indicator(VersionedModel):
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


class IndicatorTarget(VersionedModel):
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


class IndicatorValue(VersionedModel):
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
