"""Staff accounts, what they opened, what they were told, and their response templates."""

from tortoise import fields
from tortoise.models import Model

from .enums import Role
from .reference import Agency


class User(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=60, unique=True)
    full_name = fields.CharField(max_length=120, default='')
    email = fields.CharField(max_length=200, null=True)  # optional: notices by email too (services.outbox)
    password_hash = fields.CharField(max_length=200)
    role = fields.CharEnumField(Role, max_length=20)
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        'lapor.Agency', related_name='users', null=True, on_delete=fields.RESTRICT)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)
    password_changed_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'staff_user'
        ordering = ('username',)


class AccessLog(Model):
    """One opening of a reporter's contact data or of a rahasia complaint's content."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        'lapor.User', related_name='access_log', on_delete=fields.RESTRICT)
    complaint = fields.ForeignKeyField('lapor.Complaint', related_name='access_log', on_delete=fields.CASCADE)
    what = fields.CharField(max_length=20)  # 'contact' or 'rahasia'
    created_at = fields.DatetimeField()

    class Meta:
        table = 'access_log'
        ordering = ('-created_at',)


class Notification(Model):
    """An in-app notice for one staff member (breaches for supervisors, at-risk for the OPD)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        'lapor.User', related_name='notifications', on_delete=fields.CASCADE)
    complaint = fields.ForeignKeyField('lapor.Complaint', related_name='notifications', null=True,
                                       on_delete=fields.CASCADE)
    kind = fields.CharField(max_length=30)
    message = fields.CharField(max_length=300)
    created_at = fields.DatetimeField()
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = 'notification'
        indexes = (('user_id', 'read_at'),)


class ResponseTemplate(Model):
    """A reusable answer an admin picks and edits (per OPD, or for everyone when it names none)."""

    id = fields.IntField(primary_key=True)
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        'lapor.Agency', related_name='templates', null=True, on_delete=fields.CASCADE)
    title = fields.CharField(max_length=100)
    body = fields.TextField()
    active = fields.BooleanField(default=True)

    class Meta:
        table = 'response_template'
        ordering = ('title',)


class StaffSession(Model):
    """One signed-in browser of a staff member. Every staff action checks it (not ended, not idle) and the
    user's current state, so a sign-out, a deactivation or a move to another OPD takes effect at once."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)  # sha256 of the token kept in the browser's storage
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        'lapor.User', related_name='sessions', on_delete=fields.CASCADE)
    address = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)
    end_reason = fields.CharField(max_length=20, null=True)  # 'logout', 'idle', 'deactivated', 'password'

    class Meta:
        table = 'staff_session'
        indexes = (('user_id', 'ended_at'),)
