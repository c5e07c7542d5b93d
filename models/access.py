"""Credentials of machines that call the API."""

from tortoise import fields
from tortoise.models import Model

from .enums import Channel


class ApiKey(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    prefix = fields.CharField(max_length=12)  # shown to operators to tell keys apart
    key_hash = fields.CharField(max_length=64, unique=True)  # sha256: keys carry 256 random bits
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    # Open311 (issue 12 §4): the channel a complaint posted with this key is recorded under (the 112 system's
    # key: call_center), and how many requests a minute the key may make (counted before the work)
    channel = fields.CharEnumField(Channel, max_length=20, default=Channel.API)
    requests_per_minute = fields.IntField(default=120)
    created_by = fields.CharField(max_length=60, null=True)  # the supervisor who made it (None: the CLI)

    class Meta:
        table = 'api_key'
