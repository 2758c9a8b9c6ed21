from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, which on many
    office machines says English; township staff expect Chinese. Only the language
    cookie (set by the language switcher) overrides LANGUAGE_CODE here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
