from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import Channel, ScreeningOutcome
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lapor', '0007_outbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='IntakeRecord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('complaint', fields.OneToOneField('lapor.Complaint', source_field='complaint_id', db_constraint=True, to_field='id', related_name='intake', on_delete=OnDelete.CASCADE)),
                ('channel', fields.CharEnumField(description='WEB: web\nAPI: api\nCALL_CENTER: call_center\nSOCIAL_MEDIA: social_media\nWHATSAPP: whatsapp\nWALK_IN: walk_in\nLETTER: letter', enum_type=Channel, max_length=20)),
                ('operator', fields.ForeignKeyField('lapor.User', source_field='operator_id', db_constraint=True, to_field='id', related_name='entered', on_delete=OnDelete.RESTRICT)),
                ('operator_name', fields.CharField(max_length=120)),
                ('reference', fields.CharField(default='', max_length=120)),
                ('source_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('typed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('platform', fields.CharField(default='', max_length=30)),
                ('post_url', fields.CharField(default='', max_length=500)),
                ('author_handle', fields.CharField(default='', max_length=100)),
            ],
            options={'table': 'intake_record', 'app': 'lapor', 'pk_attr': 'id', 'table_description': 'Where a complaint entered by staff came from: one per such complaint, written with it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ScreeningCriterion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('text', fields.CharField(max_length=200)),
                ('required', fields.BooleanField(default=True)),
                ('position', fields.SmallIntField(default=0)),
                ('active', fields.BooleanField(default=True)),
            ],
            options={'table': 'screening_criterion', 'app': 'lapor', 'pk_attr': 'id', 'table_description': 'One line of the social-media checklist, edited by supervisors.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SocialScreening',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=30)),
                ('post_url', fields.CharField(max_length=500)),
                ('author_handle', fields.CharField(default='', max_length=100)),
                ('posted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('post_text', fields.TextField(unique=False)),
                ('screenshot_sha', fields.CharField(null=True, db_index=True, max_length=64)),
                ('answers', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('draft', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('outcome', fields.CharEnumField(description='PASSED: passed\nSCREENED_OUT: screened_out', enum_type=ScreeningOutcome, max_length=20)),
                ('reasons', fields.TextField(default='', unique=False)),
                ('screened_by', fields.ForeignKeyField('lapor.User', source_field='screened_by_id', db_constraint=True, to_field='id', related_name='screenings', on_delete=OnDelete.RESTRICT)),
                ('screened_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('complaint', fields.ForeignKeyField('lapor.Complaint', source_field='complaint_id', null=True, db_constraint=True, to_field='id', related_name='screenings', on_delete=OnDelete.SET_NULL)),
                ('reversed_by', fields.CharField(null=True, max_length=120)),
                ('reversed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reversal_note', fields.TextField(null=True, unique=False)),
                ('request_key', fields.CharField(null=True, unique=True, max_length=64)),
            ],
            options={'table': 'social_screening', 'app': 'lapor', 'indexes': [Index(fields=['screened_at'])], 'pk_attr': 'id', 'table_description': 'One social-media post screened by an operator: its data, the checklist as answered, the outcome and its'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Complaint',
            name='channel',
            field=fields.CharEnumField(default=Channel.WEB, description='WEB: web\nAPI: api\nCALL_CENTER: call_center\nSOCIAL_MEDIA: social_media\nWHATSAPP: whatsapp\nWALK_IN: walk_in\nLETTER: letter', enum_type=Channel, max_length=20),
        ),
    ]
