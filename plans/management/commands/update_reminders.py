"""Remind the responsible people of the progress updates that are due.

    python manage.py update_reminders            # print the digests
    python manage.py update_reminders --email    # and send them

Ready for a daily cron. The rules are in ``plans.services.reminders``; the
digests without an email address are only printed, never sent.
"""

import datetime
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.services.reminders import build_digests, digest_body, due_items

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
        digests = build_digests(due_items(today))
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
