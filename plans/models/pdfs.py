"""Rendered PDFs of the plans and their progress reports, kept ready to serve."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plans.models.plans import Plan


class RenderedDocument(models.Model):
    """The newest rendered PDF of one document as one kind of visitor sees it:
    a plan or its progress report (optionally "changes since" a date), in one
    language, public or for members.

    A download serves ``content`` at once; the background worker replaces it
    when the data it shows change (``plans.services.stored_pdfs``). A failed
    render leaves the last good ``content`` in place.
    """

    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan")
        REPORT = "report", _("Progress report")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Members")

    class Status(models.TextChoices):
        NEW = "new", _("Not rendered yet")
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="rendered_documents",
        verbose_name=_("plan"),
    )
    language = models.CharField(_("language"), max_length=10)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices
    )
    since = models.DateField(_("changes since"), null=True, blank=True)

    content = models.BinaryField(_("PDF"), blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    html_sha256 = models.CharField(
        _("SHA-256 of the HTML"),
        max_length=64,
        blank=True,
        help_text=_(
            "Of the HTML the PDF was made from, without its date: the same "
            "HTML needs no new render."
        ),
    )
    generation = models.BigIntegerField(
        _("data generation"),
        default=0,
        help_text=_("The data generation the PDF is known to show."),
    )
    wanted_generation = models.BigIntegerField(
        _("wanted generation"),
        default=0,
        help_text=_("The newest data generation a render was asked for."),
    )
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    checked_at = models.DateTimeField(
        _("checked"),
        null=True,
        blank=True,
        help_text=_("When the PDF was last found to show the current data."),
    )
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    render_seconds = models.FloatField(_("render time (s)"), default=0)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    started_at = models.DateTimeField(_("render started"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("failed attempts"), default=0, help_text=_("Failed renders in a row.")
    )
    error = models.TextField(_("last error"), blank=True)
    requested_at = models.DateTimeField(
        _("last requested"), null=True, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    #: Rendering is not a change of the portal's data: it neither moves the
    #: data generation on nor asks for renders (plans.services.generation).
    changes_portal_data = False

    class Meta:
        ordering = ["plan", "kind", "since", "language", "visibility"]
        verbose_name = _("rendered PDF")
        verbose_name_plural = _("rendered PDFs")
        constraints = [
            # One row per document: a second render of it waits for the first.
            models.UniqueConstraint(
                fields=["plan", "kind", "language", "visibility"],
                condition=Q(since__isnull=True),
                name="plans_rendereddocument_unique_document",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind", "language", "visibility", "since"],
                condition=Q(since__isnull=False),
                name="plans_rendereddocument_unique_document_since",
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(kind="report"),
                name="plans_rendereddocument_since_only_for_reports",
            ),
        ]
        indexes = [
            models.Index(fields=["started_at"], name="plans_rdoc_started_idx"),
        ]

    def __str__(self):
        parts = [str(self.plan), self.get_kind_display(), self.language]
        parts.append(self.get_visibility_display())
        if self.since:
            parts.append(self.since.isoformat())
        return " · ".join(parts)

    @property
    def is_public(self):
        return self.visibility == self.Visibility.PUBLIC


class AdoptedEdition(models.Model):
    """A plan's document as it was adopted: its HTML frozen at adoption, and
    the PDF made from that HTML once, with the PDF's SHA-256.

    Like a closed board pack, an edition never changes: later edits of the
    plan, new appendices and new data show in the live page and PDF only.
    A plan adopted again on a later date gets an edition of its own.
    """

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="adopted_editions",
        verbose_name=_("plan"),
    )
    adopted_on = models.DateField(_("adopted on"))
    adopted_by = models.CharField(_("adopted by"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=RenderedDocument.Visibility.choices,
        help_text=_(
            "Public when the plan was published at adoption; members only otherwise."
        ),
    )
    html = models.TextField(_("HTML as adopted"), blank=True, editable=False)
    content = models.BinaryField(_("PDF"), blank=True, editable=False)
    sha256 = models.CharField(
        _("PDF checksum (SHA-256)"), max_length=64, blank=True, editable=False
    )
    frozen_at = models.DateTimeField(_("frozen"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)

    #: Freezing an edition changes no data the portal shows elsewhere.
    changes_portal_data = False

    class Meta:
        ordering = ["plan", "-adopted_on"]
        get_latest_by = "adopted_on"
        verbose_name = _("adopted edition")
        verbose_name_plural = _("adopted editions")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "adopted_on"],
                name="plans_adoptededition_unique_adoption",
                violation_error_message=_(
                    "This plan already has an edition adopted on this date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.plan} ({self.adopted_on:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("plans:plan-adopted-pdf", kwargs={"slug": self.plan.slug})

    @property
    def is_rendered(self):
        return bool(self.sha256)
