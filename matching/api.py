"""Introductions over the API: who may see which, filtered for the staff queue."""

import django_filters
from django.db.models import Q
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from directory import selectors as directory_selectors
from directory.models import City

from . import selectors
from .models import Introduction


class IntroducedBusinessSerializer(serializers.Serializer):
    """The public face of a firm in an introduction."""

    slug = serializers.CharField()
    name = serializers.CharField()
    city = serializers.SerializerMethodField()

    def get_city(self, business) -> dict:
        city = business.city
        return {"name": city.name, "slug": city.slug, "country": city.country, "relationship": city.relationship}


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    weight = serializers.FloatField()


class IntroductionSerializer(serializers.ModelSerializer):
    business_a = IntroducedBusinessSerializer()
    business_b = IntroducedBusinessSerializer()
    reasons = ReasonSerializer(many=True)

    class Meta:
        model = Introduction
        fields = ["id", "status", "score", "reasons", "business_a", "business_b", "created_at", "updated_at"]


class IntroductionFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Introduction.Status.choices)
    city = django_filters.CharFilter(method="filter_city", help_text="Either side is in this city (slug).")
    city_pair = django_filters.CharFilter(
        method="filter_city_pair", help_text="Two city slugs joined by a comma, either order: aurora,seongnam."
    )
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte")
    max_score = django_filters.NumberFilter(field_name="score", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(fields=("score", "created_at", "updated_at"))

    class Meta:
        model = Introduction
        fields = []

    def filter_city(self, queryset, name, value):
        return queryset.filter(Q(business_a__city__slug=value) | Q(business_b__city__slug=value))

    def filter_city_pair(self, queryset, name, value):
        slugs = [v.strip() for v in value.split(",") if v.strip()]
        if len(slugs) != 2 or City.objects.filter(slug__in=slugs).count() != len(set(slugs)):
            raise serializers.ValidationError({name: "Give two known city slugs, such as aurora,seongnam."})
        first, second = slugs
        return queryset.filter(
            Q(business_a__city__slug=first, business_b__city__slug=second)
            | Q(business_a__city__slug=second, business_b__city__slug=first)
        )


class IntroductionViewSet(viewsets.ReadOnlyModelViewSet):
    """Proposed and requested introductions. Staff see the whole queue; a firm
    sees its own once staff approved them."""

    serializer_class = IntroductionSerializer
    filterset_class = IntroductionFilter
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        viewer = directory_selectors.viewer_for(self.request.user)
        return selectors.visible_introductions(viewer=viewer)
