"""Migrate the database in DATABASE_URL and fill it as a portal in use looks.

    DATABASE_URL=... python -m tests.deploy.seed

The bundled plans (``load_plans``) plus what the back office adds over time:
progress updates (public and internal), an extra action item with Swedish and
HTML-like text, indicator values, two meetings with decisions, and a closed
board pack whose stored PDF (bytes in the database) must survive a restore
byte for byte. Prints the extra item's title, which the restore test looks for.
"""

import datetime
import os


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flemingsberg.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    from plans.models import (
        ActionItem,
        ActionUpdate,
        BoardPack,
        Indicator,
        Meeting,
        Plan,
    )
    from plans.services.boardpacks import close_board_pack
    from stakeholders.models import GoverningBody
    from tests import factories

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_plans", verbosity=0)
    plan = Plan.objects.get(slug="handlingsplan-2009")
    items = list(ActionItem.objects.filter(plan=plan).order_by("pk")[:4])
    day = datetime.date(2026, 3, 2)
    for n, item in enumerate(items):
        ActionUpdate.objects.create(
            item=item,
            date=day + datetime.timedelta(days=7 * n),
            status=ActionItem.Status.ONGOING,
            progress=20 * (n + 1),
            text=f"Uppföljning {n + 1}: **delmål** nått, nästa steg <b>bokat</b>.",
            is_public=n != 1,
        )
    extra = ActionItem.objects.create(
        plan=plan,
        code="9.9",
        order=999,
        title="Återställningsprov: ärenden & <script>-taggar i Flemingsberg",
        assignment="Säkerhetskopiera, återställ och jämför varje sida.",
        status=ActionItem.Status.ONGOING,
        progress=60,
        is_public=True,
    )
    ActionUpdate.objects.create(
        item=extra, date=day, progress=60, text="Återställd ✓ – ”citat” och 'apostrof'."
    )
    for indicator in Indicator.objects.order_by("pk")[:2]:
        factories.IndicatorValueFactory(
            indicator=indicator, date=datetime.date(2025, 12, 31), value=42.5
        )
    body = GoverningBody.objects.order_by("pk").first()
    for month in (2, 4):
        meeting = Meeting.objects.create(
            body=body,
            date=datetime.date(2026, month, 10),
            title=f"Styrgruppsmöte {month}/2026",
            agenda="1. Lägesbild\n2. Beslut",
            is_public=True,
        )
        factories.MeetingDecisionFactory(meeting=meeting, text="Godkänt.")
    pack = BoardPack.objects.create(meeting=meeting, note="Underlag")
    pack.plans.add(plan)
    close_board_pack(pack, None)
    print(extra.title)


if __name__ == "__main__":
    main()
