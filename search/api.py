"""The search API: parse the parameters, ask search.selectors, render."""

from dataclasses import asdict

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import TextField

from config.throttling import SearchThrottle
from directory import selectors as directory_selectors
from directory.api import RESTRICTED_FIELDS, BusinessFilterParams, BusinessSerializer

from . import selectors
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


def _render_hit(hit):
    business = hit.business
    business.highlights, business.reasons, business.score = hit.highlights, hit.reasons, hit.score
    return business


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
        hits = SearchHitSerializer([_render_hit(h) for h in result.hits], many=True, context={"viewer": None})
        return Response({
            "count": result.total,
            "results": hits.data,
            "facets": result.facets,
            "took_ms": result.took_ms,
            "backend": result.backend,
        })


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
