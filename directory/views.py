"""The directory's pages: the network, profiles, cities, a firm's own desk and
the moderation desk. Thin: they read through selectors and write through
services, the same ones the API calls."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext as _, gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from matching import selectors as matching_selectors
from search.selectors import code_entries

from . import glossary, selectors, services
from .forms import BusinessForm
from .models import Business, City, ProfileFlag


def set_language(request):
    """Django's language switch, which also remembers the choice of a signed-in person."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.set_preferred_language(user=request.user, language=request.POST.get("language", ""))
    return response


# --- the public directory ---------------------------------------------------------


def home(request):
    cities = selectors.cities_with_counts()
    return render(request, "directory/home.html", {
        "cities": cities, "listed": sum(city.listed for city in cities),
    })


def profile(request, slug):
    viewer = selectors.viewer_for(request.user)
    business = get_object_or_404(selectors.visible_businesses(viewer=viewer), slug=slug)
    own_firms = [b for b in selectors.managed_businesses(viewer=viewer) if b.is_public and b.pk != business.pk]
    return render(request, "directory/profile.html", {
        "business": business,
        "offers": code_entries("hs", business.offers_hs),
        "seeks": code_entries("hs", business.seeks_hs),
        "naics": code_entries("naics", business.naics),
        "show_contact": viewer.can_see_private(business)
        or matching_selectors.introduced_to(viewer=viewer, business=business),
        "can_request": business.is_public and bool(own_firms),
        "own_firms": own_firms,
        "can_report": viewer.is_authenticated and not viewer.can_manage(business),
        "report_reasons": ProfileFlag.Reason.choices,
    })


def city(request, slug):
    city = get_object_or_404(City, slug=slug)
    firms = Paginator(selectors.public_businesses().filter(city=city).order_by("name", "pk"), 50)
    return render(request, "directory/city.html", {
        "city": city, "page": firms.get_page(request.GET.get("page")),
    })


# --- a firm's own desk --------------------------------------------------------------


@login_required
def me(request):
    viewer = selectors.viewer_for(request.user)
    businesses = list(selectors.managed_businesses(viewer=viewer)
                      .select_related("pending_revision").prefetch_related("events"))
    words = glossary.glossary()
    for business in businesses:
        business.code_suggestions = [
            (side, code, words.name_for(code, get_language()))
            for side, codes in (("offers", business.suggested_offers_hs), ("seeks", business.suggested_seeks_hs))
            for code in codes
        ]
    return render(request, "directory/me.html", {
        "businesses": businesses,
        "awaiting": sum(
            matching_selectors.awaits_answer(introduction=i, viewer=viewer)
            for i in matching_selectors.inbox(viewer=viewer)
        ),
    })


@login_required
def business_create(request):
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        business = services.create_business(actor=request.user, data=form.validated_data)
        return _after_save(request, business)
    return render(request, "directory/business_form.html", {"form": form, "business": None})


@login_required
def business_edit(request, slug):
    viewer = selectors.viewer_for(request.user)
    business = get_object_or_404(Business.objects.select_related("city", "pending_revision"), slug=slug)
    if not viewer.can_manage(business):
        raise PermissionDenied
    form = BusinessForm(request.POST or None, business=business)
    if request.method == "POST" and form.is_valid():
        try:
            business = services.update_business(actor=request.user, business=business, data=form.validated_data)
        except services.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("me")
        return _after_save(request, business)
    return render(request, "directory/business_form.html", {"form": form, "business": business})


def _after_save(request, business):
    """Save, or save and send for review in one step, as the button said."""
    if "submit" in request.POST and business.status in (Business.Status.DRAFT, Business.Status.REJECTED):
        return _apply(request, services.submit_business, business, _("Sent for review. Staff will look at it soon."))
    if selectors.has_pending_changes(business):
        messages.success(request, _(
            "Saved. The changes to the name, city, offers or needs wait for review; "
            "until then the published profile stays as it is."
        ))
    else:
        messages.success(request, _("Saved."))
    return redirect("me")


# Lazy: the message is read in the language of the request that acts, not at import.
BUSINESS_ACTIONS = {
    "submit": (services.submit_business, gettext_lazy("Sent for review. Staff will look at it soon.")),
    "confirm": (services.confirm_business, gettext_lazy("Thank you: the profile stays listed for another year.")),
    "archive": (services.archive_business, gettext_lazy("The profile is archived and no longer listed.")),
    "use-suggested-codes": (services.confirm_suggested_codes, gettext_lazy(
        "The codes are saved. On a published profile they wait for review like any change of codes.")),
}


@login_required
@require_POST
def business_action(request, slug, action):
    if action not in BUSINESS_ACTIONS:
        raise Http404
    business = get_object_or_404(Business, slug=slug)
    service, done = BUSINESS_ACTIONS[action]
    return _apply(request, service, business, done)


def _apply(request, service, business, done, redirect_to="me", **kwargs):
    """Call a service and say how it went; a refused action is a message, never a 500."""
    try:
        service(actor=request.user, business=business, **kwargs)
    except PermissionDenied:
        raise
    except services.InvalidTransition as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(done))
    return redirect(redirect_to)


# --- the account and its data ------------------------------------------------------


@login_required
def account(request):
    return render(request, "directory/account.html", {})


@login_required
def account_export(request):
    data = selectors.personal_data(user=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="aurora-network-my-data.json"'
    return response


@login_required
def account_delete(request):
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that you want to delete your account."))
            return redirect("account-delete")
        user = request.user
        logout(request)
        services.delete_account(user=user)
        messages.success(request, _("Your account is deleted. Thank you for being part of the network."))
        return redirect("home")
    viewer = selectors.viewer_for(request.user)
    return render(request, "directory/account_delete.html", {
        "businesses": selectors.managed_businesses(viewer=viewer),
    })


# --- the staff desk -------------------------------------------------------------------


def _desk_viewer(request):
    if not request.user.is_authenticated:
        return None
    viewer = selectors.viewer_for(request.user)
    if not selectors.may_use_staff_desk(viewer):
        raise PermissionDenied
    return viewer


@login_required
def staff_desk(request):
    viewer = _desk_viewer(request)
    return render(request, "directory/staff_desk.html", {
        "pending": selectors.moderation_queue(viewer=viewer).count(),
        "changes": selectors.changes_queue(viewer=viewer).count(),
        "open_introductions": matching_selectors.open_queue(viewer=viewer).count(),
        "flagged": selectors.flagged_profiles(viewer=viewer).count(),
        "runs": matching_selectors.recent_runs()[:3] if viewer.is_staff else [],
    })


QUEUE_STATUSES = (Business.Status.PENDING_REVIEW, Business.Status.PUBLISHED, Business.Status.SUSPENDED,
                  Business.Status.REJECTED)
# The queue's last tab: profiles in any status with an open flag (a likely duplicate, a report).
FLAGGED = "flagged"
# The tab of published profiles whose owners proposed material changes.
CHANGES = "changes"


@login_required
def moderation_queue(request):
    viewer = _desk_viewer(request)
    status = request.GET.get("status", Business.Status.PENDING_REVIEW)
    if status == FLAGGED:
        profiles = selectors.flagged_profiles(viewer=viewer).select_related("pending_revision")
    elif status == CHANGES:
        profiles = selectors.with_open_flags(selectors.changes_queue(viewer=viewer))
    else:
        if status not in QUEUE_STATUSES:
            status = Business.Status.PENDING_REVIEW
        profiles = selectors.with_open_flags(
            selectors.moderation_queue(viewer=viewer, status=status).select_related("pending_revision")
        )
    page = Paginator(profiles, 25).get_page(request.GET.get("page"))
    return render(request, "directory/moderation_queue.html", {
        "page": page, "status": status,
        "statuses": [(value, Business.Status(value).label) for value in QUEUE_STATUSES]
        + [(CHANGES, _("Changes waiting")), (FLAGGED, _("Flagged"))],
    })


MODERATION_ACTIONS = {
    "publish": (services.publish_business, _("Published.")),
    "reject": (services.reject_business, _("Rejected; the firm sees your reason.")),
    "suspend": (services.suspend_business, _("Suspended.")),
    "verify": (services.verify_business, _("Marked as verified.")),
    "publish-changes": (services.publish_business_changes, _("The changes are published.")),
    "reject-changes": (services.reject_business_changes, _("Changes rejected; the firm sees your reason.")),
}


@login_required
@require_POST
def moderate(request, slug, action):
    _desk_viewer(request)
    if action not in MODERATION_ACTIONS:
        raise Http404
    business = get_object_or_404(Business, slug=slug)
    service, done = MODERATION_ACTIONS[action]
    kwargs = {}
    if action in ("reject", "suspend", "reject-changes"):
        kwargs["reason"] = request.POST.get("reason", "")
    if action == "publish":
        kwargs["verify"] = request.POST.get("verify") == "on"
    back = request.POST.get("next") or "moderation-queue"
    if not back.startswith("/") or back.startswith("//"):
        back = "moderation-queue"
    return _apply(request, service, business, done, redirect_to=back, **kwargs)


# --- reports, flags and merges ----------------------------------------------------------


@login_required
@require_POST
def report_profile(request, slug):
    viewer = selectors.viewer_for(request.user)
    business = get_object_or_404(selectors.visible_businesses(viewer=viewer), slug=slug)
    return _apply(
        request, services.report_business, business, _("Thank you. Staff will look at this profile."),
        redirect_to=reverse("profile", args=[business.slug]),
        reason=request.POST.get("reason", ""), note=request.POST.get("note", ""),
    )


@login_required
@require_POST
def flag_action(request, pk, action):
    """Dismiss a flag, or merge the two profiles of a duplicate flag (the newer
    into the older, as the service requires)."""
    viewer = _desk_viewer(request)
    flag = get_object_or_404(selectors.profile_flags(viewer=viewer), pk=pk)
    back = _back_to(request)
    note = request.POST.get("note", "")
    if action == "dismiss":
        return _refused_or_done(request, back, _("Flag dismissed."), services.dismiss_flag,
                                actor=request.user, flag=flag, note=note)
    if action == "merge" and flag.kind == ProfileFlag.Kind.DUPLICATE:
        newer, older = flag.newer_and_older()
        return _refused_or_done(
            request, back, _("%(newer)s was merged into %(older)s.") % {"newer": newer.name, "older": older.name},
            services.merge_businesses, actor=request.user, business=newer, into=older,
            add_members=request.POST.get("add_members") == "on", note=note,
        )
    raise Http404


def _refused_or_done(request, back, done, service, **kwargs):
    try:
        service(**kwargs)
    except (PermissionDenied, services.InvalidTransition, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
    else:
        messages.success(request, str(done))
    return redirect(back)


def _back_to(request):
    back = request.POST.get("next") or ""
    if not back.startswith("/") or back.startswith("//"):
        return reverse("moderation-queue")
    return back
