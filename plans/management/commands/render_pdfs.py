from django.core.management.base import BaseCommand

from plans.models import Plan
from plans.services import published_pdfs
from plans.services.stored_pdfs import prepare_documents


class Command(BaseCommand):
    help = (
        "Queue the PDF of every plan and its progress report, in every language "
        "and for both the public and the members, for the task worker (`manage.py "
        "db_worker`) to render: a deploy step, so that the first reader waits for "
        "nothing. Documents that are already current are not rendered again. "
        "With PDF_PUBLISHED_DIR set, the public PDFs already rendered are "
        "published there."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="only these plans")

    def handle(self, *args, slugs, **options):
        plans = Plan.objects.all()
        if slugs:
            plans = plans.filter(slug__in=slugs)
        count = prepare_documents(plans)
        # With PDF_PUBLISHED_DIR: the files of the PDFs already rendered.
        published_pdfs.sync()
        self.stdout.write(
            self.style.SUCCESS(f"{count} PDF(s) queued for the task worker.")
        )
