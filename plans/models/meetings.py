"""Meetings of the governing bodies: their decisions and the board packs that
froze what each meeting was shown."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from flemingsberg.locking import VersionedModel
from flemingsberg.permissions import sees_internal
from plans.models.actions import ActionItem
from plans.models.indicators import Indicator
from plans.models.plans import Plan
from stakeholders.models import GoverningBody


class MeetingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def visible_to(self, user):
        return self if sees_internal(user) else self.public()


class Meeting(VersionedModel):
    """A meeting of a governing body."""

    body = models.ForeignKey(
        GoverningBody,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("governing body"),
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(
        _("agenda"),
        blank=True,
        help_text=_(
            "One item per line. Numbers are added on the page and in the board "
            "pack: “1.” at the start of a line is not needed."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "body"]
        get_latest_by = "date"
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "date", "title"],
                name="plans_meeting_unique_per_body_date_title",
            ),
        ]

    def __str__(self):
        return f"{self.body} {self.date:%Y-%m-%d}: {self.title}"

    def get_absolute_url(self):
        return reverse("plans:meeting-detail", kwargs={"pk": self.pk})

    @property
    def agenda_items(self):
        """The agenda as a list: one item per non-empty line, without the
        number or bullet it was typed with (the list numbers them)."""
        return [
            AGENDA_MARKER.sub("", line).strip()
            for line in self.agenda.splitlines()
            if AGENDA_MARKER.sub("", line).strip()
        ]

    def previous_meeting(self):
        """The body's meeting before this one, or None."""
        return (
            Meeting.objects.filter(body_id=self.body_id)
            .filter(
                models.Q(date__lt=self.date)
                | models.Q(date=self.date, pk__lt=self.pk or 0)
            )
            .order_by("-date", "-pk")
            .first()
        )


#: What an agenda line may start with: "1.", "1)", "§ 3", "-", "*", "•".
AGENDA_MARKER = re.compile(r"^\s*(?:§\s*\d+[.:]?|\d+[.):]|[-*•–])\s*")


class MeetingDecision(VersionedModel):
    """A decision taken at a meeting, linked to the action items it commissions
    or changes."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="decision_items",
        verbose_name=_("meeting"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("decision"))
    action_items = models.ManyToManyField(
        ActionItem,
        blank=True,
        related_name="decisions",
        verbose_name=_("action items"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")

    def __str__(self):
        return f"{self.meeting}: {self.text[:60]}"


class BoardPackQuerySet(models.QuerySet):
    def closed(self):
        return self.filter(closed_at__isnull=False)

    def open(self):
        return self.filter(closed_at__isnull=True)

    def current(self):
        """Closed packs that no closed pack supersedes: each meeting's record."""
        return self.closed().exclude(superseded_by__closed_at__isnull=False)

    def without_documents(self):
        return self.defer(*self.model.DOCUMENT_FIELDS)

    def visible_to(self, user):
        packs = self.filter(meeting__in=Meeting.objects.visible_to(user))
        return packs if sees_internal(user) else packs.closed()


class BoardPack(VersionedModel):
    """The meeting's document: the state of the plans sent to a meeting with
    its agenda and decisions, frozen when the editor closes it.

    Closing freezes the rows and two editions, the public one and the
    members' one (internal rows included), each stored as a PDF with its
    SHA-256 so that a member can cite exactly what the group was shown. A
    closed pack never changes: a mistake is corrected by a new pack that
    supersedes it, and both stay listed.
    """

    class Edition(models.TextChoices):
        PUBLIC = "public", _("Public edition")
        MEMBERS = "members", _("Members' edition")

    #: The stored documents: read only where they are served.
    DOCUMENT_FIELDS = ("pdf", "members_pdf", "public_html", "members_html")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="board_packs",
        verbose_name=_("meeting"),
    )
    plans = models.ManyToManyField(
        Plan, related_name="board_packs", verbose_name=_("plans")
    )
    note = models.TextField(_("note"), blank=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
        help_text=_("The closed board pack of the same meeting this one corrects."),
    )
    correction = models.TextField(
        _("what it corrects"),
        blank=True,
        help_text=_("Stated on the cover of the correcting board pack."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="closed_board_packs",
        verbose_name=_("closed by"),
    )
    public_html = models.TextField(
        _("public edition (HTML)"), blank=True, editable=False
    )
    members_html = models.TextField(
        _("members' edition (HTML)"), blank=True, editable=False
    )
    pdf = models.BinaryField(_("PDF"), blank=True, editable=False)
    pdf_sha256 = models.CharField(
        _("PDF checksum (SHA-256)"), max_length=64, blank=True, editable=False
    )
    members_pdf = models.BinaryField(_("members' PDF"), blank=True, editable=False)
    members_pdf_sha256 = models.CharField(
        _("members' PDF checksum (SHA-256)"),
        max_length=64,
        blank=True,
        editable=False,
    )
    render_error = models.TextField(_("render error"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting__date", "-pk"]
        verbose_name = _("board pack")
        verbose_name_plural = _("board packs")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(closed_at__isnull=True),
                name="plans_boardpack_one_open_per_meeting",
                violation_error_message=_(
                    "This meeting already has a board pack being prepared."
                ),
            ),
        ]

    def __str__(self):
        return str(self.meeting)

    def get_absolute_url(self):
        return reverse("plans:meeting-detail", kwargs={"pk": self.meeting_id})

    def clean(self):
        super().clean()
        if self.supersedes_id is None:
            return
        old = self.supersedes
        if self.pk and old.pk == self.pk:
            raise ValidationError({"supersedes": _("A pack cannot supersede itself.")})
        if self.meeting_id and old.meeting_id != self.meeting_id:
            raise ValidationError(
                {"supersedes": _("A pack supersedes a pack of the same meeting.")}
            )
        if not old.is_closed:
            raise ValidationError(
                {"supersedes": _("Only a closed board pack can be superseded.")}
            )
        if not self.correction.strip():
            raise ValidationError(
                {"correction": _("Say what the new board pack corrects.")}
            )

    @property
    def is_closed(self):
        return self.closed_at is not None

    @property
    def is_rendered(self):
        """Both editions are stored (a closed pack's PDFs are made by a task)."""
        return bool(self.pdf_sha256 and self.members_pdf_sha256)

    def superseding_pack(self):
        """The closed pack that corrects this one, or None."""
        try:
            newer = self.superseded_by
        except BoardPack.DoesNotExist:
            return None
        return newer if newer.is_closed else None

    def checksum(self, edition):
        if edition == self.Edition.MEMBERS:
            return self.members_pdf_sha256
        return self.pdf_sha256


class BoardPackItem(models.Model):
    """One action item as it stood when a board pack was closed."""

    pack = models.ForeignKey(
        BoardPack,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("board pack"),
    )
    item = models.ForeignKey(
        ActionItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("action item"),
    )
    plan_title = models.CharField(_("plan"), max_length=200)
    focus_area = models.CharField(_("focus area"), max_length=300, blank=True)
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("heading"), max_length=500)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionItem.Status.choices
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    responsible = models.CharField(_("responsible"), max_length=500, blank=True)
    latest_update_on = models.DateField(_("latest update"), null=True, blank=True)
    latest_update_text = models.TextField(_("latest update text"), blank=True)
    latest_update_is_public = models.BooleanField(
        _("latest update is public"), default=True
    )
    latest_update_created_at = models.DateTimeField(
        _("latest update written"), null=True, blank=True
    )
    is_public = models.BooleanField(_("public"), default=True)
    strategy = models.CharField(_("strategy"), max_length=330, blank=True)
    strategy_order = models.PositiveIntegerField(_("strategy order"), default=0)
    is_late = models.BooleanField(
        _("past due date"),
        default=False,
        help_text=_("Open and past its due date on the day the pack was closed."),
    )
    update_overdue = models.BooleanField(
        _("update overdue"),
        default=False,
        help_text=_("By every update, as members see it, when the pack was closed."),
    )
    public_update_overdue = models.BooleanField(
        _("update overdue (public)"),
        default=False,
        help_text=_("By the public updates only, when the pack was closed."),
    )

    class Meta:
        ordering = ["pack", "plan_title", "code"]
        verbose_name = _("frozen action item")
        verbose_name_plural = _("frozen action items")

    def __str__(self):
        return f"{self.code} {self.title}"


class BoardPackIndicator(models.Model):
    """An indicator's latest value as it stood when a board pack was closed."""

    pack = models.ForeignKey(
        BoardPack,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("board pack"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("indicator"),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    value = models.DecimalField(
        _("value"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    value_high = models.DecimalField(
        _("upper value of a range"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
    )
    measured_on = models.DateField(_("date"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering = ["pack", "name"]
        verbose_name = _("frozen indicator value")
        verbose_name_plural = _("frozen indicator values")

    def __str__(self):
        return f"{self.name}: {self.value}"
