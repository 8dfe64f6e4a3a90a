"""The profile form of the pages.

It only collects and displays: the rules (codes checked against HS 2022 and
NAICS 2022, language tags, the country of the city, lengths) are the API's,
so a profile typed on a page and one posted as JSON are judged alike.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .api import BusinessSerializer
from .models import Business, City


def _limit(name):
    """The model's length limit, so the page and the API stop at the same place."""
    return Business._meta.get_field(name).max_length

DESCRIPTION_LANGUAGES = [
    ("en", "English"), ("es", "Español"), ("ko", "한국어"), ("zh-Hant", "繁體中文"), ("pl", "Polski"),
    ("am", "አማርኛ"), ("om", "Afaan Oromoo"),
]
LIST_FIELDS = ("naics", "offers_hs", "seeks_hs", "languages", "certifications")


def split_list(value):
    """"870830, 8708 ; 0901" -> ["870830", "8708", "0901"]."""
    return [part.strip() for part in re.split(r"[,;\n]+", value or "") if part.strip()]


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Firm name"), max_length=_limit("name"))
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.all(), to_field_name="slug",
                                  empty_label=_("Choose your city"))
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), max_length=_limit("description"),
        help_text=_("What the firm does, in the language you write best."),
    )
    description_language = forms.ChoiceField(label=_("Language of the description"), choices=DESCRIPTION_LANGUAGES)
    offers_hs = forms.CharField(
        label=_("HS codes you offer"), required=False,
        widget=forms.TextInput(attrs={"data-picker": "hs", "autocomplete": "off"}),
        help_text=_("Type a product to find its code, or enter codes separated by commas, e.g. 090111."),
    )
    offers_text = forms.CharField(label=_("What you offer, in your words"), required=False,
                                  max_length=_limit("offers_text"), widget=forms.Textarea(attrs={"rows": 2}))
    seeks_hs = forms.CharField(
        label=_("HS codes you seek"), required=False,
        widget=forms.TextInput(attrs={"data-picker": "hs", "autocomplete": "off"}),
        help_text=_("Type a product to find its code, or enter codes separated by commas, e.g. 870830."),
    )
    seeks_text = forms.CharField(label=_("What you seek, in your words"), required=False,
                                 max_length=_limit("seeks_text"), widget=forms.Textarea(attrs={"rows": 2}))
    naics = forms.CharField(
        label=_("NAICS industry codes"), required=False,
        widget=forms.TextInput(attrs={"data-picker": "naics", "autocomplete": "off"}),
        help_text=_("Type your industry to find its code, e.g. coffee roasting."),
    )
    trade_roles = forms.MultipleChoiceField(label=_("Trade roles"), choices=Business.TradeRole.choices,
                                            required=False, widget=forms.CheckboxSelectMultiple)
    languages = forms.CharField(label=_("Languages you work in"), required=False,
                                help_text=_("Language codes separated by commas, e.g. es, en."))
    website = forms.CharField(label=_("Website"), required=False, max_length=300)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    founded_year = forms.IntegerField(label=_("Year founded"), required=False)
    employees = forms.ChoiceField(label=_("Employees"), required=False,
                                  choices=[("", "—"), *Business.Employees.choices])
    certifications = forms.CharField(label=_("Certifications"), required=False,
                                     help_text=_("Separated by commas, e.g. ISO 9001, Fairtrade."))
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    contact_email = forms.EmailField(
        label=_("Contact email"), required=False,
        help_text=_("Private: shown only to staff and to firms you agreed to be introduced to."),
    )
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=40)

    def __init__(self, data=None, *args, business=None, **kwargs):
        self.business = business
        if business is not None and "initial" not in kwargs:
            # Only an unbound form shows its initial values; a bound one ignores them.
            kwargs["initial"] = initial_for(business)
        super().__init__(data, *args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        payload = {name: value for name, value in cleaned.items() if name != "city"}
        payload["city"] = cleaned["city"].slug
        for name in LIST_FIELDS:
            payload[name] = split_list(cleaned.get(name))
        if payload.get("founded_year") is None:
            payload.pop("founded_year", None)
        serializer = BusinessSerializer(instance=self.business, data=payload, partial=self.business is not None)
        if not serializer.is_valid():
            for field, errors in serializer.errors.items():
                target = field if field in self.fields else None
                for message in _flatten(errors):
                    self.add_error(target, message)
            return cleaned
        self.validated_data = serializer.validated_data
        return cleaned


def initial_for(business):
    """The profile as its owner wants it: the published values with any changes
    still waiting for review laid over them, so saving the form again keeps
    the proposal rather than withdrawing it."""
    values = {name: getattr(business, name) for name in (
        "name", "city", "description", "description_language", "offers_text", "seeks_text", "trade_roles",
        "website", "address", "founded_year", "employees", "contact_name", "contact_email", "contact_phone",
        *LIST_FIELDS,
    )}
    revision = getattr(business, "pending_revision", None)
    if revision is not None:
        values.update({name: value for name, value in revision.proposed().items() if value is not None})
    values["city"] = values["city"].slug
    for name in LIST_FIELDS:
        values[name] = ", ".join(values[name] or [])
    return values


def _flatten(errors):
    if isinstance(errors, dict):
        for value in errors.values():
            yield from _flatten(value)
    elif isinstance(errors, (list, tuple)):
        for value in errors:
            yield from _flatten(value)
    else:
        yield str(errors)
