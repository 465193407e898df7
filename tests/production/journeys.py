"""The smoke test's journeys through the running app: a practitioner's return autosaved and
submitted, a briefing rendered by the worker and downloaded, the published PDF downloaded by a
board member."""

from __future__ import annotations

import io
import re
import time

from tests.production.client import Client
from tests.production.harness import CheckFailed, Processes, check, say, wait_until

RENDER_TIMEOUT = 180


def practitioner_return(client: Client) -> None:
    """A practitioner autosaves a return they can still edit, then submits it."""
    # A search the access log must not record (check_logs).
    client.get_page("/audits/my-returns/?q=Child+B")
    my_returns = client.get_page("/audits/my-returns/")
    links = sorted(
        {link for link in my_returns.page.links if re.fullmatch(r"/audits/returns/\d+/", link)}
    )
    check(links, "My returns lists no returns")
    for link in links:
        page = client.get_page(link)
        if f'formaction="{link}submit/"' in page.text and 'data-autosave-url="' in page.text:
            break
    else:
        raise CheckFailed("no return the practitioner can still edit")
    form = page.page.form_with(field_name="version")
    autosave_url = re.search(r'data-autosave-url="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    data = answered(form.values(), form)
    csrf = client.cookies["__Secure-csrftoken"]
    saved = client.post(
        autosave_url, data, headers={"X-CSRFToken": csrf, "Accept": "application/json"}
    )
    body = saved.json()
    check(saved.status == 200 and body.get("ok"), f"autosave: {saved.status} {body}")
    say(f"practitioner: {link} autosaved ({body['message']}, version {body['version']})")
    data = [(n, str(body["version"]) if n == "version" else v) for n, v in data]
    submitted = client.follow(client.post(link.rstrip("/") + "/submit/", data))
    check(
        submitted.path == link and "The return is read-only" in submitted.text,
        f"submit: {submitted.status} {submitted.path} {' '.join(submitted.page.text)[:500]}",
    )
    say(f"practitioner: {link} submitted")


def business_render(client: Client, processes: Processes) -> tuple[str, bytes]:
    """The business team renders a briefing; the worker makes the PDF, which is downloaded.
    Returns the composer's path and the PDF."""
    programme = client.get_page("/audits/")
    composers = []
    audits = sorted({a for a in programme.page.links if re.fullmatch(r"/audits/\d+/", a)})
    for audit in audits:
        detail = client.get_page(audit)
        composers += [c for c in detail.page.links if re.fullmatch(r"/briefings/audit/\d+/", c)]
    check(composers, "no briefing composer linked from any audit")
    composer_path = composers[0]
    composer = client.get_page(composer_path)
    render = composer.page.form_with(action_contains="/render/")
    rendered = client.follow(client.submit(render))
    check(rendered.status == 200, f"render: {rendered.status}")
    started = time.monotonic()
    versions_path = composer_path + "versions/"

    def newest_done() -> str | None:
        html = client.get(versions_path).text
        row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S)
        if row and "Failed" in row.group(1):
            raise CheckFailed(f"the render failed: {re.sub('<[^>]+>', ' ', row.group(1))}")
        if row and ">Ready<" in row.group(1):
            return row.group(1)
        return None

    row = wait_until(
        "the worker renders the briefing",
        newest_done,
        timeout=RENDER_TIMEOUT,
        every=1,
        processes=processes,
    )
    download = re.search(r'href="(/briefings/versions/\d+/download/)"', row)
    check(download, "no download link on the ready version")
    pdf = client.get(download.group(1))  # type: ignore[union-attr]
    check(pdf.status == 200 and pdf.header("Content-Type") == "application/pdf", "no PDF")
    pages = pdf_pages(pdf.body)
    say(
        f"business: briefing rendered by the worker in {time.monotonic() - started:.1f} s, "
        f"downloaded ({len(pdf.body) // 1024} KiB, {pages} pages)"
    )
    return composer_path, pdf.body


def board_download(client: Client) -> None:
    """A board member downloads a published briefing."""
    published = client.get_page("/briefings/")
    links = [
        d for d in published.page.links if re.fullmatch(r"/briefings/versions/\d+/download/", d)
    ]
    check(links, "no published briefing to download")
    pdf = client.get(links[0])
    check(pdf.status == 200 and pdf.body.startswith(b"%PDF-"), f"board download: {pdf.status}")
    say(f"board: published briefing downloaded ({pdf_pages(pdf.body)} pages)")


def answered(values: list[tuple[str, str]], form) -> list[tuple[str, str]]:
    """The return form with every question answered: the first choice of each radio group,
    the first box of each checklist, a number, and evidence text in each text box."""
    data = list(values)
    present = {name for name, _ in data}
    for name, kind, value, _on in form.controls:
        if name in present or kind not in {"radio", "checkbox"}:
            continue
        data.append((name, value))
        present.add(name)
    filled = []
    for name, value in data:
        kind = next((k for n, k, _, _ in form.controls if n == name), "")
        if not value and kind == "number":
            value = "1"
        elif not value and kind in {"textarea", "text"} and not name.startswith("_"):
            value = "Smoke test: the record shows the plan was reviewed with the family."
        filled.append((name, value))
    return filled


def pdf_pages(body: bytes) -> int:
    from pypdf import PdfReader

    check(body.startswith(b"%PDF-"), "not a PDF")
    reader = PdfReader(io.BytesIO(body))
    check(len(reader.pages) >= 1, "the PDF has no pages")
    return len(reader.pages)
