"""Introductions over the API: who may see which, filtered for the staff queue."""

import django_filters
from django.db.models import Q
import csv

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer, inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import ApiModelSerializer, TextField

from config.throttling import IntroductionRequestThrottle
from directory import selectors as directory_selectors
from directory.models import Business, City

from . import introductions, selectors
from .models import Introduction


class IntroducedBusinessSerializer(serializers.Serializer):
    """The public face of a firm in an introduction."""

    slug = TextField()
    name = TextField()
    city = serializers.SerializerMethodField()

    def get_city(self, business) -> dict:
        city = business.city
        return {"name": city.name, "slug": city.slug, "country": city.country, "relationship": city.relationship}


@extend_schema_serializer(component_name="MatchReason")  # directory has a Reason too
class ReasonSerializer(serializers.Serializer):
    code = TextField()
    text = TextField()
    weight = serializers.FloatField()


class IntroductionSerializer(ApiModelSerializer):
    business_a = IntroducedBusinessSerializer()
    business_b = IntroducedBusinessSerializer()
    reasons = ReasonSerializer(many=True)
    accepted_by_a = serializers.SerializerMethodField()
    accepted_by_b = serializers.SerializerMethodField()

    class Meta:
        model = Introduction
        fields = ["id", "status", "round", "score", "reasons", "business_a", "business_b", "accepted_by_a", "accepted_by_b",
                  "outcome", "created_at", "updated_at"]

    def get_accepted_by_a(self, introduction) -> bool:
        return introduction.accepted_a_at is not None

    def get_accepted_by_b(self, introduction) -> bool:
        return introduction.accepted_b_at is not None


class EventSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    action = TextField()
    from_status = TextField()
    to_status = TextField()
    note = TextField()
    actor = TextField(allow_null=True, help_text="Empty when the viewer may not know who acted.")
    created_at = serializers.DateTimeField()


class IntroductionDetailSerializer(IntroductionSerializer):
    """One introduction as the caller may see it: the history of every round
    (as matching.selectors.history_for allows), and the other firm's contact
    once, and only once, introduced."""

    history = serializers.SerializerMethodField()
    counterpart_contact = serializers.SerializerMethodField()

    class Meta(IntroductionSerializer.Meta):
        fields = IntroductionSerializer.Meta.fields + [
            "message", "approval_message", "outcome_value", "outcome_note", "introduced_at", "history",
            "counterpart_contact",
        ]

    def get_history(self, introduction) -> list:
        return EventSerializer(selectors.history_for(introduction=introduction, viewer=self.context["viewer"]),
                               many=True).data

    def get_counterpart_contact(self, introduction) -> dict | None:
        counterpart = selectors.counterpart_for(introduction=introduction, viewer=self.context["viewer"])
        if counterpart is None:
            return None
        return {"business": counterpart.slug, "name": counterpart.contact_name,
                "email": counterpart.contact_email, "phone": counterpart.contact_phone}


class IntroductionFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Introduction.Status.choices)
    city = django_filters.CharFilter(method="filter_city", help_text="Either side is in this city (slug).")
    city_pair = django_filters.CharFilter(
        method="filter_city_pair", help_text="Two city slugs joined by a comma, either order: aurora,seongnam."
    )
    min_score = django_filters.NumberFilter(field_name="score", lookup_expr="gte", min_value=0, max_value=1)
    max_score = django_filters.NumberFilter(field_name="score", lookup_expr="lte", min_value=0, max_value=1)
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


class RequestSerializer(serializers.Serializer):
    target = TextField(max_length=220)
    message = TextField(max_length=4000, required=False, allow_blank=True, default="")
    # "from" is a keyword in Python, so the field is declared below.

    def validate_target(self, value):
        return _public_business(value, "target")

    def validate(self, attrs):
        requester = self.initial_data.get("from") if hasattr(self.initial_data, "get") else None
        attrs["requester"] = _public_business(requester, "from") if requester else None
        return attrs


def _public_business(slug, field):
    business = Business.objects.public().filter(slug=str(slug)).first()
    if business is None:
        raise serializers.ValidationError({field: f"No published profile “{slug}”."} if field == "from" else
                                          f"No published profile “{slug}”.")
    return business


class ApproveSerializer(serializers.Serializer):
    message = TextField(max_length=4000, required=False, allow_blank=True, default="")


class DismissSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Introduction.DismissReason.choices)
    note = TextField(max_length=4000, required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    business = TextField(max_length=220, required=False, help_text="Only if you manage both firms.")
    reason = TextField(max_length=4000, required=False, allow_blank=True, default="")


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Introduction.Outcome.choices)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True)
    note = TextField(max_length=4000, required=False, allow_blank=True, default="")


class IntroductionViewSet(viewsets.ReadOnlyModelViewSet):
    """Introductions. Staff see the whole queue and decide; a firm sees its own
    once staff approved them (or those it asked for), and answers them."""

    filterset_class = IntroductionFilter
    permission_classes = [IsAuthenticated]
    throttle_classes = [IntroductionRequestThrottle]  # on `create` only

    def get_queryset(self):
        return selectors.visible_introductions(viewer=self.viewer)

    def get_serializer_class(self):
        return IntroductionSerializer if self.action == "list" else IntroductionDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "viewer": self.viewer}

    @property
    def viewer(self):
        if not hasattr(self, "_viewer"):
            self._viewer = directory_selectors.viewer_for(self.request.user)
        return self._viewer

    @extend_schema(request=RequestSerializer, responses={201: IntroductionDetailSerializer})
    def create(self, request):
        """A firm asks to be introduced to a profile it found."""
        params = RequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        introduction = introductions.request_introduction(
            actor=request.user, target=params.validated_data["target"],
            requester=params.validated_data["requester"], message=params.validated_data["message"],
        )
        return Response(IntroductionDetailSerializer(introduction, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def _transition(self, service, params_class=None, **kwargs):
        introduction = self.get_object()
        if params_class is not None:
            params = params_class(data=self.request.data)
            params.is_valid(raise_exception=True)
            kwargs.update(params.validated_data)
        introduction = service(actor=self.request.user, introduction=introduction, **kwargs)
        introduction = self.get_queryset().get(pk=introduction.pk)
        return Response(IntroductionDetailSerializer(introduction, context=self.get_serializer_context()).data)

    def _answer_params(self):
        params = AnswerSerializer(data=self.request.data)
        params.is_valid(raise_exception=True)
        slug = params.validated_data.get("business")
        business = Business.objects.filter(slug=slug).first() if slug else None
        if slug and business is None:
            raise serializers.ValidationError({"business": f"No profile “{slug}”."})
        return business, params.validated_data["reason"]

    @extend_schema(request=ApproveSerializer, responses=IntroductionDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(introductions.approve_introduction, ApproveSerializer)

    @extend_schema(request=DismissSerializer, responses=IntroductionDetailSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return self._transition(introductions.dismiss_introduction, DismissSerializer)

    @extend_schema(request=AnswerSerializer, responses=IntroductionDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        business, _ = self._answer_params()
        return self._transition(introductions.accept_introduction, business=business)

    @extend_schema(request=AnswerSerializer, responses=IntroductionDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        business, reason = self._answer_params()
        return self._transition(introductions.decline_introduction, business=business, reason=reason)

    @extend_schema(request=OutcomeSerializer, responses=IntroductionDetailSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        return self._transition(introductions.record_outcome, OutcomeSerializer)


class InboxItemSerializer(IntroductionSerializer):
    awaiting_your_answer = serializers.BooleanField()

    class Meta(IntroductionSerializer.Meta):
        fields = IntroductionSerializer.Meta.fields + ["awaiting_your_answer"]


class InboxView(APIView):
    """The signed-in user's introductions that are theirs to see, those
    awaiting their answer first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=inline_serializer("Inbox", {"results": InboxItemSerializer(many=True)}))
    def get(self, request):
        viewer = directory_selectors.viewer_for(request.user)
        introductions = selectors.inbox(viewer=viewer)
        data = IntroductionSerializer(introductions, many=True, context={"viewer": viewer}).data
        for item, introduction in zip(data, introductions):
            item["awaiting_your_answer"] = selectors.awaits_answer(introduction=introduction, viewer=viewer)
        return Response({"results": data})


class FunnelRowSerializer(serializers.Serializer):
    """One city pair in one month (of creation) of the funnel."""

    city_pair = TextField(help_text="Two city slugs, sorted, joined by a comma.")
    month = TextField(help_text="YYYY-MM")
    proposed = serializers.IntegerField()
    approved = serializers.IntegerField()
    accepted = serializers.IntegerField(help_text="At least one firm accepted.")
    introduced = serializers.IntegerField()
    met = serializers.IntegerField(help_text="Any outcome beyond no fit: met, negotiating, deal.")
    deal = serializers.IntegerField()
    acceptance_rate = serializers.FloatField(allow_null=True, help_text="Introduced over approved.")
    median_days_to_approval = serializers.FloatField(allow_null=True)
    median_days_to_introduction = serializers.FloatField(allow_null=True)
    median_days_to_outcome = serializers.FloatField(allow_null=True)


class FunnelSerializer(serializers.Serializer):
    results = FunnelRowSerializer(many=True)


class FunnelView(APIView):
    """Staff: the introduction funnel by city pair and month (`?export=csv` for a spreadsheet)."""

    permission_classes = [IsAdminUser]

    @extend_schema(
        parameters=[OpenApiParameter("export", str, enum=["csv"], description="csv: the same rows as a spreadsheet.")],
        responses={
            (200, "application/json"): FunnelSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="With ?export=csv: one row per city pair and month."),
        },
    )
    def get(self, request):
        export = request.query_params.get("export")
        if export not in (None, "csv"):
            raise serializers.ValidationError({"export": ["Use export=csv, or leave it out for JSON."]})
        rows = selectors.introduction_funnel()
        if export == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="introduction-funnel.csv"'
            columns = ["city_pair", "month", *selectors.FUNNEL_STAGES, "acceptance_rate",
                       "median_days_to_approval", "median_days_to_introduction", "median_days_to_outcome"]
            writer = csv.DictWriter(response, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
            return response
        return Response({"results": rows})
