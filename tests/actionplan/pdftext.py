"""Read the text of a PDF written by fpdf2 (Type0 fonts with a ToUnicode map, Flate streams): enough for tests to
check that a title is really printed, without a PDF library."""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_FONT_REF = re.compile(rb"/(F\d+) (\d+) 0 R")
_TEXT = re.compile(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", re.S)
_ESCAPES = {
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"b": b"\b",
    b"f": b"\f",
    b"(": b"(",
    b")": b")",
    b"\\": b"\\",
}


def _stream(body: bytes) -> bytes:
    match = _STREAM.search(body)
    if not match:
        return b""
    raw = match.group(1)
    return zlib.decompress(raw) if b"/FlateDecode" in body else raw


def _unescape(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i : i + 1] == b"\\":
            nxt = raw[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
        else:
            out += raw[i : i + 1]
            i += 1
    return bytes(out)


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def pdf_text(data: bytes) -> str:
    objects = {int(num): body for num, body in _OBJECT.findall(data)}
    fonts: dict[bytes, dict[int, str]] = {}
    for name, ref in _FONT_REF.findall(data):
        body = objects.get(int(ref), b"")
        unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if unicode_ref:
            fonts[name] = _cmap(_stream(objects[int(unicode_ref.group(1))]))
    lines = []
    for body in objects.values():
        content = _stream(body) if b"stream" in body else b""
        if b" Tj" not in content:
            continue
        font: dict[int, str] = {}
        for name, string in _TEXT.findall(content):
            if name:
                font = fonts.get(name, {})
                continue
            raw = _unescape(string)
            lines.append(
                "".join(font.get(int.from_bytes(raw[i : i + 2], "big"), "?") for i in range(0, len(raw), 2))
            )
    return "\n".join(lines)
