"""Site-wide pages: the accessibility statement, the health check and the favicon."""

from django.db import connection
from django.http import JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView, TemplateView


@never_cache
def healthz(request):
    """Liveness and readiness: answers 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse(
            {"status": "error", "database": exc.__class__.__name__}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


class AccessibilityView(TemplateView):
    """The accessibility statement (tillgänglighetsredogörelse)."""

    template_name = "flemingsberg/accessibility.html"


class FaviconView(RedirectView):
    """``/favicon.ico``, which browsers ask for on their own, is the static icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.ico")
