"""An update's fan-out at the desk: delivered, pending and failed per channel, and the record."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from clearline.desk.access import desk_view
from clearline.notify import retry
from clearline.notify.deliveries import delivery_counts, delivery_record, fan_out_waiting
from clearline.notify.models import Channel
from clearline.updates.models import Update

RECORD_PER_PAGE = 100


@desk_view("notify.view_delivery")
@require_safe
def update_deliveries(request: HttpRequest, update_id: int) -> HttpResponse:
    update = get_object_or_404(Update.objects.select_related("incident"), pk=update_id)
    counts = delivery_counts(update.pk)
    record = Paginator(delivery_record(update.pk), RECORD_PER_PAGE).get_page(
        request.GET.get("page")
    )
    channels = [
        (channel.value, channel.label, counts["channels"][channel.value]) for channel in Channel
    ]
    return render(
        request,
        "desk/deliveries.html",
        {
            "update": update,
            "incident": update.incident,
            "counts": counts,
            "live": counts["pending"] > 0 or fan_out_waiting(update.pk),
            "channels": channels,
            "record": record,
        },
    )


@desk_view("notify.view_delivery")
@require_safe
def update_delivery_counts(request: HttpRequest, update_id: int) -> JsonResponse:
    """The counts alone, for the page's live progress."""
    update = get_object_or_404(Update, pk=update_id)
    counts = delivery_counts(update.pk)
    return JsonResponse({**counts, "waiting": fan_out_waiting(update.pk)})


@desk_view("notify.change_delivery")
@require_POST
def retry_failed(request: HttpRequest, update_id: int) -> HttpResponse:
    update = get_object_or_404(Update, pk=update_id)
    count = retry.retry_failed(update_id=update.pk, by=request.user)
    if count:
        messages.success(request, f"{count} failed deliveries are being sent again.")
    else:
        messages.info(request, "No delivery of this update has failed.")
    return redirect("desk:update-deliveries", update_id=update.pk)
