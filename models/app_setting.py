"""Run-time settings that supervisors change in the app (not in the environment)."""

from tortoise import fields
from tortoise.models import Model


class AppSetting(Model):
    key = fields.CharField(max_length=60, primary_key=True)
    value = fields.TextField()
    updated_at = fields.DatetimeField()
    updated_by = fields.CharField(max_length=60, null=True)

    class Meta:
        table = 'app_setting'
