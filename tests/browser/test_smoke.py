from playwright.sync_api import Page


def test_admin_login_page_renders_in_french(live_server, browser_page: Page) -> None:
    browser_page.goto(f"{live_server.url}/admin/login/")
    # French by default; the first half of the title comes from our catalogue, the rest from Django.
    assert browser_page.title().endswith("| Site d’administration de Django")


def test_staff_logs_in_through_the_browser(
    live_server, browser_page: Page, django_user_model
) -> None:
    # Created from the test thread while Playwright's loop runs: proves the ORM is usable there
    # and that the live server sees the test database.
    django_user_model.objects.create_superuser("ada", "ada@example.org", "s3cret-pass")
    browser_page.goto(f"{live_server.url}/admin/login/")
    browser_page.fill("input[name=username]", "ada")
    browser_page.fill("input[name=password]", "s3cret-pass")
    browser_page.click("input[type=submit]")
    browser_page.wait_for_url(f"{live_server.url}/admin/")
    assert browser_page.locator("#user-tools").inner_text().upper().startswith("BIENVENUE")
