"""Meetings of the governing bodies: their decisions and the board packs that
froze what each meeting was shown."""

from django.conf import settings
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
    agenda = models.TextField(_("agenda"), blank=True)
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

    def visible_to(self, user):
        packs = self.filter(meeting__in=Meeting.objects.visible_to(user))
        return packs if sees_internal(user) else packs.closed()


class BoardPack(VersionedModel):
    """The state of the plans sent to a meeting, frozen when the editor closes it.

    Once closed, its snapshot rows and its PDF never change again; the PDF's
    SHA-256 lets a member cite exactly what the group was shown.
    """

    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.PROTECT,
        related_name="board_pack",
        verbose_name=_("meeting"),
    )
    plans = models.ManyToManyField(
        Plan, related_name="board_packs", verbose_name=_("plans")
    )
    note = models.TextField(_("note"), blank=True)
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
    pdf = models.BinaryField(_("PDF"), blank=True, editable=False)
    pdf_sha256 = models.CharField(
        _("PDF checksum (SHA-256)"), max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting__date"]
        verbose_name = _("board pack")
        verbose_name_plural = _("board packs")

    def __str__(self):
        return str(self.meeting)

    def get_absolute_url(self):
        return reverse("plans:meeting-detail", kwargs={"pk": self.meeting_id})

    @property
    def is_closed(self):
        return self.closed_at is not None


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
