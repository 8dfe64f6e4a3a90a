"""Every write to the directory that matters, one function per use case.

Each function checks who may act, changes the rows in one transaction,
records an event and, when the profile's public face may have changed, tells
the search index in that same transaction (search.indexing). Callers (API views, the import command, tasks, the admin)
pass already-parsed values; the rules live here.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from search import indexing

from . import selectors, taxonomy
from .models import Business, BusinessEvent, BusinessTerm

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
    BusinessTerm.Kind.TRADE_ROLE: "trade_roles",
    BusinessTerm.Kind.LANGUAGE: "languages",
}


class InvalidTransition(Exception):
    """The profile is not in a state that allows this action (HTTP 409)."""


# --- creating and editing -------------------------------------------------------


def create_business(*, actor, data):
    """A firm's new profile, as a draft owned by the person creating it."""
    with transaction.atomic():
        business = Business(owner=actor, status=Status.DRAFT)
        _assign(business, data)
        business.slug = _unique_slug(business.name)
        business.save()
        _write_terms(business)
        indexing.business_changed(business)
        _record(business, actor=actor, action="created", to_status=business.status)
    return business


def update_business(*, actor, business, data):
    _require_manager_or_moderator(actor, business)
    if "city" in data and data["city"].pk != business.city_id:
        # A volunteer moderates their own cities' profiles; moving one elsewhere
        # would place it beyond the moderators of the city it lands in.
        viewer = selectors.viewer_for(actor)
        if not (viewer.can_manage(business) or viewer.can_moderate(Business(city=data["city"]))):
            raise PermissionDenied("Only staff, or a volunteer for that city too, may move a profile to another city.")
    with transaction.atomic():
        business = _lock(business)
        if business.status == Status.ARCHIVED:
            raise InvalidTransition("An archived profile cannot be edited.")
        changed = _assign(business, data)
        if changed:
            business.save()
            if changed & set(TERM_FIELDS.values()):
                _write_terms(business)
            indexing.business_changed(business)
            _record(business, actor=actor, action="edited", note=", ".join(sorted(changed)))
    return business


def save_admin_edit(*, actor, business, changed):
    """A staff edit made in the Django admin, whose form has already set the
    fields: save it with the same side effects as an API edit."""
    if not selectors.viewer_for(actor).can_moderate(business):
        raise PermissionDenied("Only staff may edit profiles in the admin.")
    with transaction.atomic():
        business.save()
        if set(changed) & set(TERM_FIELDS.values()):
            _write_terms(business)
        indexing.business_changed(business)
        _record(business, actor=actor, action="edited", note="admin: " + ", ".join(sorted(changed)))
    return business


def delete_business(*, actor, business):
    """Remove a profile for good (spam, a duplicate). Archive is the usual way out;
    this one also takes the profile out of the search index."""
    if not selectors.viewer_for(actor).is_staff:
        raise PermissionDenied("Only staff may delete a profile.")
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
        return _move(business, actor=actor, action="submitted", to=Status.PENDING_REVIEW)


def publish_business(*, actor, business, note="", verify=False):
    _require_moderator(actor, business)
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
    _require_moderator(actor, business)
    _require_reason(reason)
    with transaction.atomic():
        business = _lock(business)
        _require_status(business, {Status.PENDING_REVIEW}, "reject")
        business.moderation_note = reason
        return _move(business, actor=actor, action="rejected", to=Status.REJECTED, note=reason)


def suspend_business(*, actor, business, reason):
    _require_moderator(actor, business)
    _require_reason(reason)
    with transaction.atomic():
        business = _lock(business)
        _require_status(business, {Status.PUBLISHED}, "suspend")
        business.moderation_note = reason
        return _move(business, actor=actor, action="suspended", to=Status.SUSPENDED, note=reason)


def archive_business(*, actor, business, note=""):
    """The firm leaves the network (or staff retire the profile); kept for history."""
    _require_manager_or_moderator(actor, business)
    with transaction.atomic():
        business = _lock(business)
        _require_status(
            business, {Status.DRAFT, Status.REJECTED, Status.PUBLISHED, Status.SUSPENDED}, "archive"
        )
        return _move(business, actor=actor, action="archived", to=Status.ARCHIVED, note=note)


def confirm_business(*, actor, business):
    """The owner says the profile is still true; it stays listed another year.

    A lapsed profile comes back to the listings the moment it is confirmed.
    Staff may confirm on the firm's behalf (after a phone call, say).
    """
    _require_manager_or_moderator(actor, business)
    with transaction.atomic():
        business = _lock(business)
        _require_status(business, {Status.PUBLISHED}, "confirm")
        business.confirmed_at = timezone.now()
        business.expiry_reminder_sent_at = None
        business.save()
        indexing.business_changed(business)
        _record(business, actor=actor, action="confirmed")
    return business


def verify_business(*, actor, business, note=""):
    """Staff checked the firm is real (registration, website, a call)."""
    _require_moderator(actor, business)
    with transaction.atomic():
        business = _lock(business)
        if business.status == Status.ARCHIVED:
            raise InvalidTransition("An archived profile cannot be verified.")
        business.verified_at, business.verified_by = timezone.now(), actor
        business.save()
        indexing.business_changed(business)
        _record(business, actor=actor, action="verified", note=note)
    return business


def assign_owner(*, actor, business, owner):
    """Staff hand a profile (typically an imported one) to the firm's own account."""
    if not selectors.viewer_for(actor).is_staff:
        raise PermissionDenied("Only staff may change who owns a profile.")
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
    """Email the owner of every profile that lapses within the reminder window,
    once per confirmation period. Returns how many were reminded."""
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
            recipient = business.owner.email if business.owner and business.owner.email else business.contact_email
            if recipient:
                _send_expiry_reminder(business, recipient)
            _record(business, actor=None, action="expiry_reminder_sent", note=recipient)
            reminded += 1
    return reminded


def _send_expiry_reminder(business, recipient):
    language = supported_language(business.owner.preferred_language if business.owner else "")
    with translation.override(language):
        context = {"business": business, "expires_at": business.expires_at,
                   "link": f"{settings.SITE_URL}/{language}/me/"}
        subject = render_to_string("directory/email/expiry_reminder_subject.txt", context).strip()
        body = render_to_string("directory/email/expiry_reminder.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])


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
            _assign(business, data)
            business.slug = _unique_slug(business.name)
            business.save()
            _write_terms(business)
            indexing.business_changed(business)
            _record(business, actor=None, action="imported", to_status=business.status)
            outcome = "created"
        else:
            changed = _assign(business, data)
            outcome = "updated" if changed else "unchanged"
            if changed:
                business.save()
                if changed & set(TERM_FIELDS.values()):
                    _write_terms(business)
                indexing.business_changed(business)
                _record(business, actor=None, action="imported", note=", ".join(sorted(changed)))
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
        elif kind in (BusinessTerm.Kind.OFFERS, BusinessTerm.Kind.SEEKS):
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
    business.save()
    indexing.business_changed(business)
    _record(business, actor=actor, action=action, from_status=from_status, to_status=to, note=note)
    return business


def _record(business, *, actor, action, from_status="", to_status="", note=""):
    BusinessEvent.objects.create(
        business=business, actor=actor, action=action, from_status=from_status, to_status=to_status, note=note
    )


def _require_manager(actor, business):
    if not selectors.viewer_for(actor).can_manage(business):
        raise PermissionDenied("Only the firm's owner or members may do this.")


def _require_manager_or_moderator(actor, business):
    viewer = selectors.viewer_for(actor)
    if not (viewer.can_manage(business) or viewer.can_moderate(business)):
        raise PermissionDenied("Only the firm's own people and staff may do this.")


def _require_moderator(actor, business):
    if not selectors.viewer_for(actor).can_moderate(business):
        raise PermissionDenied("Only staff, or a volunteer for this city, may moderate this profile.")


def _require_status(business, allowed, verb):
    if business.status not in allowed:
        raise InvalidTransition(
            f"A {business.get_status_display().lower()} profile cannot be {_PAST[verb]}."
        )


_PAST = {"submit": "submitted", "publish": "published", "reject": "rejected",
         "suspend": "suspended", "archive": "archived", "confirm": "confirmed"}


def _require_reason(reason):
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why, so the firm knows what to change."})


def _require_complete(business):
    errors = {}
    if not business.description.strip():
        errors["description"] = "Describe the firm before it is reviewed."
    if not (business.offers_hs or business.offers_text.strip() or business.seeks_hs or business.seeks_text.strip()):
        errors["offers_text"] = "Say what the firm offers or seeks (HS codes or words)."
    if errors:
        raise ValidationError(errors)


# --- accounts and personal data ------------------------------------------------------


def supported_language(tag, default=settings.LANGUAGE_CODE):
    """The interface language closest to a BCP 47 tag ("zh-Hant-TW" -> "zh-hant",
    "es-MX" -> "es"), or `default` when the network does not speak it."""
    tag = (tag or "").lower().replace("_", "-")
    codes = [code for code, _ in settings.LANGUAGES]
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
    Their address is taken out of the stored emails, and the account deleted.
    """
    from matching.models import OutgoingEmail  # matching builds on the directory, not the reverse

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
        user.delete()
