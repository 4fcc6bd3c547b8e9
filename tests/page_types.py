"""One address of every public page type, for the tests that visit them all
(axe in Chromium, the Nu HTML checker). Needs the bundled plans loaded."""

from django.urls import reverse

from plans.models import ActionItem, Indicator
from stakeholders.models import GoverningBody, Organisation
from tests import factories

NOT_FOUND = "/finns-inte/"


def page_paths():
    """Paths without a language prefix; ``NOT_FOUND`` answers 404."""
    item = ActionItem.objects.get(plan__slug="handlingsplan-2009", code="1.1")
    factories.ActionUpdateFactory(item=item, text="Första lägesrapporten.")
    factories.ActionUpdateFactory(item=item, text="Intern notering.", is_public=False)
    soderort_row = ActionItem.objects.get(plan__slug="soderort-2030", code="6")
    organisation = Organisation.objects.get(name="Huddinge kommun")
    body = GoverningBody.objects.get(name="Politisk styrgrupp")
    indicator = Indicator.objects.order_by("name").first()
    meeting = factories.MeetingFactory(body=body, title="Styrgruppsmöte")
    return [
        reverse("plans:home"),
        reverse("plans:plan-list"),
        reverse("plans:plan-detail", args=["verksamhetsplan-2009-2011"]),
        reverse("plans:plan-detail", args=["handlingsplan-2009"]),
        reverse("plans:plan-detail", args=["soderort-2030"]),
        reverse("plans:plan-report", args=["handlingsplan-2009"]) + "?since=2009-01-01",
        reverse("plans:actionitem-list"),
        reverse("plans:actionitem-list") + "?status=bogus&due_year=x",
        reverse("plans:actionitem-detail", args=[item.pk]),
        reverse("plans:actionitem-detail", args=[soderort_row.pk]),
        reverse("plans:dashboard"),
        reverse("plans:organisation-list"),
        reverse("plans:organisation-detail", args=[organisation.slug]),
        reverse("plans:governingbody-list"),
        reverse("plans:governingbody-detail", args=[body.slug]),
        reverse("plans:indicator-list"),
        reverse("plans:indicator-detail", args=[indicator.pk]),
        reverse("plans:open-data"),
        reverse("plans:meeting-list"),
        reverse("plans:meeting-detail", args=[meeting.pk]),
        reverse("plans:search"),
        reverse("plans:search") + "?q=S%C3%B6dert%C3%B6rns+h%C3%B6gskola",
        reverse("plans:search") + "?q=arbetsplatser&kind=items",
        reverse("plans:search") + "?q=a",
        reverse("accessibility"),
        reverse("login"),
        NOT_FOUND,
    ]
