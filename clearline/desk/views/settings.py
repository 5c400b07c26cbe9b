"""The organisation's settings an admin changes from the desk: how updates are checked."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clearline.accounts import services
from clearline.desk.access import attempt, desk_view, posted
from clearline.desk.check_settings import CheckSettingsForm


@desk_view("accounts.change_organisation")
@require_http_methods(["GET", "HEAD", "POST"])
def check_settings(request: HttpRequest) -> HttpResponse:
    form = CheckSettingsForm(posted(request), org=request.org)
    if request.method == "POST":
        change = services.change_check_settings
        saved = attempt(form, lambda: change(org=request.org, by=request.user, **form.settings()))
        if saved:
            messages.success(request, "Check settings saved; drafts are checked with them now.")
            return redirect("desk:check-settings")
    return render(request, "desk/check_settings.html", {"form": form})
