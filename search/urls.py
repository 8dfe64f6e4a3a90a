from django.urls import path

from . import api

urlpatterns = [
    path("search/", api.SearchView.as_view(), name="search"),
    path("search/suggest/", api.SuggestView.as_view(), name="search-suggest"),
]
