"""The back office of meetings: decisions, board packs and their frozen rows.

"Create board pack" on a meeting opens a new pack with the body's plans
preselected (or, when the meeting already has a closed pack, a correction that
supersedes it). The editor previews either edition as PDF — nothing is stored —
and closes the pack by ticking "Close the board pack when saving" or with the
changelist action; the task worker then renders and stores both editions. A
closed pack is shown read-only with its PDFs and SHA-256 checksums; its frozen
rows can be looked at, never edited. Also here: meetings get their decisions
as an inline.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from flemingsberg.admin import HistoryAdmin, SafeChoicesMixin
from plans.admin.plans import ADMIN_CSS
from plans.models import (
    BoardPack,
    BoardPackIndicator,
    BoardPackItem,
    Meeting,
    MeetingDecision,
)
from plans.services.boardpacks import (
    BoardPackError,
    close_board_pack,
    preselected_plans,
    preview_board_pack,
    render_again,
    unpublished_plans,
)
from plans.services.pdf import PDFRenderError

# ---------------------------------------------------------------------------
# Decisions, and meetings with their decisions
# ---------------------------------------------------------------------------


class MeetingDecisionInline(SafeChoicesMixin, admin.StackedInline):
    model = MeetingDecision
    extra = 0
    fields = [("order", "text"), "action_items"]
    autocomplete_fields = ["action_items"]
    verbose_name = _("decision")
    verbose_name_plural = _("decisions linked to action items")


@admin.register(MeetingDecision)
class MeetingDecisionAdmin(HistoryAdmin):
    list_display = ["text_display", "meeting", "order", "item_count"]
    list_filter = ["meeting__body"]
    list_select_related = ["meeting__body"]
    search_fields = ["text", "meeting__title", "action_items__code"]
    autocomplete_fields = ["meeting", "action_items"]
    fieldsets = [
        (None, {"fields": ["meeting", "order", "text"]}),
        (_("Action items it commissions or changes"), {"fields": ["action_items"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("action_items"))

    @admin.display(description=_("decision"), ordering="text")
    def text_display(self, obj):
        return Truncator(obj.text).chars(80)

    @admin.display(description=_("action items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ["date", "body", "title", "is_public", "pack_state"]
    list_filter = ["body", "is_public"]
    list_select_related = ["body"]
    search_fields = ["title", "agenda", "notes"]
    autocomplete_fields = ["body"]
    date_hierarchy = "date"
    inlines = [MeetingDecisionInline]
    readonly_fields = ["create_pack"]
    fieldsets = [
        (None, {"fields": ["body", "date", "title", "place", "is_public"]}),
        (_("Agenda and minutes"), {"fields": ["agenda", "notes"]}),
        (_("Board pack"), {"fields": ["create_pack"]}),
    ]

    def get_queryset(self, request):
        packs = BoardPack.objects.without_documents().order_by("-closed_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("board_packs", queryset=packs, to_attr="packs"))
        )

    @admin.display(description=_("board pack"))
    def pack_state(self, obj):
        if not obj.packs:
            return "–"
        return _pack_state(obj.packs[0])

    @admin.display(description=_("board pack"))
    def create_pack(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Save the meeting first.")
        url = (
            reverse("admin:plans_boardpack_add") + "?" + urlencode({"meeting": obj.pk})
        )
        return format_html(
            '<a class="button" href="{}">{}</a>', url, gettext("Create board pack")
        )


# ---------------------------------------------------------------------------
# Board packs
# ---------------------------------------------------------------------------


def _pack_state(pack):
    if pack.is_closed:
        return pgettext("board pack", "Closed %(date)s") % {
            "date": date_format(pack.closed_at, "SHORT_DATE_FORMAT")
        }
    return pgettext("board pack", "Open")


class BoardPackAdminForm(forms.ModelForm):
    close_now = forms.BooleanField(
        label=_("Close the board pack when saving"),
        required=False,
        help_text=_(
            "Freezes every action item of the chosen plans, each indicator's "
            "latest value, the agenda and the decisions, and has the public and "
            "the members' edition rendered as PDF. This cannot be undone: a "
            "closed board pack never changes; a mistake is corrected by a new "
            "pack that supersedes it."
        ),
    )

    class Meta:
        model = BoardPack
        fields = ["meeting", "plans", "note", "supersedes", "correction"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("close_now"):
            return cleaned
        plans = cleaned.get("plans")
        if not plans:
            self.add_error(
                "plans", _("Choose at least one plan before closing the board pack.")
            )
            return cleaned
        hidden = [plan for plan in plans if not plan.is_published]
        if hidden:
            self.add_error(
                "plans",
                _(
                    "The board pack holds plans that are not published: "
                    "%(plans)s. Remove them from the pack or publish them "
                    "before closing it."
                )
                % {"plans": ", ".join(f"“{plan.title}”" for plan in hidden)},
            )
        return cleaned


class ClosedFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "closed"

    def lookups(self, request, model_admin):
        return [
            ("yes", pgettext_lazy("board pack", "Closed")),
            ("no", pgettext_lazy("board pack", "Open")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(closed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(closed_at__isnull=True)
        return queryset


@admin.register(BoardPack)
class BoardPackAdmin(admin.ModelAdmin):
    form = BoardPackAdminForm
    list_display = [
        "meeting",
        "state",
        "closed_at",
        "closed_by",
        "checksum_short",
    ]
    list_filter = [ClosedFilter, "meeting__body"]
    list_select_related = ["meeting__body", "closed_by"]
    search_fields = [
        "meeting__title",
        "meeting__body__name",
        "pdf_sha256",
        "members_pdf_sha256",
        "note",
    ]
    autocomplete_fields = ["meeting", "plans", "supersedes"]
    actions = ["close_packs", "render_packs_again"]
    editable_fields = ["meeting", "plans", "note", "supersedes", "correction"]
    frozen_fields = [
        "state",
        "closed_at",
        "closed_by",
        "checksum",
        "members_checksum",
        "render_error",
        "superseded",
        "links",
        "frozen_counts",
    ]
    readonly_fields = [*frozen_fields, "preview"]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).without_documents()

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ["meeting", "plans", "note"]})]
        fieldsets.append(
            (
                _("Correction of a closed board pack"),
                {"fields": ["supersedes", "correction"]},
            )
        )
        if obj is not None and obj.is_closed:
            fieldsets.append((_("Frozen record"), {"fields": self.frozen_fields}))
        elif obj is not None:
            fieldsets.append((_("Preview"), {"fields": ["preview"]}))
        if (obj is None or not obj.is_closed) and self.has_change_permission(
            request, obj
        ):
            fieldsets.append((_("Close"), {"fields": ["close_now"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_closed:
            return [*self.editable_fields, *self.frozen_fields]
        return self.readonly_fields

    def get_changeform_initial_data(self, request):
        """A new pack from a meeting's "Create board pack": the body's plans,
        or, when the meeting has a closed pack, a correction of it."""
        initial = super().get_changeform_initial_data(request)
        meeting = Meeting.objects.filter(pk=initial.get("meeting") or None).first()
        if meeting is None:
            return initial
        current = (
            BoardPack.objects.current()
            .without_documents()
            .filter(meeting=meeting)
            .first()
        )
        if current is not None:
            initial["supersedes"] = current.pk
            initial["plans"] = list(current.plans.values_list("pk", flat=True))
        else:
            initial["plans"] = list(
                preselected_plans(meeting).values_list("pk", flat=True)
            )
        return initial

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path(
                "<int:pk>/preview/<slug:edition>.pdf",
                preview,
                name="plans_boardpack_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk, edition):
        """The PDF the pack would have if it were closed now. Stores nothing."""
        pack = (
            BoardPack.objects.without_documents()
            .select_related("meeting__body")
            .filter(pk=pk)
            .first()
        )
        if pack is None or edition not in BoardPack.Edition.values:
            raise Http404
        if not self.has_view_permission(request, pack):
            raise PermissionDenied
        try:
            content = preview_board_pack(pack, edition)
        except PDFRenderError as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain")
        response = HttpResponse(content, content_type="application/pdf")
        patch_cache_control(response, private=True, no_store=True)
        return response

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_closed:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_closed:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk deletion would not stop at closed packs.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("close_now"):
            self._close(request, form.instance)

    def _close(self, request, pack):
        try:
            close_board_pack(pack, request.user, background=True)
        except BoardPackError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return False
        self.message_user(
            request,
            gettext(
                "The board pack for “%(meeting)s” is closed. Its two editions "
                "are being rendered as PDF; their checksums are shown here "
                "when they are stored."
            )
            % {"meeting": pack.meeting},
            messages.SUCCESS,
        )
        return True

    @admin.action(
        description=_("Render the missing PDFs of the selected board packs again"),
        permissions=["change"],
    )
    def render_packs_again(self, request, queryset):
        count = render_again(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d board pack was sent to be rendered.",
                "%(count)d board packs were sent to be rendered.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Close the selected board packs"), permissions=["change"]
    )
    def close_packs(self, request, queryset):
        closed = 0
        for pack in queryset.select_related("meeting__body"):
            if self._close(request, pack):
                closed += 1
        if closed > 1:
            self.message_user(
                request,
                ngettext(
                    "%(count)d board pack was closed.",
                    "%(count)d board packs were closed.",
                    closed,
                )
                % {"count": closed},
                messages.SUCCESS,
            )

    # -- columns and read-only fields -------------------------------------

    @admin.display(description=_("state"), ordering="closed_at")
    def state(self, obj):
        return _pack_state(obj)

    @admin.display(description=_("SHA-256"))
    def checksum_short(self, obj):
        return f"{obj.pdf_sha256[:12]}…" if obj.pdf_sha256 else "–"

    @admin.display(description=_("PDF checksum (SHA-256)"))
    def checksum(self, obj):
        if not obj.pdf_sha256:
            return "–"
        return format_html('<code class="checksum">{}</code>', obj.pdf_sha256)

    @admin.display(description=_("members' PDF checksum (SHA-256)"))
    def members_checksum(self, obj):
        if not obj.members_pdf_sha256:
            return "–"
        return format_html('<code class="checksum">{}</code>', obj.members_pdf_sha256)

    @admin.display(description=_("superseded by"))
    def superseded(self, obj):
        newer = obj.superseding_pack() if obj and obj.pk else None
        if newer is None:
            url = (
                reverse("admin:plans_boardpack_add")
                + "?"
                + urlencode({"meeting": obj.meeting_id})
            )
            return format_html(
                '– <a href="{}">{}</a>', url, gettext("Correct it with a new pack")
            )
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:plans_boardpack_change", args=[newer.pk]),
            pgettext("board pack", "Closed %(date)s")
            % {"date": date_format(newer.closed_at, "SHORT_DATE_FORMAT")},
        )

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        hidden = unpublished_plans(obj)
        return format_html(
            '<ul class="plan-links"><li><a href="{}">{}</a></li>'
            '<li><a href="{}">{}</a></li></ul><p class="help">{}</p>{}',
            reverse("admin:plans_boardpack_preview", args=[obj.pk, "public"]),
            gettext("Preview the public edition (PDF)"),
            reverse("admin:plans_boardpack_preview", args=[obj.pk, "members"]),
            gettext("Preview the members' edition (PDF)"),
            gettext(
                "Rendered from today's data after the last save; nothing is "
                "stored and the pack stays open."
            ),
            format_html(
                '<p class="errornote">{}</p>',
                gettext("Not published, so the pack cannot be closed: %(plans)s")
                % {"plans": ", ".join(plan.title for plan in hidden)},
            )
            if hidden
            else "",
        )

    @admin.display(description=_("links"))
    def links(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return format_html(
            '<ul class="plan-links"><li><a href="{}">{}</a></li>'
            '<li><a href="{}">{}</a></li><li><a href="{}">{}</a></li>'
            '<li><a href="{}">{}</a></li></ul>',
            reverse("plans:meeting-detail", kwargs={"pk": obj.meeting_id}),
            gettext("Meeting page"),
            reverse(
                "plans:boardpack-pdf",
                kwargs={"pk": obj.meeting_id, "pack": obj.pk, "edition": "public"},
            ),
            gettext("The public edition (PDF)"),
            reverse(
                "plans:boardpack-pdf",
                kwargs={"pk": obj.meeting_id, "pack": obj.pk, "edition": "members"},
            ),
            gettext("The members' edition (PDF)"),
            reverse("plans:meeting-changes", kwargs={"pk": obj.meeting_id}),
            gettext("Since last meeting"),
        )

    @admin.display(description=_("frozen rows"))
    def frozen_counts(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        items, indicators = obj.items.count(), obj.indicators.count()
        return format_html(
            '<a href="{}?pack__id__exact={}">{}</a> · '
            '<a href="{}?pack__id__exact={}">{}</a>',
            reverse("admin:plans_boardpackitem_changelist"),
            obj.pk,
            ngettext("%(count)d action item", "%(count)d action items", items)
            % {"count": items},
            reverse("admin:plans_boardpackindicator_changelist"),
            obj.pk,
            ngettext(
                "%(count)d indicator value", "%(count)d indicator values", indicators
            )
            % {"count": indicators},
        )


class FrozenRowAdmin(admin.ModelAdmin):
    """Rows of a closed board pack: to look at, never to add, change or delete."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer(*(f"pack__{name}" for name in BoardPack.DOCUMENT_FIELDS))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BoardPackItem)
class BoardPackItemAdmin(FrozenRowAdmin):
    list_display = [
        "code",
        "title_display",
        "plan_title",
        "status",
        "progress",
        "due_date",
        "latest_update_on",
        "is_public",
        "pack",
    ]
    list_filter = ["pack__meeting__body", "status", "is_public"]
    list_select_related = ["pack__meeting__body"]
    search_fields = ["code", "title", "plan_title", "responsible"]

    @admin.display(description=_("heading"), ordering="title")
    def title_display(self, obj):
        return Truncator(obj.title).chars(60)


@admin.register(BoardPackIndicator)
class BoardPackIndicatorAdmin(FrozenRowAdmin):
    list_display = ["name", "value", "value_high", "unit", "measured_on", "pack"]
    list_filter = ["pack__meeting__body", "is_public"]
    list_select_related = ["pack__meeting__body"]
    search_fields = ["name"]
