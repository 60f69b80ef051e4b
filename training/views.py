from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from .completion import roles_as_people_say_them
from .models import TrainingCompletion


def _own_receipts(request):
    return TrainingCompletion.objects.filter(user=request.user).select_related("page", "revision")


@require_GET
def receipt_list(request):
    """A person's own training receipts (anyone signed in; each sees only their own)."""
    return TemplateResponse(request, "training/receipt_list.html", {"receipts": _own_receipts(request)})


@require_GET
def receipt_detail(request, pk):
    receipt = get_object_or_404(_own_receipts(request), pk=pk)
    roles = roles_as_people_say_them(receipt.roles_snapshot)
    return TemplateResponse(request, "training/receipt_detail.html", {"receipt": receipt, "roles": roles})
