"""Reads for matching: firms as the engine sees them, and introductions as
each kind of user may see them."""

from statistics import median

from django.db.models import Q
from django.utils import timezone

from directory import taxonomy
from directory.models import Business, City
from search.query import inferred_hs_codes

from . import engine
from .models import Introduction


def profile_for(business, *, now=None):
    now = now or timezone.now()
    codes = taxonomy.hs()
    offers = tuple(business.offers_hs)
    seeks = tuple(business.seeks_hs)
    inferred_offers = () if offers else tuple(inferred_hs_codes(business.offers_text))
    inferred_seeks = () if seeks else tuple(inferred_hs_codes(business.seeks_text))
    titles = {}
    for code in offers + seeks + inferred_offers + inferred_seeks:
        entry = codes.get(code)
        if entry is not None:
            titles[code] = entry.title
    confirmed = business.confirmed_at or now
    return engine.Profile(
        id=business.pk,
        name=business.name,
        city=business.city.slug,
        relationship=business.city.relationship,
        language=business.description_language,
        offers=offers,
        seeks=seeks,
        offers_text=business.offers_text,
        seeks_text=business.seeks_text,
        inferred_offers=inferred_offers,
        inferred_seeks=inferred_seeks,
        naics=tuple(business.naics),
        trade_roles=tuple(business.trade_roles),
        languages=tuple(business.languages),
        verified=business.verified_at is not None,
        days_since_confirmed=max(0, (now - confirmed).days),
        code_titles=titles,
    )


def public_businesses_by_id(ids):
    return Business.objects.public().select_related("city").in_bulk(list(ids))


def visible_introductions(*, viewer):
    """Staff see every introduction, and a city's volunteers and coordinator
    those touching their city. A firm sees its own only once staff approved
    them (or the ones it asked for itself): nothing reaches a firm before a
    person judged it worth making."""
    queryset = Introduction.objects.select_related("business_a__city", "business_b__city")
    if viewer.is_staff:
        return queryset
    cities = set(viewer.volunteer_city_ids)
    if viewer.user is not None:
        cities |= set(City.objects.filter(coordinator=viewer.user).values_list("pk", flat=True))
    if cities:
        return queryset.filter(
            Q(business_a__city_id__in=cities) | Q(business_b__city_id__in=cities) | _firm_visible(viewer)
        )
    return queryset.filter(_firm_visible(viewer))


def counterpart_for(*, introduction, viewer):
    """The other firm of an introduction, for a viewer who manages one side,
    once (and only once) both firms accepted; otherwise None."""
    if introduction.status != Introduction.Status.INTRODUCED:
        return None
    sides = {introduction.business_a_id, introduction.business_b_id} & viewer.managed_ids
    if len(sides) != 1:
        return None
    other = introduction.business_b if introduction.business_a_id in sides else introduction.business_a
    return other


def inbox(*, viewer):
    """The introductions of the viewer's firms that they may see, newest first."""
    return list(
        Introduction.objects.filter(_firm_visible(viewer)).select_related("business_a__city", "business_b__city").order_by("-updated_at")
    )


def awaits_answer(*, introduction, viewer):
    if introduction.status != Introduction.Status.APPROVED:
        return False
    return (introduction.business_a_id in viewer.managed_ids and introduction.accepted_a_at is None) or (
        introduction.business_b_id in viewer.managed_ids and introduction.accepted_b_at is None
    )


def _firm_visible(viewer):
    """A firm sees its introductions once staff approved them, and those it asked for."""
    own = Q(business_a_id__in=viewer.managed_ids) | Q(business_b_id__in=viewer.managed_ids)
    hidden = [Introduction.Status.PROPOSED, Introduction.Status.DISMISSED, Introduction.Status.REQUESTED]
    return own & (~Q(status__in=hidden) | Q(requested_by_id__in=viewer.managed_ids))


FUNNEL_STAGES = ("proposed", "approved", "accepted", "introduced", "met", "deal")


def introduction_funnel(*, queryset=None):
    """The funnel by city pair and month of creation: how many introductions
    reached each stage, acceptance rate, and median days per stage.

    `accepted` counts introductions at least one firm accepted; `met` counts
    any outcome beyond "no fit" (met, negotiating, deal).
    """
    queryset = (queryset or Introduction.objects.all()).select_related("business_a__city", "business_b__city")
    groups = {}
    for intro in queryset.order_by():
        cities = sorted((intro.business_a.city.slug, intro.business_b.city.slug))
        key = (f"{cities[0]},{cities[1]}", intro.created_at.strftime("%Y-%m"))
        group = groups.setdefault(key, {stage: 0 for stage in FUNNEL_STAGES} | {"_days": {
            "to_approval": [], "to_introduction": [], "to_outcome": []}})
        group["proposed"] += 1
        if intro.approved_at:
            group["approved"] += 1
            group["_days"]["to_approval"].append((intro.approved_at - intro.created_at).total_seconds() / 86400)
        if intro.accepted_a_at or intro.accepted_b_at:
            group["accepted"] += 1
        if intro.introduced_at:
            group["introduced"] += 1
            if intro.approved_at:
                group["_days"]["to_introduction"].append((intro.introduced_at - intro.approved_at).total_seconds() / 86400)
        if intro.outcome in ("met", "negotiating", "deal"):
            group["met"] += 1
        if intro.outcome == "deal":
            group["deal"] += 1
        if intro.outcome_at and intro.introduced_at:
            group["_days"]["to_outcome"].append((intro.outcome_at - intro.introduced_at).total_seconds() / 86400)
    rows = []
    for (pair, month), group in sorted(groups.items()):
        days = group.pop("_days")
        rows.append({
            "city_pair": pair, "month": month, **group,
            "acceptance_rate": round(group["introduced"] / group["approved"], 3) if group["approved"] else None,
            **{f"median_days_{name}": round(median(values), 1) if values else None for name, values in days.items()},
        })
    return rows
