"""REST API: every endpoint, its filters, pagination and errors, on a real SQLite ledger."""

from __future__ import annotations

import io

import pytest
import webcorpus as corpus
from fastapi.testclient import TestClient

from luoshi.web import create_app
from luoshi.web.security import SECURITY_HEADERS

TOKEN = corpus.TOKEN
fill = corpus.fill

HAND_MADE = {p.name: p for p in corpus.PAGES}


def all_pages_of(client: TestClient, url: str, key: str, **params) -> list[dict]:
    out, offset = [], 0
    while True:
        body = client.get(url, params={**params, "limit": 3, "offset": offset}).json()
        out.extend(body[key])
        offset += 3
        if offset >= body["total"]:
            return out


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "detail"} and body["error"] and body["detail"]
    return body


# -- reads -------------------------------------------------------------------------------


def test_stats_agree_with_the_lists(client):
    stats = client.get("/api/stats").json()
    assert stats["documents"] == client.get("/api/documents").json()["total"]
    assert stats["items"] == client.get("/api/items").json()["total"]
    assert stats["places"] == len(client.get("/api/places").json())
    assert sum(stats["by_kind"].values()) == stats["items"]
    hand_made_items = sum(len(p.items) for p in corpus.PAGES)
    assert stats["items"] >= hand_made_items


def test_documents_pagination_covers_everything_once(client):
    total = client.get("/api/documents").json()["total"]
    names = [d["name"] for d in all_pages_of(client, "/api/documents", "documents")]
    assert len(names) == total == len(set(names))
    assert set(HAND_MADE) <= set(names)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"place": "云溪市"}, {"yunxi_2024_report", "yunxi_2025_followup"}),
        ({"place": "云溪市", "since": "2025-01-01"}, {"yunxi_2025_followup"}),
        ({"place": "云溪市", "until": "2024-12-31"}, {"yunxi_2024_report"}),
        ({"province": "北川省"}, {"shihu_2024_meeting", "beiling_xss"}),
        ({"place": "没有这个地方"}, set()),
    ],
)
def test_documents_filters(client, params, expected):
    body = client.get("/api/documents", params=params).json()
    assert {d["name"] for d in body["documents"]} == expected
    assert body["total"] == len(expected)


def test_document_has_text_fixes_and_grounded_items(client):
    doc = client.get("/api/documents/yunxi_2024_report").json()
    page = HAND_MADE["yunxi_2024_report"]
    assert doc["text"] == page.text and doc["title"] == page.title and doc["date"] == page.date
    assert doc["place"] == "云溪市"
    assert doc["fixes"], "the raw text has traditional characters"
    for fix in doc["fixes"]:
        assert doc["raw"][fix["raw"][0] : fix["raw"][1]] == fix["before"]
    assert len(doc["items"]) == len(page.items)
    for item in doc["items"]:
        assert doc["text"][item["span"][0] : item["span"][1]] == item["evidence"]


def test_items_pagination_is_disjoint_and_complete(client):
    total = client.get("/api/items").json()["total"]
    ids = [i["id"] for i in all_pages_of(client, "/api/items", "items")]
    assert len(ids) == total == len(set(ids))
    page = client.get("/api/items", params={"limit": 2, "offset": 1}).json()
    assert (page["limit"], page["offset"], len(page["items"])) == (2, 1, 2)
    assert [i["id"] for i in page["items"]] == ids[1:3]


@pytest.mark.parametrize(
    ("params", "expected_names"),
    [
        ({"place": "石湖县", "kind": "target"}, {"高标准农田", "粮食产量"}),
        ({"place": "石湖县", "kind": "partner"}, {"北川农业大学"}),
        ({"doc": "yunxi_2025_followup"}, {"智慧港口调度平台", "港口年吞吐量"}),
        ({"province": "南岭省", "sector": "trade_logistics", "kind": "project"}, {"云溪港二期码头工程", "新能源电池产业园", "智慧港口调度平台"}),
        ({"place": "云溪市", "since": "2025-01-01"}, {"智慧港口调度平台", "港口年吞吐量"}),
        ({"place": "云溪市", "until": "2024-12-31", "kind": "organization"}, {"市数字经济发展中心"}),
        ({"place": "石湖县", "q": "茶叶研究院"}, {"北川农业大学", "茶叶研究院"}),
    ],
)
def test_items_filters(client, params, expected_names):
    body = client.get("/api/items", params=params).json()
    assert {i["name"] for i in body["items"]} == expected_names
    assert body["total"] == len(expected_names)


def test_item_by_id_matches_the_list(client):
    listed = client.get("/api/items", params={"doc": "shihu_2024_meeting"}).json()["items"]
    for item in listed:
        one = client.get(f"/api/items/{item['id']}").json()
        assert one["id"] == item["id"] and one["evidence"] == item["evidence"]
        assert one["doc"] == "shihu_2024_meeting" and one["place"] == "石湖县"
        assert set(one["sectors"]) == {"agri", "food"}


def test_places(client):
    places = {p["name"]: p for p in client.get("/api/places").json()}
    assert places["云溪市"]["documents"] == 2 and places["云溪市"]["items"] == 6
    one = client.get("/api/places/石湖县").json()
    assert one["name"] == "石湖县" and one["province"] == "北川省"


def test_search_finds_and_highlights(client):
    body = client.get("/api/search", params={"q": "码头"}).json()
    assert body["query"] == "码头"
    docs = {h["doc"] for h in body["hits"]}
    assert {"yunxi_2024_report", "yunxi_2025_followup"} <= docs
    for hit in body["hits"]:
        assert hit["highlights"], hit
        for start, end in hit["highlights"]:
            assert 0 <= start < end <= len(hit["snippet"])
    filtered = client.get("/api/search", params={"q": "码头", "since": "2025-01-01", "place": "云溪市"}).json()
    assert {h["doc"] for h in filtered["hits"]} == {"yunxi_2025_followup"}


def test_openapi_schema_documents_the_responses(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/documents", "/api/documents/{doc}", "/api/items", "/api/items/{item_id}",
                 "/api/places", "/api/places/{name}", "/api/search", "/api/stats"):
        assert "get" in schema["paths"][path], path
        assert "200" in schema["paths"][path]["get"]["responses"]
    assert "post" in schema["paths"]["/api/documents"]
    for model in ("ItemPage", "ItemOut", "DocumentOut", "DocumentPage", "PlaceOut", "SearchPage", "StatsOut", "ErrorOut"):
        assert model in schema["components"]["schemas"], model
    assert not any(p.startswith("/documents") for p in schema["paths"]), "pages stay out of the API schema"


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/documents/no_such_doc", 404),
        ("/api/items/999999", 404),
        ("/api/places/没有这个地方", 404),
        ("/api/nothing-here", 404),
        ("/api/items?limit=501", 422),
        ("/api/items?limit=0", 422),
        ("/api/items?offset=-1", 422),
        ("/api/items/abc", 422),
        ("/api/items/0", 422),
        ("/api/items/99999999999999999999999", 422),
        ("/api/documents?since=yesterday", 422),
        ("/api/documents?since=0.0", 422),
        ("/api/documents?until=2024-02-31", 422),
        ("/api/search", 422),
        ("/api/search?q=", 422),
        ("/api/search?q=%20%20", 400),
        ("/api/items?since=2025-01-01&until=2024-01-01", 400),
        ("/api/items?q=a%00b", 400),
    ],
)
def test_errors_are_json_with_a_reason(client, url, status):
    assert_error(client.get(url), status)


def test_security_headers_everywhere(client):
    for url in ("/api/stats", "/api/items/999999", "/", "/static/style.css", "/no-such-page"):
        response = client.get(url)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (url, name)
    assert "'unsafe-inline'" not in SECURITY_HEADERS["Content-Security-Policy"]


# -- writes ------------------------------------------------------------------------------

PAGE_TEXT = "青禾县召开项目推进会\n会议要求，年内建成青禾物流园一期，新增就业岗位一千个。".encode()


@pytest.fixture()
def writer(fresh_ledger):
    with TestClient(create_app(ledger=fresh_ledger, token=TOKEN)) as test_client:
        yield test_client, fresh_ledger


def upload(client, name="qinghe_2024.txt", data=PAGE_TEXT, content_type="text/plain", token=TOKEN, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/documents", files={"file": (name, io.BytesIO(data), content_type)}, headers=headers, **kwargs)


def test_upload_restores_extracts_and_ingests(writer):
    client, ledger = writer
    response = upload(client)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "qinghe_2024" and body["status"] == "added" and body["url"] == "/documents/qinghe_2024"
    stored = client.get("/api/documents/qinghe_2024").json()
    assert "青禾物流园" in stored["text"]
    assert len(stored["items"]) == body["items"]
    assert ledger.document("qinghe_2024") is not None
    again = upload(client)
    assert again.status_code == 200 and again.json()["status"] != "added"


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"token": None}, 401),
        ({"token": "wrong"}, 403),
        ({"content_type": "image/png", "name": "photo.png"}, 415),
        ({"content_type": "application/octet-stream", "name": "report.pdf"}, 415),
        ({"data": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40}, 422),
        ({"data": b""}, 422),
        ({"name": "../../.txt"}, 400),
    ],
)
def test_upload_refusals(writer, kwargs, status):
    client, ledger = writer
    assert_error(upload(client, **kwargs), status)
    assert ledger.count_documents() == 0


def test_upload_accepts_octet_stream_with_a_text_name(writer):
    client, _ = writer
    response = upload(client, name="dir/sub/qinghe.html", content_type="application/octet-stream")
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "qinghe"


def test_upload_too_large_is_refused_before_reading(writer):
    client, ledger = writer
    big = b"x" * (5 * 1024 * 1024 + 1)
    assert_error(upload(client, data=big), 413)
    assert ledger.count_documents() == 0


def test_upload_needs_multipart_with_a_file(writer):
    client, _ = writer
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert_error(client.post("/api/documents", content=PAGE_TEXT, headers={**auth, "Content-Type": "text/plain"}), 415)
    assert_error(client.post("/api/documents", data={"other": "x"}, files={"x": ("a.txt", b"a")}, headers=auth), 400)


def test_writes_refused_when_no_token_is_configured(fresh_ledger, monkeypatch):
    monkeypatch.delenv("LUOSHI_TOKEN", raising=False)
    with TestClient(create_app(ledger=fresh_ledger)) as client:
        body = assert_error(upload(client, token="anything"), 403)
        assert "LUOSHI_TOKEN" in body["detail"]
        assert_error(upload(client, token=None), 401)


def test_token_from_the_environment(fresh_ledger, monkeypatch):
    monkeypatch.setenv("LUOSHI_TOKEN", "from-env")
    with TestClient(create_app(ledger=fresh_ledger)) as client:
        assert upload(client, token="from-env").status_code == 201
        assert_error(upload(client, name="b.txt", token=TOKEN), 403)


def test_fill_is_repeatable(fresh_ledger):
    """The fixture data itself: every hand-made evidence is found in its own text."""
    fill(fresh_ledger, demo=False)
    assert fresh_ledger.count_documents() == len(corpus.PAGES)


def test_a_bug_still_answers_in_the_error_shape(fresh_ledger, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    with TestClient(create_app(ledger=fresh_ledger), raise_server_exceptions=False) as client:
        monkeypatch.setattr(fresh_ledger, "stats", broken)
        response = client.get("/api/stats")
        body = assert_error(response, 500)
        assert "simulated bug" not in body["detail"], "no internals leak to the client"
        assert response.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
        monkeypatch.setattr(fresh_ledger, "places", broken)
        response = client.get("/places")
        assert response.status_code == 500 and "500" in response.text and response.headers["content-type"].startswith("text/html")


def test_chunked_upload_is_cut_off_at_the_cap(writer):
    """No Content-Length to check up front: the body is counted as it arrives."""
    client, ledger = writer
    boundary = "luoshi-test-boundary"

    def body():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
        yield (head + "Content-Type: text/plain\r\n\r\n").encode()
        for _ in range(600):
            yield b"x" * 10_000
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    response = client.post("/api/documents", content=body(), headers=headers)
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert_error(response, 413)
    assert ledger.count_documents() == 0


def test_upload_under_a_taken_name_gets_its_own(writer):
    client, _ = writer
    first = upload(client, name="same.txt", data="青禾县将建设物流园，年内完工。".encode())
    second = upload(client, name="same.txt", data="石湖县推进茶叶产业，打造区域品牌。".encode())
    assert first.status_code == second.status_code == 201
    assert first.json()["name"] == "same"
    renamed = second.json()
    assert renamed["name"].startswith("same~") and renamed["url"] == "/documents/" + renamed["name"]
    assert "石湖县" in client.get(f"/api/documents/{renamed['name']}").json()["text"]
    assert client.get(renamed["url"]).status_code == 200
