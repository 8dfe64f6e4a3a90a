"""Browser tests: Debian's Chromium driven by Playwright against a live
server. The `browser` and `open_page` fixtures are in tests/conftest.py, shared
with the security checks of pages."""
