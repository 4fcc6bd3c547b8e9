"""The open-data page lists every public indicator's series."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_open_data_lists_each_public_indicator_series(client):
    public = factories.IndicatorFactory(name="Andel förvärvsarbetande")
    factories.IndicatorFactory(name="Intern indikator", is_public=False)
    page = client.get(reverse("plans:open-data")).content.decode()
    assert "Andel förvärvsarbetande" in page
    assert "Intern indikator" not in page
    assert reverse("plans:indicator-series", args=[public.pk, "csv"]) in page
    assert reverse("plans:indicator-series", args=[public.pk, "json"]) in page
