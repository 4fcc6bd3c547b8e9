"""Import and export of a plan's action items in the back office
(django-import-export): a preview before anything is saved, an atomic import,
and files named after the plan. The files are written and read by the
exporter layer (``plans.exports``)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.signals import post_export

from flemingsberg.admin import has_nul_byte
from plans.exports.files import content, download
from plans.exports.reading import MAX_IMPORT_ROWS, read_import_file
from plans.exports.resources import (
    FORMATS,
    ActionItemResource,
    export_name,
    import_report,
)
from plans.models import Plan


class ActionItemImportForm(ImportForm):
    """Rejects, with a message naming the row or column, a file that is too
    large (in bytes, unpacked, rows or columns), empty, not UTF-8 (CSV), not a
    workbook (XLSX), or whose heading row is not the format's."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self._formats = formats
        self._resources = resources
        self.fields["import_file"].help_text = _(
            "An Excel workbook (XLSX) or a CSV file in UTF-8, at most %(size)s MB "
            "and %(rows)s rows, with the heading row of the template."
        ) % {
            "size": settings.UPLOAD_MAX_BYTES // 1024 // 1024,
            "rows": _number(MAX_IMPORT_ROWS),
        }

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("import_file")
        file_format = cleaned_data.get("format")
        if upload is None or file_format in (None, ""):
            return cleaned_data
        if upload.size > settings.UPLOAD_MAX_BYTES:
            self.add_error(
                "import_file",
                _(
                    "The file is %(size)s MB; at most %(limit)s MB can be "
                    "imported. Split it into several files."
                )
                % {
                    "size": formats.number_format(upload.size / 1024 / 1024, 1),
                    "limit": settings.UPLOAD_MAX_BYTES // 1024 // 1024,
                },
            )
            return cleaned_data
        data = b"".join(upload.chunks())
        upload.seek(0)
        format_class = self._formats[int(file_format)]
        resource_class = self._resources[int(cleaned_data.get("resource") or 0)]
        try:
            read_import_file(format_class, resource_class, data)
        except ValidationError as error:
            self.add_error("import_file", error)
        return cleaned_data


def _number(value):
    return formats.number_format(value, force_grouping=True)


class ActionItemExportForm(SelectableFieldsExportForm):
    """The export page, whose column picker names each column as its heading
    in the file, in the admin's language (django-import-export shows the field
    name with the heading in brackets: "Code (Kod)")."""

    def _get_field_label(self, resource, field_name):
        return resource().fields[field_name].column_name


class ActionItemImportExportMixin:
    """The import and export views of ``ActionItemAdmin`` (before
    django-import-export's ``ImportExportMixin`` in its bases)."""

    resource_classes = [ActionItemResource]
    formats = FORMATS
    import_form_class = ActionItemImportForm
    export_form_class = ActionItemExportForm
    import_template_name = "admin/plans/actionitem/import.html"
    to_encoding = "utf-8-sig"

    # -- import and export ---------------------------------------------------

    def export_action(self, request):
        """The export page takes the list's filters; a wrong one (or one with
        a NUL byte) gives the page without filters, as the list does, instead
        of the error django-import-export let through."""
        unfiltered = HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        if has_nul_byte(request.GET):
            return unfiltered
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            return unfiltered

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        """The file of the export page, named after its plan and the date
        (django-import-export names it after the model and writes the name
        into the header unencoded)."""
        table = self.get_data_for_export(request, queryset, export_form=export_form)
        plan_ids = list(
            queryset.order_by().values_list("plan_id", flat=True).distinct()[:2]
        )
        plan = None
        if len(plan_ids) == 1:
            plan = Plan.objects.get(pk=plan_ids[0])
            table.title = plan.title
        response = download(table, file_format, export_name(plan))
        post_export.send(sender=None, model=self.model)
        return response

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "export-plan/<slug:slug>/<str:extension>/",
                self.admin_site.admin_view(self.export_plan_view),
                name=f"{prefix}_export_plan",
            ),
            path(
                "import-template/<str:extension>/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{prefix}_import_template",
            ),
            *super().get_urls(),
        ]

    def _file_format(self, extension):
        for format_class in FORMATS:
            file_format = format_class(encoding=self.to_encoding)
            if file_format.get_extension() == extension:
                return file_format
        raise Http404

    def export_plan_view(self, request, slug, extension):
        """A plan's action items as a file, in the import format."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            raise Http404
        file_format = self._file_format(extension)
        table = ActionItemResource().export_for_plan(plan)
        table.title = plan.title
        return download(table, file_format, export_name(plan))

    def import_template_view(self, request, extension):
        """An empty file with the heading row to fill in and import."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        file_format = self._file_format(extension)
        template = ActionItemResource().template_dataset()
        name = gettext("action-items-template")
        return download(content(template, file_format), file_format, name)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["template_links"] = [
            (
                file_format().get_extension(),
                reverse(
                    "admin:plans_actionitem_import_template",
                    args=[file_format().get_extension()],
                ),
            )
            for file_format in FORMATS
        ]
        return context

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context and context.get("result") is not None:
            context.update(import_report(context["result"]))
        return response

    def process_import(self, request, **kwargs):
        """The confirmation step; a confirmation whose file is gone (kept open
        longer than the preview's file is stored), cannot be read, or names a
        format or resource that is not ours imports nothing and says so."""
        if request.method == "POST" and self.has_import_permission(request):
            confirm_form = self.create_confirm_form(request)
            if confirm_form.is_valid() and not self._confirmed_file_is_readable(
                request, confirm_form.cleaned_data
            ):
                self.message_user(
                    request,
                    gettext(
                        "Nothing was imported: the previewed file is no longer "
                        "available or cannot be read. Upload it again."
                    ),
                    messages.ERROR,
                )
                return HttpResponseRedirect(
                    reverse(
                        "admin:plans_actionitem_import",
                        current_app=self.admin_site.name,
                    )
                )
        return super().process_import(request, **kwargs)

    def _confirmed_file_is_readable(self, request, data):
        formats = self.get_import_formats()
        resources = self.get_import_resource_classes(request)
        try:
            format_index = int(data["format"])
            resource_index = int(data.get("resource") or 0)
        except ValueError:
            return False
        if not (
            0 <= format_index < len(formats) and 0 <= resource_index < len(resources)
        ):
            return False
        format_class = formats[format_index]
        storage = self.get_tmp_storage_class()(
            name=data["import_file_name"],
            encoding=None if format_class().is_binary() else self.from_encoding,
            read_mode=format_class().get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            data = storage.read()
        except (OSError, ValueError):  # ValueError: also UnicodeDecodeError
            return False
        if data is None:
            return False
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            read_import_file(format_class, resources[resource_index], data)
        except ValidationError:
            return False
        return True

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                gettext(
                    "Nothing was imported: the data changed since the preview. "
                    "Upload the file again to see what is wrong."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(
                reverse(
                    "admin:plans_actionitem_import", current_app=self.admin_site.name
                )
            )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            gettext(
                "Import finished: %(new)d new, %(update)d changed and "
                "%(skip)d unchanged action items."
            )
            % {
                "new": totals["new"],
                "update": totals["update"],
                "skip": totals["skip"],
            },
            messages.SUCCESS,
        )
