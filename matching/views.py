"""The matching pages: a firm's introductions, and the staff desk's queue,
runs and metrics.

Every write goes through the services (matching.introductions), exactly as the API's do, so a
page and an API call can never disagree about who may do what. A refused
action becomes a message on the page the person came from, never an error
page: they clicked a button, and they should read why it did nothing.
"""

import logging
from collections import defaultdict
from datetime import date

from celery.result import EagerResult
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from kombu.exceptions import OperationalError

from directory.models import Business, City
from directory.selectors import may_use_staff_desk, viewer_for, visible_businesses

from . import charts, introductions, runs, selectors, tasks
from .models import Introduction, MatchRun

logger = logging.getLogger(__name__)

Status = Introduction.Status
# What a service may refuse with; each carries a sentence for the person.
REFUSALS = (ValidationError, PermissionDenied, introductions.InvalidTransition, introductions.RateLimited)
QUEUE_STATUSES = (Status.PROPOSED, Status.REQUESTED)
QUEUE_PAGE_SIZE = 25
RECENT_RUNS = 30
STAGE_LABELS = {
    "proposed": gettext_lazy("Proposed or requested"),
    "approved": gettext_lazy("Approved by staff"),
    "accepted": gettext_lazy("Accepted by a firm"),
    "introduced": gettext_lazy("Introduced"),
    "met": gettext_lazy("Met"),
    "deal": gettext_lazy("Deal signed"),
}


class RequestForm(forms.Form):
    message = forms.CharField(label=gettext_lazy("Message"), max_length=4000, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why not? (optional)"), max_length=4000, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("What came of it"), choices=Introduction.Outcome.choices)
    value = forms.DecimalField(
        label=gettext_lazy("Value of the deal"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=4000, required=False)


class ApproveForm(forms.Form):
    message = forms.CharField(label=gettext_lazy("Message to both firms"), max_length=4000, required=False)


class DismissForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=Introduction.DismissReason.choices)
    note = forms.CharField(label=gettext_lazy("Note for staff"), max_length=4000, required=False)


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[("approve", gettext_lazy("Approve")), ("dismiss", gettext_lazy("Dismiss"))],
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"), choices=[("", "")] + Introduction.DismissReason.choices, required=False
    )
    note = forms.CharField(label=gettext_lazy("Note for staff"), max_length=4000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "dismiss" and not data.get("reason"):
            self.add_error("reason", _("Choose why these introductions are dismissed."))
        return data


# --- a firm's side -------------------------------------------------------------------------


@login_required
@require_POST
def request_introduction(request, slug):
    """A firm asks staff to introduce it to the profile it is looking at."""
    viewer = viewer_for(request.user)
    target = get_object_or_404(visible_businesses(viewer=viewer), slug=slug)
    back = reverse("profile", args=[slug])
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_problem(form))
        return redirect(back)
    requester = None
    if request.POST.get("from"):
        requester = Business.objects.filter(slug=request.POST["from"], pk__in=viewer.managed_ids).first()
        if requester is None:
            messages.error(request, _("Choose one of the firms you manage."))
            return redirect(back)
    try:
        introductions.request_introduction(
            actor=request.user, target=target, requester=requester, message=form.cleaned_data["message"]
        )
    except REFUSALS as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, _(
            "Your request is on its way to staff. If they approve it, both firms are asked whether they "
            "want to be introduced."
        ))
    return redirect(back)


@login_required
def my_introductions(request):
    """The introductions of the user's firms, those waiting for their answer first."""
    viewer = viewer_for(request.user)
    items = [_inbox_item(introduction, viewer) for introduction in selectors.inbox(viewer=viewer)]
    items.sort(key=lambda item: not item["awaiting"])  # stable: newest first within each group
    return render(request, "matching/my_introductions.html", {
        "items": items,
        "outcomes": Introduction.Outcome.choices,
        "awaiting_count": sum(item["awaiting"] for item in items),
    })


@login_required
@require_POST
def introduction_answer(request, pk, action):
    """Accept, decline, or say what came of an introduction."""
    if action not in ("accept", "decline", "outcome"):
        raise Http404
    viewer = viewer_for(request.user)
    introduction = get_object_or_404(selectors.visible_introductions(viewer=viewer), pk=pk)
    back = reverse("my-introductions") + f"#introduction-{introduction.pk}"
    business = None
    if request.POST.get("business"):
        business = Business.objects.filter(slug=request.POST["business"], pk__in=viewer.managed_ids).first()
        if business is None:
            messages.error(request, _("Choose one of the firms you manage."))
            return redirect(back)
    form = {"accept": forms.Form, "decline": DeclineForm, "outcome": OutcomeForm}[action](request.POST)
    if not form.is_valid():
        messages.error(request, _form_problem(form))
        return redirect(back)
    try:
        if action == "accept":
            introduction = introductions.accept_introduction(
                actor=request.user, introduction=introduction, business=business
            )
            done = (_("You are introduced. The other firm's contact is now shown with the introduction.")
                    if introduction.status == Status.INTRODUCED
                    else _("You accepted. The other firm's contact is shown as soon as it accepts too."))
        elif action == "decline":
            introductions.decline_introduction(
                actor=request.user, introduction=introduction, business=business, reason=form.cleaned_data["reason"]
            )
            done = _("You declined the introduction.")
        else:
            introductions.record_outcome(
                actor=request.user, introduction=introduction, outcome=form.cleaned_data["outcome"],
                value=form.cleaned_data["value"], note=form.cleaned_data["note"],
            )
            done = _("Thank you: the outcome is recorded.")
    except REFUSALS as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, done)
    return redirect(back)


def _inbox_item(introduction, viewer):
    """What the inbox shows of one introduction, seen from the viewer's side."""
    first, second = introduction.business_a, introduction.business_b
    ours = [business for business in (first, second) if business.pk in viewer.managed_ids]
    other = second if first.pk in viewer.managed_ids else first
    answering = []
    if introduction.status == Status.APPROVED:
        answering = [b for b in ours if getattr(introduction, f"accepted_{introduction.side_of(b.pk)}_at") is None]
    counterpart = selectors.counterpart_for(introduction=introduction, viewer=viewer)
    return {
        "introduction": introduction,
        "other": _firm(other),
        "both_ours": len(ours) > 1,
        "awaiting": selectors.awaits_answer(introduction=introduction, viewer=viewer),
        "answering": answering,
        "contact": counterpart if counterpart is not None and not _erased(counterpart) else None,
    }


# --- the staff desk --------------------------------------------------------------------------


@login_required
def introduction_queue(request):
    """Proposals and requests waiting for a decision, best score first; with
    `?status=`, the introductions in any one state, to look back on."""
    viewer = _desk_viewer(request)
    status = request.GET.get("status", "")
    city = request.GET.get("city", "")
    if status in Status.values:
        introductions = selectors.visible_introductions(viewer=viewer).filter(status=status)
    else:
        status, introductions = "", selectors.open_queue(viewer=viewer)
    if city:
        introductions = introductions.filter(Q(business_a__city__slug=city) | Q(business_b__city__slug=city))
    page = Paginator(introductions.order_by("-score", "pk").prefetch_related("approvals"), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    coordinated = _coordinated_city_ids(request.user)
    rows = [_queue_row(introduction, viewer, coordinated) for introduction in page]
    return render(request, "matching/introduction_queue.html", {
        "page": page,
        "rows": rows,
        "can_decide_any": any(row["can_decide"] for row in rows),
        "statuses": Status.choices,
        "status": status,
        "waiting_only": status in ("", *QUEUE_STATUSES),
        "cities": City.objects.order_by("name"),
        "city": city,
        "dismiss_reasons": Introduction.DismissReason.choices,
    })


@login_required
@require_POST
def introduction_decide(request, pk, action):
    """Approve or dismiss one introduction from the queue."""
    if action not in ("approve", "dismiss"):
        raise Http404
    viewer = _desk_viewer(request)
    introduction = get_object_or_404(selectors.visible_introductions(viewer=viewer), pk=pk)
    form = (ApproveForm if action == "approve" else DismissForm)(request.POST)
    if not form.is_valid():
        messages.error(request, _form_problem(form))
        return redirect(_back_to_queue(request))
    names = _pair_names(introduction)
    try:
        if action == "approve":
            introduction = introductions.approve_introduction(
                actor=request.user, introduction=introduction, message=form.cleaned_data["message"]
            )
            done = _approval_sentence(introduction) % names
        else:
            introductions.dismiss_introduction(actor=request.user, introduction=introduction, **form.cleaned_data)
            done = _("You dismissed the introduction of %(first)s and %(second)s.") % names
    except REFUSALS as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, done)
    return redirect(_back_to_queue(request))


@login_required
@require_POST
def introduction_bulk(request):
    """Approve or dismiss the selected introductions one by one, each through
    its service, and sum up what happened in one message."""
    viewer = _desk_viewer(request)
    ids = {int(value) for value in request.POST.getlist("ids") if value.isdigit()}
    form = BulkForm(request.POST)
    if not ids:
        messages.error(request, _("Select at least one introduction."))
        return redirect(_back_to_queue(request))
    if not form.is_valid():
        messages.error(request, _form_problem(form))
        return redirect(_back_to_queue(request))
    action, reason, note = form.cleaned_data["action"], form.cleaned_data["reason"], form.cleaned_data["note"]
    found = {i.pk: i for i in selectors.visible_introductions(viewer=viewer).filter(pk__in=ids)}
    problems = [_("Introduction %(id)s was not found.") % {"id": pk} for pk in sorted(ids - found.keys())]
    decided = waiting = 0
    for introduction in found.values():
        try:
            if action == "approve":
                introduction = introductions.approve_introduction(actor=request.user, introduction=introduction)
            else:
                introduction = introductions.dismiss_introduction(
                    actor=request.user, introduction=introduction, reason=reason, note=note
                )
        except REFUSALS as error:
            problems.append(_("%(first)s and %(second)s: %(problem)s") % {
                **_pair_names(introduction), "problem": _problem(error)})
        else:
            if introduction.status in QUEUE_STATUSES:
                waiting += 1
            else:
                decided += 1
    _bulk_summary(request, action, decided, waiting, problems)
    return redirect(_back_to_queue(request))


@login_required
@require_http_methods(["GET", "POST"])
def match_runs(request):
    """Recent matching runs, and a button to start one now."""
    if not request.user.is_staff:
        raise PermissionDenied
    if request.method == "POST":
        _start_run(request, full=request.POST.get("mode") == MatchRun.Mode.FULL)
        return redirect("match-runs")
    return render(request, "matching/match_runs.html", {
        "runs": selectors.recent_runs()[:RECENT_RUNS],
        "running": MatchRun.objects.filter(status=MatchRun.Status.RUNNING).exists(),
    })


@login_required
def metrics(request):
    """What came of the introductions: the funnel, by city pair and by month,
    each as a chart and as the table it was drawn from."""
    viewer = _desk_viewer(request)
    rows = _funnel_rows(viewer)
    totals = [(stage, sum(row[stage] for row in rows)) for stage in selectors.FUNNEL_STAGES]
    funnel = charts.bar_chart(
        name="funnel", title=_("Introductions at each stage"),
        description=_("How many introductions reached each stage, from proposal to signed deal."),
        categories=[(stage, STAGE_LABELS[stage]) for stage, _count in totals],
        series=[charts.Series(name=_("Introductions"), values=tuple(count for _stage, count in totals),
                              key="introductions")],
        category_attribute="stage",
    )
    by_pair = _introductions_and_deals(rows, key="city_pair", label=_pair_label(rows))
    by_month = _introductions_and_deals(rows, key="month", label=_month_label)
    return render(request, "matching/metrics.html", {
        "funnel_chart": funnel,
        "funnel_table": [(STAGE_LABELS[stage], count) for stage, count in totals],
        "pair_chart": _grouped_chart("city-pairs", _("Introductions and deals by city pair"),
                                     _("Introductions made and deals signed for each pair of cities."), by_pair),
        "pair_table": by_pair,
        "month_chart": _grouped_chart("months", _("Introductions and deals by month"),
                                      _("Introductions made and deals signed, by the month the introduction began."),
                                      by_month),
        "month_table": by_month,
        "can_export": viewer.is_staff,
    })


# --- helpers ----------------------------------------------------------------------------------


def _desk_viewer(request):
    """The viewer, if they work the staff desk: staff, a city's volunteers, or its coordinator."""
    viewer = viewer_for(request.user)
    if not may_use_staff_desk(viewer):
        raise PermissionDenied
    return viewer


def _coordinated_city_ids(user):
    return set(City.objects.filter(coordinator=user).values_list("pk", flat=True))


def _queue_row(introduction, viewer, coordinated):
    first, second = introduction.business_a, introduction.business_b
    requester = {first.pk: first, second.pk: second}.get(introduction.requested_by_id)
    return {
        "introduction": introduction,
        "first": _firm(first),
        "second": _firm(second),
        "requester_name": selectors.display_name(requester) if requester else "",
        "names": _pair_names(introduction),
        "waits_for": selectors.approval_waits_for(introduction=introduction),
        # Only staff and the cities' coordinators may decide (the services
        # check again); volunteers read the queue without the buttons.
        "can_decide": introduction.status in QUEUE_STATUSES
        and (viewer.is_staff or bool({first.city_id, second.city_id} & coordinated)),
    }


def _firm(business):
    """A firm as the pages show it; an erased profile keeps no name."""
    return {"business": business, "erased": _erased(business)}


def _erased(business):
    return getattr(business, "erased_at", None) is not None


def _pair_names(introduction):
    return {"first": selectors.display_name(introduction.business_a),
            "second": selectors.display_name(introduction.business_b)}


def _approval_sentence(introduction):
    """An approval may still wait for the other approver (staff or a city coordinator)."""
    if introduction.status == Status.APPROVED:
        return _("You approved the introduction of %(first)s and %(second)s; both firms are asked now.")
    if selectors.approval_waits_for(introduction=introduction) == "staff":
        return _("Your approval of %(first)s and %(second)s is recorded; it now waits for staff.")
    return _("Your approval of %(first)s and %(second)s is recorded; it now waits for the city coordinator.")


def _bulk_summary(request, action, decided, waiting, problems):
    sentences = []
    if decided:
        sentences.append((
            ngettext("%(count)s introduction approved.", "%(count)s introductions approved.", decided)
            if action == "approve" else
            ngettext("%(count)s introduction dismissed.", "%(count)s introductions dismissed.", decided)
        ) % {"count": decided})
    if waiting:
        sentences.append(ngettext(
            "%(count)s approval recorded; it waits for the other approver.",
            "%(count)s approvals recorded; they wait for the other approver.", waiting,
        ) % {"count": waiting})
    if problems:
        sentences.append(ngettext(
            "%(count)s introduction was not changed: %(problems)s",
            "%(count)s introductions were not changed: %(problems)s", len(problems),
        ) % {"count": len(problems), "problems": " ".join(problems)})
    level = messages.ERROR if not (decided or waiting) else messages.WARNING if problems else messages.SUCCESS
    messages.add_message(request, level, " ".join(sentences))


def _back_to_queue(request):
    """The queue page the form was on (its filters and page kept), if the
    address is one of ours; otherwise the queue's first page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("introduction-queue")


def _start_run(request, *, full):
    """Queue the nightly task now. Without a broker (the embedded default)
    Celery runs it eagerly, so it has finished when .delay() returns."""
    try:
        result = tasks.run_matching.delay(full=full)
    except runs.RunInProgress:
        messages.error(request, _("A matching run is already in progress. Wait for it to finish."))
        return
    except OperationalError:
        logger.warning("Could not queue a matching run.", exc_info=True)
        messages.error(request, _("The task queue cannot be reached, so the run did not start. Try again later."))
        return
    except Exception as error:  # run eagerly, the run's own failure surfaces here
        logger.exception("The matching run started from the staff desk failed.")
        messages.error(request, _("The matching run failed: %(error)s") % {"error": error})
        return
    if not isinstance(result, EagerResult):
        messages.success(request, _("The matching run is queued. Reload this page to follow it."))
    elif result.result is None:
        messages.error(request, _("A matching run is already in progress. Wait for it to finish."))
    else:
        messages.success(request, _("Matching run %(id)s finished. Its figures are below.") % {"id": result.result})


def _funnel_rows(viewer):
    if viewer.is_staff:
        return selectors.introduction_funnel()
    queryset = selectors.visible_introductions(viewer=viewer)
    # introduction_funnel() takes an empty queryset for "no queryset" and
    # would count every introduction; someone who may see none sees none.
    return selectors.introduction_funnel(queryset=queryset) if queryset.exists() else []


def _introductions_and_deals(rows, *, key, label):
    """[(label, introductions, deals)] per value of `key`, in the rows' order."""
    totals = defaultdict(lambda: [0, 0])
    for row in rows:
        totals[row[key]][0] += row["proposed"]
        totals[row[key]][1] += row["deal"]
    return [(value, label(value), introductions, deals) for value, (introductions, deals) in sorted(totals.items())]


def _pair_label(rows):
    """City names for "aurora,seongnam", looked up once for all the rows."""
    slugs = {slug for row in rows for slug in row["city_pair"].split(",")}
    names = dict(City.objects.filter(slug__in=slugs).values_list("slug", "name"))

    def label(pair):
        first, second = pair.split(",")
        return _("%(first)s and %(second)s") % {"first": names.get(first, first), "second": names.get(second, second)}

    return label


def _month_label(month):
    year, number = month.split("-")
    return date_format(date(int(year), int(number), 1), "YEAR_MONTH_FORMAT")


def _grouped_chart(name, title, description, figures):
    return charts.bar_chart(
        name=name, title=title, description=description,
        categories=[(key, label) for key, label, _introductions, _deals in figures],
        series=[
            charts.Series(name=_("Introductions"), values=tuple(f[2] for f in figures), key="introductions"),
            charts.Series(name=_("Deals signed"), values=tuple(f[3] for f in figures), key="deals"),
        ],
    )


def _problem(error):
    """The sentence a service gave for refusing."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do that.")


def _form_problem(form):
    return " ".join(
        _("%(field)s: %(error)s") % {"field": form.fields[name].label, "error": error} if name in form.fields else error
        for name, errors in form.errors.items() for error in errors
    )
