"""Credentials of machines that call the API."""

from tortoise import fields
from tortoise.models import Model


class ApiKey(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    prefix = fields.CharField(max_length=12)  # shown to operators to tell keys apart
    key_hash = fields.CharField(max_length=64, unique=True)  # sha256: keys carry 256 random bits
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'api_key'
