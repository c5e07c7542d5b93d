"""A complaint (aduan), its SLA clocks, its timeline and its attachments."""

from tortoise import fields
from tortoise.models import Model

from .enums import Channel, ClockKind, ClockOutcome, EventKind, Privacy, Status
from .reference import Agency, Category, District


class Complaint(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=24)  # as shown, e.g. WSB-7K3M-9QXD
    code_key = fields.CharField(max_length=16, unique=True)  # the random part, what lookups match
    pin_hash = fields.CharField(max_length=64)
    channel = fields.CharEnumField(Channel, max_length=20, default=Channel.WEB)
    source = fields.CharField(max_length=120, null=True)  # API key name, call centre operator, ...
    idempotency_key = fields.CharField(max_length=64, unique=True, null=True)

    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        'lapor.Category', related_name='complaints', on_delete=fields.RESTRICT)
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        'lapor.Agency', related_name='complaints', null=True, on_delete=fields.SET_NULL)
    status = fields.CharEnumField(Status, max_length=20, default=Status.BARU)
    privacy = fields.CharEnumField(Privacy, max_length=10, default=Privacy.PUBLIK)
    version = fields.IntField(default=1)  # optimistic lock for concurrent admins
    updated_by = fields.CharField(max_length=120, null=True)  # who made the last change (for conflict messages)
    # The earliest deadline and at-risk moment of its running clocks, kept by the services so the board
    # sorts and filters 20,000 complaints by index instead of aggregating clocks on every page
    next_due_at = fields.DatetimeField(null=True)
    next_risk_at = fields.DatetimeField(null=True)
    # When a resolved complaint closes by itself (7 x 24 hours after its resolution, unless reopened)
    close_due_at = fields.DatetimeField(null=True)

    # The reporter's rating of the resolution, given once
    rating = fields.SmallIntField(null=True)
    rating_comment = fields.TextField(null=True)
    rated_at = fields.DatetimeField(null=True)

    # Merging (issue 12 §3): a complaint merged into another (its survivor) follows the survivor's status and public
    # timeline, and its reporter gets the survivor's news; the survivor is never itself merged (no chains)
    merged_into: fields.ForeignKeyNullableRelation['Complaint'] = fields.ForeignKeyField(
        'lapor.Complaint', related_name='merged', null=True, on_delete=fields.SET_NULL)
    merged_at = fields.DatetimeField(null=True)

    title = fields.CharField(max_length=150, null=True)
    description = fields.TextField()
    district: fields.ForeignKeyNullableRelation[District] = fields.ForeignKeyField(
        'lapor.District', related_name='complaints', null=True, on_delete=fields.SET_NULL)
    village = fields.CharField(max_length=100, null=True)
    address = fields.CharField(max_length=300, null=True)
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)

    reporter_name = fields.CharField(max_length=100, null=True)
    reporter_phone = fields.CharField(max_length=20, null=True)  # normalised: 62812...
    reporter_email = fields.CharField(max_length=200, null=True)
    notify_reporter = fields.BooleanField(default=False)  # "kirimi saya kabar": news of each step by SMS/email

    # Open311 (issue 12 §4): what a partner posts beside the complaint, kept and returned as given.
    # media_url is a link only (http or https, never fetched); attributes are the category's extra
    # questions (services.open311_attributes), answered as {code: value or [values]}
    media_url = fields.CharField(max_length=500, null=True)
    device_id = fields.CharField(max_length=100, null=True)
    account_id = fields.CharField(max_length=100, null=True)
    attributes = fields.JSONField(null=True)

    reported_at = fields.DatetimeField()  # when the citizen reported: the clocks start here
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    clocks: fields.ReverseRelation['SlaClock']
    events: fields.ReverseRelation['TimelineEvent']
    attachments: fields.ReverseRelation['Attachment']
    merged: fields.ReverseRelation['Complaint']

    class Meta:
        table = 'complaint'
        indexes = (('status', 'updated_at'), ('agency_id', 'status'), ('next_due_at', 'updated_at'),
                   ('agency_id', 'next_due_at'), ('close_due_at',))


class SlaClock(Model):
    """One SOP clock of a complaint. A reopened complaint gets a new resolution clock, and the old one stays."""

    id = fields.IntField(primary_key=True)
    complaint: fields.ForeignKeyRelation[Complaint] = fields.ForeignKeyField(
        'lapor.Complaint', related_name='clocks', on_delete=fields.CASCADE)
    kind = fields.CharEnumField(ClockKind, max_length=20)
    started_at = fields.DatetimeField()
    due_at = fields.DatetimeField()
    at_risk_due_at = fields.DatetimeField()  # when under a quarter of the window is left
    paused_at = fields.DatetimeField(null=True)
    paused_seconds = fields.IntField(default=0)
    stopped_at = fields.DatetimeField(null=True)
    at_risk_at = fields.DatetimeField(null=True)
    breached_at = fields.DatetimeField(null=True)
    breached_agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        'lapor.Agency', related_name='breached_clocks', null=True, on_delete=fields.SET_NULL)
    outcome = fields.CharEnumField(ClockOutcome, max_length=10, null=True)

    class Meta:
        table = 'sla_clock'
        indexes = (('stopped_at', 'due_at'), ('stopped_at', 'at_risk_due_at'), ('complaint_id', 'kind'))


class TimelineEvent(Model):
    id = fields.IntField(primary_key=True)
    complaint: fields.ForeignKeyRelation[Complaint] = fields.ForeignKeyField(
        'lapor.Complaint', related_name='events', on_delete=fields.CASCADE)
    kind = fields.CharEnumField(EventKind, max_length=20)
    status = fields.CharEnumField(Status, max_length=20, null=True)  # the state it moved to, if any
    is_public = fields.BooleanField(default=True)
    message = fields.TextField(default='')
    actor = fields.CharField(max_length=120, null=True)  # shown name: an OPD, "Pelapor", "Sistem"
    created_at = fields.DatetimeField()
    # A reporter's action carries the key its form was built with: a double tap or a resend after a
    # reconnect finds the event it already made instead of writing a second one
    request_key = fields.CharField(max_length=64, unique=True, null=True)

    class Meta:
        table = 'timeline_event'
        ordering = ('created_at', 'id')
        indexes = (('complaint_id', 'created_at'),)


class Attachment(Model):
    """A re-encoded image stored under the data folder by content hash."""

    id = fields.IntField(primary_key=True)
    complaint: fields.ForeignKeyRelation[Complaint] = fields.ForeignKeyField(
        'lapor.Complaint', related_name='attachments', on_delete=fields.CASCADE)
    event: fields.ForeignKeyNullableRelation[TimelineEvent] = fields.ForeignKeyField(
        'lapor.TimelineEvent', related_name='attachments', null=True, on_delete=fields.SET_NULL)
    sha256 = fields.CharField(max_length=64, db_index=True)
    content_type = fields.CharField(max_length=40)
    size = fields.IntField()
    width = fields.IntField()
    height = fields.IntField()
    is_public = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = 'attachment'
        indexes = (('complaint_id', 'is_public'),)
