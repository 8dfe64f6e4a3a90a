from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("introductions", api.IntroductionViewSet, basename="introduction")

urlpatterns = router.urls
