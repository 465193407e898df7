"""Who may do what in the audit layer: the programme, the question bank, returns and
concerns. Visibility is the selectors' job (returns_visible_to, audits_visible_to, ...): a view
loads through them (404 when not visible) and then asks a permission named here (403).

The permissions about one return are named on the model (Return.Meta.rules_permissions, as
pretalx does): audits.answer_return, audits.send_back_return, audits.reassign_return. So
models.py imports this module, and this module never imports the models: a predicate reads
the choices from the object it is given."""

from typing import Any

import rules

from accounts.rules import is_business_team, is_practitioner
from cases.rules import leads_agency_of, works_for_agency_of


@rules.predicate
def return_is_editable(user: Any, audit_return: Any) -> bool:
    return bool(audit_return.is_editable)


@rules.predicate
def return_is_submitted(user: Any, audit_return: Any) -> bool:
    return bool(audit_return.status == audit_return.Status.SUBMITTED)


@rules.predicate
def return_audit_is_open(user: Any, audit_return: Any) -> bool:
    return bool(audit_return.audit.status == audit_return.audit.Status.OPEN)


def _takes_queries(audit: Any) -> bool:
    return bool(audit.status in (audit.Status.OPEN, audit.Status.MODERATION))


@rules.predicate
def return_audit_takes_queries(user: Any, audit_return: Any) -> bool:
    return _takes_queries(audit_return.audit)


@rules.predicate
def query_is_answerable(user: Any, query: Any) -> bool:
    """Open, on a return that is still submitted, in an audit still taking queries."""
    audit_return = query.audit_return
    return bool(
        query.is_open
        and audit_return.status == audit_return.Status.SUBMITTED
        and _takes_queries(audit_return.audit)
    )


@rules.predicate
def works_for_agency_of_query(user: Any, query: Any) -> bool:
    return bool(works_for_agency_of.test(user, query.audit_return))


# The business team plans audits, keeps the question bank and sees progress and results.
may_manage_programme = is_business_team
# Answers are written by the agency's own practitioners while the return is editable.
may_answer_return = is_practitioner & return_is_editable & works_for_agency_of
may_send_back_return = is_business_team
# Reassign a return, record the action on a concern: the business team or the agency's lead.
may_manage_agency_returns = is_business_team | leads_agency_of

# The return page's buttons: allowed, and the return is where the action makes sense.
send_back_is_offered = may_send_back_return & return_is_submitted & return_audit_is_open
reassign_is_offered = may_manage_agency_returns & return_audit_is_open

# Queries on one answer: raised by the business team on a submitted return while the audit is
# open or in moderation; replied to (and the answer changed) by the agency's practitioners.
may_raise_query = is_business_team & return_is_submitted & return_audit_takes_queries
may_reply_query = works_for_agency_of_query & query_is_answerable
# Closed and re-opened by the business team, whatever the query's state.
may_close_query = is_business_team

rules.add_perm("audits.manage_programme", may_manage_programme)
rules.add_perm("audits.manage_concern", may_manage_agency_returns)
rules.add_perm("audits.list_my_returns", is_practitioner)
# Why an e-mail alert about a concern did not go (the mail server's answer): the business team.
rules.add_perm("audits.view_alert_errors", may_manage_programme)
rules.add_perm("audits.raise_query", may_raise_query)
rules.add_perm("audits.reply_query", may_reply_query)
rules.add_perm("audits.close_query", may_close_query)
