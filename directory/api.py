"""The directory's REST API: parse, call a service or selector, render.

Field names are the import format's names, so a row of a spreadsheet and a
POST body mean the same thing, and both are validated by the same serializer.
"""

import re
from datetime import date

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view, inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import Pagination
from search.filters import FILTER_NAMES, BusinessFilters, filter_businesses

from . import selectors, services, taxonomy
from .models import Business, City


# --- cities ---------------------------------------------------------------------


class CitySerializer(serializers.ModelSerializer):
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


class LanguageTagField(serializers.CharField):
    """A BCP 47 language tag (language, optional script and region), in its
    canonical case: "zh-hant" becomes "zh-Hant", "es-mx" becomes "es-MX"."""

    default_error_messages = {"invalid_tag": "“{value}” is not a language tag such as en, ko, zh-Hant or es-MX."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
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


class CodeListField(serializers.ListField):
    """A list of taxonomy codes, each checked against HS 2022 or NAICS 2022."""

    def __init__(self, *, scheme, **kwargs):
        self.scheme = scheme
        kwargs.setdefault("child", serializers.CharField(max_length=16))
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
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
PROTECTED_FIELDS = ("status", "owner", "verified", "verified_at", "verified_by", "external_id")


class BusinessSerializer(serializers.ModelSerializer):
    city = CityField()
    country = serializers.CharField(max_length=2, required=False, write_only=True)
    website = serializers.CharField(max_length=300, required=False, allow_blank=True)
    founded_year = serializers.IntegerField(min_value=1600, required=False, allow_null=True)
    description_language = LanguageTagField(required=False)
    naics = CodeListField(scheme="naics")
    offers_hs = CodeListField(scheme="hs")
    seeks_hs = CodeListField(scheme="hs")
    trade_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Business.TradeRole.choices), required=False, max_length=8
    )
    languages = serializers.ListField(child=LanguageTagField(), required=False, max_length=20)
    certifications = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, max_length=30
    )
    contact_phone = serializers.RegexField(
        r"^\+?[0-9 ()./\-]*(x[0-9]+)?$", max_length=40, required=False, allow_blank=True,
        error_messages={"invalid": "Use digits, spaces and + ( ) - only, e.g. +82 31 123 4567."},
    )
    verified = serializers.SerializerMethodField()
    expires_at = serializers.DateTimeField(read_only=True)
    is_expired = serializers.SerializerMethodField()

    class Meta:
        model = Business
        fields = [
            "slug", "name", "city", "country", "address", "website", "founded_year", "employees",
            "description", "description_language", "naics", "offers_hs", "offers_text", "seeks_hs",
            "seeks_text", "trade_roles", "languages", "certifications",
            "contact_name", "contact_email", "contact_phone",
            "external_id", "status", "verified", "verified_at", "published_at", "confirmed_at",
            "expires_at", "is_expired", "created_at", "updated_at",
        ]
        read_only_fields = [
            "slug", "external_id", "status", "verified_at", "published_at", "confirmed_at",
            "created_at", "updated_at",
        ]
        extra_kwargs = {"description": {"required": False}}

    def get_verified(self, business) -> bool:
        return business.verified_at is not None

    def get_is_expired(self, business) -> bool:
        return business.status == Business.Status.PUBLISHED and business.is_expired()

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
        viewer = self.context.get("viewer")
        if viewer is None or not viewer.can_see_private(business):
            for name in PRIVATE_FIELDS:
                data.pop(name, None)
        return data


class BusinessImportSerializer(BusinessSerializer):
    """One row of an import file: the API's fields plus the import key and status."""

    writable_protected = ("external_id", "status")
    external_id = serializers.CharField(max_length=100)
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

    city = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
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
    ordering = django_filters.OrderingFilter(fields=("name", "updated_at", "created_at", "founded_year"))

    class Meta:
        model = Business
        fields = []


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PublishSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    verify = serializers.BooleanField(required=False, default=False)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


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
        return selectors.visible_businesses(viewer=self.viewer)

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


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "email": serializers.EmailField(),
                "is_staff": serializers.BooleanField(),
                "volunteer_cities": serializers.ListField(child=serializers.CharField()),
                "businesses": BusinessSerializer(many=True),
            },
        )
    )
    def get(self, request):
        viewer = selectors.viewer_for(request.user)
        businesses = Business.objects.filter(pk__in=viewer.managed_ids).select_related("city")
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
    code = serializers.CharField()
    title = serializers.CharField()
    level = serializers.CharField()


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
