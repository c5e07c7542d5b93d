"""Defaults computed from other settings: tracking links and QR codes point where the app serves."""

import socket

import pytest

from services.settings import Settings


@pytest.fixture(autouse=True)
def _no_public_url(monkeypatch):
    monkeypatch.delenv('LAPOR_PUBLIC_URL', raising=False)  # the test set-up sets one for every other test
    for name in ('LAPOR_HOST', 'LAPOR_PORT'):
        monkeypatch.delenv(name, raising=False)


def _settings() -> Settings:
    return Settings(_env_file=None)  # the environment only, as an operator sets it


def test_links_point_at_the_port_the_app_serves_on(monkeypatch):
    monkeypatch.setenv('LAPOR_PORT', '9000')
    assert _settings().public_url == 'http://127.0.0.1:9000'


def test_links_follow_the_host_the_app_serves_on(monkeypatch):
    monkeypatch.setenv('LAPOR_HOST', '192.168.1.20')
    assert _settings().public_url == 'http://192.168.1.20:8080'


@pytest.mark.parametrize('everywhere', ['0.0.0.0', '::'])
def test_serving_on_every_interface_links_to_the_machines_name_not_to_127_0_0_1(monkeypatch, everywhere):
    monkeypatch.setenv('LAPOR_HOST', everywhere)
    monkeypatch.setenv('LAPOR_PORT', '8000')
    assert _settings().public_url == f'http://{socket.gethostname()}:8000'


def test_an_ipv6_host_is_bracketed_in_links(monkeypatch):
    monkeypatch.setenv('LAPOR_HOST', '::1')
    assert _settings().public_url == 'http://[::1]:8080'


def test_a_public_url_that_is_set_is_kept_as_given(monkeypatch):
    monkeypatch.setenv('LAPOR_PORT', '9000')
    monkeypatch.setenv('LAPOR_PUBLIC_URL', 'https://lapor.wonosobokab.go.id')
    assert _settings().public_url == 'https://lapor.wonosobokab.go.id'
