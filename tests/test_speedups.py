"""The speed-ups answer exactly as NiceGUI's own code: remembered expects_arguments, ASCII page JSON."""

import functools
import json

from nicegui import client as client_module
from nicegui import helpers
from nicegui import json as nicegui_json
from nicegui.helpers import functions

from components import speedups


class _Thing:
    def method(self, event):
        return event

    def bare(self):
        return None

    @staticmethod
    def static(event):
        return event

    def __call__(self, event):
        return event


def _function_with_args(a, *rest, b=1, **more):
    return a, rest, b, more


def _only_optional(a=1, *rest):
    return a, rest


def _decorated(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


CALLABLES = [
    _Thing().method, _Thing().bare, _Thing.static, _Thing(), _Thing.method,
    _function_with_args, _only_optional, lambda: None, lambda e: e, lambda _, x=1: x, lambda *a: a,
    functools.partial(_function_with_args, 1), functools.partial(_only_optional), _decorated(lambda e: e),
    _decorated(lambda: None), print, len,
]


def test_every_kind_of_callable_gets_the_original_answer():
    for func in CALLABLES:
        assert speedups.expects_arguments(func) == functions.expects_arguments(func), func
        assert speedups.expects_arguments(func) == functions.expects_arguments(func), func  # remembered


def test_closures_share_one_entry_per_definition():
    speedups._answers.clear()
    handlers = [lambda e, n=n: (e, n) for n in range(1000)]
    assert all(speedups.expects_arguments(h) for h in handlers)
    assert len(speedups._answers) == 1


async def test_the_app_uses_it_and_pages_still_work(user):  # main.py installs it before any page is built
    assert helpers.expects_arguments is speedups.expects_arguments
    speedups._answers.clear()
    await user.open('/')
    assert speedups._answers, 'building the page asked NiceGUI\'s question through the remembered answers'
    await user.should_see('Sampaikan aduan Anda')


def test_page_json_is_ascii_and_reads_back_as_the_same_text():
    data = {'heading': '7 × 24 jam · Memuat…', 'name': 'André', 'emoji': 'Terima kasih 🙏', 'plain': 'a"b\\c',
            'html': '<h1>A & B</h1>', 'js': '(e) => `${e}`', 'escaped': '\\&\\u0026'}
    text = speedups.ascii_dumps(data)
    assert text.isascii()
    assert not set('&<>`$') & set(text), 'nothing left for the page\'s HTML escaping to replace'
    assert json.loads(text) == data
    assert speedups.ascii_dumps({'plain': 'ascii only'}) == nicegui_json.dumps({'plain': 'ascii only'})


async def test_a_page_with_non_ascii_text_is_sent_as_ascii_json(user):
    assert client_module.json.dumps is speedups.ascii_dumps
    await user.open('/')
    await user.should_see('7 × 24 jam')  # the submit page's promise, with its multiplication sign
    html = user.client.build_response(user.client.request).body.decode()
    assert '7 \\u00d7 24 jam' in html
    assert '(v) =\\u003e window.laporDraft' in html  # the draft's handlers, escaped for the fast path
