"""The directory's REST API: parse, call a service or selector, render.

Field names are the import format's names, so a row of a spreadsheet and a
POST body mean the same thing, and both are validated by the same serializer.
"""

import re
from datetime import date

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer, extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAdminUser, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import ApiModelSerializer, Pagination, TextField, TextRegexField
from search.filters import FILTER_NAMES, BusinessFilters, filter_businesses

from . import selectors, services, taxonomy
from .models import Business, City
from .models import ProfileFlag


# --- cities ---------------------------------------------------------------------


class CitySerializer(ApiModelSerializer):
    class Meta:
        model = City
        fields = ["name", "slug", "country", "languages", "timezone", "relationship",
                  "relationship_since", "relationship_note"]


class CityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = City.objects.all()
    serializer_class = CitySerializer
    lookup_field = "slug"
    pagination_class = None


@extend_schema_field(
    {
        "type": "object",
        "properties": {k: {"type": "string"} for k in ("name", "slug", "country", "relationship")},
        "description": "In writes: the city's slug or name, e.g. \"jaco\" or \"Jacó\".",
    }
)
class CityField(serializers.Field):
    """Written as a slug or a name (as in the import), read as a small object."""

    default_error_messages = {"unknown": "Unknown city “{value}”. Known cities: {known}."}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._found = {}  # an import names the same few cities thousands of times

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("slug") or data.get("name")
        if not isinstance(data, str):
            self.fail("unknown", value=data, known=self._known())
        if data not in self._found:
            self._found[data] = selectors.find_city(data)
        if self._found[data] is None:
            self.fail("unknown", value=data, known=self._known())
        return self._found[data]

    def _known(self):
        return ", ".join(City.objects.values_list("slug", flat=True))

    def to_representation(self, city):
        return {"name": city.name, "slug": city.slug, "country": city.country, "relationship": city.relationship}


# --- value fields -------------------------------------------------------------------


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?$")


@extend_schema_field({
    "type": "string",  # no maxLength: surrounding spaces are trimmed first
    "pattern": r"^\s*([A-Za-z]{2,3}([-_][A-Za-z]{4})?([-_]([A-Za-z]{2}|[0-9]{3}))?)?\s*$",
})
class LanguageTagField(TextField):
    """A BCP 47 language tag (language, optional script and region), in its
    canonical case: "zh-hant" becomes "zh-Hant", "es-mx" becomes "es-MX"."""

    default_error_messages = {"invalid_tag": "“{value}” is not a language tag such as en, ko, zh-Hant or es-MX."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 16)
        # The length is checked on what was sent; surrounding spaces are dropped after.
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)  # as sent, spaces included
        value = super().to_internal_value(data).strip().replace("_", "-")
        if not value:
            return value
        if not _LANGUAGE_TAG.match(value):
            self.fail("invalid_tag", value=value)
        parts = value.split("-")
        canonical = [parts[0].lower()]
        for part in parts[1:]:
            canonical.append(part.title() if len(part) == 4 else part.upper())
        return "-".join(canonical)


# The most items any list of a profile holds (codes, roles, languages,
# certifications): enough for any real firm, small enough to review and index.
MAX_LIST_ITEMS = 50


class CodeListField(serializers.ListField):
    """A list of taxonomy codes, each checked against HS 2022 or NAICS 2022."""

    def __init__(self, *, scheme, **kwargs):
        self.scheme = scheme
        kwargs.setdefault("child", TextField(max_length=16))
        kwargs.setdefault("max_length", MAX_LIST_ITEMS)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # Count what was sent, before duplicates fold away, as for every other
        # list; and refuse a huge list before looking codes up one by one.
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        codes, errors = [], []
        for raw in super().to_internal_value(data):
            try:
                code = taxonomy.by_name(self.scheme).validate(raw)
            except ValueError as error:
                errors.append(str(error))
                continue
            if code not in codes:
                codes.append(code)
        if errors:
            raise serializers.ValidationError(errors)
        return codes


def _unique(values):
    return list(dict.fromkeys(v for v in values if v))


# --- businesses ---------------------------------------------------------------------


PRIVATE_FIELDS = ("contact_name", "contact_email", "contact_phone")
# Shown, like the contact, only to the firm's own people and its moderators:
# the import key is a delegation's internal reference, and changes waiting
# for review are not public until a moderator publishes them.
RESTRICTED_FIELDS = (*PRIVATE_FIELDS, "external_id", "pending_changes", "suggested_offers_hs", "suggested_seeks_hs")
PROTECTED_FIELDS = ("status", "owner", "verified", "verified_at", "verified_by", "external_id")


class BusinessSerializer(ApiModelSerializer):
    city = CityField()
    country = TextField(max_length=2, required=False, write_only=True)
    website = TextField(max_length=300, required=False, allow_blank=True)
    founded_year = serializers.IntegerField(min_value=1600, required=False, allow_null=True)
    description_language = LanguageTagField(required=False)
    naics = CodeListField(scheme="naics")
    offers_hs = CodeListField(scheme="hs")
    seeks_hs = CodeListField(scheme="hs")
    trade_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Business.TradeRole.choices), required=False, max_length=MAX_LIST_ITEMS
    )
    languages = serializers.ListField(child=LanguageTagField(), required=False, max_length=MAX_LIST_ITEMS)
    certifications = serializers.ListField(
        child=TextField(max_length=120), required=False, max_length=MAX_LIST_ITEMS
    )
    contact_phone = TextRegexField(
        r"^\+?[0-9 ()./\-]*(x[0-9]+)?$", max_length=40, required=False, allow_blank=True,
        error_messages={"invalid": "Use digits, spaces and + ( ) - only, e.g. +82 31 123 4567."},
    )
    verified = serializers.SerializerMethodField()
    expires_at = serializers.DateTimeField(read_only=True, allow_null=True)  # null until published
    is_expired = serializers.SerializerMethodField()
    pending_changes = serializers.SerializerMethodField(
        help_text="Changes to the name, city, offers or needs waiting for a moderator; the published "
                  "values stay live until then. Shown to the firm's own people and moderators only.",
    )

    class Meta:
        model = Business
        fields = [
            "slug", "name", "city", "country", "address", "website", "founded_year", "employees",
            "description", "description_language", "naics", "offers_hs", "offers_text", "seeks_hs",
            "seeks_text", "trade_roles", "languages", "certifications",
            "contact_name", "contact_email", "contact_phone",
            "external_id", "status", "verified", "verified_at", "published_at", "confirmed_at",
            "expires_at", "is_expired", "pending_changes", "suggested_offers_hs", "suggested_seeks_hs",
            "created_at", "updated_at",
        ]
        read_only_fields = [
            "slug", "external_id", "status", "verified_at", "published_at", "confirmed_at",
            "suggested_offers_hs", "suggested_seeks_hs", "created_at", "updated_at",
        ]
        extra_kwargs = {"description": {"required": False}}

    def get_verified(self, business) -> bool:
        return business.verified_at is not None

    def get_is_expired(self, business) -> bool:
        return business.status == Business.Status.PUBLISHED and business.is_expired()

    @extend_schema_field(
        {
            "type": "object", "nullable": True,
            "properties": {
                "fields": {"type": "object", "description": "Proposed values by field name, the city as an object."},
                "proposed_by": {"type": "string", "nullable": True},
                "proposed_at": {"type": "string", "format": "date-time"},
            },
        }
    )
    def get_pending_changes(self, business):
        if not self._may_see_restricted(business):
            return None  # and to_representation drops it; no query for the public
        revision = getattr(business, "pending_revision", None)
        if revision is None:
            return None
        fields = revision.proposed()
        if "city" in fields and fields["city"] is not None:
            fields["city"] = self.fields["city"].to_representation(fields["city"])
        return {
            "fields": fields,
            "proposed_by": revision.proposed_by.username if revision.proposed_by else None,
            "proposed_at": serializers.DateTimeField().to_representation(revision.proposed_at),
        }

    # Left out for readers who may not see them (config.schema reads this).
    conditional_fields = RESTRICTED_FIELDS

    def _may_see_restricted(self, business):
        viewer = self.context.get("viewer")
        return viewer is not None and viewer.can_see_private(business)

    # Moderation fields a subclass (the import) may write.
    writable_protected = ()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            protected = [name for name in PROTECTED_FIELDS if name in data and name not in self.writable_protected]
            if protected:
                raise serializers.ValidationError(
                    {name: ["Set by staff through moderation, not by editing the profile."] for name in protected}
                )
        return super().to_internal_value(data)

    def validate_website(self, value):
        value = value.strip()
        if value and "://" not in value:
            value = "https://" + value
        if value:
            serializers.URLField().run_validators(value)
        return value

    def validate_founded_year(self, value):
        if value is not None and value > date.today().year:
            raise serializers.ValidationError("A founding year cannot be in the future.")
        return value

    def validate_languages(self, value):
        return _unique(value)

    def validate_trade_roles(self, value):
        return _unique(value)

    def validate_certifications(self, value):
        return _unique(v.strip() for v in value)

    def validate(self, attrs):
        country = attrs.pop("country", "")
        city = attrs.get("city") or getattr(self.instance, "city", None)
        if country and city and country.upper() != city.country:
            raise serializers.ValidationError({"country": f"{city.name} is in {city.country}, not {country.upper()}."})
        return attrs

    def to_representation(self, business):
        data = super().to_representation(business)
        if not self._may_see_restricted(business):
            for name in RESTRICTED_FIELDS:
                data.pop(name, None)
        return data


class BusinessImportSerializer(BusinessSerializer):
    """One row of an import file: the API's fields plus the import key and status."""

    writable_protected = ("external_id", "status")
    external_id = TextField(max_length=100)
    status = serializers.ChoiceField(
        choices=[Business.Status.DRAFT, Business.Status.PENDING_REVIEW, Business.Status.PUBLISHED],
        required=False, default=Business.Status.DRAFT,
    )

    class Meta(BusinessSerializer.Meta):
        read_only_fields = [f for f in BusinessSerializer.Meta.read_only_fields if f not in ("external_id", "status")]


class CodePrefixField(serializers.CharField):
    """A taxonomy code prefix (33, 8708, 870830), dots and spaces allowed."""

    def to_internal_value(self, data):
        value = re.sub(r"[\s.\-]", "", super().to_internal_value(data))
        if value and (not value.isdigit() or len(value) > 6):
            raise serializers.ValidationError("Give a code prefix of 2 to 6 digits, such as 8708.")
        return value


class BusinessFilterParams(serializers.Serializer):
    """The business filters (search/filters.py) as query parameters: the same
    names and rules for GET /businesses/, the search API and the search page."""

    city = TextField(max_length=500, required=False, allow_blank=True, default="",
                                 help_text="City slug (comma-separated for several).")
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, allow_blank=True, default="",
                                     help_text="ISO 3166-1 alpha-2.")
    relationship = serializers.ChoiceField(choices=City.Relationship.choices, required=False, allow_blank=True, default="")
    naics = CodePrefixField(required=False, allow_blank=True, default="",
                            help_text="NAICS code prefix (33, 3363, 336340).")
    offers = CodePrefixField(required=False, allow_blank=True, default="",
                             help_text="HS code prefix the firm offers (87, 8708, 870830).")
    seeks = CodePrefixField(required=False, allow_blank=True, default="", help_text="HS code prefix the firm seeks.")
    trade_role = serializers.ChoiceField(choices=Business.TradeRole.choices, required=False, allow_blank=True, default="")
    language = LanguageTagField(required=False, allow_blank=True, default="",
                                help_text="Language spoken or written (en, ko, zh).")
    verified = serializers.BooleanField(required=False, allow_null=True, default=None)

    def filters(self):
        data = {name: self.validated_data[name] for name in FILTER_NAMES}
        data["city"] = [slug.strip() for slug in data["city"].split(",") if slug.strip()]
        return BusinessFilters(**data)


class BusinessFilter(django_filters.FilterSet):
    """The listing's own filters; the business filters shared with search are
    applied by BusinessViewSet.filter_queryset."""

    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    status = django_filters.ChoiceFilter(choices=Business.Status.choices)
    pending_changes = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_pending_changes",
        help_text="true: profiles with changes waiting for review (the moderators' queue).",
    )
    ordering = django_filters.OrderingFilter(fields=("name", "updated_at", "created_at", "founded_year"))

    class Meta:
        model = Business
        fields = []

    def filter_pending_changes(self, queryset, name, value):
        return queryset.filter(pending_revision__isnull=value != "true")


@extend_schema_serializer(component_name="ModerationReason")  # matching has a Reason too
class ReasonSerializer(serializers.Serializer):
    reason = TextField(max_length=2000)


class PublishSerializer(serializers.Serializer):
    note = TextField(max_length=2000, required=False, allow_blank=True, default="")
    verify = serializers.BooleanField(required=False, default=False)


class ConfirmCodesSerializer(serializers.Serializer):
    offers = serializers.BooleanField(required=False, default=True, help_text="Take the suggested offered codes.")
    seeks = serializers.BooleanField(required=False, default=True, help_text="Take the suggested sought codes.")


class NoteSerializer(serializers.Serializer):
    note = TextField(max_length=2000, required=False, allow_blank=True, default="")


class ReportSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ProfileFlag.Reason.choices)
    note = TextField(max_length=2000, required=False, allow_blank=True, default="")


class MergeSerializer(serializers.Serializer):
    into = serializers.SlugRelatedField(
        slug_field="slug", queryset=Business.objects.all(), help_text="The slug of the older profile to keep."
    )
    add_members = serializers.BooleanField(
        required=False, default=False,
        help_text="Make this profile's owner and members members of the kept one.",
    )
    note = TextField(max_length=2000, required=False, allow_blank=True, default="")


class FlaggedProfileSerializer(ApiModelSerializer):
    """Just enough to find a flagged profile; never its contact details."""

    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Business
        fields = ["slug", "name", "city", "status", "created_at"]
        read_only_fields = fields


class ProfileFlagSerializer(ApiModelSerializer):
    business = FlaggedProfileSerializer(read_only=True)
    other = FlaggedProfileSerializer(read_only=True, allow_null=True, help_text="The look-alike; none for a report.")
    reason = serializers.ChoiceField(choices=ProfileFlag.Reason.choices, read_only=True, allow_blank=True,
                                     help_text="A report's reason; blank for a likely duplicate.")
    reporter = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    resolved_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ProfileFlag
        fields = ["id", "kind", "status", "business", "other", "matched_on", "reason", "note", "reporter",
                  "created_at", "resolved_by", "resolved_at", "resolution_note"]
        read_only_fields = fields


class ProfileFlagFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ProfileFlag.Kind.choices)
    reason = django_filters.ChoiceFilter(choices=ProfileFlag.Reason.choices)
    city = django_filters.CharFilter(field_name="business__city__slug", help_text="City slug of the flagged profile.")
    business = django_filters.CharFilter(
        method="filter_business", help_text="Slug of a profile: its flags, and those naming it as the other.",
    )

    class Meta:
        model = ProfileFlag
        fields = []

    def filter_business(self, queryset, name, value):
        return queryset.filter(Q(business__slug=value) | Q(other__slug=value))


@extend_schema_view(list=extend_schema(parameters=[BusinessFilterParams]))
class BusinessViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Business profiles. Anyone may read published, current profiles; firms
    create and edit their own; staff and city volunteers moderate."""

    serializer_class = BusinessSerializer
    filterset_class = BusinessFilter
    permission_classes = [IsAuthenticatedOrReadOnly]
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.visible_businesses(viewer=self.viewer).select_related("pending_revision__proposed_by")

    @property
    def viewer(self):
        if not hasattr(self, "_viewer"):
            self._viewer = selectors.viewer_for(self.request.user)
        return self._viewer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "viewer": self.viewer}

    def filter_queryset(self, queryset):
        params = BusinessFilterParams(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return filter_businesses(super().filter_queryset(queryset), filters=params.filters())

    def perform_create(self, serializer):
        serializer.instance = services.create_business(actor=self.request.user, data=serializer.validated_data)
        # The creator now manages it; refresh the viewer so the response shows the contact.
        self._viewer = selectors.viewer_for(self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.update_business(
            actor=self.request.user, business=serializer.instance, data=serializer.validated_data
        )

    def _transition(self, service, input_serializer=None, **kwargs):
        business = self.get_object()
        if input_serializer is not None:
            params = input_serializer(data=self.request.data)
            params.is_valid(raise_exception=True)
            kwargs.update(params.validated_data)
        business = service(actor=self.request.user, business=business, **kwargs)
        return Response(self.get_serializer(business).data)

    @extend_schema(request=None, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def submit(self, request, slug=None):
        """Owner: send the draft (or a rejected profile) to staff for review."""
        return self._transition(services.submit_business)

    @extend_schema(request=PublishSerializer, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def publish(self, request, slug=None):
        """Staff or city volunteer: publish, optionally marking the firm verified."""
        return self._transition(services.publish_business, PublishSerializer)

    @extend_schema(request=ReasonSerializer, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def reject(self, request, slug=None):
        return self._transition(services.reject_business, ReasonSerializer)

    @extend_schema(request=ReasonSerializer, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def suspend(self, request, slug=None):
        return self._transition(services.suspend_business, ReasonSerializer)

    @extend_schema(request=NoteSerializer, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def archive(self, request, slug=None):
        return self._transition(services.archive_business, NoteSerializer)

    @extend_schema(request=None, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def confirm(self, request, slug=None):
        """Owner: the profile is still accurate; keep it listed another year."""
        return self._transition(services.confirm_business)

    @extend_schema(request=NoteSerializer, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def verify(self, request, slug=None):
        return self._transition(services.verify_business, NoteSerializer)

    @extend_schema(request=NoteSerializer, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated], url_path="publish-changes")
    def publish_changes(self, request, slug=None):
        """Staff or city volunteer (of the new city as well, for a move): put the pending changes live."""
        return self._transition(services.publish_business_changes, NoteSerializer)

    @extend_schema(request=ReasonSerializer, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated], url_path="reject-changes")
    def reject_changes(self, request, slug=None):
        """Staff or city volunteer: turn the pending changes down; the published profile stays as it is."""
        return self._transition(services.reject_business_changes, ReasonSerializer)

    @extend_schema(request=ConfirmCodesSerializer, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated], url_path="confirm-codes")
    def confirm_codes(self, request, slug=None):
        """The firm's own people: take the HS codes read from its words
        (suggested_offers_hs, suggested_seeks_hs) as its codes. On a published
        profile the change waits for a moderator like any edit of codes."""
        return self._transition(services.confirm_suggested_codes, ConfirmCodesSerializer)

    @extend_schema(request=ReportSerializer, responses={201: ProfileFlagSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def report(self, request, slug=None):
        """Anyone signed in: tell the moderators something is wrong with this
        profile. One open report per person and profile (409 for a second)."""
        params = ReportSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        flag = services.report_business(actor=request.user, business=self.get_object(), **params.validated_data)
        return Response(ProfileFlagSerializer(flag).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MergeSerializer, responses=BusinessSerializer)
    @action(detail=True, methods=["post"], url_path="merge-into", permission_classes=[IsAdminUser])
    def merge_into(self, request, slug=None):
        """Staff: fold this (newer) profile into an older duplicate, which keeps
        the introductions; this one is archived."""
        params = MergeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        kept = services.merge_businesses(actor=request.user, business=self.get_object(), **params.validated_data)
        return Response(self.get_serializer(kept).data)


FLAG_STATUSES = [*ProfileFlag.Status.values, "all"]


class MayModerate(BasePermission):
    """Staff and city volunteers: those who work the moderation queue."""

    message = "Only staff and city volunteers see flags."

    def has_permission(self, request, view):
        return selectors.may_moderate_any(selectors.viewer_for(request.user))


@extend_schema(parameters=[OpenApiParameter(
    "status", OpenApiTypes.STR, enum=FLAG_STATUSES, description="open (the default), dismissed, merged or all.",
)])
class ProfileFlagViewSet(viewsets.ReadOnlyModelViewSet):
    """The moderation queue's flags: likely duplicates and reports. Staff see
    all; a city volunteer sees those on their cities' profiles."""

    serializer_class = ProfileFlagSerializer
    filterset_class = ProfileFlagFilter
    permission_classes = [IsAuthenticated, MayModerate]
    queryset = ProfileFlag.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        viewer = selectors.viewer_for(self.request.user)
        if not selectors.may_moderate_any(viewer):
            raise PermissionDenied("Only staff and city volunteers see flags.")
        flag_status = self.request.query_params.get("status") or ProfileFlag.Status.OPEN
        if flag_status not in FLAG_STATUSES:
            raise serializers.ValidationError({"status": [f"Choose one of: {', '.join(FLAG_STATUSES)}."]})
        if self.action != "list":
            flag_status = None  # a flag stays addressable once resolved
        return selectors.profile_flags(viewer=viewer, status=None if flag_status == "all" else flag_status)

    @extend_schema(request=NoteSerializer, responses=ProfileFlagSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Nothing to do: not a duplicate, or a baseless report."""
        params = NoteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        flag = services.dismiss_flag(actor=request.user, flag=self.get_object(), **params.validated_data)
        return Response(self.get_serializer(flag).data)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": TextField(),
                "email": serializers.EmailField(),
                "is_staff": serializers.BooleanField(),
                "volunteer_cities": serializers.ListField(child=TextField()),
                "businesses": BusinessSerializer(many=True),
            },
        )
    )
    def get(self, request):
        viewer = selectors.viewer_for(request.user)
        businesses = Business.objects.filter(pk__in=viewer.managed_ids).select_related(
            "city", "pending_revision__proposed_by"
        )
        return Response(
            {
                "username": request.user.username,
                "email": request.user.email,
                "is_staff": request.user.is_staff,
                "volunteer_cities": list(request.user.volunteer_cities.values_list("slug", flat=True)),
                "businesses": BusinessSerializer(businesses, many=True, context={"viewer": viewer}).data,
            }
        )


# --- taxonomies ------------------------------------------------------------------------


class TaxonomyEntrySerializer(serializers.Serializer):
    code = TextField()
    title = TextField()
    level = TextField()


class TaxonomyViewSet(viewsets.ViewSet):
    """Search a classification by code prefix or by words of its titles."""

    scheme = None
    lookup_value_regex = r"[0-9][0-9.\-]*"
    pagination_class = Pagination

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Code prefix or words, e.g. 8708 or brake.")],
        responses=TaxonomyEntrySerializer(many=True),
    )
    def list(self, request):
        entries = taxonomy.by_name(self.scheme).search(request.query_params.get("q", ""), limit=1000)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset([entry.as_dict() for entry in entries], request, view=self)
        return paginator.get_paginated_response(page)

    @extend_schema(responses=TaxonomyEntrySerializer)
    def retrieve(self, request, pk=None):
        codes = taxonomy.by_name(self.scheme)
        entry = codes.get(pk)
        if entry is None:
            raise NotFound(f"No {self.scheme.upper()} code {pk}.")
        ancestors = [codes.get(code) for code in codes.ancestors(entry.code)[:-1]]
        return Response({**entry.as_dict(), "ancestors": [a.as_dict() for a in ancestors if a is not None]})


class HSViewSet(TaxonomyViewSet):
    scheme = "hs"


class NAICSViewSet(TaxonomyViewSet):
    scheme = "naics"
