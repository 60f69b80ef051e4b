"""Every casework registration with wagtail-modeladmin, the menu items and the dashboard panels. The ModelAdmin
classes themselves are in admin_classes.py (a later move to ModelViewSet is that one module)."""

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from . import admin_child_import  # noqa: F401  (registers the go-live import's admin URL and menu item)
from .admin_care_episodes import CareEpisodeAdmin
from .admin_classes import (
    ActivityAdmin,
    CaseDocumentAdmin,
    ChildAdmin,
    DeadlineRuleAdmin,
    DelegationAdmin,
    LinkedPlanAdmin,
    LocalAuthorityAdmin,
    PEPAdmin,
    PlacementAdmin,
    PPPlusRateAdmin,
    PPPlusRequestAdmin,
    ReviewAdmin,
    SharedRecommendationAdmin,
    SuspensionAdmin,
    TargetAdmin,
    TransitionAdmin,
)
from .permissions import can_open_access_log, is_designated_teacher


@modeladmin_register
class CaseworkGroup(ModelAdminGroup):
    menu_label = "Casework"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        ChildAdmin,
        PEPAdmin,
        TargetAdmin,
        LinkedPlanAdmin,
        ReviewAdmin,
        ActivityAdmin,
        PlacementAdmin,
        CareEpisodeAdmin,
        CaseDocumentAdmin,
        TransitionAdmin,
        SharedRecommendationAdmin,
        SuspensionAdmin,
        PPPlusRequestAdmin,
        DelegationAdmin,
        DeadlineRuleAdmin,
        LocalAuthorityAdmin,
        PPPlusRateAdmin,
    )


class DesignatedTeacherMenuItem(MenuItem):
    def is_shown(self, request):
        return is_designated_teacher(request.user)


@hooks.register("register_admin_menu_item")
def register_casework_home_menu_item():
    return DesignatedTeacherMenuItem("Casework home", "/casework/", icon_name="folder-open-inverse", order=199)


@hooks.register("portal_dashboard_panels")
def shared_recommendations_panel(request):
    """Staff see the recommendations shared with them and the child's preferred name only."""
    from .panels import shared_recommendations_panel as build

    return build(request)


@hooks.register("portal_dashboard_panels")
def delegate_panel(request):
    from .panels import delegate_panel as build

    return build(request)


@hooks.register("portal_dashboard_panels")
def designated_teacher_panel(request):
    from .panels import designated_teacher_panel as build

    return build(request)


class AccessLogMenuItem(MenuItem):
    """The data protection officer and designated teachers read who has seen each record."""

    def is_shown(self, request):
        return can_open_access_log(request.user)


@hooks.register("register_admin_menu_item")
def register_access_log_menu_item():
    return AccessLogMenuItem("Casework access log", "/casework/access-log/", icon_name="view", order=9020)
