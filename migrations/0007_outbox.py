from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import OutboxStatus, Recipient, Transport
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lapor', '0006_reporter_actions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('recipient', fields.CharEnumField(description='REPORTER: reporter\nSTAFF: staff', enum_type=Recipient, max_length=10)),
                ('transport', fields.CharEnumField(description='EMAIL: email\nWEBHOOK: webhook', enum_type=Transport, max_length=10)),
                ('address', fields.CharField(max_length=200)),
                ('subject', fields.CharField(default='', max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('move', fields.CharField(default='', max_length=20)),
                ('complaint', fields.ForeignKeyField('lapor.Complaint', source_field='complaint_id', null=True, db_constraint=True, to_field='id', related_name='outbox', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(null=True, max_length=24)),
                ('status', fields.CharEnumField(default=OutboxStatus.PENDING, description='PENDING: pending\nSENT: sent\nFAILED: failed', enum_type=OutboxStatus, max_length=10)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('lease_owner', fields.CharField(null=True, max_length=40)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, max_length=500)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_message', 'app': 'lapor', 'indexes': [Index(fields=['status', 'next_attempt_at']), Index(fields=['complaint_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One message to one address. A worker claims it with a lease, sends it, and marks it sent only while it'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxAttempt',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('message', fields.ForeignKeyField('lapor.OutboxMessage', source_field='message_id', db_constraint=True, to_field='id', related_name='tries', on_delete=OnDelete.CASCADE)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ok', fields.BooleanField()),
                ('error', fields.CharField(null=True, max_length=500)),
            ],
            options={'table': 'outbox_attempt', 'app': 'lapor', 'indexes': [Index(fields=['message_id', 'at'])], 'pk_attr': 'id', 'table_description': 'One try to send a message: when, and how it ended.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Complaint',
            name='notify_reporter',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='User',
            name='email',
            field=fields.CharField(null=True, max_length=200),
        ),
    ]
