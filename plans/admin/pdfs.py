"""The back office's view of the rendered PDFs: what is ready, what failed and
why, and a way to have a PDF made again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plans.models import AdoptedEdition, RenderedDocument
from plans.services.stored_pdfs import render_again


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    list_display = [
        "plan",
        "kind",
        "since",
        "language",
        "visibility",
        "status",
        "data_as_of",
        "rendered_at",
        "render_time",
        "attempts",
    ]
    list_filter = ["status", "kind", "language", "visibility"]
    list_select_related = ["plan"]
    search_fields = ["plan__title", "sha256", "error"]
    actions = ["render_selected_again"]
    fields = [
        "plan",
        "kind",
        "since",
        "language",
        "visibility",
        "status",
        "sha256",
        "data_as_of",
        "checked_at",
        "rendered_at",
        "render_seconds",
        "generation",
        "wanted_generation",
        "queued_at",
        "started_at",
        "attempts",
        "error",
        "requested_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    @admin.display(description=_("render time"), ordering="render_seconds")
    def render_time(self, obj):
        return f"{obj.render_seconds:.1f} s" if obj.rendered_at else "–"

    def has_add_permission(self, request):
        return False  # documents are made when asked for

    def has_change_permission(self, request, obj=None):
        return False  # only the task worker writes them

    @admin.action(
        description=_("Render the selected PDFs again"),
        permissions=["view"],
    )
    def render_selected_again(self, request, queryset):
        count = render_again(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d PDF is queued for rendering.",
                "%(count)d PDFs are queued for rendering.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AdoptedEdition)
class AdoptedEditionAdmin(admin.ModelAdmin):
    """Adopted editions are frozen when a plan is adopted and never edited."""

    list_display = ["plan", "adopted_on", "adopted_by", "visibility", "sha256"]
    list_filter = ["visibility", "language"]
    list_select_related = ["plan"]
    search_fields = ["plan__title", "sha256"]
    fields = [
        "plan",
        "adopted_on",
        "adopted_by",
        "language",
        "visibility",
        "sha256",
        "frozen_at",
        "rendered_at",
        "queued_at",
        "error",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("html", "content")

    def has_add_permission(self, request):
        return False  # frozen when a plan is adopted

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
