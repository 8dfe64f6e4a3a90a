"""Reads for matching: firms as the engine sees them, and introductions as
each kind of user may see them."""

from statistics import median

from django.db.models import Q
from django.utils import timezone

from directory import glossary, taxonomy
from directory.models import Business, City

from . import engine
from .models import Introduction, OutgoingEmail


def profile_for(business, *, now=None):
    now = now or timezone.now()
    codes = taxonomy.hs()
    offers = tuple(business.offers_hs)
    seeks = tuple(business.seeks_hs)
    inferred_offers, inferred_seeks = glossary.read_profile(business)
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


# What profile_for reads of a firm. A run loads each chunk's partners by the
# thousand, and the rest of a profile (descriptions, contacts, suggestions)
# was most of the cost of reading them.
PROFILE_FIELDS = (
    "name", "city__slug", "city__relationship", "description_language", "offers_hs", "seeks_hs", "offers_text",
    "seeks_text", "naics", "trade_roles", "languages", "verified_at", "confirmed_at",
)


def public_profiles_by_id(ids, *, now=None):
    """{id: engine.Profile} of the public firms among ids."""
    firms = Business.objects.public().select_related("city").only(*PROFILE_FIELDS).in_bulk(list(ids))
    return {pk: profile_for(firm, now=now) for pk, firm in firms.items()}


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
    """A firm sees its introductions once staff approved them, and those it asked for.
    A closed one stays in sight only if the firms had seen it (it was approved)."""
    Status = Introduction.Status
    own = Q(business_a_id__in=viewer.managed_ids) | Q(business_b_id__in=viewer.managed_ids)
    hidden = [Status.PROPOSED, Status.DISMISSED, Status.REQUESTED, Status.WITHDRAWN, Status.CLOSED]
    return own & (
        ~Q(status__in=hidden)
        | Q(requested_by_id__in=viewer.managed_ids)
        | Q(status=Status.CLOSED, approved_at__isnull=False)
    )


def cities_requiring_coordinator(*, introduction):
    """The ids of the pair's cities whose own coordinator must co-approve."""
    return {
        city.pk for city in (introduction.business_a.city, introduction.business_b.city)
        if city.coordinator_must_approve and city.coordinator_id is not None
    }


def approval_waits_for(*, introduction):
    """Who must still approve this round: "staff", "coordinator", or "" when
    nobody (it is approved, or nobody has approved anything yet)."""
    if introduction.status not in (Introduction.Status.PROPOSED, Introduction.Status.REQUESTED):
        return ""
    # .all() so that a page that prefetched the approvals asks nothing more.
    approved = {a.city_id for a in introduction.approvals.all() if a.round == introduction.round}
    if not approved:
        return ""
    if None not in approved:
        return "staff"
    return "coordinator" if cities_requiring_coordinator(introduction=introduction) - approved else ""


def history_for(*, introduction, viewer):
    """The events of every round as this viewer may read them: staff see all;
    others never see staff-only notes, and until the firms are introduced,
    not who acted for the other firm either."""
    events = introduction.events.select_related("actor")
    if not viewer.is_staff:
        events = events.filter(staff_only=False)
    hidden_actors = set()
    if not viewer.is_staff and introduction.status != Introduction.Status.INTRODUCED:
        others = [pk for pk in (introduction.business_a_id, introduction.business_b_id) if pk not in viewer.managed_ids]
        hidden_actors = _people_of(others) - _people_of(viewer.managed_ids)
    return [
        {"round": event.round, "action": event.action, "from_status": event.from_status,
         "to_status": event.to_status, "note": event.note, "created_at": event.created_at,
         "actor": event.actor.username if event.actor and event.actor_id not in hidden_actors else None}
        for event in events
    ]


def _people_of(business_ids):
    """The user ids of the owners and members of these firms."""
    people = set()
    for owner_id, member_id in Business.objects.filter(pk__in=business_ids).values_list("owner_id", "members"):
        people |= {owner_id, member_id} - {None}
    return people


FUNNEL_STAGES = ("proposed", "approved", "accepted", "introduced", "met", "deal")


def introduction_funnel(*, queryset=None):
    """The funnel by city pair and month of creation: how many introductions
    reached each stage, acceptance rate, and median days per stage.

    `accepted` counts introductions at least one firm accepted; `met` counts
    any outcome beyond "no fit" (met, negotiating, deal).
    """
    queryset = (Introduction.objects.all() if queryset is None else queryset).select_related("business_a__city", "business_b__city")
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


def introductions_for_export(*, viewer):
    """A firm's introductions as it may see them, for its data export: the
    history without staff-only notes, the counterpart's contact once introduced."""
    rows = []
    for introduction in Introduction.objects.filter(_firm_visible(viewer)).select_related(
        "business_a__city", "business_b__city"
    ).prefetch_related("events").order_by("created_at", "pk"):
        own, other = (
            (introduction.business_a, introduction.business_b)
            if introduction.business_a_id in viewer.managed_ids
            else (introduction.business_b, introduction.business_a)
        )
        counterpart = counterpart_for(introduction=introduction, viewer=viewer)
        rows.append({
            "id": introduction.pk,
            "firm": own.slug,
            "counterpart": display_name(other),
            "status": introduction.status,
            "message": introduction.message,
            "approval_message": introduction.approval_message,
            "outcome": introduction.outcome,
            "outcome_note": introduction.outcome_note,
            "created_at": introduction.created_at.isoformat(),
            "introduced_at": introduction.introduced_at.isoformat() if introduction.introduced_at else None,
            "counterpart_contact": None if counterpart is None else {
                "name": counterpart.contact_name, "email": counterpart.contact_email,
                "phone": counterpart.contact_phone,
            },
            "history": [
                {"action": e.action, "from_status": e.from_status, "to_status": e.to_status,
                 "at": e.created_at.isoformat()}
                for e in introduction.events.all() if not e.staff_only
            ],
        })
    return rows


def emails_for_export(*, viewer, address):
    """The workflow emails sent to this address about the viewer's firms."""
    if not address:
        return []
    own = Q(introduction__business_a_id__in=viewer.managed_ids) | Q(introduction__business_b_id__in=viewer.managed_ids)
    address = address.lower()
    return [
        {"subject": email.subject, "body": email.body, "language": email.language,
         "created_at": email.created_at.isoformat(), "sent_at": email.sent_at.isoformat() if email.sent_at else None}
        for email in OutgoingEmail.objects.filter(own).order_by("created_at", "pk")
        if address in {a.lower() for a in [*email.to, *email.cc]}
    ]


def display_name(business):
    """A firm's name as the other side of an introduction sees it; a firm whose
    owner deleted their account is no longer named."""
    from django.utils.translation import gettext

    return gettext("a former member") if business.erased_at else business.name


def introduced_to(*, viewer, business):
    """Whether one of the viewer's firms was introduced to this business, which
    is what earns the sight of its contact."""
    if not viewer.managed_ids:
        return False
    pair = (Q(business_a_id=business.pk, business_b_id__in=viewer.managed_ids)
            | Q(business_b_id=business.pk, business_a_id__in=viewer.managed_ids))
    return Introduction.objects.filter(pair, status=Introduction.Status.INTRODUCED).exists()


def open_queue(*, viewer):
    """Introductions waiting for a staff decision that this viewer may take."""
    return visible_introductions(viewer=viewer).filter(
        status__in=(Introduction.Status.PROPOSED, Introduction.Status.REQUESTED)
    )


def recent_runs():
    from .models import MatchRun

    return MatchRun.objects.order_by("-started_at", "-pk")
