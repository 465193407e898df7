import pytest

from auditportal.pdf import BASE_URL, FetchRefused, StaticOnlyURLFetcher, render_pdf

REFUSED = [
    "http://example.com/logo.png",
    "https://example.com/style.css",
    "https://auditportal.invalid.example.com/static/css/briefing-print.css",
    "http://auditportal.invalid/static/css/briefing-print.css",
    "file:///etc/passwd",
    "ftp://example.com/file.txt",
    "https://auditportal.invalid/media/briefings/secret.pdf",
    "https://auditportal.invalid/static/../manage.py",
    "https://auditportal.invalid/static/%2e%2e/manage.py",
    "https://auditportal.invalid/static//etc/passwd",
    "https://auditportal.invalid/static/css/briefing-print.css?x=1",
    "https://auditportal.invalid/static/css/no-such-file.css",
    "data:text/html;base64,PHNjcmlwdD4=",
    "gopher://example.com/",
    "/etc/passwd",
]


@pytest.mark.parametrize("url", REFUSED)
def test_fetcher_refuses_everything_outside_static(url):
    fetcher = StaticOnlyURLFetcher()

    with pytest.raises(FetchRefused):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


def test_fetcher_serves_a_static_file():
    fetcher = StaticOnlyURLFetcher()

    response = fetcher.fetch(BASE_URL + "static/css/briefing-print.css")

    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_fetcher_serves_an_image_data_uri():
    fetcher = StaticOnlyURLFetcher()

    response = fetcher.fetch("data:image/svg+xml;base64,PHN2Zy8+")

    assert response.read() == b"<svg/>"


def test_render_pdf_never_fetches_outside_static():
    fetcher = StaticOnlyURLFetcher()
    html = (
        '<html lang="en"><head><title>t</title>'
        '<link rel="stylesheet" href="/static/css/briefing-print.css">'
        '<link rel="stylesheet" href="http://example.com/evil.css"></head><body>'
        '<img src="http://example.com/x.png" alt=""><img src="file:///etc/passwd" alt="">'
        '<p style="background: url(https://example.com/track.png)">x</p>'
        '<svg><image href="ftp://example.com/y.png"/></svg></body></html>'
    )

    pdf = render_pdf(html, title="t", author="a", url_fetcher=fetcher)

    assert pdf.startswith(b"%PDF")
    fetched = [u for u in fetcher.attempts if u not in fetcher.refused]
    assert fetched == [BASE_URL + "static/css/briefing-print.css"]
    assert set(fetcher.refused) >= {
        "http://example.com/evil.css",
        "http://example.com/x.png",
        "file:///etc/passwd",
        "https://example.com/track.png",
    }


def test_logo_from_collected_static_files_is_fetched(settings, tmp_path, briefing, business):
    from briefings import services

    settings.STATIC_ROOT = tmp_path / "collected"
    (settings.STATIC_ROOT / "img").mkdir(parents=True)
    (settings.STATIC_ROOT / "img" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><rect width="40" '
        'height="10" fill="#14365d"/></svg>'
    )
    settings.PARTNERSHIP_LOGO = "img/logo.svg"
    fetcher = StaticOnlyURLFetcher()
    content = services.data.snapshot(briefing)

    html = services.version_html(content, version_label="v")
    render_pdf(html, title="t", author="a", url_fetcher=fetcher)

    assert BASE_URL + "static/img/logo.svg" in fetcher.attempts
    assert fetcher.refused == []
