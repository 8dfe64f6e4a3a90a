from django.contrib import admin

from .models import Introduction, MatchRun


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "mode", "status", "started_at", "finished_at", "firms_considered",
                    "candidates_scored", "proposals_created", "proposals_refreshed")
    list_filter = ("status", "mode")
    readonly_fields = [f.name for f in MatchRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = ("pk", "business_a", "business_b", "status", "score", "created_at")
    list_filter = ("status",)
    list_select_related = ("business_a", "business_b")
    raw_id_fields = ("business_a", "business_b", "requested_by", "run", "first_run")
    readonly_fields = ("reasons", "trade_signature", "created_at", "updated_at")
