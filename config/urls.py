from csp.constants import NONCE
from csp.decorators import csp_update
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.api import api_not_found
from config.throttling import IntroductionRequestThrottle, SearchThrottle, allauth_too_many_requests, throttled_page
from directory import views as directory_views
from matching import views as matching_views
from search import views as search_views

# The API docs are Swagger UI, whose files come from jsDelivr and which starts
# with an inline style and script. This page alone may load Swagger UI's own
# folder there, and runs only the inline blocks carrying the request's nonce
# (templates/api/swagger_ui.html); every other page keeps the site's policy.
SWAGGER_UI_FILES = spectacular_settings.SWAGGER_UI_DIST + "/"
api_docs = csp_update({
    "script-src": [SWAGGER_UI_FILES, NONCE],
    "style-src": [SWAGGER_UI_FILES, NONCE],
    "img-src": [SWAGGER_UI_FILES],  # the favicon
})(SpectacularSwaggerView.as_view(url_name="schema", template_name="api/swagger_ui.html"))

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("directory.urls")),
    path("api/v1/", include("search.urls")),
    path("api/v1/", include("matching.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="swagger-ui"),
    # Last of the API: an address no endpoint matched (ending in "/", so
    # APPEND_SLASH still redirects one that lacks it).
    re_path(r"^api/[\s\S]*/$", api_not_found),  # [\s\S]: an address holding a newline is still an API address
    path("i18n/setlang/", directory_views.set_language, name="set_language"),
]

# The pages, under a language prefix (/es/directory/). An address without one
# redirects to the visitor's language, from their cookie or Accept-Language.
urlpatterns += i18n_patterns(
    path("", directory_views.home, name="home"),
    # The page shares the API's throttles: same work, same limits.
    path("directory/", throttled_page(SearchThrottle)(search_views.directory), name="directory"),
    path("b/<str:slug>/", directory_views.profile, name="profile"),
    path("b/<str:slug>/request-introduction/",
         throttled_page(IntroductionRequestThrottle)(matching_views.request_introduction), name="request-introduction"),
    path("b/<str:slug>/report/", directory_views.report_profile, name="report-profile"),
    path("cities/<slug:slug>/", directory_views.city, name="city"),
    # A firm's own desk.
    path("me/", directory_views.me, name="me"),
    path("me/firms/new/", directory_views.business_create, name="business-create"),
    path("me/firms/<str:slug>/edit/", directory_views.business_edit, name="business-edit"),
    path("me/firms/<str:slug>/<str:action>/", directory_views.business_action, name="business-action"),
    path("me/account/", directory_views.account, name="account"),
    path("me/account/data.json", directory_views.account_export, name="account-export"),
    path("me/account/delete/", directory_views.account_delete, name="account-delete"),
    path("me/searches/", search_views.saved_searches, name="saved-searches"),
    path("me/searches/<int:pk>/<str:action>/", search_views.saved_search_action, name="saved-search-action"),
    # A digest's one-click unsubscribe: a signed token, no session needed.
    path("searches/unsubscribe/<str:token>/", search_views.unsubscribe, name="saved-searches-unsubscribe"),
    path("searches/resubscribe/", search_views.resubscribe, name="saved-searches-resubscribe"),
    path("me/introductions/", matching_views.my_introductions, name="my-introductions"),
    path("me/introductions/<int:pk>/<str:action>/", matching_views.introduction_answer, name="introduction-answer"),
    # Staff and volunteers.
    path("staff/", directory_views.staff_desk, name="staff-desk"),
    path("staff/profiles/", directory_views.moderation_queue, name="moderation-queue"),
    path("staff/profiles/<str:slug>/<str:action>/", directory_views.moderate, name="moderate"),
    path("staff/flags/<int:pk>/<str:action>/", directory_views.flag_action, name="flag-action"),
    path("staff/introductions/", matching_views.introduction_queue, name="introduction-queue"),
    path("staff/introductions/bulk/", matching_views.introduction_bulk, name="introduction-bulk"),
    path("staff/introductions/<int:pk>/<str:action>/", matching_views.introduction_decide, name="introduction-decide"),
    path("staff/runs/", matching_views.match_runs, name="match-runs"),
    path("staff/metrics/", matching_views.metrics, name="metrics"),
    path("accounts/", include("allauth.urls")),
)


# allauth's rate limits (sign-up) answer with ROOT_URLCONF.handler429.
handler429 = allauth_too_many_requests
