"""Results, moderation, exports, trend and the board dashboard."""
