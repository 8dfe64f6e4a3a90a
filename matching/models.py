from django.conf import settings
from django.db import models
from django.utils import timezone
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class MatchRun(models.Model):
    """One matching run: what it looked at and what it proposed."""

    class Mode(models.TextChoices):
        FULL = "full", _("Full")
        INCREMENTAL = "incremental", _("Incremental")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    mode = models.CharField(max_length=12, choices=Mode.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Profiles changed after this moment are looked at again by the next incremental run.
    changed_since = models.DateTimeField(null=True, blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    firms_considered = models.PositiveIntegerField(default=0)
    candidates_scored = models.PositiveIntegerField(default=0)
    proposals_created = models.PositiveIntegerField(default=0)
    proposals_refreshed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # The lock: at most one run at a time, enforced by the database.
            models.UniqueConstraint(fields=["status"], condition=Q(status="running"), name="one_running_match_run"),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} run {self.pk} ({self.status})"


class MatchRunChunk(models.Model):
    """The result of one chunk task. Keyed by (run, index), so a chunk
    delivered twice overwrites its own row instead of counting twice."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    firms = models.PositiveIntegerField(default=0)
    candidates_scored = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="unique_match_run_chunk")]


class MatchCandidate(models.Model):
    """A pair a chunk scored above the threshold, waiting for the run to close.

    Chunks only score; the run's close writes the proposals in one best-first
    pass over every chunk's pairs. So the per-firm cap keeps each firm's best
    whatever order the chunks finished in (a redelivered or retried chunk
    changes nothing), and one writer enforces it. Keyed by (run, pair): a
    chunk delivered twice overwrites its own rows."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="candidates")
    business_a = models.ForeignKey("directory.Business", on_delete=models.CASCADE, related_name="+")
    business_b = models.ForeignKey("directory.Business", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "business_a", "business_b"], name="one_candidate_per_run_pair")]
        indexes = [models.Index(fields=["run", "-score", "business_a", "business_b"], name="match_candidate_best_first")]


class Introduction(models.Model):
    """A proposed or requested introduction between two firms: one row per
    unordered pair (business_a has the smaller id), whatever happened to it.

    A pair proposed or requested again after a no starts a new round
    (matching.introductions.open_round): the fields of the last round are
    cleared, and its events and approvals stay behind under its number.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested by a firm")
        PROPOSED = "proposed", _("Proposed by matching")
        APPROVED = "approved", _("Approved by staff")
        DISMISSED = "dismissed", _("Dismissed by staff")
        DECLINED = "declined", _("Declined by a firm")
        INTRODUCED = "introduced", _("Introduced")
        EXPIRED = "expired", _("Expired")
        CLOSED = "closed", _("Closed: a firm left the directory")
        WITHDRAWN = "withdrawn", _("Withdrawn: better matches took its place")

    class DismissReason(models.TextChoices):
        NOT_RELEVANT = "not_relevant", _("Not a real fit")
        DUPLICATE = "duplicate", _("Duplicate of another introduction")
        PROFILE_QUALITY = "profile_quality", _("A profile is incomplete or doubtful")
        TIMING = "timing", _("Not the right time")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        MET = "met", _("They met")
        NEGOTIATING = "negotiating", _("Negotiating")
        DEAL = "deal", _("Deal signed")
        NO_FIT = "no_fit", _("No fit")

    business_a = models.ForeignKey("directory.Business", on_delete=models.CASCADE, related_name="+")
    business_b = models.ForeignKey("directory.Business", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    round = models.PositiveIntegerField(default=1)
    message = models.TextField(blank=True)  # from the requesting firm
    approval_message = models.TextField(blank=True)  # from staff, to both firms
    # Set when the round is approved (staff and every coordinator required);
    # approved_by is the staff member, copied on the introduction email.
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.CharField(max_length=20, choices=DismissReason.choices, blank=True)
    dismiss_note = models.TextField(blank=True)
    accepted_a_at = models.DateTimeField(null=True, blank=True)
    accepted_b_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey("directory.Business", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decline_reason = models.TextField(blank=True)
    introduced_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    followups_sent = models.JSONField(default=list, blank=True)  # the day marks (30, 90) already sent
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(default=0.0, db_index=True)
    reasons = models.JSONField(default=list, blank=True)
    # What both sides offered and sought when proposed; a change lifts the cooling-off.
    trade_signature = models.CharField(max_length=64, blank=True)
    # The firm that asked, for introductions firms request rather than matching proposes.
    requested_by = models.ForeignKey(
        "directory.Business", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="introductions")
    first_run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["business_a", "business_b"], name="one_introduction_per_pair"),
            models.CheckConstraint(condition=Q(business_a__lt=F("business_b")), name="introduction_pair_ordered"),
        ]

    def __str__(self):
        return f"{self.business_a_id} ↔ {self.business_b_id} ({self.status})"

    def side_of(self, business_id):
        return "a" if business_id == self.business_a_id else "b" if business_id == self.business_b_id else None


class IntroductionApproval(models.Model):
    """One approval of one round: staff's (no city), or the coordinator's of a
    city that requires it. A city's requirement is met only by its own
    coordinator, never by another city's."""

    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="approvals")
    round = models.PositiveIntegerField()
    city = models.ForeignKey("directory.City", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["introduction", "round", "city"], name="one_approval_per_city_and_round"),
            # NULLs are distinct in a unique index, so staff's approval needs its own.
            models.UniqueConstraint(fields=["introduction", "round"], condition=Q(city__isnull=True),
                                    name="one_staff_approval_per_round"),
        ]


class IntroductionEvent(models.Model):
    """Every transition of an introduction: who, when, from what to what, and why."""

    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="events")
    round = models.PositiveIntegerField(default=1)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    # Staff-only notes (a dismissal's reasoning) are not shown to the firms.
    staff_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class OutgoingEmail(models.Model):
    """An email a workflow promised, written in the same transaction as the
    change it tells of and sent by a task after commit. The key makes each
    promise one row; a sender leases the row before sending, so two senders
    never both send, and a sender that died mid-way leaves it to the next
    once the lease is over. Each email succeeds or fails on its own."""

    key = models.CharField(max_length=120, unique=True)
    introduction = models.ForeignKey(Introduction, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails")
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # Extra message headers, such as List-Unsubscribe on a digest.
    headers = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=16, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set only once the mail server accepted the message.
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Not before: the lease of a sender at work, or the wait after a failure.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Given up after too many failed attempts; staff may send it again.
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "failed_at", "next_attempt_at"], name="outgoing_email_due")]

    def __str__(self):
        return self.key

    @property
    def state(self):
        return "sent" if self.sent_at else "failed" if self.failed_at else "waiting"


class PeriodicJobRun(models.Model):
    """One run of a job the beat starts on a schedule, for one period (the
    day of a nightly job, the hour of an hourly one). The unique pair is the
    claim: a second beat, or a second trigger in the same period, finds the
    row taken and does nothing. The row also tells staff how the run ended."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.CharField(max_length=200)  # the schedule entry's name
    task = models.CharField(max_length=200)
    period_start = models.DateTimeField()
    # Retries of the claiming task carry its id and may carry on.
    task_id = models.CharField(max_length=255, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period_start", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "period_start"], name="one_run_per_job_and_period")]

    def __str__(self):
        return f"{self.job} {self.period_start:%Y-%m-%d %H:%M} ({self.status})"
