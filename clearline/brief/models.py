"""The support and sales brief: approved answers to the hard questions, and customer signal."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from clearline.core import limits
from clearline.core.models import WrittenText
from clearline.incidents.models import Incident


class Topic(models.TextChoices):
    """The questions every customer-facing person is asked; FAQ answers customers' own."""

    WHAT_HAPPENED = "what_happened", "What happened?"
    WHO_IS_AFFECTED = "who_is_affected", "Who is affected?"
    DATA_SAFE = "data_safe", "Is my data safe?"
    WHAT_TO_DO = "what_to_do", "What should my team do?"
    NEXT_UPDATE = "next_update", "When is the next update?"
    HAPPEN_AGAIN = "happen_again", "Can this happen again?"
    FAQ = "faq", "A question customers ask"


HARD_QUESTIONS = [topic for topic in Topic if topic != Topic.FAQ]


class AnswerState(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


def content_hash(question: str, text: str) -> str:
    """What an approval is bound to: the exact question and answer the approver read."""
    return hashlib.sha256(f"{question}\n\n{text}".encode()).hexdigest()


class CustomerSignalKind(models.TextChoices):
    REPORT = "report", "Report: something a customer saw"
    QUESTION = "question", "Question a customer asked"


class QuestionGroup(models.Model):
    """Customers asking the same thing in their own words, counted together."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="question_groups")
    title = models.TextField(help_text="The first wording logged; it names the group.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title[:80]


class CustomerSignal(models.Model):
    """One thing a customer reported or asked, as support logged it."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="customer_signals"
    )
    kind = models.CharField(max_length=10, choices=CustomerSignalKind.choices)
    text = models.TextField()
    account = models.CharField(
        max_length=limits.SIGNAL_ACCOUNT.chars, blank=True, help_text="The customer account."
    )
    symptom = models.CharField(
        max_length=limits.SIGNAL_SYMPTOM.chars,
        blank=True,
        help_text="What they saw, in a few words.",
    )
    reported_at = models.DateTimeField(default=timezone.now)
    group = models.ForeignKey(
        QuestionGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="signals"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Answer(WrittenText):
    """One approved answer: drafted by responders, approved by an approver or the commander.

    The approval holds the hash of the text approved, so any later change to the text — by the
    desk, the admin or anything else — leaves the answer unapproved.
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="answers")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    group = models.OneToOneField(
        QuestionGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="answer"
    )
    question = models.CharField(
        max_length=limits.ANSWER_QUESTION.chars, help_text="The question as readers will see it."
    )
    text = models.TextField()
    state = models.CharField(max_length=10, choices=AnswerState.choices, default=AnswerState.DRAFT)
    approved_hash = models.CharField(max_length=64, blank=True, editable=False)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    show_on_status_page = models.BooleanField(
        default=False, help_text="An approved customer question shown on the public incident page."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised by every edit.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [("approve_answer", "Can approve an answer for the brief")]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "topic"],
                condition=~models.Q(topic="faq"),
                name="one_answer_per_hard_question",
            ),
            models.CheckConstraint(
                condition=models.Q(topic="faq", group__isnull=False)
                | (~models.Q(topic="faq") & models.Q(group__isnull=True)),
                name="faq_answers_answer_a_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.text[:60]}"

    @property
    def content_hash(self) -> str:
        return content_hash(self.question, self.text)

    @property
    def is_approved(self) -> bool:
        return self.state == AnswerState.APPROVED and self.approved_hash == self.content_hash
