"""Who may see what: one rule, used by every QuerySet and view.

Anonymous visitors see published things only. Members of the reader group
(steering and management group) and the editor group hold the permission
``plans.view_internal`` and see drafts, internal items and internal notes.
The groups and their permissions are created by a data migration in ``plans``.
"""

READER_GROUP = "Läsare (styrgrupp och ledningsgrupp)"
EDITOR_GROUP = "Redaktör (utvecklingsdirektör)"
VIEW_INTERNAL_PERMISSION = "plans.view_internal"


def sees_internal(user):
    """True if the user may see drafts, internal items and internal notes."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm(VIEW_INTERNAL_PERMISSION)
    )


#: Held by the editor role: invite reader accounts (never other roles).
INVITE_READER_PERMISSION = "stakeholders.invite_reader"
