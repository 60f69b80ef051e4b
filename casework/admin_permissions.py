"""Object-level permissions for the casework admin: model permissions (the Designated teachers
group) narrowed to the person's own schools. Used by the registrations in wagtail_hooks.py."""

from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper

from trust.access import own_school_ids

from .models.scoped import child_of
from .permissions import (
    can_change_deadline_rule,
    can_see_deadline_rule,
    is_designated_teacher,
    keeps_trust_rules,
)


class CaseworkPermissionHelper(PermissionHelper):
    """Model permissions (the Designated teachers group) narrowed to the person's own schools: those of the
    child the record's model declares (`case_path`, models/scoped.py)."""

    def user_can_list(self, user):
        return is_designated_teacher(user) and super().user_can_list(user)

    def user_can_create(self, user):
        return is_designated_teacher(user) and super().user_can_create(user)

    def in_scope(self, user, obj):
        return child_of(obj).school_id in own_school_ids(user)

    def user_can_inspect_obj(self, user, obj):
        return self.in_scope(user, obj) and super().user_can_inspect_obj(user, obj)

    def user_can_edit_obj(self, user, obj):
        if getattr(obj, "is_locked", False):  # a signed-off PEP, or a target of one: reopen it first
            return False
        return self.in_scope(user, obj) and super().user_can_edit_obj(user, obj)

    def user_can_delete_obj(self, user, obj):
        if getattr(obj, "is_locked", False):
            return False
        if child_of(obj).legal_hold:
            return False
        return self.in_scope(user, obj) and super().user_can_delete_obj(user, obj)

    def user_can_copy_obj(self, user, obj):
        return False


class DelegationPermissionHelper(CaseworkPermissionHelper):
    """The child's school's designated teacher (the inherited scope) grants and withdraws; a delegation is
    never deleted (history)."""

    def user_can_delete_obj(self, user, obj):
        return False


class SharedDataPermissionHelper(PermissionHelper):
    """Local authorities: reference data any designated teacher keeps; nobody deletes (children point at them)."""

    def user_can_list(self, user):
        return is_designated_teacher(user) and super().user_can_list(user)

    def user_can_create(self, user):
        return is_designated_teacher(user) and super().user_can_create(user)

    def user_can_inspect_obj(self, user, obj):
        return is_designated_teacher(user) and super().user_can_inspect_obj(user, obj)

    def user_can_edit_obj(self, user, obj):
        return is_designated_teacher(user) and super().user_can_edit_obj(user, obj)

    def user_can_delete_obj(self, user, obj):
        return False

    def user_can_copy_obj(self, user, obj):
        return False


class PPPlusRatePermissionHelper(PermissionHelper):
    """PP+ rates hold no child data: the model permissions decide (the trust administrators keep them, designated
    teachers read them; migration 0012). Nobody copies one."""

    def user_can_copy_obj(self, user, obj):
        return False


class DeadlineRulePermissionHelper(PermissionHelper):
    """A school's rules are its designated teacher's to change; trust-wide and local authority rules are
    the executive head's and the trust administrator's. Each sees the other's read-only (inspect)."""

    def _may_use(self, user):
        return is_designated_teacher(user) or keeps_trust_rules(user)

    def user_can_list(self, user):
        return self._may_use(user) and super().user_can_list(user)

    def user_can_create(self, user):
        return self._may_use(user) and super().user_can_create(user)

    def user_can_inspect_obj(self, user, obj):
        return can_see_deadline_rule(user, obj) and super().user_can_inspect_obj(user, obj)

    def user_can_edit_obj(self, user, obj):
        return can_change_deadline_rule(user, obj) and super().user_can_edit_obj(user, obj)

    def user_can_delete_obj(self, user, obj):
        return can_change_deadline_rule(user, obj) and super().user_can_delete_obj(user, obj)

    def user_can_copy_obj(self, user, obj):
        return False


class CaseworkButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return super().get_buttons_for_obj(
            obj,
            exclude=list(exclude or []) + ["copy"],
            classnames_add=classnames_add,
            classnames_exclude=classnames_exclude,
        )
