"""No English in the admin under the Swedish locale: every page type (index,
app index, changelist, add, change, delete confirmation, history) of every
registered model, Django's, the libraries' and ours, and the portal's own
admin pages, looked through for English words that Django, the libraries
and our code use."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from plans.services.reminders import send_reminders_task
from tests import factories

pytestmark = pytest.mark.django_db

#: English words of the admin's and our strings that are not also Swedish
#: words (“plan”, “status”, “import”, “export”, “format”, “text”, “by”, “is”,
#: “in” are both, and left out).
ENGLISH = frozenset(
    """
    the and add added change changed changes delete deleted history save saved
    search filter action actions selected select yes view home password object
    objects recent entries available unknown today now show hide clear remove
    choose date time user users groups permissions access attempts attempt
    failures failure logs log update updates updated item items this that with
    for your you are was were which name field fields value values none all from
    next previous page preview submit confirm close revert created author public
    internal note due late overdue progress week responsible email first last
    staff superuser active login logout username ago sent reminder reminders
    document documents rendered pack packs frozen decision decisions meeting
    meetings target targets indicator indicators funding contribution
    stakeholder stakeholders governing body bodies membership memberships
    organisations people focus area areas strategy strategies section sections
    statement statements measure measures year years amount order code heading
    title kind slug description website address phone mandate role party
    representing assignment expected result schedule coordinator place source
    unit baseline content language visibility file size pages task tasks
    database backend queue
    """.split()  # noqa: SIM905 (a word list reads best as words)
)

WORD = re.compile(r"[A-Za-zÅÄÖåäöéü']+")


class VisibleText(HTMLParser):
    """The text a person sees: text nodes outside script and style, button
    values and placeholders."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skip += 1
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")
        for name in ("placeholder", "title", "aria-label"):
            if attrs.get(name):
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def english_in(html):
    parser = VisibleText()
    parser.feed(html)
    found = set()
    for part in parser.parts:
        # Identifiers (a task's dotted path, snake_case names) are code.
        prose = " ".join(t for t in part.split() if "_" not in t and "." not in t[:-1])
        words = WORD.findall(prose)
        hits = [w for w in words if w.lower() in ENGLISH]
        # One English word amid Swedish is a name or a loan; two are a phrase.
        if len(hits) >= 2 or (hits and len(words) <= 2):
            found.add(" ".join(part.split())[:120])
    return found


def _url(model, action, *args):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}"
    return reverse(name, args=args)


MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def signed_in(client, superuser, one_of_each, django_capture_on_commit_callbacks):
    factories.UserFactory(username="lasare", email="lasare@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders_task.enqueue()  # a row in the task queue's admin
    client.force_login(superuser)
    return client


def _pages(model):
    obj = model._default_manager.order_by("pk").first()
    yield _url(model, "changelist")
    yield _url(model, "add")
    if obj is not None:
        for action in ("change", "delete", "history"):
            try:
                yield _url(model, action, obj.pk)
            except NoReverseMatch:
                continue


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_admin_page_of_the_model_is_swedish(signed_in, model):
    found = {}
    for url in _pages(model):
        response = signed_in.get(url)
        if response.status_code == 403:
            continue  # the page does not exist for anyone (frozen rows)
        assert response.status_code == 200, url
        english = english_in(response.content.decode())
        if english:
            found[url] = sorted(english)
    assert not found


def test_the_index_app_indexes_and_the_portals_own_pages_are_swedish(signed_in):
    urls = [
        reverse("admin:index"),
        reverse("admin:plans_actionitem_bulk_update") + "?update_overdue=soon",
        reverse("admin:invite_reader"),
        reverse("admin:password_change"),
    ]
    urls += [
        reverse("admin:app_list", args=[label])
        for label in sorted({model._meta.app_label for model in MODELS})
    ]
    found = {}
    for url in urls:
        response = signed_in.get(url)
        assert response.status_code == 200, url
        english = english_in(response.content.decode())
        if english:
            found[url] = sorted(english)
    assert not found


def test_the_word_list_finds_english():
    assert english_in("<p>Select action item to change</p>")
    assert not english_in("<p>Välj åtgärd att ändra</p><script>var the = 1</script>")
