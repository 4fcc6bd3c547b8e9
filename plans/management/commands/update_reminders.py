"""Remind the responsible people of the progress updates that are due.

    python manage.py update_reminders            # print the digests
    python manage.py update_reminders --email    # and send them

Ready for a daily cron. An open action item's update is due
``Plan.update_interval_days`` days after its latest progress update (public or
internal), or after it was created if it never had one; items of archived plans
are left out. There is one digest per responsible person with an email address;
the items without one (no person, or a person without an address) are collected
per plan, for the plan owner's contact, and only printed, never sent.
"""

import datetime
from dataclasses import dataclass, field
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.boardpacks import update_due, update_due_on
from plans.models import ActionItem, Plan

RULE = "=" * 72


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
    due_on = update_due_on(item, item.last_update_on)
    last = (
        item.last_update_on.isoformat()
        if item.last_update_on
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


class Command(BaseCommand):
    help = (
        "Print (and with --email send) one digest per responsible person of the "
        "action items whose progress update is due."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--email",
            action="store_true",
            help="Send each person's digest by email (Django's email backend).",
        )
        parser.add_argument(
            "--date",
            help="Act as if today were this date (YYYY-MM-DD).",
        )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self.remind(options)

    def remind(self, options):
        today = self.parse_date(options["date"])
        items = (
            update_due(
                ActionItem.objects.exclude(plan__status=Plan.Status.ARCHIVED),
                today=today,
            )
            .select_related("plan__owner", "responsible_person")
            .order_by("plan__title", "order", "code")
        )
        digests = build_digests(items)
        messages = []
        for digest in digests:
            body = digest_body(digest, today)
            if digest.sendable:
                recipient = formataddr((digest.name, digest.email))
                header = [_("To: %(to)s") % {"to": recipient}]
                messages.append(
                    EmailMessage(
                        digest.subject,
                        body,
                        settings.DEFAULT_FROM_EMAIL,
                        [recipient],
                    )
                )
            else:
                header = [_("Not sent (no email address): printed only.")]
            header.append(_("Subject: %(subject)s") % {"subject": digest.subject})
            self.stdout.write("\n".join([RULE, *header, "", body]))

        sent = 0
        if options["email"] and messages:
            sent = get_connection().send_messages(messages) or 0
        item_count = sum(len(digest.items) for digest in digests)
        summary = ngettext(
            "%(items)d action item due, in %(digests)d digest.",
            "%(items)d action items due, in %(digests)d digests.",
            item_count,
        ) % {"items": item_count, "digests": len(digests)}
        if options["email"]:
            summary += " " + (
                ngettext("%(sent)d email sent.", "%(sent)d emails sent.", sent)
                % {"sent": sent}
            )
        if not digests:
            summary = _("No progress update is due.")
        if options["verbosity"] >= 1:
            self.stdout.write(summary)

    def parse_date(self, value):
        if not value:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(
                _("“%(value)s” is not a date. Write it as YYYY-MM-DD.")
                % {"value": value}
            ) from exc
