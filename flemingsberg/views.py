"""Project-level pages: home, dashboard, accessibility statement, health check."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from plans.models import ActionItem, Plan


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


class HomeView(TemplateView):
    template_name = "flemingsberg/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plans"] = Plan.objects.visible_to(self.request.user).select_related(
            "owner"
        )
        return context


class DashboardView(TemplateView):
    template_name = "flemingsberg/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = ActionItem.objects.visible_to(self.request.user)
        return context


class AccessibilityView(TemplateView):
    template_name = "flemingsberg/accessibility.html"
