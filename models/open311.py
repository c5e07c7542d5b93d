"""Open311 (issue 12 §4): a category's extra questions, the GeoReport v2 service definition's attributes."""

from tortoise import fields
from tortoise.models import Model

from .reference import Category


class CategoryAttribute(Model):
    """One extra question of a category. ``values`` holds the choices of a (single|multi)valuelist as
    ``[{"key": ..., "name": ...}]``; the other datatypes keep it empty."""

    id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        'lapor.Category', related_name='attributes', on_delete=fields.CASCADE)
    code = fields.CharField(max_length=50)
    datatype = fields.CharField(max_length=20)  # string, number, datetime, text, singlevaluelist, multivaluelist
    required = fields.BooleanField(default=False)
    description = fields.CharField(max_length=300)  # the question as asked
    order = fields.IntField(default=0)
    values = fields.JSONField(default=list)
    active = fields.BooleanField(default=True)

    class Meta:
        table = 'category_attribute'
        unique_together = (('category', 'code'),)
        ordering = ('order', 'id')
