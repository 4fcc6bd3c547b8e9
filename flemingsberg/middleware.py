"""Project middleware: the Permissions-Policy header (Django has none built in)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed

# Allowlist keywords that are written bare; anything else is an origin and is
# written as a quoted string (the header is a Structured Field dictionary).
KEYWORDS = {"self", "src", "*"}


def permissions_policy_header(policy):
    """The header value for ``{"camera": [], "fullscreen": ["self"], …}``.

    An empty allowlist, ``camera=()``, turns the feature off for the page and
    every frame in it.
    """
    members = []
    for feature, allowlist in policy.items():
        if isinstance(allowlist, str):
            raise ImproperlyConfigured(
                f"PERMISSIONS_POLICY[{feature!r}] must be a list of origins or "
                f"keywords, not the string {allowlist!r}."
            )
        tokens = [token if token in KEYWORDS else f'"{token}"' for token in allowlist]
        if tokens == ["*"]:
            members.append(f"{feature}=*")
        else:
            members.append(f"{feature}=({' '.join(tokens)})")
    return ", ".join(members)


class PermissionsPolicyMiddleware:
    """Add ``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` to responses.

    The value is built once, at start-up. A response that already carries the
    header (a view that needs a feature) keeps its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(
            getattr(settings, "PERMISSIONS_POLICY", {})
        )
        if not self.header:
            raise MiddlewareNotUsed("PERMISSIONS_POLICY is empty.")

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
