from django.urls import path

from .views import builder, results

app_name = "surveys"

urlpatterns = [
    path("audits/<int:audit_pk>/", builder.survey_list, name="survey-list"),
    path("audits/<int:audit_pk>/new/", builder.survey_create, name="survey-create"),
    path("<int:pk>/", builder.survey_detail, name="survey-detail"),
    path("<int:pk>/status/", builder.survey_status, name="survey-status"),
    path("<int:pk>/questions/new/", builder.question_create, name="survey-question-create"),
    path("<int:pk>/plain-language/", builder.plain_language, name="survey-plain-language"),
    path("<int:pk>/codes/", builder.batch_create, name="survey-batch-create"),
    path("<int:pk>/results/", results.survey_results, name="survey-results"),
    path("questions/<int:pk>/edit/", builder.question_edit, name="question-edit"),
    path("questions/<int:pk>/delete/", builder.question_delete, name="question-delete"),
    path("questions/<int:pk>/move/", builder.question_move, name="question-move"),
]
