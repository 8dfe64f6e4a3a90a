from django.db import models
from django.db.models import F, Q


class MatchRun(models.Model):
    """One matching run: what it looked at and what it proposed."""

    class Mode(models.TextChoices):
        FULL = "full", "Full"
        INCREMENTAL = "incremental", "Incremental"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

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


class Introduction(models.Model):
    """A proposed or requested introduction between two firms: one row per
    unordered pair (business_a has the smaller id), whatever happened to it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested by a firm"
        PROPOSED = "proposed", "Proposed by matching"
        APPROVED = "approved", "Approved by staff"
        DISMISSED = "dismissed", "Dismissed by staff"
        DECLINED = "declined", "Declined by a firm"
        INTRODUCED = "introduced", "Introduced"
        EXPIRED = "expired", "Expired"

    business_a = models.ForeignKey("directory.Business", on_delete=models.CASCADE, related_name="+")
    business_b = models.ForeignKey("directory.Business", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED, db_index=True)
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
