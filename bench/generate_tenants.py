"""The generator's tenants: partnership P<p>, its host names, and its question set of the
default bank (bench/generate.py writes everything else inside its context)."""

from __future__ import annotations

HOST_DOMAIN = "bench.localhost"


def tenant_host(p: int, domain: str = HOST_DOMAIN) -> str:
    """The host name partnership P<p> answers on."""
    return f"p{p:03d}.{domain}"


def shares_benchmarks(p: int) -> bool:
    """Two in three partnerships (P001 among them) share aggregate grades for benchmarking."""
    return p % 3 != 0


def tenant(p: int, domain: str, extra_hosts: tuple[str, ...]):
    """Partnership P<p> and its host names (made if missing; a host name another partnership
    already answers on is left with it)."""
    from cases.models import Partnership, PartnershipHost

    partnership, _ = Partnership.objects.get_or_create(
        slug=f"bench-p{p:03d}",
        defaults={
            "name": f"P{p:03d} Safeguarding Children Partnership",
            "contact_email": f"audits@p{p:03d}.example",
        },
    )
    taken = set(PartnershipHost.objects.values_list("host", flat=True))
    PartnershipHost.objects.bulk_create(
        PartnershipHost(host=host, partnership=partnership)
        for host in dict.fromkeys([tenant_host(p, domain), *extra_hosts])
        if host not in taken
    )
    return partnership


def question_set():
    """A frozen question set of the product's default question bank (audits.bank, all its
    active questions). Reused if it exists."""
    from django.utils import timezone

    from audits.bank import load_bank
    from audits.models import Question, QuestionSet, QuestionSetItem

    qs = QuestionSet.objects.filter(name="Bench question set", version=1).first()
    if qs is not None:
        return qs, list(qs.items.order_by("order", "pk"))
    load_bank()
    qs = QuestionSet.objects.create(
        name="Bench question set", version=1, frozen_at=timezone.now(), description="bench"
    )
    questions = Question.objects.filter(active=True).select_related("theme")
    questions = questions.order_by("theme__order", "theme__name", "order", "pk")
    QuestionSetItem.objects.bulk_create(
        [
            QuestionSetItem(
                question_set=qs,
                question=q,
                theme=q.theme,
                theme_name=q.theme.name,
                text=q.text,
                help_text=q.help_text,
                kind=q.kind,
                options=q.options,
                required=q.required,
                order=n,
            )
            for n, q in enumerate(questions)
        ]
    )
    return qs, list(qs.items.order_by("order", "pk"))
