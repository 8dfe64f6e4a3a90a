"""The search API: parse the parameters, ask search.selectors, render. And
the signed-in person's saved searches, kept in the search API's terms."""

from dataclasses import asdict

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import ApiModelSerializer, TextField

from config.throttling import SearchThrottle
from directory import selectors as directory_selectors
from directory.api import RESTRICTED_FIELDS, BusinessFilterParams, BusinessSerializer
from directory.models import Business

from . import selectors, services
from .models import SavedSearch
from .query import SearchQuery


class SearchParams(BusinessFilterParams):
    q = TextField(max_length=500, required=False, allow_blank=True, default="", trim_whitespace=True)
    side = serializers.ChoiceField(
        choices=[("offers", "offers"), ("seeks", "seeks")], required=False, allow_blank=True, default="",
        help_text="offers: find suppliers; seeks: find buyers; empty: both, suppliers first.",
    )
    include_own_city = serializers.BooleanField(
        required=False, default=False,
        help_text="A signed-in firm's own city is left out unless this is true.",
    )
    page = serializers.IntegerField(min_value=1, max_value=10_000, required=False, default=1)
    page_size = serializers.IntegerField(min_value=1, required=False, default=20)

    def to_query(self, *, own_cities=()):
        """The query; `own_cities` are the slugs of the signed-in firm's city
        (directory.selectors.own_cities), left out of the results unless the
        reader asked to include them."""
        leave_out = [] if self.validated_data["include_own_city"] else list(own_cities)
        return SearchQuery(
            **asdict(self.filters()),
            text=self.validated_data["q"],
            side=self.validated_data["side"],
            exclude_city=leave_out,
            page=self.validated_data["page"],
            page_size=min(self.validated_data["page_size"], 200),
        )


class SearchHitSerializer(BusinessSerializer):
    highlights = serializers.DictField(child=TextField(), read_only=True)
    reasons = serializers.ListField(child=TextField(), read_only=True)
    score = serializers.FloatField(read_only=True)

    class Meta(BusinessSerializer.Meta):
        # A result is the public face of a profile, whoever searches: no
        # contact, no import key, no changes waiting for review.
        fields = [f for f in BusinessSerializer.Meta.fields if f not in RESTRICTED_FIELDS] + ["highlights", "reasons", "score"]


_DATETIME = serializers.DateTimeField()  # DRF's own format and time zone, as the serializer's fields have them
_CHOICE_VALUES = {name: {str(value): value for value in choices.values}
                  for name, choices in (("employees", Business.Employees), ("status", Business.Status),
                                        ("trade_roles", Business.TradeRole))}


def hit_data(hit):
    """A hit as SearchHitSerializer renders it for anyone, written out: the
    same keys in the same order, the same values (tests/search/test_api.py
    holds them side by side). DRF builds about thirty fields per request and
    walks them for every hit, which cost more than the rest of the answer's
    rendering; the serializer stays the schema's description."""
    business, city = hit.business, hit.business.city

    def text(value):
        return None if value is None else str(value)

    def choice(name, value):
        return value if value in ("", None) else _CHOICE_VALUES[name].get(str(value), value)

    def moment(value):
        return None if value is None else _DATETIME.to_representation(value)

    return {
        "slug": text(business.slug),
        "name": text(business.name),
        "city": {"name": city.name, "slug": city.slug, "country": city.country, "relationship": city.relationship},
        "address": text(business.address),
        "website": text(business.website),
        "founded_year": None if business.founded_year is None else int(business.founded_year),
        "employees": choice("employees", business.employees),
        "description": text(business.description),
        "description_language": text(business.description_language),
        "naics": None if business.naics is None else [text(code) for code in business.naics],
        "offers_hs": None if business.offers_hs is None else [text(code) for code in business.offers_hs],
        "offers_text": text(business.offers_text),
        "seeks_hs": None if business.seeks_hs is None else [text(code) for code in business.seeks_hs],
        "seeks_text": text(business.seeks_text),
        "trade_roles": None if business.trade_roles is None else [
            None if role is None else choice("trade_roles", role) for role in business.trade_roles],
        "languages": None if business.languages is None else [text(tag) for tag in business.languages],
        "certifications": None if business.certifications is None else [text(c) for c in business.certifications],
        "status": choice("status", business.status),
        "verified": business.verified_at is not None,
        "verified_at": moment(business.verified_at),
        "published_at": moment(business.published_at),
        "confirmed_at": moment(business.confirmed_at),
        "expires_at": moment(business.expires_at),
        "is_expired": business.status == Business.Status.PUBLISHED and business.is_expired(),
        "created_at": moment(business.created_at),
        "updated_at": moment(business.updated_at),
        "highlights": {str(name): text(fragment) for name, fragment in hit.highlights.items()},
        "reasons": [text(reason) for reason in hit.reasons],
        "score": float(hit.score),
    }


class SearchView(APIView):
    """Full-text and faceted search over published profiles, in every language
    of the network. Words are also read as HS and NAICS codes, so a firm that
    offers the code is found whatever language it wrote in. For a plain query
    what firms offer ranks before what they seek; `side` narrows to suppliers
    or buyers. A signed-in firm's own city is left out unless
    `include_own_city` is true. Contact details are never part of a result."""

    throttle_classes = [SearchThrottle]

    @extend_schema(
        parameters=[SearchParams],
        responses=inline_serializer("SearchResponse", {
            "count": serializers.IntegerField(),
            "results": SearchHitSerializer(many=True),
            "facets": serializers.DictField(),
            "took_ms": serializers.IntegerField(),
            "backend": TextField(),
        }),
    )
    def get(self, request):
        # A plain dict: an empty parameter (page=) is then an error, not DRF's form-style default.
        params = SearchParams(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        own = directory_selectors.own_cities(viewer=directory_selectors.viewer_for(request.user))
        result = selectors.search(params.to_query(own_cities=own))
        return Response({
            "count": result.total,
            "results": [hit_data(hit) for hit in result.hits],
            "facets": result.facets,
            "took_ms": result.took_ms,
            "backend": result.backend,
        }, headers={"Server-Timing": result.server_timing()})


class SuggestView(APIView):
    """Autocomplete: business names by prefix and HS / NAICS entries by words."""

    throttle_classes = [SearchThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("q", str)],
        responses=inline_serializer("SuggestResponse", {"results": serializers.ListField(child=serializers.DictField())}),
    )
    def get(self, request):
        text = request.query_params.get("q", "")[:200]
        return Response({"results": selectors.suggest(text, language=request.LANGUAGE_CODE)})


# --- saved searches -------------------------------------------------------------------


class SavedSearchParams(SearchParams):
    """A search to keep: the search API's words, side and filters, checked by
    the same rules (its page and the own-city switch are not kept)."""

    page = None
    page_size = None
    include_own_city = None


class SavedSearchSerializer(ApiModelSerializer):
    q = TextField(source="text", read_only=True, help_text="The words searched for.")
    filters = serializers.DictField(
        child=TextField(), read_only=True,
        help_text="The business filters that are set, as the search API's query parameters read them.",
    )
    description = serializers.SerializerMethodField(help_text="The search in plain words, in the reader's language.")
    new_matches = serializers.IntegerField(read_only=True, help_text="Listed firms found and not yet in a digest.")
    matches_found = serializers.IntegerField(read_only=True, help_text="Listed firms found since it was saved.")
    directory_url = serializers.SerializerMethodField(help_text="The directory page showing this search now.")

    class Meta:
        model = SavedSearch
        fields = ["id", "q", "side", "filters", "description", "alerts", "new_matches", "matches_found",
                  "directory_url", "created_at"]
        read_only_fields = fields

    def get_description(self, saved_search) -> str:
        return " · ".join(selectors.describe(saved_search))

    def get_directory_url(self, saved_search) -> str:
        return reverse("directory") + selectors.directory_querystring(saved_search)


class SavedSearchAlertsSerializer(serializers.Serializer):
    alerts = serializers.BooleanField(help_text="true: a daily digest of new matches; false: none.")


@extend_schema_view(
    list=extend_schema(description="The signed-in person's saved searches, newest first."),
    retrieve=extend_schema(description="One of the signed-in person's saved searches."),
    destroy=extend_schema(description="Delete a saved search; its digests stop with it."),
)
class SavedSearchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                         viewsets.GenericViewSet):
    """The signed-in person's saved searches. Once a day the firms published or
    changed since the day before are put to each one with alerts on, and its
    new matches arrive in one digest email. Nobody else sees them."""

    permission_classes = [IsAuthenticated]
    serializer_class = SavedSearchSerializer
    filter_backends = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if not self.request.user.is_authenticated:  # the schema generator asks without a user
            return SavedSearch.objects.none()
        return selectors.saved_searches_for(user=self.request.user)

    def _render(self, saved_search, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=saved_search.pk)).data, status=code)

    @extend_schema(request=SavedSearchParams, responses={
        201: SavedSearchSerializer,
        200: OpenApiResponse(SavedSearchSerializer, description="This search was saved already: the one kept."),
    })
    def create(self, request):
        """Save a search: the words, side and filters of GET /search/."""
        # A form's missing checkbox would read as verified=false; a plain dict leaves it unset.
        data = request.data.dict() if hasattr(request.data, "dict") else request.data
        params = SavedSearchParams(data=data)
        params.is_valid(raise_exception=True)
        saved_search, created = services.save_search(
            user=request.user, text=params.validated_data["q"], side=params.validated_data["side"],
            filters=params.filters(),
        )
        return self._render(saved_search, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=SavedSearchAlertsSerializer, responses=SavedSearchSerializer)
    def partial_update(self, request, pk=None):
        """Turn the daily digest of a saved search on or off."""
        saved_search = self.get_object()
        params = SavedSearchAlertsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.set_alerts(user=request.user, saved_search=saved_search, on=params.validated_data["alerts"])
        return self._render(saved_search)

    def perform_destroy(self, instance):
        services.delete_search(user=self.request.user, saved_search=instance)
