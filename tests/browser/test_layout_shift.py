"""Cumulative layout shift of the dashboard in Chromium, on a slow connection:
the web fonts arrive after the first paint, and the size-matched fallback face
(site.css) keeps the swap from moving the page. Google's "good" is under 0.1."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Sums every layout shift not caused by input, from the first paint on.
OBSERVE = """
window.__cls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__cls += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""
# A slow mobile connection (Lighthouse's "slow 4G": 150 ms, 1.6 Mbit/s).
SLOW = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}


@pytest.mark.parametrize("width", [1280, 360])
def test_dashboard_layout_shift_is_under_0_1(
    browser, live_server, bundled_plans, width
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW)
        page.add_init_script(OBSERVE)
        page.goto(live_server.url + reverse("plans:dashboard"), wait_until="load")
        page.evaluate("document.fonts.ready")
        page.wait_for_timeout(500)
        loaded = page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').length"
        )
        cls = page.evaluate("window.__cls")
    finally:
        context.close()
    print(f"CLS of the dashboard at {width} px on slow 4G: {cls:.4f}")
    assert loaded >= 2, "the web fonts did not load"
    assert cls < 0.1, f"cumulative layout shift {cls:.3f} at {width} px"
