"""The app's rate limits, built from settings (tests and benchmarks tune them there)."""

from .ratelimit import RateLimit
from .settings import settings

submissions = RateLimit(settings.submit_limit, settings.submit_window)
failed_lookups = RateLimit(settings.lookup_fail_limit, settings.lookup_fail_window)
uploads = RateLimit(settings.upload_limit, settings.upload_window)
# Wrong PINs per complaint, from every address together: addresses are cheap, a complaint's PIN is not
failed_pins = RateLimit(settings.pin_fail_limit, settings.pin_fail_window)
# Added information per complaint, so a PIN holder cannot flood the OPD's admins with notices and emails
reporter_info = RateLimit(settings.reporter_info_limit, settings.reporter_info_window)


def configure(*, submit: tuple[int, float] | None = None, lookup: tuple[int, float] | None = None,
              upload: tuple[int, float] | None = None, pin: tuple[int, float] | None = None,
              info: tuple[int, float] | None = None) -> None:
    """Change limits at run time (benchmarks raise them; tests lower them); every count starts afresh."""
    for limit, value in ((submissions, submit), (failed_lookups, lookup), (uploads, upload), (failed_pins, pin),
                         (reporter_info, info)):
        if value is not None:
            limit.limit, limit.window = value
        limit.reset()
