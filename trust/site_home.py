"""The site's home page, under which each app keeps its index page (policies, guidance, training).

Found through the default Site rather than the home app's model, so that the apps below home need not import it.
"""

from wagtail.models import Site


def home_page():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else None
