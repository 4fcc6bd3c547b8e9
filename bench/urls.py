"""The portal's URL map plus /bench/reference/ (bench/load.sh only)."""

from django.urls import path

from bench.reference import reference_rows
from flemingsberg.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/reference/", reference_rows, name="bench-reference"),
    *portal_urlpatterns,
]
