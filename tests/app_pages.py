"""Opening a page of the app in AppTest, in a new session, checked for exceptions."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1]


def open_from_home(page: str, timeout: float = 60) -> AppTest:
    """The home page, then `page` ("home" stays there), as a visitor following the navigation."""
    at = AppTest.from_file(str(APP / "streamlit_app.py"), default_timeout=timeout)
    at.run()
    if page != "home":
        at.switch_page(str(APP / "pages" / f"{page}.py")).run()
    assert not at.exception, at.exception
    return at


def open_link(page: str, timeout: float = 120, **query: str) -> AppTest:
    """/page?query opened straight away, as a pasted link does."""
    at = AppTest.from_file(str(APP / "streamlit_app.py"), default_timeout=timeout)
    at.switch_page(str(APP / "pages" / f"{page}.py"))
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at
