from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lapor', '0003_complaint_deadlines')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Attachment',
            index=Index(fields=['complaint_id', 'is_public']),
        ),
        ops.AddIndex(
            model_name='SlaClock',
            index=Index(fields=['complaint_id', 'kind']),
        ),
        ops.AddIndex(
            model_name='TimelineEvent',
            index=Index(fields=['complaint_id', 'created_at']),
        ),
    ]
