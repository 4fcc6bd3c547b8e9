"""The back office of the partners' funding contributions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from flemingsberg.admin import HistoryAdmin
from plans.models import FundingContribution


@admin.register(FundingContribution)
class FundingContributionAdmin(HistoryAdmin):
    list_display = [
        "plan",
        "organisation",
        "year",
        "amount",
        "decided_amount",
        "paid_amount",
    ]
    list_filter = ["plan", "year", "organisation"]
    list_select_related = ["plan", "organisation"]
    search_fields = ["organisation__name", "plan__title", "note"]
    autocomplete_fields = ["plan", "organisation"]
    fieldsets = [
        (None, {"fields": ["plan", "organisation", "year", "note"]}),
        (_("Amounts (SEK)"), {"fields": ["amount", "decided_amount", "paid_amount"]}),
    ]
