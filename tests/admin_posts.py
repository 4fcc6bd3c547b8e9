"""The POSTs the admin's forms send, for tests that save through the admin
as an editor's browser would (each carries the row's ``loaded_version``, the
lock every admin form has)."""

from django.urls import reverse
from django.utils import timezone


def change_form_data(item, **overrides):
    data = {
        "plan": item.plan_id,
        "focus_area": item.focus_area_id or "",
        "strategy": item.strategy_id or "",
        "code": item.code,
        "order": item.order,
        "title": item.title,
        "see_above": "",
        "assignment": item.assignment,
        "commissioned_by": item.commissioned_by,
        "expected_result": item.expected_result,
        "schedule": item.schedule,
        "responsible_body": item.responsible_body,
        "responsible_officer": item.responsible_officer,
        "coordinator": item.coordinator,
        "status": item.status,
        "progress": item.progress,
        "progress_note": item.progress_note,
        "start_date": item.start_date or "",
        "due_date": item.due_date or "",
        "responsible_organisation": item.responsible_organisation_id or "",
        "responsible_person": item.responsible_person_id or "",
        "area": item.area,
        "is_public": "on" if item.is_public else "",
        "internal_note": item.internal_note,
        "loaded_version": item.version,
        # the update log (existing entries) and this week's update
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
        "update_text": "",
        "update_date": timezone.localdate().isoformat(),
        # the date has a callable default: the page carries its initial value
        "initial-update_date": timezone.localdate().isoformat(),
        "update_is_public": "on",
        "_save": "Save",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not False}


def changelist_post(items, changes, versions=None):
    """The POST of the changelist form with ``changes`` ({pk: {field: value}})."""
    data = {
        "form-TOTAL_FORMS": str(len(items)),
        "form-INITIAL_FORMS": str(len(items)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for i, item in enumerate(items):
        values = {"status": item.status, "progress": item.progress}
        values.update(changes.get(item.pk, {}))
        data[f"form-{i}-id"] = str(item.pk)
        data[f"form-{i}-status"] = values["status"]
        data[f"form-{i}-progress"] = str(values["progress"])
        version = (versions or {}).get(item.pk, item.version)
        data[f"form-{i}-loaded_version"] = str(version)
    return data


def _value(value):
    if isinstance(value, list | tuple):
        return [getattr(v, "pk", v) for v in value]
    return getattr(value, "pk", value)


def _fill(data, form, prefix=""):
    for name in form.fields:
        value = form.initial.get(name, form.fields[name].initial)
        if callable(value):
            value = value()
        key = f"{prefix}{name}"
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif value is not None:
            data[key] = _value(value)


def admin_form_data(response):
    """The POST a browser would send for an unchanged admin change page."""
    data = {}
    _fill(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        count = len(formset.initial_forms)
        data[f"{formset.prefix}-TOTAL_FORMS"] = count
        data[f"{formset.prefix}-INITIAL_FORMS"] = count
        for i, form in enumerate(formset.initial_forms):
            _fill(data, form, f"{formset.prefix}-{i}-")
    return data


def post_revert_to_first(client, item, **old_values):
    """Revert ``item`` to its first history record in the admin: the revert
    page's form posted with ``old_values``, as the browser sends it."""
    first = item.history.order_by("history_date", "history_id").first()
    url = reverse("admin:plans_actionitem_simple_history", args=[item.pk, first.pk])
    form = client.get(url).context["adminform"].form
    data = change_form_data(
        type(item).objects.get(pk=item.pk),
        loaded_version=form.initial["loaded_version"],
        **old_values,
    )
    return client.post(url, data)
