"""The public subscription forms; the services decide, these only carry what was typed."""

from django import forms

from clearline.notify.models import Channel

HOW = [
    (Channel.EMAIL, "By email"),
    (Channel.WEBHOOK, "By webhook (signed JSON to your endpoint)"),
    (Channel.SLACK, "In Slack (an incoming-webhook address)"),
]


def component_choices(components) -> list[tuple[str, str]]:
    return [
        (c.public_id, f"{c.group.name}: {c.name}" if c.group_id else c.name) for c in components
    ]


class ComponentsForm(forms.Form):
    components = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only these components",
        help_text="Leave every box empty to hear about everything.",
    )

    def __init__(self, *args, components=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["components"].choices = component_choices(components)


class SubscribeForm(ComponentsForm):
    channel = forms.ChoiceField(
        choices=HOW, initial=Channel.EMAIL, widget=forms.RadioSelect, label="How to tell you"
    )
    email = forms.CharField(
        required=False,
        max_length=254,
        label="Email address",
        help_text="We send a link to confirm it first.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    url = forms.CharField(
        required=False,
        max_length=2000,
        label="Webhook or Slack address",
        help_text="Starts with https://. It must be reachable from the internet.",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    incident = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["channel", "email", "url", "components", "incident"]

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.EMAIL and not data.get("email"):
            self.add_error("email", "Enter the email address to send updates to.")
        elif data.get("channel") in (Channel.WEBHOOK, Channel.SLACK) and not data.get("url"):
            self.add_error("url", "Enter the address to send updates to.")
        return data
