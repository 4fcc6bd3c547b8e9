"""Full-text search in Swedish on PostgreSQL (plans.services.search).

The extensions unaccent and pg_trgm are trusted since PostgreSQL 13, so the
database owner creates them without being a superuser. The text search
configuration ``portal_swedish`` is Swedish with accents removed before
stemming ("hogskola" finds "högskolor"). Each searched table gets a GIN index
on the document expression the search builds (the same columns in the same
order: plans.services.search.kinds), and the materialized view
``plans_search_lexicon`` holds the words of all searched text, with a trigram
index, to correct misspelt query words. On SQLite all of this is a no-op.
The indexes are built with ``fastupdate = off``: the portal writes little, and
a search should never read a pending list of thousands of new rows.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CONFIG = "portal_swedish"

#: index name -> (table, columns): the documents of plans.services.search.kinds.
DOCUMENTS = {
    "plans_plan_search": ("plans_plan", ["title", "subtitle"]),
    "plans_section_search": ("plans_section", ["heading", "body"]),
    "plans_vision_search": ("plans_visionstatement", ["text"]),
    "plans_strategy_search": ("plans_strategy", ["code", "title", "description"]),
    "plans_measure_search": ("plans_strategymeasure", ["text"]),
    "plans_target_search": ("plans_targetstatement", ["theme", "text"]),
    "plans_focusarea_search": ("plans_focusarea", ["code", "title", "description"]),
    "plans_actionitem_search": (
        "plans_actionitem",
        [
            "code",
            "title",
            "assignment",
            "commissioned_by",
            "expected_result",
            "schedule",
            "responsible_body",
            "responsible_officer",
            "coordinator",
            "area",
            "progress_note",
        ],
    ),
    "plans_actionitem_note_search": ("plans_actionitem", ["internal_note"]),
    "plans_actionupdate_search": ("plans_actionupdate", ["text"]),
    "plans_organisation_search": (
        "stakeholders_organisation",
        ["name", "short_name", "description"],
    ),
    "plans_person_search": ("stakeholders_person", ["name", "title"]),
    "plans_body_search": ("stakeholders_governingbody", ["name", "mandate", "cadence"]),
    "plans_meeting_search": ("plans_meeting", ["title", "agenda", "notes"]),
    "plans_decision_search": ("plans_meetingdecision", ["text"]),
    "plans_indicator_search": ("plans_indicator", ["name", "unit", "description"]),
}


def document(columns):
    joined = " || ' ' || ".join(f'"{column}"' for column in columns)
    return f"to_tsvector('{CONFIG}'::regconfig, {joined})"


def lexicon_sql(schema):
    """The word list's view. ts_stat() reads its query from a string, which a
    restore (pg_dump sets an empty search_path) does not rewrite: the tables
    are named with their schema."""
    sources = " UNION ALL ".join(
        "SELECT to_tsvector('simple', {joined}) FROM \"{schema}\".{table}".format(
            joined=" || ' ' || ".join(f'"{c}"' for c in columns),
            schema=schema,
            table=table,
        )
        for table, columns in DOCUMENTS.values()
    )
    return (
        "CREATE MATERIALIZED VIEW plans_search_lexicon AS "
        "SELECT word FROM ts_stat($$" + sources + "$$) "
        "WHERE length(word) >= 4 AND word !~ '^[0-9]'"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = swedish)")
    execute(
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, swedish_stem"
    )
    for name, (table, columns) in DOCUMENTS.items():
        # fastupdate off: a bulk load (an import, a new plan) would otherwise
        # wait in the index's pending list, read row by row at every search.
        execute(
            f"CREATE INDEX {name} ON {table} USING gin ({document(columns)}) "
            "WITH (fastupdate = off)"
        )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    execute(lexicon_sql(schema))
    execute(
        "CREATE UNIQUE INDEX plans_search_lexicon_word ON plans_search_lexicon (word)"
    )
    execute(
        "CREATE INDEX plans_search_lexicon_trgm ON plans_search_lexicon "
        "USING gin (word gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP MATERIALIZED VIEW IF EXISTS plans_search_lexicon")
    for name in DOCUMENTS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0017_lifecycle_carry_over_and_adopted_editions"),
        ("stakeholders", "0002_meeting_moves_to_plans"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
