from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .access import has_role
from .admin_users import refuse_superuser_to_others
from .admin_views import import_staff_view
from .enums import Role
from .models import Membership, School
from .page_privacy import may_open


class SchoolViewSet(ModelViewSet):
    model = School
    icon = "home"
    form_fields = ["name", "slug", "urn", "local_authority", "head_teacher"]
    list_display = ["name", "slug", "urn", "local_authority", "head_teacher"]
    search_fields = ["name", "urn"]
    copy_view_enabled = False


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "group"
    menu_label = "People's roles"
    form_fields = ["user", "role", "school", "job_title", "started_on", "ended_on"]
    list_display = ["user", "role", "school", "started_on", "ended_on"]
    list_filter = ["role", "school"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    copy_view_enabled = False


class TrustViewSetGroup(ModelViewSetGroup):
    menu_label = "Trust"
    menu_icon = "site"
    items = (SchoolViewSet("schools"), MembershipViewSet("memberships"))


@hooks.register("register_admin_viewset")
def register_trust_viewsets():
    return TrustViewSetGroup()


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("trust/import-staff/", import_staff_view, name="trust_import_staff")]


class TrustAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, Role.TRUST_ADMIN)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return TrustAdminMenuItem("Import staff", reverse("trust_import_staff"), icon_name="upload", order=9000)


@hooks.register("before_serve_page")
def refuse_pages_the_person_may_not_open(page, request, serve_args, serve_kwargs):
    # Before Wagtail's own check, which would send a signed-in person to sign in again (and allauth back here).
    if not may_open(request.user, page):
        raise Http404


@hooks.register("after_publish_page")
def record_who_published(request, page):
    """A publication in the editor: record the version of any versioned page with who published it (the
    `page_published` receiver, trust/page_versions.py, has already recorded it without)."""
    from .page_versions import record_publication, versioning_for

    if versioning_for(page.specific_class) is None:
        return
    specific = page.specific
    if specific.live_revision_id:
        record_publication(specific, specific.live_revision, request.user)


from . import calendar_admin  # noqa: E402,F401  (school calendars)


@hooks.register("before_bulk_action")
def refuse_superuser_bulk_actions(request, action_type, objects, action_class_instance):
    """Assigning a role (a group) in bulk, or acting on a superuser's account, is for superusers only."""
    if request.user.is_superuser or action_class_instance.model is not get_user_model():
        return None
    if action_type == "assign_role":
        raise PermissionDenied
    refuse_superuser_to_others(request.user, objects)
    return None
