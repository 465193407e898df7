"""Findings, actions and the action tracker, sub-groups, engagement, quotes, resources."""
