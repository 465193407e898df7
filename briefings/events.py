"""Trail codes written by briefings (auditportal/trail_registry.py)."""

from auditportal.trail_registry import access, change

EVENTS = [
    change("briefing.created", "Started a briefing"),
    change("briefing.updated", "Edited a briefing"),
    change("briefing.refilled", "Refilled a section"),
    access("briefing.viewed", "Opened a briefing in the composer"),
    access("briefing.previewed", "Previewed a briefing"),
    change("briefing.render_requested", "Asked for a PDF"),
    change("briefing.render_rerun", "Ran a failed PDF again"),
    change("briefing.render_resent", "Sent a stuck PDF job again"),
    change("briefing.approved", "Approved a briefing version"),
    change("briefing.published", "Published a briefing"),
    change(
        "briefing.pulse_sent", "Sent the pulse after a briefing to its learning events' agencies"
    ),
    access("briefing.downloaded", "Downloaded a briefing PDF"),
    access("briefing.downloaded_word", "Downloaded a briefing as Word"),
    access("briefing.read", "Read a briefing on the web"),
    change("briefing.public_link_created", "Made a public link to a briefing"),
    change("briefing.public_link_withdrawn", "Withdrew a briefing's public link"),
    change("briefing.use_recorded", "Recorded how a briefing was used"),
]
