"""Open311's two formats: every resource answers in XML (the spec's required format) and in JSON, with the
spec's root elements (``services``/``service``, ``service_definition``, ``service_requests``/``request``,
``errors``/``error``, ``discovery``, FixMyStreet's ``service_request_updates``/``request_update``).

XML is built with ``xml.etree.ElementTree`` (which escapes text) under the declaration
``<?xml version="1.0" encoding="utf-8"?>``; both formats carry ``charset=utf-8`` in their content type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree

from fastapi.responses import Response

FORMATS = ('json', 'xml')
JSON_TYPE = 'application/json; charset=utf-8'
XML_TYPE = 'text/xml; charset=utf-8'
DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
# A list's element name -> its items' element name (attributes/attribute, values/value, ...)
_ITEM = {'attributes': 'attribute', 'values': 'value', 'endpoints': 'endpoint', 'formats': 'format',
         'keywords': 'keyword'}
# Characters XML 1.0 cannot hold at all (a strict parser refuses them even escaped): dropped from text
_NOT_XML = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


def split_name(name: str) -> tuple[str, str | None]:
    """``WSB-7K3M-9QXD.xml`` -> (``WSB-7K3M-9QXD``, ``xml``); no known suffix: (name, None)."""
    stem, dot, suffix = name.rpartition('.')
    if dot and suffix.lower() in FORMATS:
        return stem, suffix.lower()
    return name, None


def format_of(path: str) -> str:
    """The answer's format for a path: XML when it ends in ``.xml``, else JSON."""
    return 'xml' if path.lower().endswith('.xml') else 'json'


def _text(value: Any) -> str:
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value).translate(_NOT_XML)


def _add(parent: ElementTree.Element, name: str, value: Any) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _add(element, key, inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            _add(element, _ITEM.get(name, 'item'), inner)
    else:
        element.text = _text(value)


def xml_bytes(root: str, item: str | None, data: Any) -> bytes:
    """``data`` (a list of items under ``root``, or one mapping as ``root``) as an XML document."""
    element = ElementTree.Element(root)
    if item is not None:
        for entry in data:
            _add(element, item, entry)
    else:
        for key, value in data.items():
            _add(element, key, value)
    return DECLARATION + ElementTree.tostring(element, encoding='unicode').encode('utf-8', 'replace')


def respond(fmt: str, root: str, item: str | None, data: Any, *, status: int = 200,
            headers: Mapping[str, str] | None = None) -> Response:
    """``data`` in ``fmt``: JSON as it is, XML under ``root`` (each list entry an ``item``)."""
    if fmt == 'xml':
        return Response(xml_bytes(root, item, data), status_code=status, media_type=XML_TYPE, headers=headers)
    body = json.dumps(data, ensure_ascii=False).encode('utf-8', 'replace')
    return Response(body, status_code=status, media_type=JSON_TYPE, headers=headers)


def errors(fmt: str, status: int, *descriptions: str, headers: Mapping[str, str] | None = None) -> Response:
    """The spec's error answer: a list of ``{code, description}`` (``errors``/``error`` in XML)."""
    return respond(fmt, 'errors', 'error', [{'code': status, 'description': d} for d in descriptions],
                   status=status, headers=headers)
