from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views


def no_password_door(request, **kwargs):
    # Page and document passwords are switched off (WAGTAIL_PRIVATE_PAGE_OPTIONS): their forms would be
    # a way in with no rate limit. Any restriction left in the database is simply not passable.
    raise Http404


@login_not_required
def not_found(request, **kwargs):
    raise Http404


to_allauth = login_not_required(RedirectView.as_view(pattern_name="account_login", query_string=True))

urlpatterns = [
    path("health/live", home_views.health_live, name="health_live"),
    path("health/ready", home_views.health_ready, name="health_ready"),
    # Every sign-in goes through allauth (its rate limits, lockout and MFA stage). Wagtail's own sign-in
    # pages, the admin's and the front end's, send people there; its password forms answer 404.
    # trust/tests/test_one_sign_in_path.py fails on any other view that could make a session.
    path("admin/login/", to_allauth, name="admin_login_redirect"),
    path("_util/login/", to_allauth, name="frontend_login_redirect"),
    path("_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/", no_password_door),
    path("documents/authenticate_with_password/<int:restriction_id>/", no_password_door),
    # Wagtail's error test page raises a server error on purpose, for anyone with admin access.
    path("admin/failwhale/", not_found),
    path("admin/", include(wagtailadmin_urls)),
    # allauth's old /accounts/social/ addresses only redirect to /accounts/3rdparty/, and nothing links there.
    path("accounts/social/<path:rest>", not_found),
    path("accounts/", include("allauth.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "accessibility/",
        login_not_required(TemplateView.as_view(template_name="accessibility.html")),
        name="accessibility",
    ),
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
