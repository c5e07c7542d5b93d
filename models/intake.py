"""Complaints entered by staff (the 112 call centre, social media, WhatsApp, walk-in, letters) and the
screening of social-media posts under the SOP's criteria."""

from tortoise import fields
from tortoise.models import Model

from .enums import Channel, ScreeningOutcome


class IntakeRecord(Model):
    """Where a complaint entered by staff came from: one per such complaint, written with it."""

    id = fields.IntField(primary_key=True)
    complaint = fields.OneToOneField('lapor.Complaint', related_name='intake', on_delete=fields.CASCADE)
    channel = fields.CharEnumField(Channel, max_length=20)
    operator = fields.ForeignKeyField('lapor.User', related_name='entered', on_delete=fields.RESTRICT)
    operator_name = fields.CharField(max_length=120)  # as shown on the record, kept if the account changes
    reference = fields.CharField(max_length=120, default='')  # call reference, WhatsApp number, letter number...
    source_at = fields.DatetimeField()  # when the citizen reported (the call, the post, the letter): clocks start
    typed_at = fields.DatetimeField()  # when the operator entered it
    platform = fields.CharField(max_length=30, default='')  # social media only
    post_url = fields.CharField(max_length=500, default='')
    author_handle = fields.CharField(max_length=100, default='')

    class Meta:
        table = 'intake_record'

    @property
    def backdated_seconds(self) -> int:
        return max(0, int((self.typed_at - self.source_at).total_seconds()))


class ScreeningCriterion(Model):
    """One line of the social-media checklist, edited by supervisors."""

    id = fields.IntField(primary_key=True)
    text = fields.CharField(max_length=200)
    required = fields.BooleanField(default=True)  # a post passes only when every required one holds
    position = fields.SmallIntField(default=0)
    active = fields.BooleanField(default=True)

    class Meta:
        table = 'screening_criterion'


class SocialScreening(Model):
    """One social-media post screened by an operator: its data, the checklist as answered, the outcome and its
    reasons; kept whether it passed or not (never public), and a supervisor's reversal with who and why."""

    id = fields.IntField(primary_key=True)
    platform = fields.CharField(max_length=30)
    post_url = fields.CharField(max_length=500)
    author_handle = fields.CharField(max_length=100, default='')
    posted_at = fields.DatetimeField()
    post_text = fields.TextField()
    screenshot_sha = fields.CharField(max_length=64, null=True, db_index=True)
    answers = fields.JSONField(default=list)  # [{"id", "text", "required", "holds"}] as the checklist stood
    draft = fields.JSONField(default=dict)  # the complaint's fields as entered, so a screened-out post loses nothing
    outcome = fields.CharEnumField(ScreeningOutcome, max_length=20)
    reasons = fields.TextField(default='')
    screened_by = fields.ForeignKeyField('lapor.User', related_name='screenings', on_delete=fields.RESTRICT)
    screened_at = fields.DatetimeField()
    complaint = fields.ForeignKeyField('lapor.Complaint', related_name='screenings', null=True,
                                       on_delete=fields.SET_NULL)
    reversed_by = fields.CharField(max_length=120, null=True)
    reversed_at = fields.DatetimeField(null=True)
    reversal_note = fields.TextField(null=True)
    request_key = fields.CharField(max_length=64, unique=True, null=True)  # the form's: a resend screens it once

    class Meta:
        table = 'social_screening'
        indexes = (('screened_at',),)
