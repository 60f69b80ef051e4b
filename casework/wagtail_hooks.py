"""Every casework registration with wagtail-modeladmin lives here (a later move to ModelViewSet is one file)."""

from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from trust.access import has_role, own_school_ids
from trust.enums import Role

from . import admin_child_import  # noqa: F401  (registers the go-live import's admin URL and menu item)
from .admin_care_episodes import care_episode_admin
from .admin_permissions import (
    CaseworkButtonHelper,
    CaseworkPermissionHelper,
    DeadlineRulePermissionHelper,
    DelegationPermissionHelper,
    PPPlusRatePermissionHelper,
    SharedDataPermissionHelper,
)
from .admin_views import (
    CaseworkCreateView,
    CaseworkDeleteView,
    CaseworkEditView,
    CaseworkIndexView,
    CaseworkInspectView,
)
from .child_forms import ChildForm
from .delegation_forms import DelegationForm
from .forms import CaseDocumentForm, RecordedByForm, ScopedAdminForm, SharedRecommendationForm, TransitionForm
from .models import (
    PEP,
    Activity,
    CaseDocument,
    Child,
    DeadlineRule,
    Delegation,
    LinkedPlan,
    LocalAuthority,
    Placement,
    PPPlusRate,
    PPPlusRequest,
    Review,
    SharedRecommendation,
    Suspension,
    Target,
    Transition,
)
from .permissions import deadline_rule_queryset, is_designated_teacher
from .rule_forms import DeadlineRuleForm


class CaseworkAdmin(ModelAdmin):
    """Scoped lists, audited views, no history, no export, no copy."""

    permission_helper_class = CaseworkPermissionHelper
    button_helper_class = CaseworkButtonHelper
    index_view_class = CaseworkIndexView
    inspect_view_class = CaseworkInspectView
    create_view_class = CaseworkCreateView
    edit_view_class = CaseworkEditView
    delete_view_class = CaseworkDeleteView
    inspect_view_enabled = True
    history_view_enabled = False
    list_export = ()
    school_path = "child__school_id"
    add_to_settings_menu = False

    def get_queryset(self, request):
        ids = own_school_ids(request.user)
        qs = super().get_queryset(request)
        return qs.filter(**{f"{self.school_path}__in": ids}) if ids else qs.none()

    # Every list names the child (preferred name) and, for a PEP's records, the term: never seven alike rows.
    def child_name(self, obj):
        child = obj.pep.child if hasattr(obj, "pep_id") else obj.child
        return child.display_name

    child_name.short_description = "Child"

    def pep_term(self, obj):
        pep = obj.pep
        return f"{pep.get_term_display()} {pep.academic_year}"

    pep_term.short_description = "Term"


class ChildAdmin(CaseworkAdmin):
    model = Child
    menu_label = "Children"
    menu_icon = "user"
    school_path = "school_id"
    list_display = ("display_name", "school", "year_group", "cohort", "sen_status", "casework_home")
    list_filter = ("school", "cohort", "sen_status", "year_group")
    # A former UPN (after adoption, say) still finds the child; the list shows only the current name.
    search_fields = ("legal_first_name", "legal_last_name", "preferred_name", "upn", "identity_history__previous_upn")
    inspect_view_fields = (
        "legal_first_name",
        "legal_last_name",
        "preferred_name",
        "date_of_birth",
        "upn",
        "year_group",
        "school",
        "responsible_authority",
        "social_worker_name",
        "social_worker_email",
        "social_worker_phone",
        "iro_name",
        "iro_email",
        "iro_phone",
        "senco_name",
        "senco_email",
        "senco_phone",
        "cohort",
        "entered_care_on",
        "started_on",
        "left_on",
        "sen_status",
        "legal_hold",
    )
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("legal_first_name"), FieldPanel("legal_last_name")]),
                    FieldPanel("preferred_name"),
                    FieldRowPanel([FieldPanel("date_of_birth"), FieldPanel("upn")]),
                    FieldRowPanel([FieldPanel("school"), FieldPanel("year_group")]),
                    FieldRowPanel(
                        [FieldPanel("identity_change_reason"), FieldPanel("identity_change_effective_on")],
                        heading="If the legal name or UPN changed",
                    ),
                ],
                heading="The child",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("cohort"),
                    FieldRowPanel([FieldPanel("entered_care_on"), FieldPanel("started_on"), FieldPanel("left_on")]),
                    FieldPanel("pep_before_portal_on"),
                    FieldPanel("sen_status"),
                ],
                heading="Care and education",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("responsible_authority"),
                    FieldPanel("social_worker_name"),
                    FieldRowPanel([FieldPanel("social_worker_email"), FieldPanel("social_worker_phone")]),
                ],
                heading="Local authority and social worker",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("iro_name"),
                    FieldRowPanel([FieldPanel("iro_email"), FieldPanel("iro_phone")]),
                    FieldPanel("senco_name"),
                    FieldRowPanel([FieldPanel("senco_email"), FieldPanel("senco_phone")]),
                ],
                heading="Independent reviewing officer and SENCO (the carer is on the placement)",
            ),
            FieldPanel("legal_hold"),
        ],
        base_form_class=ChildForm,
    )

    def casework_home(self, obj):
        return format_html('<a href="{}">Deadlines and access log</a>', reverse("casework:child", args=[obj.pk]))

    casework_home.short_description = "Casework"


class PEPAdmin(CaseworkAdmin):
    model = PEP
    menu_label = "PEPs"
    menu_icon = "doc-full"
    list_display = ("__str__", "child_name", "status", "due_on", "meeting_date")
    list_select_related = ("child",)
    list_filter = ("status", "term", "academic_year", "child__school")
    inspect_view_fields = (
        "child",
        "academic_year",
        "term",
        "period_starts_on",
        "period_ends_on",
        "status",
        "due_on",
        "meeting_date",
        "attendees",
        "childs_views",
        "carers_views",
        "education_history",
        "attainment",
        "voice_going_well",
        "voice_worries",
        "voice_hopes",
        "voice_helps_me_learn",
        "carers_role",
        "current_arrangements",
        "sen_provision",
        "planned_changes",
        "minimising_disruption",
        "leisure_interests",
        "sessions_possible",
        "sessions_attended",
        "signed_off_by",
        "signed_off_at",
    )
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("child"), FieldPanel("academic_year"), FieldPanel("term")]),
                    FieldRowPanel([FieldPanel("period_starts_on"), FieldPanel("period_ends_on")]),
                ],
                heading="The PEP",
            ),
            MultiFieldPanel([FieldPanel("meeting_date"), FieldPanel("attendees")], heading="Meeting"),
            MultiFieldPanel(
                [
                    FieldPanel("voice_going_well"),
                    FieldPanel("voice_worries"),
                    FieldPanel("voice_hopes"),
                    FieldPanel("voice_helps_me_learn"),
                    FieldPanel("childs_views"),
                ],
                heading="The child's voice",
            ),
            MultiFieldPanel([FieldPanel("carers_views"), FieldPanel("carers_role")], heading="The carer"),
            MultiFieldPanel(
                [
                    FieldPanel("education_history"),
                    FieldPanel("current_arrangements"),
                    FieldPanel("sen_provision"),
                    FieldPanel("planned_changes"),
                    FieldPanel("minimising_disruption"),
                    FieldPanel("leisure_interests"),
                ],
                heading="Education (the regulations' Schedule 1)",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("attainment"),
                    FieldRowPanel([FieldPanel("sessions_possible"), FieldPanel("sessions_attended")]),
                ],
                heading="Attainment and attendance",
                help_text="Attendance in sessions (a school day is 2); the percentage is worked out, and below 90% "
                "is flagged as persistent absence.",
            ),
            InlinePanel(
                "previous_target_evaluations",
                heading="The previous PEP's targets",
                label="Previous target",
                help_text="Listed when this PEP starts: say whether each was met, partly met or not met.",
                panels=[FieldPanel("target_summary", read_only=True), FieldPanel("outcome"), FieldPanel("note")],
            ),
        ],
        base_form_class=ScopedAdminForm,
    )


class TargetAdmin(CaseworkAdmin):
    model = Target
    menu_label = "SMART targets"
    menu_icon = "pick"
    school_path = "pep__child__school_id"
    list_display = ("__str__", "child_name", "pep_term", "by_when", "who", "status")
    list_select_related = ("pep__child",)
    list_filter = ("status",)
    inspect_view_fields = (
        "pep",
        "area",
        "what",
        "how_measured",
        "baseline",
        "target",
        "by_when",
        "who",
        "status",
        "ppplus_allocated",
        "ppplus_spent",
    )
    edit_handler = ObjectList(
        [
            FieldPanel("pep"),
            FieldPanel("area"),
            FieldPanel("what"),
            FieldPanel("how_measured"),
            FieldRowPanel([FieldPanel("baseline"), FieldPanel("target")]),
            FieldRowPanel([FieldPanel("by_when"), FieldPanel("who")]),
            FieldPanel("status"),
            FieldRowPanel([FieldPanel("ppplus_allocated"), FieldPanel("ppplus_spent")], heading="Pupil Premium Plus"),
            InlinePanel(
                "progress_notes",
                heading="Progress notes",
                label="Progress note",
                panels=[FieldPanel("noted_on"), FieldPanel("note")],
            ),
        ],
        base_form_class=ScopedAdminForm,
    )


class LinkedPlanAdmin(CaseworkAdmin):
    model = LinkedPlan
    menu_label = "Linked plans"
    menu_icon = "link"
    list_display = ("__str__", "child_name", "reference")
    list_select_related = ("child",)
    list_filter = ("kind",)
    inspect_view_fields = ("child", "kind", "other_kind", "dated", "reference", "document")
    edit_handler = ObjectList(
        [
            FieldPanel("child"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("other_kind")]),
            FieldRowPanel([FieldPanel("dated"), FieldPanel("reference")]),
            FieldPanel("document"),
        ],
        base_form_class=ScopedAdminForm,
    )


class ReviewAdmin(CaseworkAdmin):
    model = Review
    menu_label = "Reviews"
    menu_icon = "date"
    list_display = ("__str__", "child_name", "report_sent_on", "representative", "next_review_on")
    list_select_related = ("child",)
    list_filter = ("kind",)
    inspect_view_fields = (
        "child",
        "kind",
        "held_on",
        "report_sent_on",
        "report_sent_by",
        "report_document",
        "representative",
        "outcome",
        "next_review_on",
    )
    edit_handler = ObjectList(
        [
            FieldPanel("child"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("held_on")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("report_sent_on"), FieldPanel("report_sent_by")]),
                    FieldPanel("report_document"),
                    FieldPanel("representative"),
                ],
                heading="School report sent, or a representative attending",
            ),
            FieldPanel("outcome"),
            FieldPanel("next_review_on"),
        ],
        base_form_class=ScopedAdminForm,
    )


class ActivityAdmin(CaseworkAdmin):
    model = Activity
    menu_label = "Out-of-hours learning"
    menu_icon = "pick"
    list_display = ("activity", "child_name", "provider", "starts_on", "ppplus_funded")
    list_select_related = ("child",)
    inspect_view_fields = (
        "child",
        "activity",
        "provider",
        "starts_on",
        "ends_on",
        "attendance",
        "ppplus_funded",
        "target",
    )
    edit_handler = ObjectList(
        [
            FieldPanel("child"),
            FieldRowPanel([FieldPanel("activity"), FieldPanel("provider")]),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldPanel("attendance"),
            FieldPanel("ppplus_funded"),
            FieldPanel("target"),
        ],
        base_form_class=ScopedAdminForm,
    )


class PlacementAdmin(CaseworkAdmin):
    """Where the child lives and with whom; each move is a new placement (the last one ended)."""

    model = Placement
    menu_label = "Placements"
    menu_icon = "home"
    list_display = ("child_name", "kind", "carer_name", "starts_on", "ends_on")
    list_select_related = ("child",)
    list_filter = ("kind",)
    inspect_view_fields = (
        "child",
        "kind",
        "starts_on",
        "ends_on",
        "carer_name",
        "carer_email",
        "carer_phone",
        "provider",
        "reason_for_move",
    )
    edit_handler = ObjectList(
        [
            FieldPanel("child"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("provider")]),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldPanel("carer_name"),
            FieldRowPanel([FieldPanel("carer_email"), FieldPanel("carer_phone")]),
            FieldPanel("reason_for_move"),
        ],
        base_form_class=ScopedAdminForm,
    )


class CaseDocumentAdmin(CaseworkAdmin):
    model = CaseDocument
    menu_label = "Documents"
    menu_icon = "doc-full-inverse"
    list_display = ("title", "child_name", "category", "uploaded_at", "download")
    list_select_related = ("child",)
    list_filter = ("category",)
    inspect_view_fields = ("child", "title", "category", "content_type", "size", "uploaded_at")
    edit_handler = ObjectList(
        [FieldPanel("child"), FieldPanel("title"), FieldPanel("category"), FieldPanel("file")],
        base_form_class=CaseDocumentForm,
    )

    def download(self, obj):
        return format_html('<a href="{}">Download</a>', reverse("casework:document_download", args=[obj.pk]))

    download.short_description = "File"


class TransitionAdmin(CaseworkAdmin):
    model = Transition
    menu_label = "Transitions"
    menu_icon = "redirect"
    list_display = ("__str__", "child_name", "left_on", "due_on", "sent_at", "receipt_confirmed_at", "manage")
    list_select_related = ("child",)
    inspect_view_fields = (
        "child",
        "receiving_school",
        "receiving_dt_name",
        "receiving_dt_email",
        "left_on",
        "due_on",
        "documents",
        "sent_at",
        "link_expires_at",
        "link_used_at",
        "receipt_confirmed_at",
        "receipt_confirmed_by",
        "receipt_confirmed_ip",
    )
    edit_handler = ObjectList(
        [
            FieldPanel("child"),
            FieldPanel("receiving_school"),
            FieldRowPanel([FieldPanel("receiving_dt_name"), FieldPanel("receiving_dt_email")]),
            FieldPanel("left_on"),
            FieldPanel("documents"),
        ],
        base_form_class=TransitionForm,
    )

    def manage(self, obj):
        return format_html('<a href="{}">Send and track</a>', reverse("casework:transition", args=[obj.pk]))

    manage.short_description = "Link"


class DeadlineRuleAdmin(CaseworkAdmin):
    model = DeadlineRule
    menu_label = "Deadline rules"
    menu_icon = "time"
    permission_helper_class = DeadlineRulePermissionHelper
    list_display = ("kind", "days", "unit", "school", "local_authority")
    list_filter = ("kind",)
    inspect_view_fields = ("kind", "days", "unit", "school", "local_authority")
    edit_handler = ObjectList(
        [
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("days"), FieldPanel("unit")]),
            FieldPanel("school"),
            FieldPanel("local_authority"),
        ],
        base_form_class=DeadlineRuleForm,
    )

    def get_queryset(self, request):
        return deadline_rule_queryset(request.user)


class LocalAuthorityAdmin(CaseworkAdmin):
    model = LocalAuthority
    menu_label = "Local authorities"
    menu_icon = "site"
    permission_helper_class = SharedDataPermissionHelper
    list_display = ("name", "virtual_school_head", "virtual_school_email")
    inspect_view_fields = ("name", "virtual_school_head", "virtual_school_email", "virtual_school_phone")

    def get_queryset(self, request):
        qs = self.model._default_manager.all()
        return qs if is_designated_teacher(request.user) else qs.none()


class SharedRecommendationAdmin(CaseworkAdmin):
    model = SharedRecommendation
    menu_label = "Shared recommendations"
    menu_icon = "mail"
    school_path = "pep__child__school_id"
    list_display = ("child_name", "pep_term", "shared_with", "shared_at", "acknowledged_at", "withdrawn_at")
    list_select_related = ("pep__child", "shared_with")
    inspect_view_fields = (
        "pep",
        "recommendation",
        "shared_with",
        "shared_by",
        "shared_at",
        "acknowledged_at",
        "withdrawn_at",
    )
    edit_handler = ObjectList(
        [FieldPanel("pep"), FieldPanel("recommendation"), FieldPanel("shared_with"), FieldPanel("withdrawn_at")],
        base_form_class=SharedRecommendationForm,
    )


class SuspensionAdmin(CaseworkAdmin):
    model = Suspension
    menu_label = "Suspensions and exclusions"
    menu_icon = "warning"
    list_display = ("__str__", "child", "length_days")
    list_filter = ("kind",)
    inspect_view_fields = ("child", "kind", "starts_on", "length_days", "reason", "recorded_by")
    edit_handler = ObjectList(
        [
            FieldPanel("child"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("starts_on"), FieldPanel("length_days")]),
            FieldPanel("reason"),
        ],
        base_form_class=RecordedByForm,
    )


class PPPlusRequestAdmin(CaseworkAdmin):
    """The termly PP+ request to the responsible LA's virtual school, and its answer."""

    model = PPPlusRequest
    menu_label = "PP+ requests"
    menu_icon = "tag"
    school_path = "pep__child__school_id"
    list_display = ("__str__", "pep", "local_authority", "requested_on", "answered_on")
    list_filter = ("answer",)
    inspect_view_fields = (
        "pep",
        "local_authority",
        "requested_on",
        "amount_requested",
        "purpose",
        "answer",
        "answered_on",
        "amount_approved",
        "answer_note",
        "recorded_by",
    )
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("pep"), FieldPanel("local_authority")]),
                    FieldRowPanel([FieldPanel("requested_on"), FieldPanel("amount_requested")]),
                    FieldPanel("purpose"),
                ],
                heading="The request",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("answer"), FieldPanel("answered_on"), FieldPanel("amount_approved")]),
                    FieldPanel("answer_note"),
                ],
                heading="The virtual school's answer",
            ),
        ],
        base_form_class=RecordedByForm,
    )


class PPPlusRateAdmin(ModelAdmin):
    """PP+ rates per financial year: data the trust administrator keeps (designated teachers read them)."""

    model = PPPlusRate
    menu_label = "PP+ rates"
    menu_icon = "tag"
    permission_helper_class = PPPlusRatePermissionHelper
    button_helper_class = CaseworkButtonHelper
    index_view_class = CaseworkIndexView  # applies only declared filters: no parameter becomes an ORM lookup
    history_view_enabled = False
    inspect_view_enabled = True
    list_export = ()
    list_display = ("financial_year", "amount_per_child", "source")
    inspect_view_fields = ("financial_year", "amount_per_child", "source")
    panels = [FieldPanel("financial_year"), FieldPanel("amount_per_child"), FieldPanel("source")]


class DelegationAdmin(CaseworkAdmin):
    """Delegated entry: the DT lets a member of staff enter chosen sections of one child's PEP, until a date."""

    model = Delegation
    menu_label = "Delegations"
    menu_icon = "group"
    permission_helper_class = DelegationPermissionHelper
    list_display = ("child_name", "delegate", "sections_list", "ends_on", "state")
    inspect_view_fields = (
        "child",
        "delegate",
        "sections",
        "ends_on",
        "granted_by",
        "granted_at",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_reason",
    )
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("child"), FieldPanel("delegate")]),
            FieldPanel("sections"),
            FieldPanel("ends_on"),
            FieldPanel("withdrawal_reason", heading="Withdraw the delegation"),
        ],
        base_form_class=DelegationForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("child", "delegate").with_in_force()

    def sections_list(self, obj):
        return obj.get_sections_display()

    sections_list.short_description = "Sections"

    def state(self, obj):
        if obj.withdrawn_at:
            return f"Withdrawn {obj.withdrawn_at:%-d %b %Y}"
        return "Active" if obj.in_force else "Not in force"

    state.short_description = "Status"


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
        care_episode_admin(CaseworkAdmin),
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
        return is_designated_teacher(request.user) or has_role(request.user, Role.DATA_PROTECTION_OFFICER)


@hooks.register("register_admin_menu_item")
def register_access_log_menu_item():
    return AccessLogMenuItem("Casework access log", "/casework/access-log/", icon_name="view", order=9020)
