"""The search API: parse the parameters, ask search.selectors, render."""

import re

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.throttling import SearchThrottle
from directory.api import BusinessSerializer, LanguageTagField
from directory.models import Business, City

from . import selectors
from .query import SearchQuery


class CodePrefixField(serializers.CharField):
    def to_internal_value(self, data):
        value = re.sub(r"[\s.\-]", "", super().to_internal_value(data))
        if value and (not value.isdigit() or len(value) > 6):
            raise serializers.ValidationError("Give a code prefix of 2 to 6 digits, such as 8708.")
        return value


class SearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", trim_whitespace=True)
    city = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, allow_blank=True, default="")
    relationship = serializers.ChoiceField(choices=City.Relationship.choices, required=False, allow_blank=True, default="")
    naics = CodePrefixField(required=False, allow_blank=True, default="")
    offers = CodePrefixField(required=False, allow_blank=True, default="")
    seeks = CodePrefixField(required=False, allow_blank=True, default="")
    trade_role = serializers.ChoiceField(choices=Business.TradeRole.choices, required=False, allow_blank=True, default="")
    language = LanguageTagField(required=False, allow_blank=True, default="")
    verified = serializers.BooleanField(required=False, allow_null=True, default=None)
    page = serializers.IntegerField(min_value=1, max_value=10_000, required=False, default=1)
    page_size = serializers.IntegerField(min_value=1, required=False, default=20)

    def to_query(self):
        data = dict(self.validated_data)
        return SearchQuery(
            text=data.pop("q"),
            city=[slug.strip() for slug in data.pop("city").split(",") if slug.strip()],
            page_size=min(data.pop("page_size"), 200),
            **data,
        )


class SearchHitSerializer(BusinessSerializer):
    highlights = serializers.DictField(child=serializers.CharField(), read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    score = serializers.FloatField(read_only=True)

    class Meta(BusinessSerializer.Meta):
        fields = [f for f in BusinessSerializer.Meta.fields if f not in ("external_id",)] + ["highlights", "reasons", "score"]


def _render_hit(hit):
    business = hit.business
    business.highlights, business.reasons, business.score = hit.highlights, hit.reasons, hit.score
    return business


class SearchView(APIView):
    """Full-text and faceted search over published profiles, in every language
    of the network. Contact details are never part of a result."""

    throttle_classes = [SearchThrottle]

    @extend_schema(
        parameters=[SearchParams],
        responses=inline_serializer("SearchResponse", {
            "count": serializers.IntegerField(),
            "results": SearchHitSerializer(many=True),
            "facets": serializers.DictField(),
            "took_ms": serializers.IntegerField(),
            "backend": serializers.CharField(),
        }),
    )
    def get(self, request):
        params = SearchParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        result = selectors.search(params.to_query())
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
        return Response({"results": selectors.suggest(text)})
