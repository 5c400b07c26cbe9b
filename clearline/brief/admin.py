from django.contrib import admin

from clearline.brief.models import Answer, CustomerSignal, QuestionGroup
from clearline.core.admin_audit import AuditedAdmin, RecordAdmin


@admin.register(Answer)
class AnswerAdmin(RecordAdmin):
    """Shown, not edited: answers change and are approved at the desk, where approval is bound
    to the exact text."""

    list_display = ["question", "incident", "topic", "state", "show_on_status_page", "approver"]
    list_filter = ["topic", "state", "show_on_status_page"]
    search_fields = ["question", "text", "incident__title"]


@admin.register(QuestionGroup)
class QuestionGroupAdmin(RecordAdmin):
    list_display = ["title", "incident", "created_at"]
    search_fields = ["title", "incident__title"]


@admin.register(CustomerSignal)
class CustomerSignalAdmin(AuditedAdmin):
    """Admins correct or remove a logged signal (a mistyped account, personal details)."""

    list_display = ["text", "kind", "account", "symptom", "incident", "reported_at", "logged_by"]
    list_filter = ["kind"]
    search_fields = ["text", "account", "symptom", "incident__title"]
    fields = ["incident", "kind", "text", "account", "symptom", "reported_at", "group"]
    readonly_fields = ["incident", "kind", "group"]

    def has_add_permission(self, request):
        return False  # logged at the desk, where questions are grouped
