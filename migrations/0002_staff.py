from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import Role
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lapor', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ResponseTemplate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('agency', fields.ForeignKeyField('lapor.Agency', source_field='agency_id', null=True, db_constraint=True, to_field='id', related_name='templates', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=100)),
                ('body', fields.TextField(unique=False)),
                ('active', fields.BooleanField(default=True)),
            ],
            options={'table': 'response_template', 'app': 'lapor', 'pk_attr': 'id', 'table_description': 'A reusable answer an admin picks and edits (per OPD, or for everyone when it names none).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=60)),
                ('full_name', fields.CharField(default='', max_length=120)),
                ('password_hash', fields.CharField(max_length=200)),
                ('role', fields.CharEnumField(description='SUPERVISOR: supervisor\nOPD_ADMIN: opd_admin\nOPERATOR: operator\nVIEWER: viewer', enum_type=Role, max_length=20)),
                ('agency', fields.ForeignKeyField('lapor.Agency', source_field='agency_id', null=True, db_constraint=True, to_field='id', related_name='users', on_delete=OnDelete.RESTRICT)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('password_changed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'staff_user', 'app': 'lapor', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AccessLog',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('lapor.User', source_field='user_id', db_constraint=True, to_field='id', related_name='access_log', on_delete=OnDelete.RESTRICT)),
                ('complaint', fields.ForeignKeyField('lapor.Complaint', source_field='complaint_id', db_constraint=True, to_field='id', related_name='access_log', on_delete=OnDelete.CASCADE)),
                ('what', fields.CharField(max_length=20)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'access_log', 'app': 'lapor', 'pk_attr': 'id', 'table_description': "One opening of a reporter's contact data or of a rahasia complaint's content."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('lapor.User', source_field='user_id', db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('complaint', fields.ForeignKeyField('lapor.Complaint', source_field='complaint_id', null=True, db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=30)),
                ('message', fields.CharField(max_length=300)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notification', 'app': 'lapor', 'indexes': [Index(fields=['user_id', 'read_at'])], 'pk_attr': 'id', 'table_description': 'An in-app notice for one staff member (breaches for supervisors, at-risk for the OPD).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Complaint',
            name='updated_by',
            field=fields.CharField(null=True, max_length=120),
        ),
    ]
