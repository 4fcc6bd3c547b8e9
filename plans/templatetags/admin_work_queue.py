"""The work queue on the admin start page (``admin/portal_index.html``)."""

from django import template

from plans.services.workqueue import work_queue as build_work_queue

register = template.Library()


@register.simple_tag
def work_queue(user):
    """The queue's groups for a user who may change action items, else none."""
    if not user.has_perm("plans.change_actionitem"):
        return []
    return build_work_queue()
