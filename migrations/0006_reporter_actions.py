from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import EventKind
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lapor', '0005_staff_sessions_app_settings')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Complaint',
            name='close_due_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Complaint',
            name='rated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Complaint',
            name='rating',
            field=fields.SmallIntField(null=True),
        ),
        ops.AddField(
            model_name='Complaint',
            name='rating_comment',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddIndex(
            model_name='Complaint',
            index=Index(fields=['close_due_at']),
        ),
        ops.AlterField(
            model_name='TimelineEvent',
            name='kind',
            field=fields.CharEnumField(description='SUBMITTED: submitted\nDISPATCHED: dispatched\nREASSIGNED: reassigned\nHANDED_BACK: handed_back\nREJECTED: rejected\nRESPONDED: responded\nFOLLOW_UP: follow_up\nWAITING: waiting\nRESOLVED: resolved\nREOPENED: reopened\nINFO_ADDED: info_added\nRATED: rated\nCLOSED: closed\nNOTE: note\nSLA_AT_RISK: sla_at_risk\nSLA_BREACHED: sla_breached', enum_type=EventKind, max_length=20),
        ),
        ops.AddField(
            model_name='TimelineEvent',
            name='request_key',
            field=fields.CharField(null=True, unique=True, max_length=64),
        ),
    ]
