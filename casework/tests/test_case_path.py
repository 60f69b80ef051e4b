"""Each casework record declares its way to its child once (`case_path`, casework/models/scoped.py); the scope of
every list, the admin's checks and the child an audit event names all follow it."""

from django.apps import apps
from django.contrib.admin.utils import get_fields_from_path

from casework.models import Child
from casework.models.scoped import case_path

# Records of no child: reference data, rules, and the audit log itself (which names a child by id).
OF_NO_CHILD = {"localauthority", "deadlinerule", "ppplusrate", "caseauditevent", "auditanchor"}


def test_every_casework_record_but_reference_data_declares_a_way_that_ends_at_a_child():
    for model in apps.get_app_config("casework").get_models():
        path = case_path(model)
        name = model._meta.model_name
        if name in OF_NO_CHILD:
            assert path is None, f"{name} belongs to no child but declares case_path {path!r}"
        elif model is Child:
            assert path == ""
        else:
            assert path, f"{name} declares no case_path: say how it reaches its child (models/scoped.py)"
            assert get_fields_from_path(model, path)[-1].related_model is Child, f"{name}.{path} is not a child"
