"""How django-allauth fits the network: a new account remembers the language
it signed up in, and signing in lands on the firm's desk in that language."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation

from . import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = services.supported_language(translation.get_language())
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        language = services.supported_language(request.user.preferred_language or translation.get_language())
        with translation.override(language):
            return reverse("me")
