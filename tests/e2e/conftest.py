"""Browser fixtures live in tests/browser.py (a plugin loaded by tests/conftest.py) so that
every test folder shares one Chromium; the helpers are re-exported here."""

from tests.browser import (
    assert_clean,
    assert_no_horizontal_scroll,
    axe_violations,
    go_offline,
    go_online,
    login,
    sign_in,
)

__all__ = [
    "assert_clean",
    "assert_no_horizontal_scroll",
    "axe_violations",
    "go_offline",
    "go_online",
    "login",
    "sign_in",
]
