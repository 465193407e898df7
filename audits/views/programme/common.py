"""What the business team's pages share: the check that the user may run the programme."""

from django.http import HttpRequest

from auditportal.access import require


def business_team_required(request: HttpRequest) -> None:
    require(request.user, "audits.manage_programme")
