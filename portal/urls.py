from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

urlpatterns = [
    path("health/live", home_views.health_live, name="health_live"),
    path("health/ready", home_views.health_ready, name="health_ready"),
    # Wagtail's own login would skip allauth's MFA stage: send it to allauth.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("accessibility/", TemplateView.as_view(template_name="accessibility.html"), name="accessibility"),
    path("", include("trust.urls")),
    path("casework/", include("casework.urls")),
    path("training/", include("training.urls")),
    path("briefing/", include("training.briefing_urls")),
    path("search/", include("search.urls")),
    path("", include("policy.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only image renditions are served directly; documents always go through a permission-checked view.
    for folder in ("images", "original_images"):
        urlpatterns += static(f"{settings.MEDIA_URL}{folder}/", document_root=settings.MEDIA_ROOT / folder)

urlpatterns += [path("", include(wagtail_urls))]
