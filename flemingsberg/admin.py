"""The admins of Django's users and groups and of django-axes, with the
portal's guards against values that are not keys or hold a NUL byte (see
stakeholders.admin.SafeChoicesMixin): registered again, otherwise unchanged."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from stakeholders.admin import SafeChoicesMixin

for model, model_admin in [
    (get_user_model(), auth_admin.UserAdmin),
    (Group, auth_admin.GroupAdmin),
    (AccessAttempt, axes_admin.AccessAttemptAdmin),
    (AccessLog, axes_admin.AccessLogAdmin),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        safe = type(model_admin.__name__, (SafeChoicesMixin, model_admin), {})
        admin.site.register(model, safe)
