"""Object-level permissions for the casework admin: model permissions (the Designated teachers
group) narrowed to the person's own schools. Used by the registrations in wagtail_hooks.py."""

from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper

from trust.access import own_school_ids

from .models import Child, DeadlineRule, Target
from .permissions import is_designated_teacher


def _school_id_of(obj):
    if isinstance(obj, Child):
        return obj.school_id
    if isinstance(obj, Target):
        return obj.pep.child.school_id
    if isinstance(obj, DeadlineRule):
        return obj.school_id
    return obj.child.school_id


class CaseworkPermissionHelper(PermissionHelper):
    """Model permissions (the Designated teachers group) narrowed to the person's own schools."""

    def user_can_list(self, user):
        return is_designated_teacher(user) and super().user_can_list(user)

    def user_can_create(self, user):
        return is_designated_teacher(user) and super().user_can_create(user)

    def in_scope(self, user, obj):
        return _school_id_of(obj) in own_school_ids(user)

    def user_can_inspect_obj(self, user, obj):
        return self.in_scope(user, obj) and super().user_can_inspect_obj(user, obj)

    def user_can_edit_obj(self, user, obj):
        return self.in_scope(user, obj) and super().user_can_edit_obj(user, obj)

    def user_can_delete_obj(self, user, obj):
        child = obj if isinstance(obj, Child) else getattr(obj, "child", None)
        if child is not None and getattr(child, "legal_hold", False):
            return False
        return self.in_scope(user, obj) and super().user_can_delete_obj(user, obj)

    def user_can_copy_obj(self, user, obj):
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


class DeadlineRulePermissionHelper(CaseworkPermissionHelper):
    """Trust-wide and local authority rules are shown to every designated teacher; only their school's are theirs to change."""

    def user_can_inspect_obj(self, user, obj):
        if obj.school_id is None:
            return is_designated_teacher(user) and PermissionHelper.user_can_inspect_obj(self, user, obj)
        return super().user_can_inspect_obj(user, obj)


class CaseworkButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return super().get_buttons_for_obj(
            obj,
            exclude=list(exclude or []) + ["copy"],
            classnames_add=classnames_add,
            classnames_exclude=classnames_exclude,
        )
