"""Table tags WeasyPrint leaves out of a PDF/UA document, added before it is
written (a WeasyPrint ``finisher``).

WeasyPrint 70 tags tables (Table, THead, TBody, TR, TH, TD, with Headers on
the data cells) but gives header cells no ``/Scope`` (upstream #2508), and a
caption that ends up on the page before its table becomes a table of its own
(upstream #2903 splits a table into one element per page). This module adds
the scope of every header cell, a column header in the table head and a row
header elsewhere, as the portal's tables are written, and puts such a stranded
caption back into its table.
"""

import pydyf


def _number(reference):
    """The object number of an indirect reference (b"12 0 R")."""
    return int(bytes(reference).split()[0])


def _tag(element):
    return element.get("S")


def tag_table_structure(document, pdf):
    """WeasyPrint finisher: scope header cells, keep captions in their tables."""
    elements = {
        obj.number: obj
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"
    }

    def parent(element):
        reference = element.get("P")
        return elements.get(_number(reference)) if reference else None

    for element in elements.values():
        if _tag(element) != "/TH":
            continue
        row = parent(element)
        group = parent(row) if row is not None else None
        in_head = group is not None and _tag(group) == "/THead"
        attributes = element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
        attributes["Scope"] = "/Column" if in_head else "/Row"

    _join_stranded_captions(pdf, elements)


#: Elements that only group others: a caption and its table may be apart by
#: the end of one and the start of another of these (one per page).
CONTAINERS = {"/Div", "/NonStruct", "/Sect", "/Part", "/Art"}


def _in_order(pdf, elements):
    """The structure elements in document order (depth first from the root)."""
    root = next(
        (
            obj
            for obj in pdf.objects
            if isinstance(obj, pydyf.Dictionary)
            and obj.get("Type") == "/StructTreeRoot"
        ),
        None,
    )
    order = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if node is not root:
            order.append(node)
        kids = node.get("K")
        if isinstance(kids, (bytes, bytearray)):
            kids = [kids]
        if not isinstance(kids, (list, pydyf.Array)):
            continue
        children = [
            elements[_number(kid)]
            for kid in kids
            if _is_reference(kid) and _number(kid) in elements
        ]
        stack.extend(reversed(children))
    return order


def _join_stranded_captions(pdf, elements):
    """A Table holding only its caption, followed by the rest of that table on
    the next page: move the caption into the table that follows."""
    order = _in_order(pdf, elements)
    for index, table in enumerate(order):
        if _tag(table) != "/Table" or not _only_caption(table, elements):
            continue
        caption_reference = table["K"][0]
        after = index + 1
        # Skip the caption's own subtree (its text spans).
        while after < len(order) and _descends_from(
            order[after], caption_reference, elements
        ):
            after += 1
        while after < len(order) and _tag(order[after]) in CONTAINERS:
            after += 1
        if after == len(order):
            continue
        next_table = order[after]
        if _tag(next_table) != "/Table" or _has_caption(next_table, elements):
            continue
        caption = elements[_number(caption_reference)]
        caption["P"] = next_table.reference
        next_table["K"].insert(0, caption_reference)
        _remove(table, elements)


def _descends_from(element, reference, elements):
    number = _number(reference)
    while element is not None:
        if element.number == number:
            return True
        parent = element.get("P")
        element = elements.get(_number(parent)) if parent else None
    return False


def _remove(element, elements):
    """Take an emptied element out of its parent, and the parent if it empties."""
    parent_reference = element.get("P")
    parent = elements.get(_number(parent_reference)) if parent_reference else None
    if parent is None:
        return
    kids = parent.get("K")
    if isinstance(kids, pydyf.Array) and element.reference in kids:
        kids.remove(element.reference)
        if not kids and _tag(parent) in CONTAINERS:
            _remove(parent, elements)


def _is_reference(value):
    return isinstance(value, (bytes, bytearray)) and value.endswith(b" R")


def _only_caption(table, elements):
    kids = table.get("K")
    return (
        isinstance(kids, pydyf.Array)
        and len(kids) == 1
        and _is_reference(kids[0])
        and _tag(elements.get(_number(kids[0]), {})) == "/Caption"
    )


def _has_caption(table, elements):
    kids = table.get("K") or []
    return any(
        _is_reference(kid) and _tag(elements.get(_number(kid), {})) == "/Caption"
        for kid in kids
    )
