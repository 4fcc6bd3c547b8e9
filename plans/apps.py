from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans and follow-up")

    def ready(self):
        from plans.services.generation import data_changed

        # The one handler of the data generation (plans.services.generation).
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(data_changed, dispatch_uid=f"plans-generation-{signal}")
