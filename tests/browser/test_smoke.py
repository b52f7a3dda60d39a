from playwright.sync_api import Page


def test_admin_login_page_renders_in_french(live_server, browser_page: Page) -> None:
    browser_page.goto(f"{live_server.url}/admin/login/")
    assert browser_page.title() == "Connexion | Site d’administration de Django"
    assert browser_page.locator("input[name=username]").is_visible()
