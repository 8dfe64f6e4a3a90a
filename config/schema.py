"""The OpenAPI schema: drf-spectacular's, made true to the API.

It adds the error answers (400/401/403/404/409/429, as config.api.exception_handler,
DRF and the throttles give them) to every operation that can give them, and
describes Unicode slugs and decimal strings as the API accepts them.
"""

from django.db import models
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import get_view_model
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers
from rest_framework.authtoken.views import ObtainAuthToken


class ErrorSerializer(serializers.Serializer):
    """Every refusal but a validation error: one sentence for a person."""

    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    """A 400: messages per field (see the extension below for its schema)."""


class ValidationErrorExtension(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": (
                "Messages per field: each invalid field (or query parameter) maps to a list of messages; "
                "for a list or nested field, to its messages by position or key. `non_field_errors` and "
                "`detail` hold messages about the request as a whole."
            ),
            "additionalProperties": {},
            "example": {"founded_year": ["A founding year cannot be in the future."]},
        }


# A Unicode slug (django.utils.text.slugify(allow_unicode=True)): letters and
# digits of any script, "-" and "_". Written without \w, which is ASCII-only in
# the ECMA-262 regexes JSON Schema uses: every ASCII character but those, and
# anything beyond ASCII (so agroexportadora-tárcoles-sa and 晶創腳踏車 are valid).
UNICODE_SLUG_PATTERN = r"^[^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]+$"

BLANK = {"type": "string", "maxLength": 0}

ERRORS = {
    400: (ValidationErrorSerializer, "The input is invalid; messages per field."),
    401: (ErrorSerializer, "Not signed in, or the token or session is not valid."),
    403: (ErrorSerializer, "Signed in, but not allowed to do this."),
    404: (ErrorSerializer, "No such object, or not one the caller may see; or no such page."),
    409: (ErrorSerializer, "The object is not in a state that allows this."),
    429: (ErrorSerializer, "Too many requests (or, for sign-in, too many failures); see Retry-After."),
}
# Permissions under which a signed-in caller is never refused a read.
OPEN_TO_READERS = (permissions.AllowAny, permissions.IsAuthenticated, permissions.IsAuthenticatedOrReadOnly)
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the error answers each operation can give,
    Unicode slug patterns, and JSON request bodies."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for code in sorted(self._error_codes(operation)):
            if str(code) not in operation["responses"]:
                serializer, description = ERRORS[code]
                operation["responses"][str(code)] = self._get_response_for_code(
                    OpenApiResponse(serializer, description=description), str(code)
                )
        return operation

    def _error_codes(self, operation):
        parameters = operation.get("parameters", [])
        unsafe = self.method in UNSAFE
        codes = {400, 401}  # any request may be malformed (config.api.RejectNullCharacters) or carry a wrong token
        if unsafe or not all(isinstance(p, OPEN_TO_READERS) for p in self.view.get_permissions()):
            codes.add(403)  # a refused permission, or CSRF for a session
        paginated = getattr(self.view, "pagination_class", None) is not None
        if any(p["in"] == "path" or (paginated and p["name"] == "page") for p in parameters):
            codes.add(404)
        signing_in = isinstance(self.view, ObtainAuthToken)
        if unsafe and not signing_in:
            codes.add(409)  # a service refused the transition
        if signing_in or self._throttled():
            codes.add(429)  # a locked-out account, or a throttle
        return codes

    def _throttled(self):
        for throttle in self.view.get_throttles():
            applies = getattr(throttle, "applies_to", None)
            if applies is None or applies(None, self.view):
                return True
        return False

    def map_parsers(self):
        """Document JSON bodies only. The API also parses forms (for the
        browsable API), but a form cannot say "a string, not a number", so
        JSON is the one contract."""
        return ["application/json"]

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if BLANK in schema.get("oneOf", ()):
            # drf-spectacular writes "a value, or blank" as oneOf; a pattern
            # that also matches "" makes "" match both, which oneOf forbids.
            schema["anyOf"] = schema.pop("oneOf")

    def _get_filter_parameters(self):
        # django-filter reads a blank value as "no filter", whatever the type.
        parameters = super()._get_filter_parameters()
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") != "string" or {"format", "pattern", "enum"} & set(schema):
                parameter["schema"] = {"anyOf": [schema, BLANK]}
        return parameters

    def _map_model_field(self, model_field, direction):
        schema = super()._map_model_field(model_field, direction)
        if isinstance(model_field, models.SlugField) and model_field.allow_unicode:
            schema["pattern"] = UNICODE_SLUG_PATTERN
        return schema

    def _resolve_path_parameters(self, variables):
        # A lookup regex such as [^/]+ says what the router accepts, not what
        # a slug is; the model field says that.
        parameters = super()._resolve_path_parameters(variables)
        model = get_view_model(self.view, emit_warnings=False)
        lookup = getattr(self.view, "lookup_field", None)
        if model is not None and lookup and lookup != "pk":
            field = model._meta.get_field(lookup)
            if isinstance(field, models.SlugField) and field.allow_unicode:
                for parameter in parameters:
                    if parameter["name"] == (getattr(self.view, "lookup_url_kwarg", None) or lookup):
                        parameter["schema"]["pattern"] = UNICODE_SLUG_PATTERN
        return parameters

    def _map_basic_serializer(self, serializer, direction):
        # A serializer may leave some fields out for some readers (a profile's
        # contact for the public); it names them in `conditional_fields`, and
        # the schema says they may be absent.
        schema = super()._map_basic_serializer(serializer, direction)
        conditional = set(getattr(serializer, "conditional_fields", ()))
        if conditional and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in conditional]
            if not schema["required"]:
                del schema["required"]
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.SlugField) and field.allow_unicode:
            schema["pattern"] = UNICODE_SLUG_PATTERN
        elif isinstance(field, serializers.DecimalField) and schema.get("type") == "string":
            # drf-spectacular's pattern lets "" and "-" through, which DecimalField refuses.
            whole = f"{{1,{field.max_digits - field.decimal_places}}}" if field.max_digits else "+"
            fraction = f"{{1,{field.decimal_places}}}" if field.decimal_places else "+"
            sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
            optional = "?" if field.allow_null else ""  # "" reads as null then
            schema["pattern"] = rf"^({sign}\d{whole}(?:\.\d{fraction})?){optional}$"
        return schema
