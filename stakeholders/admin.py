"""The back office of the who: organisations, stakeholder groups, people,
governing bodies and their members."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from flemingsberg.admin import HistoryAdmin, SafeChoicesMixin
from stakeholders.models import (
    GoverningBody,
    Membership,
    Organisation,
    Person,
    StakeholderGroup,
)


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ["name", "title", "email", "phone"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "website", "people_count"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PersonInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind"]}),
        (_("Contact"), {"fields": ["website", "address"]}),
        (_("Description"), {"fields": ["description"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("people"))

    @admin.display(description=_("people"), ordering="people_count")
    def people_count(self, obj):
        return obj.people_count


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(SafeChoicesMixin, admin.ModelAdmin):
    list_display = ["name", "order", "organisation_count"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["organisations"]
    fieldsets = [
        (None, {"fields": ["name", "order", "description"]}),
        (_("Members of the group"), {"fields": ["organisations"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(organisation_count=Count("organisations"))
        )

    @admin.display(description=_("organisations"), ordering="organisation_count")
    def organisation_count(self, obj):
        return obj.organisation_count


class MembershipInline(SafeChoicesMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["body", "person", "representing"]
    fields = ["order", "person", "role", "title", "representing", "party"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("body", "person", "representing")
        )


class PersonMembershipInline(MembershipInline):
    fields = ["body", "role", "title", "representing", "party", "order"]
    verbose_name = _("seat in a governing body")
    verbose_name_plural = _("seats in governing bodies")


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["name", "title", "organisation"]
    list_filter = ["organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["name", "title", "organisation__name"]
    autocomplete_fields = ["organisation"]
    inlines = [PersonMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "title", "organisation"]}),
        (_("Contact"), {"fields": ["email", "phone"]}),
    ]


@admin.register(GoverningBody)
class GoverningBodyAdmin(HistoryAdmin):
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
class MembershipAdmin(HistoryAdmin):
    list_display = ["person", "body", "role", "representing", "party"]
    list_filter = ["body", "role"]
    list_select_related = ["person", "body", "representing"]
    search_fields = ["person__name", "body__name", "title", "party"]
    autocomplete_fields = ["body", "person", "representing"]
    fieldsets = [
        (None, {"fields": ["body", "person", "role", "title"]}),
        (_("Representation"), {"fields": ["representing", "party", "order"]}),
    ]
