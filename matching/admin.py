from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from . import introductions, notifications
from .models import Introduction, IntroductionApproval, IntroductionEvent, MatchRun, OutgoingEmail, PeriodicJobRun


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "mode", "status", "started_at", "finished_at", "firms_considered",
                    "candidates_scored", "proposals_created", "proposals_refreshed")
    list_filter = ("status", "mode")
    readonly_fields = [f.name for f in MatchRun._meta.fields]

    def has_add_permission(self, request):
        return False


class IntroductionEventInline(admin.TabularInline):
    model = IntroductionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("round", "created_at", "actor", "action", "from_status", "to_status", "note", "staff_only")

    def has_add_permission(self, request, obj=None):
        return False


class IntroductionApprovalInline(admin.TabularInline):
    model = IntroductionApproval
    extra = 0
    can_delete = False
    readonly_fields = ("round", "city", "user", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [("7", "older than a week"), ("30", "older than a month")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(created_at__lt=timezone.now() - timedelta(days=int(self.value())))
        return queryset


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    """The staff queue. Transitions go through the workflow's services, so
    events are recorded and emails promised exactly as over the API."""

    list_display = ("pk", "business_a", "business_b", "status", "round", "score", "created_at")
    list_filter = ("status", AgeFilter, "business_a__city", "business_b__city")
    list_select_related = ("business_a", "business_b")
    search_fields = ("business_a__name", "business_b__name")
    actions = ["approve_selected", "dismiss_selected"]
    inlines = [IntroductionApprovalInline, IntroductionEventInline]
    fields = ("business_a", "business_b", "status", "round", "score", "reasons", "message", "approval_message",
              "dismiss_reason", "dismiss_note", "outcome", "outcome_value", "outcome_note")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.action(description="Approve the selected introductions")
    def approve_selected(self, request, queryset):
        self._apply(request, queryset, lambda intro: introductions.approve_introduction(actor=request.user, introduction=intro))

    @admin.action(description="Dismiss the selected introductions (not a real fit)")
    def dismiss_selected(self, request, queryset):
        self._apply(request, queryset, lambda intro: introductions.dismiss_introduction(
            actor=request.user, introduction=intro, reason=Introduction.DismissReason.NOT_RELEVANT, note="bulk dismissal"))

    def _apply(self, request, queryset, transition):
        done, refused = 0, []
        for introduction in queryset:
            try:
                transition(introduction)
                done += 1
            except (introductions.InvalidTransition, PermissionDenied) as error:
                refused.append(f"#{introduction.pk}: {error}")
        self.message_user(request, f"{done} done." + (f" Refused: {'; '.join(refused)}" if refused else ""),
                          messages.WARNING if refused else messages.SUCCESS)


class EmailStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("waiting", "waiting to be sent"), ("failed", "given up"), ("sent", "sent")]

    def queryset(self, request, queryset):
        return {
            "waiting": queryset.filter(sent_at__isnull=True, failed_at__isnull=True),
            "failed": queryset.filter(sent_at__isnull=True, failed_at__isnull=False),
            "sent": queryset.filter(sent_at__isnull=False),
        }.get(self.value(), queryset)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox: what was promised, what went out, and what the mail server
    refused (with its last answer), so staff can fix an address and send again."""

    list_display = ("pk", "key", "to", "subject", "state", "attempts", "created_at", "sent_at", "failed_at", "last_error")
    list_filter = (EmailStateFilter,)
    search_fields = ("key", "subject")
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected emails again (given-up ones get fresh attempts)")
    def send_again(self, request, queryset):
        count = notifications.send_again(email_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} emails will be sent by the next sweep.")


@admin.register(PeriodicJobRun)
class PeriodicJobRunAdmin(admin.ModelAdmin):
    """Scheduled jobs, one row per job and period: whether each ran, and why it failed."""

    list_display = ("job", "period_start", "status", "started_at", "finished_at", "result", "error")
    list_filter = ("status", "job")
    readonly_fields = [f.name for f in PeriodicJobRun._meta.fields]

    def has_add_permission(self, request):
        return False
