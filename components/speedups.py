"""A measured speed-up for NiceGUI 3.18: remember whether a handler expects arguments.

NiceGUI asks ``helpers.expects_arguments(handler)`` (an ``inspect.signature`` call, about 35 µs)
three times for every element it builds (its props, classes and style collections), once for
every nested props value, and again on events. The answer depends only on the handler's code
object and on whether it is bound, so it is remembered per code object: the cache holds one entry
per function *definition* (not per closure or element) and cannot grow with traffic. Anything
unusual (a ``functools.partial``, a callable object, a wrapped function or an explicit
``__signature__``) is asked the original way. Measured on ``/``: about a quarter of the server's
page-building time (``make bench``). tests/test_speedups.py checks it answers as the original does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import helpers
from nicegui.helpers import functions

_original = functions.expects_arguments
_answers: dict[tuple[Any, bool], bool] = {}


def _key(func: Callable) -> tuple[Any, bool] | None:
    target = getattr(func, '__func__', func)  # a bound method: its function, with the first parameter bound
    code = getattr(target, '__code__', None)
    if code is None or hasattr(target, '__wrapped__') or hasattr(target, '__signature__') \
            or hasattr(func, '__signature__'):
        return None
    return code, target is not func


def expects_arguments(func: Callable) -> bool:
    key = _key(func)
    if key is None:
        return _original(func)
    answer = _answers.get(key)
    if answer is None:
        answer = _answers[key] = _original(func)
    return answer


def install() -> None:
    """Route NiceGUI's look-ups through the remembered answers (idempotent)."""
    helpers.expects_arguments = expects_arguments
