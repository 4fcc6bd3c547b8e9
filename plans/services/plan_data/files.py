"""Plan data files in and out of the database, each load in one transaction.

``load_plan_files`` (the ``load_plans`` command) and ``import_plan_text`` (the
back office's upload) read YAML, remember the line of every value, and load
the plans parents and predecessors first; an error anywhere leaves the
database as it was and names the line and the key path of the faulty value.
``preview_plan_text`` loads a file and rolls it back, to say what an import
would create and change.
"""

from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from plans.services.adopted import freeze_adopted_editions
from plans.services.plan_data.loader import PlanLoader
from plans.services.plan_data.values import LoadResult, PlanFileError

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
#: The largest plan data file the back office takes (the biggest bundled
#: file is about 60 kB).
MAX_PLAN_FILE_BYTES = 2 * 1024 * 1024

# libyaml's safe loader where PyYAML was built with it (the wheels are): the
# same documents and errors, parsed some ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def bundled_plan_files():
    return sorted(DATA_DIR.glob("*.yaml"))


def load_plan_files(paths):
    """Load several files in one transaction, parents and predecessors first."""
    documents = []
    for path in paths:
        path = Path(path)
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise PlanFileError(
                path, _("file"), _("not UTF-8 (%(reason)s)") % {"reason": exc.reason}
            ) from exc
        documents.append((path, *parse_plan_text(content, path)))
    return load_documents(documents)


def import_plan_text(content, name="plan.yaml"):
    """Load one plan data file given as text (an upload); see the module."""
    return load_documents([(Path(name), *parse_plan_text(content, name))])


class _Preview(Exception):
    """Rolls a preview's load back."""


def preview_plan_text(content, name="plan.yaml"):
    """What ``import_plan_text`` would write (a ``LoadResult``), written and
    rolled back; raises ``PlanFileError`` as the import would."""
    documents = [(Path(name), *parse_plan_text(content, name))]
    try:
        with transaction.atomic():
            result = load_documents(documents, freeze=False)
            raise _Preview
    except _Preview:
        pass
    return result


def load_documents(documents, freeze=True):
    """Load parsed ``(path, document, lines)`` in one transaction. An adopted
    plan without an adopted edition gets one (``services.adopted``)."""
    result = LoadResult()
    with transaction.atomic():
        plans = [
            PlanLoader(path, document, result, lines).load()
            for path, document, lines in in_load_order(documents)
        ]
        if freeze:
            freeze_adopted_editions(plans)
    result.slugs = [plan.slug for plan in plans]
    return result


def in_load_order(documents):
    """Parents and predecessors before the plans that name them."""
    slugs = {document["plan"].get("slug") for _path, document, _lines in documents}
    pending, ordered, loaded = list(documents), [], set()
    while pending:
        ready = [
            entry
            for entry in pending
            if all(
                not entry[1]["plan"].get(key)
                or entry[1]["plan"][key] not in slugs
                or entry[1]["plan"][key] in loaded
                for key in ("parent", "predecessor")
            )
        ]
        if not ready:
            raise PlanFileError(
                pending[0][0], "plan.parent", _("circular parent or predecessor plans")
            )
        ordered += ready
        loaded |= {entry[1]["plan"].get("slug") for entry in ready}
        pending = [entry for entry in pending if entry not in ready]
    return ordered


def parse_plan_text(content, path):
    """``(document, lines)``: the parsed file and the line of each key path
    (``{"plan.action_items[3].title": 57}``)."""
    try:
        document = yaml.load(content, Loader=SAFE_LOADER)
        lines = line_numbers(yaml.compose(content, Loader=SAFE_LOADER))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlanFileError(
            path,
            _("file"),
            _("not valid YAML: %(problem)s") % {"problem": problem},
            line=mark.line + 1 if mark else None,
        ) from exc
    if not isinstance(document, dict) or not isinstance(document.get("plan"), dict):
        raise PlanFileError(path, "plan", _("the file has no `plan:` mapping"))
    return document, lines


def line_numbers(node, path="", lines=None, seen=None):
    """The line (from 1) of every key and list entry under ``node``, by the
    key path the loader names values with. A node reached again through a
    YAML alias is not walked again (nested aliases would otherwise take
    exponential time)."""
    lines = {} if lines is None else lines
    seen = set() if seen is None else seen
    if id(node) in seen:
        return lines
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{path}.{key_node.value}" if path else str(key_node.value)
            lines.setdefault(key, key_node.start_mark.line + 1)
            line_numbers(value_node, key, lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key = f"{path}[{index}]"
            lines.setdefault(key, item.start_mark.line + 1)
            line_numbers(item, key, lines, seen)
    return lines
