"""Conventions shared by every API endpoint: pagination and error responses.

Services know nothing about HTTP; they raise Django's PermissionDenied and
ValidationError, or directory.services.InvalidTransition. The handler below
gives each its status code, so views stay thin and no input ends in a 500.
config.schema documents those answers on every operation they can come from.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.db import models
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # DRF silently ignores a page_size it cannot read; say so instead.
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (value.isdigit() and int(value) > 0):
            raise ValidationError({self.page_size_query_param: ["A whole number of at least 1."]})
        return super().get_page_size(request)

    def get_page_number(self, request, paginator):
        # The schema says a whole number; DRF would also take "" (page 1) and "last".
        value = request.query_params.get(self.page_query_param)
        if value is not None and not (value.isdigit() and int(value) > 0):
            raise ValidationError({self.page_query_param: ["A whole number of at least 1."]})
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


class TextField(serializers.CharField):
    """Text, and only text: DRF's CharField turns a number into its digits,
    while the schema promises a string. A client that sends 0 for a note has a
    bug worth a 400 naming the field, not a note that reads "0"."""

    default_error_messages = {"not_text": "Send text (a JSON string) here."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class TextRegexField(serializers.RegexField):
    """A RegexField that, like TextField, takes text only (a phone number sent
    as a JSON number is a client's bug, not a phone number)."""

    default_error_messages = TextField.default_error_messages

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


# A ModelSerializer whose text columns take text only (see TextField). A
# comment, not a docstring: the schema would give it to every subclass.
class ApiModelSerializer(serializers.ModelSerializer):

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
    }


class RejectNullCharacters:
    """Middleware: an API request with a NUL character in its address or query
    gets a 400. No field can hold one, and PostgreSQL refuses them in queries
    (an error, a 500, if they got that far)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            message = ["Null characters are not allowed."]
            for key, values in request.GET.lists():
                if "\x00" in key + "".join(values):
                    # Name the parameter, as any other 400 does.
                    return JsonResponse({key.replace("\x00", "") or "detail": message}, status=status.HTTP_400_BAD_REQUEST)
            if "\x00" in request.path + request.META.get("QUERY_STRING", ""):
                return JsonResponse({"detail": message}, status=status.HTTP_400_BAD_REQUEST)
        return self.get_response(request)


@csrf_exempt  # it changes nothing; a CSRF refusal would be an HTML page
def api_not_found(request, *args, **kwargs):
    """An /api/ address that matches no endpoint: a JSON 404 like every other,
    not Django's HTML page."""
    return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)


def exception_handler(exc, context):
    # Imported late: DRF loads this handler while the apps may still be loading.
    from directory.services import InvalidTransition
    from matching.introductions import RateLimited

    if isinstance(exc, InvalidTransition):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RateLimited):
        return Response({"detail": str(exc)}, status=status.HTTP_429_TOO_MANY_REQUESTS,
                        headers={"Retry-After": str(RATE_LIMIT_WINDOW_SECONDS)})
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
        else:
            data = {"detail": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


# matching.introductions.RateLimited counts a firm's requests over the last day.
RATE_LIMIT_WINDOW_SECONDS = 24 * 60 * 60
