"""The who: organisations, stakeholder groups, people, governing bodies, meetings."""

from urllib.parse import urlsplit

from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from flemingsberg.locking import VersionedModel


class OrganisationQuerySet(models.QuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)


class Organisation(VersionedModel):
    """A public body, academy, company or network that takes part in the plans."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Municipality")
        ACADEMIA = "academia", _("University or college")
        HOSPITAL = "hospital", _("Hospital")
        SCIENCE_PARK = "science_park", _("Science park or innovation support")
        COMPANY = "company", _("Company")
        PUBLIC_AGENCY = "public_agency", _("Public agency or company")
        ASSOCIATION = "association", _("Association or industry body")
        NETWORK = "network", _("Network or cluster")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:organisation-detail", kwargs={"slug": self.slug})

    @property
    def label(self):
        """The short name where there is one, else the name."""
        return self.short_name or self.name

    @property
    def web_address(self):
        """The website if it is an http(s) address, else "": pages link to it,
        and a ``javascript:`` address from a data file must never be a link."""
        scheme = urlsplit(self.website).scheme.lower()
        return self.website if scheme in ("http", "https") else ""


class StakeholderGroup(VersionedModel):
    """A group of stakeholders (intressenter) the organisation works with."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="stakeholder_groups",
        verbose_name=_("organisations"),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")

    def __str__(self):
        return self.name


class Person(VersionedModel):
    """A named person in a governing body or responsible for an action item."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # The director invites the steering and management groups' members.
        permissions = [("invite_reader", _("Can invite reader accounts"))]

    def __str__(self):
        return self.name


class GoverningBodyQuerySet(models.QuerySet):
    def with_members(self):
        return self.prefetch_related(
            models.Prefetch(
                "memberships",
                queryset=Membership.objects.select_related(
                    "person", "representing", "person__organisation"
                ),
            )
        )


class GoverningBody(VersionedModel):
    """A steering, management or working group of the organisation."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Political steering group")
        MANAGEMENT = "management", _("Management group")
        DIRECTOR = "director", _("Development director")
        COORDINATION = "coordination", _("Coordination group")
        COMMUNICATION = "communication", _("Communication group")
        MARKETING = "marketing", _("Marketing group")
        BUSINESS = "business", _("Business cooperation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    mandate = models.TextField(_("mandate"), blank=True)
    meetings_per_year = models.PositiveSmallIntegerField(
        _("meetings per year"), null=True, blank=True
    )
    cadence = models.CharField(
        _("meeting cadence"),
        max_length=200,
        blank=True,
        help_text=_("As written in the plan, e.g. “6 gånger/år”."),
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reporting_bodies",
        verbose_name=_("reports to"),
    )

    history = HistoricalRecords()
    objects = GoverningBodyQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("governing body")
        verbose_name_plural = _("governing bodies")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:governingbody-detail", kwargs={"slug": self.slug})


class Membership(VersionedModel):
    """A person's seat in a governing body."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        DIRECTOR = "director", _("Development director")
        RESPONSIBLE = "responsible", _("Responsible")
        COORDINATOR = "coordinator", _("Coordinator")

    body = models.ForeignKey(
        GoverningBody,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("governing body"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.MEMBER
    )
    title = models.CharField(
        _("role title"),
        max_length=200,
        blank=True,
        help_text=_("Shown with the member, e.g. “landstingsdirektör SLL”."),
    )
    representing = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_memberships",
        verbose_name=_("representing"),
    )
    party = models.CharField(_("political party"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "order", "person__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person"],
                name="stakeholders_membership_unique_person_per_body",
                violation_error_message=_(
                    "This person is already a member of this body."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.body}"
