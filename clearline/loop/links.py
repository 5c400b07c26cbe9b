"""Key accounts named in the customer-signal log are linked to the incident as it is logged.

A receiver rather than a call from the brief: the brief sits below this app and stays unaware
of key accounts. It runs inside the signal's own transaction, so a refused signal links nothing.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from clearline.brief.models import CustomerSignal
from clearline.core.permissions import SYSTEM
from clearline.loop import accounts


@receiver(post_save, sender=CustomerSignal, dispatch_uid="loop.link_signalled_account")
def link_signalled_account(sender, instance: CustomerSignal, created: bool, raw=False, **kwargs):
    if created and not raw and instance.account:
        accounts.link_named_account(
            incident=instance.incident, name=instance.account, by=SYSTEM, now=instance.created_at
        )
