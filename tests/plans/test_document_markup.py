"""Action items written in one pass: the plan document's list and table, the
progress report and an organisation's items show the markup the template loops
showed, with one "Late" rule; the Markdown of a plan is rendered once per text.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString

from plans.models import ActionItem, Plan, Section
from plans.services.reports import build_progress_report
from plans.tables import CellWriter
from plans.templatetags.plan_documents import (
    MARKDOWN_CACHE_SIZE,
    ItemMarkup,
    _render_markdown,
    actionitem_url_maker,
    format_number,
    format_sek,
    long_date,
    render_markdown,
)
from plans.views.documents import build_plan_document
from tests import factories

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=30)
FUTURE = TODAY + datetime.timedelta(days=30)

# The item loops of plans/document/_block_action_items.html and
# _block_action_table.html as they were before the action_entries and
# action_table_rows tags: one include, url and blocktranslate per item.
ENTRIES_LOOP = """{% load i18n %}{% for item in items %}
  <li class="doc-action" id="{{ item.anchor }}">
    <a class="doc-action__title" href="{% url 'plans:actionitem-detail' pk=item.pk %}"{{ document.lang_attr }}>{{ item.title }}</a>
    <div class="doc-action__meta">
      <span class="doc-action__status">{% include "includes/_status_badge.html" %}</span>
      {% include "includes/_progress.html" with value=item.progress %}
      {% if item.due_date %}<span class="doc-action__due">{% blocktranslate trimmed with date=item.due_date|date:"j F Y" %}Due {{ date }}{% endblocktranslate %}</span>{% endif %}
    </div>
  </li>
{% endfor %}"""  # noqa: E501

TABLE_LOOP = """{% load i18n %}{% for item in items %}
  <tr id="{{ item.anchor }}"{% if item.reference %} class="doc-action-table__see-above"{% endif %}>
    <th scope="row" class="doc-action-table__title">{% if pdf %}{{ item.title }}{% else %}<a href="{% url 'plans:actionitem-detail' pk=item.pk %}">{{ item.title }}</a>{% endif %}</th>
    <td{% if not pdf %} data-label="{{ labels.0 }}"{% endif %}>{% if item.reference %}<a href="#{{ item.reference.anchor }}">{% blocktranslate trimmed with title=item.reference.title %}See above: {{ title }}{% endblocktranslate %}</a>{% else %}{{ item.assignment }}{% endif %}</td>
    <td{% if not pdf %} data-label="{{ labels.1 }}"{% endif %}>{{ item.commissioned_by }}</td>
    <td{% if not pdf %} data-label="{{ labels.2 }}"{% endif %}>{{ item.expected_result }}</td>
    <td{% if not pdf %} data-label="{{ labels.3 }}"{% endif %}>{{ item.schedule }}</td>
    <td{% if not pdf %} data-label="{{ labels.4 }}"{% endif %}>{{ item.responsible_body }}</td>
    <td{% if not pdf %} data-label="{{ labels.5 }}"{% endif %}>{{ item.responsible_officer }}</td>
    <td{% if not pdf %} data-label="{{ labels.6 }}"{% endif %}>{{ item.coordinator }}</td>
  </tr>
{% endfor %}"""  # noqa: E501

TABLE_TAG = (
    "{% load plan_documents %}{% action_table_rows document.items pdf labels.0 "
    "labels.1 labels.2 labels.3 labels.4 labels.5 labels.6 %}"
)
LABELS = ["Uppdrag", "Uppdragsgivare", "Förväntat <resultat>", "Tidplan", "N", "H", "K"]

# The includes put "Late" beside "Delayed"; CellWriter shows one badge, since
# both read "Försenad" in Swedish.
LATE_AFTER_DELAYED = re.compile(
    r'(<span class="badge badge--delayed">[^<]*</span>)'
    r' <span class="badge badge--late">[^<]*</span>'
)


def same_markup(html):
    """HTML modulo whitespace: runs are one space; none at a cell's or item's
    edge, nor between table rows."""
    html = re.sub(r"\s+", " ", html).strip()
    html = re.sub(r" ?(<tr[ >]|</tr>) ?", r"\1", html)
    html = re.sub(r" (</t[dh]>|</li>)", r"\1", html)
    html = re.sub(r"(<t[dh][^>]*>|<li[^>]*>) ", r"\1", html)
    return LATE_AFTER_DELAYED.sub(r"\1", html)


@pytest.fixture
def plan(db):
    plan = factories.PlanFactory(slug="handlingsplan-test")
    factories.SectionFactory(plan=plan, kind=Section.Kind.ACTION_ITEMS, body="")
    factories.SectionFactory(plan=plan, kind=Section.Kind.ACTION_TABLE, body="")
    area = factories.FocusAreaFactory(plan=plan)
    rows = [
        ("1", "Utan slutdatum", "not_started", 0, None),
        ("2", "Försenad och sen", "delayed", 55, PAST),
        ("3", "Pågår men sen", "ongoing", 20, PAST),
        ("4", "Klar efter slutdatum", "done", 100, PAST),
        ("5.1 a/b", "Titel <b>\"fet\"</b> & 'citat'", "paused", 70, FUTURE),
        ("6", "Inställd", "cancelled", 10, datetime.date(2026, 1, 1)),
    ]
    items = [
        factories.ActionItemFactory(
            plan=plan,
            focus_area=area,
            code=code,
            order=n,
            title=title,
            status=status,
            progress=progress,
            due_date=due,
            assignment=f"Uppdrag <{n}>",
            commissioned_by="KF & KS",
            expected_result='"Resultat"',
            schedule="2026",
            responsible_body="Exploateringsnämnden",
            responsible_officer="A. Andersson",
            coordinator="B. Berg",
        )
        for n, (code, title, status, progress, due) in enumerate(rows)
    ]
    factories.ActionItemFactory(
        plan=plan, code="7", order=9, title="Se ovan", see_above=items[0]
    )
    return plan


def document_of(plan):
    plan = Plan.objects.select_related("owner").get(pk=plan.pk)
    return build_plan_document(plan, AnonymousUser())


def model_items(document):
    """The document's items as ActionItem instances, for the template loops."""
    by_pk = ActionItem.objects.in_bulk([item.pk for item in document["items"]])
    items = []
    for shown in document["items"]:
        item = by_pk[shown.pk]
        item.anchor = shown.anchor
        item.reference = by_pk[shown.reference.pk] if shown.reference else None
        if item.reference:
            item.reference.anchor = shown.reference.anchor
        items.append(item)
    return items


# ---------------------------------------------------------------------------
# The plan document
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_action_entries_write_the_markup_of_the_template_loop(plan, language):
    with translation.override(language):
        document = document_of(plan)
        context = {"document": document, "items": model_items(document)}
        expected = Template(ENTRIES_LOOP).render(Context(context))
        written = Template(
            "{% load plan_documents %}"
            "{% action_entries document.items document.lang_attr %}"
        ).render(Context(context))
    assert written.count('<li class="doc-action"') == 7
    assert same_markup(written) == same_markup(expected)
    if language == "en":
        assert ' lang="sv">Utan slutdatum</a>' in written
    assert "Titel &lt;b&gt;&quot;fet&quot;&lt;/b&gt; &amp; &#x27;citat&#x27;" in written


@pytest.mark.parametrize("pdf", [False, True])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_action_table_rows_write_the_markup_of_the_template_loop(plan, language, pdf):
    with translation.override(language):
        document = document_of(plan)
        context = {"document": document, "pdf": pdf, "labels": LABELS}
        context["items"] = model_items(document)
        expected = Template(TABLE_LOOP).render(Context(context))
        written = Template(TABLE_TAG).render(Context(context))
    assert written.count("<tr ") == 7
    assert same_markup(written) == same_markup(expected)
    assert ("data-label" in written) is not pdf
    assert ("/actions/" in written) is not pdf
    assert 'data-label="Förväntat &lt;resultat&gt;"' in written or pdf


def test_action_table_rows_need_a_label_per_column(plan):
    with pytest.raises(TemplateSyntaxError, match="7 column labels"):
        Template(
            "{% load plan_documents %}{% action_table_rows items False 'a' %}"
        ).render(Context({"items": []}))


def test_plan_page_shows_the_status_and_the_date_flag_apart(client, plan):
    """ "Försenad" is a status; the date flag says "Passerat slutdatum" with
    the date, also beside a delayed item."""
    content = client.get(plan.get_absolute_url()).content.decode()
    delayed = content[content.index('id="atgard-2"') :]
    delayed = delayed[: delayed.index("</li>")]
    assert 'badge--delayed">Försenad</span>' in delayed
    assert "badge--late" in delayed
    ongoing = content[content.index('id="atgard-3"') :]
    ongoing = ongoing[: ongoing.index("</li>")]
    assert 'badge--ongoing">Pågående</span> <span class="badge badge--late">' in ongoing
    assert f'Passerat slutdatum <time datetime="{PAST.isoformat()}">' in ongoing
    # Two date flags in the whole list: items 2 and 3 (done and cancelled are
    # never past their end date), and no code: the adopted list is unnumbered.
    list_part = content[content.index('<ul class="doc-actions">') :]
    list_part = list_part[: list_part.index("</ul>")]
    assert list_part.count("badge--late") == 2
    assert list_part.count(">Försenad</span>") == 1
    assert "doc-action__code" not in list_part


def test_item_markup_follows_the_model_and_cell_writer(plan):
    markup = ItemMarkup()
    cells = CellWriter()
    items = list(ActionItem.objects.filter(plan=plan))
    for item in items:
        for due in (None, PAST, TODAY, FUTURE):
            item.due_date = due
            assert markup.status_html(item) == cells.status(item), (item.status, due)
    assert {markup.url(item.pk) for item in items} == {
        item.get_absolute_url() for item in items
    }


def test_item_urls_follow_the_language_prefix(plan):
    item = ActionItem.objects.filter(plan=plan).first()
    with translation.override("en"):
        assert actionitem_url_maker()(item.pk) == f"/en/actions/{item.pk}/"
        assert actionitem_url_maker()(item.pk) == item.get_absolute_url()
    assert actionitem_url_maker()(item.pk) == f"/actions/{item.pk}/"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_long_date_is_the_date_filter_whatever_the_active_language(language):
    for month in range(1, 13):
        day = datetime.date(2026, month, 3 + month)
        with translation.override(language):
            expected = date_format(day, "j F Y")
        with translation.override("en" if language == "sv" else "sv"):
            assert long_date(day, language) == expected
    assert long_date(datetime.date(2026, 3, 1), "sv") == "1 mars 2026"


# ---------------------------------------------------------------------------
# The progress report and the organisation page
# ---------------------------------------------------------------------------


# The report's row loops before the report_late_rows and report_item_rows tags.
REPORT_LOOPS = """{% load i18n plan_documents %}{% for item in report.late|with_status_markup %}
          <tr><td>{{ item.code }}</td><td>{% if pdf %}{{ item.title }}{% else %}<a href="{{ item.get_absolute_url }}">{{ item.title }}</a>{% endif %}</td><td class="nowrap">{{ item.due_date|date:"Y-m-d" }}</td><td>{% include "includes/_status_badge.html" %}</td></tr>
{% endfor %}|{% for group in report.groups %}{% for item in group.items %}
        <tr>
          <td>{{ item.code }}</td>
          <td>{% if pdf %}{{ item.title }}{% else %}<a href="{{ item.get_absolute_url }}">{{ item.title }}</a>{% endif %}</td>
          <td>{% include "includes/_status_badge.html" %}</td>
          <td class="num">{{ item.progress }} %</td>
          <td class="nowrap">{{ item.due_date|date:"Y-m-d"|default:"–" }}</td>
          <td>{% if item.responsible_body %}{{ item.responsible_body }}{% elif item.responsible_organisation %}{{ item.responsible_organisation.name }}{% else %}–{% endif %}</td>
          <td>{% if item.latest_update %}<strong>{{ item.latest_update.date|date:"Y-m-d" }}</strong> {{ item.latest_update.text }}{% else %}<span class="muted">{% translate "No update yet" %}</span>{% endif %}</td>
        </tr>
{% endfor %}{% endfor %}"""  # noqa: E501

REPORT_TAGS = (
    "{% load i18n plan_documents %}"
    "{% report_late_rows report.late|with_status_markup pdf %}|"
    '{% translate "No update yet" as no_update %}{% for group in report.groups %}'
    "{% report_item_rows group.items|with_status_markup pdf no_update %}"
    "{% endfor %}"
)


@pytest.mark.parametrize("pdf", [False, True])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_report_rows_write_the_markup_of_the_template_loops(plan, language, pdf):
    items = list(ActionItem.objects.filter(plan=plan).order_by("order"))
    items[0].responsible_body = ""
    items[0].responsible_organisation = factories.OrganisationFactory(name="A & B")
    items[0].save()
    items[1].responsible_body = ""
    items[1].save()
    factories.ActionUpdateFactory(item=items[0], text="<Ny> text", date=PAST)
    with translation.override(language):
        report = build_progress_report(plan, AnonymousUser())
        context = {"report": report, "pdf": pdf}
        expected = Template(REPORT_LOOPS).render(Context(context))
        written = Template(REPORT_TAGS).render(Context(context))
    assert written.count("<tr>") == 2 + 7
    assert same_markup(written) == same_markup(expected)
    assert "A &amp; B" in written
    assert "&lt;Ny&gt; text" in written
    assert ("/actions/" in written) is not pdf


def test_report_latest_update_is_the_newest_visible_one(plan, reader):
    item = ActionItem.objects.get(plan=plan, code="1")
    day = datetime.date(2026, 5, 1)
    factories.ActionUpdateFactory(item=item, date=day, text="Först")
    factories.ActionUpdateFactory(item=item, date=day, text="Sist samma dag")
    factories.ActionUpdateFactory(item=item, date=datetime.date(2026, 4, 1))
    factories.ActionUpdateFactory(
        item=item, date=datetime.date(2026, 5, 2), text="Intern", is_public=False
    )

    def latest(user, since=None):
        report = build_progress_report(plan, user, since=since)
        (shown,) = [i for g in report.groups for i in g.items if i.pk == item.pk]
        return shown.latest_update.text

    assert latest(AnonymousUser()) == "Sist samma dag"
    assert latest(AnonymousUser(), since=datetime.date(2000, 1, 1)) == "Sist samma dag"
    assert latest(reader) == "Intern"
    assert latest(reader, since=datetime.date(2000, 1, 1)) == "Intern"


def test_report_flags_each_item_past_its_end_date(client, plan):
    url = reverse("plans:plan-report", kwargs={"slug": plan.slug})
    content = client.get(url).content.decode()
    late = content[content.index('class="report-late"') :]
    late = late[: late.index("</section>")]
    # Past their end date: items 2 (delayed) and 3 (ongoing), each flagged.
    assert late.count("<tr><td>") == 2
    assert late.count("badge--late") == 2
    assert late.count('badge--delayed">Försenad</span>') == 1
    for item in ActionItem.objects.filter(plan=plan, code__in=["2", "3"]):
        assert f'<a href="{item.get_absolute_url()}">' in late


def test_organisation_page_rows_link_items_and_plans(client, plan):
    organisation = factories.OrganisationFactory(name="Trafikverket")
    ActionItem.objects.filter(plan=plan).update(responsible_organisation=organisation)
    with translation.override("en"):
        content = client.get(organisation.get_absolute_url()).content.decode()
    rows = content[content.index('aria-labelledby="items-title"') :]
    rows = rows[: rows.index("</section>")]
    assert rows.count("<tr>") == 1 + 7
    for item in ActionItem.objects.filter(plan=plan):
        assert f'<a href="/en/actions/{item.pk}/">' in rows
    assert rows.count(f'<a href="/en/plans/{plan.slug}/">') == 7
    assert rows.count('data-label="Status"><span class="badge') == 7
    assert rows.count("badge--late") == 2  # items 2 (delayed) and 3 (ongoing)
    assert f'<time datetime="{PAST.isoformat()}">{PAST.isoformat()}</time>' in rows


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def test_markdown_is_rendered_once_per_text_and_level_as_safe_html():
    text = "Ett **unikt** stycke för cachetestet."
    first = render_markdown(text)
    assert isinstance(first, SafeString)
    assert render_markdown(text) is first
    assert render_markdown(text, top_level=4) == first  # no heading: same HTML
    assert render_markdown("### Rubrik", 4) == "<h4>Rubrik</h4>"
    assert render_markdown("### Rubrik", 3) == "<h3>Rubrik</h3>"


def test_markdown_does_not_depend_on_the_active_language():
    text = "Text med [länk](https://example.org) och *kursiv* 12 345,5."
    with translation.override("en"):
        english = render_markdown(text)
    _render_markdown.cache_clear()
    with translation.override("sv"):
        swedish = render_markdown(text)
    assert english == swedish
    assert "lang=" not in swedish


def test_markdown_cache_is_bounded():
    info = _render_markdown.cache_info()
    assert info.maxsize == MARKDOWN_CACHE_SIZE == 4096
    assert info.currsize <= info.maxsize


# ---------------------------------------------------------------------------
# Numbers and amounts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_number_and_sek_filters_are_the_formatters_in_the_active_language(language):
    template = Template("{% load plan_documents %}{{ value|sek }}|{{ value|number }}")
    values = [Decimal("1234567.00"), Decimal("1.50"), Decimal("1.5"), 0, "", None]
    for value in values:
        with translation.override(language):
            rendered = template.render(Context({"value": value}))
            expected = f"{format_sek(value)}|{format_number(value)}"
        assert rendered == expected, value
    with translation.override(language):
        rendered = template.render(Context({"value": "x<y"}))
        expected = f"{escape(format_sek('x<y'))}|x&lt;y"
        assert "1,50" in format_number(Decimal("1.50")) or language == "en"
    assert rendered == expected
