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


def test_the_rules_shown_at_each_field_are_the_ones_the_formatter_applies():
    from briefings.formatting import RULES, RULES_EXAMPLES

    rendered = [format_text(typed) for typed, _expected in RULES_EXAMPLES]

    assert rendered == [expected for _typed, expected in RULES_EXAMPLES]
    assert len(RULES_EXAMPLES) == len(RULES)


def test_the_rules_help_names_every_marker_in_code_and_escapes_it():
    from briefings.formatting import rules_help

    html = str(rules_help())

    assert html == (
        '<span class="format-rules">Formatting: <code>**words**</code> for bold · '
        "<code>- </code> at the start of a line for a bullet (indent the next line to "
        "continue it) · a blank line for a new paragraph. Anything else (HTML, links, "
        "# headings) prints exactly as typed.</span>"
    )
