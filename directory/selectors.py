"""Reads shared by the API, the pages, the tasks and the other apps."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models import Min, Prefetch
from django.utils import timezone
from django.utils.text import slugify

from .models import Business, BusinessTerm, City
from .models import ProfileFlag


@dataclass(frozen=True)
class Viewer:
    """Who is asking, resolved once per request so that permission checks on
    every item of a list cost no query."""

    user: object = None
    is_staff: bool = False
    managed_ids: frozenset = field(default_factory=frozenset)
    volunteer_city_ids: frozenset = field(default_factory=frozenset)

    @property
    def is_authenticated(self):
        return self.user is not None

    def can_manage(self, business):
        """Owner or member: may edit, submit, confirm and archive."""
        return business.pk in self.managed_ids or (self.user is not None and business.owner_id == self.user.pk)

    def can_moderate(self, business):
        """Full staff, or a volunteer of the business's city."""
        return self.can_moderate_city(business.city_id)

    def can_moderate_city(self, city_id):
        return self.is_staff or city_id in self.volunteer_city_ids

    def can_see_private(self, business):
        return self.can_manage(business) or self.can_moderate(business)


def viewer_for(user):
    if user is None or not user.is_authenticated:
        return Viewer()
    owned = Business.objects.filter(owner=user).values_list("pk", flat=True)
    member = Business.objects.filter(members=user).values_list("pk", flat=True)
    return Viewer(
        user=user,
        is_staff=user.is_staff,
        managed_ids=frozenset(owned) | frozenset(member),
        volunteer_city_ids=frozenset(user.volunteer_cities.values_list("pk", flat=True)),
    )


def visible_businesses(*, viewer, now=None):
    """Every profile the viewer may read: the public ones, plus their own firms'
    and, for moderators, those of the cities they look after."""
    queryset = Business.objects.select_related("city")
    if viewer.is_staff:
        return queryset
    visible = Q(pk__in=Business.objects.public(now).values("pk"))
    if viewer.managed_ids:
        visible |= Q(pk__in=viewer.managed_ids)
    if viewer.volunteer_city_ids:
        visible |= Q(city_id__in=viewer.volunteer_city_ids)
    return queryset.filter(visible)


def public_businesses(*, now=None):
    return Business.objects.public(now).select_related("city")


def with_term(queryset, *, kind, prefix):
    """Businesses holding a term of `kind` that starts with `prefix` (a code
    prefix, or a whole tag such as a trade role).

    Codes are stored with their ancestors, so the common case (a whole
    chapter, heading or subheading) is an equality; an odd-length prefix such
    as "87083" still works through startswith.
    """
    terms = BusinessTerm.objects.filter(business=OuterRef("pk"), kind=kind, value__startswith=prefix)
    return queryset.filter(Exists(terms))


def home_city():
    """The city this installation serves (settings.HOME_CITY, by name or slug)."""
    return find_city(settings.HOME_CITY)


def find_city(value):
    """A city by slug or by name, ignoring case and accents ("Jaco" finds Jacó)."""
    value = (value or "").strip()
    if not value:
        return None
    slug = slugify(value)
    return (
        City.objects.filter(Q(slug=value) | Q(slug=slug) | Q(name__iexact=value)).order_by("pk").first()
    )


def profiles_due_for_reminder(*, now=None):
    """Published profiles lapsing within the reminder window whose owner has
    not been reminded since they last confirmed."""
    now = now or timezone.now()
    lifetime = timedelta(days=settings.PROFILE_FRESHNESS_DAYS)
    window = timedelta(days=settings.PROFILE_REMINDER_DAYS)
    return (
        Business.objects.filter(
            status=Business.Status.PUBLISHED,
            confirmed_at__gte=now - lifetime,
            confirmed_at__lt=now - lifetime + window,
        )
        .filter(Q(expiry_reminder_sent_at__isnull=True) | Q(expiry_reminder_sent_at__lt=F("confirmed_at")))
        .select_related("owner", "city")
    )


def cities_with_counts(*, now=None):
    """Every city of the network, home city first, with its number of listed firms."""
    public = Business.objects.public(now)
    counts = dict(public.values_list("city_id").annotate(n=Count("pk")).values_list("city_id", "n"))
    cities = list(City.objects.all())
    for city in cities:
        city.listed = counts.get(city.pk, 0)
    return sorted(cities, key=lambda c: (c.relationship != City.Relationship.HOME, c.name))


def own_cities(*, viewer):
    """Slugs of the cities of the firms the viewer belongs to: a firm's
    searches leave its neighbours out unless it asks for them."""
    if not viewer.managed_ids:
        return []
    return sorted(set(Business.objects.filter(pk__in=viewer.managed_ids).values_list("city__slug", flat=True)))


def managed_businesses(*, viewer):
    return Business.objects.filter(pk__in=viewer.managed_ids).select_related("city").order_by("name")


def moderation_queue(*, viewer, status=Business.Status.PENDING_REVIEW):
    """Profiles waiting for a moderator, oldest submission first: every city for
    staff, a volunteer's own cities otherwise."""
    queryset = Business.objects.filter(status=status).select_related("city", "owner")
    if not viewer.is_staff:
        queryset = queryset.filter(city_id__in=viewer.volunteer_city_ids)
    return queryset.order_by("submitted_at", "pk")


def has_pending_changes(business):
    return Business.objects.filter(pk=business.pk, pending_revision__isnull=False).exists()


def changes_queue(*, viewer):
    """Published profiles whose owners proposed changes to what the firm is,
    oldest proposal first: every city for staff, a volunteer's own cities otherwise."""
    queryset = Business.objects.filter(
        status=Business.Status.PUBLISHED, pending_revision__isnull=False
    ).select_related("city", "owner", "pending_revision")
    if not viewer.is_staff:
        queryset = queryset.filter(city_id__in=viewer.volunteer_city_ids)
    return queryset.order_by("pending_revision__proposed_at", "pk")


def may_use_staff_desk(viewer):
    return viewer.is_staff or bool(viewer.volunteer_city_ids) or (
        viewer.user is not None and City.objects.filter(coordinator=viewer.user).exists()
    )


# Everything a person may take away with them (the GDPR right of access).
EXPORTED_BUSINESS_FIELDS = (
    "slug", "name", "address", "website", "founded_year", "employees", "description", "description_language",
    "naics", "offers_hs", "offers_text", "seeks_hs", "seeks_text", "trade_roles", "languages", "certifications",
    "contact_name", "contact_email", "contact_phone", "status", "moderation_note", "submitted_at",
    "published_at", "confirmed_at", "verified_at", "created_at", "updated_at",
)


def personal_data(*, user):
    """Everything held about a person and the firms they manage, as plain data:
    the account, each firm with its history, their saved searches, the firms'
    introductions as the firm may see them, and the emails sent to them."""
    # Matching builds on the directory; this is the one read that spans both.
    from allauth.account.models import EmailAddress

    from matching import selectors as matching_selectors
    from search import selectors as search_selectors

    viewer = viewer_for(user)
    firms = []
    for business in managed_businesses(viewer=viewer).prefetch_related("events__actor"):
        record = {name: _plain(getattr(business, name)) for name in EXPORTED_BUSINESS_FIELDS}
        record["city"] = business.city.name
        record["role"] = "owner" if business.owner_id == user.pk else "member"
        record["events"] = [
            {"action": e.action, "from_status": e.from_status, "to_status": e.to_status, "note": e.note,
             "by": e.actor.username if e.actor else None, "at": _plain(e.created_at)}
            for e in business.events.all()
        ]
        firms.append(record)
    return {
        "exported_at": _plain(timezone.now()),
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language,
            "date_joined": _plain(user.date_joined),
            "last_login": _plain(user.last_login),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
        },
        "firms": firms,
        "saved_searches": search_selectors.saved_searches_for_export(user=user),
        "introductions": matching_selectors.introductions_for_export(viewer=viewer),
        "emails": matching_selectors.emails_for_export(viewer=viewer, address=user.email),
    }


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


# --- flags: likely duplicates and reports ------------------------------------------------


def may_moderate_any(viewer):
    """Staff, or a volunteer with at least one city: who may see flags at all."""
    return viewer.is_staff or bool(viewer.volunteer_city_ids)


def profile_flags(*, viewer, status=None):
    """The flags a moderator may see (all for staff, their cities' profiles'
    for a volunteer), oldest first; `status` narrows to open, dismissed or
    merged. Nobody else sees any: a flag may name another firm's profile."""
    if not may_moderate_any(viewer):
        return ProfileFlag.objects.none()
    queryset = ProfileFlag.objects.select_related("business__city", "other__city", "reporter", "resolved_by")
    if not viewer.is_staff:
        queryset = queryset.filter(business__city_id__in=viewer.volunteer_city_ids)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("created_at", "pk")


def with_open_flags(queryset):
    """Businesses with their open flags attached as `open_flags`, in two queries."""
    open_flags = ProfileFlag.objects.filter(status=ProfileFlag.Status.OPEN).select_related(
        "other__city", "reporter"
    ).order_by("created_at", "pk")
    return queryset.prefetch_related(Prefetch("flags", queryset=open_flags, to_attr="open_flags"))


def flagged_profiles(*, viewer):
    """Profiles with an open flag, in any status, the longest-waiting first."""
    flagged = profile_flags(viewer=viewer, status=ProfileFlag.Status.OPEN).values("business_id")
    queryset = (
        Business.objects.filter(pk__in=flagged).select_related("city", "owner")
        .annotate(flagged_at=Min("flags__created_at", filter=Q(flags__status=ProfileFlag.Status.OPEN)))
        .order_by("flagged_at", "pk")
    )
    return with_open_flags(queryset)
