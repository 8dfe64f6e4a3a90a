from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("introductions", api.IntroductionViewSet, basename="introduction")

urlpatterns = [
    path("me/introductions/", api.InboxView.as_view(), name="inbox"),
    path("metrics/introductions/", api.FunnelView.as_view(), name="introduction-funnel"),
    *router.urls,
]
