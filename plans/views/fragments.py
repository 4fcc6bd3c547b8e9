"""The expensive part of a page, rendered by its own template and kept in the
shared cache under the data generation (``generation.fragment_vary``: what
the visitor may see, the date), the language and the full address.

Members' pages are rendered on every request (their header is theirs alone);
the part below the header is the same for everybody who sees what they see,
so it is worked out (queries and all) only when the data, the day or the
address changed. An edit moves the generation on, so it shows on the next
request from any app server. Off where ``PAGE_CACHE_SECONDS`` is 0 (tests,
development).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from plans.services import generation

KEY_PREFIX = "plans:fragment"


def fragment_key(request, name):
    address = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    vary = generation.fragment_vary(request.user)
    return f"{KEY_PREFIX}:{name}:{translation.get_language()}:{vary}:{digest}"


def cached_fragment(request, name, template_name, get_context):
    """The HTML of ``template_name`` rendered with ``get_context()``, from the
    cache when it holds this fragment of the current generation."""
    seconds = settings.PAGE_CACHE_SECONDS
    key = fragment_key(request, name) if seconds > 0 else None
    html = cache.get(key) if key else None
    if html is None:
        html = render_to_string(template_name, get_context(), request=request)
        if key:
            cache.set(key, html, seconds)
    return html
