"""Every write to the directory that matters, one function per use case.

Each function checks who may act, changes the rows in one transaction,
records an event and, when the profile's public face may have changed, tells
the search index in that same transaction (search.indexing). Callers (API views, the import command, tasks, the admin)
pass already-parsed values; the rules live here.

A firm's own changes to what a published firm is (its name, city, offers
and needs) wait in a BusinessRevision until a moderator publishes them;
the published version stays live meanwhile.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from search import indexing

from . import glossary, selectors, taxonomy
from . import duplicates
from .models import MATERIAL_FIELDS, Business, BusinessEvent, BusinessRevision, BusinessTerm
from .models import ProfileFlag, ProfileMerge

Status = Business.Status

# Fields a firm edits on its own profile. Status, ownership, verification and
# the import key are set only by the functions below.
EDITABLE_FIELDS = (
    "name", "city", "address", "website", "founded_year", "employees",
    "description", "description_language", "naics", "offers_hs", "offers_text",
    "seeks_hs", "seeks_text", "trade_roles", "languages", "certifications",
    "contact_name", "contact_email", "contact_phone",
)
TERM_FIELDS = {
    BusinessTerm.Kind.NAICS: "naics",
    BusinessTerm.Kind.OFFERS: "offers_hs",
    BusinessTerm.Kind.SEEKS: "seeks_hs",
    BusinessTerm.Kind.OFFERS_READ: "suggested_offers_hs",
    BusinessTerm.Kind.SEEKS_READ: "suggested_seeks_hs",
    BusinessTerm.Kind.TRADE_ROLE: "trade_roles",
    BusinessTerm.Kind.LANGUAGE: "languages",
}
TERM_FIELD_NAMES = frozenset(TERM_FIELDS.values())


class InvalidTransition(Exception):
    """The profile is not in a state that allows this action (HTTP 409)."""


# --- creating and editing -------------------------------------------------------


def create_business(*, actor, data):
    """A firm's new profile, as a draft owned by the person creating it."""
    with transaction.atomic():
        business = Business(owner=actor, status=Status.DRAFT)
        changed = _assign(business, data)
        business.slug = _unique_slug(business.name)
        _save_profile(business, actor=actor, action="created", changed=changed, to_status=business.status)
        flag_likely_duplicates(business=business)
    return business


def update_business(*, actor, business, data):
    """Edit a profile.

    On a published profile, changes to what the firm is (MATERIAL_FIELDS)
    made by its own people wait for a moderator in a pending revision, and
    the published version stays live, unchanged, until one publishes them;
    the other fields apply at once. A moderator's edits apply at once, but a
    volunteer may not move a firm to a city they do not look after.
    """
    viewer = selectors.viewer_for(actor)
    _require_manager_or_moderator(viewer, business)
    with transaction.atomic():
        business = _lock(business)
        if business.status == Status.ARCHIVED:
            raise InvalidTransition(_("An archived profile cannot be edited."))
        city = data.get("city")
        new_city_id = city.pk if city is not None else business.city_id
        if not viewer.can_manage(business) and not viewer.can_moderate_city(new_city_id):
            raise PermissionDenied(_("A volunteer may move a firm only to a city they look after."))
        moderated = viewer.can_moderate(business) and viewer.can_moderate_city(new_city_id)
        if business.status == Status.PUBLISHED and not moderated:
            _propose_changes(business, actor=actor, data={k: v for k, v in data.items() if k in MATERIAL_FIELDS})
            data = {k: v for k, v in data.items() if k not in MATERIAL_FIELDS}
        changed = _assign(business, data)
        if changed:
            _save_profile(business, actor=actor, action="edited", changed=changed, note=", ".join(sorted(changed)))
            flag_likely_duplicates(business=business, changed=changed)
    return business


def publish_business_changes(*, actor, business, note=""):
    """A moderator accepts the changes waiting on a published profile: they
    go live the way any edit does (terms, search index, history)."""
    viewer = selectors.viewer_for(actor)
    _require_moderator(viewer, business)
    with transaction.atomic():
        business = _lock(business)
        if business.status == Status.ARCHIVED:
            raise InvalidTransition(_("An archived profile cannot be edited."))
        revision = _pending_revision(business)
        data = revision.proposed()
        if "city" in data:
            if data["city"] is None:
                raise ValidationError({"city": _("The proposed city no longer exists; reject these changes.")})
            if not viewer.can_moderate_city(data["city"].pk):
                raise PermissionDenied(_("Only staff, or a volunteer for the new city as well, may move this firm."))
        changed = _assign(business, data)
        _require_complete(business)
        revision.delete()
        _save_profile(business, actor=actor, action="changes_published", changed=changed,
                      note=note or ", ".join(sorted(changed)))
        flag_likely_duplicates(business=business, changed=changed)
    return business


def reject_business_changes(*, actor, business, reason):
    """A moderator turns down the changes waiting on a published profile,
    which stays as it is; the firm reads the reason in its history."""
    _require_moderator(selectors.viewer_for(actor), business)
    _require_reason(reason)
    with transaction.atomic():
        business = _lock(business)
        _pending_revision(business).delete()
        _record(business, actor=actor, action="changes_rejected", note=reason)
    return business


def save_admin_edit(*, actor, business, changed):
    """A staff edit made in the Django admin, whose form has already set the
    fields: save it with the same side effects as an API edit."""
    if not selectors.viewer_for(actor).can_moderate(business):
        raise PermissionDenied(_("Only staff may edit profiles in the admin."))
    with transaction.atomic():
        _save_profile(business, actor=actor, action="edited", changed=changed,
                      note="admin: " + ", ".join(sorted(changed)))
    return business


def delete_business(*, actor, business):
    """Remove a profile for good (spam, a duplicate). Archive is the usual way out;
    this one also takes the profile out of the search index."""
    if not selectors.viewer_for(actor).is_staff:
        raise PermissionDenied(_("Only staff may delete a profile."))
    with transaction.atomic():
        pk = business.pk
        business.delete()
        indexing.business_deleted(pk)


# --- moderation lifecycle ---------------------------------------------------------


def submit_business(*, actor, business):
    """The owner asks staff to review the profile."""
    _require_manager(actor, business)
    with transaction.atomic():
        business = _lock(business)
        _require_status(business, {Status.DRAFT, Status.REJECTED}, "submit")
        _require_complete(business)
        business.submitted_at = timezone.now()
        flag_likely_duplicates(business=business)
        return _move(business, actor=actor, action="submitted", to=Status.PENDING_REVIEW)


def publish_business(*, actor, business, note="", verify=False):
    _require_moderator(selectors.viewer_for(actor), business)
    with transaction.atomic():
        business = _lock(business)
        _require_status(business, {Status.DRAFT, Status.PENDING_REVIEW, Status.SUSPENDED}, "publish")
        _require_complete(business)
        now = timezone.now()
        business.published_at = business.published_at or now
        business.confirmed_at = now
        business.expiry_reminder_sent_at = None
        if verify:
            business.verified_at, business.verified_by = now, actor
        return _move(business, actor=actor, action="published", to=Status.PUBLISHED, note=note)


def reject_business(*, actor, business, reason):
    _require_moderator(selectors.viewer_for(actor), business)
    _require_reason(reason)
    with transaction.atomic():
        business = _lock(business)
        _require_status(business, {Status.PENDING_REVIEW}, "reject")
        business.moderation_note = reason
        return _move(business, actor=actor, action="rejected", to=Status.REJECTED, note=reason)


def suspend_business(*, actor, business, reason):
    _require_moderator(selectors.viewer_for(actor), business)
    _require_reason(reason)
    with transaction.atomic():
        business = _lock(business)
        _require_status(business, {Status.PUBLISHED}, "suspend")
        business.moderation_note = reason
        business = _move(business, actor=actor, action="suspended", to=Status.SUSPENDED, note=reason)
        _close_introductions(business, actor=actor, reason=f"suspended: {reason}")
        return business


def archive_business(*, actor, business, note=""):
    """The firm leaves the network (or staff retire the profile); kept for history."""
    _require_manager_or_moderator(selectors.viewer_for(actor), business)
    with transaction.atomic():
        business = _lock(business)
        _require_status(
            business, {Status.DRAFT, Status.REJECTED, Status.PUBLISHED, Status.SUSPENDED}, "archive"
        )
        business = _move(business, actor=actor, action="archived", to=Status.ARCHIVED, note=note)
        _close_introductions(business, actor=actor, reason=f"archived: {note}".strip(": "))
        return business


def confirm_business(*, actor, business):
    """The owner says the profile is still true; it stays listed another year.

    A lapsed profile comes back to the listings the moment it is confirmed.
    Staff may confirm on the firm's behalf (after a phone call, say).
    """
    _require_manager_or_moderator(selectors.viewer_for(actor), business)
    with transaction.atomic():
        business = _lock(business)
        _require_status(business, {Status.PUBLISHED}, "confirm")
        business.confirmed_at = timezone.now()
        business.expiry_reminder_sent_at = None
        _save_profile(business, actor=actor, action="confirmed")
    return business


def verify_business(*, actor, business, note=""):
    """Staff checked the firm is real (registration, website, a call)."""
    _require_moderator(selectors.viewer_for(actor), business)
    with transaction.atomic():
        business = _lock(business)
        if business.status == Status.ARCHIVED:
            raise InvalidTransition(_("An archived profile cannot be verified."))
        business.verified_at, business.verified_by = timezone.now(), actor
        _save_profile(business, actor=actor, action="verified", note=note)
    return business


def assign_owner(*, actor, business, owner):
    """Staff hand a profile (typically an imported one) to the firm's own account."""
    if not selectors.viewer_for(actor).is_staff:
        raise PermissionDenied(_("Only staff may change who owns a profile."))
    with transaction.atomic():
        business = _lock(business)
        previous = business.owner
        business.owner = owner
        business.save()
        _record(business, actor=actor, action="owner_changed",
                note=f"{previous.username if previous else '-'} -> {owner.username if owner else '-'}")
    return business


# --- freshness --------------------------------------------------------------------


def remind_expiring_profiles(*, now=None):
    """Promise the people of every profile that lapses within the reminder
    window an email, once per confirmation period. Returns how many were reminded.

    The email goes through the outbox (sent after commit, each on its own),
    so one address the mail server refuses neither stops the others nor
    makes the whole batch run again."""
    # The outbox lives with the workflows that promise most emails, and it
    # reads this module: import it when reminding, not when loading.
    from matching import notifications

    now = now or timezone.now()
    reminded = 0
    for business in selectors.profiles_due_for_reminder(now=now):
        with transaction.atomic():
            # Claim the row first, so a second worker running the same task skips it.
            claimed = (
                Business.objects.filter(pk=business.pk, expiry_reminder_sent_at=business.expiry_reminder_sent_at)
                .update(expiry_reminder_sent_at=now)
            )
            if not claimed:
                continue
            recipients = notifications.recipients_of(business)
            language = notifications.language_for(business)
            notifications.promise(
                # One promise per business and confirmation period.
                key=f"business:{business.pk}:expiry-reminder:{business.expires_at:%Y%m%dT%H%M%S}",
                template="directory/email/expiry_reminder.txt", to=recipients, language=language,
                context={"business": business, "expires_at": business.expires_at,
                         "link": f"{settings.SITE_URL}/{language}/me/"},
            )
            _record(business, actor=None, action="expiry_reminder_sent", note=", ".join(recipients))
            reminded += 1
    return reminded


# --- import -----------------------------------------------------------------------


def import_business(*, data, external_id, status):
    """Create or update one imported profile, keyed by its external id.

    Returns (business, outcome) with outcome "created", "updated" or
    "unchanged"; an unchanged row writes nothing, so re-running an import is
    free and leaves updated_at alone.
    """
    with transaction.atomic():
        business = Business.objects.select_for_update().filter(external_id=external_id).first()
        if business is None:
            business = Business(external_id=external_id, status=Status.DRAFT)
            changed = _assign(business, data)
            business.slug = _unique_slug(business.name)
            _save_profile(business, actor=None, action="imported", changed=changed, to_status=business.status)
            outcome = "created"
        else:
            changed = _assign(business, data)
            outcome = "updated" if changed else "unchanged"
            if changed:
                _save_profile(business, actor=None, action="imported", changed=changed, note=", ".join(sorted(changed)))
        if status != business.status and _import_may_move(business.status, status):
            now = timezone.now()
            if status == Status.PUBLISHED:
                business.published_at = business.published_at or now
                business.confirmed_at = now
            if status == Status.PENDING_REVIEW:
                business.submitted_at = now
            _move(business, actor=None, action="imported", to=status)
            outcome = "created" if outcome == "created" else "updated"
    return business, outcome


def _import_may_move(current, wanted):
    """An import may advance a profile along draft -> pending_review -> published,
    never pull back one that staff have published, suspended or archived."""
    order = [Status.DRAFT, Status.PENDING_REVIEW, Status.PUBLISHED]
    return current in order and wanted in order and order.index(wanted) > order.index(current)


# --- internals --------------------------------------------------------------------


def _assign(business, data):
    """Copy editable fields onto the instance; return the names that changed."""
    changed = set()
    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "city":
            same = business.city_id is not None and business.city_id == value.pk
        else:
            same = getattr(business, name) == value
        if not same:
            setattr(business, name, value)
            changed.add(name)
    return changed


def _save_profile(business, *, actor, action, changed=(), note="", from_status="", to_status=""):
    """Save a profile and what follows from any change to it, in the caller's
    transaction: its terms when codes or tags changed, the search index (by
    the outbox, so a slow or absent engine never fails the write) and an event."""
    if _suggest_codes(business):
        changed = {*changed, "suggested_offers_hs", "suggested_seeks_hs"}
    business.save()
    if set(changed) & TERM_FIELD_NAMES:
        _write_terms(business)
    indexing.business_changed(business)
    _record(business, actor=actor, action=action, from_status=from_status, to_status=to_status, note=note)
    return business


def _suggest_codes(business):
    """Read codes from the firm's words for each side it gave no codes for
    ("café verde de altura" -> 090111), for the firm to confirm and for
    search to find it by meanwhile. Returns whether they changed."""
    before = (business.suggested_offers_hs, business.suggested_seeks_hs)
    offers, seeks = glossary.read_profile(business)
    business.suggested_offers_hs, business.suggested_seeks_hs = list(offers), list(seeks)
    return (business.suggested_offers_hs, business.suggested_seeks_hs) != before


def confirm_suggested_codes(*, actor, business, offers=True, seeks=True):
    """The firm takes the codes read from its words as its own. This is an
    ordinary edit of its codes, moderated like any other."""
    _require_manager_or_moderator(selectors.viewer_for(actor), business)
    data = {}
    if offers and business.suggested_offers_hs and not business.offers_hs:
        data["offers_hs"] = list(business.suggested_offers_hs)
    if seeks and business.suggested_seeks_hs and not business.seeks_hs:
        data["seeks_hs"] = list(business.suggested_seeks_hs)
    if not data:
        raise InvalidTransition(_("There are no suggested codes to confirm."))
    return update_business(actor=actor, business=business, data=data)


def _propose_changes(business, *, actor, data):
    """Fold material changes into the profile's pending revision.

    The revision holds only what differs from the published version, so an
    owner who sets a field back withdraws that part of the proposal, and an
    edit that proposes nothing new records nothing.
    """
    revision = BusinessRevision.objects.filter(business=business).first()
    before = dict(revision.changes) if revision else {}
    changes = {**before, **{name: value.pk if name == "city" else value for name, value in data.items()}}
    changes = {name: value for name, value in changes.items() if value != _published_value(business, name)}
    if changes == before:
        return
    if not changes:
        revision.delete()
        _record(business, actor=actor, action="changes_withdrawn")
        return
    revision = revision or BusinessRevision(business=business)
    revision.changes, revision.proposed_by, revision.proposed_at = changes, actor, timezone.now()
    revision.save()
    _record(business, actor=actor, action="changes_proposed", note=", ".join(sorted(changes)))


def _published_value(business, name):
    return business.city_id if name == "city" else getattr(business, name)


def _pending_revision(business):
    revision = BusinessRevision.objects.filter(business=business).first()
    if revision is None:
        raise InvalidTransition(_("This profile has no changes waiting for review."))
    return revision


def _write_terms(business):
    BusinessTerm.objects.filter(business=business).delete()
    BusinessTerm.objects.bulk_create(terms_for(business))


def terms_for(business):
    """The BusinessTerm rows a profile should have: codes with their ancestors, tags as they are."""
    values = set()
    for kind, field_name in TERM_FIELDS.items():
        codes = getattr(business, field_name) or []
        if kind == BusinessTerm.Kind.NAICS:
            codes = taxonomy.with_ancestors(codes, "naics")
        elif kind in (BusinessTerm.Kind.OFFERS, BusinessTerm.Kind.SEEKS, BusinessTerm.Kind.OFFERS_READ,
                      BusinessTerm.Kind.SEEKS_READ):
            codes = taxonomy.with_ancestors(codes, "hs")
        values.update((kind, code) for code in codes)
    return [BusinessTerm(business=business, kind=kind, value=value) for kind, value in sorted(values)]


def _unique_slug(name):
    base = slugify(name, allow_unicode=True)[:200] or "business"
    slug, n = base, 2
    while Business.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _lock(business):
    return Business.objects.select_for_update().select_related("city").get(pk=business.pk)


def _move(business, *, actor, action, to, note=""):
    from_status = business.status
    business.status = to
    return _save_profile(business, actor=actor, action=action, from_status=from_status, to_status=to, note=note)


def _close_introductions(business, *, actor, reason):
    """A firm out of the directory takes no further part in introductions."""
    from matching.introductions import close_open_introductions  # matching builds on the directory, not the reverse

    close_open_introductions(business=business, reason=reason, actor=actor)


def _record(business, *, actor, action, from_status="", to_status="", note=""):
    BusinessEvent.objects.create(
        business=business, actor=actor, action=action, from_status=from_status, to_status=to_status, note=note
    )


def _require_manager(actor, business):
    if not selectors.viewer_for(actor).can_manage(business):
        raise PermissionDenied(_("Only the firm's owner or members may do this."))


def _require_manager_or_moderator(viewer, business):
    if not (viewer.can_manage(business) or viewer.can_moderate(business)):
        raise PermissionDenied(_("Only the firm's own people and staff may do this."))


def _require_moderator(viewer, business):
    if not viewer.can_moderate(business):
        raise PermissionDenied(_("Only staff, or a volunteer for this city, may moderate this profile."))


def _require_status(business, allowed, verb):
    if business.status not in allowed:
        raise InvalidTransition(
            f"A {business.get_status_display().lower()} profile cannot be {_PAST[verb]}."
        )


_PAST = {"submit": "submitted", "publish": "published", "reject": "rejected",
         "suspend": "suspended", "archive": "archived", "confirm": "confirmed"}


def _require_reason(reason):
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why, so the firm knows what to change.")})


def _require_complete(business):
    errors = {}
    if not business.description.strip():
        errors["description"] = _("Describe the firm before it is reviewed.")
    if not (business.offers_hs or business.offers_text.strip() or business.seeks_hs or business.seeks_text.strip()):
        errors["offers_text"] = _("Say what the firm offers or seeks (HS codes or words).")
    if errors:
        raise ValidationError(errors)


# --- accounts and personal data ------------------------------------------------------


def supported_language(tag, default=settings.LANGUAGE_CODE):
    """The interface language closest to a BCP 47 tag ("zh-Hant-TW" -> "zh-hant",
    "es-MX" -> "es"), or `default` when the network does not speak it."""
    tag = (tag or "").lower().replace("_", "-")
    codes = [code for code, _label in settings.LANGUAGES]
    if tag in codes:
        return tag
    base = tag.split("-")[0]
    if base == "zh":
        return "zh-hant"
    return base if base in codes else default


def set_preferred_language(*, user, language):
    """Remember the language a person chose; their pages and emails follow it."""
    language = supported_language(language)
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return language


ERASED_FIELDS = ("contact_name", "contact_email", "contact_phone", "address")


def delete_account(*, user):
    """A person leaves the network and takes their data with them.

    A firm they owned alone is archived and its private fields erased; it stays
    as a row so the other firms keep their introduction history, where it now
    shows as a former member. A firm with other members passes to one of them.
    Their address is taken out of the stored emails, their saved-search
    digests are deleted, and the account deleted (its saved searches with it).
    """
    from matching.models import OutgoingEmail  # matching builds on the directory, not the reverse
    from search import digests as saved_search_digests  # it reads this module

    now = timezone.now()
    with transaction.atomic():
        firm_ids = list(Business.objects.filter(Q(owner=user) | Q(members=user)).values_list("pk", flat=True))
        for business in Business.objects.select_for_update().filter(owner=user).order_by("pk"):
            successor = business.members.exclude(pk=user.pk).order_by("pk").first()
            if successor is not None:
                business.owner = successor
                business.members.remove(successor)
                business.save()
                _record(business, actor=None, action="owner_changed", note="the owner deleted their account")
                continue
            for name in ERASED_FIELDS:
                setattr(business, name, "")
            business.erased_at = now
            business.owner = None
            if business.status == Status.ARCHIVED:
                business.save()
                indexing.business_changed(business)
            else:
                _move(business, actor=None, action="archived", to=Status.ARCHIVED, note="the owner deleted their account")
                _close_introductions(business, actor=None, reason="archived: the owner deleted their account")
            _record(business, actor=None, action="erased", note="private fields erased at the owner's request")
        for business in Business.objects.filter(members=user):
            business.members.remove(user)
            _record(business, actor=None, action="member_left")
        if user.email:
            address = user.email.lower()
            their_emails = OutgoingEmail.objects.select_for_update().filter(
                Q(introduction__business_a_id__in=firm_ids) | Q(introduction__business_b_id__in=firm_ids)
            )
            for email in their_emails:
                to = [a for a in email.to if a.lower() != address]
                cc = [a for a in email.cc if a.lower() != address]
                if (to, cc) != (email.to, email.cc):
                    email.to, email.cc = to, cc
                    email.save(update_fields=["to", "cc"])
        saved_search_digests.forget(user=user)
        user.delete()


# --- duplicates, reports and merges ---------------------------------------------------


class AlreadyReported(InvalidTransition):
    """The person's earlier report of this profile is still open (HTTP 409)."""


REPORT_NOTE_MAX_LENGTH = 2000


def flag_likely_duplicates(*, business, changed=None):
    """Put a profile on the moderation queue beside each live profile it
    probably duplicates (directory.duplicates). Called inside the
    transaction that created, edited or submitted it; `changed`, from an
    edit, skips the search when no field that could match was touched.

    A pair is flagged once: a flag staff dismissed is not raised again by
    later edits, and an open one only learns what else the two share.
    """
    if changed is not None and not set(changed) & duplicates.WATCHED_FIELDS:
        return []
    flags = []
    for resemblance in duplicates.likely_duplicates(business):
        other = resemblance.other
        flag = (
            ProfileFlag.objects.filter(kind=ProfileFlag.Kind.DUPLICATE)
            .filter(Q(business=business, other=other) | Q(business=other, other=business))
            .first()
        )
        if flag is None:
            try:
                with transaction.atomic():  # a concurrent edit of the other profile may flag the pair first
                    flag = ProfileFlag.objects.create(
                        business=business, other=other, kind=ProfileFlag.Kind.DUPLICATE,
                        matched_on=list(resemblance.matched_on),
                    )
            except IntegrityError:
                continue
        elif flag.status == ProfileFlag.Status.OPEN and set(resemblance.matched_on) - set(flag.matched_on):
            flag.matched_on = [m for m in (duplicates.WEBSITE, duplicates.CONTACT_EMAIL, duplicates.NAME)
                               if m in flag.matched_on or m in resemblance.matched_on]
            flag.save(update_fields=["matched_on"])
        flags.append(flag)
    return flags


def report_business(*, actor, business, reason, note=""):
    """Anyone signed in tells the moderators something is wrong with a profile
    they can see. One open report per person and profile: a second one waits
    until staff have dealt with the first."""
    viewer = selectors.viewer_for(actor)
    if not viewer.is_authenticated:
        raise PermissionDenied(_("Sign in to report a profile."))
    if not selectors.visible_businesses(viewer=viewer).filter(pk=business.pk).exists():
        raise PermissionDenied(_("You cannot see this profile."))
    note = (note or "").strip()
    errors = {}
    if reason not in ProfileFlag.Reason.values:
        errors["reason"] = _("Choose one of: %(reasons)s.") % {"reasons": ", ".join(ProfileFlag.Reason.values)}
    elif reason == ProfileFlag.Reason.OTHER and not note:
        errors["note"] = _("Say what is wrong with the profile.")
    if len(note) > REPORT_NOTE_MAX_LENGTH:
        errors["note"] = _("Keep it under %(n)s characters.") % {"n": REPORT_NOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    already = _("You have already reported this profile; staff will look at it.")
    if _open_reports(business).filter(reporter=actor).exists():
        raise AlreadyReported(already)
    try:
        with transaction.atomic():
            return ProfileFlag.objects.create(
                business=business, kind=ProfileFlag.Kind.REPORT, reporter=actor, reason=reason, note=note,
            )
    except IntegrityError:  # the same report sent twice at once
        raise AlreadyReported(already) from None


def dismiss_flag(*, actor, flag, note=""):
    """A moderator looked and found nothing to do (not a duplicate, a baseless
    report). A dismissed duplicate pair is not flagged again."""
    with transaction.atomic():
        flag = ProfileFlag.objects.select_for_update().select_related("business").get(pk=flag.pk)
        _require_moderator(selectors.viewer_for(actor), flag.business)
        if flag.status != ProfileFlag.Status.OPEN:
            raise InvalidTransition(_("This flag is already resolved."))
        flag.status = ProfileFlag.Status.DISMISSED
        flag.resolved_by, flag.resolved_at, flag.resolution_note = actor, timezone.now(), (note or "").strip()
        flag.save()
    return flag


def merge_businesses(*, actor, business, into, add_members=False, note=""):
    """Fold a duplicate profile into the one listed first.

    The duplicate is archived and recorded as merged (ProfileMerge, and an
    event on both profiles). Its introductions move to the kept profile
    where that pair has none yet, and the open ones among the rest are
    closed; finished ones stay with the duplicate as history. With
    `add_members`, its owner and members become members of the kept profile
    (leave it off when the duplicate is someone impersonating the firm).
    Every open flag on the duplicate is resolved. The search index learns
    of the archived profile through the outbox, as with any archive.
    """
    if not selectors.viewer_for(actor).is_staff:
        raise PermissionDenied(_("Only staff may merge profiles."))
    if business.pk == into.pk:
        raise ValidationError({"into": _("A profile cannot be merged into itself.")})
    with transaction.atomic():
        locked = Business.objects.select_for_update().select_related("city").order_by("pk").in_bulk(
            [business.pk, into.pk]
        )
        business, into = locked[business.pk], locked[into.pk]
        if (business.created_at, business.pk) < (into.created_at, into.pk):
            raise ValidationError({"into": _(
                "%(into)s was listed after %(business)s: merge the newer profile into the older one."
            ) % {"into": into.name, "business": business.name}})
        for profile in (business, into):
            if profile.status == Status.ARCHIVED:
                raise InvalidTransition(_("%(name)s is archived and cannot take part in a merge.") % {"name": profile.name})
        moved, closed = _move_introductions(actor=actor, duplicate=business, into=into)
        added = _add_members(duplicate=business, into=into) if add_members else []
        note = (note or "").strip()
        ProfileMerge.objects.create(
            duplicate=business, into=into, actor=actor, introductions_moved=moved, introductions_closed=closed,
            members_added=len(added), note=note,
        )
        ProfileFlag.objects.filter(status=ProfileFlag.Status.OPEN).filter(
            Q(business=business) | Q(other=business)
        ).update(status=ProfileFlag.Status.MERGED, resolved_by=actor, resolved_at=timezone.now(),
                 resolution_note=f"merged into {into.slug}")
        _move(business, actor=actor, action="merged", to=Status.ARCHIVED,
              note=f"merged into {into.slug}" + (f": {note}" if note else ""))
        _record(into, actor=actor, action="merged_from",
                note=f"{business.slug}: {moved} introductions moved, {closed} closed"
                     + (f", members added: {', '.join(u.username for u in added)}" if added else ""))
    return into


def _move_introductions(*, actor, duplicate, into):
    """Re-point the duplicate's introductions at the kept profile; returns
    (moved, closed). A pair keeps one row with the smaller id as business_a,
    so each moved row is re-ordered, its acceptances following their firm."""
    # Matching builds on the directory; the merge is the one write that reaches into it.
    from matching.models import Introduction, IntroductionEvent

    open_statuses = (Introduction.Status.REQUESTED, Introduction.Status.PROPOSED, Introduction.Status.APPROVED)
    moved = closed = 0
    rows = Introduction.objects.select_for_update().filter(
        Q(business_a=duplicate) | Q(business_b=duplicate)
    ).order_by("pk")
    for introduction in rows:
        partner_id = introduction.business_b_id if introduction.business_a_id == duplicate.pk else introduction.business_a_id
        a, b = sorted((into.pk, partner_id))
        if partner_id == into.pk or Introduction.objects.filter(business_a_id=a, business_b_id=b).exists():
            if introduction.status in open_statuses:
                from_status = introduction.status
                # Closed, not dismissed: a dismissal would hold the partner to a cooling-off.
                introduction.status = Introduction.Status.CLOSED
                introduction.decided_at = timezone.now()
                introduction.save()
                IntroductionEvent.objects.create(
                    introduction=introduction, round=introduction.round, actor=actor, action="closed",
                    from_status=from_status, to_status=introduction.status,
                    note=f"duplicate: {duplicate.name} was merged into {into.name}", staff_only=True,
                )
                closed += 1
            continue
        accepted = {introduction.business_a_id: introduction.accepted_a_at,
                    introduction.business_b_id: introduction.accepted_b_at}
        accepted[into.pk] = accepted.pop(duplicate.pk)
        introduction.business_a_id, introduction.business_b_id = a, b
        introduction.accepted_a_at, introduction.accepted_b_at = accepted[a], accepted[b]
        if introduction.requested_by_id == duplicate.pk:
            introduction.requested_by_id = into.pk
        if introduction.declined_by_id == duplicate.pk:
            introduction.declined_by_id = into.pk
        introduction.save()
        IntroductionEvent.objects.create(
            introduction=introduction, round=introduction.round, actor=actor, action="moved", from_status=introduction.status,
            to_status=introduction.status, note=f"{duplicate.name} was merged into {into.name}", staff_only=True,
        )
        moved += 1
    return moved, closed


def _add_members(*, duplicate, into):
    people = [duplicate.owner, *duplicate.members.all()]
    present = {into.owner_id, *into.members.values_list("pk", flat=True)}
    added = []
    for person in people:
        if person is not None and person.pk not in present:
            added.append(person)
            present.add(person.pk)
    into.members.add(*added)
    return added


def _open_reports(business):
    return ProfileFlag.objects.filter(business=business, kind=ProfileFlag.Kind.REPORT, status=ProfileFlag.Status.OPEN)
