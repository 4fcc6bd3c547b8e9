from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans and follow-up")

    def ready(self):
        from plans.services import generation, stored_pdfs

        # The one handler of the data generation (plans.services.generation),
        # and the one that asks for the PDFs showing the data to be rendered
        # again once the write commits (plans.services.stored_pdfs).
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(
                generation.data_changed, dispatch_uid=f"plans-generation-{signal}"
            )
            signal.connect(
                stored_pdfs.data_changed, dispatch_uid=f"plans-pdfs-{signal}"
            )
