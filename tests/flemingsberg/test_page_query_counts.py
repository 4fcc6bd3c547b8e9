"""Every public page costs the same number of queries with 10 and 150 items.

The pages and the objects they show are those of bench/pages.py (which runs
the same comparison at 10, 300 and 5 000 items); the data comes from
bench/seed.py, so the pages carry every kind of block, filter and relation.
"""

import io

import pytest

from bench.pages import measure, page_list
from bench.seed import seed

pytestmark = pytest.mark.django_db


def query_counts(client):
    counts = {}
    for label, url in page_list():
        result = measure(client, url, warmups=1, repeat=0)
        assert result["statuses"] == [200], (label, url, result["statuses"])
        counts[label] = result["queries"]
    return counts


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_public_pages_cost_the_same_queries_with_10_and_150_items(
    client, request, role
):
    if role == "reader":
        client.force_login(request.getfixturevalue("reader"))
    seed(items=10, plans=3, updates=40, random_seed=1, out=io.StringIO())
    with_10 = query_counts(client)
    # A second, bigger set of plans: the pages now show its biggest plan,
    # busiest item and organisation, each with many more rows.
    seed(items=150, plans=3, updates=600, random_seed=2, out=io.StringIO())
    with_150 = query_counts(client)
    assert with_150 == with_10
