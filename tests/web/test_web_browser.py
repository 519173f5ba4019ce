"""The dashboard in real Chromium: overview → place → commitment → highlighted evidence.

Screenshots of every page go to test-artifacts/web/ (look at them after a change).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import webcorpus as corpus

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = corpus.REPO / "test-artifacts" / "web"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(web_ledger: Any) -> Iterator[str]:
    import uvicorn

    from luoshi.web import create_app

    port = free_port()
    config = uvicorn.Config(create_app(ledger=web_ledger, view_budget=60), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium: run scripts/ensure_chromium.sh")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.problems = []  # console errors (a CSP violation shows up here) and dialogs
    tab.on("console", lambda msg: tab.problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: tab.problems.append(f"page error: {exc}"))

    def on_dialog(dialog: Any) -> None:
        tab.problems.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    yield tab
    context.close()


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_overview_to_place_to_commitment_to_evidence(server, page):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Overview"
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('#chart-kind'))")
    shot(page, "1-overview")

    page.locator("a.place-link", has_text="云溪市").first.click()
    page.wait_for_url("**/places/*")
    assert page.locator("h1").inner_text().startswith("云溪市")
    page.wait_for_function("() => Chart.getChart(document.querySelector('#chart-timeline'))")
    shot(page, "2-place")

    page.locator("a.item-name", has_text="云溪港二期码头工程").first.click()
    page.wait_for_url("**/items/*")
    item_id = int(page.url.rsplit("/", 1)[1])
    evidence = page.locator("blockquote.evidence").inner_text()
    assert evidence == "加快建设云溪港二期码头工程"
    shot(page, "3-commitment")

    page.locator("a.source-link").click()
    page.wait_for_url(f"**/documents/yunxi_2024_report#item-{item_id}")
    mark = page.locator(f"mark#item-{item_id}")
    assert mark.is_visible()
    assert mark.evaluate("el => el.tagName") == "MARK"
    assert mark.inner_text() == evidence
    # the highlight really is painted: a background colour, inside the viewport
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    box = mark.bounding_box()
    assert box and 0 <= box["y"] < 900 and box["width"] > 0
    assert page.locator(f"mark#item-{item_id}").evaluate("el => el.closest('a').getAttribute('href')") == f"/items/{item_id}"
    shot(page, "4-document")

    page.locator("nav.tabs a", has_text="Raw page").click()
    page.wait_for_url("**view=raw")
    assert page.locator("#doc-body mark.fix").count() > 0
    shot(page, "5-document-raw")
    assert not page.problems, page.problems


def test_search_and_compare_pages(server, page):
    page.goto(server + "/search?q=" + quote("码头"))
    assert page.locator("article.hit").count() >= 2
    assert page.locator("article.hit .snippet mark").first.inner_text() == "码头"
    shot(page, "6-search")
    page.goto(server + "/compare?places=" + quote("云溪市") + "&places=" + quote("石湖县"))
    page.wait_for_function("() => Chart.getChart(document.querySelector('#chart-compare'))")
    shot(page, "7-compare")
    assert not page.problems, page.problems


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/documents/beiling_xss", "xss-document"),
        ("/documents/beiling_xss?view=raw", "xss-document-raw"),
        ("/search?q=alert", "xss-search"),
        ("/search?q=" + quote(corpus.XSS_SCRIPT), "xss-search-markup"),
        ("/places/" + quote("北岭区"), "xss-place"),
    ],
)
def test_hostile_text_is_shown_not_run(server, page, path, name):
    page.goto(server + path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)  # give an injected handler (onerror) the chance to fire
    shot(page, name)
    assert not [p for p in page.problems if p.startswith("dialog")], page.problems
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    body = page.locator("body").inner_text()
    if "search" not in path or "alert" in path:
        assert corpus.XSS_SCRIPT in body or corpus.XSS_IMG in body, body[:500]
    assert not page.problems, page.problems


def test_item_page_with_markup_in_its_name(server, page, client):
    items = client.get("/api/items", params={"doc": "beiling_xss"}).json()["items"]
    project = next(i for i in items if i["kind"] == "project")
    page.goto(f"{server}/items/{project['id']}")
    assert page.locator("h1").inner_text() == project["name"]
    shot(page, "xss-item")
    assert not page.problems, page.problems
