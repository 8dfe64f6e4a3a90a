"""The introduction workflow.

requested | proposed -> approved | dismissed -> (both accept) introduced | declined | expired;
any open introduction -> closed when one of its firms leaves the directory.

Every transition checks who may act, locks the row, records an event and
promises its emails in the same transaction (sent after commit). A pair has
one row but many rounds: asking or proposing again after a no opens a new
round (open_round), and nothing of the last one carries over.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import selectors as directory_selectors
from directory import services as directory_services
from directory.models import Business, City

from . import notifications, selectors
from .models import Introduction, IntroductionApproval, IntroductionEvent

Status = Introduction.Status
OPEN = (Status.REQUESTED, Status.PROPOSED, Status.APPROVED)
# A no from a person; the pair rests for the cooling-off period before it is asked or proposed again.
REFUSED = (Status.DISMISSED, Status.DECLINED)


class InvalidTransition(directory_services.InvalidTransition):
    """The introduction is not in a state that allows this (HTTP 409)."""


class RateLimited(Exception):
    """Too many requests from one firm (HTTP 429)."""


def _blank_round():
    """What belongs to one round only; a new round starts from these values."""
    return {
        "message": "", "approval_message": "", "approved_by": None, "approved_at": None,
        "dismiss_reason": "", "dismiss_note": "", "accepted_a_at": None, "accepted_b_at": None,
        "declined_by": None, "decline_reason": "", "introduced_at": None, "reminder_sent_at": None,
        "followups_sent": [], "outcome": "", "outcome_value": None, "outcome_note": "", "outcome_at": None,
        "requested_by": None, "decided_at": None,
    }


def open_round(*, introduction, status):
    """Start the pair's next round in `status`, clearing every per-round field.
    The caller saves the row and records the event. A row not saved yet is round 1."""
    if introduction.pk is not None:
        introduction.round += 1
    for name, value in _blank_round().items():
        setattr(introduction, name, value)
    introduction.status = status
    return introduction


def lock_firms(*, business_ids):
    """Lock the firms' rows in id order, the order every locker uses, so none deadlock.
    Requests and matching runs take these locks before they touch a pair."""
    list(Business.objects.select_for_update().filter(pk__in=business_ids).order_by("pk").values_list("pk", flat=True))


def request_introduction(*, actor, target, requester=None, message=""):
    """A firm asks staff to introduce it to a profile it found."""
    viewer = directory_selectors.viewer_for(actor)
    managed = Business.objects.filter(pk__in=viewer.managed_ids)
    if requester is None:
        if managed.count() != 1:
            raise ValidationError({"from": _("Say which of your firms asks (the slug of one you manage).")})
        requester = managed.get()
    elif requester.pk not in viewer.managed_ids:
        raise PermissionDenied(_("You may ask only on behalf of a firm you manage."))
    if not requester.is_public:
        raise ValidationError({"from": _("Your profile must be published before it can ask for introductions.")})
    if not target.is_public or target.pk == requester.pk:
        raise ValidationError({"target": _("Introductions are made only to another published profile.")})
    since = timezone.now() - timedelta(days=1)
    # Counted by the requests made, not the rows: asking again for an old pair counts too.
    asked_today = IntroductionEvent.objects.filter(
        action="requested", created_at__gte=since, introduction__requested_by=requester
    ).count()
    if asked_today >= settings.INTRODUCTION_REQUESTS_PER_DAY:
        raise RateLimited(_("A firm may ask for %(count)s introductions a day.")
                          % {"count": settings.INTRODUCTION_REQUESTS_PER_DAY})
    a, b = sorted((requester.pk, target.pk))
    try:
        with transaction.atomic():
            # The firms' rows first, in id order, as a matching run takes them: two requests
            # for the same pair, or a request and a run, take turns instead of colliding.
            lock_firms(business_ids=[a, b])
            introduction = Introduction.objects.select_for_update().filter(business_a_id=a, business_b_id=b).first()
            if introduction is None:
                introduction = Introduction(business_a_id=a, business_b_id=b)
                from_status = ""
            else:
                _may_ask_again(introduction, requester)
                from_status = introduction.status
            open_round(introduction=introduction, status=Status.REQUESTED)
            introduction.requested_by = requester
            introduction.message = message
            introduction.save()
            _event(introduction, actor, "requested", from_status, note=message)
    except IntegrityError:
        # The other firm asked for the same pair at the same moment (a database without row locks).
        raise InvalidTransition(_("These firms already have an open introduction.")) from None
    return introduction


def _may_ask_again(introduction, requester):
    """Refuse a request for a pair that is open, introduced, or turned down
    within the cooling-off period. Says no more than the requester may see:
    an open proposal or the other firm's request stays unnamed."""
    if introduction.status in OPEN:
        raise InvalidTransition(_("These firms already have an open introduction."))
    if introduction.status == Status.INTRODUCED:
        raise InvalidTransition(_("These firms were already introduced."))
    if introduction.status not in REFUSED:
        return
    # What this firm saw refused: a decline by the other firm, or its own request dismissed.
    # The firm that declined may change its mind at any time.
    if introduction.status == Status.DECLINED:
        turned_down = introduction.declined_by_id != requester.pk
    else:
        turned_down = introduction.requested_by_id == requester.pk
    rests_until = (introduction.decided_at or introduction.updated_at) + timedelta(days=settings.MATCHING_COOLING_OFF_DAYS)
    if turned_down and timezone.now() < rests_until:
        raise InvalidTransition(
            _("This introduction was turned down recently; you may ask again after %(date)s.")
            % {"date": rests_until.date().isoformat()}
        )


def approve_introduction(*, actor, introduction, message=""):
    """Staff, and the coordinator of every city that asks for it, say the
    introduction is worth making; the last approval needed approves it."""
    with transaction.atomic():
        introduction = _lock_introduction(introduction)
        _require_state(introduction, (Status.PROPOSED, Status.REQUESTED),
                       _("An introduction that is %(status)s cannot be approved."))
        is_staff = bool(actor and actor.is_staff)
        coordinating = _coordinated_cities(actor, introduction)
        if not is_staff and not coordinating:
            raise PermissionDenied(_("Only staff, or the coordinator of one of the cities, may approve introductions."))
        _require_both_listed(introduction)
        for city_id in coordinating:
            IntroductionApproval.objects.get_or_create(introduction=introduction, round=introduction.round,
                                                       city_id=city_id, defaults={"user": actor})
        if is_staff:
            IntroductionApproval.objects.get_or_create(introduction=introduction, round=introduction.round,
                                                       city=None, defaults={"user": actor})
        if message:
            introduction.approval_message = message
        waiting_for = selectors.approval_waits_for(introduction=introduction)
        if waiting_for:
            introduction.save()
            _event(introduction, actor, "approval_recorded", introduction.status, introduction.status,
                   note="waiting for " + ("staff" if waiting_for == "staff" else "the city coordinator"))
            return introduction
        from_status = introduction.status
        introduction.status = Status.APPROVED
        introduction.approved_by = introduction.approvals.get(round=introduction.round, city=None).user
        introduction.approved_at = introduction.decided_at = timezone.now()
        introduction.save()
        _event(introduction, actor, "approved", from_status, note=message)
        _promise_to_each_firm(introduction, kind="approved")
    return introduction


def dismiss_introduction(*, actor, introduction, reason, note=""):
    if not (actor and (actor.is_staff or _coordinated_cities(actor, introduction))):
        raise PermissionDenied(_("Only staff, or the coordinator of one of the cities, may dismiss introductions."))
    if reason not in Introduction.DismissReason.values:
        raise ValidationError({"reason": _("Choose one of: %(choices)s.")
                               % {"choices": ", ".join(Introduction.DismissReason.values)}})
    with transaction.atomic():
        introduction = _lock_introduction(introduction)
        _require_state(introduction, (Status.PROPOSED, Status.REQUESTED),
                       _("An introduction that is %(status)s cannot be dismissed."))
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
        _require_state(introduction, (Status.APPROVED,), _("An introduction that is %(status)s cannot be accepted."))
        _require_both_listed(introduction)
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
        _require_state(introduction, (Status.APPROVED,), _("An introduction that is %(status)s cannot be declined."))
        introduction.status = Status.DECLINED
        introduction.declined_by, introduction.decline_reason = business, reason
        introduction.decided_at = timezone.now()
        introduction.save()
        _event(introduction, actor, "declined", Status.APPROVED, note=f"{business.name}: {reason}".strip(": "))
    return introduction


def record_outcome(*, actor, introduction, outcome, value=None, note=""):
    """Either firm or staff say what came of an introduction, any time after it."""
    if outcome not in Introduction.Outcome.values:
        raise ValidationError({"outcome": _("Choose one of: %(choices)s.")
                               % {"choices": ", ".join(Introduction.Outcome.values)}})
    if value is not None and outcome != Introduction.Outcome.DEAL:
        raise ValidationError({"value": _("A value goes with a deal only.")})
    with transaction.atomic():
        introduction = _lock_introduction(introduction)
        viewer = directory_selectors.viewer_for(actor)
        if not (viewer.is_staff or {introduction.business_a_id, introduction.business_b_id} & viewer.managed_ids):
            raise PermissionDenied(_("Only the two firms and staff may record an outcome."))
        _require_state(introduction, (Status.INTRODUCED,),
                       _("An introduction that is %(status)s cannot be given an outcome."))
        previous = introduction.outcome
        introduction.outcome, introduction.outcome_value, introduction.outcome_note = outcome, value, note
        introduction.outcome_at = timezone.now()
        introduction.save()
        _event(introduction, actor, "outcome", introduction.status, introduction.status,
               note=f"{previous or '-'} -> {outcome}" + (f" ({value})" if value is not None else "") + (f": {note}" if note else ""))
    return introduction


def close_open_introductions(*, business, reason, actor=None):
    """Close every open introduction of a firm that left the directory
    (suspended, archived). The reason is for staff; the firms read the status.
    Returns how many were closed."""
    closed = 0
    with transaction.atomic():
        mine = Q(business_a=business) | Q(business_b=business)
        for introduction in Introduction.objects.select_for_update().filter(mine, status__in=OPEN).order_by("pk"):
            from_status = introduction.status
            introduction.status = Status.CLOSED
            introduction.decided_at = timezone.now()
            introduction.save()
            _event(introduction, actor, "closed", from_status, note=reason, staff_only=True)
            closed += 1
    return closed


def remind_and_expire(*, now=None):
    """Hourly: remind firms that have not answered an approved introduction
    after 7 days, and expire it after 21. The clock is the round's approval.
    Returns (reminded, expired)."""
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


# --- emails ---------------------------------------------------------------------------------


def _email_key(introduction, kind, business=None):
    """A promise is one email per round: a later round's emails are new promises."""
    key = f"introduction:{introduction.pk}:round{introduction.round}:{kind}"
    return key if business is None else f"{key}:{business.pk}"


def _promise_introduction_email(introduction):
    """One email to both firms, the facilitator copied, each side's contact inside."""
    a, b = _pair(introduction)
    facilitator = introduction.approved_by.email if introduction.approved_by and introduction.approved_by.email else ""
    language = notifications.language_for(a) if notifications.language_for(a) == notifications.language_for(b) else "en"
    notifications.promise(
        key=_email_key(introduction, "introduced"), introduction=introduction, kind="introduced",
        to=notifications.recipients_of(a) + notifications.recipients_of(b), cc=[facilitator] if facilitator else [],
        language=language, context={"a": a, "b": b},
    )


def _promise_to_each_firm(introduction, *, kind, key=None, context=None, only_waiting=False):
    """One email per firm, about the other, in its own language; with
    `only_waiting`, only to a firm that has not accepted yet."""
    a, b = _pair(introduction)
    for business, other in ((a, b), (b, a)):
        if only_waiting and getattr(introduction, f"accepted_{introduction.side_of(business.pk)}_at"):
            continue
        notifications.promise(
            key=_email_key(introduction, key or kind, business), introduction=introduction, kind=kind,
            to=notifications.recipients_of(business), language=notifications.language_for(business),
            context={"business": business, "other": other, **(context or {})},
        )


# --- checks ---------------------------------------------------------------------------------


def _lock_introduction(introduction):
    return Introduction.objects.select_for_update().get(pk=introduction.pk)


def _pair(introduction):
    businesses = Business.objects.select_related("owner", "city").in_bulk(
        [introduction.business_a_id, introduction.business_b_id]
    )
    return businesses[introduction.business_a_id], businesses[introduction.business_b_id]


def _require_both_listed(introduction):
    """A firm suspended, archived or lapsed since the introduction began takes no further part."""
    listed = Business.objects.public().filter(pk__in=[introduction.business_a_id, introduction.business_b_id]).count()
    if listed != 2:
        raise InvalidTransition(_("One of these firms is no longer listed in the directory, so the introduction cannot go on."))


def _acting_side(actor, introduction, business):
    """The firm (of the two) on whose behalf the actor answers."""
    viewer = directory_selectors.viewer_for(actor)
    sides = {introduction.business_a_id, introduction.business_b_id} & viewer.managed_ids
    if business is not None:
        if business.pk not in sides:
            raise PermissionDenied(_("You may answer only for a firm of this introduction that you manage."))
        return business
    if not sides:
        raise PermissionDenied(_("Only the two firms may accept or decline an introduction."))
    if len(sides) > 1:
        raise ValidationError({"business": _("You manage both firms; say which one answers.")})
    return Business.objects.get(pk=sides.pop())


def _coordinated_cities(actor, introduction):
    if actor is None or not actor.is_authenticated:
        return set()
    pair_cities = Business.objects.filter(pk__in=[introduction.business_a_id, introduction.business_b_id]).values("city_id")
    return set(City.objects.filter(pk__in=pair_cities, coordinator=actor).values_list("pk", flat=True))


def _require_state(introduction, allowed, refusal):
    if introduction.status not in allowed:
        raise InvalidTransition(refusal % {"status": introduction.get_status_display().lower()})


def _event(introduction, actor, action, from_status, to_status=None, note="", staff_only=False):
    IntroductionEvent.objects.create(
        introduction=introduction, round=introduction.round, actor=actor, action=action, from_status=from_status,
        to_status=introduction.status if to_status is None else to_status, note=note, staff_only=staff_only,
    )
