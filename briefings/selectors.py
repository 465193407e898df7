from django.db.models import QuerySet

from accounts.models import User

from .models import Briefing


def published_briefings_visible_to(user: User) -> QuerySet[Briefing]:
    """Every signed-in role may read published briefings: they hold aggregate figures only."""
    if not user.is_authenticated:
        return Briefing.objects.none()
    return (
        Briefing.objects.filter(status=Briefing.Status.PUBLISHED, published_version__isnull=False)
        .select_related("audit", "published_version")
        .order_by("-published_at")
    )
