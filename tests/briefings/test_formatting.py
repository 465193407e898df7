from briefings.formatting import blocks, format_text, plain_text


def test_format_text_makes_paragraphs_bullets_and_bold():
    text = "First line\nsame paragraph\n\n- **Recognition**: noticed early\n- second\n\nLast"

    html = format_text(text)

    assert html == (
        "<p>First line same paragraph</p>\n"
        "<ul><li><strong>Recognition</strong>: noticed early</li><li>second</li></ul>\n"
        "<p>Last</p>"
    )


def test_format_text_escapes_hostile_input():
    text = (
        '<script>alert(1)</script>\n- <img src="http://evil.example/x.png">\n'
        "**<b onmouseover=x>bold</b>**\n<style>body{background:url(file:///etc/passwd)}</style>"
    )

    html = format_text(text)

    assert "<script" not in html
    assert "<img" not in html
    assert "<style" not in html
    assert "<b " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>&lt;b onmouseover=x&gt;bold&lt;/b&gt;</strong>" in html
    assert "&lt;img src=&quot;http://evil.example/x.png&quot;&gt;" in html


def test_format_text_leaves_unmatched_markers_alone():
    assert format_text("2 ** 3 and ** alone") == "<p>2 ** 3 and ** alone</p>"


def test_blocks_join_indented_lines_to_the_bullet_above():
    assert blocks("- one\n  continued\n- two") == [("ul", ["one continued", "two"])]


def test_plain_text_drops_bold_markers():
    assert plain_text("**Voice** of YP1") == "Voice of YP1"


def test_format_text_of_empty_text_is_empty():
    assert format_text("") == ""
