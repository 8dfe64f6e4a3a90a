"""Matching runs and the proposals they write.

A run looks at some firms (all of them, or those changed since the last
successful run), asks the search backend for each firm's complementary
partners (k per firm: the cost grows with N·k, never N²), scores the pairs
with matching.engine and writes proposals. The work is split into chunks so
Celery can spread it over workers; every chunk is idempotent.
"""

import hashlib
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from django.core.exceptions import PermissionDenied, ValidationError

from directory import selectors as directory_selectors
from directory import services as directory_services
from directory.models import Business
from search import selectors as search
from search.backends.base import eligible_partner_cities
from search.query import SearchQuery

from . import engine, notifications
from .models import Introduction, IntroductionEvent, MatchRun, MatchRunChunk
from .selectors import profile_for, public_businesses_by_id

Status = Introduction.Status
# Only these are a run's to create or refresh; anything else is a person's decision.
REPROPOSABLE = (Status.DISMISSED, Status.DECLINED)


class RunInProgress(Exception):
    """Another matching run holds the lock."""


# --- runs -------------------------------------------------------------------------------


def start_run(*, full=False):
    """Open a run (taking the one-run-at-a-time lock) and return it with the
    chunks of business ids it should process."""
    now = timezone.now()
    stale = now - timedelta(hours=settings.MATCHING_RUN_TIMEOUT_HOURS)
    MatchRun.objects.filter(status=MatchRun.Status.RUNNING, started_at__lt=stale).update(
        status=MatchRun.Status.FAILED, finished_at=now, error="Timed out: the run never closed."
    )
    last = MatchRun.objects.filter(status=MatchRun.Status.SUCCEEDED).order_by("-started_at").first()
    mode = MatchRun.Mode.FULL if full or last is None else MatchRun.Mode.INCREMENTAL
    firms = Business.objects.public().order_by("pk")
    if mode == MatchRun.Mode.INCREMENTAL:
        firms = firms.filter(updated_at__gte=last.started_at)
    ids = list(firms.values_list("pk", flat=True))
    size = settings.MATCHING_CHUNK_SIZE
    chunks = [ids[i:i + size] for i in range(0, len(ids), size)]
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(mode=mode, chunks_total=len(chunks), firms_considered=len(ids))
    except IntegrityError:
        raise RunInProgress("A matching run is already in progress.") from None
    return run, chunks


def process_chunk(*, run_id, index, business_ids):
    """Score and propose for one chunk of firms. Safe to run twice."""
    run = MatchRun.objects.get(pk=run_id)
    if run.status != MatchRun.Status.RUNNING:
        return 0
    firms = list(public_businesses_by_id(business_ids).values())
    candidates = search.complementary_many(firms, settings.MATCHING_CANDIDATES_PER_FIRM)
    for firm in firms:
        if not firm.seeks_hs and firm.seeks_text.strip():
            candidates[firm.pk] = _merge(candidates.get(firm.pk, []), _text_candidates(firm))
    wanted_ids = {pk for pairs in candidates.values() for pk, _ in pairs}
    partners = public_businesses_by_id(wanted_ids)
    now = timezone.now()
    profiles = {pk: profile_for(b, now=now) for pk, b in {**partners, **{f.pk: f for f in firms}}.items()}

    scored, proposals = 0, {}
    for firm in firms:
        pool = [profiles[pk] for pk, _ in candidates.get(firm.pk, []) if pk in profiles]
        scored += len(pool)
        for proposal in engine.proposals_for(
            profiles[firm.pk], pool, weights=settings.MATCHING_WEIGHTS, threshold=settings.MATCHING_THRESHOLD
        ):
            proposals.setdefault(proposal.pair, proposal)  # a pair seen from both sides is one proposal
    # Best first across the chunk, so the per-firm cap keeps each firm's best.
    _write_proposals(run, sorted(proposals.values(), key=lambda p: (-p.score, p.pair)))
    MatchRunChunk.objects.update_or_create(
        run=run, index=index, defaults={"firms": len(firms), "candidates_scored": scored}
    )
    return scored


def close_run(*, run_id):
    """Count what the run did and release the lock."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        if run.status != MatchRun.Status.RUNNING:
            return run
        totals = run.chunks.aggregate(candidates=Sum("candidates_scored"))
        run.candidates_scored = totals["candidates"] or 0
        run.proposals_created = Introduction.objects.filter(first_run=run).count()
        run.proposals_refreshed = Introduction.objects.filter(run=run).exclude(first_run=run).count()
        run.status = MatchRun.Status.SUCCEEDED
        run.finished_at = timezone.now()
        run.save()
    return run


def fail_run(*, run_id, error):
    MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).update(
        status=MatchRun.Status.FAILED, finished_at=timezone.now(), error=str(error)[:5000]
    )


def run_matching_now(*, full=False, progress=None):
    """The whole run in this process (the embedded default, tests, `--sync`)."""
    run, chunks = start_run(full=full)
    if progress is not None:
        progress.reset(total=run.firms_considered)
    try:
        for index, ids in enumerate(chunks):
            process_chunk(run_id=run.pk, index=index, business_ids=ids)
            if progress is not None:
                progress.advance(len(ids))
    except Exception as error:
        fail_run(run_id=run.pk, error=error)
        raise
    return close_run(run_id=run.pk)


# --- proposals ----------------------------------------------------------------------------


def _text_candidates(firm):
    """Partners whose profiles answer a need the firm described only in words,
    searched in the firm's own language."""
    result = search.search(SearchQuery(
        text=firm.seeks_text, city=eligible_partner_cities(firm), page_size=settings.MATCHING_CANDIDATES_PER_FIRM,
        with_facets=False,
    ))
    return [(hit.business.pk, hit.score) for hit in result.hits]


def _merge(*lists):
    seen = {}
    for pairs in lists:
        for pk, value in pairs:
            seen.setdefault(pk, value)
    return list(seen.items())


def trade_signature(a, b):
    """A fingerprint of what both firms offer and seek; a change lifts the cooling-off."""
    parts = []
    for business in sorted((a, b), key=lambda x: x.pk):
        parts += [",".join(sorted(business.offers_hs)), ",".join(sorted(business.seeks_hs)),
                  business.offers_text.strip(), business.seeks_text.strip()]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _write_proposals(run, proposals):
    """Create or refresh proposals, best first, at most N new ones per firm.

    A pair that staff are reviewing or have decided is left alone; a
    dismissed or declined pair comes back only after the cooling-off period,
    or sooner if either side changed what it offers or seeks.
    """
    if not proposals:
        return
    pairs = {s.pair for s in proposals}
    existing = {
        (i.business_a_id, i.business_b_id): i
        for i in Introduction.objects.filter(
            business_a_id__in={p[0] for p in pairs}, business_b_id__in={p[1] for p in pairs}
        )
        if (i.business_a_id, i.business_b_id) in pairs
    }
    involved = {pk for pair in pairs for pk in pair}
    businesses = Business.objects.in_bulk(involved)
    cooling_off = timezone.now() - timedelta(days=settings.MATCHING_COOLING_OFF_DAYS)
    new_so_far = _new_proposal_counts(run, involved)
    limit = settings.MATCHING_NEW_PROPOSALS_PER_FIRM

    def room_for_new(pair):
        # Neither firm has had its N new proposals from this run yet; pairs
        # arrive best first, so the N kept are each firm's best.
        return all(new_so_far[pk] < limit for pk in pair)

    for scored in proposals:
        pair = scored.pair
        signature = trade_signature(businesses[pair[0]], businesses[pair[1]])
        fields = {"score": scored.score, "reasons": scored.reasons, "run_id": run.pk, "trade_signature": signature}
        introduction = existing.get(pair)
        if introduction is None:
            if room_for_new(pair) and _create(pair, fields):
                new_so_far.update(pair)
        elif introduction.status == Status.PROPOSED:
            _update(introduction, fields)
        elif introduction.status in REPROPOSABLE and room_for_new(pair):
            decided = introduction.decided_at or introduction.updated_at
            if decided < cooling_off or introduction.trade_signature != signature:
                _update(introduction, {**fields, "status": Status.PROPOSED, "first_run_id": run.pk, "decided_at": None})
                new_so_far.update(pair)


def _new_proposal_counts(run, business_ids):
    """How many new proposals this run already gave each firm (other chunks included)."""
    counts = Counter()
    for side in ("business_a_id", "business_b_id"):
        rows = (Introduction.objects.filter(first_run=run, **{f"{side}__in": business_ids})
                .values(side).annotate(n=Count("id")).order_by())
        for row in rows:
            counts[row[side]] += row["n"]
    return counts


def _create(pair, fields):
    """Create a proposal; False when the pair already existed."""
    try:
        with transaction.atomic():
            Introduction.objects.create(business_a_id=pair[0], business_b_id=pair[1], first_run_id=fields["run_id"], **fields)
        return True
    except IntegrityError:
        # Another chunk of this run (seeing the pair from the other side) got there first.
        introduction = Introduction.objects.get(business_a_id=pair[0], business_b_id=pair[1])
        if introduction.status == Status.PROPOSED:
            _update(introduction, fields)
        return False


def _update(introduction, fields):
    changed = [name for name, value in fields.items() if getattr(introduction, name) != value]
    if changed:
        for name in changed:
            setattr(introduction, name, fields[name])
        introduction.save(update_fields=[*changed, "updated_at"])


# --- the introduction workflow -----------------------------------------------------------
#
# requested | proposed -> approved | dismissed -> (both accept) introduced | declined | expired
# Every transition checks who may act, locks the row, records an event and
# promises its emails in the same transaction (sent after commit).


class InvalidTransition(directory_services.InvalidTransition):
    """The introduction is not in a state that allows this (HTTP 409)."""


class RateLimited(Exception):
    """Too many requests from one firm (HTTP 429)."""


OPEN = (Status.REQUESTED, Status.PROPOSED, Status.APPROVED)


def request_introduction(*, actor, target, requester=None, message=""):
    """A firm asks staff to introduce it to a profile it found."""
    viewer = directory_selectors.viewer_for(actor)
    managed = Business.objects.filter(pk__in=viewer.managed_ids)
    if requester is None:
        if managed.count() != 1:
            raise ValidationError({"from": "Say which of your firms asks (the slug of one you manage)."})
        requester = managed.get()
    elif requester.pk not in viewer.managed_ids:
        raise PermissionDenied("You may ask only on behalf of a firm you manage.")
    if not requester.is_public:
        raise ValidationError({"from": "Your profile must be published before it can ask for introductions."})
    if not target.is_public or target.pk == requester.pk:
        raise ValidationError({"target": "Introductions are made only to another published profile."})
    since = timezone.now() - timedelta(days=1)
    if Introduction.objects.filter(requested_by=requester, created_at__gte=since).count() >= settings.INTRODUCTION_REQUESTS_PER_DAY:
        raise RateLimited(f"A firm may ask for {settings.INTRODUCTION_REQUESTS_PER_DAY} introductions a day.")
    a, b = sorted((requester.pk, target.pk))
    with transaction.atomic():
        introduction = Introduction.objects.select_for_update().filter(business_a_id=a, business_b_id=b).first()
        if introduction is not None and introduction.status in (*OPEN, Status.INTRODUCED):
            raise InvalidTransition(f"These firms already have an introduction ({introduction.get_status_display().lower()}).")
        if introduction is None:
            introduction = Introduction(business_a_id=a, business_b_id=b)
        from_status = introduction.status if introduction.pk else ""
        introduction.status = Status.REQUESTED
        introduction.requested_by = requester
        introduction.message = message
        introduction.decided_at = None
        introduction.save()
        _event(introduction, actor, "requested", from_status, note=message)
    return introduction


def approve_introduction(*, actor, introduction, message=""):
    """Staff (and, where the city asks for it, its coordinator) say the introduction is worth making."""
    with transaction.atomic():
        introduction = _lock_introduction(introduction)
        _require_state(introduction, (Status.PROPOSED, Status.REQUESTED), "approved")
        is_staff = bool(actor and actor.is_staff)
        coordinating = _coordinated_cities(actor, introduction)
        if not is_staff and not coordinating:
            raise PermissionDenied("Only staff, or the coordinator of one of the cities, may approve introductions.")
        now = timezone.now()
        if coordinating and introduction.coordinator_approved_at is None:
            introduction.coordinator_approved_by, introduction.coordinator_approved_at = actor, now
        if is_staff and introduction.approved_at is None:
            introduction.approved_by, introduction.approved_at = actor, now
        if message:
            introduction.approval_message = message
        waiting_for_coordinator = _needs_coordinator(introduction) and introduction.coordinator_approved_at is None
        if introduction.approved_at is None or waiting_for_coordinator:
            introduction.save()
            _event(introduction, actor, "approval_recorded", introduction.status, introduction.status,
                   note="waiting for " + ("the city coordinator" if waiting_for_coordinator else "staff"))
            return introduction
        from_status = introduction.status
        introduction.status = Status.APPROVED
        introduction.decided_at = now
        introduction.save()
        _event(introduction, actor, "approved", from_status, note=message)
        _promise_to_each_firm(introduction, kind="approved")
    return introduction


def dismiss_introduction(*, actor, introduction, reason, note=""):
    if not (actor and (actor.is_staff or _coordinated_cities(actor, introduction))):
        raise PermissionDenied("Only staff, or the coordinator of one of the cities, may dismiss introductions.")
    if reason not in Introduction.DismissReason.values:
        raise ValidationError({"reason": f"Choose one of: {', '.join(Introduction.DismissReason.values)}."})
    with transaction.atomic():
        introduction = _lock_introduction(introduction)
        _require_state(introduction, (Status.PROPOSED, Status.REQUESTED), "dismissed")
        from_status = introduction.status
        introduction.status = Status.DISMISSED
        introduction.dismiss_reason, introduction.dismiss_note = reason, note
        introduction.decided_at = timezone.now()
        introduction.save()
        _event(introduction, actor, "dismissed", from_status, note=f"{reason}: {note}".strip(": "), staff_only=True)
    return introduction


def accept_introduction(*, actor, introduction, business=None):
    """One firm says yes; when both have, contacts are exchanged."""
    with transaction.atomic():
        introduction = _lock_introduction(introduction)
        business = _acting_side(actor, introduction, business)
        _require_state(introduction, (Status.APPROVED,), "accepted")
        now = timezone.now()
        side = introduction.side_of(business.pk)
        setattr(introduction, f"accepted_{side}_at", getattr(introduction, f"accepted_{side}_at") or now)
        if introduction.accepted_a_at and introduction.accepted_b_at:
            introduction.status = Status.INTRODUCED
            introduction.introduced_at = now
            introduction.save()
            _event(introduction, actor, "accepted", Status.APPROVED, note=business.name)
            _event(introduction, None, "introduced", Status.APPROVED)
            _promise_introduction_email(introduction)
        else:
            introduction.save()
            _event(introduction, actor, "accepted", Status.APPROVED, Status.APPROVED, note=business.name)
    return introduction


def decline_introduction(*, actor, introduction, business=None, reason=""):
    with transaction.atomic():
        introduction = _lock_introduction(introduction)
        business = _acting_side(actor, introduction, business)
        _require_state(introduction, (Status.APPROVED,), "declined")
        introduction.status = Status.DECLINED
        introduction.declined_by, introduction.decline_reason = business, reason
        introduction.decided_at = timezone.now()
        introduction.save()
        _event(introduction, actor, "declined", Status.APPROVED, note=f"{business.name}: {reason}".strip(": "))
    return introduction


def record_outcome(*, actor, introduction, outcome, value=None, note=""):
    """Either firm or staff say what came of an introduction, any time after it."""
    if outcome not in Introduction.Outcome.values:
        raise ValidationError({"outcome": f"Choose one of: {', '.join(Introduction.Outcome.values)}."})
    if value is not None and outcome != Introduction.Outcome.DEAL:
        raise ValidationError({"value": "A value goes with a deal only."})
    with transaction.atomic():
        introduction = _lock_introduction(introduction)
        viewer = directory_selectors.viewer_for(actor)
        if not (viewer.is_staff or {introduction.business_a_id, introduction.business_b_id} & viewer.managed_ids):
            raise PermissionDenied("Only the two firms and staff may record an outcome.")
        _require_state(introduction, (Status.INTRODUCED,), "given an outcome")
        previous = introduction.outcome
        introduction.outcome, introduction.outcome_value, introduction.outcome_note = outcome, value, note
        introduction.outcome_at = timezone.now()
        introduction.save()
        _event(introduction, actor, "outcome", introduction.status, introduction.status,
               note=f"{previous or '-'} -> {outcome}" + (f" ({value})" if value is not None else "") + (f": {note}" if note else ""))
    return introduction


def remind_and_expire(*, now=None):
    """Hourly: remind firms that have not answered an approved introduction
    after 7 days, and expire it after 21. Returns (reminded, expired)."""
    now = now or timezone.now()
    reminded = expired = 0
    waiting = Introduction.objects.filter(status=Status.APPROVED)
    for introduction in waiting.filter(approved_at__lt=now - timedelta(days=settings.INTRODUCTION_EXPIRE_DAYS)):
        with transaction.atomic():
            introduction = _lock_introduction(introduction)
            if introduction.status != Status.APPROVED:
                continue
            introduction.status = Status.EXPIRED
            introduction.decided_at = now
            introduction.save()
            _event(introduction, None, "expired", Status.APPROVED, note="no answer from both firms in time")
            expired += 1
    due = waiting.filter(
        status=Status.APPROVED, reminder_sent_at__isnull=True,
        approved_at__lt=now - timedelta(days=settings.INTRODUCTION_REMINDER_DAYS),
    )
    for introduction in due:
        with transaction.atomic():
            introduction = _lock_introduction(introduction)
            if introduction.status != Status.APPROVED or introduction.reminder_sent_at is not None:
                continue
            introduction.reminder_sent_at = now
            introduction.save()
            _promise_to_each_firm(introduction, kind="reminder", only_waiting=True)
            _event(introduction, None, "reminded", Status.APPROVED, Status.APPROVED)
            reminded += 1
    return reminded, expired


def send_followups(*, now=None):
    """Daily: 30 and 90 days after an introduction, ask both firms what came of it."""
    now = now or timezone.now()
    sent = 0
    for days in settings.INTRODUCTION_FOLLOWUP_DAYS:
        for introduction in Introduction.objects.filter(status=Status.INTRODUCED,
                                                        introduced_at__lt=now - timedelta(days=days)):
            if days in introduction.followups_sent or introduction.outcome in ("deal", "no_fit"):
                continue
            with transaction.atomic():
                introduction = _lock_introduction(introduction)
                if days in introduction.followups_sent:
                    continue
                introduction.followups_sent = [*introduction.followups_sent, days]
                introduction.save()
                _promise_to_each_firm(introduction, kind="followup", key=f"followup{days}", context={"days": days})
                _event(introduction, None, f"followup_{days}", Status.INTRODUCED, Status.INTRODUCED)
                sent += 1
    return sent


def _promise_introduction_email(introduction):
    """One email to both firms, the facilitator copied, each side's contact inside."""
    a, b = _pair(introduction)
    facilitator = introduction.approved_by.email if introduction.approved_by and introduction.approved_by.email else ""
    language = notifications.language_for(a) if notifications.language_for(a) == notifications.language_for(b) else "en"
    notifications.promise(
        key=f"introduction:{introduction.pk}:introduced", introduction=introduction, kind="introduced",
        to=notifications.recipients_of(a) + notifications.recipients_of(b), cc=[facilitator] if facilitator else [],
        language=language, context={"a": a, "b": b},
    )


def _lock_introduction(introduction):
    return Introduction.objects.select_for_update().get(pk=introduction.pk)


def _pair(introduction):
    businesses = Business.objects.select_related("owner", "city").in_bulk(
        [introduction.business_a_id, introduction.business_b_id]
    )
    return businesses[introduction.business_a_id], businesses[introduction.business_b_id]


def _promise_to_each_firm(introduction, *, kind, key=None, context=None, only_waiting=False):
    """One email per firm, about the other, in its own language; with
    `only_waiting`, only to a firm that has not accepted yet."""
    a, b = _pair(introduction)
    for business, other in ((a, b), (b, a)):
        if only_waiting and getattr(introduction, f"accepted_{introduction.side_of(business.pk)}_at"):
            continue
        notifications.promise(
            key=f"introduction:{introduction.pk}:{key or kind}:{business.pk}", introduction=introduction, kind=kind,
            to=notifications.recipients_of(business), language=notifications.language_for(business),
            context={"business": business, "other": other, **(context or {})},
        )


def _acting_side(actor, introduction, business):
    """The firm (of the two) on whose behalf the actor answers."""
    viewer = directory_selectors.viewer_for(actor)
    sides = {introduction.business_a_id, introduction.business_b_id} & viewer.managed_ids
    if business is not None:
        if business.pk not in sides:
            raise PermissionDenied("You may answer only for a firm of this introduction that you manage.")
        return business
    if not sides:
        raise PermissionDenied("Only the two firms may accept or decline an introduction.")
    if len(sides) > 1:
        raise ValidationError({"business": "You manage both firms; say which one answers."})
    return Business.objects.get(pk=sides.pop())


def _coordinated_cities(actor, introduction):
    if actor is None or not actor.is_authenticated:
        return set()
    return set(
        Business.objects.filter(pk__in=[introduction.business_a_id, introduction.business_b_id],
                                city__coordinator=actor).values_list("city_id", flat=True)
    )


def _needs_coordinator(introduction):
    return Business.objects.filter(
        pk__in=[introduction.business_a_id, introduction.business_b_id],
        city__coordinator_must_approve=True, city__coordinator__isnull=False,
    ).exists()


def _require_state(introduction, allowed, past):
    if introduction.status not in allowed:
        raise InvalidTransition(f"An introduction that is {introduction.get_status_display().lower()} cannot be {past}.")


def _event(introduction, actor, action, from_status, to_status=None, note="", staff_only=False):
    IntroductionEvent.objects.create(
        introduction=introduction, actor=actor, action=action, from_status=from_status,
        to_status=introduction.status if to_status is None else to_status, note=note, staff_only=staff_only,
    )
