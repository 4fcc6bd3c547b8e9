"""What the reminder job sent: a read-only log (the job writes it)."""

from django.contrib import admin

from flemingsberg.admin import SafeChoicesMixin
from plans.models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(SafeChoicesMixin, admin.ModelAdmin):
    list_display = ["sent_at", "item", "email", "due_on", "quiet_until"]
    list_filter = ["item__plan"]
    list_select_related = ["item"]
    search_fields = ["email", "item__code", "item__title"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
