from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person: a firm's owner or member, a country-committee volunteer, or staff.

    Full staff (`is_staff`) may do everything. A volunteer is scoped to the
    cities in `volunteer_cities` and may moderate only their profiles.
    """

    preferred_language = models.CharField(max_length=16, blank=True, default="")
    volunteer_cities = models.ManyToManyField(
        "directory.City", blank=True, related_name="volunteers",
        help_text="Cities whose profiles this country-committee volunteer may moderate.",
    )


class City(models.Model):
    class Relationship(models.TextChoices):
        HOME = "home", _("Home city")
        SISTER = "sister", _("Sister city")
        FRIENDSHIP = "friendship", _("Friendship city")
        STRATEGIC_EXCHANGE = "strategic_exchange", _("Strategic exchange")

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. KR.")
    languages = models.JSONField(default=list, blank=True, help_text="BCP 47 codes, e.g. [\"ko\"].")
    timezone = models.CharField(max_length=64, default="UTC")
    relationship = models.CharField(max_length=24, choices=Relationship.choices)
    relationship_since = models.DateField(null=True, blank=True)
    relationship_note = models.TextField(blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="coordinated_cities",
        help_text="The partner-city coordinator who may co-approve introductions for this city.",
    )
    coordinator_must_approve = models.BooleanField(
        default=False, help_text="Introductions involving this city also need the coordinator's approval.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"

    def __str__(self):
        return f"{self.name} ({self.country})"


class BusinessQuerySet(models.QuerySet):
    def fresh(self, now=None):
        """Profiles confirmed within the freshness period."""
        now = now or timezone.now()
        return self.filter(confirmed_at__gte=now - timedelta(days=settings.PROFILE_FRESHNESS_DAYS))

    def public(self, now=None):
        """What anyone may see: published and not lapsed."""
        return self.filter(status=Business.Status.PUBLISHED).fresh(now)


class SearchVersionField(models.BigIntegerField):
    """A per-profile counter that only search.indexing moves, with an UPDATE of
    the column to itself plus one, in the transaction of each change.

    `save()` writes every field, so an instance read before someone else's
    change would write an older number back, and the search index, which
    keeps the highest version it has seen, would then ignore the next
    changes. Saving an existing row therefore leaves this column as the
    database has it.
    """

    def pre_save(self, model_instance, add):
        if add:
            return super().pre_save(model_instance, add)
        return models.F(self.attname)


class Business(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_REVIEW = "pending_review", _("Pending review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")
        ARCHIVED = "archived", _("Archived")

    class Employees(models.TextChoices):
        MICRO = "1-9", "1–9"
        SMALL = "10-49", "10–49"
        MEDIUM = "50-249", "50–249"
        LARGE = "250-999", "250–999"
        VERY_LARGE = "1000+", _("1,000 or more")

    class TradeRole(models.TextChoices):
        EXPORTER = "exporter", _("Exporter")
        IMPORTER = "importer", _("Importer")
        MANUFACTURER = "manufacturer", _("Manufacturer")
        DISTRIBUTOR = "distributor", _("Distributor")
        SERVICE_PROVIDER = "service_provider", _("Service provider")
        INVESTOR = "investor", _("Investor")
        SEEKING_INVESTMENT = "seeking_investment", _("Seeking investment")
        JOINT_VENTURE = "joint_venture", _("Joint venture")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, allow_unicode=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="businesses")
    address = models.CharField(max_length=300, blank=True)
    website = models.URLField(max_length=300, blank=True)
    founded_year = models.PositiveSmallIntegerField(null=True, blank=True)
    employees = models.CharField(max_length=8, choices=Employees.choices, blank=True)

    description = models.TextField(blank=True)
    description_language = models.CharField(max_length=16, default="en", help_text="BCP 47, e.g. ko or zh-Hant.")
    naics = models.JSONField(default=list, blank=True)
    offers_hs = models.JSONField(default=list, blank=True)
    offers_text = models.TextField(blank=True)
    seeks_hs = models.JSONField(default=list, blank=True)
    seeks_text = models.TextField(blank=True)
    trade_roles = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    certifications = models.JSONField(default=list, blank=True)

    # Private: shown only to the firm's own people, staff, and (later) the
    # counterpart of a completed introduction. Never indexed.
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_businesses"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="member_of_businesses")
    external_id = models.CharField(max_length=100, unique=True, null=True, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    moderation_note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    expiry_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the firm's only owner deleted their account: the profile stays
    # archived for the other firms' introduction history, its private fields gone.
    erased_at = models.DateTimeField(null=True, blank=True)
    # Ordered like the commits that changed the profile: the row lock the
    # increment takes makes a later transaction wait for an earlier one. Search
    # documents carry it, so an older state never replaces a newer one.
    search_version = SearchVersionField(default=0, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "businesses"
        indexes = [models.Index(fields=["status", "confirmed_at"])]

    def __str__(self):
        return self.name

    @property
    def expires_at(self):
        if self.confirmed_at is None:
            return None
        return self.confirmed_at + timedelta(days=settings.PROFILE_FRESHNESS_DAYS)

    def is_expired(self, now=None):
        expires_at = self.expires_at
        return expires_at is not None and expires_at < (now or timezone.now())

    @property
    def trade_role_labels(self):
        return [self.TradeRole(r).label if r in self.TradeRole.values else r for r in self.trade_roles or []]

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and not self.is_expired()


class BusinessTerm(models.Model):
    """One filterable value of a business: a code (with its ancestors) or a tag.

    The lists on Business are what people read and write; these rows make
    "offers HS 8708" or "speaks Korean" one indexed equality on SQLite and
    PostgreSQL alike. Services rewrite them whenever the lists change.
    """

    class Kind(models.TextChoices):
        NAICS = "naics", _("NAICS code")
        OFFERS = "offers", _("Offers HS code")
        SEEKS = "seeks", _("Seeks HS code")
        TRADE_ROLE = "trade_role", _("Trade role")
        LANGUAGE = "language", _("Language")

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business", "kind", "value"], name="unique_business_term")]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self):
        return f"{self.kind}:{self.value}"


class BusinessEvent(models.Model):
    """The moderation history of a profile: who did what, when, and why."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.action} {self.business_id} at {self.created_at:%Y-%m-%d %H:%M}"

