"""Briefing PDF benchmark: median seconds to render the demo briefing and a large one (30
findings, 20 actions, every chart and table on) through the project's path, against
WeasyPrint alone on the same pre-built HTML.

- project path: briefing_render (snapshot of the audit's figures, new version row) and
  version_render_pdf (template, StaticOnlyURLFetcher, tagged PDF/UA-1, storage, status),
  exactly what the Celery task runs;
- WeasyPrint alone: weasyprint.HTML(string=html).write_pdf() on that version's finished HTML
  (stylesheet inlined), once with the same PDF/UA-1 options and once with the defaults.

Everything it creates (versions, the large audit) is rolled back; PDF files are deleted.

    DEBUG=1 .venv/bin/python manage.py load_demo          # the demo briefing, once
    DEBUG=1 .venv/bin/python bench/bench_pdf.py --repeats 5

Without the demo data the "demo" row is a synthetic briefing of the same size (8 findings,
6 actions). `bench/run.py` calls `run(repeats=...)`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class _Rollback(Exception):
    pass


def _business_user():
    from accounts.models import User

    user = User.objects.filter(role=User.Role.BUSINESS).order_by("pk").first()
    return user or User.objects.create(
        username="bench.business", email="bench.business@example.org", role=User.Role.BUSINESS
    )


def build_briefing(*, findings: int, actions: int, seed: int = 1, label: str = "large"):
    """A findings-agreed audit with graded and ticked returns, findings, actions, quotes and
    resources, and its composed briefing with every panel switched on."""
    from audits.models import (
        Answer,
        AnswerTick,
        Audit,
        Question,
        QuestionSet,
        QuestionSetItem,
        Return,
        SampleCase,
        Theme,
    )
    from briefings import services
    from cases.models import Agency, Case, CaseAgency
    from findings.models import Action, Engagement, Finding, Quote, Resource

    rng = random.Random(seed)
    actor = _business_user()
    stamp = f"{label}-{time.time_ns()}"
    agencies = [
        Agency.objects.create(
            name=f"Bench agency {i} {stamp}", short_name=f"B{i}", sector=Agency.Sector.HEALTH
        )
        for i in range(8)
    ]
    theme_names = [
        "Recognition", "Referrals", "Assessment and planning", "Recording",
        "Information sharing", "Team Around the Family", "Voice of the child",
        "Whole-family approach", "Interventions", "Joint working",
        "Escalation and professional challenge", "Impact and outcomes",
    ]  # fmt: skip
    themes = [Theme.objects.get_or_create(name=name)[0] for name in theme_names]
    question_set = QuestionSet.objects.create(name=f"Bench set {stamp}")
    items = []
    for order, theme in enumerate(themes):
        for n in range(2):
            items.append(
                QuestionSetItem(
                    question_set=question_set,
                    theme=theme,
                    theme_name=theme.name,
                    text=f"How well did practice show {theme.name.lower()} ({n + 1})?",
                    kind=Question.Kind.GRADE,
                    order=order * 10 + n,
                )
            )
    factors = [f"Risk factor {i}" for i in range(1, 11)]
    tools = ["Graded care profile", "Neglect toolkit", "School-avoidance toolkit", "Screening"]
    for text, options in (("Risk factors present", factors), ("Tools used", tools)):
        items.append(
            QuestionSetItem(
                question_set=question_set,
                theme=themes[0],
                theme_name=themes[0].name,
                text=text,
                kind=Question.Kind.CHECKLIST,
                options=options,
                order=500 + len(items),
            )
        )
    items = QuestionSetItem.objects.bulk_create(items)
    today = datetime.date.today()
    audit = Audit.objects.create(
        title=f"Bench briefing audit ({label})",
        priority="Mental health and wellbeing",
        key_question="How well do agencies notice and respond when a young person struggles?",
        scope="Young people open to early help in the last six months. " * 3,
        methodology="Each agency audited its own records; a moderation meeting agreed grades.",
        returns_open=today - datetime.timedelta(days=60),
        returns_due=today - datetime.timedelta(days=30),
        question_set=question_set,
        status=Audit.Status.FINDINGS_AGREED,
    )
    returns = []
    for c in range(10):
        case = Case.objects.create(
            pseudonym=f"YP{c + 1}-{audit.pk}",
            age_band=Case.AgeBand.AGE_13_15,
            gender=Case.Gender.FEMALE,
            level_of_need=Case.LevelOfNeed.EARLY_HELP,
        )
        sample = SampleCase.objects.create(audit=audit, case=case)
        for agency in rng.sample(agencies, 4):
            sample.involvements.add(CaseAgency.objects.create(case=case, agency=agency))
            returns.append(
                Return(audit=audit, case=case, agency=agency, status=Return.Status.SUBMITTED)
            )
    returns = Return.objects.bulk_create(returns)
    grades = ["outstanding", "good", "good", "requires_improvement", "inadequate", "not_applicable"]
    answers = [
        Answer(
            audit_return=r,
            item=item,
            choice=rng.choice(grades) if item.kind == Question.Kind.GRADE else "",
        )
        for r in returns
        for item in items
    ]
    answers = Answer.objects.bulk_create(answers)
    ticks = [
        AnswerTick(answer=a, option=option)
        for a in answers
        if a.item.kind == Question.Kind.CHECKLIST
        for option in a.item.options
        if rng.random() < 0.3
    ]
    AnswerTick.objects.bulk_create(ticks)
    sentence = (
        "Practitioners {verb} and the plan changed as a result, which the young person "
        "noticed and said made a difference to how safe and listened to they felt."
    )
    for i in range(findings):
        Finding.objects.create(
            audit=audit,
            theme=themes[i % len(themes)],
            kind=Finding.Kind.STRENGTH if i % 2 == 0 else Finding.Kind.DEVELOPMENT,
            text=sentence.format(verb=rng.choice(["shared concerns early", "met together"])),
            order=i,
        )
    for i in range(actions):
        Action.objects.create(
            audit=audit,
            text=f"Action {i + 1}: refresh guidance and check it is used in supervision",
            section=Action.Section.WILL_DO if i % 2 == 0 else Action.Section.NEXT_STEP,
            owner_agency=agencies[i % len(agencies)],
            due_date=today + datetime.timedelta(days=30 * (i % 9 + 1)),
        )
    Engagement.objects.create(
        audit=audit, cyp_shared=40, cyp_responses=17, parent_shared=35, parent_responses=12
    )
    quotes = [
        Quote.objects.create(
            audit=audit,
            text="Someone checked in every week and that made school bearable.",
            source_label="young person, survey",
            consent=True,
            order=i,
        )
        for i in range(4)
    ]
    resources = [
        Resource.objects.create(
            title=f"Bench resource {i}",
            url=f"https://riverbend.example/resource-{i}",
            kind=Resource.Kind.GUIDANCE,
            description="How to use it in practice, in one page.",
        )
        for i in range(6)
    ]
    briefing = services.briefing_get_or_create(audit=audit, actor=actor)
    services.briefing_update(
        briefing=briefing,
        actor=actor,
        resources=resources,
        quotes=quotes,
        topic="Emotional health is how a young person thinks, feels and copes. " * 8,
        show_grade_chart=True,
        show_risk_factors=True,
        show_engagement=True,
        show_quotes=True,
    )
    return briefing


def _inline_stylesheet(html: str) -> str:
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/briefing-print.css")).read_text()
    start = html.index('<link rel="stylesheet"')
    end = html.index(">", start) + 1
    return html[:start] + f"<style>{css}</style>" + html[end:]


def measure(briefing, *, repeats: int) -> dict:
    from weasyprint import HTML  # WeasyPrint alone is what this compares against

    from briefings import services
    from briefings.models import BriefingVersion

    actor = _business_user()
    pages: list[int] = []

    def project_path() -> None:
        version = services.briefing_render(briefing=briefing, actor=actor, enqueue=False)
        version = services.version_render_pdf(version_id=version.pk)
        assert version.status == BriefingVersion.Status.READY, version.error
        pages.append(version.page_count)
        version.pdf.delete(save=False)

    content = services.data.snapshot(briefing)
    html = _inline_stylesheet(
        services.version_html(content, version_label="Version 1, rendered for the benchmark")
    )
    runs = {
        "project": project_path,
        "tagged": lambda: HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"),
        "plain": lambda: HTML(string=html).write_pdf(),
    }
    # Interleaved, so a burst of load on a shared machine hits all three alike.
    for run_once in runs.values():
        run_once()  # warm-up: fonts, templates, imports
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run_once in runs.items():
            started = time.perf_counter()
            run_once()
            samples[name].append(time.perf_counter() - started)
    project, tagged, plain = (round(statistics.median(samples[n]), 3) for n in runs)
    audit = briefing.audit
    return {
        "findings": audit.findings.count(),
        "actions": audit.actions.count(),
        "pages": pages[-1] if pages else None,
        "project_median_s": project,
        "weasyprint_median_s": tagged,
        "weasyprint_untagged_median_s": plain,
        "ratio": round(project / tagged, 2) if tagged else None,
    }


def run(repeats: int = 5) -> dict:
    """Median seconds per render; everything created is rolled back."""
    from django.db import transaction

    from auditportal.tenancy import partnership_context
    from cases.models import Partnership
    from demo.briefings import demo_briefing

    results: dict = {"repeats": repeats}
    # In the first partnership (the demo's Riverbend, or one made for the run), as a
    # request or the render task would run.
    partnership = Partnership.objects.order_by("pk").first() or Partnership.objects.create(
        name="Bench Safeguarding Children Partnership", slug="bench-pdf"
    )
    try:
        with transaction.atomic(), partnership_context(partnership):
            demo = demo_briefing()
            results["demo_source"] = "demo data" if demo else "synthetic (demo not loaded)"
            demo = demo or build_briefing(findings=8, actions=6, label="demo-size")
            results["demo"] = measure(demo, repeats=repeats)
            large = build_briefing(findings=30, actions=20, label="large")
            results["large"] = measure(large, repeats=repeats)
            raise _Rollback
    except _Rollback:
        pass
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "auditportal.settings")
    import django

    django.setup()
    print(json.dumps(run(repeats=args.repeats), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
