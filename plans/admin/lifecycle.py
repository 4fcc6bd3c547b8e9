"""A plan's life in the back office: "Create the next plan" (a preview, then
the rollover), and the plan as a data file (download and upload).

The work is done by services (``plans.services.rollover``,
``plans.services.plan_data``); these views only ask and show.
"""

import dataclasses

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plans.models import ActionItem
from plans.services.adopted import freeze_adopted_edition
from plans.services.plan_data import (
    MAX_PLAN_FILE_BYTES,
    PlanFileError,
    export_plan_file,
    import_plan_text,
    preview_plan_text,
)
from plans.services.rollover import (
    NextPlan,
    RolloverError,
    open_items,
    preview_rollover,
    roll_over,
    suggest_next,
)


class CarriedItemsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title} ({obj.get_status_display()})"


class NextPlanForm(forms.Form):
    """The new plan's title, period and slug, and the open items it takes over."""

    title = forms.CharField(label=_("title"), max_length=200)
    subtitle = forms.CharField(label=_("subtitle"), max_length=300, required=False)
    slug = forms.SlugField(label=_("slug"), max_length=100)
    start_year = forms.IntegerField(label=_("first year"), min_value=1900)
    end_year = forms.IntegerField(label=_("last year"), min_value=1900)
    items = CarriedItemsField(
        label=_("open action items to carry over"),
        queryset=ActionItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each ticked item is copied into the new plan and closed here as "
            "“Carried over”. Unticked items stay open in this plan."
        ),
    )

    def __init__(self, plan, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = open_items(plan)

    def next_plan(self):
        data = self.cleaned_data
        return NextPlan(
            title=data["title"],
            subtitle=data["subtitle"],
            slug=data["slug"],
            start_year=data["start_year"],
            end_year=data["end_year"],
        )


class PlanFileUploadForm(forms.Form):
    plan_file = forms.FileField(
        label=_("plan data file (YAML)"),
        help_text=_("The format of docs/plan-data-format.md, at most %(size)s kB.")
        % {"size": MAX_PLAN_FILE_BYTES // 1024},
    )

    def clean_plan_file(self):
        upload = self.cleaned_data["plan_file"]
        if upload.size > MAX_PLAN_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s kB.")
                % {"size": MAX_PLAN_FILE_BYTES // 1024}
            )
        data = b"".join(upload.chunks())
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc


class PlanLifecycleMixin:
    """The next-plan and data-file views of ``PlanAdmin``."""

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/next-plan/",
                view(self.next_plan_view),
                name=f"{prefix}_next",
            ),
            path(
                "<path:object_id>/data-file/",
                view(self.data_file_view),
                name=f"{prefix}_data_file",
            ),
            path(
                "upload-data-file/",
                view(self.upload_data_file_view),
                name=f"{prefix}_upload_data_file",
            ),
            *super().get_urls(),
        ]

    def lifecycle_links(self, request, plan):
        """(label, url, is_download) for the plan's change page."""
        prefix = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        links = [
            (
                gettext("Download as a data file"),
                reverse(f"{prefix}_data_file", args=[plan.pk]),
                True,
            )
        ]
        if self.has_add_permission(request):
            links.insert(
                0,
                (
                    gettext("Create the next plan"),
                    reverse(f"{prefix}_next", args=[plan.pk]),
                    False,
                ),
            )
        return links

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_add_permission(request):
            extra_context["upload_data_file_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_upload_data_file"
            )
        return super().changelist_view(request, extra_context)

    def save_related(self, request, form, formsets, change):
        """A plan saved as adopted has its adopted edition frozen, once its
        sections and focus areas are saved too."""
        super().save_related(request, form, formsets, change)
        freeze_adopted_edition(form.instance)

    def _plan_or_404(self, request, object_id):
        plan = self.get_object(request, unquote(object_id))
        if plan is None:
            raise Http404
        return plan

    # -- the next plan ----------------------------------------------------------

    def next_plan_view(self, request, object_id):
        plan = self._plan_or_404(request, object_id)
        if not (
            self.has_add_permission(request)
            and self.has_change_permission(request, plan)
        ):
            raise PermissionDenied
        if request.method == "POST":
            form = NextPlanForm(plan, request.POST)
        else:
            suggested = suggest_next(plan)
            form = NextPlanForm(
                plan,
                initial={
                    **dataclasses.asdict(suggested),
                    "items": [item.pk for item in open_items(plan)],
                },
            )
        preview = None
        if form.is_bound and form.is_valid():
            item_ids = [item.pk for item in form.cleaned_data["items"]]
            if "confirm" in request.POST:
                try:
                    new_plan = roll_over(
                        plan, form.next_plan(), item_ids, user=request.user
                    )
                except RolloverError as exc:
                    form.add_error(None, str(exc))
                else:
                    self.log_addition(request, new_plan, [{"added": {}}])
                    self.message_user(
                        request,
                        gettext(
                            "“%(plan)s” was created as a draft; %(count)s action "
                            "items were carried over."
                        )
                        % {"plan": new_plan.title, "count": len(item_ids)},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse(
                            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                            args=[new_plan.pk],
                        )
                    )
            preview = preview_rollover(plan, form.next_plan(), item_ids)
        elif not form.is_bound:
            preview = preview_rollover(plan, suggest_next(plan))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": plan,
            "title": gettext("Create the next plan after “%(plan)s”")
            % {"plan": plan.title},
            "form": form,
            "preview": preview,
        }
        return TemplateResponse(request, "admin/plans/plan/next_plan.html", context)

    # -- data files -------------------------------------------------------------

    def data_file_view(self, request, object_id):
        plan = self._plan_or_404(request, object_id)
        if not self.has_view_permission(request, plan):
            raise PermissionDenied
        text = export_plan_file(plan)
        response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{plan.slug}.yaml"
        )
        return response

    def upload_data_file_view(self, request):
        """Check an uploaded plan data file (a load rolled back: what it would
        create and change), then import the same text on confirmation."""
        if not (
            self.has_add_permission(request) and self.has_change_permission(request)
        ):
            raise PermissionDenied
        form = PlanFileUploadForm()
        preview = error = None
        text = ""
        if request.method == "POST" and "confirm" in request.POST:
            text = request.POST.get("plan_text", "")
            try:
                result = import_plan_text(text)
            except PlanFileError as exc:
                error = exc
            else:
                self.message_user(
                    request,
                    gettext("The plan data file was imported: %(summary)s")
                    % {"summary": result.summary()},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
                    )
                )
        elif request.method == "POST":
            form = PlanFileUploadForm(request.POST, request.FILES)
            if form.is_valid():
                text = form.cleaned_data["plan_file"]
                name = request.FILES["plan_file"].name
                try:
                    preview = preview_plan_text(text, name)
                except PlanFileError as exc:
                    error = exc
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import a plan data file"),
            "form": form,
            "preview": preview,
            "error": error,
            "plan_text": text,
        }
        return TemplateResponse(
            request,
            "admin/plans/plan/upload_data_file.html",
            context,
            status=400 if error else 200,
        )
