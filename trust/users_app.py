from wagtail.users.apps import WagtailUsersAppConfig


class UsersConfig(WagtailUsersAppConfig):
    """INSTALLED_APPS' "wagtail.users", with the people screens of trust/admin_users.py."""

    user_viewset = "trust.admin_users.PeopleViewSet"
