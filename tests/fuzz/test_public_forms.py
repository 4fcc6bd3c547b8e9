"""The public forms: sign-in (with ``next``), choosing the language and signing
out, with hostile fields and hostile query strings. No server error, nothing
echoed unescaped, no redirect away from the site, and nobody signed in by it."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.checks import assert_sound
from tests.fuzz.strategies import hostile, hostile_values, query_string
from tests.fuzz.support import fuzz_settings, rolled_back

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-passphrase"  # tests/factories.py
NEXT_URLS = [
    "/actions/",
    "/en/plans/",
    "/admin/",
    "//evil.example/",
    "https://evil.example/",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    " https://evil.example",
    "http:/evil.example",
    "/%2F%2Fevil.example",
]


def assert_stays_on_the_site(response, what):
    """A redirect, if any, goes to a page of this site (relative or ours)."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        target = urlsplit(location)
        assert target.scheme in ("", "http", "https"), what
        assert target.netloc in ("", "testserver"), what
        assert not location.lstrip().startswith(("//", "/\\", "\\")), what


def fields(names, valid):
    """Form pairs: each field absent, valid or hostile (maybe repeated)."""
    pairs = []

    @st.composite
    def draw_pairs(draw):
        for name in names:
            choice = draw(st.sampled_from(["absent", "valid", "hostile"]))
            if choice == "valid":
                pairs.append((name, draw(st.sampled_from(valid[name]))))
            elif choice == "hostile":
                pairs.extend((name, value) for value in draw(hostile_values))
        pairs.extend(draw(st.lists(st.tuples(hostile, hostile), max_size=2)))
        return draw(st.permutations(pairs))

    return draw_pairs()


@given(data=st.data())
@fuzz_settings()
def test_sign_in_with_hostile_input(world, data):
    valid = {
        "username": [world.reader.username, world.editor.username, "nobody"],
        "password": [PASSWORD, "wrong"],
        "next": NEXT_URLS,
    }
    body = query_string(data.draw(fields(["username", "password", "next"], valid)))
    query = query_string(data.draw(fields(["next"], valid)))
    prefix = data.draw(st.sampled_from(["", "/en"]))
    client = Client()
    with rolled_back():
        response = client.post(
            f"{prefix}/accounts/login/?{query}",
            body,
            content_type="application/x-www-form-urlencoded",
        )
        what = f"login ?{query[:200]} {body[:300]}"
        assert_sound(response, what)
        assert_stays_on_the_site(response, what)
        if response.status_code != 302:
            assert "_auth_user_id" not in client.session, what


@given(data=st.data())
@fuzz_settings()
def test_choosing_the_language_with_hostile_input(data):
    valid = {"language": ["sv", "en", "de", "sv-se"], "next": NEXT_URLS}
    body = query_string(data.draw(fields(["language", "next"], valid)))
    query = query_string(data.draw(fields(["next", "language"], valid)))
    method = data.draw(st.sampled_from(["post", "post", "get"]))
    client = Client()
    with rolled_back():
        if method == "post":
            response = client.post(
                f"/i18n/setlang/?{query}",
                body,
                content_type="application/x-www-form-urlencoded",
            )
        else:
            response = client.get(f"/i18n/setlang/?{query}")
        what = f"setlang {method} ?{query[:200]} {body[:300]}"
        assert_sound(response, what)
        assert_stays_on_the_site(response, what)
        # The page it leads to, in the language chosen, is sound too.
        if response.status_code == 302:
            assert_sound(client.get(response["Location"]), what)


@given(data=st.data())
@fuzz_settings(0.5)
def test_signing_out_with_hostile_input(world, data):
    valid = {"next": NEXT_URLS}
    body = query_string(data.draw(fields(["next"], valid)))
    client = Client()
    client.force_login(world.reader)
    with rolled_back():
        response = client.post(
            "/accounts/logout/", body, content_type="application/x-www-form-urlencoded"
        )
        what = f"logout {body[:300]}"
        assert_sound(response, what)
        assert_stays_on_the_site(response, what)
