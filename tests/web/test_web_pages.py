"""Server-rendered pages: content, highlighting, escaping of hostile text, no inline code."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote

import pytest
import webcorpus as corpus
from selectolax.lexbor import LexborHTMLParser as HTMLParser

HAND_MADE = {p.name: p for p in corpus.PAGES}


def page(client, url: str, status: int = 200) -> HTMLParser:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return HTMLParser(response.text)


def item_ids(client, doc: str) -> dict[int, dict]:
    return {i["id"]: i for i in client.get("/api/items", params={"doc": doc, "limit": 500}).json()["items"]}


PAGES = [
    "/",
    "/places",
    "/documents",
    "/documents?place=云溪市&since=2024-01-01",
    "/documents/yunxi_2024_report",
    "/documents/yunxi_2024_report?view=raw",
    "/places/云溪市",
    "/search",
    "/search?q=码头",
    "/search?q=码头&place=云溪市&kind=project&since=2024-01-01&until=2025-12-31",
    "/search?kind=target&place=石湖县",
    "/search?q=码头&place=&province=&kind=&sector=&since=&until=",  # the form, submitted empty
    "/compare",
    "/compare?places=云溪市&places=石湖县",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_without_inline_code(client, url):
    tree = page(client, url)
    for script in tree.css("script"):
        assert script.attributes.get("src", "").startswith("/static/"), script.html
        assert not (script.text() or "").strip()
    for node in tree.css("*"):
        attrs = node.attributes
        assert "style" not in attrs, node.html[:120]
        assert not [a for a in attrs if a.lower().startswith("on")], node.html[:120]
    assert not tree.css("style")
    hrefs = [a.attributes.get("href") or "" for a in tree.css("a")]
    assert not [h for h in hrefs if h.lower().startswith("javascript:")]


def test_overview_counts_and_links(client):
    stats = client.get("/api/stats").json()
    tree = page(client, "/")
    numbers = [n.text() for n in tree.css(".cards .num")][:3]
    assert numbers == [str(stats["documents"]), str(stats["places"]), str(stats["items"])]
    assert tree.css_first("canvas#chart-kind") is not None
    place_links = {a.text() for a in tree.css("a.place-link")}
    assert {"云溪市", "石湖县"} <= place_links


def test_document_page_highlights_every_item(client):
    doc = client.get("/api/documents/shihu_2024_meeting").json()
    tree = page(client, "/documents/shihu_2024_meeting")
    body = tree.css_first("#doc-body")
    assert body.text() == doc["text"], "the body shows the restored text unchanged"
    for item in doc["items"]:
        anchor = tree.css_first(f"#item-{item['id']}")
        assert anchor is not None, item
        marks = [m for m in body.css("mark") if str(item["id"]) in m.attributes["data-items"].split()]
        assert "".join(m.text() for m in marks) == item["evidence"]
        links = {m.parent.attributes.get("href") for m in marks}
        assert links <= {f"/items/{i}" for i in item_ids(client, "shihu_2024_meeting")}
    # two items share a clause here: the inner one's segment carries both ids
    assert any(len(m.attributes["data-items"].split()) == 2 for m in body.css("mark"))


def test_hl_marks_any_span(client):
    doc = client.get("/api/documents/yunxi_2025_followup").json()
    start = doc["text"].index("主体已于")
    tree = page(client, f"/documents/yunxi_2025_followup?hl={start}-{start + 8}")
    assert tree.css_first("mark#hl").text() == doc["text"][start : start + 8]
    assert tree.css_first("#doc-body").text() == doc["text"]
    page(client, "/documents/yunxi_2025_followup?hl=5", status=422)
    assert page(client, "/documents/yunxi_2025_followup?hl=900-999999").css_first("mark#hl") is None


def test_raw_view_highlights_every_fix(client):
    doc = client.get("/api/documents/yunxi_2024_report").json()
    tree = page(client, "/documents/yunxi_2024_report?view=raw")
    body = tree.css_first("#doc-body")
    assert body.text() == doc["raw"]
    marks = body.css("mark.fix")
    assert len(marks) == len(doc["fixes"]) > 0
    for mark, fix in zip(marks, doc["fixes"], strict=True):
        assert mark.text() == fix["before"]
        assert f"{fix['kind']}: {fix['before']} → {fix['after']}" in mark.attributes["title"]


def test_item_page_links_to_its_evidence(client):
    item = next(i for i in item_ids(client, "yunxi_2025_followup").values() if i["kind"] == "target")
    tree = page(client, f"/items/{item['id']}")
    assert tree.css_first("blockquote.evidence").text() == item["evidence"]
    assert tree.css_first("p.context mark").text() == item["evidence"]
    link = tree.css_first("a.source-link").attributes["href"]
    assert link == f"/documents/yunxi_2025_followup#item-{item['id']}"
    assert tree.css_first("#status") is not None


def test_item_page_shows_the_tracked_history(client):
    """Through the background worker process, with the test app's generous time budget."""
    import luoshi.analysis.tracking  # noqa: F401  # the history comes from it: fail, never skip, without it
    project = next(i for i in item_ids(client, "yunxi_2024_report").values() if i["name"] == "云溪港二期码头工程")
    tree = page(client, f"/items/{project['id']}")
    entries = tree.css("ol.history li")
    assert len(entries) >= 2, tree.css_first("#status").html
    assert entries[0].css_first("q").text() == project["evidence"], "the history starts with the promise"
    links = [e.css_first("a").attributes["href"] for e in entries if e.css_first("a")]
    assert any(link.startswith("/documents/yunxi_2025_followup?hl=") and link.endswith("#hl") for link in links)


def test_place_page_groups_by_sector_and_kind(client):
    tree = page(client, "/places/" + quote("云溪市"))
    sectors = {s.attributes["data-sector"] for s in tree.css("details.sector")}
    assert sectors == {"new_energy", "trade_logistics"}
    labels = {s.css_first("summary .label").text() for s in tree.css("details.sector")}
    assert labels == {"新能源", "商贸物流"}, "sector codes are shown with their labels"
    timeline = [li.css_first(".date").text() for li in tree.css("ol.timeline li")]
    assert timeline == ["2024-02-20", "2025-01-15"]
    names = {a.text() for a in tree.css("a.item-name")}
    assert {"云溪港二期码头工程", "智慧港口调度平台", "市数字经济发展中心"} <= names


def test_search_page_marks_hits(client):
    tree = page(client, "/search?q=" + quote("码头"))
    hits = tree.css("article.hit")
    assert hits
    assert all("码头" in "".join(m.text() for m in hit.css(".snippet mark")) for hit in hits)


def test_compare_page_sides_by_side(client):
    tree = page(client, "/compare?places=云溪市&places=石湖县&places=不存在市")
    headers = [th.text() for th in tree.css("table.compare thead th")][1:]
    assert headers == ["云溪市", "石湖县"]
    assert "不存在市" in tree.css_first(".warning").text()


@pytest.mark.parametrize(
    "url",
    ["/documents/no_such_doc", "/items/999999", "/places/没有这个地方", "/no/such/page"],
)
def test_missing_things_get_a_friendly_page(client, url):
    tree = page(client, url, status=404)
    assert "404" in tree.css_first("h1").text()
    assert tree.css_first("a[href='/']") is not None


@pytest.mark.parametrize("url", ["/items/abc", "/documents/x?view=nope", "/documents?page=0"])
def test_bad_parameters_get_a_friendly_page(client, url):
    tree = page(client, url, status=422)
    assert "422" in tree.css_first("h1").text()


# -- hostile text ------------------------------------------------------------------------

XSS_URLS = [
    "/documents/beiling_xss",
    "/documents/beiling_xss?view=raw",
    "/search?q=" + quote("alert"),
    "/search?q=" + quote(corpus.XSS_SCRIPT),
    "/places/" + quote("北岭区"),
    "/",
    "/documents",
]


@pytest.mark.parametrize("url", XSS_URLS)
def test_hostile_text_is_escaped(client, url):
    html = client.get(url).text
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert not re.search(r"<img\b", html)
    # and the text is there, as text
    tree = HTMLParser(html)
    if "beiling" in url or "北岭" in url:
        assert corpus.XSS_SCRIPT in tree.body.text() or corpus.XSS_IMG in tree.body.text()


def test_javascript_url_is_not_a_link(client):
    tree = page(client, "/documents/beiling_xss")
    url_cell = tree.css_first("dd.url")
    assert url_cell.text() == "javascript:alert(1)"
    assert url_cell.css_first("a") is None


def test_item_with_markup_in_its_name(client):
    item = next(i for i in item_ids(client, "beiling_xss").values() if i["kind"] == "project")
    response = client.get(f"/items/{item['id']}")
    assert corpus.XSS_IMG not in response.text
    assert HTMLParser(response.text).css_first("h1").text() == item["name"]


def test_grouped_counts_match_the_ledger(web_ledger):
    """The place page's and the compare page's counts come from grouped queries."""
    from luoshi.web.aggregates import place_counts, side_by_side

    names = ["云溪市", "石湖县", "北岭区"]
    counts = place_counts(web_ledger, names)
    for name in names:
        items = web_ledger.items(place=name, limit=500)
        months = Counter((i["doc_date"] or "undated")[:7] for i in items)
        assert counts[name]["by_month"] == months
        for (sector, kind), n in counts[name]["by_sector_kind"].items():
            assert n == web_ledger.count_items(place=name, sector=sector, kind=kind)
    result = side_by_side(web_ledger, names)
    for name in names:
        assert result["totals"][name] == web_ledger.count_items(place=name)
        for kind, n in result["by_kind"][name].items():
            assert n == web_ledger.count_items(place=name, kind=kind)
        for sector in result["sectors"]:
            assert result["by_sector"][sector][name] == web_ledger.count_items(place=name, sector=sector)
    assert set(result["sectors"]) == {"new_energy", "trade_logistics", "agri", "food", "equipment"}
