from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from stakeholders.models import (
    GoverningBody,
    Meeting,
    Membership,
    Organisation,
    Person,
    StakeholderGroup,
)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind"]}),
        (_("Contact"), {"fields": ["website", "address"]}),
        (_("Description"), {"fields": ["description"]}),
    ]


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["organisations"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "title", "organisation"]
    list_filter = ["organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["name", "title", "organisation__name"]
    autocomplete_fields = ["organisation"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "representing"]
    fields = ["order", "person", "role", "title", "representing", "party"]


@admin.register(GoverningBody)
class GoverningBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "cadence", "meetings_per_year", "reports_to"]
    list_filter = ["kind"]
    list_select_related = ["reports_to"]
    search_fields = ["name", "mandate"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["reports_to"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "order", "reports_to"]}),
        (
            _("Mandate and cadence"),
            {"fields": ["mandate", "meetings_per_year", "cadence"]},
        ),
    ]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "body", "role", "representing", "party"]
    list_filter = ["body", "role"]
    list_select_related = ["person", "body", "representing"]
    search_fields = ["person__name", "body__name", "title", "party"]
    autocomplete_fields = ["body", "person", "representing"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "body", "title", "is_public"]
    list_filter = ["body", "is_public"]
    list_select_related = ["body"]
    search_fields = ["title", "agenda", "decisions", "notes"]
    autocomplete_fields = ["body"]
    date_hierarchy = "date"
