"""Alert intake: Alertmanager and PagerDuty webhooks open internal draft incidents."""
