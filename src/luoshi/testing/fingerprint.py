"""One digest of everything ``restore`` gives for a page: the restored text, meta data,
fix log and the whole offset map. Two builds or two versions of the restorer agree on a
page when they give it the same digest (tests/restore/test_native.py)."""

from __future__ import annotations

import hashlib
import json

from luoshi.restore import restore


def restore_fingerprint(data: bytes, name: str | None = None) -> str:
    doc = restore(data, name=name)
    whole = {
        **doc.to_dict(),  # name, meta and fixes
        "text": doc.text,
        "offsets": [doc.offsets.starts, doc.offsets.ends, doc.offsets.raw_length],
    }
    return hashlib.sha256(json.dumps(whole, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
