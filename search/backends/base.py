from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from directory import selectors
from directory.models import City


class BaseSearchBackend:
    """What every backend offers. Subclasses decide which businesses match a
    parsed query and in what order; the rest (parsing, explaining,
    highlighting, labelling facets) is shared in search/query.py."""

    name = ""

    def search(self, query):
        raise NotImplementedError

    def complementary(self, business, k=20):
        """Up to k (business id, score) pairs of published partners whose offers
        meet this business's needs or whose needs its offers meet."""
        raise NotImplementedError

    def suggest(self, text, limit=5):
        """Ids of public businesses whose names start with the typed words."""
        raise NotImplementedError

    def complementary_many(self, businesses, k=20):
        """{business id: complementary(business, k)} for many firms at once;
        backends that can batch the queries do."""
        return {business.pk: self.complementary(business, k) for business in businesses}

    def apply(self, business_ids):
        """Bring the index in step with the database for these businesses."""
        raise NotImplementedError

    def status(self):
        raise NotImplementedError


def freshness_cutoff(now=None):
    return (now or timezone.now()) - timedelta(days=settings.PROFILE_FRESHNESS_DAYS)


def eligible_partner_cities(business):
    """Cities whose firms may be paired with this business: across the home-city
    boundary, or partner <-> partner when settings allow it. Never its own city."""
    home = selectors.home_city()
    cities = City.objects.exclude(pk=business.city_id)
    if home is None:
        return list(cities.values_list("slug", flat=True))
    if business.city_id == home.pk:
        return list(cities.values_list("slug", flat=True))
    if settings.MATCH_PARTNER_TO_PARTNER:
        return list(cities.values_list("slug", flat=True))
    return [home.slug]


def complementary_codes(business):
    """The codes that meet this firm's needs and those its offers meet, at
    heading (4-digit) level or finer, since a chapter is too broad to promise
    a match. A firm that named no codes is read from its words instead."""
    from directory import glossary, taxonomy

    read_offers, read_seeks = glossary.read_profile(business)

    def codes(values):
        return [c for c in taxonomy.with_ancestors(values, "hs") if len(c) >= 4]

    return codes(business.seeks_hs or read_seeks), codes(business.offers_hs or read_offers)
