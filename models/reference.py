"""Reference data: OPDs (agencies), complaint categories and kecamatan (districts)."""

from tortoise import fields
from tortoise.models import Model

from .enums import SlaCalendar


class Agency(Model):
    """An OPD (organisasi perangkat daerah): the department that owns complaints."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=200)
    short_name = fields.CharField(max_length=60)
    active = fields.BooleanField(default=True)

    class Meta:
        table = 'agency'
        ordering = ('name',)


class Category(Model):
    """A complaint category, routed to an agency by data (none: waits for a supervisor)."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=120)
    description = fields.CharField(max_length=300, default='')
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        'lapor.Agency', related_name='categories', null=True, on_delete=fields.SET_NULL)
    first_response_minutes = fields.IntField(default=120)
    resolution_minutes = fields.IntField(default=7 * 24 * 60)
    calendar = fields.CharEnumField(SlaCalendar, max_length=20, default=SlaCalendar.ROUND_THE_CLOCK)
    pause_when_waiting = fields.BooleanField(default=False)
    active = fields.BooleanField(default=True)
    sort_order = fields.IntField(default=0)

    class Meta:
        table = 'category'
        ordering = ('sort_order', 'name')


class District(Model):
    """A kecamatan of the regency."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=100)

    class Meta:
        table = 'district'
        ordering = ('name',)
