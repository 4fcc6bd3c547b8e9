"""Reminders of the progress updates that are due: one digest per responsible
person with an email address; the items without one (no person, or a person
without an address) are collected per plan, for the plan owner's contact.

An open action item's update is due ``Plan.update_interval_days`` days after
its latest progress update (public or internal), or after it was created if it
never had one (``ActionItem.next_update_due_on``); items of archived plans are
left out.

``send_reminders`` e-mails the digests (plain text and HTML, in the portal's
language), records each item it reminded someone of (``ReminderSent``), and
leaves an item out of the next runs until its plan's update interval has
passed since that reminder. The job runs from cron (``manage.py
update_reminders --email``) or on the task queue (``send_reminders_task``).
"""

import datetime
from dataclasses import dataclass, field
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from plans.models import ActionItem, Plan, ReminderSent


@dataclass
class Digest:
    """The due items of one responsible person, or the unassigned ones of a plan."""

    name: str
    email: str = ""
    plan: Plan | None = None
    items: list = field(default_factory=list)

    @property
    def sendable(self):
        return bool(self.email)

    @property
    def subject(self):
        return ngettext(
            "Progress update due: %(count)d action item",
            "Progress updates due: %(count)d action items",
            len(self.items),
        ) % {"count": len(self.items)}


def build_digests(items):
    """Digests in a stable order: people by name, then unassigned per plan."""
    people, unassigned = {}, {}
    for item in items:
        person = item.responsible_person
        if person is not None and person.email:
            digest = people.setdefault(
                person.pk, Digest(name=person.name, email=person.email)
            )
        else:
            contact = item.plan.contact.strip() or item.plan.owner.name
            digest = unassigned.setdefault(
                item.plan_id, Digest(name=contact, plan=item.plan)
            )
        digest.items.append(item)
    return [
        *sorted(people.values(), key=lambda d: (d.name, d.email)),
        *sorted(unassigned.values(), key=lambda d: d.plan.title),
    ]


def item_lines(item, today):
    due_on = item.next_update_due_on(item.latest_update_on)
    last = (
        item.latest_update_on.isoformat()
        if item.latest_update_on
        else _("none yet (created %(date)s)")
        % {"date": timezone.localdate(item.created_at).isoformat()}
    )
    lines = [
        f"- {item.code} {item.title} ({item.plan.title})",
        "  "
        + _("Latest progress update: %(last)s. Next one due: %(due)s.")
        % {"last": last, "due": due_on.isoformat()},
    ]
    days = (today - due_on).days
    if days > 0:
        lines.append(
            "  "
            + ngettext("Overdue by %(days)d day.", "Overdue by %(days)d days.", days)
            % {"days": days}
        )
    if item.responsible_person is not None and not item.responsible_person.email:
        lines.append(
            "  "
            + _("Responsible: %(name)s (no email address registered).")
            % {"name": item.responsible_person.name}
        )
    admin_url = reverse("admin:plans_actionitem_change", args=[item.pk])
    lines.append("  " + settings.PORTAL_URL.rstrip("/") + admin_url)
    return lines


def digest_body(digest, today):
    if digest.plan is not None:
        intro = [
            _("Action items of %(plan)s without a responsible person to remind.")
            % {"plan": digest.plan.title},
            _("For the plan owner's contact: %(contact)s") % {"contact": digest.name},
        ]
    else:
        intro = [
            _("Hello %(name)s,") % {"name": digest.name},
            "",
            _(
                "The following action items you are responsible for need a new "
                "progress update. Write it in the portal's back office, or send "
                "it to the development director."
            ),
        ]
    lines = [*intro, ""]
    for item in digest.items:
        lines.extend(item_lines(item, today))
    return "\n".join(lines) + "\n"


def due_items(today, *, reminded=False):
    """The items whose progress update is due on ``today`` or earlier; without
    the ones reminded of within their plan's interval unless ``reminded``."""
    items = ActionItem.objects.exclude(plan__status=Plan.Status.ARCHIVED).update_due(
        today=today
    )
    if not reminded:
        items = items.exclude(ReminderSent.reminded_condition(today))
    return items.select_related("plan__owner", "responsible_person").order_by(
        "plan__title", "order", "code"
    )


def _absolute(path):
    return settings.PORTAL_URL.rstrip("/") + path


def digest_message(digest, today):
    """The e-mail of one person's digest: plain text with an HTML version."""
    rows = [
        {
            "item": item,
            "state": item.update_state(item.latest_update_on, today),
            "admin_url": _absolute(
                reverse("admin:plans_actionitem_change", args=[item.pk])
            ),
            "page_url": _absolute(item.get_absolute_url()),
        }
        for item in digest.items
    ]
    context = {
        "digest": digest,
        "rows": rows,
        "bulk_url": _absolute(reverse("admin:plans_actionitem_bulk_update")),
    }
    message = EmailMultiAlternatives(
        digest.subject,
        digest_body(digest, today),
        settings.DEFAULT_FROM_EMAIL,
        [formataddr((digest.name, digest.email))],
    )
    message.attach_alternative(
        render_to_string("plans/email/update_reminder.html", context), "text/html"
    )
    return message


@dataclass
class ReminderRun:
    """What one run of the reminder job did."""

    sent: list = field(default_factory=list)
    unsendable: list = field(default_factory=list)

    @property
    def item_count(self):
        return sum(len(d.items) for d in [*self.sent, *self.unsendable])


def send_reminders(today=None, connection=None):
    """E-mail each responsible person with an address one digest of their due
    items not reminded of lately, and record what was sent. A digest that the
    mail server refuses is not recorded, so the next run tries again."""
    today = today or timezone.localdate()
    run = ReminderRun()
    connection = connection or get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for digest in build_digests(due_items(today)):
            if not digest.sendable:
                run.unsendable.append(digest)
                continue
            message = digest_message(digest, today)
            message.connection = connection
            message.send()
            _record(digest, today)
            run.sent.append(digest)
    return run


def _record(digest, today):
    with transaction.atomic():
        for item in digest.items:
            ReminderSent.objects.create(
                item=item,
                person=item.responsible_person,
                email=digest.email,
                due_on=item.next_update_due_on(item.latest_update_on),
                quiet_until=today
                + datetime.timedelta(days=item.plan.update_interval_days),
            )


@task()
def send_reminders_task():
    """The reminder job on the task queue (``manage.py db_worker`` runs it);
    enqueue it daily, or run ``update_reminders --email`` from cron."""
    run = send_reminders()
    return {"sent": len(run.sent), "unsendable": len(run.unsendable)}
