from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import services
from .models import Business, BusinessEvent, City, ProfileFlag, ProfileMerge, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Network", {"fields": ("preferred_language", "volunteer_cities")}),
    )
    filter_horizontal = DjangoUserAdmin.filter_horizontal + ("volunteer_cities",)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "relationship", "relationship_since")
    list_filter = ("relationship", "country")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")


class BusinessEventInline(admin.TabularInline):
    model = BusinessEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "action", "from_status", "to_status", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    """Read and correct profiles. Status changes go through the API's
    moderation actions (and later the staff pages), which record events and
    keep the search index in step; so the status is read-only here."""

    list_display = ("name", "city", "status", "verified_at", "confirmed_at", "updated_at")
    list_filter = ("status", "city", "employees")
    search_fields = ("name", "slug", "external_id", "description")
    readonly_fields = (
        "status", "slug", "external_id", "submitted_at", "published_at", "confirmed_at",
        "expiry_reminder_sent_at", "verified_at", "verified_by", "created_at", "updated_at",
    )
    raw_id_fields = ("owner",)
    filter_horizontal = ("members",)
    inlines = [BusinessEventInline]
    list_select_related = ("city",)

    # Profiles are created by firms (API) and imports, where owner, slug and
    # validation are handled; the admin corrects and removes them.
    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services.save_admin_edit(actor=request.user, business=obj, changed=form.changed_data)

    def delete_model(self, request, obj):
        services.delete_business(actor=request.user, business=obj)

    def delete_queryset(self, request, queryset):
        for business in queryset:
            services.delete_business(actor=request.user, business=business)


@admin.register(ProfileFlag)
class ProfileFlagAdmin(admin.ModelAdmin):
    """Look up flags and dismiss many at once; merges and single decisions
    are on the staff moderation page, which shows both profiles side by side."""

    list_display = ("business", "kind", "reason", "other", "status", "created_at")
    list_filter = ("kind", "status", "reason", "business__city")
    search_fields = ("business__name", "business__slug", "other__name", "note")
    list_select_related = ("business", "other")
    readonly_fields = [field.name for field in ProfileFlag._meta.fields]
    actions = ["dismiss"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Dismiss the selected open flags")
    def dismiss(self, request, queryset):
        dismissed = 0
        for flag in queryset.filter(status=ProfileFlag.Status.OPEN):
            services.dismiss_flag(actor=request.user, flag=flag, note="admin")
            dismissed += 1
        self.message_user(request, f"{dismissed} flags dismissed.")


@admin.register(ProfileMerge)
class ProfileMergeAdmin(admin.ModelAdmin):
    list_display = ("duplicate", "into", "actor", "introductions_moved", "introductions_closed", "created_at")
    readonly_fields = [field.name for field in ProfileMerge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
