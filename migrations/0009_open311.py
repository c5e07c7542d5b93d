from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import Channel
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lapor', '0008_intake')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CategoryAttribute',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('category', fields.ForeignKeyField('lapor.Category', source_field='category_id', db_constraint=True, to_field='id', related_name='attributes', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=50)),
                ('datatype', fields.CharField(max_length=20)),
                ('required', fields.BooleanField(default=False)),
                ('description', fields.CharField(max_length=300)),
                ('order', fields.IntField(default=0)),
                ('values', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('active', fields.BooleanField(default=True)),
            ],
            options={'table': 'category_attribute', 'app': 'lapor', 'unique_together': (('category', 'code'),), 'pk_attr': 'id', 'table_description': 'One extra question of a category. ``values`` holds the choices of a (single|multi)valuelist as'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='ApiKey',
            name='channel',
            field=fields.CharEnumField(default=Channel.API, description='WEB: web\nAPI: api\nCALL_CENTER: call_center\nSOCIAL_MEDIA: social_media\nWHATSAPP: whatsapp\nWALK_IN: walk_in\nLETTER: letter', enum_type=Channel, max_length=20),
        ),
        ops.AddField(
            model_name='ApiKey',
            name='created_by',
            field=fields.CharField(null=True, max_length=60),
        ),
        ops.AddField(
            model_name='ApiKey',
            name='requests_per_minute',
            field=fields.IntField(default=120),
        ),
        ops.AddField(
            model_name='Complaint',
            name='account_id',
            field=fields.CharField(null=True, max_length=100),
        ),
        ops.AddField(
            model_name='Complaint',
            name='attributes',
            field=fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name='Complaint',
            name='device_id',
            field=fields.CharField(null=True, max_length=100),
        ),
        ops.AddField(
            model_name='Complaint',
            name='media_url',
            field=fields.CharField(null=True, max_length=500),
        ),
    ]
