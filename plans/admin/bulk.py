"""Bulk update mode of the action items: one page where the director updates
the status, progress, next due date and this week's text of many items, from
any filtered list (or the items picked in it), in one save.

The save is one transaction: if any changed row is invalid or was saved by
someone else meanwhile (the row's version, as on the item's own page), no row
is saved and each refused row says why; the input stays on the page. Each
saved row writes its entry in the item's update log (``ActionItem.save``).
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from plans.forms import BulkUpdateDateForm, BulkUpdateFormSet
from plans.models import ActionItem, ConcurrentEditError

#: Rows on one bulk page: a week's work, and a page that still loads at once.
BULK_MAX_ROWS = 50


class BulkUpdateMixin:
    """Adds the bulk update page (``admin:plans_actionitem_bulk_update``) and
    the list action that opens it with the picked items."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.bulk_update_view)
        return [
            path("bulk-update/", view, name="plans_actionitem_bulk_update"),
            *super().get_urls(),
        ]

    @admin.action(description=_("Update the selected items on one page"))
    def update_in_bulk(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        url = reverse("admin:plans_actionitem_bulk_update")
        return HttpResponseRedirect(f"{url}?{urlencode({'ids': ids})}")

    update_in_bulk.allowed_permissions = ("change",)

    # -- the rows ----------------------------------------------------------------

    def bulk_selection(self, request):
        """The primary keys of the items the page is for: ``?ids=`` or the
        changelist's filters in the query string."""
        ids = request.GET.get("ids")
        if ids is not None:
            return [int(pk) for pk in ids.split(",") if pk.strip().isdigit()]
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return []
        return changelist.get_queryset(request).values_list("pk", flat=True)

    def bulk_rows(self, pks):
        return (
            ActionItem.objects.filter(pk__in=list(pks))
            .with_update_state(internal=True)
            .select_related("plan", "responsible_person")
            .most_overdue_first()
        )

    def _posted_pks(self, request):
        prefix = BulkUpdateFormSet.get_default_prefix()
        try:
            total = int(request.POST.get(f"{prefix}-TOTAL_FORMS", 0))
        except ValueError:
            return []
        total = min(total, BULK_MAX_ROWS)
        values = (request.POST.get(f"{prefix}-{i}-id", "") for i in range(total))
        return [int(value) for value in values if value.isdigit()]

    # -- the page ----------------------------------------------------------------

    def bulk_update_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            queryset = self.bulk_rows(self._posted_pks(request))
            formset = BulkUpdateFormSet(request.POST, queryset=queryset)
            date_form = BulkUpdateDateForm(request.POST)
            if formset.is_valid() and date_form.is_valid():
                return self._save_bulk(request, formset, date_form)
            refused = sum(1 for form in formset.forms if form.errors)
            self.message_user(
                request,
                ngettext(
                    "%(count)d row could not be saved, so nothing was saved. "
                    "The row says why; your input is kept.",
                    "%(count)d rows could not be saved, so nothing was saved. "
                    "Each row says why; your input is kept.",
                    refused,
                )
                % {"count": refused},
                messages.ERROR,
            )
        else:
            pks = list(self.bulk_selection(request))
            queryset = self.bulk_rows(pks)[:BULK_MAX_ROWS]
            formset = BulkUpdateFormSet(queryset=queryset)
            date_form = BulkUpdateDateForm()
        rows = [(form, form.instance) for form in formset.forms]
        filters = request.GET.copy()
        changelist_url = reverse("admin:plans_actionitem_changelist")
        if filters and "ids" not in filters:
            changelist_url += "?" + filters.urlencode()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Update action items"),
            "formset": formset,
            "date_form": date_form,
            "rows": rows,
            "max_rows": BULK_MAX_ROWS,
            "changelist_url": changelist_url,
            "media": self.media + formset.media,
        }
        return TemplateResponse(
            request, "admin/plans/actionitem/bulk_update.html", context
        )

    def _save_bulk(self, request, formset, date_form):
        changed = [form for form in formset.forms if form.has_changed()]
        if not changed:
            self.message_user(
                request, gettext("Nothing was changed."), messages.WARNING
            )
            return HttpResponseRedirect(request.get_full_path())
        date = date_form.cleaned_data["update_date"]
        try:
            with transaction.atomic():
                for form in changed:
                    form.note_update(request.user, date)
                    item = form.save()
                    self.log_change(
                        request,
                        item,
                        self.construct_change_message(request, form, None),
                    )
        except ConcurrentEditError:
            self.message_user(
                request,
                gettext(
                    "Someone else saved one of the items at the same moment. "
                    "Nothing was changed: please try again."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        self.message_user(
            request,
            ngettext(
                "%(count)d action item updated; each has its entry in the update log.",
                "%(count)d action items updated; each has its entry in the update log.",
                len(changed),
            )
            % {"count": len(changed)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(request.get_full_path())
