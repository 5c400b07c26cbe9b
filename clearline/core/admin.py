from django.contrib import admin

from clearline.core.admin_audit import RecordAdmin
from clearline.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["summary", "object_id"]
