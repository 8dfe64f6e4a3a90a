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

    description = models.TextField(blank=True, max_length=4000)
    description_language = models.CharField(max_length=16, default="en", help_text="BCP 47, e.g. ko or zh-Hant.")
    naics = models.JSONField(default=list, blank=True)
    offers_hs = models.JSONField(default=list, blank=True)
    offers_text = models.TextField(blank=True, max_length=1000)
    seeks_hs = models.JSONField(default=list, blank=True)
    seeks_text = models.TextField(blank=True, max_length=1000)
    # HS codes read from the firm's own words (directory/glossary.py) while it
    # names none itself; offered on its page for the firm to confirm.
    suggested_offers_hs = models.JSONField(default=list, blank=True)
    suggested_seeks_hs = models.JSONField(default=list, blank=True)
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


# What a firm is, in the eyes of the network: changing one of these on a
# published profile is reviewed before it goes live (see BusinessRevision).
MATERIAL_FIELDS = {
    "name": _("Firm name"),
    "city": _("City"),
    "offers_hs": _("HS codes offered"),
    "offers_text": _("What the firm offers"),
    "seeks_hs": _("HS codes sought"),
    "seeks_text": _("What the firm seeks"),
}


class BusinessRevision(models.Model):
    """Changes to a published profile's material fields, waiting for a moderator.

    The published version stays live (and searchable, unchanged) until a
    moderator publishes these changes; one pending revision per profile, which
    later edits amend. `changes` maps field names to proposed values, the city
    as its primary key.
    """

    business = models.OneToOneField(Business, on_delete=models.CASCADE, related_name="pending_revision")
    changes = models.JSONField(default=dict)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"changes to {self.business_id}: {', '.join(sorted(self.changes))}"

    def proposed(self):
        """The proposed values as the services take them: the city as an
        instance (None if staff deleted it meanwhile)."""
        values = dict(self.changes)
        if "city" in values:
            values["city"] = City.objects.filter(pk=values["city"]).first()
        return values

    def comparison(self):
        """(label, published value, proposed value) for each changed field, as a reviewer reads them."""
        rows = []
        for name, value in self.proposed().items():
            rows.append((MATERIAL_FIELDS.get(name, name), _readable(getattr(self.business, name)), _readable(value)))
        return rows


def _readable(value):
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, City):
        return value.name
    return "" if value is None else value


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
        # Codes read from the firm's words while it names none (Business.suggested_*):
        # search finds the firm by them, a step below the codes it named.
        OFFERS_READ = "offers_read", _("Offers HS code, read from its words")
        SEEKS_READ = "seeks_read", _("Seeks HS code, read from its words")
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



class ProfileFlag(models.Model):
    """A reason for a moderator to look at a profile again: a likely duplicate
    the directory noticed, or a report from a signed-in person.

    Flags are for staff and city volunteers only; a duplicate flag names the
    other profile but never carries its contact details.
    """

    class Kind(models.TextChoices):
        DUPLICATE = "duplicate", _("Likely duplicate")
        REPORT = "report", _("Reported")

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        FAKE = "fake", _("Not a real firm")
        DUPLICATE = "duplicate", _("Duplicate of another profile")
        WRONG = "wrong", _("Wrong or misleading information")
        INAPPROPRIATE = "inappropriate", _("Offensive or inappropriate")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        MERGED = "merged", _("Resolved by a merge")

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # A duplicate flag: the profile this one resembles, and what they share
    # ("website", "contact_email", "name").
    other = models.ForeignKey(Business, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    matched_on = models.JSONField(default=list, blank=True)
    # A report: who sent it, and why.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="profile_reports"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices, blank=True)
    note = models.TextField(blank=True)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One duplicate flag per unordered pair, ever: once staff dismissed
            # it, editing either profile does not raise it again.
            models.UniqueConstraint(
                models.functions.Least("business", "other"), models.functions.Greatest("business", "other"),
                condition=models.Q(kind="duplicate"), name="one_duplicate_flag_per_pair",
            ),
            # The report rate limit: one open report per person and profile.
            models.UniqueConstraint(
                fields=["business", "reporter"], condition=models.Q(kind="report", status="open"),
                name="one_open_report_per_reporter",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="duplicate")
                | (models.Q(other__isnull=False) & ~models.Q(other=models.F("business"))),
                name="duplicate_flag_names_another_profile",
            ),
        ]

    def __str__(self):
        return f"{self.kind} flag on {self.business_id} ({self.status})"

    # What directory.duplicates says two profiles share, as a moderator reads it.
    MATCH_LABELS = {
        "website": _("the same website"),
        "contact_email": _("the same contact email"),
        "name": _("a near-identical name in the same city"),
    }

    @property
    def matched_on_labels(self):
        return [str(self.MATCH_LABELS.get(match, match)) for match in self.matched_on]

    def newer_and_older(self):
        """For a duplicate flag: (the profile listed later, the one listed first),
        the direction a merge goes."""
        pair = sorted((self.business, self.other), key=lambda b: (b.created_at, b.pk))
        return pair[1], pair[0]


class ProfileMerge(models.Model):
    """A duplicate profile folded into the one listed first. The duplicate
    stays, archived, so links and history still say where it went."""

    duplicate = models.OneToOneField(Business, on_delete=models.CASCADE, related_name="merged_into")
    into = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="merged_from")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    introductions_moved = models.PositiveIntegerField(default=0)
    introductions_closed = models.PositiveIntegerField(default=0)
    members_added = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.duplicate_id} merged into {self.into_id}"
