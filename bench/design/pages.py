"""Design measurement of the public pages (issue 14): page lengths and first-screen screenshots.

    DATABASE_URL=sqlite:///<abs>/var/design.sqlite3 .venv/bin/python bench/design/pages.py --label before \
        [--root /work/design-before] [--base-url http://127.0.0.1:8000]

The database must hold the full built-in data (`spro migrate && spro import all`: the referentials and the demo
network of structures). Without --base-url, the script collects the static files and starts the server of the tree
at --root (default: this repository) as its users see it: `spro runserver --noreload` with SPRO_DEBUG=false (the
designed 404, no debug page), PYTHONPATH=<root> so that the server imports that tree. It then visits, with Debian's
Chromium (/usr/bin/chromium, as tests/browser/ does), at 1280×800 and 390×844: home, a search, a fiche métier,
/question, the answer to a realistic question (sent through the form), a structure page of that answer, the
« Être contacté·e » steps (consent, form, form with errors, confirmation) and a 404.

It records each page's full length (document.documentElement.scrollHeight), its width (scrollWidth: more than the
viewport means sideways scrolling), the header's height, where <main> starts (content_top_px: the header and the
menu above it), and the y position (from the top of the document) of the
answer's first « Être contacté·e » button, into docs/design/lengths-<label>.json, and first-screen (viewport)
PNG screenshots into docs/design/<label>/<page>-<viewport>.png.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SPRO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
QUESTION = "J'ai 17 ans, je suis à Brest, je voudrais travailler avec des enfants"
COMMUNE = "Brest"
AGE = "17"
SEARCH = "/recherche?q=infirmiere"
METIER = "/metiers/J1506"
MISSING = "/cette-page-n-existe-pas"
CONTACT_BUTTON = re.compile("^Être contacté·e")
MEASURE = """() => {
  const header = document.querySelector('body > header, header[role=banner], header');
  return {
    length_px: document.documentElement.scrollHeight,
    width_px: document.documentElement.scrollWidth,
    header_px: header ? Math.round(header.getBoundingClientRect().height) : null,
    // Where the page's own content starts: everything above it (header, menu) is the site's chrome.
    content_top_px: Math.round(document.querySelector('main').getBoundingClientRect().top + window.scrollY),
  };
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(root: Path, port: int) -> subprocess.Popen:
    spro = str(Path(sys.executable).parent / "spro")
    env = {**os.environ, "PYTHONPATH": str(root), "SPRO_ENV": "development", "SPRO_DEBUG": "false"}
    subprocess.run([spro, "collectstatic", "--no-input", "-v", "0"], env=env, cwd=root, check=True)
    server = subprocess.Popen(
        [spro, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/health/"
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=2)
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if server.poll() is not None:
                raise SystemExit(f"the server exited with {server.returncode}") from None
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not answer /health/ within 60 s")


class Visit:
    """One viewport: a context, the measures and the screenshots of its pages."""

    def __init__(self, browser: Any, base: str, name: str, out: Path) -> None:
        self.context = browser.new_context(locale="fr-FR", **VIEWPORTS[name])
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.base, self.name, self.out = base, name, out
        self.pages: dict[str, dict[str, Any]] = {}

    def record(self, key: str, status: int | None = None) -> None:
        page = self.page
        page.wait_for_load_state("load")
        measures = page.evaluate(MEASURE)
        # A follow page's address holds its secret token: never written to a committed file.
        measures["url"] = re.sub(r"/suivi/[^/?#]+", "/suivi/<jeton>", page.url.removeprefix(self.base))
        if status is not None:
            measures["status"] = status
        self.pages[key] = measures
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(self.out / f"{key}-{self.name}.png"), full_page=False)

    def goto(self, key: str, path: str) -> None:
        response = self.page.goto(self.base + path)
        self.record(key, response.status if response else None)

    def run(self) -> dict[str, Any]:
        page = self.page
        self.goto("home", "/")
        self.goto("search", SEARCH)
        self.goto("metier", METIER)
        self.goto("question", "/question")
        page.get_by_label("Votre question").fill(QUESTION)
        page.get_by_label(re.compile("^Votre âge")).fill(AGE)
        page.get_by_label(re.compile("^Votre commune")).fill(COMMUNE)
        with page.expect_navigation():
            page.get_by_role("button", name="Obtenir ma réponse").click()
        button = page.get_by_role("button", name=CONTACT_BUTTON).first
        first_button_y = (
            round(button.evaluate("b => b.getBoundingClientRect().top + window.scrollY"))
            if button.count()
            else None
        )
        self.record("answer", 200)
        self.pages["answer"]["first_contact_button_y"] = first_button_y
        self.pages["answer"]["contact_buttons"] = page.get_by_role("button", name=CONTACT_BUTTON).count()
        structure = page.locator(".structure-card__nom a").first
        structure_href = structure.get_attribute("href") if structure.count() else None
        if button.count():
            with page.expect_navigation():
                button.click()
            self.record("contact-1-consent")
            with page.expect_navigation():
                page.get_by_role("button", name=re.compile("^J’accepte|^J'accepte")).click()
            self.record("contact-2-form")
            with page.expect_navigation():
                page.get_by_role("button", name="Envoyer ma demande").click()
            self.record("contact-3-errors")
            page.locator("#id_first_name").fill("Lou")
            page.locator("#id_contact_value").fill("lou@example.org")
            with page.expect_navigation():
                page.get_by_role("button", name="Envoyer ma demande").click()
            self.record("contact-4-sent")
        if structure_href:
            self.goto("structure", structure_href)
        self.goto("404", MISSING)
        self.context.close()
        return self.pages


def git_commit(root: Path) -> str:
    result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True)
    return result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", required=True, help="before, after…: names the JSON and the folder")
    parser.add_argument("--root", type=Path, default=HERE, help="the tree whose server is measured")
    parser.add_argument("--base-url", help="measure a server already running instead of starting one")
    parser.add_argument("--out", type=Path, default=HERE / "docs" / "design")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ and not args.base_url:
        raise SystemExit("DATABASE_URL must name a database with the built-in data (spro import all)")

    from playwright.sync_api import sync_playwright

    shots = args.out / args.label
    shots.mkdir(parents=True, exist_ok=True)
    server = None
    base = args.base_url
    if not base:
        port = free_port()
        server = start_server(args.root.resolve(), port)
        base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                measures = {name: Visit(browser, base, name, shots).run() for name in VIEWPORTS}
            finally:
                browser.close()
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)

    pages: dict[str, dict[str, Any]] = {}
    for name, visited in measures.items():
        for key, values in visited.items():
            pages.setdefault(key, {})[name] = values
    report = {
        "benchmark": "design-pages",
        "label": args.label,
        "commit": git_commit(args.root),
        "viewports": {name: options["viewport"] for name, options in VIEWPORTS.items()},
        "question": QUESTION,
        # The search's default territory (docs/design/search.md): results differ with and without it.
        "region_code": os.environ.get("SPRO_REGION_CODE", ""),
        "pages": pages,
    }
    path = args.out / f"lengths-{args.label}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{'page':20} {'desktop px':>10} {'phone px':>10} {'phone width':>11} {'phone content top':>17}")
    for key, values in pages.items():
        desktop, phone = values.get("desktop", {}), values.get("phone", {})
        print(f"{key:20} {desktop.get('length_px', ''):>10} {phone.get('length_px', ''):>10} "
              f"{phone.get('width_px', ''):>11} {phone.get('content_top_px', ''):>17}")  # fmt: skip
    for name in VIEWPORTS:
        y = pages.get("answer", {}).get(name, {}).get("first_contact_button_y")
        print(f"answer, first « Être contacté·e » button ({name}): y = {y} px")
    print(f"written: {path}, {shots}/")


if __name__ == "__main__":
    main()
