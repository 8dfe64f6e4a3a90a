"""Reads shared by the API, the pages, the tasks and the other apps."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify

from .models import Business, BusinessTerm, City


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
        return self.is_staff or business.city_id in self.volunteer_city_ids

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
