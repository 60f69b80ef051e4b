from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def health_live(request):
    """The process answers. Touches nothing else: the bare request of the benchmark."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def health_ready(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means not ready
        checks["database"] = "error"
    try:
        default_storage.exists("health-check-probe")
        checks["storage"] = "ok"
    except Exception:  # noqa: BLE001
        checks["storage"] = "error"
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ready else "error", "checks": checks}, status=200 if ready else 503)
