from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lapor', '0002_staff')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Complaint',
            name='next_due_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Complaint',
            name='next_risk_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name='Complaint',
            index=Index(fields=['next_due_at', 'updated_at']),
        ),
        ops.AddIndex(
            model_name='Complaint',
            index=Index(fields=['agency_id', 'next_due_at']),
        ),
    ]
