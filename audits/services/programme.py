"""Writes for the audit programme: question bank, question sets, audits, cases, status flow."""
