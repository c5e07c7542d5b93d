from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import ClockOutcome, EventKind, Status
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lapor', '0009_open311')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Complaint',
            name='status',
            field=fields.CharEnumField(default=Status.BARU, description='BARU: baru\nDIDISPOSISIKAN: didisposisikan\nDIRESPONS: direspons\nDITINDAKLANJUTI: ditindaklanjuti\nMENUNGGU_PELAPOR: menunggu_pelapor\nSELESAI: selesai\nDITOLAK: ditolak\nDITUTUP: ditutup\nDIGABUNG: digabung', enum_type=Status, max_length=20),
        ),
        ops.AddField(
            model_name='Complaint',
            name='merged_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Complaint',
            name='merged_into',
            field=fields.ForeignKeyField('lapor.Complaint', source_field='merged_into_id', null=True, db_constraint=True, to_field='id', related_name='merged', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='SlaClock',
            name='outcome',
            field=fields.CharEnumField(null=True, description='MET: met\nLATE: late\nREJECTED: rejected\nMERGED: merged', enum_type=ClockOutcome, max_length=10),
        ),
        ops.AlterField(
            model_name='TimelineEvent',
            name='kind',
            field=fields.CharEnumField(description='SUBMITTED: submitted\nDISPATCHED: dispatched\nREASSIGNED: reassigned\nHANDED_BACK: handed_back\nREJECTED: rejected\nRESPONDED: responded\nFOLLOW_UP: follow_up\nWAITING: waiting\nRESOLVED: resolved\nREOPENED: reopened\nINFO_ADDED: info_added\nRATED: rated\nCLOSED: closed\nNOTE: note\nSLA_AT_RISK: sla_at_risk\nSLA_BREACHED: sla_breached\nMERGED: merged', enum_type=EventKind, max_length=20),
        ),
        ops.AlterField(
            model_name='TimelineEvent',
            name='status',
            field=fields.CharEnumField(null=True, description='BARU: baru\nDIDISPOSISIKAN: didisposisikan\nDIRESPONS: direspons\nDITINDAKLANJUTI: ditindaklanjuti\nMENUNGGU_PELAPOR: menunggu_pelapor\nSELESAI: selesai\nDITOLAK: ditolak\nDITUTUP: ditutup\nDIGABUNG: digabung', enum_type=Status, max_length=20),
        ),
    ]
