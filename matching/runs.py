"""Matching runs and the proposals they write.

A run looks at some firms (all of them, or those changed since the last
successful run), asks the search backend for each firm's complementary
partners (k per firm: the cost grows with N·k, never N²), scores the pairs
with matching.engine and writes proposals. The scoring is split into chunks
so Celery can spread it over workers; every chunk is idempotent and only
records its scored pairs. Closing the run writes the proposals in one
best-first pass, so the result does not depend on which chunk finished first.
"""

import hashlib
from collections import Counter, defaultdict, namedtuple
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Mod
from django.utils import timezone

from directory.models import Business
from search import selectors as search
from search.backends.base import eligible_partner_cities
from search.query import SearchQuery

from . import engine
from .introductions import OPEN, REFUSED, lock_firms, open_round
from .models import Introduction, IntroductionApproval, IntroductionEvent, MatchCandidate, MatchRun, MatchRunChunk
from .selectors import profile_for, public_businesses_by_id, public_profiles_by_id

Status = Introduction.Status
# Proposals written per transaction when a run closes.
PROPOSAL_BATCH = 500


# A scored pair as the proposal writer reads it, whether fresh from the engine or from a chunk's rows.
_Candidate = namedtuple("_Candidate", "pair score reasons")


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
    now = timezone.now()
    profiles = {firm.pk: profile_for(firm, now=now) for firm in firms}
    wanted_ids = {pk for pairs in candidates.values() for pk, _ in pairs} - profiles.keys()
    profiles.update(public_profiles_by_id(wanted_ids, now=now))

    scored, proposals = 0, {}
    for firm in firms:
        pool = [profiles[pk] for pk, _ in candidates.get(firm.pk, []) if pk in profiles]
        scored += len(pool)
        for proposal in engine.proposals_for(
            profiles[firm.pk], pool, weights=settings.MATCHING_WEIGHTS, threshold=settings.MATCHING_THRESHOLD
        ):
            proposals.setdefault(proposal.pair, proposal)  # a pair seen from both sides is one proposal
    with transaction.atomic():
        MatchCandidate.objects.bulk_create(
            [MatchCandidate(run=run, business_a_id=p.pair[0], business_b_id=p.pair[1], score=p.score, reasons=p.reasons)
             for p in proposals.values()],
            update_conflicts=True, unique_fields=["run", "business_a", "business_b"], update_fields=["score", "reasons"],
        )
        MatchRunChunk.objects.update_or_create(
            run=run, index=index, defaults={"firms": len(firms), "candidates_scored": scored}
        )
    return scored


def close_run(*, run_id):
    """Write the run's proposals, count what it did and release the lock.

    Every chunk's pairs are written here, best first across the whole run, in
    batches (each its own transaction, so firms' requests are never held up
    for long). Killed half-way and delivered again, it starts over and comes
    to the same proposals: those written already are refreshed, not repeated.
    """
    run = MatchRun.objects.get(pk=run_id)
    if run.status != MatchRun.Status.RUNNING:
        return run
    # Pairs of equal score in a scattered order of their own: in order of the
    # firms' ids, the firms with the lowest ids would take every partner's
    # places, and firms that come later (and firms whose codes were read from
    # their words, whose pairs score alike) would find their partners full.
    scattered = Mod(F("business_a_id") * 7919 + F("business_b_id") * 104729, Value(1_000_003))
    best_first = run.candidates.order_by("-score", scattered, "business_a_id", "business_b_id")
    batch = []
    for candidate in best_first.iterator(chunk_size=PROPOSAL_BATCH):
        batch.append(_Candidate((candidate.business_a_id, candidate.business_b_id), candidate.score, candidate.reasons))
        if len(batch) == PROPOSAL_BATCH:
            _write_proposals(run, batch)
            batch = []
    _write_proposals(run, batch)
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        if run.status != MatchRun.Status.RUNNING:
            return run
        run.candidates.all().delete()
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
    MatchCandidate.objects.filter(run_id=run_id).delete()


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
        text=firm.seeks_text, side="offers", city=eligible_partner_cities(firm),
        page_size=settings.MATCHING_CANDIDATES_PER_FIRM,
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
    """Create, refresh or replace proposals, best first, so that no firm has
    more than N open introductions (requested, proposed or approved).

    A full firm's worst unreviewed proposal gives way to a better candidate;
    requested and approved introductions count but are people's business and
    never give way. A pair that staff are reviewing or have decided is left
    alone; a dismissed or declined pair comes back only after the
    cooling-off period, or sooner if either side changed what it offers or seeks.
    """
    if not proposals:
        return
    involved = sorted({pk for scored in proposals for pk in scored.pair})
    with transaction.atomic():
        # Chunks working side by side meet at the firms' rows: whoever holds a
        # firm counts its open introductions with every other chunk's committed.
        lock_firms(business_ids=involved)
        slots = _OpenSlots(involved, limit=settings.MATCHING_OPEN_PROPOSALS_PER_FIRM)
        # Late in a run most firms are full of better proposals. Written best
        # first, a firm's room only shrinks, so a pair that has none now (and
        # is not an open proposal to refresh) will not have any later in the
        # batch: leave it out before reading the pairs and the firms.
        proposals = [scored for scored in proposals
                     if slots.status_of(scored.pair) == Status.PROPOSED
                     or (slots.status_of(scored.pair) is None and slots.make_room(scored.pair, scored.score) is not None)]
        if not proposals:
            return
        pairs = {scored.pair for scored in proposals}
        existing = {
            (i.business_a_id, i.business_b_id): i
            for i in Introduction.objects.filter(
                business_a_id__in={p[0] for p in pairs}, business_b_id__in={p[1] for p in pairs}
            )
            if (i.business_a_id, i.business_b_id) in pairs
        }
        trades = {row[0]: _Trade(*row) for row in Business.objects.filter(
            pk__in={pk for pair in pairs for pk in pair}
        ).values_list(*_Trade._fields)}
        cooling_off = timezone.now() - timedelta(days=settings.MATCHING_COOLING_OFF_DAYS)
        for scored in proposals:
            pair = scored.pair
            signature = trade_signature(trades[pair[0]], trades[pair[1]])
            fields = {"score": scored.score, "reasons": scored.reasons, "run_id": run.pk, "trade_signature": signature}
            introduction = existing.get(pair)
            if introduction is not None and introduction.status == Status.PROPOSED:
                _update(introduction, fields)
                slots.rescore(introduction.pk, scored.score)
                continue
            if introduction is not None and not _may_repropose(introduction, signature, cooling_off):
                continue
            victims = slots.make_room(pair, scored.score)
            if victims is None or not all(_withdraw(pk, run) for pk in victims):
                continue
            for pk in victims:
                slots.remove(pk)
            introduction = _propose(pair, introduction, fields)
            slots.add(introduction.pk, pair, scored.score)


# What trade_signature reads of a firm.
_Trade = namedtuple("_Trade", "pk offers_hs seeks_hs offers_text seeks_text")


class _OpenSlots:
    """The open introductions of the firms a chunk touches: how many each
    firm has, and which of them (proposals nobody approved yet) a better
    candidate may replace."""

    def __init__(self, business_ids, *, limit):
        self.limit = limit
        self.count = Counter()
        self.replaceable = defaultdict(dict)  # firm -> {introduction id: score}
        self.pairs = {}
        self.open = {}  # pair -> status, of every open introduction of these firms
        reviewed = IntroductionApproval.objects.filter(introduction=OuterRef("pk"), round=OuterRef("round"))
        rows = Introduction.objects.filter(
            Q(business_a_id__in=business_ids) | Q(business_b_id__in=business_ids), status__in=OPEN
        ).values_list("pk", "business_a_id", "business_b_id", "status", "score", Exists(reviewed))
        for pk, a, b, status, score, was_reviewed in rows:
            self.count.update((a, b))
            self.open[(a, b)] = status
            if status == Status.PROPOSED and not was_reviewed:
                self._track(pk, (a, b), score)

    def status_of(self, pair):
        """The status of the pair's open introduction when the slots were counted, or None."""
        return self.open.get(pair)

    def add(self, pk, pair, score):
        self.count.update(pair)
        self._track(pk, pair, score)

    def _track(self, pk, pair, score):
        self.pairs[pk] = pair
        for firm in pair:
            self.replaceable[firm][pk] = score

    def rescore(self, pk, score):
        for firm in self.pairs.get(pk, ()):
            self.replaceable[firm][pk] = score

    def remove(self, pk):
        for firm in self.pairs.pop(pk):
            self.count[firm] -= 1
            del self.replaceable[firm][pk]

    def make_room(self, pair, score):
        """The proposals to withdraw so both firms have room for one of this
        score (each full firm gives up its worst), or None if one cannot."""
        victims = []
        for firm in pair:
            if self.count[firm] < self.limit:
                continue
            worse = [(s, pk) for pk, s in self.replaceable[firm].items() if s < score]
            if not worse:
                return None
            victims.append(min(worse)[1])
        return victims


def _may_repropose(introduction, signature, cooling_off):
    """A person's no rests for the cooling-off period unless a side changed what
    it trades; a withdrawn proposal or a closed introduction (nobody said no)
    may come back at any run."""
    if introduction.status in (Status.WITHDRAWN, Status.CLOSED):
        return True
    if introduction.status in REFUSED:
        decided = introduction.decided_at or introduction.updated_at
        return decided < cooling_off or introduction.trade_signature != signature
    return False


def _propose(pair, introduction, fields):
    """A new proposal, or the pair's next round as one."""
    if introduction is None:
        return Introduction.objects.create(business_a_id=pair[0], business_b_id=pair[1],
                                           first_run_id=fields["run_id"], **fields)
    from_status = introduction.status
    open_round(introduction=introduction, status=Status.PROPOSED)
    for name, value in fields.items():
        setattr(introduction, name, value)
    introduction.first_run_id = fields["run_id"]
    introduction.save()
    IntroductionEvent.objects.create(introduction=introduction, round=introduction.round, action="proposed",
                                     from_status=from_status, to_status=Status.PROPOSED)
    return introduction


def _withdraw(pk, run):
    """Withdraw an unreviewed proposal to make room for a better one; False if
    it was approved (even in part) meanwhile."""
    introduction = Introduction.objects.select_for_update().get(pk=pk)
    if introduction.status != Status.PROPOSED or introduction.approvals.filter(round=introduction.round).exists():
        return False
    introduction.status = Status.WITHDRAWN
    introduction.decided_at = timezone.now()
    introduction.save()
    IntroductionEvent.objects.create(introduction=introduction, round=introduction.round, action="withdrawn",
                                     from_status=Status.PROPOSED, to_status=Status.WITHDRAWN,
                                     note=f"better matches from run {run.pk}")
    return True


def _update(introduction, fields):
    changed = [name for name, value in fields.items() if getattr(introduction, name) != value]
    if changed:
        for name in changed:
            setattr(introduction, name, fields[name])
        introduction.save(update_fields=[*changed, "updated_at"])
