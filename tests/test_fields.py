"""The styled fields behave as NiceGUI's own, with less rebuilding."""

from components.fields import select


def _labels(field) -> list[str]:
    return [option['label'] for option in field.props['options']]


async def test_select_rebuilds_its_options_only_when_they_changed(user):
    await user.open('/lacak')
    with user.client.content:
        field = select({1: 'Satu', 2: 'Dua'}, 'Angka', marker='angka')
    built = field.props['options']
    field.props('clearable')
    field.on('focus', lambda: None)
    assert field.props['options'] is built  # a prop or a listener added: the same option list

    field.set_options({1: 'Satu', 3: 'Tiga'})
    assert _labels(field) == ['Satu', 'Tiga']
    field.options[4] = 'Empat'  # edited in place, then updated, as NiceGUI's documentation says
    field.update()
    assert _labels(field) == ['Satu', 'Tiga', 'Empat']
    field.value = 3
    assert field.props['model-value'] == {'value': 1, 'label': 'Tiga'}
    field.set_options({1: 'Satu'})
    assert field.value is None  # the chosen option went away, so did the choice


async def test_select_options_are_plain_data_not_observables_per_option(user):
    """Every page holds its selects' options: as plain dicts in a tuple, not one observable per option."""
    await user.open('/lacak')
    with user.client.content:
        field = select({1: 'Satu', 2: 'Dua'}, 'Angka', marker='angka')
    options = field.props['options']
    assert type(options) is tuple and all(type(option) is dict for option in options)
    field.value = 2
    assert field.props['model-value'] == {'value': 1, 'label': 'Dua'}
