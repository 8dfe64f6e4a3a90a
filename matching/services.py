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

from directory.models import Business
from search import selectors as search
from search.backends.base import eligible_partner_cities
from search.query import SearchQuery

from . import engine
from .models import Introduction, MatchRun, MatchRunChunk
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
