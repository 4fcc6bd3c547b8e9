"""Funding: the partners' contributions to a plan, per year, in SEK."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from flemingsberg.locking import VersionedModel
from plans.models.plans import Plan
from stakeholders.models import Organisation


class FundingContribution(VersionedModel):
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
