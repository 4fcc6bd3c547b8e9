from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from plans.services.plan_data import (
    PlanFileError,
    bundled_plan_files,
    load_plan_files,
)


class Command(BaseCommand):
    help = (
        "Load plan data files (YAML, see docs/plan-data-format.md). Without "
        "arguments, loads the bundled plans. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="plan data files to load")

    def handle(self, *args, files, **options):
        paths = files or bundled_plan_files()
        if not paths:
            raise CommandError("No plan data files found.")
        try:
            # The command speaks English, as its other output does.
            with translation.override("en"):
                result = load_plan_files(paths)
        except PlanFileError as exc:
            raise CommandError(
                f"Nothing was loaded. {exc.path}: {exc.location}: {exc.message}"
            ) from exc
        except FileNotFoundError as exc:
            raise CommandError(
                f"Nothing was loaded. No such file: {exc.filename}"
            ) from exc
        if not result.wrote_anything:
            self.stdout.write(f"{len(paths)} file(s) read; everything was up to date.")
            return
        for label, bucket in (("created", result.created), ("changed", result.changed)):
            if bucket:
                counts = ", ".join(f"{n} {name}" for name, n in sorted(bucket.items()))
                self.stdout.write(f"{label}: {counts}")
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(paths)} file(s)."))
