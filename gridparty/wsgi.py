import os

from django.core.wsgi import get_wsgi_application

# Serving defaults to production; development must say so (gridparty.startup).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridparty.settings.prod")
application = get_wsgi_application()

from gridparty.startup import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start("WSGI")
