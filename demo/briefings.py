"""The demo's published briefing: the published deep dive gets a composed briefing, written
by `business`, approved by `business2`, rendered in this process and published.

Idempotent: once a ready version is published, loading again changes nothing.
"""

import logging

from django.core.exceptions import ValidationError

from accounts.models import User
from audits.models import Audit
from briefings import services
from briefings.models import Briefing, BriefingVersion
from findings.selectors import active_resources, consented_quotes

logger = logging.getLogger(__name__)

try:
    from demo.audits import PUBLISHED
except ImportError:  # pragma: no cover - the audits demo defines it when it exists
    PUBLISHED = "Deep dive: emotional health of young people open to early help"

TOPIC = """Emotional health is how a young person thinks, feels and copes with everyday life. \
When it slips, the first signs are often small: sleeping badly, dropping friends or hobbies, \
missing school, or becoming irritable at home.

- **Low mood and anxiety** are common in early adolescence and often pass with support from \
trusted adults.
- **Self-harm** is any act of hurting oneself on purpose. It is a sign of distress, not \
attention seeking, and always needs a calm, curious response.
- **Emotionally based school avoidance** describes a young person who finds school so hard \
that they stop going: the worry is the need, the absence is the symptom.

Early help is the right place for most of these young people, as long as the adults around \
them notice, ask, and share what they know."""


def load() -> None:
    audit = Audit.objects.filter(title=PUBLISHED).first()
    author = User.objects.filter(username="business").first()
    approver = User.objects.filter(username="business2").first()
    if audit is None or author is None or approver is None:
        return
    briefing = services.briefing_get_or_create(audit=audit, actor=author)
    published = briefing.published_version
    if published is not None and published.status == BriefingVersion.Status.READY:
        return
    if not briefing.topic.strip():
        services.briefing_update(
            briefing=briefing,
            actor=author,
            resources=list(active_resources()),
            quotes=list(consented_quotes(audit)),
            topic=TOPIC,
        )
    version = (
        briefing.versions.filter(status=BriefingVersion.Status.READY).order_by("-number").first()
    ) or services.briefing_render_now(briefing=briefing, actor=author)
    if version.status != BriefingVersion.Status.READY:
        logger.warning("demo briefing did not render: %s", version.error)
        return
    try:
        if not version.approved_by_id:
            services.version_approve(version=version, actor=approver)
        services.briefing_publish(version=version, actor=approver)
    except ValidationError as error:
        logger.warning("demo briefing not published: %s", "; ".join(error.messages))


def demo_briefing() -> Briefing | None:
    return Briefing.objects.filter(audit__title=PUBLISHED).first()
