"""The rule catalog: code, name and severity per kind (see the catalog in the product docs)."""

from types import MappingProxyType

from clearline.checks.record import Record

KINDS = ("first", "update", "resolved", "preliminary", "report", "review")
EXTERNAL = KINDS[:-1]
SEVERITIES = ("error", "warning", "info")


class Rule(Record):
    __slots__ = _fields = ("code", "name", "severities", "application_only")
    code: str
    name: str
    severities: MappingProxyType[str, str]
    application_only: bool

    _defaults = {"application_only": False}


def _rule(code: str, name: str, severities: dict[str, str], *, application_only: bool = False):
    return Rule(code, name, MappingProxyType(severities), application_only)


def _each(kinds: tuple[str, ...] | list[str], severity: str) -> dict[str, str]:
    return {kind: severity for kind in kinds}


E, W, INFO = "error", "warning", "info"

RULES: tuple[Rule, ...] = (
    _rule("CL101", "missing-symptom", _each(EXTERNAL, E)),
    _rule("CL102", "missing-scope", {"first": E} | _each(EXTERNAL[1:], W)),
    _rule("CL103", "missing-still-works", {"first": W}),
    _rule("CL104", "missing-next-update", {"first": E, "update": E}),
    _rule("CL105", "missing-owner", {"first": W}),
    _rule("CL106", "missing-time-window", _each(["first", "resolved", "preliminary", "report"], W)),
    _rule("CL107", "missing-customer-action", {"first": INFO, "update": INFO}),
    _rule("CL108", "missing-verification", {"resolved": E, "report": E, "preliminary": W}),
    _rule("CL109", "missing-safety-boundary", _each(["resolved", "preliminary", "report"], W)),
    _rule("CL110", "jargon", _each(EXTERNAL, W)),
    _rule("CL111", "empty-reassurance", _each(EXTERNAL, W)),
    _rule("CL112", "stock-apology", _each(EXTERNAL, W)),
    _rule("CL113", "apology-overuse", _each(EXTERNAL, W)),
    _rule("CL114", "vague-time", _each(EXTERNAL, W)),
    _rule("CL115", "speculation", _each(EXTERNAL[:4], E) | {"report": W}),
    _rule("CL116", "premature-all-clear", _each(["first", "update", "resolved"], E)),
    _rule("CL117", "vendor-blame", _each(EXTERNAL[:4], W)),
    _rule("CL118", "guessed-deadline", {"first": W, "update": W}),
    _rule("CL119", "boilerplate", _each(EXTERNAL, W)),
    _rule("CL120", "hard-to-read", _each(KINDS, W)),
    _rule("CL121", "mixed-status", _each(EXTERNAL[:3], E), application_only=True),
    _rule("CL122", "unsupported-claim", _each(EXTERNAL, E), application_only=True),
    _rule("CL123", "next-update-mismatch", {"first": E, "update": E}, application_only=True),
    _rule("CL124", "time-without-zone", _each(EXTERNAL, W)),
    _rule("CL130", "missing-prevention", {"report": E, "resolved": INFO}),
    _rule("CL131", "missing-contact-path", {"preliminary": W, "report": W}),
    _rule("CL132", "missing-review-promise", {"preliminary": W}),
    _rule("CL133", "missing-timeline", {"report": W}),
    _rule("CL150", "blame-language", {"review": W}),
    _rule("CL151", "incomplete-action-item", {"review": E}),
    _rule("CL152", "missing-customer-signal", {"review": W}),
    _rule("CL153", "vague-action", {"review": W}),
)

BY_CODE = MappingProxyType({rule.code: rule for rule in RULES})
BY_NAME = MappingProxyType({rule.name: rule for rule in RULES})


def lookup(code_or_name: str) -> Rule | None:
    """A rule by its code ("CL104", any case) or its name ("missing-next-update")."""
    key = code_or_name.strip()
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
