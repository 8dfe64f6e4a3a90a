from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("cities", api.CityViewSet, basename="city")
router.register("businesses", api.BusinessViewSet, basename="business")
router.register("profile-flags", api.ProfileFlagViewSet, basename="profile-flag")
router.register("taxonomy/hs", api.HSViewSet, basename="taxonomy-hs")
router.register("taxonomy/naics", api.NAICSViewSet, basename="taxonomy-naics")

urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path("auth/token/", obtain_auth_token, name="auth-token"),
    path("", include(router.urls)),
]
