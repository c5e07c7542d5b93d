"""A category's extra questions (Open311's service definition attributes, issue 12 §4).

Supervisors define them per category (``save``, ``delete``); the API returns them as the category's service
definition and checks a partner's ``attribute[code]`` answers (``check_answers``); the citizen's and the
operator's forms call ``for_category`` to ask them and ``check_answers`` to check what was typed, and pass the
clean answers to ``complaints.submit(attributes=...)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models import Category, CategoryAttribute, Role

from . import sessions
from .actor import Actor
from .errors import NotFound, ValidationFailed

DATATYPES = ('string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist')
DATATYPE_LABELS = {'string': 'Teks singkat', 'number': 'Angka', 'datetime': 'Tanggal dan jam', 'text': 'Teks panjang',
                   'singlevaluelist': 'Pilih satu', 'multivaluelist': 'Pilih beberapa'}
LISTS = ('singlevaluelist', 'multivaluelist')
MAX_PER_CATEGORY = 20
MAX_VALUES = 50
MAX_ANSWER = {'string': 200, 'number': 40, 'datetime': 40, 'text': 2000}
_CODE = re.compile(r'^[A-Za-z0-9_-]{1,50}$')


@dataclass(frozen=True, slots=True)
class Attribute:
    id: int
    code: str
    datatype: str
    required: bool
    description: str
    order: int
    values: tuple[tuple[str, str], ...]  # (key, name) of a list's choices

    def as_open311(self) -> dict[str, Any]:
        """The attribute as GeoReport v2's service definition lists it."""
        return {'variable': True, 'code': self.code, 'datatype': self.datatype, 'required': self.required,
                'datatype_description': None, 'order': self.order, 'description': self.description,
                'values': [{'key': key, 'name': name} for key, name in self.values]}


def _attribute(row: CategoryAttribute) -> Attribute:
    return Attribute(id=row.id, code=row.code, datatype=row.datatype, required=row.required,
                     description=row.description, order=row.order,
                     values=tuple((str(v.get('key', '')), str(v.get('name', ''))) for v in row.values or ()))


async def for_category(category: int | str) -> list[Attribute]:
    """The active category's questions in their order (by id or by code); [] for none or an unknown category."""
    query = CategoryAttribute.filter(active=True, category__active=True)
    query = query.filter(category_id=category) if isinstance(category, int) else query.filter(category__code=category)
    return [_attribute(row) for row in await query.order_by('order', 'id')]


async def categories_with_attributes() -> set[str]:
    """Codes of the active categories that ask extra questions (their services say ``metadata: true``)."""
    return set(await CategoryAttribute.filter(active=True, category__active=True).distinct().values_list(
        'category__code', flat=True))


def check_answers(attributes: Sequence[Attribute], answers: Mapping[str, str | Sequence[str]],  # noqa: PLR0912
                  ) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers cleaned (code -> text, number, ISO moment, or list of keys) and the problems by
    ``attribute[code]``; unknown codes are problems too, so a partner learns of a typo."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    known = {a.code: a for a in attributes}
    for code in answers:
        if code not in known:
            errors[f'attribute[{str(code)[:50]}]'] = 'pertanyaan ini tidak ada untuk kategori ini.'
    for attribute in attributes:
        name = f'attribute[{attribute.code}]'
        given = answers.get(attribute.code)
        values = [given] if isinstance(given, str) else list(given or [])
        values = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        if not values:
            if attribute.required:
                errors[name] = f'wajib diisi ({attribute.description}).'
            continue
        if attribute.datatype in LISTS:
            keys = {key for key, _ in attribute.values}
            wrong = [v for v in values if v not in keys]
            if wrong:
                errors[name] = f'pilihan "{wrong[0][:40]}" tidak ada; pilih salah satu dari: {", ".join(sorted(keys))}.'
            elif attribute.datatype == 'singlevaluelist' and len(values) > 1:
                errors[name] = 'pilih satu saja.'
            else:
                clean[attribute.code] = values[0] if attribute.datatype == 'singlevaluelist' else sorted(set(values))
            continue
        value = values[-1]
        if len(value) > MAX_ANSWER[attribute.datatype]:
            errors[name] = f'maksimal {MAX_ANSWER[attribute.datatype]} karakter.'
        elif attribute.datatype == 'number':
            try:
                number = float(value.replace(',', '.'))
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                errors[name] = 'harus berupa angka.'
            else:
                clean[attribute.code] = int(number) if number.is_integer() else number
        elif attribute.datatype == 'datetime':
            try:
                clean[attribute.code] = datetime.fromisoformat(value.replace('Z', '+00:00')).isoformat()
            except ValueError:
                errors[name] = 'harus berupa tanggal ISO 8601, misalnya 2026-11-28T08:00:00+07:00.'
        else:
            clean[attribute.code] = value
    return clean, errors


def shown(attributes: Sequence[Attribute], answers: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(question, answer in words) for a complaint's stored answers, for staff pages."""
    by_code = {a.code: a for a in attributes}
    result = []
    for code, value in (answers or {}).items():
        attribute = by_code.get(code)
        names = dict(attribute.values) if attribute else {}
        values = value if isinstance(value, list) else [value]
        result.append((attribute.description if attribute else code,
                       ', '.join(names.get(str(v), str(v)) for v in values)))
    return result


# --- Supervisors define them ---

async def _supervisor(actor: Actor) -> Actor:
    return await sessions.verify_role(
        actor, (Role.SUPERVISOR,), 'Maaf, pertanyaan tambahan kategori hanya dapat diubah oleh supervisor.')


async def list_for_supervisor(actor: Actor, category_id: int) -> list[Attribute]:
    await _supervisor(actor)
    rows = await CategoryAttribute.filter(category_id=category_id, active=True).order_by('order', 'id')
    return [_attribute(row) for row in rows]


def parse_values(text: str) -> list[tuple[str, str]]:
    """A list's choices typed one a line as ``key = name`` (or just the name, which is then its key too)."""
    result = []
    for raw in (text or '').splitlines():
        line = raw.strip()
        if not line:
            continue
        key, _, name = line.partition('=')
        key, name = key.strip(), name.strip()
        result.append((key, name or key))
    return result


async def save(actor: Actor, *, category_id: int, attribute_id: int | None, code: str, datatype: str,  # noqa: PLR0912
               required: bool, description: str, order: int, values: Sequence[tuple[str, str]] = ()) -> Attribute:
    """Create (``attribute_id`` None) or change one question; ValidationFailed names each wrong field."""
    await _supervisor(actor)
    if not await Category.exists(id=category_id):
        raise NotFound('Kategori tidak ditemukan.')
    errors: dict[str, str] = {}
    code, description = (code or '').strip(), (description or '').strip()
    if not _CODE.match(code):
        errors['code'] = 'Kode 1-50 karakter: huruf, angka, garis bawah atau tanda hubung.'
    if datatype not in DATATYPES:
        errors['datatype'] = 'Pilih jenis jawaban.'
    if not description or len(description) > 300:
        errors['description'] = 'Pertanyaan wajib diisi (maksimal 300 karakter).'
    if not -1000 <= order <= 1000:
        errors['order'] = 'Urutan antara -1000 dan 1000.'
    values = [(k[:50], n[:100]) for k, n in values]
    if datatype in LISTS:
        if not values:
            errors['values'] = 'Tulis pilihan jawaban, satu per baris.'
        elif len(values) > MAX_VALUES:
            errors['values'] = f'Maksimal {MAX_VALUES} pilihan.'
        elif len({k for k, _ in values}) != len(values):
            errors['values'] = 'Setiap pilihan perlu kode yang berbeda.'
    else:
        values = []
    others = CategoryAttribute.filter(category_id=category_id, code=code)
    if attribute_id is not None:
        others = others.exclude(id=attribute_id)
    if 'code' not in errors and await others.exists():
        errors['code'] = f'Kode "{code}" sudah dipakai di kategori ini.'
    if attribute_id is None and await CategoryAttribute.filter(
            category_id=category_id, active=True).count() >= MAX_PER_CATEGORY:
        errors['code'] = f'Satu kategori paling banyak {MAX_PER_CATEGORY} pertanyaan.'
    if errors:
        raise ValidationFailed(errors)
    stored = [{'key': k, 'name': n} for k, n in values]
    if attribute_id is None:
        row = await CategoryAttribute.create(category_id=category_id, code=code, datatype=datatype,
                                             required=required, description=description, order=order, values=stored)
    else:
        row = await CategoryAttribute.get_or_none(id=attribute_id, category_id=category_id)
        if row is None:
            raise NotFound('Pertanyaan tidak ditemukan.')
        row.update_from_dict({'code': code, 'datatype': datatype, 'required': required, 'description': description,
                              'order': order, 'values': stored, 'active': True})
        await row.save()
    return _attribute(row)


async def delete(actor: Actor, *, category_id: int, attribute_id: int) -> None:
    """Stop asking a question (answers already given stay with their complaints)."""
    await _supervisor(actor)
    if not await CategoryAttribute.filter(id=attribute_id, category_id=category_id).delete():
        raise NotFound('Pertanyaan tidak ditemukan.')
