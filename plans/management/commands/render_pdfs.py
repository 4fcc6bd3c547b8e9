import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand
from django.utils import translation

from flemingsberg.permissions import VIEW_INTERNAL_PERMISSION
from plans.models import Plan
from plans.services.pdf import key_parts, pdf_entry, plan_pdf_html, report_pdf_html


class _Member(AnonymousUser):
    """Stands in for a signed-in group member when rendering the internal PDFs."""

    @property
    def is_authenticated(self):
        return True

    is_active = True

    def has_perm(self, perm, obj=None):
        return perm == VIEW_INTERNAL_PERMISSION


class Command(BaseCommand):
    help = (
        "Render every plan's PDF and progress report into the cache (for a deploy "
        "step or a nightly cron), in every language and for both the public and the "
        "members' view, so that the first reader waits for nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="only these plans")

    def handle(self, *args, slugs, **options):
        plans = Plan.objects.select_related("owner", "adopted_by", "parent")
        if slugs:
            plans = plans.filter(slug__in=slugs)
        rendered = cached = 0
        for plan in plans:
            viewers = [_Member()]
            if plan.is_published:
                viewers.insert(0, AnonymousUser())
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for user in viewers:
                        for kind, build in (
                            (
                                "plan",
                                lambda e, p=plan, u=user: plan_pdf_html(
                                    p, u, e.data_date
                                ),
                            ),
                            ("report", lambda e, p=plan, u=user: report_pdf_html(p, u)),
                        ):
                            extra = [""] if kind == "report" else []
                            entry = pdf_entry(key_parts(kind, plan, user, *extra))
                            started = time.perf_counter()
                            entry.get_or_render(lambda e=entry, b=build: b(e))
                            if entry.from_cache:
                                cached += 1
                                continue
                            rendered += 1
                            self.stdout.write(
                                f"{plan.slug} {kind} {language} "
                                f"{'members' if user.is_authenticated else 'public'}: "
                                f"{len(entry.content) // 1024} KiB in "
                                f"{time.perf_counter() - started:.2f} s"
                            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{rendered} PDF(s) rendered, {cached} already in the cache."
            )
        )
