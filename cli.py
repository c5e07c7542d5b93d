"""Shell commands: ``python main.py apikey create NAME`` and friends.

main.py hands over whenever it is the program being run and has arguments: those are all the CLI's, so
``--help`` answers and an unknown command is refused instead of starting the server. NiceGUI's test fixtures
execute main.py with pytest's own command line in ``sys.argv``; that is not main.py's, so it is left alone.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

COMMANDS = ('apikey', 'migrate', 'user')
HELP_FLAGS = ('-h', '--help')


def is_program(argv: Sequence[str], main_file: str) -> bool:
    """Whether ``main_file`` is the program run from the command line (``python main.py ...``).

    Under pytest, NiceGUI's fixtures run main.py through runpy as ``__main__`` too, and runpy puts main.py's
    path in ``argv[0]`` while the rest stays pytest's arguments: the interpreter's own command line
    (``sys.orig_argv``) then does not end with ``argv``.
    """
    return (bool(argv) and bool(argv[0]) and Path(argv[0]).resolve() == Path(main_file).resolve()
            and list(sys.orig_argv[-len(argv):]) == list(argv))


def is_command(argv: Sequence[str], main_file: str) -> bool:
    """Whether the CLI should answer: main.py run from the command line with any argument at all."""
    return len(argv) > 1 and is_program(argv, main_file)


def _parser() -> argparse.ArgumentParser:
    from models import Role  # noqa: PLC0415  (the models load only for a command, not for the server's start)
    from services.complaints_labels import ROLE_LABELS  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog='python main.py', description='Lapor: perintah administrasi',
                                     epilog='Tanpa perintah, "python main.py" menjalankan server.')
    sub = parser.add_subparsers(dest='command', required=True)
    apikey = sub.add_parser('apikey', help='kunci API untuk Open311').add_subparsers(dest='action', required=True)
    apikey.add_parser('create', help='buat kunci baru (ditampilkan sekali)').add_argument('name')
    apikey.add_parser('list', help='daftar kunci')
    apikey.add_parser('revoke', help='cabut kunci').add_argument('name')
    sub.add_parser('migrate', help='terapkan migrasi basis data dan data acuan')
    user = sub.add_parser('user', help='akun petugas').add_subparsers(dest='action', required=True)
    create = user.add_parser('create', help='buat akun (kata sandi ditanyakan)')
    create.add_argument('username')
    # The codes are what the command takes; the labels are what the pages call each role
    roles = ', '.join(f'{role.value} ({label})' for role, label in ROLE_LABELS.items())
    create.add_argument('--role', required=True, choices=[role.value for role in Role], metavar='PERAN',
                        help=f'peran akun: {roles}')
    create.add_argument('--opd', help=f'kode OPD, wajib untuk {ROLE_LABELS[Role.OPD_ADMIN]} ({Role.OPD_ADMIN.value})')
    create.add_argument('--name', default='', help='nama lengkap')
    user.add_parser('password', help='ganti kata sandi').add_argument('username')
    user.add_parser('list', help='daftar akun: peran, OPD, aktif atau tidak, terakhir masuk')
    return parser


def _read_password() -> str:
    """Asked twice at a terminal; read from one line of standard input otherwise (scripts)."""
    import getpass  # noqa: PLC0415

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip('\n')
    first = getpass.getpass('Kata sandi: ')
    if getpass.getpass('Ulangi kata sandi: ') != first:
        raise SystemExit('Kata sandi tidak sama.')
    return first


async def _run(args: argparse.Namespace) -> int:
    from services import admin_settings, apikeys, auth, db  # noqa: PLC0415  (keeps `python main.py` startup free of CLI imports)
    from services.complaints_labels import ROLE_LABELS  # noqa: PLC0415
    from services.errors import DomainError  # noqa: PLC0415

    async with db.open_database():
        try:
            if args.command == 'migrate':
                print('Basis data mutakhir.')
            elif args.command == 'user' and args.action == 'create':
                user = await auth.create_user(username=args.username, password=_read_password(), role=args.role,
                                              agency_code=args.opd, full_name=args.name)
                print(f'Akun "{user.username}" ({ROLE_LABELS[user.role]}) dibuat.')
            elif args.command == 'user' and args.action == 'list':
                for row in await admin_settings.list_users(_console()):
                    # the role as the pages name it, never its stored code
                    print(f'{row.username}\t{row.full_name or "-"}\t{ROLE_LABELS[row.role]}\t{row.agency_name or "-"}\t'
                          f'{"aktif" if row.active else "nonaktif"}\tterakhir masuk: {_local(row.last_login_at)}')
            elif args.command == 'user':
                await auth.set_password(username=args.username, password=_read_password())
                print(f'Kata sandi "{args.username}" diganti.')
            elif args.action == 'create':
                key, raw = await apikeys.create(name=args.name)
                print(f'Kunci API "{key.name}" dibuat. Simpan sekarang, kunci ini tidak akan ditampilkan lagi:')
                print(raw)
            elif args.action == 'list':
                keys = await apikeys.all_keys()
                if not keys:
                    print('Belum ada kunci API. Buat dengan: python main.py apikey create NAMA')
                for key in keys:
                    state = 'dicabut' if key.revoked_at else 'aktif'
                    print(f'{key.name}\t{key.prefix}…\t{state}\tterakhir dipakai: {_local(key.last_used_at)}')
            elif args.action == 'revoke':
                await apikeys.revoke(name=args.name)
                print(f'Kunci API "{args.name}" dicabut.')
        except DomainError as error:
            print(error.message, file=sys.stderr)
            return 1
    return 0


def _console():
    """The server's console as a supervisor: whoever runs commands there already holds the database itself."""
    from models import Role  # noqa: PLC0415
    from services.actor import Actor  # noqa: PLC0415

    return Actor(user_id=0, username='konsol', name='Konsol server', role=Role.SUPERVISOR)


def _local(moment: datetime | None) -> str:
    from services import clock  # noqa: PLC0415
    from services.settings import settings  # noqa: PLC0415

    return f'{clock.local(moment):%d-%m-%Y %H:%M} {settings.timezone_label}' if moment else '-'


def main(argv: Sequence[str]) -> int:
    parser = _parser()
    if argv and argv[0] not in (*COMMANDS, *HELP_FLAGS):
        # argparse would say this in English; the operator reads what to type instead
        parser.print_usage(sys.stderr)
        print(f'Perintah "{argv[0]}" tidak dikenal. Perintah yang ada: {", ".join(COMMANDS)}. '
              'Bantuan: python main.py --help', file=sys.stderr)
        return 2
    return asyncio.run(_run(parser.parse_args(argv)))
