"""``/login`` and ``/logout`` for staff."""

from __future__ import annotations

from fastapi import Request
from nicegui import app, ui

from components.fields import text_input
from components.frame import frame
from services import auth
from services.errors import DomainError
from services.settings import settings

from . import session

KNOWN = 'staff_known'  # the accounts that signed in from this browser (user storage)


def create() -> None:
    @ui.page('/login', title=f'Masuk · {settings.app_name}')
    def login_page(request: Request, next: str = '/admin') -> None:
        target = next if next.startswith('/admin') else '/admin'
        address = request.client.host if request.client else None
        with frame(), ui.element('section').classes('lapor-card lapor-form'):
            ui.html('<h1>Masuk petugas</h1>', sanitize=False)
            username = text_input('Nama pengguna', marker='username', autocomplete='username')
            password = text_input('Kata sandi', marker='password', type='password',
                                  autocomplete='current-password')
            message = ui.label().classes('lapor-field-error').mark('login-error')

            async def attempt() -> None:
                message.text = ''
                name = (username.value or '').strip().lower()
                try:
                    actor = await auth.login(username=name, password=password.value or '', address=address,
                                             trusted=name in app.storage.user.get(KNOWN, ()))
                except DomainError as error:
                    message.text = error.message
                    password.value = ''
                    return
                await session.sign_in(actor, address=address)
                # this browser is the owner's: a flood of guesses at the account from elsewhere does not slow it
                known = [n for n in app.storage.user.get(KNOWN, ()) if n != actor.username][-4:]
                app.storage.user[KNOWN] = [*known, actor.username]
                ui.navigate.to(target)

            password.on('keydown.enter', attempt)
            ui.button('Masuk', on_click=attempt).classes('lapor-submit').props(
                'unelevated color=primary no-caps').mark('login')

    @ui.page('/logout')
    async def logout_page() -> None:
        await session.sign_out()
        ui.navigate.to('/login')

    session.start_idle_timer()
