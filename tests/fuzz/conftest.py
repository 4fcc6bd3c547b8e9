"""Fixtures and Hypothesis profiles of the bad-input suite.

Profiles (choose with ``HYPOTHESIS_PROFILE``):

- ``ci`` (default): ``CI_EXAMPLES`` examples per test (fewer or more where a
  test says so), deterministic (``derandomize``), no example database, so a CI
  run is reproducible and stays within a minute per database on two cores;
- ``dev``: ten times as many examples, random, failures remembered in
  ``.cache/hypothesis`` (ignored by git) and replayed first.

The data (the bundled plans, users, meetings with closed board packs) and a
signed-in client per role are made once per module inside a transaction that
is rolled back at the end of the module. Each test runs in pytest-django's own
transaction as usual, and each Hypothesis example in a savepoint of its own
(``rolled_back()``), so nothing an example saves is seen by the next one.
"""

import datetime
import os
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

from flemingsberg.permissions import EDITOR_GROUP, READER_GROUP
from tests import factories
from tests.conftest import _group
from tests.fuzz.support import SUPPRESSED

CI_EXAMPLES = 8

settings.register_profile(
    "ci",
    max_examples=CI_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=SUPPRESSED,
)
settings.register_profile(
    "dev",
    max_examples=CI_EXAMPLES * 10,
    deadline=None,
    database=DirectoryBasedExampleDatabase(".cache/hypothesis"),
    print_blob=True,
    suppress_health_check=SUPPRESSED,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _pks(model):
    return list(model.objects.order_by("pk").values_list("pk", flat=True))


def _slugs(model):
    return list(model.objects.order_by("slug").values_list("slug", flat=True))


def _make_world():
    from plans.models import ActionItem, BoardPack, FocusArea, Indicator, Plan, Strategy
    from plans.services.boardpacks import close_board_pack
    from stakeholders.models import GoverningBody, Organisation

    call_command("load_plans", verbosity=0)
    reader = factories.UserFactory(username="fuzz-lasare")
    reader.groups.add(_group(READER_GROUP))
    editor = factories.UserFactory(username="fuzz-redaktor", is_staff=True)
    editor.groups.add(_group(EDITOR_GROUP))
    superuser = factories.UserFactory(
        username="fuzz-admin", is_staff=True, is_superuser=True
    )

    # Two meetings of one body with closed board packs (the "changes" page),
    # an update and a decision: every page has something to show.
    small_plan = Plan.objects.get(slug="handlingsplan-2009")
    body = GoverningBody.objects.order_by("order", "pk").first()
    item = ActionItem.objects.filter(plan=small_plan, is_public=True).first()
    factories.ActionUpdateFactory(item=item, date=datetime.date(2026, 1, 15))
    meetings = []
    for month in (2, 4):
        meeting = factories.MeetingFactory(
            body=body, date=datetime.date(2026, month, 1), is_public=True
        )
        pack = BoardPack.objects.create(meeting=meeting)
        pack.plans.set([small_plan])
        # The stored PDF's content does not matter here; rendering it does take
        # a second.
        with mock.patch(
            "plans.services.boardpacks.render_pdf", return_value=b"%PDF-1.7"
        ):
            close_board_pack(pack, None)
        meetings.append(meeting)
    decision = factories.MeetingDecisionFactory(meeting=meetings[-1])
    decision.action_items.add(item)
    open_meeting = factories.MeetingFactory(body=body, date=datetime.date(2026, 6, 1))
    BoardPack.objects.create(meeting=open_meeting).plans.set([small_plan])
    meetings.append(open_meeting)

    return SimpleNamespace(
        reader=reader,
        editor=editor,
        superuser=superuser,
        plan_slugs=_slugs(Plan),
        # The smallest plan: its PDFs render in a fraction of a second.
        pdf_plan_slugs=[small_plan.slug],
        item_pks=_pks(ActionItem),
        focus_area_pks=_pks(FocusArea),
        strategy_pks=_pks(Strategy),
        indicator_pks=_pks(Indicator),
        meeting_pks=[meeting.pk for meeting in meetings],
        body_slugs=_slugs(GoverningBody),
        organisation_slugs=_slugs(Organisation),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The module's data and signed-in clients, rolled back when the module is
    done."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = _make_world()
        world.clients = {"anonymous": Client()}
        for role in ("reader", "editor", "superuser"):
            world.clients[role] = Client()
            world.clients[role].force_login(getattr(world, role))
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def clients(world, db):
    """Clients for "anonymous", "reader", "editor" and "superuser", signed in
    once for the module, outside every test's transaction and every example's
    savepoint (a session made inside one would be rolled back with it)."""
    return world.clients
