"""The daily saved-search digest: find what is new for each saved search, then
email each person one digest a day.

Finding runs the saved searches against the profiles published or changed
since the last run, never against the whole directory, so its cost grows
with the changes. It asks the database backend whatever engine serves the
pages: that index is written in the same transaction as the profile, so a
profile Elasticsearch has not indexed yet is not missed. Each (saved search,
profile) pair is recorded once, ever, which is what announces a profile once.

Sending is one email per person and day through the outbox
(matching.notifications), keyed by person and date, in the person's language.
The digest of a day lists the matching profiles that changed before that day
began, so a firm published today is announced tomorrow, whatever hour the
job runs. A profile that left the directory before its digest is not listed.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation

from directory.models import Business
from directory.services import supported_language

from . import selectors, services
from .backends import get_search_backend
from .models import SavedSearch, SavedSearchMatch, SavedSearchRun

# A change is looked at once it is this old: the transaction that made it has
# committed by then, so a change cannot fall behind the run's watermark unseen.
SETTLED = timedelta(minutes=5)
# Changed profiles are put to a saved search this many at a time.
BATCH_SIZE = 500


def run_daily(*, now=None):
    """The daily job: find, then send. Returns what each step did."""
    now = now or timezone.now()
    found = find_matches(now=now)
    return {**found, "emails": send_digests(now=now)}


def find_matches(*, now=None, batch_size=BATCH_SIZE):
    """Put every public profile changed since the last run to every saved
    search with alerts on that was saved before the change, and record what
    each finds. Returns counts: changed profiles, searches, profiles examined
    (the work done: changed profiles times the searches they were put to) and
    new matches."""
    now = now or timezone.now()
    searches = list(SavedSearch.objects.filter(alerts=True, created_at__lte=now).select_related("user").order_by("pk"))
    watermark = SavedSearchRun.objects.aggregate(latest=Max("changed_until"))["latest"]
    counts = {"changed": 0, "searches": len(searches), "examined": 0, "found": 0}
    changed = {}
    if searches:
        since = max(moment for moment in (watermark, min(s.created_at for s in searches)) if moment is not None)
        changed = dict(
            Business.objects.public(now).filter(updated_at__gt=since, updated_at__lte=now - SETTLED)
            .values_list("pk", "updated_at")
        )
    counts["changed"] = len(changed)
    backend = get_search_backend("database")
    managed = {}
    for search in searches:
        if search.user_id not in managed:
            managed[search.user_id] = _managed_by(search.user)
        # Only what changed after the search was saved is news to its owner,
        # and a person's own firms are never news to them.
        candidates = sorted(pk for pk, at in changed.items() if at > search.created_at and pk not in managed[search.user_id])
        counts["examined"] += len(candidates)
        counts["found"] += _record_matches(search, candidates, backend=backend, changed=changed, now=now,
                                           batch_size=batch_size)
    SavedSearchRun.objects.create(
        ran_at=now, changed_until=max(changed.values(), default=watermark), **counts,
    )
    return counts


def _managed_by(user):
    return set(Business.objects.filter(Q(owner=user) | Q(members=user)).values_list("pk", flat=True))


def _record_matches(search, candidates, *, backend, changed, now, batch_size):
    found = 0
    for start in range(0, len(candidates), batch_size):
        batch = candidates[start:start + batch_size]
        result = backend.search(selectors.query_for(search, ids=batch, page_size=len(batch)))
        hits = {hit.business.pk for hit in result.hits}
        known = set(SavedSearchMatch.objects.filter(saved_search=search, business_id__in=hits)
                    .values_list("business_id", flat=True))
        new = [SavedSearchMatch(saved_search=search, business_id=pk, changed_at=changed[pk], found_at=now)
               for pk in sorted(hits - known)]
        # A run started twice at once records each pair once all the same.
        SavedSearchMatch.objects.bulk_create(new, ignore_conflicts=True)
        found += len(new)
    return found


def send_digests(*, now=None):
    """Promise each person with matches due today one digest. Returns how many were promised."""
    now = now or timezone.now()
    day_began = _start_of_day(now)
    people = (
        SavedSearchMatch.objects.filter(emailed_at__isnull=True, changed_at__lt=day_began, saved_search__alerts=True)
        .values_list("saved_search__user_id", flat=True).distinct()
    )
    promised = 0
    for user in get_user_model().objects.filter(pk__in=list(people)).order_by("pk"):
        promised += _send_digest(user=user, now=now, day_began=day_began)
    return promised


def digest_key(*, user, day):
    return f"saved-searches:{user.pk}:{day.isoformat()}"


def _send_digest(*, user, now, day_began):
    """Promise one person today's digest and mark what it lists as emailed, in one transaction."""
    from matching import notifications  # the outbox; matching builds on search, not the reverse

    from matching.models import OutgoingEmail

    key = digest_key(user=user, day=timezone.localdate(now))
    with transaction.atomic():
        due = list(
            SavedSearchMatch.objects.select_for_update(of=("self",))
            .filter(saved_search__user=user, saved_search__alerts=True, emailed_at__isnull=True,
                    changed_at__lt=day_began)
            .select_related("saved_search", "business__city")
            .order_by("saved_search__created_at", "saved_search_id", "business__name", "business_id")
        )
        listed_ids = set(Business.objects.public(now).filter(pk__in=[m.business_id for m in due])
                         .values_list("pk", flat=True))
        # A profile that left the directory is not announced; if it comes back,
        # that is a change, and it is news again.
        SavedSearchMatch.objects.filter(pk__in=[m.pk for m in due if m.business_id not in listed_ids]).delete()
        listed = [m for m in due if m.business_id in listed_ids]
        if not listed or not user.email or OutgoingEmail.objects.filter(key=key).exists():
            # Nothing to say, nowhere to say it, or today's digest went already:
            # what was found since waits for tomorrow's.
            return 0
        language = supported_language(user.preferred_language)
        unsubscribe = services.unsubscribe_url(user=user, language=language)
        with translation.override(language):
            groups = _groups(listed)
        notifications.promise(
            key=key, template="search/email/digest.txt", to=[user.email], language=language,
            context={"groups": groups, "count": len({m.business_id for m in listed}), "unsubscribe": unsubscribe},
            # RFC 2369 and RFC 8058: mail readers offer their own one-click unsubscribe button.
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
        SavedSearchMatch.objects.filter(pk__in=[m.pk for m in listed]).update(emailed_at=now)
    return 1


def _groups(matches):
    """[{"description", "businesses"}] per saved search, in the active language."""
    groups = {}
    for match in matches:
        search = match.saved_search
        if search.pk not in groups:
            groups[search.pk] = {"description": " · ".join(selectors.describe(search)), "businesses": []}
        groups[search.pk]["businesses"].append(match.business)
    return list(groups.values())


def _start_of_day(now):
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))


def forget(*, user):
    """A person deleted their account: their digests, sent or waiting, go with
    it (each was to them alone; their saved searches go by cascade)."""
    from matching.models import OutgoingEmail

    OutgoingEmail.objects.filter(key__startswith=f"saved-searches:{user.pk}:").delete()
