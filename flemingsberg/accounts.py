"""Self-service sign-in: password reset by e-mail, and the director's
invitations of reader accounts.

- Password reset is Django's views with the portal's templates. The answer is
  the same for a known and an unknown address (no user enumeration), and an
  address gets at most ``PASSWORD_RESET_MAILS_PER_HOUR`` mails an hour, as a
  client does (throttled in the cache, silently: the page says the same).
- An invitation creates an active reader account (the reader group, read-only
  in the back office) without a usable password and mails a link to choose
  one, the same link as a password reset. The form has no way to give any
  other role: editors and superusers are made by a superuser in the user
  admin, where the director has no access.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from flemingsberg.permissions import INVITE_READER_PERMISSION, READER_GROUP

PASSWORD_RESET_MAILS_PER_HOUR = 3


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form that also reaches invited readers who never chose
    a password, and mails one address at most a few times an hour."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(
            email__iexact=email, is_active=True
        )
        return (user for user in users if user.email.lower() == email.lower())

    def send_mail(
        self, subject_template_name, email_template_name, context, *args, **kwargs
    ):
        key = f"password-reset:{context['email'].lower()}"
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > PASSWORD_RESET_MAILS_PER_HOUR:
            return
        super().send_mail(
            subject_template_name, email_template_name, context, *args, **kwargs
        )


class InviteReaderForm(forms.Form):
    """A new reader: name and e-mail address, nothing else."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        users = get_user_model()._default_manager
        if (
            users.filter(email__iexact=email).exists()
            or users.filter(username__iexact=email).exists()
        ):
            raise forms.ValidationError(
                _("There is already an account with this address."), code="taken"
            )
        return email

    @transaction.atomic
    def save(self):
        user = get_user_model()._default_manager.create(
            username=self.cleaned_data["email"],
            email=self.cleaned_data["email"],
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            is_staff=True,  # the back office, read-only
            is_superuser=False,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=READER_GROUP)])
        return user


def invitation_message(user, invited_by):
    """The invitation e-mail: who invites, and the link to choose a password."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "invited_by": invited_by.get_full_name() or invited_by.get_username(),
        "link": settings.PORTAL_URL.rstrip("/") + path,
        "login_url": settings.PORTAL_URL.rstrip("/") + reverse("login"),
    }
    subject = render_to_string("registration/invitation_subject.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),
        render_to_string("registration/invitation_email.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    message.attach_alternative(
        render_to_string("registration/invitation_email.html", context), "text/html"
    )
    return message


def invite_reader_view(admin_site, request):
    """The back office page where the director invites a reader."""
    if not request.user.has_perm(INVITE_READER_PERMISSION):
        raise PermissionDenied
    form = InviteReaderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        invitation_message(user, request.user).send()
        messages.success(
            request,
            gettext(
                "%(name)s has been invited as a reader. The invitation with a link "
                "to choose a password was sent to %(email)s."
            )
            % {"name": user.get_full_name(), "email": user.email},
        )
        return HttpResponseRedirect(request.path)
    context = {
        **admin_site.each_context(request),
        "title": gettext("Invite a reader"),
        "form": form,
    }
    return TemplateResponse(request, "admin/invite_reader.html", context)
