import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.deploy_checks import refuse_to_serve_insecurely  # noqa: E402  (needs the settings above)

refuse_to_serve_insecurely()
