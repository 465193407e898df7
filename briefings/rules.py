"""Who may do what with briefings: the business team writes, renders, approves and publishes
them; everyone signed in reads a published version; board members and the business team see
the take-up and reach figures.

briefings.compose_briefing is named on the model (Briefing.Meta.rules_permissions)."""

import rules

from accounts.rules import is_board_member, is_business_team, is_practitioner

may_compose_briefing = is_business_team
may_read_published = is_business_team | is_practitioner | is_board_member
may_record_use = is_business_team | is_practitioner
may_view_reach = is_business_team | is_board_member

rules.add_perm("briefings.view_published", may_read_published)
rules.add_perm("briefings.record_use", may_record_use)
rules.add_perm("briefings.view_reach", may_view_reach)
