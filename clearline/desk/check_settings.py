"""The organisation's check settings as a form an admin can fill in: a box per list, a choice
per rule, instead of the JSON the admin pages show."""

from django import forms

from clearline.accounts.models import Organisation
from clearline.checks import RULES, catalog
from clearline.checks.config import PHRASE_RULES
from clearline.core import limits

OFF = "off"
DEFAULT = ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _code(key: str) -> str:
    rule = catalog.lookup(key)
    return rule.code if rule else key


def _defaults(rule: catalog.Rule) -> str:
    by_severity: dict[str, list[str]] = {}
    for kind, severity in rule.severities.items():
        by_severity.setdefault(severity, []).append(kind)
    return "; ".join(
        f"{severity} for {', '.join(kinds)}" for severity, kinds in by_severity.items()
    )


class CheckSettingsForm(forms.Form):
    check_glossary = forms.CharField(
        label="Internal names",
        required=False,
        validators=[limits.form_validator(limits.GLOSSARY)],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Services, hosts, queues, ticket ids — one per line. Updates that use them "
        "are flagged as jargon.",
    )
    check_grade_target = forms.FloatField(
        label="Readability target (grade)",
        min_value=1,
        max_value=30,
        help_text="Customer updates reading above this Flesch-Kincaid grade are flagged.",
    )
    check_max_sentence_words = forms.IntegerField(
        label="Long-sentence limit (words)",
        min_value=5,
        max_value=200,
        help_text="Sentences longer than this are flagged as hard to read.",
    )

    def __init__(self, data=None, *, org: Organisation):
        initial = {
            "check_glossary": org.check_glossary,
            "check_grade_target": org.check_grade_target,
            "check_max_sentence_words": org.check_max_sentence_words,
        }
        phrases = {_code(k): v for k, v in org.check_phrases.items()}
        severities = {_code(k): v for k, v in org.check_severities.items()}
        disabled = {_code(k) for k in org.check_disabled}
        for rule in RULES:
            choice = severities.get(rule.code, DEFAULT)
            initial[self.rule_field(rule)] = OFF if rule.code in disabled else choice
            if rule.name in PHRASE_RULES:
                initial[self.phrase_field(rule)] = "\n".join(phrases.get(rule.code, []))
        super().__init__(data, initial=initial)
        for rule in RULES:
            if rule.name in PHRASE_RULES:
                self.fields[self.phrase_field(rule)] = forms.CharField(
                    label=f"{rule.code} {rule.name}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    validators=[limits.form_validator(limits.PHRASE_LIST)],
                )
            self.fields[self.rule_field(rule)] = forms.ChoiceField(
                label=f"{rule.code} {rule.name}",
                required=False,
                choices=[
                    (DEFAULT, "As in the catalog"),
                    ("error", "Error (blocks publishing)"),
                    ("warning", "Warning"),
                    ("info", "Info"),
                    (OFF, "Off"),
                ],
                help_text=f"Catalog: {_defaults(rule)}.",
            )

    @staticmethod
    def rule_field(rule: catalog.Rule) -> str:
        return f"rule_{rule.code}"

    @staticmethod
    def phrase_field(rule: catalog.Rule) -> str:
        return f"phrases_{rule.code}"

    def rules_bound(self):
        """Per rule: its choice field and, where the rule has a phrase list, its phrase box."""
        for rule in RULES:
            phrases = self.phrase_field(rule)
            yield (
                rule,
                self[self.rule_field(rule)],
                self[phrases] if phrases in self.fields else None,
            )

    def settings(self) -> dict:
        """The cleaned form as the organisation's settings (see change_check_settings)."""
        data = self.cleaned_data
        choices = {rule.code: data[self.rule_field(rule)] for rule in RULES}
        return {
            "check_glossary": "\n".join(_lines(data["check_glossary"])),
            "check_grade_target": data["check_grade_target"],
            "check_max_sentence_words": data["check_max_sentence_words"],
            "check_phrases": {
                rule.name: _lines(data[self.phrase_field(rule)])
                for rule in RULES
                if rule.name in PHRASE_RULES and _lines(data[self.phrase_field(rule)])
            },
            "check_severities": {
                code: choice for code, choice in choices.items() if choice not in (DEFAULT, OFF)
            },
            "check_disabled": [code for code, choice in choices.items() if choice == OFF],
        }
