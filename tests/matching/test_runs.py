import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from directory import services as directory_services
from directory.models import Business
from matching import introductions, runs, tasks
from matching.introductions import OPEN
from matching.models import Introduction, MatchCandidate, MatchRun, MatchRunChunk

pytestmark = pytest.mark.django_db
Status = Introduction.Status


@pytest.fixture
def database_search(settings):
    # Runs read candidates through the configured search backend; the
    # database backend needs no index to be built first.
    settings.SEARCH_BACKEND = "database"


@pytest.fixture
def brake_market(make_business, database_search):
    buyer = make_business(name="Front Range Brake Supply", seeks_hs=["870830"], trade_roles=["importer"])
    sellers = [
        make_business(name=f"Brake Maker {city}", city=city, offers_hs=["870830"], seeks_hs=[], seeks_text="",
                      trade_roles=["exporter"], description="Brake maker.")
        for city in ("seongnam", "chihuahua", "zielona-gora", "new-taipei-city")
    ]
    neighbour = make_business(name="Aurora Brake Works", offers_hs=["870830"], seeks_hs=[], trade_roles=["exporter"])
    return buyer, sellers, neighbour


def pairs():
    return set(Introduction.objects.values_list("business_a_id", "business_b_id"))


def open_counts():
    counts = Counter()
    for a, b in Introduction.objects.filter(status__in=OPEN).values_list("business_a_id", "business_b_id"):
        counts.update((a, b))
    return counts


@pytest.mark.sqlite
def test_run_matching_on_the_demo_network_proposes_explained_cross_city_pairs(database_search, settings, staff):
    call_command("load_demo", count=240)
    call_command("run_matching", "--full", "--sync")
    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.SUCCEEDED and run.finished_at is not None
    assert run.firms_considered == 240 and run.candidates_scored > 0
    proposals = Introduction.objects.select_related("business_a__city", "business_b__city")
    assert run.proposals_created == proposals.count() > 50
    for introduction in proposals:
        assert introduction.reasons and all(reason["text"] for reason in introduction.reasons)
        assert introduction.business_a.city_id != introduction.business_b.city_id
        assert "aurora" in (introduction.business_a.city.slug, introduction.business_b.city.slug)
        assert introduction.score >= 0.35

    assert max(open_counts().values()) <= settings.MATCHING_OPEN_PROPOSALS_PER_FIRM
    queue = proposals.count()

    # Staff decide two of them; a second run must neither duplicate nor touch them.
    dismissed, approved = proposals[0], proposals[1]
    introductions.dismiss_introduction(actor=staff, introduction=dismissed, reason="timing")
    introductions.approve_introduction(actor=staff, introduction=approved)
    decided = {i.pk: (i.status, i.score, i.updated_at) for i in Introduction.objects.filter(pk__in=[dismissed.pk, approved.pk])}
    before = pairs()
    call_command("run_matching", "--full", "--sync")
    assert MatchRun.objects.count() == 2
    # The queue does not grow night after night: the dismissal freed a place at
    # each of its two firms, and each may be filled with another partner.
    assert Introduction.objects.filter(status__in=OPEN).count() <= queue + 1
    assert max(open_counts().values()) <= settings.MATCHING_OPEN_PROPOSALS_PER_FIRM
    assert before <= pairs()
    assert not Introduction.objects.values("business_a", "business_b").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert {i.pk: (i.status, i.score, i.updated_at) for i in Introduction.objects.filter(pk__in=decided)} == decided


@pytest.mark.sqlite
def test_a_firm_has_at_most_n_open_proposals_best_first_however_often_matching_runs(brake_market, settings, staff):
    buyer, sellers, neighbour = brake_market
    settings.MATCHING_OPEN_PROPOSALS_PER_FIRM = 2
    directory_services.verify_business(actor=staff, business=sellers[2])
    runs.run_matching_now(full=True)

    def open_partners_of_buyer():
        return {i.business_b_id for i in Introduction.objects.filter(business_a=buyer, status__in=OPEN)}

    kept = open_partners_of_buyer()
    assert len(kept) == 2
    # The verified seller scores a little higher, so it is among the two kept.
    assert sellers[2].pk in kept
    runs.run_matching_now(full=True)  # the next night: the queue does not grow
    assert open_partners_of_buyer() == kept

    # Staff decide one; the freed place goes to the best of the rest.
    decided = Introduction.objects.get(business_a=buyer, business_b=sellers[2])
    introductions.dismiss_introduction(actor=staff, introduction=decided, reason="timing")
    runs.run_matching_now(full=True)
    assert len(open_partners_of_buyer()) == 2 and sellers[2].pk not in open_partners_of_buyer()
    # The Aurora maker offers what the Aurora buyer seeks, but they share a city.
    assert not Introduction.objects.filter(business_a=buyer, business_b=neighbour).exists()


@pytest.mark.sqlite
def test_a_better_candidate_replaces_a_worse_unreviewed_proposal_but_never_a_decided_one(brake_market, settings, staff):
    buyer, sellers, _ = brake_market
    settings.MATCHING_OPEN_PROPOSALS_PER_FIRM = 2
    runs.run_matching_now(full=True)
    first, second = Introduction.objects.filter(business_a=buyer, status=Status.PROPOSED).order_by("-score", "pk")
    introductions.approve_introduction(actor=staff, introduction=first)
    # An unproposed seller is verified: it now outscores the proposal left unreviewed.
    better = next(s for s in sellers if s.pk not in (first.business_b_id, second.business_b_id))
    directory_services.verify_business(actor=staff, business=better)
    runs.run_matching_now(full=True)

    assert {i.business_b_id: i.status for i in Introduction.objects.filter(business_a=buyer, status__in=OPEN)} == {
        first.business_b_id: Status.APPROVED, better.pk: Status.PROPOSED}
    second.refresh_from_db()
    assert second.status == Status.WITHDRAWN
    assert list(second.events.values_list("action", flat=True)) == ["withdrawn"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_chunks_scored_side_by_side_never_exceed_the_cap(make_business, database_search, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks and concurrent transactions")
    settings.MATCHING_OPEN_PROPOSALS_PER_FIRM = 2
    settings.MATCHING_CHUNK_SIZE = 1  # every firm its own chunk, all written at once
    buyer = make_business(name="Front Range Brake Supply", seeks_hs=["870830"], seeks_text="", trade_roles=["importer"])
    for city in ("seongnam", "chihuahua", "zielona-gora", "new-taipei-city", "adama", "ilopango"):
        make_business(name=f"Brake Maker {city}", city=city, offers_hs=["870830"], seeks_hs=[], seeks_text="",
                      trade_roles=["exporter"], description="Brake maker.")
    run, chunks = runs.start_run(full=True)
    start, errors = threading.Barrier(len(chunks)), []

    def process(index, ids):
        try:
            start.wait(10)
            runs.process_chunk(run_id=run.pk, index=index, business_ids=ids)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=process, args=(index, ids)) for index, ids in enumerate(chunks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert not Introduction.objects.exists()  # chunks only score; the close writes
    runs.close_run(run_id=run.pk)
    assert open_counts()[buyer.pk] == 2


@pytest.mark.sqlite
def test_a_dismissed_pair_cools_off_unless_a_side_changes_what_it_trades(brake_market, settings, staff):
    buyer, sellers, _ = brake_market
    runs.run_matching_now(full=True)
    introduction = Introduction.objects.get(business_a=buyer, business_b=sellers[0])
    introductions.dismiss_introduction(actor=staff, introduction=introduction, reason="timing")

    runs.run_matching_now(full=True)
    assert Introduction.objects.get(pk=introduction.pk).status == Status.DISMISSED

    # The seller now also offers something else: the pair may be judged afresh.
    directory_services.update_business(actor=sellers[0].owner, business=sellers[0],
                                       data={"offers_hs": ["870830", "870840"]})
    directory_services.publish_business_changes(actor=staff, business=sellers[0])
    runs.run_matching_now(full=False)
    assert Introduction.objects.get(pk=introduction.pk).status == Status.PROPOSED

    # Dismissed, nothing changed, and the cooling-off is over (here: none at all).
    other = Introduction.objects.get(business_a=buyer, business_b=sellers[1])
    introductions.dismiss_introduction(actor=staff, introduction=other, reason="timing")
    runs.run_matching_now(full=True)
    assert Introduction.objects.get(pk=other.pk).status == Status.DISMISSED
    settings.MATCHING_COOLING_OFF_DAYS = 0
    runs.run_matching_now(full=True)
    assert Introduction.objects.get(pk=other.pk).status == Status.PROPOSED


@pytest.mark.sqlite
def test_an_incremental_run_looks_only_at_firms_changed_since_the_last_success(brake_market, staff):
    buyer, sellers, _ = brake_market
    first = runs.run_matching_now(full=False)
    assert first.mode == MatchRun.Mode.FULL  # nothing succeeded before
    directory_services.update_business(actor=sellers[1].owner, business=sellers[1], data={"offers_text": "brake rotors"})
    directory_services.publish_business_changes(actor=staff, business=sellers[1])
    second = runs.run_matching_now(full=False)
    assert second.mode == MatchRun.Mode.INCREMENTAL and second.firms_considered == 1


@pytest.mark.sqlite
def test_only_one_run_at_a_time_and_a_dead_run_releases_the_lock(brake_market, settings):
    run, chunks = runs.start_run(full=True)
    with pytest.raises(runs.RunInProgress):
        runs.start_run(full=True)
    MatchRun.objects.filter(pk=run.pk).update(
        started_at=timezone.now() - timedelta(hours=settings.MATCHING_RUN_TIMEOUT_HOURS + 1)
    )
    second, _ = runs.start_run(full=True)
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.FAILED
    assert second.status == MatchRun.Status.RUNNING


@pytest.mark.sqlite
def test_a_chunk_delivered_twice_changes_nothing(brake_market):
    run, chunks = runs.start_run(full=True)
    runs.process_chunk(run_id=run.pk, index=0, business_ids=chunks[0])
    first = sorted(MatchCandidate.objects.values_list("business_a_id", "business_b_id", "score"))
    runs.process_chunk(run_id=run.pk, index=0, business_ids=chunks[0])
    assert sorted(MatchCandidate.objects.values_list("business_a_id", "business_b_id", "score")) == first != []
    assert MatchRunChunk.objects.filter(run=run).count() == 1
    closed = runs.close_run(run_id=run.pk)
    made = sorted(Introduction.objects.values_list("business_a_id", "business_b_id", "score"))
    assert closed.proposals_created == len(made) > 0 and set(made) <= set(first)
    assert closed.candidates_scored == MatchRunChunk.objects.get().candidates_scored
    assert not MatchCandidate.objects.exists()  # a closed run keeps its proposals, not its workings
    # The close delivered twice writes nothing more.
    assert runs.close_run(run_id=run.pk).proposals_created == len(made)
    assert sorted(Introduction.objects.values_list("business_a_id", "business_b_id", "score")) == made


@pytest.mark.sqlite
def test_a_runs_proposals_do_not_depend_on_the_order_its_chunks_finish_in(brake_market, settings):
    settings.MATCHING_OPEN_PROPOSALS_PER_FIRM = 2
    settings.MATCHING_CHUNK_SIZE = 1

    def run_in(order):
        with transaction.atomic():
            run, chunks = runs.start_run(full=True)
            for index in order(len(chunks)):
                runs.process_chunk(run_id=run.pk, index=index, business_ids=chunks[index])
            runs.close_run(run_id=run.pk)
            made = sorted(Introduction.objects.values_list("business_a_id", "business_b_id", "score"))
            transaction.set_rollback(True)
        return made

    in_order = run_in(lambda n: range(n))
    assert in_order and run_in(lambda n: reversed(range(n))) == in_order
    assert run_in(lambda n: [*range(1, n), 0]) == in_order


@pytest.fixture
def small_chunks(settings):
    settings.MATCHING_CHUNK_SIZE = 2  # several chunks, so the chord has work to join


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_through_a_real_worker_records_a_finished_run(brake_market, small_chunks, celery_worker_process):
    run_id = tasks.run_matching.apply_async(kwargs={"full": True}).get(timeout=60)
    deadline = timezone.now() + timedelta(seconds=60)
    run = MatchRun.objects.get(pk=run_id)
    while run.status == MatchRun.Status.RUNNING and timezone.now() < deadline:
        time.sleep(0.2)
        run.refresh_from_db()
    assert run.status == MatchRun.Status.SUCCEEDED, celery_worker_process["log"].read_text()[-3000:]
    assert run.chunks_total == 3 and run.chunks.count() == 3
    # The buyer and the Aurora maker (which seeks brake pads in words) each meet the four sellers.
    assert run.proposals_created == Introduction.objects.count() == 8
    assert Business.objects.count() == 6


def test_partners_read_with_the_profile_fields_alone_make_the_same_profiles_in_one_query(
    make_business, django_assert_num_queries
):
    from matching.selectors import profile_for, public_businesses_by_id, public_profiles_by_id

    firms = [
        make_business(name="Seongnam Sensor Works", city="seongnam", offers_hs=["903289"], seeks_text="copper wire",
                      naics=["334513"], trade_roles=["exporter"], languages=["ko", "en"]),
        make_business(name="Front Range Fabrication", offers_hs=[], offers_text="steel brackets and bike frames",
                      seeks_hs=["903289"]),
        make_business(name="Zielona Wine Cellar", city="zielona-gora", status=Business.Status.DRAFT),
    ]
    ids = [firm.pk for firm in firms]
    now = timezone.now()
    expected = {pk: profile_for(firm, now=now) for pk, firm in public_businesses_by_id(ids).items()}
    with django_assert_num_queries(1):
        profiles = public_profiles_by_id(ids, now=now)
    assert set(profiles) == set(ids[:2])  # the draft is not public
    assert profiles == expected
