"""Seed a database with plans, action items and progress updates for benchmarks.

    python bench/seed.py --items 5000 --plans 20 --updates 20000

or, from code (Django set up, database migrated)::

    from bench.seed import seed
    seed(items=5000, plans=20, updates=20000)

Adds to the current database: it neither needs nor disturbs the bundled plans
(names and slugs that are taken get a suffix; organisations and users that exist
already are reused). Everything is drawn from ``random.Random(random_seed)``, so
the same arguments give the same data. Rows are written with ``bulk_create``
and get no history. The plans are published (public, adopted or working):
about one in four is a business plan (verksamhetsplan) with every kind of
document block, the rest are its action plans (handlingsplaner) showing their
items by focus area or as a table.
"""

import argparse
import datetime
import os
import sys
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from random import Random

BATCH = 1000

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

ORGANISATIONS = [
    ("Huddinge kommun", "Huddinge", "municipality"),
    ("Botkyrka kommun", "Botkyrka", "municipality"),
    ("Stockholms stad", "", "municipality"),
    ("Region Stockholm", "", "region"),
    ("Karolinska Institutet", "KI", "academia"),
    ("Kungliga Tekniska högskolan", "KTH", "academia"),
    ("Södertörns högskola", "SH", "academia"),
    ("Karolinska Universitetssjukhuset", "", "hospital"),
    ("Flemingsberg Science", "", "other"),
    ("Trafikverket", "", "public_agency"),
    ("Stockholm Business Region", "SBR", "public_agency"),
    ("Akademiska Hus", "", "company"),
    ("Huge Fastigheter AB", "Huge", "company"),
    ("Jernhusen AB", "", "company"),
    ("Almi Företagspartner Stockholm Sörmland", "Almi", "public_agency"),
    ("Södertörns Näringslivsråd", "", "association"),
    ("Stockholm Life Science Cluster", "", "network"),
]

RESPONSIBLE_BODIES = [
    "Kommunstyrelsen i Huddinge",
    "Kommunstyrelsen i Botkyrka",
    "Regionstyrelsen",
    "Hälso- och sjukvårdsnämnden",
    "Trafiknämnden",
    "Exploateringsnämnden",
    "Stadsbyggnadsnämnden",
    "Näringslivs- och arbetsmarknadsnämnden",
    "Utbildningsnämnden",
    "Kultur- och fritidsnämnden",
    "Miljö- och hälsoskyddsnämnden",
    "Gymnasie- och vuxenutbildningsnämnden",
    "Samhällsbyggnadsnämnden",
    "Fastighetsnämnden",
    "Socialnämnden",
]

COMMISSIONERS = [
    "Politisk styrgrupp",
    "Ledningsgruppen",
    "Kommunfullmäktige i Huddinge",
    "Kommunfullmäktige i Botkyrka",
    "Regionfullmäktige",
    "Utvecklingsdirektören",
    "Samordningsgruppen",
]

AREAS = [
    "Hela Flemingsberg",
    "Campus Flemingsberg",
    "Flemingsbergs centrum",
    "Stationsområdet",
    "Grantorp",
    "Visättra",
    "Kungens kurva",
    "Huddinge centrum",
    "Tullinge",
    "Hallunda",
    "Södertörn",
    "",
]

FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Sara",
    "Per", "Lena", "Mikael", "Emma", "Ahmed", "Fatima", "Nils", "Ingrid", "Olof",
    "Sofia", "Hassan", "Elin", "Gustav", "Helena", "Jonas",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson",
    "Olsson", "Persson", "Svensson", "Gustafsson", "Lindberg", "Holm", "Bergström",
    "Ali", "Lindqvist", "Engström", "Sandberg", "Öberg", "Åkesson", "Ek",
]  # fmt: skip
JOB_TITLES = [
    "kommundirektör", "näringslivschef", "dekan", "projektledare",
    "planeringschef", "kommunalråd", "regionråd", "verksamhetschef",
]  # fmt: skip
PARTIES = ["S", "M", "C", "L", "KD", "MP", "V", ""]

VERBS = [
    "Utveckla", "Stärka", "Etablera", "Samordna", "Kartlägga", "Genomföra",
    "Ta fram", "Följa upp", "Främja", "Säkerställa", "Utreda", "Förankra",
    "Planera", "Pröva", "Bygga upp", "Fördjupa",
]  # fmt: skip
OBJECTS = [
    "samverkan mellan akademi, vård och näringsliv",
    "en gemensam etableringsstrategi för life science",
    "kollektivtrafikens tillgänglighet till Flemingsbergs station",
    "ett program för kompetensförsörjning inom vård och omsorg",
    "en inkubator för medicinteknisk innovation",
    "mötesplatser för forskare och företag",
    "en plan för nya bostäder och arbetsplatser",
    "gång- och cykelstråk mellan campus och centrum",
    "marknadsföringen av Flemingsberg som etableringsort",
    "en gemensam portal för företagsservice",
    "praktikplatser för studenter vid högskolorna",
    "en klusterorganisation för medicinteknik",
    "trygghetsskapande åtgärder i stationsområdet",
    "en kulturstrategi för den regionala stadskärnan",
    "samarbetet med regionens sjukhus kring kliniska prövningar",
    "en handlingsplan för hållbar stadsutveckling",
    "lokaler för små och växande företag",
    "uppföljningen av planens indikatorer",
    "dialogen med fastighetsägare och byggherrar",
    "ett gemensamt evenemangsprogram",
]  # fmt: skip
QUALIFIERS = [
    "i Flemingsberg",
    "inom Campus Flemingsberg",
    "för små och medelstora företag",
    "tillsammans med Huddinge och Botkyrka",
    "under planperioden",
    "i samråd med Region Stockholm",
    "med stöd av högskolorna",
    "i södra Stockholmsregionen",
    "",
    "",
]

SENTENCES = [
    "Arbetet bedrivs i nära samverkan med berörda förvaltningar och externa parter.",
    "En projektledare utses och en tidplan förankras i ledningsgruppen.",
    "Insatsen följs upp halvårsvis och rapporteras till den politiska styrgruppen.",
    "Resultatet ska bidra till fler arbetstillfällen och ett starkare näringsliv.",
    "Underlaget tas fram i dialog med fastighetsägare, akademi och näringsliv.",
    "Finansieringen sker inom ramen för parternas ordinarie budget.",
    "Erfarenheter från liknande satsningar i regionen tas till vara.",
    "En första delrapport lämnas till samordningsgruppen under hösten.",
    "Arbetet ska leda till en tydligare rollfördelning mellan parterna.",
    "Målgruppen är företag, studenter och boende i området.",
    "Insatsen samordnas med pågående arbete med den regionala utvecklingsplanen.",
    "Ett gemensamt beslutsunderlag presenteras för respektive nämnd.",
]

UPDATE_TEXTS = [
    "Arbetsgruppen har haft sitt första möte och en tidplan är fastställd.",
    "Upphandlingen är avslutad och avtal har tecknats med leverantören.",
    "Förstudien är klar och presenterades för ledningsgruppen.",
    "Arbetet är försenat på grund av vakanser; ny projektledare rekryteras.",
    "Dialogmöten har hållits med fastighetsägare och näringsidkare i området.",
    "Delrapporten är inlämnad och kommenterad av samordningsgruppen.",
    "Finansieringen är säkrad för innevarande år.",
    "Pilotprojektet har startat med tolv deltagande företag.",
    "Insatsen pausas i avvaktan på beslut om budget i nämnden.",
    "Arbetet löper enligt plan och nästa avstämning sker i styrgruppen.",
    "Remissvaren är sammanställda och bearbetas nu av förvaltningen.",
    "En utvärdering har genomförts; resultaten redovisas i nästa rapport.",
]

THEMES = [
    "Näringsliv och etablering",
    "Kompetensförsörjning",
    "Stadsutveckling och bostäder",
    "Kommunikation och varumärke",
    "Trafik och tillgänglighet",
    "Innovation och life science",
    "Trygghet och stadsmiljö",
    "Kultur och fritid",
    "Hållbarhet och klimat",
    "Forskning och utbildning",
]
REGIONS = [
    "Flemingsberg",
    "Campus Flemingsberg",
    "Södertörn",
    "Stationsområdet Flemingsberg",
    "Huddinge–Botkyrka",
]
FOCUS_AREAS = [
    "Stärk innovations- och kommersialiseringsmiljöerna",
    "Öka näringslivsfokus",
    "Öka uppmärksamheten kring Flemingsberg som etableringsort",
    "Utveckla den regionala stadskärnan",
    "Förbättra tillgängligheten och kommunikationerna",
    "Säkra kompetensförsörjningen",
    "Skapa attraktiva mötesplatser",
    "Stärk samverkan mellan parterna",
]
STRATEGIES = [
    "Samverkan mellan akademi, vård och näringsliv",
    "En attraktiv och levande stadskärna",
    "Goda kommunikationer i regionen",
    "Ett tydligt varumärke",
    "Hållbar tillväxt",
    "Kunskap som drivkraft",
]
INDICATORS = [
    ("Antal arbetsplatser i Flemingsberg", "st", "higher", 14000, 400),
    ("Antal företag i life science", "st", "higher", 120, 8),
    ("Antal studenter på campus", "st", "higher", 18000, 300),
    ("Andel nöjda företagare", "%", "higher", 62, 2),
    ("Antal nya bostäder", "st", "higher", 300, 60),
    ("Restid till Stockholm C", "min", "lower", 22, -0.5),
    ("Andel boende som känner sig trygga", "%", "higher", 55, 1.5),
    ("Koldioxidutsläpp per invånare", "ton", "lower", 4.2, -0.2),
]
BODIES = [
    ("Politisk styrgrupp", "steering", 4, "4 gånger/år"),
    ("Ledningsgrupp", "management", 6, "6 gånger/år"),
    ("Samordningsgrupp", "coordination", 10, "varannan vecka"),
    ("Kommunikationsgrupp", "communication", 6, ""),
]
STAKEHOLDER_GROUPS = [
    "Kommuner och region",
    "Akademi",
    "Vård",
    "Fastighetsägare",
    "Näringsliv",
]


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _free(value, taken, sep=" ", limit=200):
    """``value``, or it with " 2", " 3", ... added, not in ``taken``; taken after."""
    candidate, n = value[:limit], 2
    while candidate in taken:
        suffix = f"{sep}{n}"
        candidate, n = value[: limit - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def _sentences(rng, low, high):
    return " ".join(rng.sample(SENTENCES, rng.randint(low, high)))


def _title(rng):
    title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    qualifier = rng.choice(QUALIFIERS)
    return f"{title} {qualifier}".strip() + "."


def _person_name(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


@contextmanager
def _dates_as_given(*models):
    """Let ``bulk_create`` keep the ``created_at``/``updated_at`` we set."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _moment(day):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


ITEM_STATUSES = [
    ("done", 25),
    ("ongoing", 35),
    ("not_started", 15),
    ("delayed", 12),
    ("paused", 6),
    ("cancelled", 7),
]


def _status_and_progress(rng):
    status = rng.choices(
        [s for s, _ in ITEM_STATUSES], weights=[w for _, w in ITEM_STATUSES]
    )[0]
    note = ""
    if status == "done":
        progress = 100
        if rng.random() < 0.1:
            progress = rng.choice([80, 85, 90, 95])
            note = "Återstående del genomförs inom ordinarie verksamhet."
    elif status == "not_started":
        progress = 0
    elif status == "ongoing":
        progress = rng.randrange(10, 95, 5)
    elif status == "delayed":
        progress = rng.randrange(0, 75, 5)
    elif status == "paused":
        progress = rng.randrange(10, 65, 5)
    else:
        progress = rng.randrange(0, 55, 5)
    return status, progress, note


# ---------------------------------------------------------------------------
# The seeder
# ---------------------------------------------------------------------------


def seed(items=5000, plans=20, updates=20000, random_seed=1, out=None):
    """Add ``plans`` published plans with ``items`` action items and ``updates``
    progress updates (and their organisations, bodies, indicators, funding) to
    the current database. Returns a dict of created counts per kind."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from flemingsberg.permissions import EDITOR_GROUP
    from plans.models import (
        ActionItem,
        ActionUpdate,
        FocusArea,
        FundingContribution,
        Indicator,
        IndicatorTarget,
        IndicatorValue,
        Meeting,
        Plan,
        Section,
        Strategy,
        StrategyMeasure,
        TargetStatement,
        VisionStatement,
    )
    from stakeholders.models import (
        GoverningBody,
        Membership,
        Organisation,
        Person,
        StakeholderGroup,
    )

    if plans < 1 or items < 0 or updates < 0:
        raise ValueError("need at least one plan and no negative counts")
    out = out or sys.stdout
    rng = Random(random_seed)
    today = timezone.localdate()
    started = time.perf_counter()
    created = {}

    def made(key, n):
        created[key] = created.get(key, 0) + n

    with transaction.atomic():
        # -- organisations, people, users -----------------------------------
        existing = {o.name: o for o in Organisation.objects.all()}
        org_slugs = set(Organisation.objects.values_list("slug", flat=True))
        new_orgs = [
            Organisation(
                name=name,
                short_name=short,
                kind=kind,
                slug=_free(slugify(name), org_slugs, sep="-"),
                website=f"https://www.{slugify(short or name.split()[0])}.se",
                description=_sentences(rng, 1, 2),
            )
            for name, short, kind in ORGANISATIONS
            if name not in existing
        ]
        Organisation.objects.bulk_create(new_orgs)
        made("organisations", len(new_orgs))
        orgs = list(
            Organisation.objects.filter(name__in=[n for n, _, _ in ORGANISATIONS])
        )
        orgs.sort(key=lambda o: o.name)

        people = [
            Person(
                name=_person_name(rng),
                title=rng.choice(JOB_TITLES),
                organisation=rng.choice(orgs),
                email="",
            )
            for _ in range(40)
        ]
        Person.objects.bulk_create(people)
        made("people", len(people))

        User = get_user_model()
        editors = Group.objects.filter(name=EDITOR_GROUP).first()
        authors = []
        for i in range(8):
            first, last = FIRST_NAMES[i * 3], LAST_NAMES[i * 2]
            user, new = User.objects.get_or_create(
                username=f"bench.{slugify(first)}.{slugify(last)}",
                defaults={"first_name": first, "last_name": last, "is_staff": True},
            )
            if new:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                if editors:
                    user.groups.add(editors)
                made("users", 1)
            authors.append(user)

        # -- governing bodies, meetings, stakeholder groups -----------------
        body_names = set(GoverningBody.objects.values_list("name", flat=True))
        body_slugs = set(GoverningBody.objects.values_list("slug", flat=True))
        bodies = []
        for order, (name, kind, per_year, cadence) in enumerate(BODIES, start=1):
            name = _free(f"{name} {REGIONS[0]}", body_names)
            bodies.append(
                GoverningBody(
                    name=name,
                    slug=_free(slugify(name), body_slugs, sep="-"),
                    kind=kind,
                    order=50 + order,
                    mandate=_sentences(rng, 2, 4),
                    meetings_per_year=per_year,
                    cadence=cadence,
                )
            )
        GoverningBody.objects.bulk_create(bodies)
        for body in bodies[1:]:
            body.reports_to = bodies[0]
        GoverningBody.objects.bulk_update(bodies[1:], ["reports_to"])
        made("governing bodies", len(bodies))

        memberships = []
        for body in bodies:
            for order, person in enumerate(rng.sample(people, rng.randint(4, 9)), 1):
                memberships.append(
                    Membership(
                        body=body,
                        person=person,
                        role="chair" if order == 1 else "member",
                        representing=person.organisation,
                        party=rng.choice(PARTIES) if body.kind == "steering" else "",
                        order=order,
                    )
                )
        Membership.objects.bulk_create(memberships)
        made("memberships", len(memberships))

        meetings = []
        for body in bodies:
            for n in range(6):
                day = today - datetime.timedelta(days=60 * n + rng.randint(0, 20))
                meetings.append(
                    Meeting(
                        body=body,
                        date=day,
                        title=f"Möte {day:%Y-%m-%d}",
                        agenda="1. Lägesbild\n2. Handlingsplanen\n3. Övrigt",
                        notes=_sentences(rng, 1, 2),
                        is_public=rng.random() < 0.8,
                    )
                )
        Meeting.objects.bulk_create(meetings)
        made("meetings", len(meetings))

        group_names = set(StakeholderGroup.objects.values_list("name", flat=True))
        groups = [
            StakeholderGroup(
                name=_free(f"{name} ({REGIONS[0]})", group_names),
                order=50 + i,
                description=rng.choice(SENTENCES),
            )
            for i, name in enumerate(STAKEHOLDER_GROUPS)
        ]
        StakeholderGroup.objects.bulk_create(groups)
        Through = StakeholderGroup.organisations.through
        Through.objects.bulk_create(
            Through(stakeholdergroup=g, organisation=o)
            for g in groups
            for o in rng.sample(orgs, rng.randint(2, 5))
        )
        made("stakeholder groups", len(groups))

        # -- plans and their document content -------------------------------
        plan_slugs = set(Plan.objects.values_list("slug", flat=True))
        n_business = max(1, plans // 4) if plans > 1 else 1
        plan_rows = []
        for i in range(plans):
            business = i < n_business
            start = today.year - rng.randint(0, 3)
            region = REGIONS[i % len(REGIONS)]
            if business:
                title = f"Verksamhetsplan {start}–{start + 2} för {region}"
                end, kind = start + 2, Plan.Kind.BUSINESS_PLAN
            else:
                theme = THEMES[(i - n_business) % len(THEMES)]
                title = f"Handlingsplan {start} – {theme}"
                if i - n_business >= len(THEMES):
                    title += f" ({region})"
                end, kind = start + rng.randint(0, 1), Plan.Kind.ACTION_PLAN
            adopted = rng.random() < 0.7
            plan_rows.append(
                Plan(
                    title=title,
                    subtitle=""
                    if business
                    else f"Bilaga {i - n_business + 1} till verksamhetsplanen",
                    slug=_free(
                        slugify(title.replace("–", "-"))[:90],
                        plan_slugs,
                        sep="-",
                        limit=100,
                    ),
                    kind=kind,
                    owner=orgs[i % len(orgs)],
                    start_year=start,
                    end_year=end,
                    adopted_on=datetime.date(start - 1, 11, rng.randint(1, 28))
                    if adopted
                    else None,
                    adopted_by=bodies[0] if adopted else None,
                    status=Plan.Status.ADOPTED if adopted else Plan.Status.WORKING,
                    is_public=True,
                    version_note="" if adopted else "Arbetsmaterial",
                    contact="Utvecklingsdirektör, info@flemingsberg.se",
                    update_interval_days=rng.choice([60, 60, 90, 30]),
                )
            )
        with _dates_as_given(Plan):
            for plan in plan_rows:
                plan.created_at = plan.updated_at = _moment(
                    today - datetime.timedelta(days=3 * 365)
                )
            Plan.objects.bulk_create(plan_rows)
        business_plans = plan_rows[:n_business]
        for i, plan in enumerate(plan_rows[n_business:]):
            plan.parent = business_plans[i % n_business]
        Plan.objects.bulk_update(plan_rows[n_business:], ["parent"])
        made("plans", len(plan_rows))

        PlanBodies = Plan.governing_bodies.through
        PlanBodies.objects.bulk_create(
            PlanBodies(plan=p, governingbody=b) for p in business_plans for b in bodies
        )
        PlanGroups = Plan.stakeholder_groups.through
        PlanGroups.objects.bulk_create(
            PlanGroups(plan=p, stakeholdergroup=g)
            for p in business_plans
            for g in groups
        )

        sections, visions, targets, strategies, areas, funding = [], [], [], [], [], []
        for index, plan in enumerate(plan_rows):
            business = plan.kind == Plan.Kind.BUSINESS_PLAN
            if business:
                layout = [
                    ("Bakgrund", "text"),
                    ("Vision 2030", "vision"),
                    ("Strategier", "strategies"),
                    ("Organisation", "governing_bodies"),
                    (f"Samordning {plan.period}", "coordination"),
                    ("Finansiering", "funding"),
                    ("Operativt arbetssätt", "stakeholders"),
                    (f"Målbild {plan.end_year}", "target_state"),
                    ("Prioriterade aktiviteter", "action_items"),
                    ("Arbetsprocess", "text"),
                ]
            elif (index - n_business) % 2 == 1:
                layout = [("Åtgärder", "action_table"), ("Uppföljning", "text")]
            else:
                layout = [
                    ("Inledning", "text"),
                    (f"Prioriterade aktiviteter {plan.start_year}", "action_items"),
                    ("Underlag", "text"),
                ]
            for order, (heading, kind) in enumerate(layout, start=1):
                body = ""
                if kind == "text" or rng.random() < 0.5:
                    body = "\n\n".join(
                        _sentences(rng, 2, 4) for _ in range(rng.randint(1, 3))
                    )
                sections.append(
                    Section(
                        plan=plan, order=order, heading=heading, kind=kind, body=body
                    )
                )
            if business:
                for order in range(1, rng.randint(3, 5) + 1):
                    visions.append(
                        VisionStatement(
                            plan=plan,
                            order=order,
                            text=rng.choice(SENTENCES),
                            source="Utvecklingsprogram för Flemingsberg"
                            if order < 3
                            else "",
                        )
                    )
                for order in range(1, rng.randint(4, 7) + 1):
                    targets.append(
                        TargetStatement(
                            plan=plan,
                            order=order,
                            theme=rng.choice(THEMES[:4]),
                            text=rng.choice(SENTENCES),
                        )
                    )
                for year in range(plan.start_year, plan.end_year + 1):
                    for org in orgs[:4]:
                        amount = Decimal(rng.randrange(250, 2500, 50) * 1000)
                        funding.append(
                            FundingContribution(
                                plan=plan,
                                organisation=org,
                                year=year,
                                amount=amount,
                                decided_amount=amount if year <= today.year else None,
                                paid_amount=amount * Decimal("0.5")
                                if year == today.year
                                else (amount if year < today.year else None),
                            )
                        )
            for order, title in enumerate(
                rng.sample(STRATEGIES, rng.randint(2, 5)), start=1
            ):
                strategies.append(
                    Strategy(
                        plan=plan,
                        code=f"S{order}",
                        order=order,
                        title=title,
                        description=_sentences(rng, 1, 2),
                    )
                )
            for order, title in enumerate(
                rng.sample(FOCUS_AREAS, rng.randint(3, 6)), start=1
            ):
                areas.append(
                    FocusArea(
                        plan=plan,
                        code=f"F{order}",
                        order=order,
                        title=title,
                        description=rng.choice(SENTENCES) if rng.random() < 0.4 else "",
                    )
                )
        Section.objects.bulk_create(sections, batch_size=BATCH)
        VisionStatement.objects.bulk_create(visions)
        TargetStatement.objects.bulk_create(targets)
        Strategy.objects.bulk_create(strategies)
        FocusArea.objects.bulk_create(areas)
        FundingContribution.objects.bulk_create(funding)
        measures = [
            StrategyMeasure(strategy=s, order=order, text=_title(rng))
            for s in strategies
            if s.plan.kind == Plan.Kind.BUSINESS_PLAN
            for order in range(1, rng.randint(2, 4) + 1)
        ]
        StrategyMeasure.objects.bulk_create(measures)
        made("sections", len(sections))
        made("strategies", len(strategies))
        made("focus areas", len(areas))
        made("funding contributions", len(funding))

        # -- action items ----------------------------------------------------
        areas_of, strategies_of = {}, {}
        for a in areas:
            areas_of.setdefault(a.plan_id, []).append(a)
        for s in strategies:
            strategies_of.setdefault(s.plan_id, []).append(s)
        weights = [rng.uniform(0.5, 1.5) for _ in plan_rows]
        owners = rng.choices(range(len(plan_rows)), weights=weights, k=items)
        owners.sort()
        counters = {}
        item_rows = []
        for owner in owners:
            plan = plan_rows[owner]
            n = counters[plan.pk] = counters.get(plan.pk, 0) + 1
            area = rng.choice(areas_of[plan.pk]) if rng.random() < 0.95 else None
            strategy = (
                rng.choice(strategies_of[plan.pk]) if rng.random() < 0.6 else None
            )
            status, progress, note = _status_and_progress(rng)
            due = None
            if rng.random() < 0.9:
                due = today + datetime.timedelta(days=rng.randint(-730, 730))
            if status == "delayed" and due and due > today and rng.random() < 0.7:
                due = today - datetime.timedelta(days=rng.randint(1, 365))
            start = None
            if rng.random() < 0.8:
                anchor = due or today
                start = anchor - datetime.timedelta(days=rng.randint(30, 720))
            born = today - datetime.timedelta(days=rng.randint(30, 3 * 365))
            public = rng.random() >= 0.08
            item_rows.append(
                ActionItem(
                    plan=plan,
                    focus_area=area,
                    strategy=strategy,
                    code=f"{area.code[1:] if area else 0}.{n}",
                    order=n,
                    title=_title(rng),
                    assignment=_sentences(rng, 1, 3),
                    commissioned_by=rng.choice(COMMISSIONERS),
                    expected_result=_sentences(rng, 1, 2),
                    schedule=f"{plan.start_year}–{plan.end_year}"
                    if rng.random() < 0.6
                    else f"Kvartal {rng.randint(1, 4)} {plan.start_year}",
                    responsible_body=rng.choice(RESPONSIBLE_BODIES),
                    responsible_officer=_person_name(rng),
                    coordinator=_person_name(rng) if rng.random() < 0.5 else "",
                    responsible_organisation=rng.choice(orgs)
                    if rng.random() < 0.85
                    else None,
                    responsible_person=rng.choice(people)
                    if rng.random() < 0.3
                    else None,
                    area=rng.choice(AREAS),
                    status=status,
                    progress=progress,
                    progress_note=note,
                    start_date=start,
                    due_date=due,
                    is_public=public,
                    internal_note=""
                    if public and rng.random() < 0.8
                    else rng.choice(SENTENCES),
                    created_at=_moment(born),
                    updated_at=_moment(born),
                )
            )
        with _dates_as_given(ActionItem):
            ActionItem.objects.bulk_create(item_rows, batch_size=BATCH)
        # Some rows only say "Se ovan": they refer to an earlier item of the plan.
        references, previous = [], {}
        for item in item_rows:
            earlier = previous.get(item.plan_id)
            if earlier is not None and rng.random() < 0.03:
                item.see_above = earlier
                references.append(item)
            previous[item.plan_id] = item
        ActionItem.objects.bulk_update(references, ["see_above"], batch_size=BATCH)
        made("action items", len(item_rows))
        made("of them internal", sum(not i.is_public for i in item_rows))
        made("of them “see above”", len(references))

        # -- progress updates -----------------------------------------------
        update_rows = []
        if item_rows:
            for _ in range(updates):
                item = rng.choice(item_rows)
                born = item.created_at.date()
                day = born + datetime.timedelta(
                    days=rng.randint(0, max(0, (today - born).days))
                )
                update_rows.append(
                    ActionUpdate(
                        item=item,
                        date=day,
                        author=rng.choice(authors) if rng.random() < 0.9 else None,
                        status=item.status
                        if rng.random() < 0.6
                        else rng.choice(["ongoing", "not_started", "delayed"]),
                        progress=rng.randint(0, item.progress),
                        text=" ".join(rng.sample(UPDATE_TEXTS, rng.randint(1, 3))),
                        is_public=rng.random() < 0.8,
                        created_at=_moment(day),
                    )
                )
        with _dates_as_given(ActionUpdate):
            ActionUpdate.objects.bulk_create(update_rows, batch_size=2 * BATCH)
        made("progress updates", len(update_rows))

        # -- indicators --------------------------------------------------------
        indicator_names = set(Indicator.objects.values_list("name", flat=True))
        indicator_slugs = set(Indicator.objects.values_list("slug", flat=True))
        indicators = []
        for i, (name, unit, direction, base, _step) in enumerate(INDICATORS):
            name = _free(name, indicator_names)
            indicators.append(
                Indicator(
                    name=name,
                    slug=_free(slugify(name), indicator_slugs, sep="-"),
                    unit=unit,
                    direction=direction,
                    description=_sentences(rng, 1, 2),
                    baseline_year=today.year - 4,
                    baseline_value=Decimal(str(base)).quantize(Decimal("0.01")),
                    is_public=i != len(INDICATORS) - 1,
                )
            )
        Indicator.objects.bulk_create(indicators)
        indicator_targets, indicator_values = [], []
        for indicator, (_, _, _, base, step) in zip(
            indicators, INDICATORS, strict=True
        ):
            for k, year in enumerate((today.year + 1, today.year + 3, 2030), start=1):
                indicator_targets.append(
                    IndicatorTarget(
                        indicator=indicator,
                        year=year,
                        value=Decimal(str(round(base + step * 4 * k, 2))),
                        label="Mål 2030" if year == 2030 else "Delmål",
                        is_step=False,
                    )
                )
            for k in range(4):
                value = Decimal(str(round(base + step * k * rng.uniform(0.6, 1.4), 2)))
                indicator_values.append(
                    IndicatorValue(
                        indicator=indicator,
                        date=datetime.date(today.year - 3 + k, 12, 31)
                        if k < 3
                        else today - datetime.timedelta(days=30),
                        value=value,
                        source="SCB" if k % 2 else "Egen mätning",
                        is_public=k < 3 or rng.random() < 0.5,
                    )
                )
        IndicatorTarget.objects.bulk_create(indicator_targets)
        IndicatorValue.objects.bulk_create(indicator_values)
        IndicatorPlans = Indicator.plans.through
        IndicatorPlans.objects.bulk_create(
            IndicatorPlans(indicator=ind, plan=p)
            for ind in indicators
            for p in rng.sample(plan_rows, min(len(plan_rows), 3))
        )
        IndicatorStrategies = Indicator.strategies.through
        IndicatorStrategies.objects.bulk_create(
            IndicatorStrategies(indicator=ind, strategy=s)
            for ind in indicators
            for s in rng.sample(strategies, min(len(strategies), 2))
        )
        IndicatorItems = Indicator.action_items.through
        IndicatorItems.objects.bulk_create(
            (
                IndicatorItems(indicator=ind, actionitem=it)
                for ind in indicators
                for it in rng.sample(item_rows, min(len(item_rows), 5))
            ),
            batch_size=BATCH,
        )
        made("indicators", len(indicators))

    seconds = time.perf_counter() - started
    print(
        f"Seeded in {seconds:.1f} s: "
        + ", ".join(f"{n} {what}" for what, n in created.items()),
        file=out,
    )
    kinds = sorted(
        {(p.get_kind_display(), p.slug) for p in plan_rows}, key=lambda kv: kv[1]
    )
    print("Plans: " + ", ".join(slug for _, slug in kinds), file=out)
    return created


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--updates", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1, dest="random_seed")
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[1]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flemingsberg.settings.dev")
    import django

    django.setup()
    seed(
        items=args.items,
        plans=args.plans,
        updates=args.updates,
        random_seed=args.random_seed,
    )


if __name__ == "__main__":
    main()
