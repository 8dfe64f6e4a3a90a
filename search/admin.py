from django.contrib import admin

from .models import SavedSearchRun


@admin.register(SavedSearchRun)
class SavedSearchRunAdmin(admin.ModelAdmin):
    """How each daily pass of the saved searches went: how many profiles had
    changed, how much work that made, and what it found. Written by the job only."""

    list_display = ("ran_at", "changed_until", "changed", "searches", "examined", "found")
    date_hierarchy = "ran_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
