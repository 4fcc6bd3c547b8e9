"""The bundled plans in the test database, loaded once per test process.

``load_plans`` parses and validates three YAML files and writes every row
through the models (about a second). The first test of a process that asks
for the bundled plans on empty tables runs it and keeps the rows it wrote;
each later test gets the same rows written back with one bulk insert per
table. Tables that already hold rows when a test asks get a real
``load_plans`` (it updates what is there), and the loader's own tests call
the command themselves.
"""

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from plans.services import generation

#: The apps whose rows ``load_plans`` writes (with their history and the
#: tables of their many-to-many relations).
APPS = ("plans", "stakeholders")

_kept = {}


def data_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in APPS
        and model._meta.managed
        and not model._meta.proxy
    ]


def load_bundled_plans():
    models = data_models()
    empty = not any(model._base_manager.exists() for model in models)
    if empty and _kept:
        _write_back(_kept)
        return
    call_command("load_plans", verbosity=0)
    if empty:
        _kept.update(_read(models))


def _read(models):
    kept = {}
    for model in models:
        names = [field.attname for field in model._meta.concrete_fields]
        rows = [
            [bytes(value) if isinstance(value, memoryview) else value for value in row]
            for row in model._base_manager.order_by("pk").values_list(*names)
        ]
        if rows:
            kept[model] = (names, rows)
    return kept


@transaction.atomic  # foreign keys are checked at the commit, in any order
def _write_back(kept):
    for model, (names, rows) in kept.items():
        objects = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model._base_manager.bulk_create(objects)
        # The insert stamps auto_now(_add) fields with the time of now; the
        # loader's dates (an item as old as its plan) are put back.
        stamped = [
            field.attname
            for field in model._meta.concrete_fields
            if getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ]
        if stamped:
            for obj, row in zip(objects, rows, strict=True):
                for name in stamped:
                    setattr(obj, name, row[names.index(name)])
            model._base_manager.bulk_update(objects, stamped)
    # Rows written with their primary keys leave PostgreSQL's sequences
    # behind: the next row a test adds must get a new key.
    statements = connection.ops.sequence_reset_sql(no_style(), list(kept))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    # What the signals of a real load do for the pages and PDFs.
    generation.bump()
