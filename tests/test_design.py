"""The colours, owned by components/design.py: every text at WCAG AA (4.5:1) on every background a page puts it
on, including the states a browser test may never meet (each status badge, each clock state); one primary colour
for the header and Quasar's buttons; the stylesheet refers to these colours and spells none of its own."""

from __future__ import annotations

import re

import pytest

from components import design, frame
from models import Status

AA = 4.5
CSS = (frame.STATIC_DIR / 'lapor.css').read_text()


@pytest.mark.parametrize(('foreground', 'background'), design.TEXT_ON, ids='-on-'.join)
def test_text_colours_meet_aa_on_their_backgrounds(foreground, background):
    ratio = design.contrast(design.COLOURS[foreground], design.COLOURS[background])
    assert ratio >= AA, f'{foreground} on {background}: {ratio:.2f}:1'


@pytest.mark.parametrize('status', list(Status))
def test_white_text_on_each_status_badge_meets_aa(status):
    ratio = design.contrast(design.COLOURS['surface'], design.STATUS_COLOURS[status.value])
    assert ratio >= AA, f'the "{status.value}" badge: {ratio:.2f}:1'


def test_the_contrast_formula_matches_wcags_known_values():
    assert design.contrast('#000000', '#ffffff') == pytest.approx(21)
    assert design.contrast('#ffffff', '#5898d4') == pytest.approx(3.06, abs=0.01)  # what axe-core measured
    assert design.contrast('#777777', '#ffffff') == pytest.approx(4.48, abs=0.01)


def test_one_primary_colour_for_the_header_quasar_and_the_browser_bar():
    assert design.BRAND['primary'] == design.COLOURS['primary'] == design.PRIMARY
    head = frame.head_html()
    assert f'--lapor-primary:{design.PRIMARY}' in head
    assert f'<meta name="theme-color" content="{design.PRIMARY}">' in head
    assert re.search(r'\.lapor-header \{[^}]*background: var\(--lapor-primary\)', CSS)


def test_the_stylesheet_uses_only_the_designs_colours():
    assert not re.findall(r'#[0-9a-fA-F]{3,8}\b', CSS), 'a colour spelled in lapor.css instead of design.COLOURS'
    used = set(re.findall(r'var\(--lapor-([a-z-]+)\)', CSS))
    assert used <= set(design.COLOURS), f'undefined colours: {used - set(design.COLOURS)}'
