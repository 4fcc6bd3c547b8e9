"""Which plans' documents a written row shows in: the plans whose PDFs a
change makes stale (``stored_pdfs.data_changed``)."""

from plans.models import ActionItem, ActionUpdate, Plan, Strategy

#: Models whose rows no plan document or report shows.
NOT_IN_DOCUMENTS = {
    "meeting",
    "meetingdecision",
    "boardpack",
    "boardpackitem",
    "boardpackindicator",
    "rendereddocument",
}


def plans_touched(sender, instance):
    """The pks of the plans whose documents show ``instance``, or None for
    "possibly every plan" (organisations, people, bodies, indicators)."""
    model = model_of(instance)
    if model._meta.app_label == "plans" and model._meta.model_name in NOT_IN_DOCUMENTS:
        return set()
    if issubclass(model, Plan):
        return {instance.id}
    if getattr(instance, "plan_id", None):
        return {instance.plan_id}
    if issubclass(model, ActionUpdate):
        plan = ActionItem.objects.filter(pk=instance.item_id).values_list(
            "plan_id", flat=True
        )
        return set(plan)
    if getattr(instance, "strategy_id", None):
        return set(
            Strategy.objects.filter(pk=instance.strategy_id).values_list(
                "plan_id", flat=True
            )
        )
    return None


def with_relatives(plan_ids):
    """The plans and the ones that show them: a plan's PDF holds its
    appendices, and an appendix names its parent and its number among its
    siblings."""
    if not plan_ids:
        return set()
    parents = set(
        Plan.objects.filter(pk__in=plan_ids, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    family = set(plan_ids) | parents
    children = set(
        Plan.objects.filter(parent_id__in=family).values_list("pk", flat=True)
    )
    return family | children


def model_of(instance):
    """The row's own model (not a many-to-many table's), or the model a
    history row records."""
    return getattr(type(instance), "instance_type", type(instance))
