"""What a phone and a screen reader meet, measured in real Chromium: axe-core's findings, tap-target sizes,
sideways scrolling and the header's rows. Shared by tests/test_browser_a11y.py.

axe-core's script comes from a Python package (selenium-axe-python ships axe.min.js) and is injected by
Selenium into the page under test only: the app itself never loads it, and nothing comes from a CDN.
"""

from __future__ import annotations

from selenium.webdriver.remote.webdriver import WebDriver
from selenium_axe_python import Axe

BLOCKING = ('serious', 'critical')  # impacts the tests refuse; "moderate" and "minor" are reported only


def axe_findings(driver: WebDriver) -> list[dict]:
    """axe-core's violations on the page as it is now (the whole document, every rule axe runs by default)."""
    axe = Axe(driver)
    axe.inject()
    return axe.run()['violations']


def blocking(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f['impact'] in BLOCKING]


def describe(findings: list[dict]) -> str:
    """One line per finding and element: which rule, how bad, where, and axe's own explanation."""
    lines = []
    for finding in findings:
        for node in finding['nodes'][:8]:
            lines.append(f'{finding["impact"]} {finding["id"]}: {" ".join(node["target"])} — '
                         f'{node.get("failureSummary", "").replace(chr(10), " ")[:300]}')
    return '\n'.join(lines)


# Every tap target a thumb uses, with its visible box: buttons, links that are not inside running text,
# checkboxes and radios with their labels, each star of a rating, selects and inputs (their field), the photo
# picker's button.
# A link counts as running text when the block around it says more than the links in it do.
_TAP_TARGETS_JS = '''
const seen = new Set(), out = [];
const describe = (el) => {
  const text = (el.innerText || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.') : '') + (text ? ' "' + text + '"' : '');
};
const visible = (el) => {
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0;
};
const inRunningText = (a) => {
  const block = a.parentElement.closest('p, li, dd, td, div, span, small');
  if (!block || block.querySelector('button')) return false;
  const links = [...block.querySelectorAll('a')].map((l) => l.innerText).join('');
  const all = block.innerText.replace(/[\\s·|,]/g, '');
  return all.length > links.replace(/[\\s·|,]/g, '').length;
};
const add = (el) => {
  if (seen.has(el) || !visible(el)) return;
  seen.add(el);
  const box = el.getBoundingClientRect();
  out.push({what: describe(el), width: Math.round(box.width * 10) / 10, height: Math.round(box.height * 10) / 10});
};
document.querySelectorAll('.q-checkbox, .q-radio, .q-toggle, .q-rating__icon-container').forEach(add);
document.querySelectorAll('.q-field .q-field__control').forEach((c) => add(c));
document.querySelectorAll('.lapor-photo-add').forEach(add);
document.querySelectorAll('button, .q-btn, [role=button]').forEach((el) => {
  if (el.closest('.q-checkbox, .q-radio, .q-toggle, .q-field, .q-notification')) return;
  add(el);
});
document.querySelectorAll('a[href]').forEach((a) => {
  if (a.closest('.q-btn') || seen.has(a.closest('button'))) return;
  if (!a.closest('header') && inRunningText(a)) return;
  add(a);
});
return out;
'''


def tap_targets(driver: WebDriver) -> list[dict]:
    """Every tap target on the page with its size in CSS px (see _TAP_TARGETS_JS for what counts)."""
    return driver.execute_script(_TAP_TARGETS_JS)


def too_small(targets: list[dict], minimum: float = 48) -> list[dict]:
    return [t for t in targets if t['width'] < minimum - 0.5 or t['height'] < minimum - 0.5]


def page_width(driver: WebDriver) -> tuple[int, int]:
    """(the viewport's width, the document's scroll width): a page wider than its viewport scrolls sideways."""
    return tuple(driver.execute_script('return [window.innerWidth, document.documentElement.scrollWidth]'))


# The header's rows: its items (the brand, each link and button, who is signed in) grouped by the middle of their
# boxes; items whose middles lie within 20 px (less than half a 48 px tap target) of a row's first share that row
_HEADER_ROWS_JS = '''
const header = [...document.querySelectorAll('header.lapor-header')].filter((h) => h.offsetParent !== null).pop();
const middles = [...header.querySelectorAll('.lapor-brand, nav a, nav button, .lapor-who, .lapor-staff-me a')]
  .map((el) => el.getBoundingClientRect()).filter((b) => b.width > 0 && b.height > 0)
  .map((b) => (b.top + b.bottom) / 2).sort((a, b) => a - b);
const rows = [];
for (const middle of middles) if (!rows.length || middle - rows[rows.length - 1] > 20) rows.push(middle);
return rows.length;
'''


def header_rows(driver: WebDriver) -> int:
    return driver.execute_script(_HEADER_ROWS_JS)
