"""The back office of the plans app, one module per area; each admin class is
defined and registered once, on the portal's site (``flemingsberg.admin``)."""

from plans.admin import (
    actions,
    funding,
    indicators,
    meetings,
    pdfs,
    plans,
    reminders,
)

__all__ = ["actions", "funding", "indicators", "meetings", "pdfs", "plans", "reminders"]
