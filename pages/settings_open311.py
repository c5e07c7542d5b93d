"""The supervisor's Open311 settings (issue 12 §4): API keys (``/admin/pengaturan/kunci-api``: create, the key
shown once; list; revoke), the browser origins allowed to call the API (on ``/admin/pengaturan/open311``, under
the public-list switch), and each category's extra questions (``/admin/pengaturan/pertanyaan``)."""

from __future__ import annotations

from nicegui import ui

from components.design import escape, wib
from components.fields import select, text_input
from services import admin_settings, apikeys, open311, open311_attributes
from services.complaints_labels import CHANNEL_LABELS
from services.settings import settings
from services.workflow import Actor

from .settings import BASE, _Form, _int_id, _settings_frame, _whole

NO_CHOICE = ''


def _table(headings: tuple[str, ...], rows: list[tuple[bool, tuple[str, ...]]], *, marker: str, label: str) -> None:
    """One HTML table (cells already escaped; dimmed rows are revoked) in a region the keyboard can scroll
    sideways on a phone (axe: scrollable-region-focusable)."""
    head = ''.join(f'<th>{h}</th>' for h in headings)
    body = ''.join(f'<tr{" class=lapor-inactive" if dim else ""}>' + ''.join(f'<td>{c}</td>' for c in cells) + '</tr>'
                   for dim, cells in rows)
    body = body or f'<tr><td colspan="{len(headings)}" class="lapor-muted">Belum ada data.</td></tr>'
    ui.html(f'<div class="lapor-settings-table" tabindex="0" role="region" aria-label="{escape(label)}"><table>'
            f'<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>', sanitize=False).mark(marker)


def create() -> None:
    @ui.page(f'{BASE}/kunci-api', title=f'Kunci API · {settings.app_name}')
    async def keys_page() -> None:
        async with _settings_frame(f'{BASE}/kunci-api', 'Kunci API', headed=True) as actor:
            if actor:
                await _keys(actor)

    @ui.page(f'{BASE}/pertanyaan', title=f'Pertanyaan tambahan · {settings.app_name}')
    async def questions_page(kategori: str = '', ubah: str = '') -> None:
        async with _settings_frame(f'{BASE}/pertanyaan', 'Pertanyaan tambahan', headed=True) as actor:
            if actor:
                await _questions(actor, kategori, ubah)


# --- API keys ---

async def _keys(actor: Actor) -> None:
    form = _Form('Kunci API mitra')
    with form.card:
        ui.html('<p class="lapor-muted">Setiap sistem mitra (aplikasi desa, sistem Call Center 112, ...) memakai '
                'kuncinya sendiri. Aduan yang dikirim dengan sebuah kunci dicatat dengan nama dan saluran kunci itu. '
                'Kunci hanya ditampilkan sekali saat dibuat; yang disimpan hanya sidik kuncinya.</p>', sanitize=False)
        name = form.field('name', text_input('Nama kunci (nama sistem mitra)', marker='key-name', max_length=100))
        channel = form.field('channel', select({c.value: CHANNEL_LABELS[c] for c in apikeys.KEY_CHANNELS},
                                               'Saluran aduan', marker='key-channel'))
        channel.value = apikeys.KEY_CHANNELS[0].value
        limit = form.field('requests_per_minute', text_input(
            'Batas permintaan per menit', marker='key-limit', inputmode='numeric',
            hint=f'1 sampai {apikeys.MAX_PER_MINUTE}; lewat batas, mitra diminta menunggu (429).'))
        limit.value = str(apikeys.DEFAULT_PER_MINUTE)
        shown = ui.element('div').mark('new-key')

        async def create_key() -> None:
            result = await form.run(lambda: apikeys.create_as(
                actor, name=name.value or '', channel=channel.value or '', requests_per_minute=_whole(limit.value)))
            if result is None:
                return
            row, raw = result
            form.saved(f'Kunci "{row.name}" dibuat.')
            shown.clear()
            with shown:
                ui.label('Salin dan simpan kunci ini sekarang. Kunci ini tidak akan ditampilkan lagi:').classes(
                    'lapor-alert')
                ui.html(f'<p><code class="lapor-key">{escape(raw)}</code></p>', sanitize=False).mark('raw-key')
            name.value = ''
            table.refresh()

        form.footer('Buat kunci', create_key, marker='create-key')

    @ui.refreshable
    async def table() -> None:
        rows = await apikeys.list_as(actor)
        _table(('Nama', 'Awalan', 'Saluran', 'Batas/menit', 'Dibuat', 'Terakhir dipakai', 'Status'), [
            (row.revoked_at is not None, (
                escape(row.name), f'<code>{escape(row.prefix)}…</code>', escape(CHANNEL_LABELS[row.channel]),
                str(row.requests_per_minute),
                f'{wib(row.created_at)}' + (f' oleh {escape(row.created_by)}' if row.created_by else ''),
                wib(row.last_used_at) if row.last_used_at else 'belum pernah',
                f'Dicabut {wib(row.revoked_at)}' if row.revoked_at else 'Aktif')) for row in rows], marker='keys',
            label='Daftar kunci API')
        active = {row.name: row.name for row in rows if row.revoked_at is None}
        if not active:
            return
        revoke_form = _Form('Cabut kunci')
        with revoke_form.card:
            ui.label('Kunci yang dicabut langsung berhenti bekerja; namanya tetap tercatat.').classes('lapor-muted')
            chosen = revoke_form.field('name', select(active, 'Kunci', marker='revoke-name'))

            async def revoke() -> None:
                if not chosen.value:
                    revoke_form.show({'name': 'Pilih kunci yang akan dicabut.'})
                    return
                revoked = chosen.value
                if await revoke_form.run(lambda: _revoked(actor, revoked)):
                    ui.notify(f'Kunci "{revoked}" dicabut.')
                    table.refresh()

            revoke_form.footer('Cabut', revoke, marker='revoke')

    await table()


async def _revoked(actor: Actor, name: str) -> bool:
    await apikeys.revoke_as(actor, name=name)
    return True


# --- Allowed browser origins (CORS), on the Open311 page ---

async def origins_form(actor: Actor) -> None:
    """The origins whose browser apps may call the API: none until a supervisor names some."""
    current = await open311.cors_origins(actor)
    form = _Form('Aplikasi peramban mitra (CORS)')
    with form.card:
        ui.html('<p class="lapor-muted">Aplikasi web mitra yang berjalan di peramban hanya dapat memanggil API dari '
                'asal yang tercantum di sini (satu per baris, mis. https://aplikasi.contoh.id). Kosong: tidak ada. '
                'Kiriman aduan dari asal lain selalu ditolak.</p>', sanitize=False)
        origins = form.field('origins', ui.textarea('Asal yang diizinkan', value='\n'.join(current)).props(
            'outlined stack-label autogrow hide-bottom-space maxlength=5000').mark('cors-origins'))

        async def save() -> None:
            saved = await form.run(lambda: open311.set_cors_origins(actor, origins.value or ''))
            if saved is not None:
                origins.value = '\n'.join(saved)
                form.saved(f'Tersimpan: {len(saved)} asal diizinkan.' if saved else 'Tersimpan: tidak ada asal '
                                                                                     'yang diizinkan.')

        form.footer('Simpan asal', save, marker='save-origins')


# --- A category's extra questions ---

async def _questions(actor: Actor, category: str, editing: str) -> None:
    categories = await admin_settings.list_categories(actor)
    by_id = {str(c.id): c for c in categories}
    with ui.element('section').classes('lapor-card'):
        ui.html('<h1>Pertanyaan tambahan kategori</h1><p class="lapor-muted">Pertanyaan yang ditanyakan saat aduan '
                'kategori itu dikirim (di API: atribut definisi layanan Open311).</p>', sanitize=False)
        chooser = select({NO_CHOICE: 'Pilih kategori', **{str(c.id): c.name for c in categories}}, 'Kategori',
                         marker='question-category')
        chooser.value = category if category in by_id else NO_CHOICE
        chooser.on_value_change(lambda e: ui.navigate.to(f'{BASE}/pertanyaan?kategori={e.value}') if e.value else None)
    chosen = by_id.get(category)
    if chosen is None:
        return
    questions = await open311_attributes.list_for_supervisor(actor, chosen.id)
    _table(('Urutan', 'Kode', 'Pertanyaan', 'Jenis', 'Wajib', 'Pilihan'), [
        (False, (str(q.order), f'<a href="{BASE}/pertanyaan?kategori={chosen.id}&ubah={q.id}">{escape(q.code)}</a>',
                 escape(q.description), open311_attributes.DATATYPE_LABELS[q.datatype], 'Ya' if q.required else '—',
                 escape(', '.join(name for _, name in q.values)) or '—')) for q in questions], marker='questions',
           label='Daftar pertanyaan tambahan')
    try:
        attribute_id = _int_id(editing) if editing else None
    except Exception:  # a mistyped id: a new question instead
        attribute_id = None
    current = next((q for q in questions if q.id == attribute_id), None)
    form = _Form(f'Ubah pertanyaan {current.code}' if current else 'Tambah pertanyaan')
    with form.card:
        code = form.field('code', text_input('Kode', marker='question-code', max_length=50,
                                             hint='Dipakai API: attribute[KODE]. Huruf, angka, _ atau -.'))
        description = form.field('description', text_input('Pertanyaan', marker='question-text', max_length=300))
        datatype = form.field('datatype', select(open311_attributes.DATATYPE_LABELS, 'Jenis jawaban',
                                                 marker='question-type'))
        datatype.value = 'string'
        required = ui.checkbox('Wajib dijawab').mark('question-required')
        order = form.field('order', text_input('Urutan', marker='question-order', inputmode='numeric'))
        order.value = str(len(questions) + 1)
        values = form.field('values', ui.textarea('Pilihan jawaban (untuk "Pilih satu" dan "Pilih beberapa")').props(
            'outlined stack-label autogrow hide-bottom-space maxlength=5000 '
            'hint="Satu per baris: KODE = Nama pilihan"').mark('question-values'))
        if current:
            code.value, description.value, datatype.value = current.code, current.description, current.datatype
            required.value, order.value = current.required, str(current.order)
            values.value = '\n'.join(f'{key} = {name}' for key, name in current.values)

        async def save() -> None:
            number = _whole(order.value)
            saved = await form.run(lambda: open311_attributes.save(
                actor, category_id=chosen.id, attribute_id=current.id if current else None, code=code.value or '',
                datatype=datatype.value or '', required=bool(required.value), description=description.value or '',
                order=number if number is not None else 10_000,
                values=open311_attributes.parse_values(values.value or '')))
            if saved:
                ui.navigate.to(f'{BASE}/pertanyaan?kategori={chosen.id}')

        form.footer('Simpan pertanyaan', save, marker='save-question')
        if current:
            async def delete() -> None:
                if await form.run(lambda: _deleted(actor, chosen.id, current.id)):
                    ui.navigate.to(f'{BASE}/pertanyaan?kategori={chosen.id}')

            ui.button('Hapus pertanyaan', on_click=delete).props('flat no-caps color=negative').mark('delete-question')


async def _deleted(actor: Actor, category_id: int, attribute_id: int) -> bool:
    await open311_attributes.delete(actor, category_id=category_id, attribute_id=attribute_id)
    return True
