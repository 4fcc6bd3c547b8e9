"""Error views of our own: the CSRF refusal and 500.

400, 403 and 404 are Django's views, which render templates/400.html … with
the request, so in the site's layout. The CSRF refusal needs the reason (to
mention cookies), and 500 must not depend on anything that may have failed.
Wired by CSRF_FAILURE_VIEW and handler500 in flemingsberg/urls.py. No page
shows what went wrong inside: no exception text, no traceback.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponseForbidden, HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token

# The stylesheets of the 500 page: the site's own, without the page-specific ones.
ERROR_STYLESHEETS = ["css/site.css", "css/pages.css"]


@requires_csrf_token
def csrf_failure(request, reason="", template_name="403_csrf.html"):
    """A form the site did not recognise as its own: say how to send it again.

    Django's own view renders a custom template without the reason.
    """
    template = loader.get_template(template_name)
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return HttpResponseForbidden(template.render(context, request))


def static_url(path):
    """The URL of a static file, even when the manifest lacks it.

    With ManifestStaticFilesStorage a file missing from the manifest (say,
    collectstatic was not run) raises ValueError; WhiteNoise also serves every
    file under its plain name, so that is the fallback.
    """
    try:
        return staticfiles_storage.url(path)
    except ValueError:
        return settings.STATIC_URL + path


def server_error(request, template_name="500.html"):
    """500 without the database, the session or context processors.

    The text is in both languages, the visitor's first (English under /en/).
    The template gets plain values only, so nothing in it can fail in turn.
    """
    english = translation.get_language_from_path(request.path_info) == "en"
    urls = {}
    for language in ("sv", "en"):
        with translation.override(language):
            urls[language] = (reverse("plans:home"), reverse("plans:actionitem-list"))
    home_url, actions_url = urls["en" if english else "sv"]
    context = {
        "english": english,
        "home_url": home_url,
        "home_url_sv": urls["sv"][0],
        "home_url_en": urls["en"][0],
        "actions_url": actions_url,
        "stylesheets": [static_url(path) for path in ERROR_STYLESHEETS],
    }
    template = loader.get_template(template_name)
    return HttpResponseServerError(template.render(context))
