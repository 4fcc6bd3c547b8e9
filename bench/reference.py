"""The practical floor for a server-rendered page of the action browser.

The same 25 rows as the first page of /actions/ (the same QuerySet: the
visitor's items, related rows joined, the latest visible update annotated, the
same order) rendered by a minimal hand-written template: no django-tables2, no
filter form, no site layout. bench/load.sh prints every page's throughput as a
ratio to this view's.
"""

from django.shortcuts import render

from plans.views.actions import browse_queryset

ROWS = 25


def reference_rows(request):
    items = browse_queryset(request.user)[:ROWS]
    return render(request, "bench/reference.html", {"items": items})
