from allauth.socialaccount import app_settings
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect import views
from django.urls import include, path, re_path

from trust.sso import SignatureCheckingAdapter

# allauth's own callback builds the plain adapter, which skips the ID token's signature check.
callback = OAuth2CallbackView.adapter_view(SignatureCheckingAdapter)


urlpatterns = [
    re_path(
        r"^(?P<provider_id>[^/]+)/",
        include(
            [
                path("login/", views.login, name="openid_connect_login"),
                path("login/callback/", callback, name="openid_connect_callback"),
            ]
        ),
    )
]

if app_settings.OPENID_CONNECT_URL_PREFIX:
    urlpatterns = [path(f"{app_settings.OPENID_CONNECT_URL_PREFIX}/", include(urlpatterns))]
