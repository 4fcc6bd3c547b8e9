"""Remind the responsible people of the progress updates that are due.

    python manage.py update_reminders            # print the digests
    python manage.py update_reminders --email    # and send them

Ready for a daily cron (or enqueue ``send_reminders_task`` on the task queue).
The rules are in ``plans.services.reminders``; the digests without an email
address are only printed, for the director, never sent. An item reminded of
is not reminded again until its plan's update interval has passed.
"""

import datetime
from email.utils import formataddr

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.services.reminders import (
    build_digests,
    digest_body,
    due_items,
    send_reminders,
)

RULE = "=" * 72


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
        if options["email"]:
            run = send_reminders(today)
            digests = [*run.sent, *run.unsendable]
        else:
            digests = build_digests(due_items(today))
        for digest in digests:
            body = digest_body(digest, today)
            if digest.sendable:
                recipient = formataddr((digest.name, digest.email))
                header = [_("To: %(to)s") % {"to": recipient}]
            else:
                header = [_("Not sent (no email address): printed only.")]
            header.append(_("Subject: %(subject)s") % {"subject": digest.subject})
            self.stdout.write("\n".join([RULE, *header, "", body]))

        item_count = sum(len(digest.items) for digest in digests)
        summary = ngettext(
            "%(items)d action item due, in %(digests)d digest.",
            "%(items)d action items due, in %(digests)d digests.",
            item_count,
        ) % {"items": item_count, "digests": len(digests)}
        if options["email"]:
            sent = len(run.sent)
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
