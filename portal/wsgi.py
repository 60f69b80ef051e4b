import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
application = get_wsgi_application()

# What is loaded by now (Django, Wagtail and the apps' modules, models and settings) lives as long as the worker.
# Moved out of the collector's generations, it is no longer walked by every older-generation collection: about
# 6 ms of CPU for each person of the INSET morning, of 8 spent collecting (bench/results.md).
gc.freeze()
