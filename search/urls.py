from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("saved-searches", api.SavedSearchViewSet, basename="saved-search")

urlpatterns = [
    path("search/", api.SearchView.as_view(), name="search"),
    path("search/suggest/", api.SuggestView.as_view(), name="search-suggest"),
    *router.urls,
]
