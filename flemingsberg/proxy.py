"""The visitor's address behind the reverse proxy (for sign-in throttling)."""


def client_ip(request):
    """The address the reverse proxy saw, else the connection's.

    nginx's ``proxy_add_x_forwarded_for`` appends the address it was connected
    from to X-Forwarded-For, so the last entry is the one to trust; earlier
    entries come from the visitor and may be made up.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    return last or request.META.get("REMOTE_ADDR")
