import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recolte.settings")
application = get_wsgi_application()

# The search engine is loaded before the first person searches (see recolte.corpus.warm).
from recolte.corpus.warm import warm_soon  # noqa: E402  (needs the application set up)

warm_soon()
