"""The action browser, one action item, and the open-data exports."""

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from flemingsberg.permissions import sees_internal
from plans.caching import cached_fragment
from plans.exports.actions import action_items_download
from plans.exports.files import DOWNLOAD_FORMATS
from plans.filters import ActionItemFilter
from plans.models import ActionItem, Indicator, Meeting, Plan, Section
from plans.services.history import history_for_display
from plans.tables import ActionItemTable

EXPORT_PARAMETER = "export"
ACTION_SECTION_KINDS = (Section.Kind.ACTION_ITEMS, Section.Kind.ACTION_TABLE)
# The eight columns of a Söderort-style action table, in the source's order.
EIGHT_COLUMNS = [
    ("title", _("Heading")),
    ("assignment", _("Assignment")),
    ("commissioned_by", _("Commissioned by")),
    ("expected_result", _("Expected result")),
    ("schedule", _("Schedule")),
    ("responsible_body", _("Responsible committee")),
    ("responsible_officer", _("Responsible officer")),
    ("coordinator", _("Coordinator (SLK)")),
]
MULTILINE_COLUMNS = {"assignment", "expected_result"}
EXPORT_LABELS = [("xlsx", _("Excel (XLSX)")), ("csv", _("CSV")), ("json", _("JSON"))]
MAIN_FILTERS = ("q", "plan", "focus_area", "strategy")
STATE_FILTERS = ("status", "late", "overdue")
MORE_FILTERS = (
    "scope",
    "within",
    "responsible_body",
    "commissioned_by",
    "area",
    "due_year",
)


# What a row of the action browser reads: the table's cells, the late badge and
# the link. Only these columns are loaded and only these rows joined, so the
# sort and the page of 25 stay cheap however many items there are.
BROWSE_FIELDS = (
    "code",
    "title",
    "order",
    "status",
    "progress",
    "due_date",
    "responsible_body",
    "plan__title",
    "plan__slug",
    "focus_area__title",
    "responsible_organisation__name",
)


def browse_queryset(user):
    """The action items ``user`` may see, as the action browser lists them."""
    return (
        ActionItem.objects.visible_to(user)
        .select_related("plan", "focus_area", "responsible_organisation")
        .only(*BROWSE_FIELDS)
        .with_latest_update(user)
        .order_by("plan__title", "order", "code")
    )


class ActionItemListView(SingleTableMixin, FilterView):
    """All action items the visitor may see, filtered, sorted and paginated.

    Invalid filter values are shown as errors next to their control; the list
    is then narrowed by the valid filters only (``strict = False``), so the
    page never turns empty or fails because of one bad parameter.
    ``?export=xlsx|csv|json`` downloads every filtered row (not just a page).
    """

    model = ActionItem
    table_class = ActionItemTable
    filterset_class = ActionItemFilter
    template_name = "plans/actionitem_list.html"
    strict = False

    def get_queryset(self):
        return browse_queryset(self.request.user)

    def get_table_kwargs(self):
        """Leave out the plan column when the list shows one plan only."""
        form = self.filterset.form
        if (
            form.is_bound
            and "plan" not in form.errors
            and form.cleaned_data.get("plan")
        ):
            return {"exclude": ("plan",)}
        return {}

    def get_table(self, **kwargs):
        """Sorting from the request; the page size from the validated form."""
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        RequestConfig(self.request, paginate=False).configure(table)
        per_page = self.filterset.page_size
        page = self.request.GET.get(table.prefixed_page_field, 1)
        try:
            table.paginate(per_page=per_page, page=page)
        except PageNotAnInteger:
            table.paginate(per_page=per_page, page=1)
        except EmptyPage:
            table.paginate(per_page=per_page, page=table.paginator.num_pages)
        table.caption = self._caption(table)
        return table

    def _caption(self, table):
        caption = gettext("Action items")
        if table.paginator.num_pages > 1:
            caption = gettext("%(caption)s, page %(page)s of %(pages)s") % {
                "caption": caption,
                "page": table.page.number,
                "pages": table.paginator.num_pages,
            }
        return caption

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = context["table"]
        form = self.filterset.form
        more_fields = [form[name] for name in MORE_FILTERS]
        context.update(
            filter_groups=[
                {"fields": [form[name] for name in MAIN_FILTERS]},
                {"fields": [form[name] for name in STATE_FILTERS], "kind": "state"},
                {
                    "fields": more_fields,
                    "more": True,
                    "open": any(f.value() or f.errors for f in more_fields),
                },
            ],
            per_page_field=form["per_page"],
            result_count=table.paginator.count,
            is_filtered=self.filterset.is_filtered,
            export_formats=EXPORT_LABELS,
            sort=self.request.GET.get(table.prefixed_order_by_field, ""),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        export_format = self.request.GET.get(EXPORT_PARAMETER)
        if export_format is None:
            # The filters and the rows are the same for every visitor who
            # sees what this one sees: a fragment kept under the generation.
            context["main"] = cached_fragment(
                self.request,
                "actions",
                "plans/includes/action_browser.html",
                lambda: context,
            )
            return super().render_to_response(context, **response_kwargs)
        if export_format not in DOWNLOAD_FORMATS:
            raise Http404(gettext("Unknown export format."))
        table = context["table"]
        filename = "{name}-{date}".format(
            name=gettext("action-items"), date=timezone.localdate().isoformat()
        )
        return action_items_download(
            table.data.data,
            export_format,
            self.request,
            filename,
            sheet_title=gettext("Action items"),
        )


class ActionItemDetailView(DetailView):
    """One action item with every field and its progress log; the part below
    the header is a fragment kept under the data generation."""

    def get_queryset(self):
        return (
            ActionItem.objects.visible_to(self.request.user)
            .with_related()
            .select_related(
                "plan__owner",
                "strategy__plan",
                "focus_area__strategy__plan",
                "responsible_person__organisation",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.object
        context["main"] = cached_fragment(
            self.request,
            "item",
            "plans/includes/actionitem_main.html",
            self.details,
        )
        return context

    def details(self):
        """Everything below the header (a fragment kept under the data
        generation)."""
        context = {}
        item = self.object
        user = self.request.user
        internal = sees_internal(user)

        updates = item.updates.select_related("author")
        if not internal:
            updates = updates.filter(is_public=True)

        visible_items = ActionItem.objects.visible_to(user)
        referenced_by = visible_items.filter(see_above=item).order_by("order", "code")
        # The item's lineage across plans: what it continues, what continues it.
        lineage = visible_items.select_related("plan")
        context["carried_from"] = lineage.filter(carried_to=item).first()
        context["carried_to"] = lineage.filter(carried_from=item).first()

        # The item refers to a row of its own plan; show it if it may be seen.
        see_above = item.see_above
        if see_above is not None and not (internal or see_above.is_public):
            see_above = None

        # The strategy it serves (its own, else its focus area's) may belong
        # to another plan (the business plan).
        strategy = item.served_strategy
        if strategy is not None and not (internal or strategy.plan.is_published):
            strategy = None

        plan_ids = {item.plan_id}
        if strategy is not None:
            plan_ids.add(strategy.plan_id)
        sections = Section.objects.filter(
            plan_id__in=plan_ids,
            kind__in=[*ACTION_SECTION_KINDS, Section.Kind.STRATEGIES],
        ).order_by("order")
        action_section = strategy_section = None
        for section in sections:
            if section.plan_id == item.plan_id and section.kind in ACTION_SECTION_KINDS:
                action_section = action_section or section
            if (
                strategy is not None
                and section.plan_id == strategy.plan_id
                and section.kind == Section.Kind.STRATEGIES
            ):
                strategy_section = strategy_section or section

        # A Söderort-style plan (an action table) shows all eight columns, the
        # empty ones marked; other plans show the columns they fill in.
        is_table_plan = (
            action_section is not None
            and action_section.kind == Section.Kind.ACTION_TABLE
        )
        columns = [
            (label, getattr(item, name), name in MULTILINE_COLUMNS)
            for name, label in EIGHT_COLUMNS
        ]
        if not is_table_plan:
            columns = [column for column in columns if column[1]]
            if len(columns) == 1:  # only the heading, already the page title
                columns = []

        updates = list(updates)
        context.update(
            item=item,
            columns=columns,
            sees_internal=internal,
            updates=updates,
            # Staleness from the updates the visitor sees (newest first).
            update_state=item.update_state(updates[0].date if updates else None),
            decisions=list(
                item.decisions.filter(meeting__in=Meeting.objects.visible_to(user))
                .select_related("meeting__body")
                .order_by("-meeting__date", "order")
            ),
            referenced_by=list(referenced_by),
            # Who changed what and when: [] for anyone who may not see it.
            change_history=history_for_display(item, user),
            see_above=see_above,
            strategy=strategy,
            plan_url=_anchored(item.plan.get_absolute_url(), action_section),
            strategy_url=(
                _anchored(strategy.plan.get_absolute_url(), strategy_section)
                if strategy
                else None
            ),
            indicators=list(
                Indicator.objects.visible_to(user)
                .filter(action_items=item)
                .order_by("name")
            ),
        )
        return context


def _anchored(url, section):
    return f"{url}#{section.anchor}" if section else url


class OpenDataView(ListView):
    """The stable addresses of every published plan's action items."""

    template_name = "plans/open_data.html"
    context_object_name = "plans"

    def get_queryset(self):
        return (
            Plan.objects.published()
            .select_related("owner")
            .annotate(
                public_item_count=Count(
                    "action_items", filter=Q(action_items__is_public=True)
                )
            )
            .order_by("-start_year", "title")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for plan in context["plans"]:
            plan.data_links = [
                {
                    "format": export_format,
                    "label": label,
                    "url": self.request.build_absolute_uri(
                        reverse(
                            "plans:plan-action-data",
                            kwargs={"slug": plan.slug, "format": export_format},
                        )
                    ),
                }
                for export_format, label in EXPORT_LABELS
            ]
        # Each indicator's series (targets and measured values) as data.
        context["indicators"] = [
            {
                "indicator": indicator,
                "links": [
                    self.request.build_absolute_uri(
                        reverse(
                            "plans:indicator-series",
                            kwargs={"pk": indicator.pk, "format": series_format},
                        )
                    )
                    for series_format in ("csv", "json")
                ],
            }
            for indicator in Indicator.objects.public().order_by("name")
        ]
        return context


class PlanActionDataView(DetailView):
    """A plan's action items at a stable address as CSV, XLSX or JSON."""

    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        export_format = kwargs["format"]
        if export_format not in DOWNLOAD_FORMATS:
            raise Http404(gettext("Unknown export format."))
        plan = self.get_object()
        items = (
            ActionItem.objects.visible_to(request.user)
            .for_plan(plan)
            .order_by("order", "code")
        )
        filename = "{slug}-{name}".format(slug=plan.slug, name=gettext("action-items"))
        return action_items_download(
            items, export_format, request, filename, sheet_title=plan.title
        )
