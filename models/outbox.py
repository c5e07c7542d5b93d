"""The outbox: messages to reporters and staff, written with the change that causes them, and each try to send one."""

from tortoise import fields
from tortoise.models import Model

from .enums import OutboxStatus, Recipient, Transport


class OutboxMessage(Model):
    """One message to one address. A worker claims it with a lease, sends it, and marks it sent only while it
    still holds the lease; a failed try waits for the next one by the back-off, the last one leaves it failed."""

    id = fields.IntField(primary_key=True)
    recipient = fields.CharEnumField(Recipient, max_length=10)
    transport = fields.CharEnumField(Transport, max_length=10)
    address = fields.CharField(max_length=200)  # an email address, or a phone number as 62812...
    subject = fields.CharField(max_length=200, default='')  # email only
    body = fields.TextField()
    move = fields.CharField(max_length=20, default='')  # what caused it ('submitted', 'dispatch', ...)
    complaint = fields.ForeignKeyField('lapor.Complaint', related_name='outbox', null=True, on_delete=fields.CASCADE)
    code = fields.CharField(max_length=24, null=True)  # the complaint's code, for the webhook's body
    status = fields.CharEnumField(OutboxStatus, max_length=10, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    lease_owner = fields.CharField(max_length=40, null=True)  # the claim that holds it now
    lease_until = fields.DatetimeField(null=True)  # after this, another worker may claim it (the owner died)
    last_error = fields.CharField(max_length=500, null=True)
    sent_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    tries: fields.ReverseRelation['OutboxAttempt']

    class Meta:
        table = 'outbox_message'
        indexes = (('status', 'next_attempt_at'), ('complaint_id', 'id'))


class OutboxAttempt(Model):
    """One try to send a message: when, and how it ended."""

    id = fields.IntField(primary_key=True)
    message: fields.ForeignKeyRelation[OutboxMessage] = fields.ForeignKeyField(
        'lapor.OutboxMessage', related_name='tries', on_delete=fields.CASCADE)
    at = fields.DatetimeField()
    ok = fields.BooleanField()
    error = fields.CharField(max_length=500, null=True)

    class Meta:
        table = 'outbox_attempt'
        indexes = (('message_id', 'at'),)
