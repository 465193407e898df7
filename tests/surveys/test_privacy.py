"""No personal data in the survey tables: nothing that says who answered."""

import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from surveys.screening import text_flags

PERSONAL = re.compile(
    r"(^|_)(name|first|last|surname|email|e_mail|phone|mobile|dob|birth|address|ip|ip_address|"
    r"user|user_agent|agent|postcode|session|device|created_by|respondent)($|_)"
)


def test_no_personal_data_columns_in_the_survey_tables():
    problems = []
    for model in apps.get_app_config("surveys").get_models():
        for field in model._meta.concrete_fields:
            if PERSONAL.search(field.name) or PERSONAL.search(field.column):
                problems.append(f"{model.__name__}.{field.name}")
            if isinstance(field, models.GenericIPAddressField | models.EmailField):
                problems.append(f"{model.__name__}.{field.name}: {type(field).__name__}")
            if field.is_relation and field.related_model is get_user_model():
                problems.append(f"{model.__name__}.{field.name}: points at a user")
            if isinstance(field, models.DateTimeField):
                problems.append(f"{model.__name__}.{field.name}: a time (days only)")

    assert problems == []


def test_every_survey_table_reaches_its_partnership_through_the_audit(db):
    paths = {
        "Survey": "audit",
        "SurveyQuestion": "survey__audit",
        "CodeBatch": "survey__audit",
        "SurveyCode": "batch__survey__audit",
        "SurveyResponse": "survey__audit",
        "SurveyAnswer": "response__survey__audit",
    }
    for name, path in paths.items():
        model = apps.get_model("surveys", name)

        model.objects.filter(**{f"{path}__isnull": False}).exists()  # the path is real

    assert set(paths) == {m.__name__ for m in apps.get_app_config("surveys").get_models()}


def test_screening_flags_what_could_say_who_wrote_it():
    assert text_flags("My social worker helps me.") == []
    assert text_flags("I like school. Mum helps.") == []
    assert text_flags("my worker Sam is kind") == ["name"]
    assert text_flags("my name is jo") == ["name"]
    assert text_flags("call 0161 496 0000") == ["phone"]
    assert text_flags("me@example.com") == ["email"]
